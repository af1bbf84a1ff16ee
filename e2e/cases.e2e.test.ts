import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, DESKTOP, PHONE, fitsWidth, login, logout, shot, text, useCordon } from './support.js';

const { vi } = text;

describe('the case registry in a browser', () => {
  const cordon = useCordon();
  // A word no demo case contains, so the search finds exactly the case recorded here.
  const token = `kiemtra${Date.now().toString(36)}`;
  const title = `Thuốc lá điếu Jet nhập lậu qua cửa khẩu Tân Thanh ${token}`;
  let caseUrl = '';

  /** Yesterday in Vietnam: "today" may still be tomorrow for a server clock in UTC. */
  function yesterday(): string {
    const d = new Date(Date.now() + 7 * 3600_000 - 24 * 3600_000);
    return d.toISOString().slice(0, 10);
  }

  it('a customs officer records a case with a goods line and a subject, finds it without diacritics and moves it to handling and an administrative penalty', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.cases'], exact: true }).click();
    await page.getByRole('heading', { name: vi['section.cases'] }).waitFor();
    await page.getByRole('link', { name: vi['cases.record'], exact: true }).click();
    await page.getByRole('heading', { name: vi['caseForm.newTitle'] }).waitFor();

    // Sending the empty form: the server's problems appear at the top and beside each field.
    await page.getByRole('button', { name: vi['caseForm.submitNew'], exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: vi['error.INVALID_INPUT'] });
    await summary.waitFor();
    expect(await summary.getByRole('link', { name: vi['caseForm.title'] }).count()).toBe(1);
    await shot(page, 'case-form-errors');

    await page.getByLabel(vi['caseForm.title'], { exact: true }).fill(title);
    await page.getByLabel(vi['caseForm.summary'], { exact: true }).fill('Tổ kiểm soát phát hiện xe tải chở 3.000 bao thuốc lá Jet không có hóa đơn chứng từ.');
    await page.getByLabel(vi['caseForm.violationType'], { exact: true }).selectOption('SMUGGLING');
    await page.getByLabel(vi['caseForm.detectedOn'], { exact: true }).fill(yesterday());
    await page.getByLabel(vi['caseForm.route'], { exact: true }).selectOption('ROAD');
    await page.getByLabel(vi['caseForm.province'], { exact: true }).selectOption('20');
    await page.getByLabel(vi['caseForm.borderGate'], { exact: true }).fill('Tân Thanh');

    await page.getByRole('button', { name: vi['caseForm.addGoods'] }).click();
    const goods = page.getByRole('group', { name: vi['caseForm.goodsLine'].replace('{n}', '1') });
    await goods.getByLabel(vi['caseForm.category'], { exact: true }).selectOption('CIGARETTES');
    await goods.getByLabel(vi['caseForm.hsCode'], { exact: true }).fill('2402.20');
    await goods.getByLabel(vi['caseForm.description'], { exact: true }).fill('Thuốc lá điếu Jet');
    await goods.getByLabel(vi['caseForm.quantity'], { exact: true }).fill('3000');
    await goods.getByLabel(vi['caseForm.unit'], { exact: true }).fill('bao');
    await goods.getByLabel(vi['caseForm.valueVnd'], { exact: true }).fill('-5');

    await page.getByRole('button', { name: vi['caseForm.addSubject'] }).click();
    const subject = page.getByRole('group', { name: vi['caseForm.subject'].replace('{n}', '1') });
    await subject.getByLabel(vi['caseForm.role'], { exact: true }).selectOption('driver');
    await subject.getByLabel(vi['caseForm.name.person'], { exact: true }).fill('Nguyễn Văn Tài');
    await subject.getByLabel(vi['caseForm.idNumber'], { exact: true }).fill('020089001234');
    await subject.getByLabel(vi['caseForm.phone'], { exact: true }).fill('0912345678');

    // A negative value is refused by the server and shown beside the value of goods line 1.
    await page.getByRole('button', { name: vi['caseForm.submitNew'], exact: true }).click();
    await goods.locator('.field-invalid').getByLabel(vi['caseForm.valueVnd'], { exact: true }).waitFor();
    await shot(page, 'case-form-goods-error');
    await goods.getByLabel(vi['caseForm.valueVnd'], { exact: true }).fill('90.000.000');
    await shot(page, 'case-form');
    await page.getByRole('button', { name: vi['caseForm.submitNew'], exact: true }).click();

    await page.getByRole('heading', { name: title }).waitFor();
    caseUrl = page.url();
    expect(caseUrl).toMatch(/\/cases\/[0-9a-f-]{36}$/);
    await page.getByRole('cell', { name: 'Thuốc lá điếu Jet' }).waitFor();
    // The HS code reads as it was typed (stored as digits: 240220).
    await page.getByRole('cell', { name: '2402.20', exact: true }).waitFor();
    // Scoped: a "seen in other cases" notice may name the same person when the database holds an earlier run's case.
    await page.getByRole('region', { name: vi['case.subjects'], exact: true }).getByText('Nguyễn Văn Tài').waitFor();

    // Find it from the list by words typed without diacritics.
    await page.getByRole('link', { name: vi['case.back'] }).click();
    await page.getByLabel(vi['cases.searchLabel'], { exact: true }).fill(`thuoc la dieu jet tan thanh ${token}`);
    await page.getByLabel(vi['cases.searchLabel'], { exact: true }).press('Enter');
    await page.waitForURL(/[?&]q=thuoc/);
    const found = page.getByRole('link', { name: title });
    // The previous list may still show while the search loads: wait for the searched list itself.
    await expect.poll(() => page.locator('.case-table tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await found.waitFor();
    await shot(page, 'cases-list-search');
    await found.click();

    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByRole('button', { name: vi['caseAction.handling'], exact: true }).click();
    await page.getByRole('button', { name: `${vi['case.confirm']}: ${vi['caseAction.handling']}` }).click();
    await page.locator('.case-header').getByText(vi['caseStatus.handling'], { exact: true }).waitFor();
    await page.getByRole('button', { name: vi['caseAction.penalized'], exact: true }).waitFor();
    await shot(page, 'case-page');

    // An administrative penalty: amounts typed as digits read the Vietnamese way once the field is left.
    await page.getByRole('button', { name: vi['caseAction.penalized'], exact: true }).click();
    const penalty = page.getByRole('form', { name: vi['caseAction.penalized'] });
    await penalty.getByLabel(vi['case.decisionNo'], { exact: true }).fill('15/QĐ-XPHC');
    const fine = penalty.getByLabel(vi['case.fineVnd'], { exact: true });
    await fine.fill('75000000');
    await fine.press('Tab');
    expect(await fine.inputValue()).toBe('75.000.000');
    await penalty.getByRole('button', { name: `${vi['case.confirm']}: ${vi['caseAction.penalized']}` }).click();
    await page.locator('.case-header').getByText(vi['caseStatus.penalized'], { exact: true }).waitFor();
    await page.getByText('75.000.000 ₫', { exact: true }).waitFor();

    // The search survives a reload: the filters live in the address.
    await page.goto(`${cordon.url}/cases?q=${encodeURIComponent(`thuoc la ${token}`)}&status=penalized`);
    await page.getByRole('link', { name: title }).waitFor();
    expect(await page.getByLabel(vi['cases.searchLabel'], { exact: true }).inputValue()).toBe(`thuoc la ${token}`);
    await shot(page, 'cases-list');
    await logout(page, 'vi');
    await page.context().close();
  });

  it('takes the date as dd/mm/yyyy in an English browser and coordinating units picked by typing without diacritics', async () => {
    // An English browser shows a native date input as mm/dd/yyyy: the form must not follow it.
    const page = await cordon.newPage(DESKTOP, { locale: 'en-US' });
    await login(page, cordon.url, 'customs.officer');
    await page.goto(`${cordon.url}/cases/new`);
    const typedTitle = `Xăng dầu nhập lậu bằng tàu ${token}`;
    await page.getByLabel(vi['caseForm.title'], { exact: true }).fill(typedTitle);
    await page.getByLabel(vi['caseForm.violationType'], { exact: true }).selectOption('SMUGGLING');
    await page.getByLabel(vi['caseForm.route'], { exact: true }).selectOption('SEA');
    await page.getByLabel(vi['caseForm.province'], { exact: true }).selectOption('31');

    // An empty date: the field says a date is missing and how to write one; the summary gives the request id.
    const date = page.getByLabel(vi['caseForm.detectedOn'], { exact: true });
    await date.fill('');
    await page.getByRole('button', { name: vi['caseForm.submitNew'], exact: true }).click();
    await page.locator('.field-invalid').filter({ has: date }).getByText(vi['date.required']).waitFor();
    const summary = page.getByRole('alert').filter({ hasText: vi['error.INVALID_INPUT'] });
    await summary.getByText(vi['error.requestId']).waitFor();
    expect(await summary.locator('code').innerText()).toMatch(/\S{8,}/);

    // Digits only, as a phone's number pad types them: the slashes come by themselves.
    const [y, m, d] = yesterday().split('-');
    await date.pressSequentially(`${d}${m}${y}`);
    expect(await date.inputValue()).toBe(`${d}/${m}/${y}`);

    // Coordinating units: "hai quan hai phong" finds "Chi cục Hải quan khu vực Hải Phòng" (picked with the
    // mouse); "bien phong lang son" finds the Border Guard's Lạng Sơn command (picked with Enter).
    const coordinating = page.getByRole('combobox', { name: vi['caseForm.coordinatingUnits'] });
    await coordinating.fill('hai quan hai phong');
    await page.getByRole('listbox').getByRole('option', { name: /Chi cục Hải quan khu vực Hải Phòng/ }).click();
    await coordinating.fill('bien phong lang son');
    await expect.poll(() => page.getByRole('listbox').getByRole('option').count()).toBe(1);
    await coordinating.press('Enter');
    const chips = page.locator('.chips .chip');
    await expect.poll(() => chips.allInnerTexts()).toEqual([expect.stringContaining('CUSTOMS-HP'), expect.stringContaining('BORDER_GUARD-LS')]);
    await shot(page, 'case-form-typed-date-and-units');

    await page.getByRole('button', { name: vi['caseForm.submitNew'], exact: true }).click();
    await page.getByRole('heading', { name: typedTitle }).waitFor();
    const facts = page.locator('.case-facts');
    await facts.getByText(`${d}/${m}/${y}`, { exact: true }).first().waitFor();
    await facts.getByText(/Chi cục Hải quan khu vực Hải Phòng/).waitFor();
    await facts.getByText(/Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn/).waitFor();

    // The list's date filters read dd/mm/yyyy too, and keep the API's yyyy-MM-dd in the address.
    await page.goto(`${cordon.url}/cases?q=${token}`);
    await page.getByLabel(vi['cases.from'], { exact: true }).fill(`${d}/${m}/${y}`);
    await page.getByLabel(vi['cases.to'], { exact: true }).fill(`${d}/${m}/${y}`);
    await page.getByRole('button', { name: vi['common.apply'], exact: true }).click();
    await page.waitForURL(new RegExp(`from=${y}-${m}-${d}&to=${y}-${m}-${d}`));
    await page.getByRole('link', { name: typedTitle }).waitFor();
    await page.context().close();
  });

  it('a border guard officer sees only the summary of the customs case', async () => {
    expect(caseUrl).not.toBe('');
    const page = await cordon.newPage();
    await login(page, cordon.url, 'border.officer');
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByText(vi['case.summaryNote']).waitFor();
    expect(await page.getByRole('heading', { name: vi['case.goods'] }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: vi['case.workflow'] }).count()).toBe(0);
    await shot(page, 'case-page-summary-only');

    await page.goto(`${cordon.url}/cases?q=${token}`);
    const row = page.locator('.case-table tbody tr').filter({ hasText: title });
    await row.waitFor();
    expect(await row.getByText(vi['cases.summaryOnly']).count()).toBe(1);
    await page.context().close();
  });

  it('fits a phone: list, form and case page', async () => {
    const page = await cordon.newPage(PHONE);
    // On a phone the navigation folds behind the menu button: sign in and wait for that instead.
    await page.goto(cordon.url + '/');
    await page.getByLabel(vi['login.username']).fill('customs.officer');
    await page.getByLabel(vi['login.password']).fill('cordon-demo');
    await page.getByRole('button', { name: vi['login.submit'], exact: true }).click();
    await page.getByRole('button', { name: vi['shell.menu'] }).waitFor();
    await page.goto(`${cordon.url}/cases`);
    await page.getByRole('heading', { name: vi['section.cases'] }).waitFor();
    await page.locator('.case-table tbody tr').first().waitFor();
    await fitsWidth(page, PHONE.width);
    // The first screens only: fifty result cards make a very long page.
    await page.locator('.case-table tbody tr').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'cases-list-phone.png') });

    await page.goto(`${cordon.url}/cases/new`);
    await page.getByLabel(vi['caseForm.title'], { exact: true }).waitFor();
    await page.getByRole('button', { name: vi['caseForm.addGoods'] }).click();
    await page.getByRole('button', { name: vi['caseForm.addSubject'] }).click();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'case-form-phone');
    // The unit picker's list opens under the box and stays within the screen.
    const lead = page.getByRole('combobox', { name: vi['caseForm.leadUnit'] });
    await lead.fill('hai phong');
    await page.getByRole('listbox').getByRole('option').first().waitFor();
    await fitsWidth(page, PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'unit-picker-phone.png') });
    await lead.press('Escape');

    await page.goto(caseUrl);
    await page.getByRole('heading', { name: title }).waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'case-page-phone');
    await page.context().close();
  });

  it('imports a CSV with one bad row and shows that row in the report', async (ctx) => {
    const probe = await fetch(`${cordon.url}/api/cases/import/template?format=csv`);
    // 401 means the route exists (it wants a session); 404 means this server has no import yet.
    if (probe.status === 404) ctx.skip();
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    // English template headers (the import also accepts the Vietnamese ones).
    const header = 'source_ref,title,violation_type,detected_on,province,route,goods_category,goods_description,value_vnd';
    const row = (n: number, detectedOn: string) => [`E2E-${token}-${n}`, `Đường cát nhập lậu số ${n} ${token}`, 'SMUGGLING', detectedOn, '20', 'ROAD', 'SUGAR', 'Đường cát trắng', '15000000'].join(',');
    // The bad row is the file's third line (the header is line 1): 31 February does not exist.
    const csv = [header, row(1, yesterday()), row(2, '31/02/2024'), row(3, yesterday())].join('\n');
    const file = join(tmpdir(), `cases-${token}.csv`);
    writeFileSync(file, csv);

    await page.goto(`${cordon.url}/cases/import`);
    await page.getByRole('heading', { name: vi['caseImport.title'] }).waitFor();
    await page.getByLabel(vi['caseImport.file'], { exact: true }).setInputFiles(file);
    await page.getByRole('button', { name: vi['caseImport.upload'] }).click();
    const report = page.getByRole('region', { name: new RegExp(vi['caseImport.report']) });
    await report.waitFor();
    await report.getByRole('cell', { name: '3', exact: true }).waitFor();
    // The column is named as in the Vietnamese template, its English key beside it.
    await report.getByRole('cell', { name: 'Ngày phát hiện detected_on' }).waitFor();
    // …and the detail is the cell as written, in Vietnamese words, not the server's English sentence.
    await report.getByRole('cell', { name: 'Trong tệp: «31/02/2024»', exact: true }).waitFor();
    // The problems file is the report in Vietnamese, with the cell as written.
    const [download] = await Promise.all([page.waitForEvent('download'), report.getByRole('link', { name: vi['caseImport.downloadErrors'] }).click()]);
    expect(download.suggestedFilename()).toBe(`cases-${token}.loi.csv`);
    const lines = readFileSync((await download.path())!, 'utf8').replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe([vi['caseImport.line'], vi['caseImport.column'], vi['caseImport.field'], vi['caseImport.reason'], vi['caseImport.valueInFile'], vi['caseImport.explanation']].join(','));
    expect(lines[1]).toMatch(/^3,Ngày phát hiện,detected_on,[^,]+,31\/02\/2024,/);
    expect(lines).toHaveLength(2);
    await shot(page, 'case-import-report');
    await page.context().close();
  });
});
