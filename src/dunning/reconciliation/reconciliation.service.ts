import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../../common/auth/tenant.entity';
import { Clock } from '../../common/clock';
import { NotFoundError } from '../../common/errors';
import { readReceivablesSettings } from '../analytics/receivables-settings';
import { matchOpenItems, OpenInvoice, OpenSource } from './matching-rules';
import {
  COLLECT_INVOICES_SQL,
  COLLECT_SOURCES_SQL,
  INSERT_RULE_ALLOCATIONS_SQL,
  REFERENCE_HITS_SQL,
  REJECTED_PAIRS_SQL,
  SELECT_INVOICES_SQL,
  SELECT_SOURCES_SQL,
  SUPERSEDE_RULE_ALLOCATIONS_SQL,
} from './reconciliation.query';
import { recordAudit } from './audit';

export interface ReconciliationResult {
  /** Payments and credit notes that had something unallocated. */
  candidates: number;
  /** Allocations made, per method. */
  allocated: Record<'reference' | 'exact_amount' | 'amount_set' | 'oldest_first', number>;
  /** Rule-made allocations withdrawn because the source allocated the same documents. */
  superseded: number;
  /** Payments and credit notes still (partly) unallocated. */
  unmatched: number;
}

/**
 * Matches payments and credits left unallocated by the source to open invoices, by rules
 * (see matching-rules.ts). Source allocations are taken as they are; manual allocations and
 * rejections are never undone. One run per tenant at a time (advisory lock).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async run(tenantId: string, actor = 'system'): Promise<ReconciliationResult> {
    const tenant = await this.ds.getRepository(Tenant).findOneBy({ id: tenantId });
    if (!tenant) throw new NotFoundError('tenant', tenantId);
    const { oldestFirst } = readReceivablesSettings(tenant.settings);
    const started = Date.now();
    const result = await this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('reconciliation:' || $1))`, [tenantId]);
      const now = this.clock.now();
      const [superseded] = (await m.query(SUPERSEDE_RULE_ALLOCATIONS_SQL, [tenantId, now])) as [unknown[], number];
      await m.query(COLLECT_SOURCES_SQL, [tenantId]);
      await m.query('ANALYZE rec_sources');
      const sources: OpenSource[] = (await m.query(SELECT_SOURCES_SQL)).map(
        (r: { kind: 'payment' | 'credit_note'; id: string; customer_id: string; currency: string; date: string; remaining: string }) => ({
          kind: r.kind, id: r.id, customerId: r.customer_id, currency: r.currency, date: r.date, remaining: BigInt(r.remaining),
        }),
      );
      await m.query(COLLECT_INVOICES_SQL, [tenantId]);
      await m.query('ANALYZE rec_invoices');
      const invoices: OpenInvoice[] = (await m.query(SELECT_INVOICES_SQL)).map(
        (r: { id: string; customer_id: string; currency: string; issue_date: string; due_date: string; remaining: string }) => ({
          id: r.id, customerId: r.customer_id, currency: r.currency, issueDate: r.issue_date, dueDate: r.due_date, remaining: BigInt(r.remaining),
        }),
      );
      const referenceHits = new Map<string, string[]>();
      for (const h of (await m.query(REFERENCE_HITS_SQL)) as Array<{ source_id: string; invoice_id: string }>) {
        referenceHits.set(h.source_id, [...(referenceHits.get(h.source_id) ?? []), h.invoice_id]);
      }
      const rejected = new Set<string>(((await m.query(REJECTED_PAIRS_SQL, [tenantId])) as Array<{ pair: string }>).map((r) => r.pair));
      const proposals = matchOpenItems({ sources, invoices, referenceHits, rejected, oldestFirst });
      // One statement: the allocated-amount triggers run once for the whole run, not once per batch.
      if (proposals.length) {
        const rows = proposals.map((p) => ({
          invoice_id: p.invoiceId,
          payment_id: p.sourceKind === 'payment' ? p.sourceId : null,
          credit_note_id: p.sourceKind === 'credit_note' ? p.sourceId : null,
          amount_minor: p.amount.toString(),
          date: p.date,
          method: p.method,
          confidence: p.confidence,
        }));
        await m.query(INSERT_RULE_ALLOCATIONS_SQL, [tenantId, JSON.stringify(rows), now]);
      }
      const used = new Map<string, bigint>();
      for (const p of proposals) used.set(p.sourceId, (used.get(p.sourceId) ?? 0n) + p.amount);
      const allocated = { reference: 0, exact_amount: 0, amount_set: 0, oldest_first: 0 };
      for (const p of proposals) allocated[p.method]++;
      const out: ReconciliationResult = {
        candidates: sources.length,
        allocated,
        superseded: superseded.length,
        unmatched: sources.filter((s) => (used.get(s.id) ?? 0n) < s.remaining).length,
      };
      await recordAudit(m, { tenantId, actor, action: 'reconciliation.run', subjectType: 'tenant', subjectId: tenantId, data: { ...out }, at: now });
      return out;
    });
    this.logger.log({ tenantId, ...result, ms: Date.now() - started }, 'reconciliation run');
    return result;
  }
}
