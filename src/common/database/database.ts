import type { AppConfig } from '../config/app-config';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';

/**
 * The database the process uses: `DATABASE_URL` when set, otherwise the embedded
 * PostgreSQL in `DATA_DIR` (started here, or reused when already running).
 */
export async function resolveDatabase(config: AppConfig, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, owned: false, stop: async () => undefined };
  }
  return startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
}
