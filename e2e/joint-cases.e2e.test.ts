import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, apiAs, fitsWidth, login, shot, text, useCordon } from './support.js';

const { vi } = text;
const fill = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

interface Case { id: string; code: string; countsInStatistics: boolean }

// Customs and the Border Guard of Lạng Sơn record the same truck a day apart (the plate written two
// ways); Cordon proposes a joint case, and it takes both sides to make it one.
describe('a joint case agreed by both forces in a browser', () => {
  const cordon = useCordon();
  let customsCase: Case;
  let borderCase: Case;
  const tag = Date.now().toString(36);
  const plate = `12C-${tag.slice(-3)}.${tag.slice(-5, -3)}`;

  beforeAll(async () => {
    const vnDay = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
    const customs = await apiAs(cordon.url, 'customs.officer');
    const border = await apiAs(cordon.url, 'border.officer');
    customsCase = await customs<Case>('POST', '/api/cases', {
      title: `Hải quan bắt xe tải chở thuốc lá lậu ${tag}`, violationType: 'SMUGGLING', detectedOn: vnDay(-3), provinceCode: '20',
      goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá điếu Jet', quantity: 3000, unit: 'bao', valueVnd: 90_000_000 }],
      subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải Hino', plate }],
    });
    borderCase = await border<Case>('POST', '/api/cases', {
      title: `Biên phòng thu giữ xe tải thuốc lá ngoại ${tag}`, violationType: 'SMUGGLING', detectedOn: vnDay(-2), provinceCode: '20',
      goods: [{ category: 'CIGARETTES', description: 'Thuốc lá ngoại các loại', quantity: 2950, unit: 'bao' }],
      subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: plate.replace(/[-.]/g, ' ') }],
    });
  });

  /** The joint-case panel's proposal naming the other case (the demo data may propose others too). */
  const proposal = (page: Page, otherCode: string) =>
    page.getByRole('region', { name: vi['links.title'] }).locator('.repeat-row').filter({ has: page.getByRole('link', { name: otherCode, exact: true }) });
  const counts = async (username: string) => {
    const as = await apiAs(cordon.url, username);
    return Promise.all([customsCase, borderCase].map(async (c) => (await as<Case>('GET', `/api/cases/${c.id}`)).countsInStatistics));
  };

  it('the customs officer agrees to a lead unit, and the page says it waits for the Border Guard', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    await page.goto(`${cordon.url}/cases/${customsCase.id}`);
    const item = proposal(page, borderCase.code);
    await item.waitFor();
    await item.getByText(vi['links.status.proposed'], { exact: true }).waitFor();
    // Before anyone agrees the page says what it takes.
    await item.getByText(vi['links.needsBoth']).waitFor();
    // Its own unit leads by default.
    expect(await item.getByRole('radio', { name: 'Chi cục Hải quan khu vực Lạng Sơn' }).isChecked()).toBe(true);
    await item.getByRole('button', { name: vi['links.confirm'] }).click();

    await page.getByRole('status').filter({ hasText: vi['links.agreedDone'] }).waitFor();
    await item.getByText(vi['links.status.waiting'], { exact: true }).waitFor();
    // Who agreed, for which case, to which lead (the time varies).
    const before = fill(vi['links.agreement'], { case: customsCase.code, lead: 'Chi cục Hải quan khu vực Lạng Sơn', user: 'customs.officer', time: '' });
    expect(await item.getByRole('listitem').filter({ hasText: before.slice(0, before.indexOf(', )')) }).count()).toBe(1);
    await item.getByText(vi['links.waiting']).waitFor();
    // Nothing is merged yet: both cases still count.
    expect(await counts('customs.officer')).toEqual([true, true]);
    await shot(page, 'joint-case-waiting');
    await page.setViewportSize(PHONE);
    await fitsWidth(page, PHONE.width);
    await shot(page, 'joint-case-waiting-phone');
    await page.context().close();
  });

  it('the Border Guard officer sees it is their turn, agrees to the same lead, and the joint case counts once', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'border.officer');
    await page.goto(`${cordon.url}/cases/${borderCase.id}`);
    const item = proposal(page, customsCase.code);
    await item.waitFor();
    await item.getByText(vi['links.status.yourTurn'], { exact: true }).waitFor();
    await item.getByText(vi['links.yourTurn']).waitFor();
    // The lead the other side agreed to is offered.
    expect(await item.getByRole('radio', { name: 'Chi cục Hải quan khu vực Lạng Sơn' }).isChecked()).toBe(true);
    await item.getByRole('button', { name: vi['links.confirm'] }).click();

    await page.getByRole('status').filter({ hasText: vi['links.confirmedDone'] }).waitFor();
    await item.getByText(vi['links.status.confirmed'], { exact: true }).waitFor();
    await item.getByText(fill(vi['links.countedOnce'], { case: customsCase.code, lead: 'Chi cục Hải quan khu vực Lạng Sơn' })).waitFor();
    expect(await item.getByRole('button', { name: vi['links.confirm'] }).count()).toBe(0);
    // The page's own facts follow: this record no longer counts on its own.
    await page.getByText(vi['case.notCounted']).waitFor();
    expect(await counts('border.officer')).toEqual([true, false]);
    await shot(page, 'joint-case-confirmed');
    await page.context().close();
  });

  it("the province's coordinator finds a proposal in the queue, confirms it with a lead, and it leaves the list", async () => {
    // Another truck, a week earlier (out of the first pair's day window), recorded by both forces.
    const vnDay = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
    const other = `14C-${tag.slice(-3)}.${tag.slice(-5, -3)}`;
    const record = async (username: string, title: string, plateAs: string) =>
      (await apiAs(cordon.url, username))<Case>('POST', '/api/cases', {
        title: `${title} ${tag}`, violationType: 'SMUGGLING', detectedOn: vnDay(-10), provinceCode: '20',
        goods: [{ category: 'CIGARETTES', description: 'Thuốc lá điếu', quantity: 1200, unit: 'bao' }],
        subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: plateAs }],
      });
    const a = await record('customs.officer', 'Hải quan giữ xe tải thuốc lá', other);
    const b = await record('border.officer', 'Biên phòng giữ xe tải thuốc lá', other.replace(/[-.]/g, ' '));

    const page = await cordon.newPage();
    await login(page, cordon.url, 'province.coordinator');
    const nav = page.getByRole('navigation', { name: vi['shell.nav'] });
    // The navigation counts the proposals waiting in the province.
    await nav.getByTestId('joint-queue-badge').waitFor();
    await nav.getByRole('link', { name: new RegExp(vi['jointQueue.nav']) }).click();
    await page.getByRole('heading', { level: 1, name: vi['jointQueue.title'] }).waitFor();
    const card = page.getByTestId('link-card').filter({ has: page.getByRole('link', { name: a.code, exact: true }) }).filter({ has: page.getByRole('link', { name: b.code, exact: true }) });
    await card.waitFor();
    // The coordinator confirms alone: the card says so rather than asking for both sides.
    await card.getByText(vi['links.coordinatorConfirms']).waitFor();
    expect(await card.getByText(vi['links.needsBoth']).count()).toBe(0);
    // Only the queue's link is current in the navigation, not "Vụ việc" above it as well.
    expect(await nav.locator('a[aria-current="page"]').allTextContents()).toEqual([expect.stringContaining(vi['jointQueue.nav'])]);
    await card.getByRole('radio', { name: 'Chi cục Hải quan khu vực Lạng Sơn' }).check();
    await shot(page, 'joint-queue');
    await page.setViewportSize(PHONE);
    await fitsWidth(page, PHONE.width);
    await shot(page, 'joint-queue-phone');
    await page.setViewportSize(DESKTOP);
    const badge = nav.getByTestId('joint-queue-badge');
    const waiting = async () => ((await badge.count()) ? Number(await badge.locator('[aria-hidden="true"]').textContent()) : 0);
    const before = await waiting();
    await card.getByRole('button', { name: vi['links.confirm'] }).click();

    await page.getByRole('status').filter({ hasText: vi['links.confirmedDone'] }).waitFor();
    await card.waitFor({ state: 'detached' });
    // The badge counts one fewer.
    await expect.poll(waiting).toBe(before - 1);
    // The coordinator alone made it one joint case led by Customs: the Border Guard's record no longer counts.
    const coordinator = await apiAs(cordon.url, 'province.coordinator');
    expect(await Promise.all([a, b].map(async (c) => (await coordinator<Case>('GET', `/api/cases/${c.id}`)).countsInStatistics))).toEqual([true, false]);
    // Still gone after a reload.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: vi['jointQueue.title'] }).waitFor();
    await page.getByText(vi['jointQueue.intro']).waitFor();
    await page.getByRole('status').filter({ hasText: vi['common.loading'] }).waitFor({ state: 'detached' });
    expect(await page.getByTestId('link-card').filter({ has: page.getByRole('link', { name: a.code, exact: true }) }).count()).toBe(0);
    await page.context().close();
  });
});
