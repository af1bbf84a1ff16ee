import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, PHONE, login, shot, text, useCordon } from './support.js';

const { vi, en } = text;
const fill = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));

// The demo data may hold any number of cases (none, or thousands from the demo generator): these tests
// check the structure of the page and the addresses it leads to, never the counts.
describe('the situation report in a browser', () => {
  const cordon = useCordon();

  /** The report has loaded (figures shown) and no request is still running. */
  async function settled(page: Page) {
    await page.locator('.report:not(.is-stale) .figure-card').first().waitFor();
  }

  it('an analyst picks the first 10 months, breaks down by province and drills into a province’s cases', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'analyst');
    // The dashboard of a report reader is the current situation.
    await page.getByRole('heading', { name: vi['reports.dashboardTitle'] }).waitFor();
    await settled(page);

    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.reports'] }).click();
    await page.getByRole('heading', { name: vi['reports.title'], level: 1 }).waitFor();
    await settled(page);

    await page.getByLabel(vi['reports.period.kind'], { exact: true }).selectOption('firstN');
    await page.getByLabel(vi['reports.period.months'], { exact: true }).selectOption('10');
    await page.waitForURL(/[?&]p=firstN\b.*[?&]n=10\b|[?&]n=10\b.*[?&]p=firstN\b/);
    await settled(page);
    const year = new URL(page.url()).searchParams.get('y');
    expect(year).toMatch(/^\d{4}$/);
    await page.locator('.report-heading').getByText(`10 tháng đầu năm ${year}`).waitFor();
    // The narrative comes from the server in Vietnamese, and names the period.
    expect(await page.locator('.narrative').innerText()).toContain(`10 tháng đầu năm ${year}`);
    // Every figure card shows "% of the same period" (a percentage, or "—" when last year had none).
    const ratios = await page.locator('.figure-ratio-value').allInnerTexts();
    expect(ratios.length).toBe(11);
    for (const r of ratios) expect(r).toMatch(/^(\d[\d.]*(,\d+)?\s?%|—)$/);
    // The export links carry the same query.
    const xlsx = await page.getByRole('link', { name: vi['reports.export.xlsx'] }).getAttribute('href');
    expect(xlsx).toContain(`/api/reports/situation.xlsx?from=${year}-01-01&to=${year}-10-31`);
    // The user downloads the XLSX; the file holds the period's total, as a number, the same as the page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: vi['reports.export.xlsx'] }).click()]);
    expect(download.suggestedFilename()).toBe(`cordon-tinh-hinh-${year}-01-01-${year}-10-31.xlsx`);
    const saved = join(ARTIFACTS, 'reports-download.xlsx');
    await download.saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(saved)) as unknown as ArrayBuffer);
    const summary = wb.worksheets[0]!;
    const totalRow = summary.getRows(1, summary.rowCount)!.find((r) => r.getCell(1).value === 'Số vụ phát hiện, xử lý')!;
    const shown = await page.locator('.figure-card-main .figure-value').innerText();
    const total = totalRow.getCell(2).value;
    if (shown.startsWith('<')) expect(total).toBe(shown); // the small-cell rule, on the page and in the file alike
    else {
      expect(typeof total).toBe('number');
      expect(total).toBe(Number(shown.replace(/\D/g, '')));
    }
    expect(summary.getRow(3).getCell(3).value).toBe(`${year}-01-01`);
    // The trend chart has its numbers in a table for screen readers: one row per month.
    expect(await page.getByRole('table', { name: vi['reports.trend.tableCaption'] }).locator('tbody tr').count()).toBe(10);

    await page.getByLabel(vi['reports.groupBy'], { exact: true }).selectOption('province');
    await page.waitForURL(/groupBy=province/);
    await settled(page);
    await page.getByRole('heading', { name: fill(vi['reports.breakdown.title'], { by: vi['reports.groupBy.province'] }) }).waitFor();
    // The map offers all 34 provinces as links to their cases.
    const mapLinks = page.getByRole('group', { name: vi['reports.map.title'] }).getByRole('link');
    expect(await mapLinks.count()).toBe(34);
    await shot(page, 'reports-province');

    // Drill down: from the table when it has rows, else from the map (no cases at all).
    const rowLinks = page.locator('.breakdown-table tbody a');
    const target = (await rowLinks.count()) > 0 ? rowLinks.first() : mapLinks.first();
    await target.click();
    await page.waitForURL(/\/cases\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('province')).toMatch(/^\d{2}$/);
    expect(url.searchParams.get('from')).toBe(`${year}-01-01`);
    expect(url.searchParams.get('to')).toBe(`${year}-10-31`);
    await page.getByRole('heading', { name: vi['section.cases'] }).waitFor();
    // The case list shows the filter it was given (once its catalogues have loaded) and its results.
    await expect.poll(() => page.getByLabel(vi['cases.province'], { exact: true }).inputValue()).toBe(url.searchParams.get('province'));
    await page.getByText(vi['common.loading']).waitFor({ state: 'detached' });
    await shot(page, 'reports-drilled-cases');
    await page.context().close();
  });

  it('an analyst types a custom period day first, and is told when it ends before it starts', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'analyst');
    await page.goto(cordon.url + '/reports?p=range&from=2025-01-01&to=2025-03-31');
    await settled(page);
    const from = page.getByLabel(vi['reports.period.from'], { exact: true });
    const to = page.getByLabel(vi['reports.period.to'], { exact: true });
    // Shown as Vietnamese documents write dates, whatever the browser's language.
    expect(await from.inputValue()).toBe('01/01/2025');
    expect(await to.inputValue()).toBe('31/03/2025');
    // Digits only, as on a phone's number pad: the slashes come by themselves.
    await to.fill('');
    await to.pressSequentially('15022025');
    expect(await to.inputValue()).toBe('15/02/2025');
    await page.waitForURL(/[?&]to=2025-02-15\b/);
    await settled(page);
    expect(await page.getByRole('link', { name: vi['reports.export.xlsx'] }).getAttribute('href')).toContain('from=2025-01-01&to=2025-02-15');
    // An end before the start is said beside the field, and nothing is asked of the server.
    await to.fill('');
    await to.pressSequentially('31122024');
    await page.getByText(vi['reports.period.badRange']).waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('link', { name: vi['reports.export.xlsx'] }).count()).toBe(0);
    await shot(page, 'reports-range');
    await page.context().close();
  });

  it('works on a phone and with the keyboard, in English', async () => {
    const page = await cordon.newPage(PHONE);
    // On a phone the navigation folds behind the menu button: sign in without waiting for it.
    await page.goto(cordon.url + '/');
    await page.getByLabel(vi['login.username']).fill('viewer');
    await page.getByLabel(vi['login.password']).fill('cordon-demo');
    await page.getByRole('button', { name: vi['login.submit'], exact: true }).click();
    await page.getByRole('heading', { name: vi['reports.dashboardTitle'] }).waitFor();
    await page.getByRole('button', { name: vi['shell.userMenu'] }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: en['reports.dashboardTitle'] }).waitFor();
    await page.goto(cordon.url + '/reports?p=quarter&n=3&y=2025&groupBy=province&compare=previous-period');
    await settled(page);
    await page.locator('.report-heading').getByText('Q3 2025').waitFor();
    expect(await page.locator('.narrative').getAttribute('lang')).toBe('en');
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await shot(page, 'reports-phone');

    // Keyboard: a province on the map is a link that Enter follows.
    const firstProvince = page.getByRole('group', { name: en['reports.map.title'] }).getByRole('link').first();
    await firstProvince.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/cases\?.*province=\d{2}/);
    expect(new URL(page.url()).searchParams.get('from')).toBe('2025-07-01');
    await page.context().close();
  });
});
