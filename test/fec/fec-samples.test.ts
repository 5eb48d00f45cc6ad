import * as path from 'node:path';
import { FecImportService } from '../../src/connectors/fec/fec-import.service';
import { createTenant, startTestApp, TestApp } from '../helpers/app';
import { balancesOf, expectedBalances, expectedSampleBalances, FIXTURES, SAMPLES } from './fec-helpers';

describe('FEC import: per-customer outstanding equals the FEC balance to the cent', () => {
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

  it.each([
    ['lsn_sample_pipe.txt', { lines: 4, entries: 2, customers: 1, invoices: 1, creditNotes: 0, payments: 0, openingItems: 0, allocations: 0 }],
    ['lsn_sample_tab.txt', { lines: 7, entries: 3, customers: 1, invoices: 1, creditNotes: 0, payments: 0, openingItems: 0, allocations: 0 }],
    ['neolegal_0000000001FEC20220831.txt', { lines: 5422, entries: 2033, customers: 17, invoices: 393, creditNotes: 9, payments: 128, openingItems: 7, allocations: 372 }],
    ['neolegal_111111111FEC20221231.TXT', { lines: 934, entries: 248, customers: 34, invoices: 87, creditNotes: 4, payments: 46, openingItems: 9, allocations: 67 }],
  ])('real sample %s', async (name, stats) => {
    const { id } = await imports.ensureConnection(tenantId, `sample ${name}`);
    const r = await imports.importFile(tenantId, id, path.join(SAMPLES, name));
    expect(r.stats).toMatchObject(stats);
    expect(r.stats!.totalDebitMinor).toBe(r.stats!.totalCreditMinor);
    expect(await balancesOf(t, tenantId, id)).toEqual(expectedSampleBalances(name));
  });

  it.each([
    ['latin9-crcrlf-pipe.txt', 'iso-8859-15', 'text'],
    ['montant-sens-cr.txt', 'ascii', 'text'],
    ['cols21-bom-crlf.txt', 'utf-8-bom', 'text'],
    ['cols22-pipe.txt', 'utf-8', 'text'],
    ['ecriturenum-zero-general-accounts.txt', 'ascii', 'text'],
    ['spanning-journals-openings.txt', 'ascii', 'text'],
    ['dgfip-latin9.xml', 'iso-8859-15', 'xml'],
  ])('generated fixture %s', async (name, encoding, format) => {
    const { id } = await imports.ensureConnection(tenantId, `fixture ${name}`);
    const file = path.join(FIXTURES, name);
    const r = await imports.importFile(tenantId, id, file);
    expect([r.format, r.encoding]).toEqual([format, encoding]);
    expect(await balancesOf(t, tenantId, id)).toEqual(expectedBalances(file));
  });

  it('reads names in ISO-8859-15 correctly into the ledger', async () => {
    const { id } = await imports.ensureConnection(tenantId, 'names');
    await imports.importFile(tenantId, id, path.join(FIXTURES, 'latin9-crcrlf-pipe.txt'));
    const rows = await t.ds.query(`SELECT external_id, name FROM customers WHERE tenant_id = $1 AND connection_id = $2 ORDER BY 1`, [tenantId, id]);
    expect(rows).toEqual([
      { external_id: '41100540', name: 'CLIENT ÉTÉ €' },
      { external_id: '411DUPONT', name: 'DUPONT & FILS' },
    ]);
  });
});
