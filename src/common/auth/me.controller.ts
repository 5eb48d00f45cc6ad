import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKey } from './api-key.entity';
import { Auth, type AuthContext } from './auth-context';
import { Tenant } from './tenant.entity';
import { NotFoundError } from '../errors';

/** Who the caller is: the tenant and the key's role, so that a client offers only what the role allows. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @Get()
  async me(@Auth() auth: AuthContext) {
    const tenant = await this.ds.getRepository(Tenant).findOneBy({ id: auth.tenantId });
    const key = await this.ds.getRepository(ApiKey).findOneBy({ id: auth.keyId, tenantId: auth.tenantId });
    if (!tenant || !key) throw new NotFoundError('API key', auth.keyId);
    return {
      tenant: { id: tenant.id, name: tenant.name, timezone: tenant.timezone },
      key: { id: key.id, name: key.name, prefix: key.prefix, role: key.role },
      role: key.role,
    };
  }
}
