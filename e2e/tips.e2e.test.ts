import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { jpegWithGps } from '../apps/server/src/features/tips/tip-test-images.js';
import { ARTIFACTS, DESKTOP, PHONE, fitsWidth, login, shot, text, useCordon } from './support.js';

const { vi } = text;

describe('public tips and their triage in a browser', () => {
  const cordon = useCordon();
  const token = `kiemtra${Date.now().toString(36)}`;
  const description = `Xe tải biển số 12C-345.67 chở khoảng 200 thùng thuốc lá Jet không rõ nguồn gốc, dỡ hàng vào kho sau chợ lúc 22 giờ ${token}`;
  const reply = `Cảm ơn bạn, chúng tôi đã chuyển thông tin cho đơn vị chức năng xác minh ${token}`;
  let receipt = '';
  let secret = '';
  let triage: Page;

  /** A fresh context: no cookie, no session — a member of the public. */
  it('a member of the public reports with a photo from a phone and keeps the receipt and secret', async () => {
    const page = await cordon.newPage(PHONE);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    const apiCalls: string[] = [];
    page.on('request', (r) => r.url().includes('/api/') && apiCalls.push(r.url()));

    // From the login page's link.
    await page.goto(cordon.url + '/');
    const link = page.getByRole('link', { name: vi['public.loginLink'] });
    await link.waitFor();
    // From here on, only what the public page itself loads (the login page is the staff app).
    scripts.length = 0;
    apiCalls.length = 0;
    await link.click();
    await page.getByRole('heading', { name: vi['public.title'] }).waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'tip-public-form-phone');

    // Sending too little: the form says what is missing.
    await page.getByRole('button', { name: vi['public.submit'] }).click();
    await page.getByRole('alert').filter({ hasText: vi['error.INVALID_INPUT'] }).waitFor();

    await page.getByLabel(vi['public.category'], { exact: true }).selectOption('CIGARETTES');
    await page.getByLabel(vi['public.description'], { exact: true }).fill(description);
    await page.getByLabel(vi['public.province'], { exact: true }).selectOption('20');
    await page.getByLabel(vi['public.place'], { exact: true }).fill('Kho phía sau chợ Đồng Đăng');
    // Dates are typed day first (dd/mm/yyyy), whatever the browser's language; the slashes come by themselves.
    const [y, m, d] = new Date(Date.now() + 7 * 3600_000 - 24 * 3600_000).toISOString().slice(0, 10).split('-');
    const occurredOn = page.getByLabel(vi['public.occurredOn'], { exact: true });
    await occurredOn.pressSequentially(`${d}${m}${y}`);
    expect(await occurredOn.inputValue()).toBe(`${d}/${m}/${y}`);
    await page.locator('input[type=file]').setInputFiles({ name: 'xe-tai.jpg', mimeType: 'image/jpeg', buffer: jpegWithGps().withGps });
    await page.getByText('xe-tai.jpg').waitFor();
    await shot(page, 'tip-public-form-filled-phone');
    await page.getByRole('button', { name: vi['public.submit'] }).click();

    await page.getByRole('heading', { name: vi['public.thanksTitle'] }).waitFor();
    receipt = (await page.getByTestId('tip-receipt').textContent()) ?? '';
    secret = (await page.getByTestId('tip-secret').textContent()) ?? '';
    expect(receipt).toMatch(/^TB-/);
    expect(secret.length).toBeGreaterThan(10);
    await page.getByText(vi['public.keepTitle']).waitFor();
    await page.getByRole('button', { name: vi['public.download'] }).waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'tip-public-receipt-phone');

    // The public pages never load the staff app's chunk, and never ask who is signed in.
    expect(scripts.filter((u) => /\/assets\/app-/.test(u))).toEqual([]);
    expect(apiCalls.filter((u) => !u.includes('/api/public/'))).toEqual([]);
    await page.context().close();
  });

  it('triage finds the tip in the queue, handles it and replies publicly', async () => {
    expect(receipt).not.toBe('');
    triage = await cordon.newPage();
    await login(triage, cordon.url, 'triage');
    await triage.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.tips'] }).click();
    await triage.getByRole('heading', { name: vi['section.tips'] }).waitFor();
    await triage.getByLabel(vi['tips.province'], { exact: true }).selectOption('20');
    await triage.getByRole('button', { name: vi['common.apply'], exact: true }).click();
    const link = triage.getByRole('link', { name: receipt });
    await link.waitFor();
    await shot(triage, 'tips-queue');
    await link.click();

    await triage.getByRole('heading', { name: vi['tip.title'].replace('{receipt}', receipt) }).waitFor();
    await triage.getByText(description).waitFor();
    await triage.getByRole('link', { name: 'xe-tai.jpg' }).waitFor();
    await triage.getByRole('button', { name: vi['tip.claim'], exact: true }).click();
    await triage.getByText(vi['tip.claimedByMe']).waitFor();

    await triage.locator('input[value=public_reply]').check();
    await triage.getByLabel(vi['tip.messageBody'], { exact: true }).fill(reply);
    await triage.getByRole('button', { name: vi['tip.sendReply'] }).click();
    await triage.getByRole('status').filter({ hasText: vi['tip.replySent'] }).waitFor();
    await triage.locator('.case-header').getByText(vi['tipStatus.acknowledged'], { exact: true }).waitFor();

    await triage.locator('input[value=internal_note]').check();
    await triage.getByLabel(vi['tip.messageBody'], { exact: true }).fill(`Ghi chú nội bộ: đã gọi Đội QLTT số 3 ${token}`);
    await triage.getByRole('button', { name: vi['tip.saveNote'] }).click();
    await triage.getByRole('status').filter({ hasText: vi['tip.noteSaved'] }).waitFor();
    await shot(triage, 'tip-page');
  });

  it('the public reads the reply with the receipt and secret, and never the internal note', async () => {
    const page = await cordon.newPage(PHONE);
    await page.goto(cordon.url + '/report/status');
    await page.getByRole('heading', { name: vi['public.statusTitle'] }).waitFor();
    // A wrong secret answers like an unknown receipt.
    await page.getByLabel(vi['public.receipt'], { exact: true }).fill(receipt.toLowerCase());
    await page.getByLabel(vi['public.secret'], { exact: true }).fill('not-the-secret');
    await page.getByRole('button', { name: vi['public.statusOpen'] }).click();
    await page.getByText(vi['public.statusNotFound']).waitFor();

    await page.getByLabel(vi['public.secret'], { exact: true }).fill(secret);
    await page.getByRole('button', { name: vi['public.statusOpen'] }).click();
    await page.getByText(reply).waitFor();
    expect(await page.getByText(vi['public.status.in_progress'], { exact: true }).count()).toBe(1);
    expect(await page.getByText('Ghi chú nội bộ').count()).toBe(0);
    expect(await page.getByText('triage').count()).toBe(0);

    await page.getByLabel(vi['public.newMessage'], { exact: true }).fill('Tối nay xe lại đến, khoảng 21 giờ.');
    await page.getByRole('button', { name: vi['public.send'] }).click();
    await page.getByText(vi['public.messageSent']).waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'tip-public-status-phone');
    await page.setViewportSize(DESKTOP);
    await shot(page, 'tip-public-status');
    await page.context().close();
  });

  it('triage hands the tip over; the provincial coordinator converts it to a case and lands on the case page', async () => {
    await triage.reload();
    await triage.getByText('Tối nay xe lại đến, khoảng 21 giờ.').waitFor();
    // Triage alone does not record cases: the page says who can, and triage lets the tip go.
    await triage.getByText(vi['tip.convertNeedsWriter']).waitFor();
    expect(await triage.getByRole('button', { name: vi['tip.convertStart'] }).count()).toBe(0);

    // While triage holds the tip, a case writer is told how to convert it (take it over) instead of seeing nothing.
    const coordinator = await cordon.newPage();
    await login(coordinator, cordon.url, 'province.coordinator');
    await coordinator.goto(cordon.url + '/tips');
    await coordinator.getByRole('link', { name: receipt }).click();
    await coordinator.getByRole('heading', { name: vi['tip.title'].replace('{receipt}', receipt) }).waitFor();
    // Named by the demo triage account's display name.
    await coordinator.getByText(vi['tip.convertHeldByOther'].replace('{user}', 'Đặng Thị Lan').replace('{takeOver}', vi['tip.takeOver'])).waitFor();
    expect(await coordinator.getByRole('button', { name: vi['tip.convertStart'] }).count()).toBe(0);

    await triage.getByRole('button', { name: vi['tip.release'], exact: true }).click();
    await triage.getByText(vi['tip.notClaimed']).waitFor();
    await triage.context().close();

    await coordinator.reload();
    await coordinator.getByRole('button', { name: vi['tip.convertStart'] }).click();
    const form = coordinator.getByRole('form', { name: vi['tip.convert'] });
    await form.getByLabel(vi['caseForm.violationType'], { exact: true }).selectOption('SMUGGLING');
    expect(await form.getByLabel(vi['caseForm.province'], { exact: true }).inputValue()).toBe('20');
    await shot(coordinator, 'tip-convert');
    await form.getByRole('button', { name: vi['tip.convertSubmit'] }).click();
    await coordinator.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await coordinator.getByText(vi['tip.convertedDone'].replace('{receipt}', receipt)).waitFor();
    await coordinator.getByRole('heading', { name: new RegExp(receipt) }).waitFor();
    await shot(coordinator, 'tip-converted-case');
    await coordinator.context().close();
  });

  it('an admin adds a routing rule on the routing screen', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'admin');
    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.tips'] }).click();
    await page.getByRole('link', { name: vi['routing.title'] }).click();
    await page.getByRole('heading', { name: vi['routing.title'] }).waitFor();
    await page.getByRole('button', { name: vi['routing.add'] }).click();
    const form = page.getByRole('form', { name: vi['routing.addTitle'] });
    // Without a unit the form names the field.
    await form.getByRole('button', { name: vi['routing.addSubmit'] }).click();
    await form.getByRole('alert').getByRole('link', { name: vi['routing.unit'] }).waitFor();
    await form.getByLabel(vi['routing.province'], { exact: true }).selectOption('31');
    await form.getByLabel(vi['routing.category'], { exact: true }).selectOption('PETROLEUM');
    await form.getByRole('combobox', { name: vi['routing.unit'] }).fill('hai quan hai phong');
    await form.getByRole('listbox').getByRole('option', { name: /Chi cục Hải quan khu vực Hải Phòng/ }).click();
    await form.getByLabel(vi['routing.mode'], { exact: true }).selectOption('assign');
    await shot(page, 'tip-routing-add');
    await form.getByRole('button', { name: vi['routing.addSubmit'] }).click();
    await page.getByRole('status').filter({ hasText: vi['routing.added'] }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Chi cục Hải quan khu vực Hải Phòng' });
    await row.getByText(vi['routing.mode.assign']).waitFor();
    await row.getByText('Hải Phòng', { exact: true }).waitFor();
    await shot(page, 'tip-routing');
    await page.context().close();
  });

  it('fits a phone: the public form in English, the queue, a tip and the hotline form', async () => {
    const page = await cordon.newPage(PHONE);
    await page.goto(cordon.url + '/report');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: text.en['public.title'] }).waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'tip-public-form-en-phone');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();

    await page.goto(cordon.url + '/');
    await page.getByLabel(vi['login.username']).fill('triage');
    await page.getByLabel(vi['login.password']).fill('cordon-demo');
    await page.getByRole('button', { name: vi['login.submit'], exact: true }).click();
    await page.getByRole('button', { name: vi['shell.menu'] }).waitFor();
    await page.goto(cordon.url + '/tips');
    await page.getByRole('link', { name: receipt }).waitFor();
    await fitsWidth(page, PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'tips-queue-phone.png') });
    await page.getByRole('link', { name: receipt }).click();
    await page.getByRole('heading', { name: vi['tip.title'].replace('{receipt}', receipt) }).waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'tip-page-phone');

    await page.goto(cordon.url + '/tips/hotline');
    await page.getByRole('heading', { name: vi['hotline.title'] }).waitFor();
    await page.getByLabel(vi['public.description'], { exact: true }).fill(`Người gọi báo có điểm bán mỹ phẩm giả trên mạng ${token}`);
    await page.getByLabel(vi['public.province'], { exact: true }).selectOption('01');
    await page.getByRole('button', { name: vi['hotline.submit'] }).click();
    await page.getByRole('heading', { name: vi['hotline.doneTitle'] }).waitFor();
    expect(await page.getByTestId('tip-receipt').textContent()).toMatch(/^TB-/);
    await fitsWidth(page, PHONE.width);
    await shot(page, 'tip-hotline-done-phone');
    await page.context().close();
  });
});
