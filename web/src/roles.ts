/** What each API-key role may do in the dashboard (mirrors the API's roles: viewer < operator < admin). */
export type Role = 'viewer' | 'operator' | 'admin';
export type Capability = 'read' | 'act' | 'configure';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
const NEEDS: Record<Capability, Role> = { read: 'viewer', act: 'operator', configure: 'admin' };

export function can(role: Role | null | undefined, capability: Capability): boolean {
  if (!role || !(role in RANK)) return false;
  return RANK[role] >= RANK[NEEDS[capability]];
}
