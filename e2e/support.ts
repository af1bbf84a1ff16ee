import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { spawnServer, vietnamDay, type RunningServer } from './server.js';
import { en } from '../apps/web/src/i18n/en.js';
import { vi } from '../apps/web/src/i18n/vi.js';

/** The app's own words, so tests follow the dictionaries rather than copies of them. */
export const text = { vi, en };
export const ARTIFACTS = join(process.cwd(), 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export type { RunningServer } from './server.js';

/** A session signed in through the API, for tests that set up their data as a client would. */
export interface ApiSession { cookie: string; csrf: string }

export async function apiSignIn(url: string, username: string): Promise<ApiSession> {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'cordon-demo' }) });
  expect(r.status).toBe(200);
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('cordon_sid='))!.split(';')[0]!;
  return { cookie, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
}

/** An API call in that session; fails the test unless it succeeds. */
export const apiCall = async (url: string, s: ApiSession, method: string, path: string, body?: unknown): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any -- test helper reading JSON bodies
  const r = await fetch(url + path, { method, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const json = await r.json();
  expect(r.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
};

export interface ServerOptions {
  /** Reuse this data directory (a restart); it is then left in place on stop(). */
  dataDir?: string;
  /** Run on PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts Cordon as `npm start` does (embedded database, demo data), by default in a fresh data directory
 * holding a copy of the run's seeded template (global-setup.ts): the demo is there at once, as on a
 * second `npm start`. When the day in Vietnam changed since the template was seeded (the demo's dates
 * follow the day), or with `dataDir`/`databaseUrl`, the server seeds on its own first start as before.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cordon-e2e-'));
  const template = inject('e2eTemplate');
  if (ownDir && !options.databaseUrl && template && inject('e2eTemplateDay') === vietnamDay()) cpSync(template, dataDir, { recursive: true });
  const removeOwn = () => ownDir && rmSync(dataDir, { recursive: true, force: true });
  try {
    return await spawnServer({ dataDir, databaseUrl: options.databaseUrl, env: options.env, afterStop: removeOwn });
  } catch (err) {
    removeOwn(); // a server that did not start leaves no copy behind
    throw err;
  }
}

export async function launchBrowser(): Promise<Browser> {
  // Playwright gives each launch a fresh, temporary profile (the --user-data-dir we would pass).
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

export async function login(page: Page, base: string, username: string, locale: 'vi' | 'en' = 'vi') {
  const t = text[locale];
  await page.goto(base + '/');
  await page.getByLabel(t['login.username']).fill(username);
  await page.getByLabel(t['login.password']).fill('cordon-demo');
  await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
  await page.getByRole('navigation', { name: t['shell.nav'] }).waitFor();
}

export async function logout(page: Page, locale: 'vi' | 'en') {
  const t = text[locale];
  const logoutButton = page.getByRole('button', { name: t['shell.logout'] });
  if (!(await logoutButton.isVisible())) await page.getByRole('button', { name: t['shell.userMenu'] }).click();
  await logoutButton.click();
  await page.getByRole('heading', { name: t['login.title'] }).waitFor();
}

/** A page in a fresh context: a Vietnamese browser in Vietnam's time zone (what most users have). */
export async function vietnamesePage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  return context.newPage();
}

/** A full-page screenshot into e2e/artifacts, to look at after a run. */
export const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** The page does not scroll sideways at this width (phones). */
export const fitsWidth = async (page: Page, width: number) =>
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
