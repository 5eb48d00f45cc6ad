import type { Browser, Page } from 'playwright-core';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { aPayment } from '../helpers/factories';
import { SmtpSink } from '../dunning/smtp-sink';
import { TestConnectorModule } from '../support/test-connector';
import { launchBrowser, newPage, panelsSettled, plain, screenshot, signIn } from './browser';
import { seedLedger, type SeededLedger } from './seed';

jest.setTimeout(120_000);

type ApprovalItem = { id: string; customerName: string; channel: string; stepKey: string };

/**
 * Operators' work in the browser on the seeded ledger after a real dunning run (clock
 * 2026-01-15, default policy): Dupont's INV-1 is 31 days late (reminder_3: e-mail + call),
 * Martin's INV-3 106 days (formal_notice: letter + call); both steps need approval.
 */
describe('dunning work in the dashboard (browser)', () => {
  let t: TestApp;
  let seeded: SeededLedger;
  let operatorKey: string;
  let browser: Browser;
  const smtp = new SmtpSink();
  let page: Page;

  const approvals = async () =>
    ((await t.http().get('/v1/dunning/approvals').set(bearer(operatorKey)).expect(200)).body.items as ApprovalItem[])
      .map((a) => `${a.customerName} ${a.stepKey} ${a.channel}`)
      .sort();

  beforeAll(async () => {
    browser = await launchBrowser();
    const smtpUrl = await smtp.start();
    t = await startTestApp({ extraModules: [TestConnectorModule], env: { SMTP_URL: smtpUrl, DUNNING_SYNC_FRESHNESS_HOURS: '0' } });
    seeded = await seedLedger(t);
    operatorKey = await seeded.tenant.key('operator');
    const run = await t.http().post('/v1/dunning/runs').set(bearer(operatorKey)).send({}).expect(200);
    expect(run.body.counts).toMatchObject({ invoices: 2, pendingApproval: 4 });
    expect(await approvals()).toEqual([
      'Dupont SA reminder_3 call',
      'Dupont SA reminder_3 email',
      'Martin SARL formal_notice call',
      'Martin SARL formal_notice letter',
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp.stop();
  });

  afterEach(async () => {
    await page?.context().close();
  });

  async function openDunning(): Promise<void> {
    await page.getByRole('link', { name: 'Relances' }).click();
    await page.getByRole('heading', { level: 1, name: 'Relances' }).waitFor();
    await panelsSettled(page);
  }

  it("approves a pending reminder: the e-mail leaves and the queue shrinks", async () => {
    page = await newPage(browser);
    await signIn(page, t.baseUrl, operatorKey);
    await openDunning();
    const rows = page.getByTestId('approval-row');
    expect(await rows.count()).toBe(4);
    await screenshot(page, '12-dunning-approvals');
    const dupontEmail = rows.filter({ hasText: 'Dupont SA' }).filter({ hasText: 'E-mail' });
    expect(plain(await dupontEmail.locator('td').nth(2).textContent())).toBe('INV-1 · 1 034,56 €');
    await dupontEmail.getByTestId('approve').click();
    await rows.nth(3).waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(3);
    expect(await approvals()).toEqual(['Dupont SA reminder_3 call', 'Martin SARL formal_notice call', 'Martin SARL formal_notice letter']);
    expect(smtp.received.map((m) => m.to)).toEqual([['compta@dupont.example']]);
    expect(smtp.received[0].text).toContain('INV-1');
    await page.reload();
    await panelsSettled(page);
    const sent = page.getByTestId('sent-table').locator('tbody tr');
    expect(await sent.count()).toBe(1);
    expect((await sent.first().locator('th, td').allInnerTexts()).slice(0, 4).map(plain)).toEqual(['Dupont SA\ncompta@dupont.example', 'reminder_3', 'E-mail', 'Envoyée']);
    await screenshot(page, '13-dunning-sent');
  });

  it("rejects a reminder with a reason", async () => {
    page = await newPage(browser);
    await signIn(page, t.baseUrl, operatorKey);
    await openDunning();
    const letter = page.getByTestId('approval-row').filter({ hasText: 'Martin SARL' }).filter({ hasText: 'Courrier' });
    await letter.getByTestId('reject').click();
    await page.getByTestId('reject-reason').fill('Client en redressement judiciaire');
    await page.getByRole('dialog').getByRole('button', { name: 'Rejeter' }).click();
    await page.getByTestId('approval-row').nth(2).waitFor({ state: 'detached' });
    expect(await approvals()).toEqual(['Dupont SA reminder_3 call', 'Martin SARL formal_notice call']);
    const events = (await t.http().get(`/v1/customers/${seeded.martin.id}/timeline`).set(bearer(operatorKey)).expect(200)).body.items as Array<{ kind: string; type?: string; message?: string }>;
    expect(events.filter((e) => e.type === 'reminder_rejected').map((e) => e.message)).toEqual(['formal_notice (letter) rejected: Client en redressement judiciaire']);
  });

  it("records a call outcome as a promise to pay and shows it on the customer's timeline", async () => {
    const call = ((await t.http().get('/v1/dunning/approvals').set(bearer(operatorKey)).expect(200)).body.items as ApprovalItem[]).find(
      (a) => a.customerName === 'Martin SARL' && a.channel === 'call',
    )!;
    await t.http().post(`/v1/dunning/approvals/${call.id}/approve`).set(bearer(operatorKey)).send({}).expect(200);
    page = await newPage(browser);
    await signIn(page, t.baseUrl, operatorKey);
    await openDunning();
    const task = page.getByTestId('task-row').filter({ hasText: 'Martin SARL' });
    expect(await task.count()).toBe(1);
    await task.getByTestId('record-outcome').click();
    await page.getByTestId('outcome-promise').check();
    await page.getByTestId('outcome-invoice').selectOption({ label: 'INV-3 · 01/10/2025 · 10 000,00 €'.replace(/ (?=\d{3},)/g, '\u202f') });
    await page.getByTestId('outcome-date').fill('2026-02-15');
    await page.getByTestId('outcome-amount').fill('10 000,00');
    await page.getByTestId('outcome-note').fill('Virement promis par le comptable');
    await screenshot(page, '14-call-outcome');
    await page.getByRole('dialog').getByRole('button', { name: 'Enregistrer' }).click();
    await task.waitFor({ state: 'detached' });
    const promises = (await t.http().get('/v1/promises').query({ customer: seeded.martin.id }).set(bearer(operatorKey)).expect(200)).body.items;
    expect(promises).toEqual([
      expect.objectContaining({ promisedDate: '2026-02-15', amountMinor: 1000000, currency: 'EUR', status: 'pending', invoiceIds: [seeded.invoices.inv3] }),
    ]);
    await page.goto(`${t.baseUrl}/app/customers/${seeded.martin.id}`);
    await page.getByTestId('timeline').waitFor();
    await panelsSettled(page);
    const promise = page.getByTestId('timeline').locator('li[data-type="promise"]');
    expect(await promise.count()).toBe(1);
    expect(plain(await promise.locator('.tag').textContent())).toBe('Promesse de paiement');
    expect(await page.getByTestId('timeline').locator('li[data-type="call_outcome"]').count()).toBe(1);
    await screenshot(page, '15-customer-timeline');
  });

  it('opens a dispute on an invoice from the customer page, shows it apart in encours, then resolves it', async () => {
    page = await newPage(browser);
    await signIn(page, t.baseUrl, operatorKey);
    await page.goto(`${t.baseUrl}/app/customers/${seeded.dupont.id}`);
    await page.getByTestId('invoices-table').waitFor();
    await panelsSettled(page);
    await page.getByTestId('invoices-table').locator('tr', { hasText: 'INV-1' }).getByRole('button', { name: 'Ouvrir un litige' }).click();
    await page.getByTestId('action-text').fill('Marchandise livrée abîmée');
    await page.getByRole('dialog').getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('status').filter({ hasText: 'Enregistré.' }).waitFor();
    await panelsSettled(page);
    const api = (await t.http().get('/v1/reports/encours').query({ customer: seeded.dupont.id }).set(bearer(operatorKey)).expect(200)).body;
    expect(api.totals).toEqual([expect.objectContaining({ currency: 'EUR', totalMinor: 153456, disputedMinor: 103456 })]);
    expect(plain(await page.getByTestId('customer-disputed-EUR').textContent())).toBe('1 034,56 €');
    expect(plain(await page.getByTestId('customer-encours-EUR').textContent())).toBe('1 534,56 €');
    expect(await page.getByTestId('invoices-table').locator('tr', { hasText: 'INV-1' }).locator('.tag-dispute').textContent()).toBe('En litige');
    await page.getByTestId('timeline').locator('li[data-type="dispute_opened"]').waitFor();
    await screenshot(page, '16-customer-dispute');
    await page.getByTestId('invoices-table').locator('tr', { hasText: 'INV-1' }).getByRole('button', { name: 'Clore le litige' }).click();
    await page.getByTestId('timeline').locator('li[data-type="dispute_resolved"]').waitFor();
    const disputes = (await t.http().get('/v1/disputes').query({ customer: seeded.dupont.id }).set(bearer(operatorKey)).expect(200)).body.items;
    expect(disputes.map((d: { reason: string; status: string; invoiceId: string }) => [d.reason, d.status, d.invoiceId])).toEqual([
      ['Marchandise livrée abîmée', 'resolved', seeded.invoices.inv1],
    ]);
  });

  it('matches an unallocated payment to an invoice by hand on the reconciliation screen', async () => {
    const pay = await aPayment({ ds: t.ds, tenantId: seeded.tenant.tenantId, connectionId: seeded.connectionId }, seeded.dupont, {
      date: '2026-01-14', amountMinor: 50000, reference: 'VIR 14/01 SANS REF',
    });
    page = await newPage(browser);
    await signIn(page, t.baseUrl, operatorKey);
    await page.getByRole('link', { name: 'Lettrage' }).click();
    await page.getByTestId('unmatched-table').waitFor();
    await panelsSettled(page);
    const row = page.getByTestId('unmatched-row');
    expect(await row.count()).toBe(1);
    expect((await row.first().locator('th, td').allInnerTexts()).slice(0, 6).map(plain)).toEqual([
      'Dupont SA', 'Paiement', '14/01/2026', 'VIR 14/01 SANS REF', '500,00 €', '500,00 €',
    ]);
    await screenshot(page, '17-reconciliation');
    await row.first().getByRole('button', { name: 'Lettrer à la main' }).click();
    await page.getByTestId('match-invoice').selectOption(seeded.invoices.inv2);
    expect(plain(await page.getByTestId('match-amount').inputValue())).toBe('500.00');
    await page.getByRole('dialog').getByRole('button', { name: 'Enregistrer' }).click();
    await row.first().waitFor({ state: 'detached' });
    const inv2 = (await t.http().get('/v1/invoices').query({ customer: seeded.dupont.id, status: 'open' }).set(bearer(operatorKey)).expect(200)).body.items
      .find((i: { id: string }) => i.id === seeded.invoices.inv2);
    expect(inv2.outstandingMinor).toBe(0);
    const unmatched = (await t.http().get('/v1/reconciliation/unmatched').set(bearer(operatorKey)).expect(200)).body.items;
    expect(unmatched.map((u: { id: string }) => u.id)).not.toContain(pay.id);
  });
});
