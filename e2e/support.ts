import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { en } from '../apps/web/src/i18n/en.js';
import { vi } from '../apps/web/src/i18n/vi.js';

/** The app's own words, so tests follow the dictionaries rather than copies of them. */
export const text = { vi, en };
export const ARTIFACTS = join(process.cwd(), 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  /** The embedded database's directory (also when DATABASE_URL is used, though it stays empty then). */
  dataDir: string;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM: graceful close. Removes the data directory unless it was given in the options. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown hooks, no flush — a power cut as far as the process is concerned. */
  kill(): Promise<void>;
}

export interface ServerOptions {
  /** Reuse this data directory (a restart); it is then left in place on stop(). */
  dataDir?: string;
  /** Run on PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts Cordon as `npm start` does (embedded database, demo data), by default in a fresh data directory. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cordon-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, CORDON_DEMO: 'true', LOG_LEVEL: 'warn', SMTP_PORT: '0', ...options.env };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      await end('SIGTERM');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
  };
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
