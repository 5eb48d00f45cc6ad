import type { Browser, Page } from 'playwright-core';
import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { TestConnectorModule } from '../support/test-connector';
import { launchBrowser, newPage, panelsSettled, plain, screenshot, signIn } from './browser';
import { seedLedger } from './seed';
import { formatDays } from '../../web/src/format';

/** The dashboard in headless Chromium against the real service on the seeded ledger of ./seed.ts. */
jest.setTimeout(120_000);

describe('dashboard (browser)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let browser: Browser;
  let dupont: { id: string; externalId: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestApp({ extraModules: [TestConnectorModule] });
    ({ tenant, dupont } = await seedLedger(t));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  let page: Page;
  afterEach(async () => {
    await page?.context().close();
  });

  it('refuses a wrong key with a message, then signs in with a valid one', async () => {
    page = await newPage(browser);
    await page.goto(`${t.baseUrl}/app/`);
    await page.getByTestId('api-key').fill('lb_00000000_not-a-key');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    expect(await page.getByTestId('signin-message').textContent()).toBe("Cette clé d'API n'est pas valide ou a été révoquée.");
    await screenshot(page, '01-sign-in-error');
    await page.getByTestId('api-key').fill(tenant.adminKey);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    expect(plain(await page.getByTestId('who').textContent())).toBe('Acme SAS · Administrateur');
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as { sessionStorage: object }).sessionStorage))).toEqual(['ledgerbridge.apiKey']);
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as { localStorage: object }).localStorage).filter((k) => k.includes('apiKey')))).toEqual([]);
  });

  it("shows the overview's totals exactly as the API gives them, in French and English", async () => {
    const api = (await t.http().get('/v1/reports/encours').set(bearer(tenant.adminKey)).expect(200)).body;
    expect(api.totals).toEqual([
      expect.objectContaining({ currency: 'EUR', totalMinor: 1153456, overdueMinor: 1103456, notDueMinor: 50000, disputedMinor: 0 }),
    ]);
    const aging = (await t.http().get('/v1/reports/aged-balance').set(bearer(tenant.adminKey)).expect(200)).body;
    page = await newPage(browser);
    await signIn(page, t.baseUrl, tenant.adminKey);
    await panelsSettled(page);
    expect(plain(await page.getByTestId('encours-total-EUR').textContent())).toBe('11 534,56 €');
    expect(plain(await page.getByTestId('encours-overdue-EUR').textContent())).toBe('11 034,56 €');
    expect(plain(await page.getByTestId('encours-notdue-EUR').textContent())).toBe('500,00 €');
    expect(plain(await page.getByTestId('encours-disputed-EUR').textContent())).toBe('0,00 €');
    expect(plain(await page.getByTestId('aging-EUR-total').textContent())).toBe('11 534,56 €');
    expect(aging.totals[0].totalMinor).toBe(1153456);
    // The DSO figures are the DSO report's tenant line as of today (shown from the trend's last point).
    const dsoApi = (await t.http().get('/v1/reports/dso').query({ detail: 'totals' }).set(bearer(tenant.adminKey)).expect(200)).body;
    const eur = dsoApi.tenant.find((l: { currency: string }) => l.currency === 'EUR');
    const days = (n: number | null) => formatDays(n, 'fr');
    expect(plain(await page.getByTestId('dso-EUR').textContent())).toBe(plain(days(eur.dso)));
    expect(plain(await page.getByTestId('dso-best-EUR').textContent())).toBe(plain(days(eur.bestPossibleDso)));
    expect(plain(await page.getByTestId('dso-add-EUR').textContent())).toBe(plain(days(eur.averageDaysDelinquent)));
    expect(plain(await page.getByTestId(`aging-EUR-${aging.buckets[0]}`).textContent())).toBe('500,00 €');
    expect(await page.getByTestId('connection').count()).toBe(1);
    await screenshot(page, '02-overview-fr');

    await page.getByTestId('lang-switch').selectOption('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');
    expect(await page.getByTestId('encours-total-EUR').textContent()).toBe('€11,534.56');
    expect(await page.getByTestId('encours-overdue-EUR').textContent()).toBe('€11,034.56');
    await screenshot(page, '03-overview-en');
  });

  it('says why there is no DSO when the books hold no credit sales in the last 12 months', async () => {
    // An imported FEC of an earlier fiscal year: one invoice of 2023, still open; today is 2026-01-15.
    const old = await createTenant(t, 'Archives SARL');
    const conn = await t.http().post('/v1/connections').set(bearer(old.adminKey)).send({ provider: 'test', name: 'ERP', credentials: { token: 'x' } }).expect(201);
    await t.ds.query(
      `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status)
       VALUES ($1, $2, 'I1', 'h', '411OLD', 'invoice', 'F-2023-1', '2023-03-01', '2023-03-31', 'EUR', 12000, 'open')`,
      [old.tenantId, conn.body.id],
    );
    const trend = (await t.http().get('/v1/dashboard/dso-trend').set(bearer(old.adminKey)).expect(200)).body;
    expect(trend.months.flatMap((m: { lines: Array<{ dso: number | null }> }) => m.lines.map((l) => l.dso))).toEqual(Array(12).fill(null));
    page = await newPage(browser);
    await signIn(page, t.baseUrl, old.adminKey);
    await panelsSettled(page);
    expect(plain(await page.getByTestId('encours-total-EUR').textContent())).toBe('120,00 €');
    expect(await page.getByTestId('panel-dso').getByTestId('empty').textContent()).toBe('∅Aucune vente à crédit sur la période : le DSO ne peut pas être calculé.');
    expect(await page.getByTestId('panel-dso-trend').getByTestId('empty').textContent()).toBe('∅Aucune vente à crédit sur les 12 derniers mois : pas de DSO à tracer.');
    await screenshot(page, '02b-overview-no-sales');
  });

  it('lists customers, searches them and opens a customer with open invoices', async () => {
    page = await newPage(browser);
    await signIn(page, t.baseUrl, tenant.adminKey);
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByTestId('customers-table').waitFor();
    expect(await page.getByTestId('customer-row').count()).toBe(2);
    // Sorted by overdue, largest first.
    expect(await page.getByTestId('customer-row').locator('th').allTextContents()).toEqual(['Martin SARL', 'Dupont SA']);
    await screenshot(page, '04-customers');
    await page.getByTestId('customer-search').fill('dup');
    expect(await page.getByTestId('customer-row').locator('th').allTextContents()).toEqual(['Dupont SA']);
    await page.getByRole('link', { name: 'Dupont SA' }).click();
    await page.getByTestId('invoices-table').waitFor();
    await panelsSettled(page);
    const rows = await page.getByTestId('invoices-table').locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => plain(r).split('\t').slice(0, 5).join(' | '))).toEqual([
      'INV-1 | 15/11/2025 | 15/12/2025 | 1 234,56 € | 1 034,56 €',
      'INV-2 | 14/01/2026 | 14/02/2026 | 500,00 € | 500,00 €',
    ]);
    expect(plain(await page.getByTestId('customer-encours-EUR').textContent())).toBe('1 534,56 €');
    await screenshot(page, '05-customer');
  });

  it('shows the dunning, reconciliation and settings screens', async () => {
    page = await newPage(browser);
    await signIn(page, t.baseUrl, tenant.adminKey);
    for (const [link, name] of [
      ['Relances', '06-dunning'],
      ['Lettrage', '07-reconciliation'],
      ['Paramètres', '08-settings'],
    ]) {
      await page.getByRole('link', { name: link }).click();
      await panelsSettled(page);
      await screenshot(page, name);
    }
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Paramètres');
    expect(await page.getByTestId('panel-keys').locator('tbody tr').count()).toBe(1);
    // The default policy's steps, and a template preview (built-in, French).
    await page.getByTestId('panel-policies').locator('li', { hasText: 'pre_reminder' }).getByRole('button', { name: 'Aperçu du modèle' }).click();
    expect(await page.getByRole('dialog').locator('strong').first().textContent()).toBe('Échéance prochaine de vos factures');
    await screenshot(page, '08b-settings-template');
  });

  it('offers a viewer no action button', async () => {
    const viewerKey = await tenant.key('viewer');
    page = await newPage(browser);
    await signIn(page, t.baseUrl, viewerKey);
    await panelsSettled(page);
    expect(plain(await page.getByTestId('who').textContent())).toBe('Acme SAS · Lecteur (lecture seule)');
    expect(await page.getByRole('button', { name: 'Synchroniser' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Paramètres' }).count()).toBe(0);
    await screenshot(page, '09-viewer-overview');
    await page.goto(`${t.baseUrl}/app/customers/${dupont.id}`);
    await page.getByTestId('invoices-table').waitFor();
    await panelsSettled(page);
    expect(await page.getByTestId('customer-actions').count()).toBe(0);
    expect(await page.getByRole('button', { name: /litige|promesse|Suspendre|note|Affecter|scénario/i }).count()).toBe(0);
    await page.getByRole('link', { name: 'Relances' }).click();
    await panelsSettled(page);
    expect(await page.getByRole('button', { name: /Approuver|Rejeter|Enregistrer le résultat/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'Lettrage' }).click();
    await panelsSettled(page);
    expect(await page.getByRole('button', { name: /Confirmer|Lettrer à la main/ }).count()).toBe(0);
    await screenshot(page, '10-viewer-customer');
  });

  it('returns to sign-in with a message when the key is revoked', async () => {
    const key = await tenant.key('operator');
    page = await newPage(browser);
    await signIn(page, t.baseUrl, key);
    await panelsSettled(page);
    const keys = (await t.http().get('/v1/api-keys').set(bearer(tenant.adminKey)).expect(200)).body.items as Array<{ id: string; name: string; revokedAt: string | null }>;
    const operator = keys.filter((k) => k.name === 'operator key' && !k.revokedAt);
    expect(operator).toHaveLength(1);
    await t.http().delete(`/v1/api-keys/${operator[0].id}`).set(bearer(tenant.adminKey)).expect(204);
    await page.getByRole('link', { name: 'Clients' }).click();
    expect(await page.getByTestId('signin-message').textContent()).toBe('Votre clé d\'API a expiré ou a été révoquée. Reconnectez-vous.');
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('ledgerbridge.apiKey'))).toBeNull();
    await screenshot(page, '11-revoked');
  });
});
