import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/common/database/embedded-postgres';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { httpGet, runCli, startService } from '../helpers/processes';

/** The built service and CLI as a user runs them (`npm start`, `npx ledgerbridge`). */
describe('service and CLI processes', () => {
  it('runs on an embedded PostgreSQL, shares it with the CLI, stops cleanly and keeps the data', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lb-proc-'));
    const env = { DATA_DIR: dataDir };
    const port = await freePort();
    const started = Date.now();
    const svc = await startService({ ...env, LOG_LEVEL: 'debug' }, port);
    const bootMs = Date.now() - started;
    expect(bootMs).toBeLessThan(60_000);

    // The CLI reuses the server the service started for the same data directory.
    const created = runCli(['tenant', 'create', 'Acme SAS', '--json'], env);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const { tenantId, apiKey } = JSON.parse(created.stdout) as { tenantId: string; apiKey: string };
    expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(apiKey).toMatch(/^lb_/);

    const res = await httpGet(`http://127.0.0.1:${port}/v1/connections`, { Authorization: `Bearer ${apiKey}`, 'x-request-id': 'req-abc-123' });
    expect(res.status).toBe(200);
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    const pgPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);

    expect(await svc.stop('SIGTERM')).toBe(0);
    const logs = svc.output();
    expect(logs).toContain('stopped cleanly');
    expect(logs).toContain('req-abc-123');
    // Secrets never reach the logs: the API key travelled in a header of a logged request.
    expect(logs).not.toContain(apiKey);
    expect(existsSync(pidFile)).toBe(false);
    expect(() => process.kill(pgPid, 0)).toThrow();

    // Without the service, the CLI starts the embedded server itself, finds the data, stops it.
    const listed = runCli(['tenant', 'list', '--json'], env);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ tenantId, name: 'Acme SAS' })]);
    expect(existsSync(pidFile)).toBe(false);

    // A second start finds the data again.
    const svc2 = await startService(env, port);
    const again = await httpGet(`http://127.0.0.1:${port}/v1/connections`, { Authorization: `Bearer ${apiKey}` });
    expect(again.status).toBe(200);
    expect(await svc2.stop('SIGINT')).toBe(0);
  }, 180_000);

  describe('with DATABASE_URL', () => {
    let db: TestDatabase;
    beforeAll(async () => (db = await createTestDatabase()));
    afterAll(() => db.drop());

    it('uses that server and never starts an embedded one', async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'lb-ext-'));
      const env = { DATA_DIR: dataDir, DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
      // The CLI first, on a data directory with no master key: the warning that one was
      // generated goes to stderr, stdout stays the JSON a script reads.
      const created = runCli(['tenant', 'create', 'Ext', '--json'], env);
      expect(created.status).toBe(0);
      expect(created.stderr).toContain('MASTER_KEY is not set');
      const { tenantId } = JSON.parse(created.stdout);
      const svc = await startService(env, await freePort());
      expect(existsSync(path.join(dataDir, 'pg'))).toBe(false);
      expect(await svc.stop()).toBe(0);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('SELECT name FROM tenants WHERE id = $1', [tenantId]);
      await client.end();
      expect(rows).toEqual([{ name: 'Ext' }]);
    }, 120_000);
  });

  it('lists every configuration problem and exits', () => {
    const res = runCli(['tenant', 'list'], { PORT: 'eighty', DATABASE_URL: 'mysql://nope', NODE_ENV: 'development' });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  it('prints help with the commands', () => {
    const res = runCli(['--help'], {});
    expect(res.status).toBe(0);
    for (const cmd of ['tenant', 'api-key', 'db']) expect(res.stdout).toContain(cmd);
  });
});
