import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '../config/app-config';

/**
 * The master key from config; outside production, when none is set, one is generated
 * once into `<DATA_DIR>/master.key` (mode 600) and reused, with a warning.
 */
export async function resolveMasterKey(config: AppConfig, warn: (msg: string) => void): Promise<string> {
  if (config.masterKey) return config.masterKey;
  if (config.env === 'production') throw new Error('MASTER_KEY is required in production');
  const file = path.join(path.resolve(config.dataDir), 'master.key');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const key = randomBytes(32).toString('base64');
    await fs.writeFile(file, `${key}\n`, { mode: 0o600 });
    warn(`MASTER_KEY is not set: generated one into ${file}. Set MASTER_KEY in production and keep it safe.`);
    return key;
  }
}
