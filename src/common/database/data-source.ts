import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * Session settings of every connection, embedded or external. JIT off: the receivables
 * reports are single-pass aggregations whose (high) cost estimates made PostgreSQL spend
 * more time compiling them than running them (3.2 s of 5.7 s for the aged balance over
 * 200,000 invoices). More memory per sort and hash than the 4 MB default, so that grouping
 * a few hundred thousand documents stays off disk.
 */
export const SESSION_OPTIONS = '-c jit=off -c work_mem=32MB';

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, application_name: 'ledgerbridge', options: SESSION_OPTIONS },
  };
}

/** Applies pending migrations; returns the names applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
