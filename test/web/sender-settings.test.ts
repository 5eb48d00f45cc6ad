import type { Browser, Page } from 'playwright-core';
import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { SmtpSink } from '../dunning/smtp-sink';
import { launchBrowser, newPage, panelsSettled, plain, screenshot, signIn } from './browser';

jest.setTimeout(120_000);

/** Settings screen: the reminder sender and the tenant's own SMTP server, in headless Chromium. */
describe('dashboard: reminder sender settings (browser)', () => {
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
});
