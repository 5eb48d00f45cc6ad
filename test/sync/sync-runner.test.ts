import { PermanentSyncError, SourcePausedError, TransientSyncError } from '../../src/connectors/connector';
import { QueueService } from '../../src/sync/queue/queue.service';
import { SyncRunner } from '../../src/sync/sync-runner';
import { SYNC_QUEUE, SyncRunsService } from '../../src/sync/sync-runs.service';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { resetSources, sourceFor, TestConnectorModule, TestSnapshotConnectorModule } from '../support/test-connector';

const zero = { created: 0, updated: 0, unchanged: 0, deleted: 0 };

describe('sync runner (real PostgreSQL, test connector)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let tenant: TestTenant;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({
      db,
      extraModules: [TestConnectorModule, TestSnapshotConnectorModule],
      env: { SYNC_RETRY_BASE_MS: '1000', SYNC_RETRY_MAX_MS: '60000', SYNC_MAX_ATTEMPTS: '3' },
    });
    tenant = await createTenant(t);
  });

  afterAll(async () => {
    await t.close();
    await db.drop();
  }, 60_000);

  beforeEach(() => resetSources());

  async function connection(provider = 'test', settings: Record<string, unknown> = {}): Promise<{ id: string; label: string }> {
    const label = `src-${++n}`;
    const res = await t
      .http()
      .post('/v1/connections')
      .set(bearer(tenant.adminKey))
      .send({ provider, name: `conn ${label}`, settings: { label, ...settings } })
      .expect(201);
    return { id: res.body.id, label };
  }

  const runNow = async (connectionId: string) => {
    const { runId } = await t.app.get(SyncRunsService).request(tenant.tenantId, connectionId, 'manual', { enqueue: false });
    return { runId, outcome: await t.app.get(SyncRunner).execute({ runId, tenantId: tenant.tenantId, connectionId }) };
  };
  const count = async (table: string, connectionId: string, where = 'deleted_at IS NULL') =>
    (await t.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1 AND ${where}`, [connectionId]))[0].n as number;
  const connRow = async (id: string) =>
    (await t.ds.query(`SELECT status, status_reason, cursor, to_char(paused_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS paused_until FROM connections WHERE id = $1`, [id]))[0];
  const runRow = async (id: string) => (await t.http().get(`/v1/sync-runs/${id}`).set(bearer(tenant.adminKey)).expect(200)).body;

  it('resumes after a crash mid-run from the saved cursor: the batch in flight is lost, nothing is duplicated', async () => {
    const c = await connection();
    const src = sourceFor(c.label);
    src.generated = { pages: 5, pageSize: 20 };
    const hang = src.hangAt(3);
    const { runId } = await t.app.get(SyncRunsService).request(tenant.tenantId, c.id, 'manual', { enqueue: false });
    const first = t.app.get(SyncRunner).execute({ runId, tenantId: tenant.tenantId, connectionId: c.id });
    await hang.reached;
    // Three pages committed with their cursor.
    expect(await count('invoices', c.id)).toBe(60);
    expect((await connRow(c.id)).cursor).toEqual({ page: 3 });
    // The worker's database session dies (process killed): its advisory lock goes with it.
    const killed = await t.ds.query(
      `SELECT pg_terminate_backend(l.pid) AS ok FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND d.datname = current_database() AND l.granted`,
    );
    expect(killed).toEqual([{ ok: true }]);
    hang.release();
    await expect(first).rejects.toThrow();
    expect((await runRow(runId)).status).toBe('running');

    // The next request finds the orphaned run, closes it, and the new run resumes at page 3.
    const second = await runNow(c.id);
    expect(second.runId).not.toBe(runId);
    expect(second.outcome).toEqual({
      status: 'succeeded',
      counts: {
        customers: { ...zero, created: 4 },
        invoices: { ...zero, created: 40 },
        payments: { ...zero, created: 20 },
        allocations: { ...zero, created: 20 },
      },
    });
    expect(src.pulls).toEqual([null, { page: 3 }]);
    expect(await runRow(runId)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('interrupted') } });
    expect([await count('customers', c.id), await count('invoices', c.id), await count('payments', c.id), await count('allocations', c.id)]).toEqual([10, 100, 50, 50]);
    const [{ total }] = await t.ds.query(`SELECT sum(total_minor)::text AS total FROM invoices WHERE connection_id = $1`, [c.id]);
    // sum over n < 100 of 10000 + (n % 997) * 100
    expect(total).toBe(String(100 * 10000 + 100 * 4950));
  });

  it('is idempotent when a batch is delivered again, and a duplicate job for a running connection is skipped', async () => {
    const c = await connection();
    const src = sourceFor(c.label);
    src.generated = { pages: 2, pageSize: 10 };
    expect((await runNow(c.id)).outcome.status).toBe('succeeded');
    // The source re-delivers the last batch (cursor rewound by one page).
    await t.ds.query(`UPDATE connections SET cursor = '{"page": 1}' WHERE id = $1`, [c.id]);
    expect((await runNow(c.id)).outcome).toEqual({
      status: 'succeeded',
      counts: {
        customers: { ...zero, unchanged: 1 },
        invoices: { ...zero, unchanged: 10 },
        payments: { ...zero, unchanged: 5 },
        allocations: { ...zero, unchanged: 5 },
      },
    });
    expect(await count('invoices', c.id, 'true')).toBe(20);

    // The same job delivered twice at once: one runs, the other sees the lock and skips.
    src.generated = { pages: 3, pageSize: 10, version: 1 };
    await t.ds.query(`UPDATE connections SET cursor = NULL WHERE id = $1`, [c.id]);
    const hang = src.hangAt(1);
    const { runId } = await t.app.get(SyncRunsService).request(tenant.tenantId, c.id, 'manual', { enqueue: false });
    const job = { runId, tenantId: tenant.tenantId, connectionId: c.id };
    const a = t.app.get(SyncRunner).execute(job);
    await hang.reached;
    expect(await t.app.get(SyncRunner).execute(job)).toEqual({ status: 'skipped', reason: 'busy' });
    hang.release();
    expect((await a).status).toBe('succeeded');
    expect(src.maxActive).toBe(1);
    expect(await count('invoices', c.id, 'true')).toBe(30);
    // Delivered again after it finished: nothing to do.
    expect(await t.app.get(SyncRunner).execute(job)).toEqual({ status: 'skipped', reason: 'done' });
  });

  it('applies deletions, and a payment that arrives before its invoice is linked when the invoice arrives', async () => {
    const c = await connection();
    sourceFor(c.label).pages = [
      {
        cursor: null,
        customers: [{ externalId: 'C1', name: 'Dupont SA', termsDays: 30 }],
        payments: [{ externalId: 'P1', customerExternalId: 'C1', date: '2026-02-01', currency: 'EUR', amountMinor: 40000n }],
        allocations: [{ externalId: 'A1', invoiceExternalId: 'I1', paymentExternalId: 'P1', amountMinor: 40000n, currency: 'EUR', date: '2026-02-01' }],
      },
      {
        cursor: null,
        invoices: [
          { externalId: 'I1', customerExternalId: 'C1', kind: 'invoice', number: 'F-1', issueDate: '2026-01-10', dueDate: null, currency: 'EUR', totalMinor: 100000n, status: 'open' },
        ],
      },
    ];
    expect((await runNow(c.id)).outcome.status).toBe('succeeded');
    const inv = async () =>
      (await t.http().get('/v1/invoices').query({ connection: c.id }).set(bearer(tenant.adminKey)).expect(200)).body.items[0];
    expect(await inv()).toMatchObject({ externalId: 'I1', totalMinor: 100000, outstandingMinor: 60000, dueDate: '2026-02-09' });

    sourceFor(c.label).pages.push({ cursor: null, deletions: [{ entity: 'payment', externalId: 'P1' }] });
    const { runId, outcome } = await runNow(c.id);
    expect(outcome).toEqual({
      status: 'succeeded',
      counts: { customers: zero, invoices: zero, payments: { ...zero, deleted: 1 }, allocations: { ...zero, deleted: 1 } },
    });
    expect(await inv()).toMatchObject({ outstandingMinor: 100000 });
    expect(await runRow(runId)).toMatchObject({ trigger: 'manual', status: 'succeeded', counts: { payments: { deleted: 1 } }, error: null });
  });

  it('after a sync that changed the ledger, reconciliation and alerts run and their summary is kept on the run', async () => {
    const c = await connection();
    sourceFor(c.label).pages = [
      {
        cursor: null,
        customers: [{ externalId: 'R1', name: 'Rivoli SARL', termsDays: 30 }],
        invoices: [
          { externalId: 'RI1', customerExternalId: 'R1', kind: 'invoice', number: 'FA-2026-0042', issueDate: '2026-01-10', dueDate: null, currency: 'EUR', totalMinor: 123456n, status: 'open' },
        ],
        // The source sent the payment without allocating it; its reference names the invoice.
        payments: [{ externalId: 'RP1', customerExternalId: 'R1', date: '2026-02-01', currency: 'EUR', amountMinor: 123456n, reference: 'VIR FA-2026-0042' }],
      },
    ];
    const first = await runNow(c.id);
    expect(first.outcome.status).toBe('succeeded');
    const allocations = await t.ds.query(
      `SELECT a.method, a.amount_minor::int AS amount FROM allocations a WHERE a.payment_id = (SELECT id FROM payments WHERE connection_id = $1) AND a.deleted_at IS NULL`,
      [c.id],
    );
    expect(allocations).toEqual([{ method: 'reference', amount: 123456 }]);
    const inv = (await t.http().get('/v1/invoices').query({ connection: c.id }).set(bearer(tenant.adminKey)).expect(200)).body.items[0];
    expect(inv).toMatchObject({ number: 'FA-2026-0042', outstandingMinor: 0 });
    const [{ details }] = await t.ds.query(`SELECT details FROM sync_runs WHERE id = $1`, [first.runId]);
    expect(details.afterSync.receivables).toMatchObject({ allocated: 1, unmatched: 0 });

    // A run that wrote nothing does not redo the work.
    const second = await runNow(c.id);
    expect(second.outcome.status).toBe('succeeded');
    const [{ details: unchanged }] = await t.ds.query(`SELECT details FROM sync_runs WHERE id = $1`, [second.runId]);
    expect(unchanged.afterSync).toBeUndefined();
  });

  it('a permanent error marks the connection needs_attention and stops; new credentials clear it', async () => {
    const c = await connection();
    const src = sourceFor(c.label);
    src.generated = { pages: 2, pageSize: 5 };
    src.failAt(1, () => new PermanentSyncError('credentials revoked by the source', { cause: new Error('invalid_grant') }));
    const { runId, outcome } = await runNow(c.id);
    expect(outcome).toMatchObject({ status: 'failed', permanent: true, error: 'credentials revoked by the source' });
    expect(await runRow(runId)).toMatchObject({
      status: 'failed',
      error: { message: 'credentials revoked by the source', cause: 'invalid_grant', permanent: true },
      counts: { invoices: { created: 5 } },
    });
    expect(await connRow(c.id)).toMatchObject({ status: 'needs_attention', status_reason: 'credentials revoked by the source', cursor: { page: 1 } });
    expect(await t.app.get(QueueService).pending(SYNC_QUEUE)).toBe(0);
    await t.http().patch(`/v1/connections/${c.id}`).set(bearer(tenant.adminKey)).send({ credentials: { token: 'new' } }).expect(200);
    expect((await connRow(c.id)).status).toBe('ok');
    expect((await runNow(c.id)).outcome.status).toBe('succeeded');
    expect(src.pulls).toEqual([null, { page: 1 }]);
  });

  it('invalid source data is a permanent error naming the record', async () => {
    const c = await connection();
    sourceFor(c.label).pages = [
      {
        cursor: null,
        invoices: [{ externalId: 'BAD', customerExternalId: 'C1', kind: 'invoice', number: 'X', issueDate: '31/01/2026', dueDate: null, currency: 'EUR', totalMinor: 1n, status: 'open' }],
      },
    ];
    expect((await runNow(c.id)).outcome).toMatchObject({ status: 'failed', permanent: true, error: 'invoice "BAD": issueDate: must be a YYYY-MM-DD date, got "31/01/2026"' });
    expect((await connRow(c.id)).status).toBe('needs_attention');
  });

  it('a transient error re-queues the same run with backoff and jitter; it resumes from the cursor; retries are bounded', async () => {
    const c = await connection();
    const src = sourceFor(c.label);
    src.generated = { pages: 3, pageSize: 5 };
    src.failAt(1, () => new TransientSyncError('HTTP 503 from source'));
    const before = t.clock.now().getTime();
    const { runId, outcome } = await runNow(c.id);
    expect(outcome.status).toBe('retry_scheduled');
    const delay = (outcome as { retryAt: Date }).retryAt.getTime() - before;
    // Attempt 1: base 1000 ms, jittered within [500, 1000].
    expect(delay).toBeGreaterThanOrEqual(500);
    expect(delay).toBeLessThanOrEqual(1000);
    expect(await runRow(runId)).toMatchObject({ status: 'queued', details: { attempt: 2, lastError: 'HTTP 503 from source' } });
    expect(await t.app.get(QueueService).pending(SYNC_QUEUE)).toBe(1);
    expect((await connRow(c.id)).status).toBe('ok');
    // The queued job's run, executed (as the worker would), finishes from page 1.
    const done = await t.app.get(SyncRunner).execute({ runId, tenantId: tenant.tenantId, connectionId: c.id });
    expect(done).toMatchObject({ status: 'succeeded', counts: { invoices: { ...zero, created: 15 } } });
    expect(src.pulls).toEqual([null, { page: 1 }]);

    // Retry-After from the source wins over a shorter backoff; after SYNC_MAX_ATTEMPTS (3) the run fails.
    const d = await connection();
    const src2 = sourceFor(d.label);
    src2.generated = { pages: 1, pageSize: 1 };
    src2.failAt(0, () => new TransientSyncError('429 too many requests', 42_000), 10);
    const r1 = await runNow(d.id);
    expect((r1.outcome as { retryAt: Date }).retryAt.getTime() - t.clock.now().getTime()).toBe(42_000);
    const job = { runId: r1.runId, tenantId: tenant.tenantId, connectionId: d.id };
    expect((await t.app.get(SyncRunner).execute(job)).status).toBe('retry_scheduled');
    expect(await t.app.get(SyncRunner).execute(job)).toMatchObject({ status: 'failed', permanent: false, error: '429 too many requests' });
    expect(await runRow(r1.runId)).toMatchObject({ status: 'failed', details: { attempt: 3 }, error: { message: '429 too many requests', permanent: false } });
    expect((await connRow(d.id)).status).toBe('ok');
  });

  it('a source pause parks the run until the given time and pauses the connection', async () => {
    const c = await connection();
    const src = sourceFor(c.label);
    src.generated = { pages: 2, pageSize: 2 };
    src.failAt(1, () => new SourcePausedError('daily API limit reached', new Date('2026-01-16T00:00:00Z')));
    const { runId, outcome } = await runNow(c.id);
    expect(outcome).toMatchObject({ status: 'paused', until: new Date('2026-01-16T00:00:00Z') });
    expect(await connRow(c.id)).toMatchObject({ status: 'paused', status_reason: 'daily API limit reached', paused_until: '2026-01-16T00:00' });
    expect(await runRow(runId)).toMatchObject({ status: 'queued', details: { pausedUntil: '2026-01-16T00:00:00.000Z' } });
    // A manual request meanwhile answers the parked run.
    expect(await t.app.get(SyncRunsService).request(tenant.tenantId, c.id, 'manual')).toEqual({ runId, created: false });
    expect((await t.app.get(SyncRunner).execute({ runId, tenantId: tenant.tenantId, connectionId: c.id })).status).toBe('succeeded');
    expect(await connRow(c.id)).toMatchObject({ status: 'ok', paused_until: null });
  });

  it('snapshot connectors: one transaction per pull, rows missing from the next pull are tombstoned', async () => {
    const c = await connection('test-snapshot');
    const src = sourceFor(c.label);
    src.generated = { pages: 3, pageSize: 10 };
    expect((await runNow(c.id)).outcome).toMatchObject({ status: 'succeeded', counts: { invoices: { ...zero, created: 30 } } });
    // The next pull starts over (a snapshot's cursor is the end of the previous one) with one page less.
    await t.ds.query(`UPDATE connections SET cursor = NULL WHERE id = $1`, [c.id]);
    src.generated = { pages: 2, pageSize: 10 };
    expect((await runNow(c.id)).outcome).toEqual({
      status: 'succeeded',
      counts: {
        customers: { ...zero, unchanged: 2, deleted: 1 },
        invoices: { ...zero, unchanged: 20, deleted: 10 },
        payments: { ...zero, unchanged: 10, deleted: 5 },
        allocations: { ...zero, unchanged: 10, deleted: 5 },
      },
    });
    // A failure mid-pull rolls the whole snapshot back.
    await t.ds.query(`UPDATE connections SET cursor = NULL WHERE id = $1`, [c.id]);
    src.generated = { pages: 3, pageSize: 10, version: 7 };
    src.failAt(2, () => new PermanentSyncError('file truncated'));
    expect((await runNow(c.id)).outcome.status).toBe('failed');
    const [{ changed }] = await t.ds.query(`SELECT count(*)::int AS changed FROM invoices WHERE connection_id = $1 AND total_minor % 10 = 7`, [c.id]);
    expect(changed).toBe(0);
  });
});
