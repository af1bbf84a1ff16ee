// `npm run bench -- dashboard [--runs N]`: dashboard first paint on the demo data, measured in the browser.
// Starts Cordon as `npm start` does (embedded database, 3,000 demo cases) from the built web app (run
// `npm run build` first), signs in as the analyst, then opens the dashboard N times, each in a fresh
// browser context (cold cache, the session cookie only) and records, from the page's navigation start:
// first contentful paint, and the first figure painted (the frame after the first figure card's value
// is in the document). Headless Chromium (/usr/bin/chromium) through playwright-core.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer } from '../e2e/support.js';

interface Figure { suite: string; name: string; n: number; unit: string; p50?: number; p95?: number; p99?: number; value?: number }

const log = (s: string) => process.stderr.write(s + '\n');
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99) };
};

/** Runs in the page before its scripts: notes the frame in which the first figure value appears. */
const FIRST_FIGURE_PROBE = `(() => {
  const w = window;
  const seen = () => document.querySelector('.figure-card .figure-value');
  const mark = () => requestAnimationFrame(() => { w.__firstFigure = performance.now(); });
  const obs = new MutationObserver(() => { if (seen()) { obs.disconnect(); mark(); } });
  obs.observe(document, { childList: true, subtree: true });
})();`;

async function measureOnce(browser: Browser, url: string, cookie: { name: string; value: string }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  try {
    await context.addCookies([{ name: cookie.name, value: cookie.value, url }]);
    await context.addInitScript(FIRST_FIGURE_PROBE);
    const page = await context.newPage();
    await page.goto(url + '/', { waitUntil: 'commit' });
    await page.waitForFunction('typeof window.__firstFigure === "number"', undefined, { timeout: 60_000 });
    return await page.evaluate<{ firstFigure: number; fcp: number }>(
      `({ firstFigure: window.__firstFigure, fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN })`,
    );
  } finally {
    await context.close();
  }
}

export async function dashboardSuite(argv: string[]): Promise<Figure[]> {
  if (!existsSync('apps/web/dist/index.html')) throw new Error('dashboard: build the web app first (npm run build)');
  const i = argv.indexOf('--runs');
  const runs = i >= 0 ? Number(argv[i + 1]) : 15;
  log('dashboard: starting a server with the demo data…');
  const server = await startServer();
  let browser: Browser | undefined;
  try {
    // The demo cases load in the background on first start: wait until the report counts them.
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'analyst', password: 'cordon-demo' }) });
    if (!login.ok) throw new Error(`dashboard: sign-in failed (${login.status})`);
    const sid = /cordon_sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    if (!sid) throw new Error('dashboard: no session cookie');
    const casesNow = async () => (await (await fetch(`${server.url}/api/cases?limit=1`, { headers: { cookie: `cordon_sid=${sid}` } })).json()) as { items: unknown[] };
    for (let t = 0; t < 120 && (await casesNow()).items.length === 0; t++) await new Promise((r) => setTimeout(r, 500));
    browser = await launchBrowser();
    const cookie = { name: 'cordon_sid', value: sid };
    await measureOnce(browser, server.url, cookie); // warm-up: the server's first report, the browser's start
    const first: number[] = [];
    const fcp: number[] = [];
    for (let r = 0; r < runs; r++) {
      const m = await measureOnce(browser, server.url, cookie);
      first.push(m.firstFigure);
      if (Number.isFinite(m.fcp)) fcp.push(m.fcp);
    }
    const suite = 'dashboard/chromium';
    return [
      { suite, name: 'first figure painted (demo data)', n: runs, unit: 'ms', ...stats(first) },
      { suite, name: 'first contentful paint', n: fcp.length, unit: 'ms', ...stats(fcp) },
    ];
  } finally {
    await browser?.close();
    await server.stop();
  }
}
