import { Injectable, Logger } from '@nestjs/common';
import type { SyncCounts } from './sync-counts';

export interface SyncedLedger {
  tenantId: string;
  connectionId: string;
  runId: string;
  counts: SyncCounts;
}

/** Work that follows a sync which changed the ledger; answers a summary kept in the run's details. */
export type AfterSyncHook = (synced: SyncedLedger) => Promise<Record<string, unknown>>;

/**
 * What other modules run after a successful sync or file import that wrote something
 * (reconciliation and alerts, registered by the receivables module), without the writers
 * depending on them.
 * A failing hook is logged and noted on the run; it never fails the sync, whose data is
 * committed: the next sync or a manual run does the work again.
 */
@Injectable()
export class LedgerHooks {
  private readonly logger = new Logger(LedgerHooks.name);
  private readonly hooks: { name: string; run: AfterSyncHook }[] = [];

  register(name: string, run: AfterSyncHook): void {
    this.hooks.push({ name, run });
  }

  async afterSync(synced: SyncedLedger): Promise<Record<string, unknown>> {
    const results: Record<string, unknown> = {};
    for (const hook of this.hooks) {
      try {
        results[hook.name] = await hook.run(synced);
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        this.logger.warn({ tenantId: synced.tenantId, connectionId: synced.connectionId, runId: synced.runId, hook: hook.name, error }, 'after-sync work failed');
        results[hook.name] = { error };
      }
    }
    return results;
  }
}
