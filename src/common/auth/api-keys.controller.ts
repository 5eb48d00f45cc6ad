import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ApiKey, ROLES, type Role } from './api-key.entity';
import { ApiKeyService } from './api-key.service';
import { Auth, type AuthContext, RequireRole } from './auth-context';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ERP integration' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

function view(k: ApiKey) {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
@RequireRole('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Get()
  async list(@Auth() auth: AuthContext) {
    return { items: (await this.keys.list(auth.tenantId)).map(view) };
  }

  /** The key is in the response once and never again. */
  @Post()
  async create(@Auth() auth: AuthContext, @Body() dto: CreateApiKeyDto) {
    const { key, secret } = await this.keys.issue(auth.tenantId, dto.name, dto.role);
    return { ...view(key), apiKey: secret };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    await this.keys.revoke(auth.tenantId, id);
  }
}
