import * as path from 'node:path';
import { FecValidationError } from '../../src/connectors/fec/fec-errors';
import { FecImportService } from '../../src/connectors/fec/fec-import.service';
import { createTenant, startTestApp, TestApp } from '../helpers/app';
import { balancesOf, expectedBalances, FIXTURES, SAMPLES } from './fec-helpers';

describe('FEC import: snapshots, idempotence, atomicity, due dates', () => {
  let t: TestApp;
  let tenantId: string;
  let imports: FecImportService;

  beforeAll(async () => {
    t = await startTestApp();
    ({ tenantId } = await createTenant(t));
    imports = t.app.get(FecImportService);
  });

  afterAll(async () => {
    await t.close();
  });

  const invoicesOf = (connectionId: string) =>
    t.ds.query(
      `SELECT external_id, number, total_minor::int AS total, status, to_char(due_date, 'YYYY-MM-DD') AS due, deleted_at IS NOT NULL AS deleted, updated_at
         FROM invoices WHERE tenant_id = $1 AND connection_id = $2 ORDER BY external_id`,
      [tenantId, connectionId],
    );

  it("re-importing next month's cumulative file updates what changed, keeps the rest untouched and tombstones what disappeared", async () => {
    const { id } = await imports.ensureConnection(tenantId, 'cumulative');
    const jan = await imports.importFile(tenantId, id, path.join(FIXTURES, 'cumul-2024-01.txt'));
    expect(jan.counts.invoices).toEqual({ created: 3, updated: 0, unchanged: 0, deleted: 0 });
    // The import changed the ledger: reconciliation and alerts ran after it, summary on the run.
    const runDetails = async (runId: string) => (await t.ds.query(`SELECT details FROM sync_runs WHERE id = $1`, [runId]))[0].details;
    expect((await runDetails(jan.runId)).afterSync.receivables).toEqual(expect.objectContaining({ allocated: expect.any(Number), alertsOpen: expect.any(Number) }));
    const before = await invoicesOf(id);
    t.clock.advanceDays(30);

    const feb = await imports.importFile(tenantId, id, path.join(FIXTURES, 'cumul-2024-02.txt'));
    // FA1 now paid (status changed), FA2 amount changed, FA3 gone, FA4 new.
    expect(feb.counts.invoices).toEqual({ created: 1, updated: 2, unchanged: 0, deleted: 1 });
    expect(feb.counts.payments).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(feb.counts.allocations).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    const after = await invoicesOf(id);
    expect(after.map((r: Record<string, unknown>) => [r.external_id, r.number, r.total, r.status, r.deleted])).toEqual([
      ['VE/1/2024-01-05/C1', 'FA1', 10000, 'paid', false],
      ['VE/2/2024-01-10/C2', 'FA2', 25000, 'open', false],
      ['VE/3/2024-01-20/C1', 'FA3', 30000, 'deleted', true],
      ['VE/4/2024-02-05/C2', 'FA4', 40000, 'open', false],
    ]);
    expect(await balancesOf(t, tenantId, id)).toEqual(expectedBalances(path.join(FIXTURES, 'cumul-2024-02.txt')));

    // The same February file again, forced: nothing changes, nothing is rewritten.
    const again = await imports.importFile(tenantId, id, path.join(FIXTURES, 'cumul-2024-02.txt'), { force: true });
    expect(again.unchanged).toBe(false);
    expect(again.counts.invoices).toEqual({ created: 0, updated: 0, unchanged: 3, deleted: 0 });
    expect(again.counts.allocations).toEqual({ created: 0, updated: 0, unchanged: 1, deleted: 0 });
    expect((await runDetails(again.runId)).afterSync).toBeUndefined();
    const afterAgain = await invoicesOf(id);
    expect(afterAgain.map((r: { updated_at: Date }) => r.updated_at.toISOString())).toEqual(after.map((r: { updated_at: Date }) => r.updated_at.toISOString()));
    expect(before[1].updated_at.toISOString()).not.toBe(after[1].updated_at.toISOString());
  });

  it('recognises an identical file and does nothing, recording the run', async () => {
    const { id } = await imports.ensureConnection(tenantId, 'identical');
    await imports.importFile(tenantId, id, path.join(SAMPLES, 'lsn_sample_tab.txt'));
    const second = await imports.importFile(tenantId, id, path.join(SAMPLES, 'lsn_sample_tab.txt'));
    expect(second.unchanged).toBe(true);
    expect(second.stats).toBeNull();
    const runs = await t.ds.query(
      `SELECT status, trigger, details->>'unchanged' AS unchanged FROM sync_runs WHERE tenant_id = $1 AND connection_id = $2 ORDER BY created_at`,
      [tenantId, id],
    );
    expect(runs).toEqual([
      { status: 'succeeded', trigger: 'manual', unchanged: null },
      { status: 'succeeded', trigger: 'manual', unchanged: 'true' },
    ]);
  });

  it('rejects a bad file with every problem, commits nothing and leaves the previous import intact', async () => {
    const { id } = await imports.ensureConnection(tenantId, 'atomic');
    await imports.importFile(tenantId, id, path.join(SAMPLES, 'neolegal_111111111FEC20221231.TXT'));
    const balances = await balancesOf(t, tenantId, id);
    const invoices = await invoicesOf(id);

    const err = await imports.importFile(tenantId, id, path.join(FIXTURES, 'bad.txt')).catch((e) => e);
    expect(err).toBeInstanceOf(FecValidationError);
    expect((err as FecValidationError).message.split('\n').slice(1)).toEqual([
      'bad.txt:2: Debit: not an amount: "12,3x"',
      'bad.txt:4: EcritureDate: not a valid date: "20240231"',
      'bad.txt:4: PieceDate: not a valid date: "20240231"',
      'bad.txt:4: ValidDate: not a valid date: "20240231"',
      'bad.txt:5: EcritureDate: not a valid date: "20240231"',
      'bad.txt:5: PieceDate: not a valid date: "20240231"',
      'bad.txt:5: ValidDate: not a valid date: "20240231"',
      'bad.txt:8: line: expected 18 columns, found 5',
      'bad.txt:3: EcritureNum: entry VE 1 of 2024-01-05 is unbalanced: debit − credit = -12.30',
      'bad.txt:6: EcritureNum: entry VE 3 of 2024-01-06 is unbalanced: debit − credit = 1.00',
    ]);
    expect(await balancesOf(t, tenantId, id)).toEqual(balances);
    expect(await invoicesOf(id)).toEqual(invoices);
    const [run] = await t.ds.query(
      `SELECT status, error->>'permanent' AS permanent, jsonb_array_length(details->'problems') AS problems
         FROM sync_runs WHERE tenant_id = $1 AND connection_id = $2 ORDER BY created_at DESC LIMIT 1`,
      [tenantId, id],
    );
    expect(run).toEqual({ status: 'failed', permanent: 'true', problems: 10 });
  });

  it('derives due dates from the connection default terms, and from per-customer terms', async () => {
    const { id } = await imports.ensureConnection(tenantId, 'terms');
    await t.ds.query(`UPDATE connections SET settings = $3 WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
      JSON.stringify({ defaultTerms: { days: 45, endOfMonth: true }, customerTerms: { C2: { days: 10 } } }),
    ]);
    await imports.importFile(tenantId, id, path.join(FIXTURES, 'cumul-2024-01.txt'));
    expect((await invoicesOf(id)).map((r: Record<string, unknown>) => [r.number, r.due])).toEqual([
      ['FA1', '2024-02-29'], // 2024-01-05 + 45 days = 2024-02-19 → end of month
      ['FA2', '2024-01-20'], // C2: 10 days net
      ['FA3', '2024-03-31'], // 2024-01-20 + 45 days = 2024-03-05 → end of month
    ]);
    const { id: plain } = await imports.ensureConnection(tenantId, 'terms-default');
    await imports.importFile(tenantId, plain, path.join(FIXTURES, 'cumul-2024-01.txt'));
    expect((await invoicesOf(plain)).map((r: Record<string, unknown>) => r.due)).toEqual(['2024-02-04', '2024-02-09', '2024-02-19']);
  });

  it('reports unbalanced lettering as warnings without failing', async () => {
    const { id } = await imports.ensureConnection(tenantId, 'warnings');
    const r = await imports.importFile(tenantId, id, path.join(SAMPLES, 'neolegal_0000000001FEC20220831.txt'));
    expect(r.warnings).toHaveLength(15);
    expect(r.warnings[0]).toBe('neolegal_0000000001FEC20220831.txt:1900: EcritureLet: lettering AAAT on 411000/CLAURE does not balance (-2780.98 left open)');
  });
});
