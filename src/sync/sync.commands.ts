import type { INestApplicationContext } from '@nestjs/common';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { CliError, printJson, withApp } from '../cli/cli-context';
import { seenTotal, type SyncCounts } from '../ledger/sync-counts';
import { ConnectionsService } from './connections.service';
import { SyncRunner, type RunOutcome, type RunOptions } from './sync-runner';
import { SyncRunsService } from './sync-runs.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One run of a connection (by id or name) in this process, now: the same runner and
 * bookkeeping as the workers (run history, cursor, counts), no queue. A run already queued or
 * running elsewhere is refused. Transient errors fail the run instead of re-queuing it.
 */
export async function syncInForeground(
  app: INestApplicationContext,
  tenantId: string,
  connection: string,
  opts: Pick<RunOptions, 'onBatch' | 'onProgress' | 'signal'> = {},
): Promise<{ runId: string; outcome: RunOutcome }> {
  const connections = app.get(ConnectionsService);
  const conn = UUID.test(connection) ? await connections.get(tenantId, connection) : await connections.findByName(tenantId, connection);
  if (!conn) throw new CliError(`no connection named "${connection}" in tenant ${tenantId}`, 66);
  const { runId, created } = await app.get(SyncRunsService).request(tenantId, conn.id, 'manual', { enqueue: false });
  if (!created) throw new CliError(`a run of this connection is already queued or running (${runId}); see GET /v1/sync-runs/${runId}`, 75);
  const outcome = await app.get(SyncRunner).execute({ runId, tenantId, connectionId: conn.id }, { ...opts, retry: false });
  return { runId, outcome };
}

export function registerSyncCommands(program: Command): void {
  program
    .command('sync <connection>')
    .description('run a sync of a connection (id or name) now, in the foreground, with progress')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print the run (id, status, counts) as JSON')
    .action(async (connection: string, opts: { tenant: string; json?: boolean }) => {
      const bar = !opts.json && process.stderr.isTTY
        ? new SingleBar({ format: 'syncing {bar} {percentage}% | page {value}/{total} | {records} records', stream: process.stderr })
        : null;
      let barTotal: number | undefined;
      let records = 0;
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const { runId, outcome } = await withApp((app) =>
          syncInForeground(app, opts.tenant, connection, {
            signal: stop.signal,
            onBatch: (total: SyncCounts, batches: number) => {
              records = seenTotal(total);
              if (bar && barTotal !== undefined) bar.update(batches, { records });
              else if (!opts.json) process.stderr.write(`batch ${batches}: ${records} records\n`);
            },
            onProgress: (done, total) => {
              if (!bar || total === undefined) return;
              if (barTotal === undefined) bar.start((barTotal = total), 0, { records });
              bar.update(done, { records });
            },
          }),
        );
        bar?.stop();
        if (opts.json) printJson({ runId, ...outcome });
        else process.stdout.write(describe(runId, outcome));
        if (outcome.status === 'failed') throw new CliError(`sync failed: ${outcome.error}`, outcome.permanent ? 65 : 75);
        if (outcome.status === 'interrupted') throw new CliError('interrupted; the next run resumes from the saved cursor', 130);
      } finally {
        bar?.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function describe(runId: string, o: RunOutcome): string {
  const lines = [`run ${runId}: ${o.status}`];
  if ('counts' in o) {
    for (const [entity, c] of Object.entries(o.counts)) {
      lines.push(`  ${entity.padEnd(12)} created ${c.created}  updated ${c.updated}  unchanged ${c.unchanged}  deleted ${c.deleted}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
