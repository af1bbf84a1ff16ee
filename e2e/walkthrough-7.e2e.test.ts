// What session 7's walk-through of the case registry and the risk screens found awkward, and now works
// (docs/development.md, "Walk-through, session 7").
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, apiCall, apiSignIn, fitsWidth, login, shot, text, useCordon } from './support.js';

const { vi } = text;
const LAPTOP = { width: 1366, height: 768 };
const SLOW = 240_000;

/** A day in Vietnam, `days` from today, as yyyy-MM-dd. */
const vnDay = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

describe('walk-through, session 7', () => {
  const cordon = useCordon({ viewport: LAPTOP, pageTimeout: 90_000 }); // 90 s: a shared, loaded machine

  /** The demo's dataset once its model has trained (in the background after start) and scored. */
  async function demoReady(page: Page) {
    const byChannel = page.getByRole('table', { name: vi['risk.dash.by.channel'] });
    for (let tries = 0; ; tries++) {
      await page.goto(cordon.url + '/risk');
      await page.getByRole('heading', { name: vi['risk.title'] }).waitFor();
      if (await byChannel.isVisible().catch(() => false)) return;
      if (tries > 60) throw new Error('the risk demo did not finish');
      await page.waitForTimeout(3000);
    }
  }

  it('a risk analyst finds drift and the active model on the overview, the whole models table on a laptop, and comes back to the dataset they chose', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'risk');
    await demoReady(page);
    // Drift was only on the Models tab: the overview now says how recent scores compare with training.
    const drift = page.locator('.risk-drift');
    await drift.getByRole('heading', { name: vi['risk.drift.title'].replace('{days}', '30') }).waitFor();
    await drift.getByText(vi['risk.drift.activeModel'].split('{v}')[0]!).waitFor();
    await drift.getByText('PSI', { exact: true }).waitFor();
    await shot(page, 'walk7-risk-dashboard');

    // Four "Precision @n%" headers pushed AUC out of sight at 1366 px: one group header over @1% … @10%.
    await page.getByRole('link', { name: vi['risk.tab.models'] }).click();
    const models = page.getByRole('table', { name: vi['risk.models.title'] });
    await models.getByRole('columnheader', { name: 'AUC' }).waitFor();
    const wrap = page.locator('.risk-table-wrap').filter({ has: models });
    expect(await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);

    // A second dataset, chosen; the navigation's "Quản lý rủi ro" (no ?m=) used to open the first one again.
    const s = await apiSignIn(cordon.url, 'risk');
    const name = `Bộ dữ liệu của tôi ${Date.now().toString(36)}`;
    await apiCall(cordon.url, s, 'POST', '/api/risk/mappings', { name, mapping: { id: 'so', date: 'ngay', label: 'kq', categorical: ['hs'], numeric: [] } });
    await page.goto(cordon.url + '/risk');
    await page.getByLabel(vi['risk.mapping.label']).selectOption({ label: name });
    await page.getByRole('link', { name: vi['risk.tab.rules'] }).click();
    await page.goto(cordon.url + '/');
    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.risk'] }).click();
    await page.getByRole('heading', { name: vi['risk.title'] }).waitFor();
    await page.locator('#risk-mapping option:checked').filter({ hasText: name }).waitFor({ state: 'attached' });
    // A link naming a dataset still wins over the remembered one.
    const demoId = await page.locator('#risk-mapping option').first().getAttribute('value');
    await page.goto(`${cordon.url}/risk?m=${demoId}&tab=dashboard`);
    await expect.poll(() => page.getByLabel(vi['risk.mapping.label']).inputValue()).toBe(demoId);
    await page.context().close();
  }, SLOW);

  it("shows the declaration's day as dd/mm/yyyy; records revenue typed the Vietnamese way (25.000.000) as 25 million dong, not 25, and refuses a decimal", async () => {
    const s = await apiSignIn(cordon.url, 'risk');
    const { items: mappings } = await apiCall(cordon.url, s, 'GET', '/api/risk/mappings');
    const demo = mappings.find((m: { declarations: number }) => m.declarations > 0);
    const { items } = await apiCall(cordon.url, s, 'GET', `/api/risk/declarations?mappingId=${demo.id}&scored=yes&outcome=none&limit=1`);
    const id: string = items[0].id;

    const page = await cordon.newPage();
    await login(page, cordon.url, 'risk');
    await page.goto(`${cordon.url}/risk/declarations/${id}`);
    // The declaration's date reads as the day it was taken as (dd/mm/yyyy), not the file's text.
    const declaredOn: string = (await apiCall(cordon.url, s, 'GET', `/api/risk/declarations/${id}`)).declaredOn;
    await page.locator('.risk-fields dd').filter({ hasText: declaredOn.split('-').reverse().join('/') }).first().waitFor();
    expect(await page.locator('.risk-fields dd').filter({ hasText: declaredOn }).count()).toBe(0);
    await page.getByLabel(vi['risk.outcome.result']).selectOption('1');
    const revenue = page.getByLabel(vi['risk.outcome.revenue']);
    // Typed key by key as an officer does (a number input took it as 25.000000 and recorded 25 ₫).
    await revenue.fill('');
    await revenue.pressSequentially('25.000.000');
    await page.getByRole('button', { name: vi['risk.outcome.save'] }).click();
    await page.getByRole('status').filter({ hasText: vi['common.saved'] }).waitFor();
    const recorded = async () => (await apiCall(cordon.url, s, 'GET', `/api/risk/declarations/${id}`)).outcome.revenueVnd;
    expect(await recorded()).toBe(25_000_000);

    // A decimal is named at the field instead of being read as 255; nothing is sent.
    await revenue.fill('25,5');
    await page.getByRole('button', { name: vi['risk.outcome.save'] }).click();
    await page.locator('.field-invalid').getByLabel(vi['risk.outcome.revenue']).waitFor();
    expect(await recorded()).toBe(25_000_000);
    // Typed as digits, it reads the Vietnamese way once left.
    await revenue.fill('7000000');
    await revenue.press('Tab');
    expect(await revenue.inputValue()).toBe('7.000.000');
    await shot(page, 'walk7-risk-outcome');
    await page.context().close();
  }, SLOW);

  it('after an import with outcomes, points the analyst on to training (the import was a dead end)', async () => {
    const s = await apiSignIn(cordon.url, 'risk');
    const m = await apiCall(cordon.url, s, 'POST', '/api/risk/mappings', {
      name: `Nhập rồi huấn luyện ${Date.now().toString(36)}`, mapping: { id: 'so', date: 'ngay', label: 'kq', categorical: ['hs'], numeric: [] },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'walk7-')), 'to-khai.csv');
    writeFileSync(file, 'so,ngay,hs,kq\nA1,2026-05-01,2402,1\nA2,2026-05-02,8541,0\nA3,2026-05-03,6109,0\n');
    const page = await cordon.newPage();
    await login(page, cordon.url, 'risk');
    await page.goto(`${cordon.url}/risk?m=${m.id}&tab=import`);
    await page.getByLabel(vi['risk.import.file']).setInputFiles(file);
    await page.getByRole('button', { name: vi['risk.import.submit'], exact: true }).click();
    await page.getByRole('link', { name: vi['risk.import.nextTrain'] }).click();
    await page.getByRole('button', { name: vi['risk.models.train'] }).waitFor();
    expect(new URL(page.url()).searchParams.get('m')).toBe(m.id);
    await page.context().close();
  }, SLOW);

  it('on a phone, keeps the header above the risk tabs short and the tab in use in sight, and shows a table caption as a heading', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'risk');
    await page.setViewportSize(PHONE);
    await page.goto(cordon.url + '/risk?tab=offices');
    const tabs = page.getByRole('navigation', { name: vi['risk.tabs'] });
    const current = tabs.getByRole('link', { name: vi['risk.tab.offices'] });
    await current.waitFor();
    await expect.poll(async () => {
      const [n, c] = await Promise.all([tabs.boundingBox(), current.boundingBox()]);
      return !!n && !!c && c.x >= n.x - 1 && c.x + c.width <= n.x + n.width + 1;
    }).toBe(true);
    // The header above the tabs (title, intro, dataset, rename, counts) took ~390 px from the title down
    // on a phone (the dataset and its rename button stacked, the counts apart): now ~250.
    const header = (await tabs.boundingBox())!.y - (await page.getByRole('heading', { level: 1 }).boundingBox())!.y;
    expect(header).toBeLessThan(320);
    await shot(page, 'walk7-risk-phone-header');
    await page.goto(cordon.url + '/risk?tab=models');
    const caption = page.getByText(vi['risk.drift.hitRates'], { exact: true });
    await caption.waitFor();
    // It was squeezed into a column one word wide.
    expect((await caption.boundingBox())!.width).toBeGreaterThan(200);
    await fitsWidth(page, PHONE.width);
    await page.context().close();
  }, SLOW);

  it('on a phone, a case\'s next workflow step comes right after its facts, before goods, attachments and joint cases', async () => {
    const s = await apiSignIn(cordon.url, 'customs.officer');
    const c = await apiCall(cordon.url, s, 'POST', '/api/cases', {
      title: `Xe tải chở đường cát nhập lậu ${Date.now().toString(36)}`, violationType: 'SMUGGLING', detectedOn: vnDay(-1), provinceCode: '20',
      goods: [{ category: 'SUGAR', description: 'Đường cát trắng', quantity: 300, unit: 'bao', valueVnd: 45_000_000 }],
    });
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    await page.setViewportSize(PHONE);
    await page.goto(`${cordon.url}/cases/${c.id}`);
    const workflow = page.getByRole('region', { name: vi['case.workflow'] });
    const goods = page.getByRole('region', { name: vi['case.goods'] });
    const attachments = page.getByRole('region', { name: vi['attach.title'] });
    const history = page.getByRole('region', { name: vi['case.history'] });
    await Promise.all([workflow.waitFor(), goods.waitFor(), attachments.waitFor(), history.waitFor()]);
    const top = async (l: typeof workflow) => (await l.boundingBox())!.y;
    const facts = page.getByRole('region', { name: vi['case.facts'] });
    expect(await top(facts)).toBeLessThan(await top(workflow));
    expect(await top(workflow)).toBeLessThan(await top(goods));
    expect(await top(goods)).toBeLessThan(await top(attachments));
    expect(await top(attachments)).toBeLessThan(await top(history));
    await fitsWidth(page, PHONE.width);
    await shot(page, 'walk7-case-phone');

    // On a laptop the step stays in the right-hand column beside the facts.
    await page.setViewportSize(LAPTOP);
    const [f, w] = await Promise.all([facts.boundingBox(), workflow.boundingBox()]);
    expect(w!.x).toBeGreaterThan(f!.x + f!.width - 1);
    await page.context().close();
  });

  it('records a fine paid after the penalty decision, added to the amount collected', async () => {
    const s = await apiSignIn(cordon.url, 'customs.officer');
    let c = await apiCall(cordon.url, s, 'POST', '/api/cases', {
      title: `Phạt nộp dần ${Date.now().toString(36)}`, violationType: 'SMUGGLING', detectedOn: vnDay(-3), provinceCode: '20',
      goods: [{ category: 'SUGAR', description: 'Đường cát trắng', quantity: 300, unit: 'bao', valueVnd: 45_000_000 }],
    });
    c = await apiCall(cordon.url, s, 'POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'handling' });
    c = await apiCall(cordon.url, s, 'POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'penalized', penalty: { decisionNo: '07/QĐ-XPHC', decidedOn: vnDay(-1), fineVnd: 60_000_000 } });
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    await page.goto(`${cordon.url}/cases/${c.id}`);
    const outcome = page.getByRole('region', { name: vi['case.outcome'] });
    await outcome.getByRole('button', { name: vi['case.collection.add'] }).click();
    const form = outcome.getByRole('form', { name: vi['case.collection.add'] });
    // Nothing typed: the amount is named as missing, nothing is sent.
    await form.getByRole('button', { name: vi['case.collection.save'] }).click();
    await form.locator('.field-invalid').getByLabel(vi['case.collection.amount']).waitFor();
    await form.getByLabel(vi['case.collection.amount']).fill('25.000.000');
    await form.getByLabel(vi['case.collection.note']).fill('Biên lai 0012345');
    await form.getByRole('button', { name: vi['case.collection.save'] }).click();
    await page.getByRole('status').filter({ hasText: '25.000.000' }).waitFor();
    expect((await apiCall(cordon.url, s, 'GET', `/api/cases/${c.id}`)).outcome.collectedVnd).toBe(25_000_000);
    // the total, and the payment's line in the list of amounts collected (session 8)
    await expect.poll(() => outcome.getByText(/25\.000\.000\s₫/).count()).toBe(2);
    await shot(page, 'walk7-case-collection');
    await page.context().close();
  });
});
