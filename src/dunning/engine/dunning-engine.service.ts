import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';
import { NotFoundError } from '../../common/errors';
import { PromisesService } from '../collab/promises.service';
import { PenaltyCalculator, PenaltyRateMissingError } from '../penalties/penalty-calculator';
import { PayerSegments } from '../policies/payer-segments';
import { PoliciesService } from '../policies/policies.service';
import { dunningSettings, staleSyncCutoff, type DunningSettings } from './dunning-settings';
import { GROUP_MESSAGES, PLAN_INSERT, PLAN_SELECT, PLANNER_SETTINGS } from './dunning-plan.query';
import { buildRunResult, type HeldCustomer, type PlanLine, type RunResult } from './run-result';

export interface RunOptions {
  /** YYYY-MM-DD; default: today in the tenant's timezone. */
  asOf?: string;
  dryRun?: boolean;
  trigger: 'api' | 'cli' | 'schedule';
  /** API key id, or `system`. */
  actor: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

/**
 * Plans a tenant's reminders as of a date and writes them to the outbox. A dry run executes
 * the same planning query and returns what a real run would write, changing nothing.
 * Real runs of one tenant are serialised by an advisory lock, and the outbox's unique index
 * on (invoice, step, channel) makes a step go out once whatever runs concurrently.
 */
@Injectable()
export class DunningEngine {
  private readonly logger = new Logger(DunningEngine.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly policies: PoliciesService,
    private readonly segments: PayerSegments,
    private readonly penalties: PenaltyCalculator,
    private readonly promises: PromisesService,
  ) {}

  async run(tenantId: string, opts: RunOptions): Promise<RunResult> {
    const tenant = await this.tenant(tenantId);
    const settings = dunningSettings(tenant.settings);
    const asOf = opts.asOf ?? this.clock.today(tenant.timezone);
    const policyId = await this.policies.ensureDefault(tenantId);
    const seg = await this.segments.segments(tenantId, asOf);
    const cutoff = staleSyncCutoff(this.config.dunning.syncFreshnessHours, this.clock.now());
    const params = [tenantId, asOf, policyId, [...seg.keys()], [...seg.values()], cutoff];
    const warnings: string[] = [];

    if (opts.dryRun) {
      const rows: Row[] = await this.ds.transaction(async (m) => {
        await m.query(PLANNER_SETTINGS);
        return m.query(PLAN_SELECT, params);
      });
      const held = this.held(rows.filter((r) => r.hold));
      const lines = rows.filter((r) => !r.hold).flatMap((r) => (r.channels as string[]).map((channel) => this.line({ ...r, channel })));
      this.applyPenalties(lines, asOf, settings, warnings);
      return buildRunResult({ runId: null, tenantId, asOf, dryRun: true, warnings, held }, lines);
    }

    const started = this.clock.now();
    const result = await this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('dunning-run'), hashtext($1))`, [tenantId]);
      await m.query(PLANNER_SETTINGS);
      await this.promises.evaluate(m, tenantId, asOf);
      const [run] = await m.query(
        `INSERT INTO dunning_runs (tenant_id, as_of, trigger, status, started_at, created_by) VALUES ($1, $2, $3, 'running', $4, $5) RETURNING id`,
        [tenantId, asOf, opts.trigger, started, opts.actor],
      );
      const runId: string = run.id;
      const held = this.held(await m.query(PLAN_INSERT, [...params, runId]));
      await this.writePenalties(m, tenantId, runId, asOf, settings, warnings);
      await m.query(GROUP_MESSAGES, [tenantId, runId]);
      const rows: Row[] = await m.query(
        `SELECT r.invoice_id, r.customer_id, i.number, to_char(i.due_date, 'YYYY-MM-DD') AS due_date, r.currency,
                r.outstanding_minor::text AS outstanding, r.policy_id, r.variant, r.step_index, r.step_key, r.channel,
                to_char(r.trigger_date, 'YYYY-MM-DD') AS trigger_date, r.group_key, r.requires_approval, r.with_penalties,
                r.interest_minor::text AS interest, r.indemnity_minor::text AS indemnity, r.message_id
           FROM dunning_reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.tenant_id = $1 AND r.run_id = $2`,
        [tenantId, runId],
      );
      const lines = rows.map((r) => this.line(r));
      const ids = new Map(rows.map((r) => [`${r.group_key}|${r.channel}`, r.message_id as string]));
      const res = buildRunResult({ runId, tenantId, asOf, dryRun: false, warnings, held }, lines, ids);
      await m.query(`UPDATE dunning_runs SET status = 'succeeded', finished_at = $2, summary = $3 WHERE id = $1`, [
        runId, this.clock.now(), JSON.stringify({ ...res.counts, warnings }),
      ]);
      return res;
    });
    this.logger.log({ tenantId, runId: result.runId, asOf, ...result.counts }, 'dunning run planned');
    return result;
  }

  private async tenant(tenantId: string): Promise<{ timezone: string; settings: Record<string, unknown> }> {
    const rows = await this.ds.query(`SELECT timezone, settings FROM tenants WHERE id = $1`, [tenantId]);
    if (!rows.length) throw new NotFoundError('tenant', tenantId);
    return rows[0];
  }

  private held(rows: Row[]): HeldCustomer[] {
    const by = new Map<string, HeldCustomer>();
    for (const r of rows) {
      const key = `${r.customer_id}|${r.hold}`;
      const h = by.get(key) ?? { customerId: r.customer_id, reason: r.hold, invoices: 0 };
      h.invoices += r.invoices ?? 1;
      by.set(key, h);
    }
    return [...by.values()].sort((a, b) => a.customerId.localeCompare(b.customerId));
  }

  private line(r: Row): PlanLine {
    return {
      invoiceId: r.invoice_id,
      customerId: r.customer_id,
      number: r.number,
      dueDate: r.due_date,
      currency: r.currency.trim(),
      outstandingMinor: BigInt(r.outstanding),
      policyId: r.policy_id,
      variant: r.variant ?? null,
      stepIndex: Number(r.step_index),
      stepKey: r.step_key,
      channel: r.channel,
      triggerDate: r.trigger_date,
      groupKey: r.group_key,
      requiresApproval: !!r.requires_approval,
      withPenalties: !!r.with_penalties,
      interestMinor: r.interest == null ? null : BigInt(r.interest),
      indemnityMinor: r.indemnity == null ? null : BigInt(r.indemnity),
    };
  }

  private applyPenalties(lines: PlanLine[], asOf: string, s: DunningSettings, warnings: string[]): void {
    // One computation per invoice, whatever the number of channels of its step.
    const done = new Map<string, { interestMinor: bigint; indemnityMinor: bigint }>();
    for (const l of lines) {
      if (!l.withPenalties) continue;
      try {
        const p = done.get(l.invoiceId) ?? this.penalties.compute(s.jurisdiction, {
          amountMinor: l.outstandingMinor, currency: l.currency, dueDate: l.dueDate, asOf, contractualRateBp: s.contractualRateBp,
        });
        done.set(l.invoiceId, p);
        l.interestMinor = p.interestMinor;
        l.indemnityMinor = p.indemnityMinor;
      } catch (e) {
        if (!(e instanceof PenaltyRateMissingError)) throw e;
        if (!warnings.includes(e.message)) warnings.push(e.message);
      }
    }
  }

  private async writePenalties(m: EntityManager, tenantId: string, runId: string, asOf: string, s: DunningSettings, warnings: string[]): Promise<void> {
    const rows: Row[] = await m.query(
      `SELECT r.id, r.invoice_id, r.outstanding_minor::text AS outstanding, r.currency, to_char(i.due_date, 'YYYY-MM-DD') AS due_date
         FROM dunning_reminders r JOIN invoices i ON i.id = r.invoice_id
        WHERE r.tenant_id = $1 AND r.run_id = $2 AND r.with_penalties`,
      [tenantId, runId],
    );
    if (!rows.length) return;
    const lines = rows.map((r) => ({ ...this.line({ ...r, step_index: 0, with_penalties: true }), id: r.id as string }));
    this.applyPenalties(lines, asOf, s, warnings);
    await m.query(
      `UPDATE dunning_reminders r SET interest_minor = u.interest, indemnity_minor = u.indemnity
         FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS u(id, interest, indemnity) WHERE r.id = u.id`,
      [lines.map((l) => l.id), lines.map((l) => l.interestMinor?.toString() ?? null), lines.map((l) => l.indemnityMinor?.toString() ?? null)],
    );
  }
}
