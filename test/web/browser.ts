import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');

/**
 * Debian's Chromium, installed when missing (these machines allow root apt-get); anywhere it
 * cannot be installed the test fails saying how — never a silent skip.
 */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const how = 'install it with: sudo apt-get update && sudo apt-get install -y chromium';
  if (process.platform !== 'linux' || typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}: ${how}`);
  }
  try {
    execSync('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium', { stdio: 'pipe', timeout: 600_000 });
  } catch (e) {
    throw new Error(`Installing Chromium failed (${(e as Error).message.split('\n')[0]}); ${how}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing; ${how}`);
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The dashboard build the service serves (dist/web), rebuilt when web/ changed since. */
export function ensureWebBuild(): void {
  const index = path.join(ROOT, 'dist', 'web', 'index.html');
  const sources = Math.max(newest(path.join(ROOT, 'web', 'src')), statSync(path.join(ROOT, 'web', 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'], {
    cwd: ROOT,
    // Jest sets NODE_ENV=test, which would make Vite build React's development bundle.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'pipe',
    timeout: 180_000,
  });
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

export async function newPage(browser: Browser, locale = 'fr-FR'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1366, height: 900 }, timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Signs in through the form. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/app/`);
  await page.getByTestId('api-key').fill(key);
  await page.getByRole('button', { name: /Se connecter|Sign in/ }).click();
  await page.getByTestId('who').waitFor();
}

/** Waits until no panel of the page is loading any more. */
export async function panelsSettled(page: Page, timeout?: number): Promise<void> {
  await page.waitForSelector('[data-state]', { timeout });
  await page.waitForSelector('[data-state="loading"]', { state: 'detached', timeout });
}

/** Milliseconds since the page's navigation started, at its next painted frame. */
export function msSinceNavigation(page: Page): Promise<number> {
  // No DOM library here: reach requestAnimationFrame through globalThis.
  return page.evaluate(
    () => new Promise<number>((resolve) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => resolve(performance.now()))),
  );
}

/** Intl in French uses narrow no-break spaces; compare with plain spaces. */
export const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();
