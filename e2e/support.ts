import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { spawnServer, templateFor, vietnamDay, type RunningServer } from './server.js';
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
  expect(r.status, `sign-in of ${username}`).toBe(200);
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

/** Signs in through the API and returns a caller in that session (cookie, CSRF token); a call fails the test unless it succeeds. */
export async function apiAs(url: string, username: string) {
  const session = await apiSignIn(url, username);
  return <T>(method: string, path: string, body?: unknown): Promise<T> => apiCall(url, session, method, path, body) as Promise<T>;
}

export interface ServerOptions {
  /** Reuse this data directory (a restart); it is then left in place on stop(). */
  dataDir?: string;
  /** Run on PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for /api/health (ms; 90 s unless set): a first start on an empty database seeds the demo first. */
  startTimeout?: number;
}

/**
 * Starts Cordon as `npm start` does (embedded database, demo data), by default in a fresh data directory
 * holding a copy of the seeded template of the day in Vietnam (global-setup.ts, server.ts `templateFor`):
 * the demo is there at once, as on a second `npm start`, with no first-start work left running. The demo's
 * dates follow the day, so a file starting after midnight in Vietnam gets the new day's template (the
 * first such file seeds it). With `dataDir` or `databaseUrl`, the server seeds on its own first start.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cordon-e2e-'));
  const templates = inject('e2eTemplates');
  const removeOwn = () => ownDir && rmSync(dataDir, { recursive: true, force: true });
  try {
    if (ownDir && !options.databaseUrl && templates) cpSync(await templateFor(templates, vietnamDay()), dataDir, { recursive: true });
    return await spawnServer({ dataDir, databaseUrl: options.databaseUrl, env: options.env, startTimeout: options.startTimeout, afterStop: removeOwn });
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

/** A full-page screenshot into e2e/artifacts, to look at after a run. */
export const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** The page does not scroll sideways at this width (phones). */
export const fitsWidth = async (page: Page, width: number) =>
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface CordonOptions extends ServerOptions {
  /**
   * How long Playwright waits for an element or a page on this file's pages (ms; its own default is 30 s).
   * Longer only where the server works in the background while the test waits (the risk demo's model).
   */
  pageTimeout?: number;
  /** The size of a new page when the test names none (default DESKTOP). */
  viewport?: { width: number; height: number };
}

export interface PageOptions {
  /** The browser's language (what the native inputs and Accept-Language follow); the app itself starts in Vietnamese either way. */
  locale?: 'vi-VN' | 'en-US';
}

/** What a browser-test file works with: its own server and Chromium, started once for the file. */
export interface Cordon {
  readonly server: RunningServer;
  /** The server's address, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly browser: Browser;
  /**
   * A page in a fresh context (its own cookies: nobody signed in), in Vietnam's time zone, a Vietnamese
   * browser unless `locale` says otherwise. Close its context when done (`page.context().close()`);
   * whatever is left open closes with the browser after the file.
   */
  newPage(viewport?: { width: number; height: number }, options?: PageOptions): Promise<Page>;
}

/**
 * The hooks every browser-test file needs: before the file, a server (by default on a copy of the run's
 * seeded template, see `startServer`) and Chromium, started side by side; after a failed test, a
 * screenshot of every open page (`e2e/artifacts/failed-…png`) and the end of the server's output; after
 * the file, both stopped. Call it at the top of the `describe`, before the file's own `beforeAll`
 * (hooks run in the order they are declared, so the file's set-up finds the server running).
 */
export function useCordon(options: CordonOptions = {}): Cordon {
  const { pageTimeout, viewport: defaultViewport = DESKTOP, ...serverOptions } = options;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet: use it in a test or in a beforeAll declared after useCordon()`);
    return value;
  };

  beforeAll(async () => {
    const [s, b] = await Promise.allSettled([startServer(serverOptions), launchBrowser()]);
    if (s.status === 'fulfilled') server = s.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (s.status === 'rejected') throw s.reason;
    if (b.status === 'rejected') throw b.reason;
  }, 600_000); // seeding the day's template after midnight in Vietnam (minutes at load 20), then up to 90 s to start

  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const name = `failed-${basename(task.file.name).replace(/\.e2e\.test\.ts$/, '')}-${task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}`;
    const pages = browser?.contexts().flatMap((c) => c.pages()) ?? [];
    // At most 10 s each: a page stuck mid-navigation may never settle (and may refuse: then no picture).
    for (const [i, page] of pages.entries()) await page.screenshot({ path: join(ARTIFACTS, `${name}-${i + 1}.png`), fullPage: true, timeout: 10_000 }).catch(() => {});
    console.error(`[${task.name}] failed; ${pages.length} page(s) in e2e/artifacts/${name}-N.png; the server's last output:\n${server?.output().slice(-4000) ?? '(no server)'}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get server() {
      return started(server, 'The server');
    },
    get url() {
      return started(server, 'The server').url;
    },
    get browser() {
      return started(browser, 'The browser');
    },
    async newPage(viewport = defaultViewport, { locale = 'vi-VN' }: PageOptions = {}) {
      const context = await started(browser, 'The browser').newContext({ viewport, locale, timezoneId: 'Asia/Ho_Chi_Minh' });
      if (pageTimeout) context.setDefaultTimeout(pageTimeout);
      return context.newPage();
    },
  };
}
