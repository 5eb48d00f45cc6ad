import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError } from '../errors';
import { ApiKey, Role } from './api-key.entity';
import type { AuthContext } from './auth-context';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface IssuedKey {
  key: ApiKey;
  /** The full key: shown once, never stored. */
  secret: string;
}

@Injectable()
export class ApiKeyService {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  async issue(tenantId: string, name: string, role: Role): Promise<IssuedKey> {
    const prefix = randomBytes(4).toString('hex');
    const secret = `lb_${prefix}_${randomBytes(24).toString('base64url')}`;
    const key = await this.keys.save(this.keys.create({ tenantId, name, role, prefix, keyHash: hashApiKey(secret) }));
    return { key, secret };
  }

  async authenticate(secret: string): Promise<AuthContext | null> {
    const key = await this.keys.findOne({ where: { keyHash: hashApiKey(secret), revokedAt: IsNull() } });
    if (!key) return null;
    // Best effort and coarse (once a minute) so that reads do not all write.
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
      void this.keys.update({ id: key.id }, { lastUsedAt: new Date() }).catch(() => undefined);
    }
    return { tenantId: key.tenantId, keyId: key.id, role: key.role };
  }

  list(tenantId: string): Promise<ApiKey[]> {
    return this.keys.find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  async revoke(tenantId: string, id: string): Promise<void> {
    const res = await this.keys.update({ tenantId, id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!res.affected) throw new NotFoundError('API key', id);
  }
}
