import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import type { ConnectorManifest, NormalizedAllocation, SyncBatch, Tombstone } from '../connectors/connector';
import { batchAllocated } from './batch-allocated';
import {
  allocationColumns,
  chunks,
  customerColumns,
  invoiceColumns,
  lastByExternalId,
  paymentColumns,
} from './ledger-columns';
import {
  LINK_ALLOCATION_CREDIT_NOTES,
  LINK_ALLOCATION_INVOICES,
  LINK_ALLOCATION_PAYMENTS,
  LINK_INVOICE_CUSTOMERS,
  LINK_PAYMENT_CUSTOMERS,
  REDERIVE_DUE_DATES,
} from './ledger-links.query';
import { createSeenTableSql, prepareSeenTableSql, tombstoneSql } from './ledger-tombstone.query';
import {
  ALLOCATED_BY_CALLER_SQL,
  REFRESH_ENDS_SQL,
  upsertAllocationsSql,
  upsertCustomersSql,
  upsertInvoicesSql,
  upsertPaymentsSql,
} from './ledger-upsert.query';
import { validateBatch } from './record-validation';
import { emptyCounts, type LedgerTable, type SyncCounts } from './sync-counts';

/** Where a batch is written, and how missing due dates are derived. */
export interface LedgerWriteScope {
  tenantId: string;
  connectionId: string;
  /** The connection's default payment terms, for customers without terms. */
  defaultTerms?: { days: number; endOfMonth: boolean } | null;
}

/** Records per statement. */
const CHUNK = 10_000;

/** Rows created in a table before the writer refreshes its planner statistics (see analyzeGrownTables). */
const ANALYZE_MIN = 5_000;

/** How much a table grows between two of the writer's ANALYZEs (see analyzeGrownTables). */
const ANALYZE_GROWTH = 4;

/** The statistics target of the writer's ANALYZEs: a sample of 300 × 10 rows (see analyzeGrownTables). */
export const WRITER_STATISTICS_TARGET = 10;

/** The ledger table of each entity a connector names. */
export const TABLE_OF: Record<Tombstone['entity'], LedgerTable> = {
  customer: 'customers',
  invoice: 'invoices',
  payment: 'payments',
  allocation: 'allocations',
};

/** Tombstones are applied children first, so cascaded allocations are not counted twice. */
export const TOMBSTONE_ORDER: LedgerTable[] = ['allocations', 'payments', 'invoices', 'customers'];

const SQL = {
  customers: [upsertCustomersSql(false), upsertCustomersSql(true)],
  invoices: [upsertInvoicesSql(false), upsertInvoicesSql(true)],
  payments: [upsertPaymentsSql(false), upsertPaymentsSql(true)],
  allocations: [upsertAllocationsSql(false), upsertAllocationsSql(true)],
  byId: Object.fromEntries(TOMBSTONE_ORDER.map((t) => [t, tombstoneSql(t, 'byExternalId')])) as Record<LedgerTable, string>,
  unseen: Object.fromEntries(TOMBSTONE_ORDER.map((t) => [t, tombstoneSql(t, 'unseen')])) as Record<LedgerTable, string>,
};

type CountRow = { created: number; updated: number };
type StartedRow = CountRow & { started: string[] };
type AllocationsRow = CountRow & { invoice_ends: string[]; payment_ends: string[] };

/** What a snapshot of these entities covers, so what it may tombstone: tables, and invoice kinds. */
export function snapshotCoverage(entities: ConnectorManifest['entities']): { kinds: string[]; pulled: Record<LedgerTable, boolean> } {
  const kinds = [...(entities.includes('invoices') ? ['invoice'] : []), ...(entities.includes('credit_notes') ? ['credit_note'] : [])];
  return {
    kinds,
    pulled: {
      customers: entities.includes('customers'),
      invoices: kinds.length > 0,
      payments: entities.includes('payments'),
      allocations: entities.includes('allocations'),
    },
  };
}

/**
 * Writes normalized batches into the ledger inside the caller's transaction: bulk upserts
 * keyed by (tenant, connection, external id) that skip unchanged rows (content hash),
 * references resolved by external id in SQL (and linked later when they arrive late), due
 * dates derived from terms, tombstones. Answers per-table counts.
 *
 * Incremental connectors call `write` per batch; snapshot connectors open a
 * `LedgerSnapshot`, write every batch through it and `finish()` it, which tombstones the
 * connection's rows the pull did not contain. Both in one transaction the caller owns.
 */
@Injectable()
export class LedgerWriter {
  /** Rows created per table since this process last analyzed it, and the size then. */
  private readonly growth = new Map<LedgerTable, { since: number; base: number }>();

  constructor(private readonly clock: Clock) {}

  /** Writes one batch (the caller saves the cursor in the same transaction). */
  write(em: EntityManager, scope: LedgerWriteScope, batch: SyncBatch): Promise<SyncCounts> {
    return this.writeBatch(em, scope, batch, false);
  }

  /**
   * Starts a snapshot in `em`'s transaction. `entities` (the manifest's) limits the
   * tombstoning at `finish()` to what the source actually provides.
   */
  async beginSnapshot(
    em: EntityManager,
    scope: LedgerWriteScope,
    entities: ConnectorManifest['entities'] = ['customers', 'invoices', 'credit_notes', 'payments', 'allocations'],
  ): Promise<LedgerSnapshot> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('a ledger snapshot needs a transaction (EntityManager of manager.transaction)');
    for (const t of TOMBSTONE_ORDER) await em.query(createSeenTableSql(t));
    return new LedgerSnapshot(this, em, scope, entities);
  }

  /** @internal used by LedgerSnapshot */
  async writeBatch(em: EntityManager, scope: LedgerWriteScope, batch: SyncBatch, seen: boolean): Promise<SyncCounts> {
    validateBatch(batch);
    const counts = emptyCounts();
    const key = [scope.tenantId, scope.connectionId];
    const terms = [scope.defaultTerms?.days ?? null, scope.defaultTerms?.endOfMonth ?? false];
    const s = seen ? 1 : 0;

    const customers = lastByExternalId(batch.customers);
    const writtenCustomers: string[] = [];
    const createdCustomers: string[] = [];
    for (const chunk of chunks(customers, CHUNK)) {
      const rows: { external_id: string; inserted: boolean }[] = await em.query(SQL.customers[s], [...key, ...customerColumns(chunk)]);
      for (const r of rows) {
        writtenCustomers.push(r.external_id);
        if (r.inserted) createdCustomers.push(r.external_id);
      }
      counts.customers.unchanged += chunk.length - rows.length;
    }
    counts.customers.created = createdCustomers.length;
    counts.customers.updated = writtenCustomers.length - createdCustomers.length;

    const invoices = lastByExternalId(batch.invoices);
    const payments = lastByExternalId(batch.payments);
    const allocations = lastByExternalId(batch.allocations);
    // New documents start with what the batch's allocations give them (see batchAllocated).
    const allocated = batchAllocated(invoices, payments, allocations);
    const withAllocated = <T extends { externalId: string }>(columns: (rows: T[]) => unknown[], amounts: Map<string, bigint>) => (rows: T[]) => [
      ...columns(rows),
      rows.map((r) => (amounts.get(r.externalId) ?? 0n).toString()),
    ];
    const started = {
      invoices: await this.upsert(em, SQL.invoices[s], [...key, ...terms], invoices, withAllocated(invoiceColumns, allocated.invoices), counts.invoices),
      payments: await this.upsert(em, SQL.payments[s], key, payments, withAllocated(paymentColumns, allocated.payments), counts.payments),
    };
    // A new allocation between two documents this batch inserted with it in their head start needs no refresh.
    const covered = (a: NormalizedAllocation) =>
      allocated.counted.has(a.externalId) &&
      started.invoices.has(a.invoiceExternalId) &&
      (a.paymentExternalId != null ? started.payments.has(a.paymentExternalId) : started.invoices.has(a.creditNoteExternalId!));
    if (allocations.length) await this.upsertAllocations(em, SQL.allocations[s], key, allocations, covered, counts.allocations);

    // References that arrived after the rows pointing to them.
    if (createdCustomers.length) {
      await em.query(LINK_INVOICE_CUSTOMERS, [...key, ...terms]);
      await em.query(LINK_PAYMENT_CUSTOMERS, key);
    }
    if (writtenCustomers.length > createdCustomers.length) {
      const created = new Set(createdCustomers);
      await em.query(REDERIVE_DUE_DATES, [...key, ...terms, writtenCustomers.filter((c) => !created.has(c))]);
    }
    if (counts.invoices.created) {
      await em.query(LINK_ALLOCATION_INVOICES, key);
      await em.query(LINK_ALLOCATION_CREDIT_NOTES, key);
    }
    if (counts.payments.created) await em.query(LINK_ALLOCATION_PAYMENTS, key);

    if (batch.deletions?.length) await this.tombstone(em, scope, batch.deletions, counts);
    await this.analyzeGrownTables(em, counts);
    return counts;
  }

  /**
   * A big sync grows the ledger tables faster than autovacuum re-analyzes them, and with stale
   * statistics the planner turns the index-driven joins above into nested loops over whole
   * tables. Each table is analyzed (it sees this transaction's rows too) whenever it has grown
   * ANALYZE_GROWTH-fold, and at least ANALYZE_MIN rows were created, since the last time: a
   * 200,000-invoice sync analyzes each table 3 times (5,000, 20,000, 80,000 rows) instead of 6
   * when it was done at every doubling. In between, the planner scales the analyzed row count
   * by the table's current size, and the writer's statements do not depend on the rest: the
   * upserts probe the unique keys per record, the links start from the pending rows' partial
   * indexes. For the same reason the sample is small (WRITER_STATISTICS_TARGET, PostgreSQL's
   * default before 8.4: 3,000 rows instead of 30,000; an ANALYZE of 80,000 payments takes
   * 50 ms instead of 450), and autovacuum later analyzes with the server's target. The
   * transaction's own target is restored after (a snapshot's temp tables are analyzed with it).
   */
  private async analyzeGrownTables(em: EntityManager, counts: SyncCounts): Promise<void> {
    for (const table of TOMBSTONE_ORDER) {
      const g = this.growth.get(table) ?? { since: 0, base: 0 };
      g.since += counts[table].created;
      this.growth.set(table, g);
      if (g.since >= Math.max(ANALYZE_MIN, (ANALYZE_GROWTH - 1) * g.base)) {
        const [{ target }]: { target: string }[] = await em.query(`SELECT current_setting('default_statistics_target') AS target`);
        await em.query(`SELECT set_config('default_statistics_target', $1, true)`, [String(WRITER_STATISTICS_TARGET)]);
        await em.query(`ANALYZE ${table}`);
        await em.query(`SELECT set_config('default_statistics_target', $1, true)`, [target]);
        g.base += g.since;
        g.since = 0;
      }
    }
  }

  /** @internal Tombstones rows a snapshot did not see. */
  async tombstoneUnseen(em: EntityManager, scope: LedgerWriteScope, entities: ConnectorManifest['entities']): Promise<SyncCounts> {
    const counts = emptyCounts();
    const at = this.clock.now();
    const { kinds, pulled } = snapshotCoverage(entities);
    for (const table of TOMBSTONE_ORDER) {
      if (!pulled[table]) continue;
      for (const sql of prepareSeenTableSql(table)) await em.query(sql);
      const [r]: { deleted: number; cascaded: number }[] = await em.query(SQL.unseen[table], [
        scope.tenantId,
        scope.connectionId,
        at,
        table === 'invoices' ? kinds : [],
      ]);
      counts[table].deleted += r.deleted;
      counts.allocations.deleted += r.cascaded;
    }
    return counts;
  }

  /** Invoices or payments; answers the external ids of the new ones that start with an allocated amount. */
  private async upsert<T>(
    em: EntityManager,
    sql: string,
    params: unknown[],
    records: T[],
    columns: (rows: T[]) => unknown[],
    into: SyncCounts[string],
  ): Promise<Set<string>> {
    const started = new Set<string>();
    for (const chunk of chunks(records, CHUNK)) {
      const [r]: StartedRow[] = await em.query(sql, [...params, ...columns(chunk)]);
      this.count(into, chunk.length, r);
      for (const id of r.started) started.add(id);
    }
    return started;
  }

  /**
   * Allocations, with the trigger's refresh of their documents done here once for the batch,
   * less the new allocations `covered` by their documents' head start (upsertAllocationsSql).
   */
  private async upsertAllocations(
    em: EntityManager,
    sql: string,
    key: unknown[],
    records: NormalizedAllocation[],
    covered: (a: NormalizedAllocation) => boolean,
    into: SyncCounts[string],
  ): Promise<void> {
    const ends = { invoices: [] as string[], payments: [] as string[] };
    await em.query(ALLOCATED_BY_CALLER_SQL, ['on']);
    for (const chunk of chunks(records, CHUNK)) {
      const [r]: AllocationsRow[] = await em.query(sql, [...key, ...allocationColumns(chunk), chunk.map(covered)]);
      this.count(into, chunk.length, r);
      ends.invoices.push(...r.invoice_ends);
      ends.payments.push(...r.payment_ends);
    }
    await em.query(ALLOCATED_BY_CALLER_SQL, ['off']);
    if (ends.invoices.length || ends.payments.length) await em.query(REFRESH_ENDS_SQL, [ends.invoices, ends.payments]);
  }

  private count(into: SyncCounts[string], records: number, r: CountRow): void {
    into.created += r.created;
    into.updated += r.updated;
    into.unchanged += records - r.created - r.updated;
  }

  private async tombstone(em: EntityManager, scope: LedgerWriteScope, deletions: Tombstone[], counts: SyncCounts): Promise<void> {
    const at = this.clock.now();
    const byTable = new Map<LedgerTable, Set<string>>();
    for (const d of deletions) {
      const table = TABLE_OF[d.entity];
      if (!byTable.has(table)) byTable.set(table, new Set());
      byTable.get(table)!.add(d.externalId);
    }
    for (const table of TOMBSTONE_ORDER) {
      const ids = byTable.get(table);
      if (!ids) continue;
      for (const chunk of chunks([...ids], CHUNK)) {
        const [r]: { deleted: number; cascaded: number }[] = await em.query(SQL.byId[table], [scope.tenantId, scope.connectionId, at, chunk]);
        counts[table].deleted += r.deleted;
        counts.allocations.deleted += r.cascaded;
      }
    }
  }
}

/**
 * One snapshot pull (e.g. a whole cumulative FEC file) in one transaction: every batch is
 * written and its external ids remembered (temp tables, dropped at commit); `finish()`
 * tombstones the connection's rows that the pull did not contain, set-based.
 */
export class LedgerSnapshot {
  private finished = false;

  constructor(
    private readonly writer: LedgerWriter,
    private readonly em: EntityManager,
    private readonly scope: LedgerWriteScope,
    private readonly entities: ConnectorManifest['entities'],
  ) {}

  write(batch: SyncBatch): Promise<SyncCounts> {
    if (this.finished) throw new Error('snapshot already finished');
    return this.writer.writeBatch(this.em, this.scope, batch, true);
  }

  /** Tombstones what the pull did not contain; answers the deleted counts. */
  async finish(): Promise<SyncCounts> {
    if (this.finished) throw new Error('snapshot already finished');
    this.finished = true;
    return this.writer.tombstoneUnseen(this.em, this.scope, this.entities);
  }
}
