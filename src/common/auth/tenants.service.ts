import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors';
import { ApiKeyService } from './api-key.service';
import { Tenant } from './tenant.entity';

export interface CreatedTenant {
  tenant: Tenant;
  /** The first admin key, shown once. */
  apiKey: string;
}

@Injectable()
export class TenantsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly keys: ApiKeyService,
  ) {}

  async create(name: string, timezone?: string): Promise<CreatedTenant> {
    const tenant = await this.ds.getRepository(Tenant).save({ name, ...(timezone ? { timezone } : {}) } as Tenant);
    const { secret } = await this.keys.issue(tenant.id, 'initial admin key', 'admin');
    return { tenant, apiKey: secret };
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.ds.getRepository(Tenant).findOneBy({ id });
    if (!tenant) throw new NotFoundError('tenant', id);
    return tenant;
  }

  list(): Promise<Tenant[]> {
    return this.ds.getRepository(Tenant).find({ order: { createdAt: 'ASC' } });
  }
}
