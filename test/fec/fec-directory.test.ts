import { Logger } from '@nestjs/common';
import { copyFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Cursor, PullContext, SyncBatch } from '../../src/connectors/connector';
import { PermanentSyncError } from '../../src/connectors/connector';
import { FecConnector } from '../../src/connectors/fec/fec.connector';
import { TestClock } from '../helpers/clock';
import { FIXTURES, SAMPLES } from './fec-helpers';

/** Directory watching through the connector's pull(), as the sync runner calls it. */
describe('FEC connector: directory watch (pull)', () => {
  const connector = new FecConnector();
  const clock = new TestClock(new Date('2026-02-01T06:00:00Z'));
  let dir: string;

  const ctx = (settings: Record<string, unknown>): PullContext => ({
    tenantId: 't',
    connectionId: 'c',
    settings,
    credentials: null,
    saveCredentials: async () => undefined,
    signal: new AbortController().signal,
    logger: new Logger('fec-test'),
    clock,
  });

  async function pull(settings: Record<string, unknown>, cursor: Cursor | null): Promise<SyncBatch[]> {
    const out: SyncBatch[] = [];
    for await (const b of connector.pull(ctx(settings), cursor)) out.push(b);
    return out;
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lb-fec-watch-'));
  });

  it('imports the files that are new or changed since the cursor, and records which one', async () => {
    const settings = { directory: dir, pattern: '*.txt' };
    copyFileSync(path.join(FIXTURES, 'cumul-2024-01.txt'), path.join(dir, 'FEC-2024-01.txt'));
    writeFileSync(path.join(dir, 'notes.md'), 'not a FEC');
    utimesSync(path.join(dir, 'FEC-2024-01.txt'), new Date('2024-02-01T00:00:00Z'), new Date('2024-02-01T00:00:00Z'));

    const first = await pull(settings, null);
    const last = first[first.length - 1];
    expect(first.flatMap((b) => b.invoices ?? []).map((i) => i.number)).toEqual(['FA1', 'FA2', 'FA3']);
    expect(first.flatMap((b) => b.customers ?? []).map((c) => c.externalId)).toEqual(['C1', 'C2']);
    expect(last.details).toMatchObject({ files: ['FEC-2024-01.txt'], superseded: [], format: 'text', stats: { lines: 6, invoices: 3 } });
    const cursor = last.cursor as { files: { name: string; size: number }[] };
    expect(cursor.files.map((f) => [f.name, f.size])).toEqual([['FEC-2024-01.txt', 789]]);

    // Nothing new: no batch (a snapshot of nothing must not tombstone the ledger).
    expect(await pull(settings, last.cursor)).toEqual([]);

    // February's cumulative file arrives, January's is rewritten too: the newest wins.
    copyFileSync(path.join(FIXTURES, 'cumul-2024-02.txt'), path.join(dir, 'FEC-2024-02.txt'));
    utimesSync(path.join(dir, 'FEC-2024-02.txt'), new Date('2024-03-01T00:00:00Z'), new Date('2024-03-01T00:00:00Z'));
    writeFileSync(path.join(dir, 'FEC-2024-01.txt'), '');
    utimesSync(path.join(dir, 'FEC-2024-01.txt'), new Date('2024-02-15T00:00:00Z'), new Date('2024-02-15T00:00:00Z'));
    const second = await pull(settings, last.cursor);
    const done = second[second.length - 1];
    expect(second.flatMap((b) => b.invoices ?? []).map((i) => i.number)).toEqual(['FA1', 'FA2', 'FA4']);
    expect(done.details).toMatchObject({ files: ['FEC-2024-02.txt'], superseded: ['FEC-2024-01.txt'] });
    expect((done.cursor as { files: { name: string }[] }).files.map((f) => f.name).sort()).toEqual(['FEC-2024-01.txt', 'FEC-2024-02.txt']);
    expect(await pull(settings, done.cursor)).toEqual([]);
  });

  it('fails permanently on a bad file, listing its problems', async () => {
    copyFileSync(path.join(FIXTURES, 'bad.txt'), path.join(dir, 'bad.txt'));
    const err = await pull({ directory: dir }, null).catch((e) => e);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect(err.message).toContain('bad.txt:2: Debit: not an amount: "12,3x"');
  });

  it('imports the real samples from a watched directory', async () => {
    copyFileSync(path.join(SAMPLES, 'lsn_sample_pipe.txt'), path.join(dir, 'lsn_sample_pipe.txt'));
    const batches = await pull({ directory: dir, pattern: 'LSN_*.TXT' }, null);
    expect(batches.flatMap((b) => b.invoices ?? []).map((i) => [i.customerExternalId, i.totalMinor])).toEqual([['C002', 250000n]]);
  });

  it('needs a directory to watch, and a readable one', async () => {
    await expect(pull({}, null)).rejects.toThrow('this fec connection watches no directory');
    await expect(connector.testConnection(ctx({ directory: path.join(dir, 'missing') }))).rejects.toThrow('is not readable');
    await expect(connector.testConnection(ctx({ directory: dir }))).resolves.toBeUndefined();
  });
});
