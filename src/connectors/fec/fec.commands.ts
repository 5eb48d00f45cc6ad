import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import * as path from 'node:path';
import { CliError, printJson, withApp } from '../../cli/cli-context';
import { formatMinor } from '../../common/money';
import { FecValidationError } from './fec-errors';
import { FecBalancesService } from './fec-balances.service';
import { FecImportResult, FecImportService } from './fec-import.service';

/** `fec import` and `report balances`. */
export function registerFecCommands(program: Command): void {
  const fec = program.command('fec').description('French FEC files (Fichier des Écritures Comptables)');
  fec
    .command('import <file>')
    .description('import a FEC file (text or XML) into a fec connection, as one snapshot')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--connection <name>', 'fec connection name (created when missing)', 'fec')
    .option('--force', 're-import even when the file is identical to the last import')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: { tenant: string; connection: string; force?: boolean; json?: boolean }) => {
      const bar = !opts.json && process.stderr.isTTY ? new SingleBar({ format: 'importing {bar} {percentage}% | {value}/{total} bytes', stream: process.stderr }) : null;
      let started = false;
      const result = await withApp(async (app) => {
        const service = app.get(FecImportService);
        const conn = await service.ensureConnection(opts.tenant, opts.connection);
        try {
          return await service.importFile(opts.tenant, conn.id, path.resolve(file), {
            displayName: path.basename(file),
            trigger: 'manual',
            force: opts.force,
            onProgress: bar
              ? (done, total) => {
                  if (!started) {
                    bar.start(total, 0);
                    started = true;
                  }
                  bar.update(done);
                }
              : undefined,
          });
        } catch (e) {
          if (e instanceof FecValidationError) throw new CliError(e.message, 65);
          throw e;
        } finally {
          if (started) bar!.stop();
        }
      });
      if (opts.json) printJson(summary(result));
      else process.stdout.write(humanSummary(result));
    });

  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report').description('reports on the ledger');
  report
    .command('balances')
    .description('outstanding per customer of a connection: [{"customerRef","name","currency","outstandingMinor"}]')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--connection <name>', 'connection name', 'fec')
    .option('--json', 'JSON output')
    .action(async (opts: { tenant: string; connection: string; json?: boolean }) => {
      const rows = await withApp((app) => app.get(FecBalancesService).byConnectionName(opts.tenant, opts.connection));
      if (opts.json) printJson(rows);
      else for (const r of rows) process.stdout.write(`${r.customerRef.padEnd(20)} ${formatMinor(r.outstandingMinor, r.currency).padStart(16)} ${r.currency}  ${r.name}\n`);
    });
}

function summary(r: FecImportResult): Record<string, unknown> {
  const s = r.stats;
  return {
    runId: r.runId,
    connectionId: r.connectionId,
    file: r.file,
    unchanged: r.unchanged,
    format: r.format,
    encoding: r.encoding,
    lines: s?.lines ?? 0,
    entries: s?.entries ?? 0,
    customers: s?.customers ?? 0,
    invoices: s?.invoices ?? 0,
    creditNotes: s?.creditNotes ?? 0,
    payments: s?.payments ?? 0,
    openingItems: s?.openingItems ?? 0,
    allocations: s?.allocations ?? 0,
    warnings: r.warnings,
    counts: r.counts,
    durationMs: r.durationMs,
  };
}

function humanSummary(r: FecImportResult): string {
  if (r.unchanged) return `${r.file}: identical to the last import, nothing to do (use --force to re-import).\n`;
  const s = r.stats!;
  const lines = [
    `${r.file}: imported (${r.format}, ${r.encoding}) in ${Math.round(r.durationMs / 100) / 10} s`,
    `  lines ${s.lines}, entries ${s.entries}, customers ${s.customers}`,
    `  invoices ${s.invoices}, credit notes ${s.creditNotes}, payments ${s.payments}, opening items ${s.openingItems}, allocations ${s.allocations}`,
    `  ledger: ${Object.entries(r.counts).map(([t, c]) => `${t} +${c.created} ~${c.updated} =${c.unchanged} -${c.deleted}`).join(', ')}`,
    `  warnings ${r.warnings.length}`,
    ...r.warnings.slice(0, 20).map((w) => `    ${w}`),
  ];
  if (r.warnings.length > 20) lines.push(`    … ${r.warnings.length - 20} more (see --json)`);
  return lines.join('\n') + '\n';
}
