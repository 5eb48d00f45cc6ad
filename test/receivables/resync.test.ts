import type { SyncBatch } from '../../src/connectors/connector';
import { LedgerWriter, type LedgerWriteScope } from '../../src/ledger/ledger-writer';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { aConnection } from '../helpers/factories';

/** Manual decisions survive re-syncs: incremental upserts and full snapshots of the same source. */
describe('reconciliation decisions across re-syncs', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let operatorKey: string;
  let scope: LedgerWriteScope;
  const batch = (paymentReference: string): SyncBatch => ({
    customers: [{ externalId: 'K', name: 'Kappa SARL', currency: 'EUR' }],
    invoices: [
      { externalId: 'A', customerExternalId: 'K', kind: 'invoice', number: 'A-1', issueDate: '2026-01-10', dueDate: '2026-02-09', currency: 'EUR', totalMinor: 10000n, status: 'open' },
      { externalId: 'B', customerExternalId: 'K', kind: 'invoice', number: 'B-1', issueDate: '2026-01-12', dueDate: '2026-02-11', currency: 'EUR', totalMinor: 10000n, status: 'open' },
    ],
    payments: [
      { externalId: 'P', customerExternalId: 'K', date: '2026-02-01', currency: 'EUR', amountMinor: 7000n, reference: paymentReference },
      { externalId: 'Q', customerExternalId: 'K', date: '2026-02-02', currency: 'EUR', amountMinor: 5000n, reference: 'acompte A-1' },
    ],
    cursor: null,
  });
  const write = (b: SyncBatch, snapshot: boolean) =>
    t.ds.transaction(async (em) => {
      const writer = t.app.get(LedgerWriter);
      if (!snapshot) return writer.write(em, scope, b);
      const snap = await writer.beginSnapshot(em, scope);
      await snap.write(b);
      return snap.finish();
    });
  const idOf = async (table: string, externalId: string): Promise<string> =>
    (await t.ds.query(`SELECT id FROM ${table} WHERE tenant_id = $1 AND external_id = $2`, [tenant.tenantId, externalId]))[0].id;
  const live = () =>
    t.ds.query(
      `SELECT p.external_id AS payment, i.external_id AS invoice, a.amount_minor::int AS amount, a.method
         FROM allocations a JOIN payments p ON p.id = a.payment_id JOIN invoices i ON i.id = a.invoice_id
        WHERE a.tenant_id = $1 AND a.deleted_at IS NULL ORDER BY 1, 2`,
      [tenant.tenantId],
    );

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    operatorKey = await tenant.key('operator');
    scope = { tenantId: tenant.tenantId, connectionId: await aConnection(t.ds, tenant.tenantId) };
    await write(batch('virement'), false);
  });

  afterAll(() => t.close());

  it('keeps a manual match and a rejection through incremental and snapshot syncs', async () => {
    // Q names A-1: matched by reference. P (70.00) fits no rule: left for review.
    const run = await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    expect(run.body.allocated).toEqual({ reference: 1, exact_amount: 0, amount_set: 0, oldest_first: 0 });
    expect(await live()).toEqual([{ payment: 'Q', invoice: 'A', amount: 5000, method: 'reference' }]);
    const [q] = (await t.http().get('/v1/reconciliation/proposed').set(bearer(operatorKey)).expect(200)).body.items;
    await t.http().delete(`/v1/allocations/${q.id}`).set(bearer(operatorKey)).expect(204);
    await t.http().post('/v1/allocations').set(bearer(operatorKey))
      .send({ invoiceId: await idOf('invoices', 'B'), paymentId: await idOf('payments', 'P'), amountMinor: 7000 }).expect(201);

    // The source sends everything again, with a changed reference, incrementally then as a snapshot.
    await write(batch('virement client K'), false);
    await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    await write(batch('virement client K'), true);
    const after = await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    expect(after.body).toEqual({ candidates: 1, allocated: { reference: 0, exact_amount: 0, amount_set: 0, oldest_first: 0 }, superseded: 0, unmatched: 1 });
    expect(await live()).toEqual([{ payment: 'P', invoice: 'B', amount: 7000, method: 'manual' }]);
    const [{ reference }] = await t.ds.query(`SELECT reference FROM payments WHERE tenant_id = $1 AND external_id = 'P'`, [tenant.tenantId]);
    expect(reference).toBe('virement client K');
  });
});
