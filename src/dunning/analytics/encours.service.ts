import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toJsonMinor } from '../../common/money';
import { ENCOURS_SQL, ENCOURS_TOTALS_SQL } from './encours.query';
import { ReportContextService } from './report-context.service';

export interface EncoursFigures {
  currency: string;
  /** Invoices issued − payments and credits: notDue + overdue + unallocated. */
  totalMinor: number;
  notDueMinor: number;
  overdueMinor: number;
  /** Credit notes and payments not allocated to an invoice (≤ 0). */
  unallocatedMinor: number;
  /** Part of the open invoices under an open dispute (included in the figures above). */
  disputedMinor: number;
}

export interface CustomerEncours extends EncoursFigures {
  customerId: string | null;
  customerRef: string;
  name: string;
  connectionId: string;
  openInvoices: number;
  creditLimitMinor: number | null;
}

export interface CompanyEncours extends EncoursFigures {
  connectionId: string;
  name: string;
}

export interface Encours {
  asOf: string;
  customers: CustomerEncours[];
  companies: CompanyEncours[];
  totals: EncoursFigures[];
}

interface Sums {
  total: bigint;
  notDue: bigint;
  overdue: bigint;
  unallocated: bigint;
  disputed: bigint;
}

const zero = (): Sums => ({ total: 0n, notDue: 0n, overdue: 0n, unallocated: 0n, disputed: 0n });
const addInto = (a: Sums, b: Sums) => {
  a.total += b.total;
  a.notDue += b.notDue;
  a.overdue += b.overdue;
  a.unallocated += b.unallocated;
  a.disputed += b.disputed;
};
const figures = (currency: string, s: Sums): EncoursFigures => ({
  currency,
  totalMinor: toJsonMinor(s.total),
  notDueMinor: toJsonMinor(s.notDue),
  overdueMinor: toJsonMinor(s.overdue),
  unallocatedMinor: toJsonMinor(s.unallocated),
  disputedMinor: toJsonMinor(s.disputed),
});

/** Outstanding balance (encours) per customer, per company (connection) and per tenant, per currency. */
@Injectable()
export class EncoursService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly context: ReportContextService,
  ) {}

  async report(tenantId: string, opts: { asOf?: string; connectionId?: string; customerId?: string } = {}): Promise<Encours> {
    const ctx = await this.context.resolve(tenantId, opts.asOf);
    const raw: Array<Record<string, string | null> & { open_invoices: number }> = await this.ds.query(ENCOURS_SQL[ctx.view], [
      tenantId,
      ctx.asOf,
      opts.connectionId ?? null,
      opts.customerId ?? null,
    ]);
    const customers: CustomerEncours[] = [];
    const companies = new Map<string, { name: string; currency: string; sums: Sums }>();
    const totals = new Map<string, Sums>();
    for (const r of raw) {
      const s: Sums = {
        total: BigInt(r.total!),
        notDue: BigInt(r.not_due!),
        overdue: BigInt(r.overdue!),
        unallocated: BigInt(r.unallocated!),
        disputed: BigInt(r.disputed!),
      };
      customers.push({
        customerId: r.customer_id,
        customerRef: r.customer_ref!,
        name: r.name!,
        connectionId: r.connection_id!,
        ...figures(r.currency!, s),
        openInvoices: r.open_invoices,
        creditLimitMinor: r.credit_limit === null ? null : toJsonMinor(BigInt(r.credit_limit)),
      });
      const ck = `${r.connection_id}\u0000${r.currency}`;
      const company = companies.get(ck) ?? { name: r.connection_name!, currency: r.currency!, sums: zero() };
      addInto(company.sums, s);
      companies.set(ck, company);
      const t = totals.get(r.currency!) ?? zero();
      addInto(t, s);
      totals.set(r.currency!, t);
    }
    return {
      asOf: ctx.asOf,
      customers,
      companies: [...companies.entries()]
        .map(([key, c]) => ({ connectionId: key.split('\u0000')[0], name: c.name, ...figures(c.currency, c.sums) }))
        .sort((a, b) => a.name.localeCompare(b.name) || a.currency.localeCompare(b.currency)),
      totals: [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([cur, s]) => figures(cur, s)),
    };
  }

  /** The tenant totals only (`detail=totals`), summed per currency in the database: no customer rows. */
  async totals(tenantId: string, opts: { asOf?: string; connectionId?: string; customerId?: string } = {}): Promise<Pick<Encours, 'asOf' | 'totals'>> {
    const ctx = await this.context.resolve(tenantId, opts.asOf);
    const rows: Array<Record<string, string>> = await this.ds.query(ENCOURS_TOTALS_SQL[ctx.view], [
      tenantId,
      ctx.asOf,
      opts.connectionId ?? null,
      opts.customerId ?? null,
    ]);
    return {
      asOf: ctx.asOf,
      totals: rows
        .map((r) => figures(r.currency, { total: BigInt(r.total), notDue: BigInt(r.not_due), overdue: BigInt(r.overdue), unallocated: BigInt(r.unallocated), disputed: BigInt(r.disputed) }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
    };
  }
}
