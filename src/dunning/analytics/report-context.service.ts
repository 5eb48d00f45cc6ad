import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../../common/auth/tenant.entity';
import { Clock } from '../../common/clock';
import { NotFoundError, ValidationError } from '../../common/errors';
import type { LedgerView } from './open-items.query';
import { readReceivablesSettings, ReceivablesSettings } from './receivables-settings';

export interface ReportContext {
  tenantId: string;
  timezone: string;
  /** YYYY-MM-DD: the requested date, or today in the tenant's timezone. */
  asOf: string;
  settings: ReceivablesSettings;
  /** How the reports read open amounts: `current` when nothing in the ledger is dated after `asOf`. */
  view: LedgerView;
}

/**
 * Most documents and allocations dated after the as-of date for the `recent` ledger view
 * (corrections read one by one); beyond, the `historical` view sums everything as of the date.
 * Measured on 200,000 invoices (bench:receivables database): the aged balance takes 0.25 s
 * current, 1.1–1.2 s recent with 33,000–40,000 late rows, 1.6–2.3 s historical.
 */
export const RECENT_MAX_LATE = 30_000;

/**
 * Runs a report query without parallel workers (a transaction-local setting). For the forecast
 * and the aged balance's current and recent views, workers cost more than they save on the
 * 2 cores the dashboard shares between its reports: measured on the bench:receivables database
 * (200,000 invoices) with other runs on the machine, the forecast took 945 ms serial against
 * 1,291 ms with 2 workers (medians of 6, alternated) when it joined every allocation to its
 * ends; since it reads the allocations alone (migration AllocationEnds), 161–163 ms serial
 * against 147–149 ms with workers (medians of 7, alternated): kept serial, the difference being
 * within the noise while workers take the other core from the reports asked with it.
 */
export async function querySerial<T>(ds: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  return ds.transaction(async (m) => {
    await m.query('SET LOCAL max_parallel_workers_per_gather = 0');
    return m.query(sql, params);
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkIsoDate(value: string, field: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  if (!ISO_DATE.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new ValidationError([{ field, message: 'must be a date YYYY-MM-DD' }]);
  }
  return value;
}

/** `date` + `days` (may be negative), as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Tenant, settings and as-of date of a receivables report. */
@Injectable()
export class ReportContextService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async resolve(tenantId: string, asOf?: string): Promise<ReportContext> {
    const tenant = await this.ds.getRepository(Tenant).findOneBy({ id: tenantId });
    if (!tenant) throw new NotFoundError('tenant', tenantId);
    const date = asOf ? checkIsoDate(asOf, 'asOf') : this.clock.today(tenant.timezone);
    return {
      tenantId,
      timezone: tenant.timezone,
      asOf: date,
      settings: readReceivablesSettings(tenant.settings),
      view: await this.viewAsOf(tenantId, date),
    };
  }

  /**
   * `current` when nothing of the tenant is dated after `asOf`; `recent` when at most
   * RECENT_MAX_LATE allocations counted today are not in force at `asOf` (counted through
   * allocations_in_force_idx, capped); else `historical`.
   */
  private async viewAsOf(tenantId: string, asOf: string): Promise<LedgerView> {
    if ((await this.latestDate(tenantId)) <= asOf) return 'current';
    const [{ late }]: { late: number }[] = await this.ds.query(
      `SELECT count(*)::int AS late FROM (SELECT 1 FROM allocations WHERE tenant_id = $1 AND in_force_on > $2::date LIMIT ${RECENT_MAX_LATE + 1}) a`,
      [tenantId, asOf],
    );
    return late <= RECENT_MAX_LATE ? 'recent' : 'historical';
  }

  /** The latest date of the tenant's documents and allocations, tombstoned ones included ('' when none); three index probes. */
  private async latestDate(tenantId: string): Promise<string> {
    const [{ latest }]: { latest: string | null }[] = await this.ds.query(
      `SELECT to_char(GREATEST((SELECT max(date) FROM allocations WHERE tenant_id = $1),
                               (SELECT max(issue_date) FROM invoices WHERE tenant_id = $1),
                               (SELECT max(date) FROM payments WHERE tenant_id = $1)), 'YYYY-MM-DD') AS latest`,
      [tenantId],
    );
    return latest ?? '';
  }
}
