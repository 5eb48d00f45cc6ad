import * as path from 'node:path';
import { readdirSync } from 'node:fs';
import type { AppConfig } from '../../src/common/config/app-config';
import { APP_CONFIG } from '../../src/common/config/config.module';
import { fecUploadDir } from '../../src/connectors/fec/fec-upload.controller';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { balancesOf, expectedSampleBalances, FIXTURES, SAMPLES } from './fec-helpers';

describe('POST /v1/connections/{id}/fec-files (real HTTP, multipart)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let connectionId: string;
  let uploadDir: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    const res = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'fec', name: 'Books', settings: { defaultTerms: { days: 30 } } });
    expect(res.status).toBe(201);
    connectionId = res.body.id;
    uploadDir = fecUploadDir(t.app.get<AppConfig>(APP_CONFIG));
  });

  afterAll(async () => {
    await t.close();
  });

  it('streams the upload into an import and answers the summary', async () => {
    const operator = await tenant.key('operator');
    const name = 'neolegal_111111111FEC20221231.TXT';
    const res = await t.http().post(`/v1/connections/${connectionId}/fec-files`).set(bearer(operator)).attach('file', path.join(SAMPLES, name));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      connectionId,
      file: name,
      unchanged: false,
      format: 'text',
      encoding: 'iso-8859-15',
      stats: { lines: 934, entries: 248, customers: 34, invoices: 87, creditNotes: 4, payments: 46, openingItems: 9, allocations: 67, totalDebitMinor: 22568223, totalCreditMinor: 22568223 },
      counts: { customers: { created: 34, updated: 0, unchanged: 0, deleted: 0 }, invoices: { created: 99, updated: 0, unchanged: 0, deleted: 0 }, payments: { created: 47, updated: 0, unchanged: 0, deleted: 0 } },
      warningsTotal: 0,
    });
    expect(await balancesOf(t, tenant.tenantId, connectionId)).toEqual(expectedSampleBalances(name));
    const run = await t.http().get(`/v1/connections/${connectionId}`).set(bearer(operator));
    expect(run.status).toBe(200);
    const [row] = await t.ds.query(`SELECT trigger, status, details->>'file' AS file FROM sync_runs WHERE id = $1`, [res.body.runId]);
    expect(row).toEqual({ trigger: 'upload', status: 'succeeded', file: name });
  });

  it('answers 422 problem+json listing every problem, and keeps the ledger', async () => {
    const before = await balancesOf(t, tenant.tenantId, connectionId);
    const res = await t.http().post(`/v1/connections/${connectionId}/fec-files`).set(bearer(tenant.adminKey)).attach('file', path.join(FIXTURES, 'bad.txt'));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.title).toBe('Invalid FEC file');
    expect(res.body.detail).toContain('bad.txt:2: Debit: not an amount: "12,3x"');
    expect(res.body.detail).toContain('bad.txt:8: line: expected 18 columns, found 5');
    expect(await balancesOf(t, tenant.tenantId, connectionId)).toEqual(before);
  });

  it('requires a file, the operator role, and a connection of the caller\'s tenant', async () => {
    const noFile = await t.http().post(`/v1/connections/${connectionId}/fec-files`).set(bearer(tenant.adminKey)).field('x', '1');
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors).toEqual([{ field: 'file', message: 'a multipart field "file" with the FEC file is required' }]);

    const viewer = await tenant.key('viewer');
    const forbidden = await t.http().post(`/v1/connections/${connectionId}/fec-files`).set(bearer(viewer)).attach('file', path.join(SAMPLES, 'lsn_sample_tab.txt'));
    expect(forbidden.status).toBe(403);

    const other = await createTenant(t, 'Other SAS');
    const foreign = await t.http().post(`/v1/connections/${connectionId}/fec-files`).set(bearer(other.adminKey)).attach('file', path.join(SAMPLES, 'lsn_sample_tab.txt'));
    expect(foreign.status).toBe(404);
  });

  it('streams uploads under DATA_DIR and leaves no temporary file behind', () => {
    expect(uploadDir.endsWith(path.join('uploads', 'fec'))).toBe(true);
    expect(readdirSync(uploadDir)).toEqual([]);
  });
});
