import { Injectable } from '@nestjs/common';
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import * as path from 'node:path';
import type { Connector, ConnectorManifest, Cursor, PullContext, SyncBatch } from '../connector';
import { PermanentSyncError } from '../connector';
import { fecLedgerBatches } from './fec-batches';
import { changedFiles, SeenFile } from './fec-directory';
import { FecValidationError } from './fec-errors';
import { fileDetails, parseFecFile } from './fec-file.source';
import { FecSettings, resolveFecSettings } from './fec-settings';

export const FEC_MANIFEST: ConnectorManifest = {
  id: 'fec',
  displayName: 'FEC (Fichier des Écritures Comptables)',
  entities: ['customers', 'invoices', 'credit_notes', 'payments', 'allocations'],
  mode: 'snapshot',
  writeBack: false,
  auth: 'none',
  settingsSchema: FecSettings,
};

/** The cursor of a fec connection: the files already imported. */
export interface FecCursor {
  files: SeenFile[];
  lastImport?: SeenFile & { importedAt: string };
}

export function fecCursor(cursor: Cursor | null): FecCursor {
  const files = Array.isArray(cursor?.files) ? (cursor!.files as SeenFile[]) : [];
  return { files, lastImport: cursor?.lastImport as FecCursor['lastImport'] };
}

/** Remembers `file` in the cursor (replacing an older entry of the same name). */
export function withImportedFile(cursor: FecCursor, file: SeenFile, at: Date): FecCursor {
  return { files: [...cursor.files.filter((f) => f.name !== file.name), file], lastImport: { ...file, importedAt: at.toISOString() } };
}

/**
 * FEC connector. A FEC file is the complete state of a fiscal year's books (snapshot mode):
 * the whole import is written in one transaction and what the file no longer holds is
 * tombstoned. Scheduled/manual syncs import, from `settings.directory`, the newest file
 * matching `settings.pattern` that is new or changed since the cursor (older changed files
 * are superseded by it: a cumulative FEC contains them). Uploads and the CLI go through
 * FecImportService with the same parsing and mapping.
 */
@Injectable()
export class FecConnector implements Connector {
  readonly manifest = FEC_MANIFEST;

  async *pull(ctx: PullContext, cursor: Cursor | null): AsyncIterable<SyncBatch> {
    const settings = resolveFecSettings(ctx.settings);
    if (!settings.directory) {
      throw new PermanentSyncError('this fec connection watches no directory (settings.directory); upload files instead');
    }
    const current = fecCursor(cursor);
    const changed = await changedFiles(settings.directory, settings.pattern, current.files);
    // Nothing new: no batch at all (a snapshot of nothing would tombstone the ledger).
    if (!changed.length) return;
    const file = changed[changed.length - 1];
    ctx.logger.log({ connectionId: ctx.connectionId, file: file.name }, 'importing FEC file');
    let parsed;
    try {
      parsed = await parseFecFile(path.join(settings.directory, file.name), settings, {
        onBytes: ctx.progress ? (b) => ctx.progress!(b, file.size) : undefined,
      });
    } catch (e) {
      if (e instanceof FecValidationError) throw new PermanentSyncError(e.message, { cause: e });
      throw e;
    }
    let next = withImportedFile(current, { ...file, sha256: parsed.sha256 }, ctx.clock.now());
    for (const older of changed.slice(0, -1)) next = { ...next, files: [...next.files.filter((f) => f.name !== older.name), older] };
    const details = { files: [file.name], superseded: changed.slice(0, -1).map((f) => f.name), ...fileDetails(file.name, parsed) };
    yield* fecLedgerBatches(parsed.ledger, next as unknown as Cursor, details);
  }

  async testConnection(ctx: PullContext): Promise<void> {
    const settings = resolveFecSettings(ctx.settings);
    if (!settings.directory) return;
    try {
      await access(settings.directory, constants.R_OK);
    } catch {
      throw new PermanentSyncError(`directory ${settings.directory} is not readable`);
    }
  }
}
