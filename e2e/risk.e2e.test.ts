import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { riskRng } from '../packages/engine/src/risk/prng.js';
import { PHONE, fitsWidth, login, shot, text, useCordon } from './support.js';

const { vi } = text;
const SLOW = 240_000;

/** 400 declarations over 20 days with outcomes; origin "XX" with HS 240220 is usually found. */
function declarationsCsv(): string {
  const rand = riskRng(12);
  const lines = ['so_to_khai,ngay,chi_cuc,ma_hs,xuat_xu,tri_gia,vi_pham'];
  for (let i = 0; i < 400; i++) {
    const hs = ['240220', '854140', '610910'][Math.floor(rand() * 3)]!;
    const origin = ['CN', 'KR', 'XX'][Math.floor(rand() * 3)]!;
    const found = rand() < (hs === '240220' && origin === 'XX' ? 0.85 : 0.08) ? 1 : 0;
    lines.push(`E2E${String(i).padStart(4, '0')},2026-05-${String(1 + Math.floor(i / 20)).padStart(2, '0')},HQ0${1 + (i % 2)},${hs},${origin},${Math.round(rand() * 90_000)},${found}`);
  }
  return lines.join('\n') + '\n';
}

describe('declaration risk in a browser', () => {
  // The machine is shared and often loaded: wait longer than Playwright's 30 s before calling it a failure.
  const cordon = useCordon({ pageTimeout: 90_000 });
  let analyst: Page;

  it('a new risk analyst finds the demo: hit rates by week, and why a declaration went red', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'risk');
    // The demo's model trains in the background after start: look again until the dashboard has figures.
    const byChannel = page.getByRole('table', { name: vi['risk.dash.by.channel'] });
    for (let tries = 0; ; tries++) {
      await page.goto(cordon.url + '/risk');
      await page.getByRole('heading', { name: vi['risk.title'] }).waitFor();
      if (await byChannel.isVisible().catch(() => false)) break;
      if (tries > 60) throw new Error('the risk demo did not finish');
      await page.waitForTimeout(3000);
    }
    await page.getByRole('table', { name: vi['risk.dash.by.rule'] }).getByRole('rowheader', { name: 'my-pham-luong-vang' }).waitFor();
    await shot(page, 'risk-dashboard');

    await page.getByRole('link', { name: vi['risk.tab.scored'] }).click();
    await page.getByLabel(vi['risk.channel'], { exact: true }).selectOption('red');
    await page.locator('.risk-table tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { name: vi['risk.why'], exact: true }).waitFor();
    // Each reason names a column of the declaration and what it added to the score.
    await page.locator('.risk-reasons li').filter({ hasText: /\(\+\d/ }).first().waitFor();
    await shot(page, 'risk-demo-declaration');

    await page.setViewportSize(PHONE);
    await page.goto(cordon.url + '/risk');
    await byChannel.waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'risk-dashboard-phone');
  }, SLOW);

  it('a Customs risk analyst saves a mapping, imports declarations with outcomes, trains and promotes a model', async () => {
    analyst = await cordon.newPage();
    await login(analyst, cordon.url, 'risk');
    await analyst.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.risk'] }).click();
    await analyst.getByRole('heading', { name: vi['risk.title'] }).waitFor();

    await analyst.getByRole('button', { name: vi['risk.mapping.new'] }).click();
    await analyst.getByLabel(vi['risk.mapping.name'], { exact: true }).fill('Tờ khai thử');
    // A misspelt key is refused, and the form names it (not only "unsupported field").
    await analyst.getByLabel(vi['risk.mapping.json']).fill(JSON.stringify({ id: 'so_to_khai', date: 'ngay', lable: 'vi_pham', categorical: [], numeric: [] }));
    await analyst.getByRole('button', { name: vi['common.save'] }).click();
    await analyst.getByTestId('risk-mapping-unknown').filter({ hasText: 'lable' }).waitFor();
    await analyst.getByLabel(vi['risk.mapping.json']).fill(JSON.stringify({ id: 'so_to_khai', date: 'ngay', label: 'vi_pham', office: 'chi_cuc', categorical: ['ma_hs', 'xuat_xu'], numeric: ['tri_gia'] }));
    await analyst.getByRole('button', { name: vi['common.save'] }).click();
    // The demo's mapping is there too: wait until the new one is saved and chosen before importing with it.
    await analyst.locator('#risk-mapping option:checked').filter({ hasText: 'Tờ khai thử' }).waitFor({ state: 'attached' });
    await analyst.getByRole('link', { name: vi['risk.tab.import'] }).click();

    const dir = mkdtempSync(join(tmpdir(), 'risk-e2e-'));
    const file = join(dir, 'to-khai.csv');
    writeFileSync(file, declarationsCsv());
    await analyst.getByLabel(vi['risk.import.file']).setInputFiles(file);
    await analyst.getByRole('button', { name: vi['risk.import.submit'], exact: true }).click();
    await analyst.getByText(vi['risk.import.summary'].replace('{total}', '400').replace('{imported}', '400').replace('{duplicates}', '0').replace('{outcomes}', '400').replace('{rejected}', '0')).waitFor();

    await analyst.getByRole('link', { name: vi['risk.tab.models'] }).click();
    await analyst.getByRole('button', { name: vi['risk.models.train'] }).click();
    const promote = analyst.getByRole('button', { name: vi['risk.models.promoteV'].replace('{v}', '1') });
    await promote.waitFor({ timeout: 180_000 });
    // The end of the training is said, not only shown by the button coming back.
    await analyst.getByRole('status').filter({ hasText: vi['risk.models.trained'].split('{v}')[0] + '1' }).waitFor();
    await promote.click();
    await analyst.getByText(vi['risk.models.promoted'].replace('{v}', '1')).waitFor();
    await shot(analyst, 'risk-models');
  }, SLOW);

  it('adds a shadow rule, scores the declarations and explains each channel', async () => {
    await analyst.getByRole('link', { name: vi['risk.tab.rules'] }).click();
    await analyst.getByRole('button', { name: vi['risk.rules.add'] }).click();
    await analyst.getByLabel(vi['risk.rules.code']).fill('thuoc-la');
    await analyst.getByLabel(vi['risk.rules.value']).fill('2402');
    await analyst.getByLabel(vi['risk.rules.op']).selectOption('prefix');
    // Before saving: what the conditions would have selected among the 400 stored declarations.
    await analyst.getByRole('button', { name: vi['risk.rules.try'] }).click();
    await analyst.getByTestId('risk-rule-trial').filter({ hasText: vi['risk.rules.trial'].split('{considered}')[0] + '400' }).waitFor();
    // Dates are typed day first; the list shows the validity the same way.
    await analyst.getByLabel(vi['risk.rules.validFrom']).fill('01/01/2020');
    await analyst.getByRole('button', { name: vi['common.save'] }).click();
    const ruleRow = analyst.getByRole('row').filter({ has: analyst.getByRole('cell', { name: 'thuoc-la', exact: true }) });
    await ruleRow.getByText('01/01/2020 – …').waitFor();
    // The condition reads in the user's language, not as the stored operator code ("prefix").
    await ruleRow.getByText(`ma_hs ${vi['risk.opText.prefix']} 2402`).waitFor();

    await analyst.getByRole('link', { name: vi['risk.tab.scored'] }).click();
    await analyst.getByLabel(vi['risk.scored.filter']).selectOption('no');
    await analyst.getByRole('button', { name: vi['risk.scored.scorePending'] }).click();
    await analyst.getByRole('status').filter({ hasText: '400' }).waitFor();
    await analyst.getByLabel(vi['risk.scored.filter']).selectOption('yes');
    await analyst.getByLabel(vi['risk.channel'], { exact: true }).selectOption('red');
    const firstRed = analyst.locator('.risk-table tbody tr').first();
    await firstRed.getByText(vi['risk.channel.red'], { exact: true }).waitFor();
    await shot(analyst, 'risk-scored');
    // Back from a declaration: the same mapping (not the demo's, listed first) and the same filter.
    await firstRed.getByRole('link').click();
    await analyst.getByRole('heading', { name: vi['risk.why'], exact: true }).waitFor();
    await analyst.getByRole('button', { name: vi['risk.back'] }).click();
    await analyst.locator('.risk-table tbody tr').first().getByText(vi['risk.channel.red'], { exact: true }).waitFor();
    expect(await analyst.getByLabel(vi['risk.channel'], { exact: true }).inputValue()).toBe('red');
    await analyst.locator('#risk-mapping option:checked').filter({ hasText: 'Tờ khai thử' }).waitFor({ state: 'attached' });
  }, SLOW);

  it('renames the mapping, and assigns its offices from a CSV file: bad lines named, nothing assigned until fixed', async () => {
    await analyst.getByRole('button', { name: vi['risk.mapping.rename'] }).click();
    await analyst.getByLabel(vi['risk.mapping.name'], { exact: true }).fill('Tờ khai thử (tháng 5)');
    await analyst.getByRole('button', { name: vi['common.save'] }).click();
    await analyst.getByRole('status').filter({ hasText: vi['risk.mapping.renamed'].replace('{name}', 'Tờ khai thử (tháng 5)') }).waitFor();
    await analyst.locator('#risk-mapping option:checked').filter({ hasText: 'Tờ khai thử (tháng 5)' }).waitFor({ state: 'attached' });

    await analyst.getByRole('link', { name: vi['risk.tab.offices'] }).click();
    const file = join(mkdtempSync(join(tmpdir(), 'risk-e2e-')), 'chi-cuc.csv');
    writeFileSync(file, 'Mã chi cục,Mã đơn vị\nHQ01,CUSTOMS-LS\nHQ 02,CUSTOMS-LS\nHQ02,KHONG-CO\n');
    await analyst.getByLabel(vi['risk.import.file']).setInputFiles(file);
    await analyst.getByRole('button', { name: vi['risk.offices.import.submit'] }).click();
    await analyst.getByText(vi['risk.offices.import.nothing']).waitFor();
    const problems = analyst.getByRole('table', { name: vi['risk.import.problems'] });
    await problems.getByRole('row').filter({ hasText: 'HQ 02' }).getByRole('cell', { name: '3', exact: true }).waitFor();
    await problems.getByRole('row').filter({ hasText: 'KHONG-CO' }).getByRole('cell', { name: '4', exact: true }).waitFor();
    const hq01 = analyst.getByRole('row').filter({ has: analyst.getByRole('rowheader', { name: 'HQ01', exact: true }) }).getByRole('combobox');
    expect(await hq01.inputValue()).toBe(''); // all or nothing: HQ01's good line waits for the others
    await shot(analyst, 'risk-offices-import-problems');

    // The corrected file, saved under another name (picking the same name again works in a browser, see
    // OfficesImport, but Chromium's automation does not fire a change for an unchanged path).
    const fixed = file.replace('chi-cuc.csv', 'chi-cuc-da-sua.csv');
    writeFileSync(fixed, 'Mã chi cục,Mã đơn vị\nHQ01,CUSTOMS-LS\nHQ02,CUSTOMS-HP\n');
    await analyst.getByLabel(vi['risk.import.file']).setInputFiles(fixed);
    await analyst.getByRole('button', { name: vi['risk.offices.import.submit'] }).click();
    await analyst.getByText(vi['risk.offices.import.summary'].replace('{lines}', '2').replace('{applied}', '2').replace('{changed}', '2').replace('{rejected}', '0')).waitFor();
    await expect.poll(() => hq01.inputValue()).toContain('(CUSTOMS-LS)');
  }, SLOW);

  it('an officer opens a declaration on a phone, sees why it went red and records the outcome', async () => {
    // Signed in at desktop width (the phone layout folds the navigation the login helper waits for), then a phone.
    const phone = await cordon.newPage();
    await login(phone, cordon.url, 'customs.officer');
    await phone.setViewportSize(PHONE);
    await phone.goto(cordon.url + '/risk?tab=scored');
    await phone.getByLabel(vi['risk.channel'], { exact: true }).selectOption('red');
    await phone.locator('.risk-table tbody tr').first().getByRole('link').waitFor();
    await fitsWidth(phone, PHONE.width);
    await shot(phone, 'risk-scored-phone');
    await phone.locator('.risk-table tbody tr').first().getByRole('link').click();
    await phone.getByRole('heading', { name: vi['risk.detail.channel'] }).waitFor();
    await phone.getByRole('heading', { name: vi['risk.why'], exact: true }).waitFor();
    // A numeric column of the (demo's) mapping reads as a Vietnamese number (12.345), codes stay as typed.
    const value = phone.locator('.risk-fields div').filter({ hasText: 'Trị giá khai báo (USD)' }).locator('dd');
    await expect.poll(() => value.innerText(), { timeout: 30_000 }).toMatch(/^\d{1,3}(\.\d{3})*$/);
    await fitsWidth(phone, PHONE.width);
    await phone.getByLabel(vi['risk.outcome.result']).selectOption('1');
    await phone.getByLabel(vi['risk.outcome.revenue']).fill('25000000');
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    await phone.getByLabel(vi['risk.outcome.inspectedOn']).fill(today);
    await phone.getByRole('button', { name: vi['risk.outcome.save'] }).click();
    await phone.getByRole('status').filter({ hasText: vi['common.saved'] }).waitFor();
    await shot(phone, 'risk-declaration-phone');
  }, SLOW);

  it('shows an officer below Customs HQ only the offices of their unit', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer'); // Lạng Sơn: the demo assigns 20BC and 20BD to it
    await page.goto(cordon.url + '/risk?tab=offices');
    await page.getByText(vi['risk.offices.scoped']).waitFor();
    await page.getByRole('rowheader', { name: '20BC', exact: true }).waitFor();
    expect(await page.getByRole('rowheader', { name: '01B1', exact: true }).count()).toBe(0);
    await shot(page, 'risk-offices-officer');
  }, SLOW);

  it('tells an officer of another force that declarations are Customs data', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'border.officer');
    await page.goto(cordon.url + '/risk');
    await page.getByText(vi['risk.customsOnly']).waitFor();
  });
});
