// What session 8's walk-through (a new user at the standing office, then a Customs officer) found
// misleading outside the case registry, and now works (docs/development.md, "Walk-through, session 8").
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { logout, text, useCordon } from './support.js';

const { vi, en } = text;

/** Today in Vietnam, yyyy-MM-dd. */
const vnToday = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
/** The same day a year earlier as the report counts it: a month's last day stays its last day (29 February). */
function aYearBefore(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const days = (yy: number) => new Date(Date.UTC(yy, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(d === days(y) ? days(y - 1) : Math.min(d, days(y - 1))).padStart(2, '0')}`;
}

describe('walk-through, session 8', () => {
  const cordon = useCordon({ pageTimeout: 90_000 });

  /** Signs in on a sign-in page in `form`'s language; the app then opens in `app`'s. */
  async function signIn(page: Page, username: string, form: 'vi' | 'en', app = form) {
    const t = text[form];
    await page.getByLabel(t['login.username']).fill(username);
    await page.getByLabel(t['login.password']).fill('cordon-demo');
    await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    await page.getByRole('navigation', { name: text[app]['shell.nav'] }).waitFor();
  }

  it('keeps the language picked on the sign-in page after signing in, and remembers it for the account', async () => {
    // A Vietnamese browser; the account's saved language is Vietnamese. English picked before signing in
    // used to be replaced by the account's Vietnamese the moment the session began.
    const page = await cordon.newPage();
    await page.goto(cordon.url + '/');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: en['login.title'] }).waitFor();
    await signIn(page, 'viewer', 'en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await logout(page, 'en');
    await page.context().close();

    // Another browser, nothing remembered in it: the sign-in page is Vietnamese, the account now English.
    const other = await cordon.newPage();
    await other.goto(cordon.url + '/');
    await other.getByRole('heading', { name: vi['login.title'] }).waitFor();
    await signIn(other, 'viewer', 'vi', 'en');
    expect(await other.locator('html').getAttribute('lang')).toBe('en');
  });

  it('names a year not over yet by the day it is counted to, on the page and in the comparison', async () => {
    const page = await cordon.newPage();
    await page.goto(cordon.url + '/');
    await signIn(page, 'analyst', 'vi');
    const today = vnToday();
    const year = today.slice(0, 4);
    await page.goto(`${cordon.url}/reports?p=year&y=${year}&compare=same-period&groupBy=force`);
    const heading = page.locator('.report-heading');
    await heading.waitFor();
    const dmy = (iso: string) => iso.split('-').reverse().join('/');
    if (today.endsWith('-12-31')) {
      await expect.poll(() => heading.innerText()).toContain(`năm ${year}`);
    } else {
      // "năm 2026 (đến ngày 01/12/2026) · so với năm 2025 (đến ngày 01/12/2025)": the whole of last year
      // against eleven months made every figure a fall.
      await expect.poll(() => heading.innerText()).toContain(`năm ${year} (đến ngày ${dmy(today)})`);
      expect(await heading.innerText()).toContain(`năm ${Number(year) - 1} (đến ngày ${dmy(aYearBefore(today))})`);
    }
  });

  it('offers declaration risk in a Customs officer\'s menu, and not in a Border Guard officer\'s', async () => {
    // The server let customs.officer read declarations and record outcomes, but the menu hid the section.
    const page = await cordon.newPage();
    await page.goto(cordon.url + '/');
    await signIn(page, 'customs.officer', 'vi');
    const nav = page.getByRole('navigation', { name: vi['shell.nav'] });
    await nav.getByRole('link', { name: vi['section.risk'] }).click();
    await page.getByRole('heading', { name: vi['risk.title'] }).waitFor();
    await logout(page, 'vi');
    await signIn(page, 'border.officer', 'vi');
    await nav.getByRole('link', { name: vi['section.cases'], exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: vi['section.risk'] }).count()).toBe(0);
  });
});
