import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from './api-key.entity';
import { ApiKeyService } from './api-key.service';
import { AuthContext, PUBLIC_KEY, ROLE_KEY, ROLE_RANK } from './auth-context';
import { ForbiddenError, UnauthorizedError } from '../errors';

/** Global guard: `Authorization: Bearer <apiKey>` on every route not marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; auth?: AuthContext }>();
    const header = req.headers['authorization'] ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError('missing API key: send Authorization: Bearer <apiKey>');
    const auth = await this.keys.authenticate(match[1]);
    if (!auth) throw new UnauthorizedError('invalid or revoked API key');
    const needed = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'viewer';
    if (ROLE_RANK[auth.role] < ROLE_RANK[needed]) {
      throw new ForbiddenError(`this action needs the ${needed} role; the key has ${auth.role}`);
    }
    req.auth = auth;
    return true;
  }
}
