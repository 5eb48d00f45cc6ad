import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { CliError, printJson, withApp } from '../cli/cli-context';
import { DomainError } from '../common/errors';
import { formatMinor } from '../common/money';
import { DunningRunsService } from './engine/dunning-runs.service';
import { BouncesService, MAX_BOUNCE_BYTES } from './outbox/bounces.service';
import type { RunResult, SyncedFirst } from './engine/run-result';
import { DunningStatusService } from './timeline/dunning-status.service';

async function run<T>(fn: Parameters<typeof withApp<T>>[0]): Promise<T> {
  try {
    return await withApp(fn);
  } catch (e) {
    if (e instanceof DomainError) throw new CliError(e.message, e.status === 404 ? 4 : 2);
    throw e;
  }
}

function text(r: RunResult & { syncedFirst: SyncedFirst[]; delivery: unknown }): string {
  const out = r.syncedFirst.map((s) => `synced first: ${s.name} (${s.connectionId}) ${s.status}${s.error ? `: ${s.error}` : ''}`);
  out.push(`${r.dryRun ? 'Dry run' : `Run ${r.runId}`} as of ${r.asOf}: ${r.counts.messages} message(s), ${r.counts.reminders} reminder(s) on ${r.counts.invoices} invoice(s), ${r.counts.pendingApproval} awaiting approval, ${r.counts.heldCustomers} customer(s) held`);
  for (const m of r.messages) {
    out.push(`  ${m.customerId}  ${m.channel.padEnd(6)} ${m.stepKey.padEnd(14)} ${m.status}`);
    for (const i of m.invoices) {
      const pen = i.interestMinor !== null ? `  interest ${formatMinor(BigInt(i.interestMinor), i.currency)} + indemnity ${formatMinor(BigInt(i.indemnityMinor ?? 0), i.currency)}` : '';
      out.push(`      ${i.number.padEnd(16)} due ${i.dueDate}  ${formatMinor(BigInt(i.outstandingMinor), i.currency)} ${i.currency}${pen}`);
    }
  }
  for (const h of r.held) out.push(`  held: ${h.customerId} (${h.reason}, ${h.invoices} invoice(s))`);
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  return `${out.join('\n')}\n`;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** `dunning run`, `dunning bounce` and `report dunning-status`. */
export function registerDunningCommands(program: Command): void {
  const dunning = program.commands.find((c) => c.name() === 'dunning') ?? program.command('dunning').description('dunning (reminders)');
  dunning
    .command('run')
    .description('plan the reminders due, write them to the outbox and deliver them (--dry-run: show what would be sent, change nothing)')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--as-of <date>', 'YYYY-MM-DD (default: today in the tenant timezone)')
    .option('--dry-run', 'plan only: customers, invoices, steps, channels, amounts, penalties')
    .option('--json', 'JSON output (the API shape)')
    .action(async (opts: { tenant: string; asOf?: string; dryRun?: boolean; json?: boolean }) => {
      if (opts.asOf && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new CliError('--as-of must be YYYY-MM-DD');
      const r = await run((app) => app.get(DunningRunsService).run(opts.tenant, { asOf: opts.asOf, dryRun: !!opts.dryRun, trigger: 'cli', actor: 'cli' }));
      if (opts.json) printJson(r);
      else process.stdout.write(text(r));
    });

  dunning
    .command('bounce [file]')
    .description('record a bounce (delivery status notification) of a reminder e-mail, from a file or standard input (an MTA pipe)')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'JSON output (the API shape)')
    .action(async (file: string | undefined, opts: { tenant: string; json?: boolean }) => {
      const raw = file ? await readFile(file) : await readStdin();
      if (raw.length > MAX_BOUNCE_BYTES) throw new CliError(`a bounce is at most ${MAX_BOUNCE_BYTES} bytes`);
      const r = await run((app) => app.get(BouncesService).record(opts.tenant, raw.toString('utf8'), 'cli'));
      if (opts.json) printJson(r);
      else for (const o of r.outcomes) process.stdout.write(`${o.messageId}  ${o.outcome}: ${o.reason}\n`);
    });

  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report').description('reports on the ledger');
  report
    .command('dunning-status')
    .description('every dunning event (sent, failed, promise, dispute, pause...) per invoice, for sources without write-back')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--since <date>', 'YYYY-MM-DD')
    .option('--csv', 'CSV output (default: JSON)')
    .action(async (opts: { tenant: string; since?: string; csv?: boolean }) => {
      const out = await run(async (app) => {
        const svc = app.get(DunningStatusService);
        const lines = await svc.lines(opts.tenant, opts.since);
        return opts.csv ? svc.csv(lines) : `${JSON.stringify({ items: lines }, null, 2)}\n`;
      });
      process.stdout.write(out);
    });
}
