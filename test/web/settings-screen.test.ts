import type { Browser, Page } from 'playwright-core';
import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { SmtpSink } from '../dunning/smtp-sink';
import { launchBrowser, newPage, panelsSettled, plain, screenshot, signIn } from './browser';

jest.setTimeout(120_000);

/** The Settings screen in headless Chromium: the reminder sender and the tenant's own SMTP server, API keys, connections. */
describe('dashboard: settings screen (browser)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let browser: Browser;
  let page: Page;
  const own = new SmtpSink({ auth: { user: 'ar@acme.test', pass: 'p4ss-Acme' } });

  beforeAll(async () => {
    browser = await launchBrowser();
    await own.start();
    t = await startTestApp();
    tenant = await createTenant(t, 'Acme SAS');
  }, 240_000);

  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await t?.close();
    await own.stop();
  });

  it('shows the defaults, refuses a bad address with its field, saves the sender and SMTP server (password never shown), and checks the server', async () => {
    page = await newPage(browser);
    await signIn(page, t.baseUrl, tenant.adminKey);
    await page.getByRole('link', { name: 'Paramètres' }).click();
    await panelsSettled(page);
    const panel = page.getByTestId('panel-sender');
    expect(await panel.getByTestId('sender-from').textContent()).toBe('Celui du service');
    expect(await panel.getByTestId('sender-smtp').textContent()).toBe('Celui du service');
    expect(await panel.getByTestId('sender-window').textContent()).toBe('lun., mar., mer., jeu., ven., de 8 h à 18 h (Europe/Paris)');

    await panel.getByRole('button', { name: 'Modifier' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Expéditeur').fill('not an address');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    expect(plain(await dialog.getByRole('alert').textContent())).toContain('dunning.from: must be an address');

    await dialog.getByLabel('Expéditeur').fill('Acme Recouvrement <ar@acme.test>');
    await dialog.getByLabel('Envoyer par notre propre serveur SMTP').check();
    await dialog.getByLabel('Hôte').fill('127.0.0.1');
    await dialog.getByRole('textbox', { name: 'Port' }).fill(String(own.port));
    await dialog.getByLabel('Utilisateur').fill('ar@acme.test');
    await dialog.getByLabel('Mot de passe (écriture seule)').fill('p4ss-Acme');
    await screenshot(page, '09-sender-dialog');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panelsSettled(page);
    expect(await panel.getByTestId('sender-from').textContent()).toBe('Acme Recouvrement <ar@acme.test>');
    expect(await panel.getByTestId('sender-smtp').textContent()).toBe(`127.0.0.1:${own.port} · ar@acme.test · mot de passe enregistré`);
    expect(await page.content()).not.toContain('p4ss-Acme');

    await panel.getByRole('button', { name: 'Tester le SMTP' }).click();
    expect(await panel.getByTestId('sender-check').textContent()).toBe('Connexion et authentification réussies sur 127.0.0.1.');
    await screenshot(page, '09b-sender-saved');

    // what the API stored: the same, and no password
    const api = (await t.http().get('/v1/settings').set(bearer(tenant.adminKey)).expect(200)).body;
    expect(api.dunning).toEqual({ from: 'Acme Recouvrement <ar@acme.test>' });
    expect(api.smtp).toEqual({ host: '127.0.0.1', port: own.port, secure: false, user: 'ar@acme.test', passwordSet: true });
  });

  it('creates an API key (shown once) and revokes it, and creates a connection, from the same screen', async () => {
    await page.reload();
    await panelsSettled(page);
    const keys = page.getByTestId('panel-keys');
    await keys.getByRole('button', { name: "Nouvelle clé d'API" }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Nom').fill('ERP export');
    await dialog.getByLabel('Rôle').selectOption('operator');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    const secret = await keys.locator('code.secret').textContent();
    expect(secret).toMatch(/^lb_/);
    await t.http().get('/v1/me').set(bearer(secret!)).expect(200);
    await keys.getByRole('row', { name: /ERP export/ }).getByRole('button', { name: 'Révoquer' }).click();
    await keys.getByRole('row', { name: /ERP export/ }).getByText('Révoquée').waitFor();
    await t.http().get('/v1/me').set(bearer(secret!)).expect(401);

    const conns = page.getByTestId('panel-settings-connections');
    await conns.getByRole('button', { name: 'Nouvelle connexion' }).click();
    await dialog.getByLabel('Source').selectOption('fec');
    await dialog.getByLabel('Nom').fill('Comptabilité');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await conns.getByRole('row', { name: /Comptabilité/ }).waitFor();
    const list = (await t.http().get('/v1/connections').set(bearer(tenant.adminKey)).expect(200)).body;
    expect(list.items.map((c: { name: string; provider: string }) => [c.name, c.provider])).toEqual([['Comptabilité', 'fec']]);
  });
});
