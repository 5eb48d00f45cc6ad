import pino from 'pino';
import type { AppConfig } from './common/config/app-config';
import { resolveMasterKey } from './common/crypto/master-key';
import { resolveDatabase } from './common/database/database';
import { runMigrations } from './common/database/data-source';
import type { EmbeddedDatabase } from './common/database/embedded-postgres';
import { REDACT_PATHS } from './common/logging';

export interface Runtime {
  config: AppConfig;
  db: EmbeddedDatabase;
  masterKey: string;
  log: pino.Logger;
}

/**
 * What must exist before Nest starts: the database (external or embedded), its schema
 * up to date, and the master key.
 */
export async function prepareRuntime(config: AppConfig, opts: { quiet?: boolean } = {}): Promise<Runtime> {
  // Quiet (the CLI): warnings only, on stderr, so stdout keeps the command's own output (JSON, CSV).
  const options = { level: opts.quiet ? 'warn' : config.logLevel, redact: REDACT_PATHS, base: { service: 'ledgerbridge' } };
  const log = opts.quiet ? pino(options, pino.destination(2)) : pino(options);
  const db = await resolveDatabase(config, (m) => log.info(m));
  try {
    const applied = await runMigrations(db.url);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');
    const masterKey = await resolveMasterKey(config, (m) => log.warn(m));
    return { config, db, masterKey, log };
  } catch (e) {
    await db.stop();
    throw e;
  }
}
