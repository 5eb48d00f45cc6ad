import { Injectable, OnModuleInit } from '@nestjs/common';
import { LedgerHooks, type SyncedLedger } from '../../ledger/ledger-hooks';
import { AlertsService } from '../analytics/alerts.service';
import { ReconciliationService } from './reconciliation.service';

/**
 * After every sync or file import that changed the ledger: match what the source left
 * unallocated, then evaluate the alerts, so the credit manager's lists and the dunning run
 * see the new state without a manual step. The summary lands in the sync run's details.
 */
@Injectable()
export class ReceivablesRefresh implements OnModuleInit {
  constructor(
    private readonly hooks: LedgerHooks,
    private readonly reconciliation: ReconciliationService,
    private readonly alerts: AlertsService,
  ) {}

  onModuleInit(): void {
    this.hooks.register('receivables', (synced) => this.refresh(synced));
  }

  async refresh({ tenantId }: SyncedLedger): Promise<Record<string, unknown>> {
    const rec = await this.reconciliation.run(tenantId);
    const alerts = await this.alerts.evaluate(tenantId);
    const allocated = Object.values(rec.allocated).reduce((n, v) => n + v, 0);
    return { allocated, superseded: rec.superseded, unmatched: rec.unmatched, alertsRaised: alerts.raised, alertsCleared: alerts.cleared, alertsOpen: alerts.open };
  }
}
