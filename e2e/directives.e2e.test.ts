import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, fitsWidth, login, shot, text, useCordon } from './support.js';

const { vi } = text;

/** dd/mm/yyyy in Vietnam, `days` from now: dates are typed day first. */
const vnDate = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10).split('-').reverse().join('/');

describe('directives and follow-up in a browser', () => {
  const cordon = useCordon();
  const token = Date.now().toString(36);
  const number = `${token}/CĐ-E2E`;
  const taskTitle = `Kiểm tra cơ sở kinh doanh sữa ${token}`;
  const reportText = `Đã kiểm tra 12 cơ sở, phát hiện 2 vụ ${token}`;
  let taskUrl = '';

  /** The unit picker: type the code, click the unit in the list that opens. */
  async function pickUnit(page: Page, selector: string, code: string) {
    await page.locator(selector).fill(code);
    await page.getByRole('listbox').getByRole('option', { name: new RegExp(`${code}$`) }).click();
    expect(await page.locator(selector).inputValue()).toMatch(new RegExp(`\\(${code}\\)$`));
  }

  it('the standing office issues a directive with two tasks', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'analyst');
    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.directives'] }).click();
    // The demo seed's directives are there, so the screens are not empty.
    await page.getByRole('link', { name: vi['dir.tab.list'], exact: true }).click();
    await page.getByRole('link', { name: '40/CĐ-TTg' }).waitFor();
    await page.getByRole('link', { name: vi['dir.new'] }).click();
    await page.getByRole('heading', { name: vi['dir.new'] }).waitFor();

    await page.getByLabel(vi['dir.number']).fill(number);
    // A day that does not exist, then straight to Save: one click sends it, and the form says how to type a date.
    await page.getByLabel(vi['dir.issuedOn']).fill('31/02/2026');
    await page.getByRole('button', { name: vi['common.save'] }).click();
    await page.getByRole('alert').getByRole('link', { name: vi['dir.issuedOn'] }).waitFor();
    await page.getByText(vi['date.invalidFormat'], { exact: true }).first().waitFor();
    await page.getByLabel(vi['dir.issuedOn']).fill(vnDate(0));
    await page.getByLabel(vi['dir.issuer']).fill('Thủ tướng Chính phủ');
    await page.getByLabel(vi['dir.title'], { exact: true }).fill('Công điện về xử lý sữa giả');
    await page.locator('#directive-new-tasks-0-title').fill(taskTitle);
    await page.locator('#directive-new-tasks-0-reportRequirement').fill('Số cơ sở kiểm tra, số vụ vi phạm');
    await pickUnit(page, '#directive-new-tasks-0-assignedUnitId', 'BCD389-20');
    await page.locator('#directive-new-tasks-0-deadline').fill(vnDate(2));
    await page.getByRole('button', { name: `+ ${vi['dir.addTask']}` }).click();
    await page.locator('#directive-new-tasks-1-title').fill(`Kiểm tra kho hàng tại cảng ${token}`);
    await page.locator('#directive-new-tasks-1-reportRequirement').fill('Số container kiểm tra');
    await pickUnit(page, '#directive-new-tasks-1-assignedUnitId', 'BCD389-31');
    await page.locator('#directive-new-tasks-1-deadline').fill(vnDate(10));
    await page.getByRole('button', { name: vi['common.save'] }).click();

    await page.getByText(vi['dir.saved']).waitFor();
    await page.getByRole('heading', { name: new RegExp(number) }).waitFor();
    await page.getByRole('link', { name: taskTitle }).waitFor();
    await page.getByRole('link', { name: `Kiểm tra kho hàng tại cảng ${token}` }).waitFor();
    await shot(page, 'directive-page');
    await page.context().close();
  });

  it('the standing office applies the Tết template to two provinces it finds by typing', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'analyst');
    await page.goto(cordon.url + '/directives');
    await page.getByRole('link', { name: vi['dir.new'] }).click();
    await page.getByLabel(vi['dir.number']).fill(`${token}/KH-TET`);
    await page.getByLabel(vi['dir.issuedOn']).fill(vnDate(0));
    await page.getByLabel(vi['dir.issuer']).fill('Ban Chỉ đạo 389 quốc gia');
    await page.getByLabel(vi['dir.title'], { exact: true }).fill('Kế hoạch cao điểm Tết');
    await page.getByLabel(vi['dir.template'], { exact: true }).selectOption({ index: 1 });
    await page.getByLabel(vi['dir.anchorDate']).fill(vnDate(60));
    // Units are added one at a time from the searchable picker and show as chips that can be taken off.
    const units = page.getByRole('combobox', { name: vi['dir.templateUnits'] });
    const chips = page.locator('.unit-chips .chip');
    for (const code of ['BCD389-20', 'BCD389-31', 'BCD389-01']) {
      await units.fill(code);
      await page.getByRole('listbox').getByRole('option', { name: new RegExp(`${code}$`) }).click();
    }
    await expect.poll(() => chips.count()).toBe(3);
    await chips.filter({ hasText: 'BCD389-01' }).getByRole('button').click();
    await expect.poll(() => chips.allTextContents()).toEqual([expect.stringContaining('BCD389-20'), expect.stringContaining('BCD389-31')]);
    // A unit already chosen is not offered again.
    await units.fill('BCD389-20');
    await page.getByText(vi['unitPicker.none']).waitFor();
    await units.press('Escape');
    await shot(page, 'directive-template-units');
    await page.getByRole('button', { name: vi['common.save'] }).click();

    await page.getByText(vi['dir.saved']).waitFor();
    // Each of the two provinces gets every step of the template.
    await expect.poll(() => page.getByRole('link', { name: 'Tổng kết đợt cao điểm' }).count()).toBe(2);
    await page.context().close();
  });

  it('a province sees its task on a phone, reports progress and marks it done', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'province.coordinator');
    await page.setViewportSize(PHONE); // signed in; now a phone
    await page.goto(cordon.url + '/directives');
    await page.getByRole('heading', { name: vi['mine.dueSoon'].replace('{days}', '3') }).waitFor();
    // Its own task, not Hải Phòng's.
    const link = page.getByRole('link', { name: taskTitle }).first();
    await link.waitFor();
    expect(await page.getByRole('link', { name: `Kiểm tra kho hàng tại cảng ${token}` }).count()).toBe(0);
    await fitsWidth(page, PHONE.width);
    await shot(page, 'directives-mine-phone');
    await link.click();
    taskUrl = page.url();

    await page.getByLabel(vi['task.reportBody']).fill(reportText);
    await page.getByLabel(`${vi['task.figureLabel']} 1`).fill('Số vụ');
    await page.getByLabel(`${vi['task.figureValue']} 1`).fill('2');
    await page.getByLabel(`${vi['task.figureUnit']} 1`).fill('vụ');
    await page.getByRole('button', { name: vi['task.sendReport'] }).click();
    await page.getByText(vi['task.reported']).waitFor();
    await page.getByText(reportText).waitFor();
    await page.getByRole('button', { name: vi['task.submit'] }).click();
    await page.getByText(vi['task.submitted']).waitFor();
    // The province cannot accept its own work.
    expect(await page.getByRole('button', { name: vi['task.accept'] }).count()).toBe(0);
    await fitsWidth(page, PHONE.width);
    await shot(page, 'task-submitted-phone');
    await page.context().close();
  });

  it('the standing office accepts it and sees compliance', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'analyst');
    await page.goto(taskUrl);
    await page.getByText(reportText).waitFor();
    await page.getByRole('button', { name: vi['task.accept'] }).click();
    await page.getByText(vi['task.accepted']).waitFor();
    await page.getByText(vi['taskEvent.accept'], { exact: true }).waitFor();

    await page.goto(cordon.url + '/directives/compliance?by=directive');
    const row = page.getByRole('row', { name: new RegExp(number) });
    await row.waitFor();
    // Two tasks: one on time, one outstanding.
    expect((await row.getByRole('cell').allTextContents()).slice(0, 5)).toEqual(['2', '1', '0', '1', '0']);
    await shot(page, 'directives-compliance');
    await page.context().close();
  });
});
