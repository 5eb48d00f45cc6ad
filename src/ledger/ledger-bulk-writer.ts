import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import type { ConnectorManifest, SyncBatch } from '../connectors/connector';
import {
  BULK_TEMP_TABLES_SQL,
  copyStagingSql,
  createStagingSql,
  HEAD_START_SQL,
  MERGE_ALLOCATIONS_SQL,
  MERGE_CUSTOMERS_SQL,
  MERGE_INVOICES_SQL,
  MERGE_PAYMENTS_SQL,
  REFRESH_DIRTY_SQL,
} from './ledger-bulk.query';
import { allocationLine, CopyWriter, customerLine, invoiceLine, paymentLine } from './ledger-copy';
import {
  LINK_ALLOCATION_CREDIT_NOTES,
  LINK_ALLOCATION_INVOICES,
  LINK_ALLOCATION_PAYMENTS,
  LINK_INVOICE_CUSTOMERS,
  LINK_PAYMENT_CUSTOMERS,
  REDERIVE_DUE_DATES,
} from './ledger-links.query';
import { tombstoneSql } from './ledger-tombstone.query';
import { ALLOCATED_BY_CALLER_SQL } from './ledger-upsert.query';
import { snapshotCoverage, TOMBSTONE_ORDER, type LedgerWriteScope } from './ledger-writer';
import { validateBatch } from './record-validation';
import { emptyCounts, LEDGER_TABLES, type LedgerTable, type SyncCounts } from './sync-counts';

/** The records of a snapshot, some of them at a time (any kinds, any order). */
export type LedgerRecords = Pick<SyncBatch, 'customers' | 'invoices' | 'payments' | 'allocations'>;

/** Rows created in a table by one snapshot before its planner statistics are refreshed. */
const ANALYZE_MIN = 5_000;

/** work_mem of a bulk snapshot's transaction. */
const WORK_MEM = '64MB';

/** The staging columns the merges join on: the only ones whose statistics matter. */
const STAGING_JOIN_COLUMNS: Record<LedgerTable, string> = {
  customers: 'external_id',
  invoices: 'external_id, customer_external_id',
  payments: 'external_id, customer_external_id',
  allocations: 'external_id, invoice_external_id, payment_external_id, credit_note_external_id',
};

/** Time spent per phase of the last snapshot written (milliseconds), for benchmarks and logs. */
export type BulkPhases = Record<string, number>;

/**
 * Writes a whole snapshot (e.g. a FEC file) set-based, inside the caller's transaction:
 * the records are streamed into staging tables with COPY, then merged into the ledger one
 * statement per table (ledger-bulk.query.ts), with exactly the writer's semantics: content
 * hash comparison (unchanged rows are not touched), tombstones cleared by a re-sent row,
 * references resolved by external id, missing due dates derived from terms, late links,
 * tombstones of what the snapshot does not contain (with their allocations), per-table
 * counts. `allocated_minor`: new documents are inserted with what the snapshot's allocations
 * give them, and the allocations statement leaves to one refresh at its end only the
 * documents that needs (see MERGE_ALLOCATIONS_SQL); every other statement fires the triggers
 * as the writer's do.
 */
@Injectable()
export class LedgerBulkWriter {
  constructor(private readonly clock: Clock) {}

  async writeSnapshot(
    em: EntityManager,
    scope: LedgerWriteScope,
    records: Iterable<LedgerRecords>,
    entities: ConnectorManifest['entities'],
    phases: BulkPhases = {},
  ): Promise<SyncCounts> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('a bulk snapshot needs a transaction (EntityManager of manager.transaction)');
    const time = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      try {
        return await fn();
      } finally {
        phases[phase] = (phases[phase] ?? 0) + Date.now() - t0;
      }
    };
    // Hash joins and materialized CTEs over a whole file's rows stay in memory (transaction-local).
    await em.query(`SET LOCAL work_mem = '${WORK_MEM}'`);
    for (const t of LEDGER_TABLES) await em.query(createStagingSql(t));
    for (const sql of BULK_TEMP_TABLES_SQL) await em.query(sql);
    const staged = await time('copy', () => this.stage(em, records));
    await time('analyze staging', async () => {
      for (const t of LEDGER_TABLES) await em.query(`ANALYZE pg_temp.lb_seen_${t} (${STAGING_JOIN_COLUMNS[t]})`);
    });

    const counts = emptyCounts();
    const key = [scope.tenantId, scope.connectionId];
    const terms = [scope.defaultTerms?.days ?? null, scope.defaultTerms?.endOfMonth ?? false];
    const [c]: { created: number; updated: string[] }[] = await time('customers', () => em.query(MERGE_CUSTOMERS_SQL, key));
    counts.customers.created = c.created;
    counts.customers.updated = c.updated.length;
    if (c.created >= ANALYZE_MIN) await time('analyze', () => em.query(`ANALYZE customers`));
    if (c.updated.length) await time('customers', () => em.query(REDERIVE_DUE_DATES, [...key, ...terms, c.updated]));

    await time('head start', () => em.query(HEAD_START_SQL));
    const merge = async (table: LedgerTable, sql: string, params: unknown[]) => {
      const [r]: { created: number; updated: number }[] = await time(table, () => em.query(sql, params));
      counts[table].created = r.created;
      counts[table].updated = r.updated;
      // Fresh statistics for the statements that join this table next (and for reports after the commit).
      if (r.created >= ANALYZE_MIN) await time('analyze', () => em.query(`ANALYZE ${table}`));
    };
    await merge('invoices', MERGE_INVOICES_SQL, [...key, ...terms]);
    await merge('payments', MERGE_PAYMENTS_SQL, key);
    await em.query(ALLOCATED_BY_CALLER_SQL, ['on']);
    await merge('allocations', MERGE_ALLOCATIONS_SQL, key);
    await em.query(ALLOCATED_BY_CALLER_SQL, ['off']);
    await time('refresh allocated', () => em.query(REFRESH_DIRTY_SQL));
    for (const t of LEDGER_TABLES) counts[t].unchanged = staged[t] - counts[t].created - counts[t].updated;

    // References that arrived after the rows pointing to them (rows written before this snapshot).
    await time('links', async () => {
      if (counts.customers.created) {
        await em.query(LINK_INVOICE_CUSTOMERS, [...key, ...terms]);
        await em.query(LINK_PAYMENT_CUSTOMERS, key);
      }
      if (counts.invoices.created) {
        await em.query(LINK_ALLOCATION_INVOICES, key);
        await em.query(LINK_ALLOCATION_CREDIT_NOTES, key);
      }
      if (counts.payments.created) await em.query(LINK_ALLOCATION_PAYMENTS, key);
    });

    await time('tombstones', () => this.tombstoneUnseen(em, scope, entities, counts));
    return counts;
  }

  /**
   * Tombstones the connection's rows the snapshot does not contain (the writer's statements,
   * children first), against the staging tables, whose statistics are already fresh.
   */
  private async tombstoneUnseen(em: EntityManager, scope: LedgerWriteScope, entities: ConnectorManifest['entities'], counts: SyncCounts): Promise<void> {
    const at = this.clock.now();
    const { kinds, pulled } = snapshotCoverage(entities);
    for (const table of TOMBSTONE_ORDER) {
      if (!pulled[table]) continue;
      const [r]: { deleted: number; cascaded: number }[] = await em.query(tombstoneSql(table, 'unseen'), [
        scope.tenantId,
        scope.connectionId,
        at,
        table === 'invoices' ? kinds : [],
      ]);
      counts[table].deleted += r.deleted;
      counts.allocations.deleted += r.cascaded;
    }
  }

  /** COPYs the records into the staging tables; answers how many rows each received. */
  private async stage(em: EntityManager, records: Iterable<LedgerRecords>): Promise<Record<LedgerTable, number>> {
    const staged: Record<LedgerTable, number> = { customers: 0, invoices: 0, payments: 0, allocations: 0 };
    const client = (await em.queryRunner!.connect()) as PoolClient;
    const copy = new CopyWriter(client, copyStagingSql);
    const put = async <T>(table: LedgerTable, rows: T[] | undefined, line: (r: T) => string) => {
      if (!rows?.length) return;
      let text = '';
      for (const r of rows) text += line(r);
      await copy.write(table, text);
      staged[table] += rows.length;
    };
    try {
      for (const batch of records) {
        validateBatch({ ...batch, cursor: null });
        await put('customers', batch.customers, customerLine);
        await put('invoices', batch.invoices, invoiceLine);
        await put('payments', batch.payments, paymentLine);
        await put('allocations', batch.allocations, allocationLine);
      }
      await copy.end();
    } catch (e) {
      await copy.abort(e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
    return staged;
  }
}
