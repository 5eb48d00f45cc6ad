import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { NotFoundError, ValidationError } from '../../common/errors';
import { LedgerHooks } from '../../ledger/ledger-hooks';
import { type BulkPhases, LedgerBulkWriter } from '../../ledger/ledger-bulk-writer';
import { emptyCounts, type SyncCounts, writtenTotal } from '../../ledger/sync-counts';
import type { SyncTrigger } from '../../sync/sync-run.entity';
import type { Cursor } from '../connector';
import { sha256File } from './fec-directory';
import { FecValidationError, formatProblem } from './fec-errors';
import { fileDetails, parseFecFile, ParsedFecFile } from './fec-file.source';
import type { FecStats } from './fec-ledger.types';
import { FEC_MANIFEST, fecCursor, withImportedFile } from './fec.connector';
import { DEFAULT_TERMS, resolveFecSettings } from './fec-settings';

export interface FecImportOptions {
  /** Name shown in messages and recorded in the run (default: the file's base name). */
  displayName?: string;
  trigger?: SyncTrigger;
  /** Re-import even when the file is identical to the last one imported. */
  force?: boolean;
  onProgress?: (bytes: number, total: number) => void;
  /** Filled with the milliseconds spent per phase (parse, then the bulk write's). */
  phases?: BulkPhases;
}

export interface FecImportResult {
  runId: string;
  connectionId: string;
  file: string;
  /** True when the file was identical to the last import: nothing to do. */
  unchanged: boolean;
  format: string | null;
  encoding: string | null;
  stats: FecStats | null;
  counts: SyncCounts;
  warnings: string[];
  durationMs: number;
}

/** Records built (from the parsed columns) and COPYed at a time. */
const RECORDS_PER_COPY = 2_500;

interface ConnectionRow {
  id: string;
  provider: string;
  settings: Record<string, unknown>;
  cursor: Cursor | null;
}

/**
 * Imports one FEC file into a `fec` connection (CLI, upload API): parse and validate the
 * whole file first (nothing is written when it is rejected), then write it as one snapshot
 * in one transaction — COPYed into staging tables and merged set-based (LedgerBulkWriter):
 * unchanged rows skipped, tombstones for what the file no longer holds — with the cursor,
 * and record the run.
 */
@Injectable()
export class FecImportService {
  private readonly logger = new Logger(FecImportService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly writer: LedgerBulkWriter,
    private readonly clock: Clock,
    private readonly hooks: LedgerHooks,
  ) {}

  async importFile(tenantId: string, connectionId: string, file: string, opts: FecImportOptions = {}): Promise<FecImportResult> {
    const started = Date.now();
    const conn = await this.connection(tenantId, connectionId);
    const settings = resolveFecSettings(conn.settings ?? {});
    const name = opts.displayName ?? path.basename(file);
    const runId = await this.startRun(tenantId, connectionId, opts.trigger ?? 'manual', name);
    const cursor = fecCursor(conn.cursor);
    const size = (await stat(file)).size;

    try {
      if (!opts.force && cursor.lastImport && cursor.lastImport.size === size && cursor.lastImport.sha256 === (await sha256File(file))) {
        const result = this.result(runId, connectionId, name, true, null, emptyCounts(), started);
        await this.finishRun(runId, 'succeeded', result.counts, { file: name, unchanged: true, sha256: cursor.lastImport.sha256 }, null);
        return result;
      }
      const parseStarted = Date.now();
      const parsed = await parseFecFile(file, settings, { displayName: name, onBytes: opts.onProgress ? (b) => opts.onProgress!(b, size) : undefined });
      if (opts.phases) opts.phases.parse = Date.now() - parseStarted;
      const counts = await this.write(tenantId, conn, settings.defaultTerms, parsed, name, opts.phases);
      const result = this.result(runId, connectionId, name, false, parsed, counts, started);
      const afterSync = writtenTotal(counts) > 0 ? await this.hooks.afterSync({ tenantId, connectionId, runId, counts }) : {};
      await this.finishRun(runId, 'succeeded', counts, { ...fileDetails(name, parsed), durationMs: result.durationMs, ...(Object.keys(afterSync).length ? { afterSync } : {}) }, null);
      this.logger.log({ tenantId, connectionId, runId, file: name, lines: parsed.ledger.stats.lines, durationMs: result.durationMs }, 'FEC imported');
      return result;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const details = e instanceof FecValidationError ? { file: name, problems: e.problems.map(formatProblem), truncated: e.truncated } : { file: name };
      await this.finishRun(runId, 'failed', emptyCounts(), details, { message, permanent: e instanceof FecValidationError || e instanceof ValidationError });
      throw e;
    }
  }

  /** The tenant's fec connection named `name`, created (no schedule) when missing. */
  async ensureConnection(tenantId: string, name: string): Promise<{ id: string; created: boolean }> {
    const rows: { id: string; provider: string }[] = await this.ds.query(
      `SELECT id, provider FROM connections WHERE tenant_id = $1 AND name = $2`,
      [tenantId, name],
    );
    if (rows.length) {
      if (rows[0].provider !== FEC_MANIFEST.id) throw new ValidationError([{ field: 'connection', message: `connection "${name}" is a ${rows[0].provider} connection, not fec` }]);
      return { id: rows[0].id, created: false };
    }
    const [row]: { id: string }[] = await this.ds.query(
      `INSERT INTO connections (tenant_id, provider, name, settings) VALUES ($1, 'fec', $2, $3)
       ON CONFLICT (tenant_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [tenantId, name, JSON.stringify({ defaultTerms: DEFAULT_TERMS })],
    );
    return { id: row.id, created: true };
  }

  private async write(
    tenantId: string,
    conn: ConnectionRow,
    defaultTerms: { days: number; endOfMonth: boolean },
    parsed: ParsedFecFile,
    name: string,
    phases?: BulkPhases,
  ): Promise<SyncCounts> {
    return this.ds.transaction(async (em) => {
      // One import per connection at a time (also against a scheduled sync of the same connection).
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sync:${conn.id}`]);
      const scope = { tenantId, connectionId: conn.id, defaultTerms };
      const next = withImportedFile(fecCursor(conn.cursor), { name, size: parsed.size, mtimeMs: 0, sha256: parsed.sha256 }, this.clock.now());
      const counts = await this.writer.writeSnapshot(em, scope, parsed.ledger.records(RECORDS_PER_COPY), FEC_MANIFEST.entities, phases);
      await em.query(
        `UPDATE connections SET cursor = $3, last_run_at = $4, last_success_at = $4, status = 'ok', status_reason = NULL, updated_at = now()
          WHERE tenant_id = $1 AND id = $2`,
        [tenantId, conn.id, JSON.stringify(next), this.clock.now()],
      );
      return counts;
    });
  }

  private async connection(tenantId: string, id: string): Promise<ConnectionRow> {
    const rows: ConnectionRow[] = await this.ds.query(
      `SELECT id, provider, settings, cursor FROM connections WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    if (!rows.length) throw new NotFoundError('connection', id);
    if (rows[0].provider !== FEC_MANIFEST.id) {
      throw new ValidationError([{ field: 'connection', message: `connection ${id} is a ${rows[0].provider} connection, not fec` }]);
    }
    return rows[0];
  }

  private async startRun(tenantId: string, connectionId: string, trigger: SyncTrigger, file: string): Promise<string> {
    const [row]: { id: string }[] = await this.ds.query(
      `INSERT INTO sync_runs (tenant_id, connection_id, trigger, status, started_at, details)
       VALUES ($1, $2, $3, 'running', $4, $5) RETURNING id`,
      [tenantId, connectionId, trigger, this.clock.now(), JSON.stringify({ file })],
    );
    return row.id;
  }

  private async finishRun(runId: string, status: 'succeeded' | 'failed', counts: SyncCounts, details: Record<string, unknown>, error: Record<string, unknown> | null): Promise<void> {
    await this.ds.query(`UPDATE sync_runs SET status = $2, finished_at = $3, counts = $4, details = $5, error = $6 WHERE id = $1`, [
      runId,
      status,
      this.clock.now(),
      JSON.stringify(counts),
      JSON.stringify(details),
      error ? JSON.stringify(error) : null,
    ]);
  }

  private result(runId: string, connectionId: string, file: string, unchanged: boolean, parsed: ParsedFecFile | null, counts: SyncCounts, started: number): FecImportResult {
    return {
      runId,
      connectionId,
      file,
      unchanged,
      format: parsed?.info.format ?? null,
      encoding: parsed?.info.encoding ?? null,
      stats: parsed?.ledger.stats ?? null,
      counts,
      warnings: parsed ? parsed.ledger.warnings.map(formatProblem) : [],
      durationMs: Date.now() - started,
    };
  }
}
