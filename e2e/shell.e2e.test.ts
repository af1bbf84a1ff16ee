import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AUDIT_ACTION_LABELS } from '../apps/web/src/features/audit/audit-labels.js';
import { ARTIFACTS, PHONE, login, logout, shot, text, useCordon } from './support.js';

const { vi, en } = text;

describe('the app shell in a browser', () => {
  const cordon = useCordon();

  const navLinks = async (page: Page, locale: 'vi' | 'en') =>
    (await page.getByRole('navigation', { name: text[locale]['shell.nav'] }).getByRole('link').allInnerTexts()).map((l) => l.split('\n')[0]!.trim()); // drop the "coming soon" badge

  // Before the test below, which leaves the admin account in English.
  it('an administrator filters users by a unit found by typing without diacritics, with the keyboard only', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'admin');
    await page.goto(cordon.url + '/admin/users');
    const tabs = page.getByRole('navigation', { name: vi['admin.tabs'] });
    expect(await tabs.getByRole('link', { name: vi['admin.users'] }).getAttribute('aria-current')).toBe('page');
    expect(await tabs.getByRole('link', { name: vi['admin.units'] }).getAttribute('aria-current')).toBeNull();
    await page.getByRole('cell', { name: 'customs.officer', exact: true }).waitFor();

    // The picker offers the ~200 units grouped by force and province; "lang son" narrows them to Lạng Sơn.
    const unit = page.getByRole('combobox', { name: vi['user.unit'] });
    await unit.focus();
    const list = page.getByRole('listbox');
    expect(await list.getByRole('group').count()).toBeGreaterThan(30);
    await unit.fill('hai quan lang son');
    await expect.poll(() => list.getByRole('option').allInnerTexts()).toEqual([expect.stringContaining('Chi cục Hải quan khu vực Lạng Sơn')]);
    await unit.press('Enter');
    expect(await unit.inputValue()).toBe('Chi cục Hải quan khu vực Lạng Sơn (CUSTOMS-LS)');
    await expect.poll(() => page.locator('.table tbody tr').count()).toBe(1);
    await page.getByRole('cell', { name: 'customs.officer', exact: true }).waitFor();

    // Escape leaves the choice as it was; choosing "all" again brings everyone back.
    await unit.fill('ha noi');
    await unit.press('Escape');
    expect(await unit.inputValue()).toBe('Chi cục Hải quan khu vực Lạng Sơn (CUSTOMS-LS)');
    await unit.press('ArrowDown');
    await list.getByRole('option', { name: vi['common.all'], exact: true }).click();
    await page.getByRole('cell', { name: 'admin', exact: true }).waitFor();
    await page.context().close();
  });

  it('an administrator signs in in Vietnamese, sees the admin sections, switches to English and signs out', async () => {
    const page = await cordon.newPage();
    await page.goto(cordon.url + '/');
    await page.getByRole('heading', { name: vi['login.title'] }).waitFor();
    await login(page, cordon.url, 'admin');

    const links = await navLinks(page, 'vi');
    expect(links).toEqual(expect.arrayContaining([vi['section.dashboard'], vi['section.admin'], vi['section.audit']]));

    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.admin'] }).click();
    await page.getByRole('link', { name: vi['admin.users'] }).click();
    await page.getByRole('cell', { name: 'customs.officer', exact: true }).waitFor();

    await page.getByRole('button', { name: vi['shell.userMenu'] }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('navigation', { name: en['shell.nav'] }).waitFor();
    expect(await navLinks(page, 'en')).toEqual(expect.arrayContaining([en['section.admin'], en['section.audit']]));
    await shot(page, 'admin-english');

    await logout(page, 'en');
    // The language is remembered for this user: signing in again comes back in English.
    await login(page, cordon.url, 'admin', 'en');
    expect(await navLinks(page, 'en')).toContain(en['section.admin']);
    await page.context().close();
  });

  it('a customs officer sees the operational sections but no administration, and is refused the admin page', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    const links = await navLinks(page, 'vi');
    expect(links).toEqual(expect.arrayContaining([vi['section.dashboard'], vi['section.cases']]));
    expect(links).not.toContain(vi['section.admin']);
    expect(links).not.toContain(vi['section.audit']);
    await shot(page, 'officer-vietnamese');

    await page.goto(cordon.url + '/admin');
    await page.getByRole('heading', { name: vi['forbidden.title'] }).waitFor();
    await logout(page, 'vi');
  });

  it('an auditor verifies the audit trail from the audit page', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'auditor');
    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.audit'] }).click();
    // Actions by their label (the code beneath it, for the filter), details as "key: value" lines, not JSON.
    await page.getByRole('cell', { name: `${AUDIT_ACTION_LABELS['auth.login']!.vi} auth.login` }).first().waitFor();
    expect(await page.locator('.audit-detail li').first().textContent()).toMatch(/^\w+: \S/);
    expect(await page.locator('.audit-table td').filter({ hasText: '{"' }).count()).toBe(0);
    // The period is typed dd/mm/yyyy, whatever the browser's language: from a day far ahead, nothing is shown.
    await page.getByLabel(vi['audit.from']).fill('01/01/2099');
    await page.getByRole('button', { name: vi['common.apply'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: vi['common.shown'].replace('{n}', '0') }).waitFor();
    await page.getByRole('button', { name: vi['common.reset'] }).click();
    await page.getByRole('cell', { name: `${AUDIT_ACTION_LABELS['auth.login']!.vi} auth.login` }).first().waitFor();
    await page.getByRole('button', { name: vi['audit.verify'] }).click();
    await page.getByText(vi['audit.verifyOk'].split('{')[0]!.trim()).first().waitFor();
    await page.context().close();
  });

  it('works on a phone: the navigation opens from the menu button', async () => {
    const page = await cordon.newPage(PHONE);
    await page.goto(cordon.url + '/');
    await page.getByLabel(vi['login.username']).fill('viewer');
    await page.getByLabel(vi['login.password']).fill('cordon-demo');
    await page.getByRole('button', { name: vi['login.submit'], exact: true }).click();
    const toggle = page.getByRole('button', { name: vi['shell.menu'] });
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-phone.png') });
    await page.context().close();
  });

  it('shows a clear message for wrong credentials, in the chosen language', async () => {
    const page = await cordon.newPage();
    await page.goto(cordon.url + '/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel(en['login.username']).fill('analyst');
    await page.getByLabel(en['login.password']).fill('not the password');
    await page.getByRole('button', { name: en['login.submit'], exact: true }).click();
    await page.getByRole('alert').filter({ hasText: en['login.wrongCredentials'] }).waitFor();
    await page.context().close();
  });
});
