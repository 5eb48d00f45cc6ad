import type { Command } from 'commander';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../common/config/app-config';
import { dataSourceOptions } from '../common/database/data-source';
import { writeMigration } from '../common/database/schema-diff';
import { prepareRuntime } from '../runtime';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database schema');
  db.command('migrate')
    .description('apply pending migrations (the service also does this at start)')
    .action(async () => {
      const rt = await prepareRuntime(loadConfig(), { quiet: true });
      await rt.db.stop();
      process.stdout.write('Database schema is up to date.\n');
    });
  db.command('generate-migration <name>')
    .description('(development) write a migration for the difference between the entities and the migrated schema')
    .option('--dir <dir>', 'migrations folder', 'src/common/database/migrations')
    .action(async (name: string, opts: { dir: string }) => {
      const rt = await prepareRuntime(loadConfig(), { quiet: true });
      const ds = new DataSource(dataSourceOptions(rt.db.url, 2));
      try {
        await ds.initialize();
        const file = await writeMigration(ds, name, path.resolve(opts.dir));
        process.stdout.write(file ? `Wrote ${file}\n` : 'Entities and migrations agree: nothing to generate.\n');
      } finally {
        await ds.destroy();
        await rt.db.stop();
      }
    });
}
