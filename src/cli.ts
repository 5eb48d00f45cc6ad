import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerDbCommands } from './cli/db.commands';
import { CliError } from './cli/cli-context';
import { registerTenantCommands } from './cli/tenant.commands';
import { ConfigError } from './common/config/app-config';
import { registerFecCommands } from './connectors/fec/fec.commands';
import { registerReportCommands } from './dunning/analytics/report.commands';
import { registerDunningCommands } from './dunning/dunning.commands';
import { registerSyncCommands } from './sync/sync.commands';

/** The `ledgerbridge` command line: the service's modules without HTTP. */
export function buildProgram(): Command {
  const program = new Command('ledgerbridge')
    .description('Ledgerbridge: receivables ledger and credit management. Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR.')
    .showHelpAfterError()
    .exitOverride();
  registerTenantCommands(program);
  registerDbCommands(program);
  registerFecCommands(program);
  registerReportCommands(program);
  registerDunningCommands(program);
  registerSyncCommands(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
    process.exit(0);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    if (e instanceof CliError || e instanceof ConfigError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(e instanceof CliError ? e.exitCode : 78);
    }
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

void main(process.argv);
