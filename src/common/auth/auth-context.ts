import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from './api-key.entity';

/** Who is calling: resolved from the API key by ApiKeyGuard. */
export interface AuthContext {
  readonly tenantId: string;
  readonly keyId: string;
  readonly role: Role;
}

export const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const PUBLIC_KEY = 'auth:public';
export const ROLE_KEY = 'auth:role';

/** No API key needed (health, metrics, docs, OAuth callback). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Minimum role for a route; without it any valid key (viewer and up) may call. */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);

export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const req = ctx.switchToHttp().getRequest<{ auth?: AuthContext }>();
  if (!req.auth) throw new Error('Auth() used on a public route');
  return req.auth;
});
