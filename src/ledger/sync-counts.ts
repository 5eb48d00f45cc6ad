import type { SyncCounts } from '../sync/sync-run.entity';

export type { SyncCounts };

/** The tables the ledger writer fills; the keys of `SyncCounts`. */
export const LEDGER_TABLES = ['customers', 'invoices', 'payments', 'allocations'] as const;
export type LedgerTable = (typeof LEDGER_TABLES)[number];

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export function zeroEntityCounts(): EntityCounts {
  return { created: 0, updated: 0, unchanged: 0, deleted: 0 };
}

/** `{ customers, invoices, payments, allocations }`, all zero. */
export function emptyCounts(): SyncCounts {
  return Object.fromEntries(LEDGER_TABLES.map((t) => [t, zeroEntityCounts()]));
}

/** Adds `b` into `a` (mutates and returns `a`). */
export function addCounts(a: SyncCounts, b: SyncCounts): SyncCounts {
  for (const [entity, c] of Object.entries(b)) {
    const into = (a[entity] ??= zeroEntityCounts());
    into.created += c.created;
    into.updated += c.updated;
    into.unchanged += c.unchanged;
    into.deleted += c.deleted;
  }
  return a;
}

/** Records written (created + updated + deleted) over every entity. */
export function writtenTotal(c: SyncCounts): number {
  return Object.values(c).reduce((n, e) => n + e.created + e.updated + e.deleted, 0);
}

/** Records seen (written or unchanged) over every entity. */
export function seenTotal(c: SyncCounts): number {
  return Object.values(c).reduce((n, e) => n + e.created + e.updated + e.unchanged + e.deleted, 0);
}
