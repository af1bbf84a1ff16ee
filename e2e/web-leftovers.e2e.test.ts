import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, apiCall, apiSignIn, fitsWidth, login, shot, text, useCordon } from './support.js';

const { vi, en } = text;
const vnDay = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** The language switch in the user menu (the choice is remembered for the user: switch back after). */
async function switchLanguage(page: Page, from: 'vi' | 'en') {
  const target = page.getByRole('button', { name: from === 'vi' ? 'English' : 'Tiếng Việt' });
  // The menu stays open after a switch: open it only when it is closed.
  if (!(await target.isVisible())) await page.getByRole('button', { name: text[from]['shell.userMenu'] }).click();
  await target.click();
}

/** Console errors, uncaught errors and failed responses a page produces: what a user sees in devtools. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  return problems;
}

describe('web leftovers of the session 6 walk-throughs', () => {
  const cordon = useCordon();
  const tag = Date.now().toString(36);

  it('the sign-in page loads without an error in the console, with no session and with an ended one', async () => {
    const page = await cordon.newPage(DESKTOP, { locale: 'en-US' });
    const problems = watchProblems(page);
    await page.goto(cordon.url + '/');
    await page.getByRole('heading', { name: vi['login.title'] }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);

    // A cookie whose session ended (expired, signed out elsewhere): still the sign-in page, no error, cookie dropped.
    await page.context().addCookies([{ name: 'cordon_sid', value: 'an-ended-session', url: cordon.url }]);
    await page.reload();
    await page.getByRole('heading', { name: vi['login.title'] }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('cordon_sid');

    // Signing in and out again ends on the same quiet page.
    await login(page, cordon.url, 'viewer');
    await page.reload();
    await page.getByRole('navigation', { name: vi['shell.nav'] }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a file field speaks the page\'s language in an English browser, works from the keyboard and by dropping, and empties after the upload', async () => {
    const s = await apiSignIn(cordon.url, 'customs.officer');
    const c = await apiCall(cordon.url, s, 'POST', '/api/cases', {
      title: `Kiểm tra tệp đính kèm ${tag}`, violationType: 'SMUGGLING', detectedOn: vnDay(-1), provinceCode: '20',
      goods: [{ category: 'CIGARETTES', description: 'Thuốc lá điếu', quantity: 10, unit: 'bao' }],
    });
    const page = await cordon.newPage(DESKTOP, { locale: 'en-US' });
    // Playwright turns its file-chooser interception on without waiting for it when the first listener is
    // added: a Space pressed right after `waitForEvent('filechooser')` could beat it on a loaded machine
    // and open nothing. One listener for the page's life keeps it on.
    page.on('filechooser', () => {});
    await login(page, cordon.url, 'customs.officer');
    await page.goto(`${cordon.url}/cases/${c.id as string}`);
    // The attachments section (by its field: its name changes with the language below).
    const section = page.locator('section').filter({ has: page.locator('.file-field') });
    const input = section.getByLabel(vi['attach.file'], { exact: true });
    const button = section.locator('.file-field-button');
    await button.waitFor();
    // The page's words, not the browser's "Choose Files / No file chosen".
    expect((await button.textContent())?.trim()).toBe(vi['file.chooseMany']);
    await section.getByText(vi['file.none'], { exact: true }).waitFor();
    // The native input is there for the keyboard and assistive technology, but not seen.
    expect((await input.boundingBox())!.width).toBeLessThanOrEqual(1);

    // Tab reaches it, the ring shows on the visible button, and Space opens the picker.
    // (Browser code as strings: the e2e project has no DOM types.)
    await page.evaluate(`(() => {
      const focusable = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]), select, textarea')];
      focusable[focusable.indexOf(document.querySelector('.file-field-input')) - 1].focus();
    })()`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate<boolean>(`document.activeElement === document.querySelector('.file-field-input')`)).toBe(true);
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('.file-field-button')).outlineStyle`)).toBe('solid');
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    const picker = await chooser;
    expect(picker.isMultiple()).toBe(true);
    await picker.setFiles([
      { name: 'bien-ban.txt', mimeType: 'text/plain', buffer: Buffer.from('Biên bản tạm giữ\n') },
      { name: 'anh-xe.png', mimeType: 'image/png', buffer: Buffer.alloc(2048, 1) },
    ]);
    const chosen = section.locator('.file-field-chosen');
    await chosen.getByText('bien-ban.txt').waitFor();
    await chosen.getByText('anh-xe.png').waitFor();
    await chosen.getByText('2 KB', { exact: true }).waitFor();
    await shot(page, 'file-field-chosen');

    // A click on the button opens the picker too (a tap on a phone).
    const again = page.waitForEvent('filechooser');
    await button.click();
    await (await again).setFiles([{ name: 'bien-ban.txt', mimeType: 'text/plain', buffer: Buffer.from('Biên bản tạm giữ\n') }]);
    await expect.poll(() => chosen.locator('li').count()).toBe(1);

    // Dropping a file on the field counts as choosing it (desktop).
    const dropped = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['Tờ khai'], 'to-khai.txt', { type: 'text/plain' }));
      return dt;
    })()`);
    await section.locator('.file-field').dispatchEvent('drop', { dataTransfer: dropped });
    await chosen.getByText('to-khai.txt').waitFor();

    // Upload: the file is listed, and the field says nothing is chosen again.
    await section.getByRole('button', { name: vi['attach.upload'] }).click();
    await section.getByRole('link', { name: 'to-khai.txt' }).waitFor();
    await section.getByText(vi['file.none'], { exact: true }).waitFor();

    // A phone: a button big enough to tap, nothing sideways.
    await page.setViewportSize(PHONE);
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await fitsWidth(page, PHONE.width);
    await shot(page, 'file-field-phone');

    // English UI: the field's own words follow.
    await switchLanguage(page, 'vi');
    await section.getByText(en['file.none'], { exact: true }).waitFor();
    expect((await button.textContent())?.trim()).toBe(en['file.chooseMany']);
    await shot(page, 'file-field-phone-en');
    await switchLanguage(page, 'en');
    await section.getByText(vi['file.none'], { exact: true }).waitFor();
    await page.context().close();
  });

  it('the public tip form chooses files with its own button in an English browser', async () => {
    const page = await cordon.newPage(PHONE, { locale: 'en-US' });
    await page.goto(cordon.url + '/report');
    const button = page.locator('.file-field-button');
    await button.waitFor();
    expect((await button.textContent())?.trim()).toBe(vi['public.addFiles']);
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    // Its name is the button's words (no aria-label hiding them).
    await page.getByLabel(vi['public.addFiles']).setInputFiles([{ name: 'kho-hang.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(300, 1) }]);
    await page.getByText('kho-hang.jpg').waitFor();
    // The same file again is added again (the input empties after each pick).
    await page.getByLabel(vi['public.addFiles']).setInputFiles([{ name: 'kho-hang.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(300, 1) }]);
    await expect.poll(() => page.locator('.tip-files li').count()).toBe(2);
    await fitsWidth(page, PHONE.width);
    await shot(page, 'file-field-tip-phone');
    await page.context().close();
  });

  it('the joint-case proposals page filters by status, force and province, kept in the address, on desktop and phone', async () => {
    // Two pairs recorded by Customs and the Border Guard: one in Lạng Sơn (20), one in Cao Bằng (04);
    // the Cao Bằng proposal is rejected.
    const customs = await apiSignIn(cordon.url, 'customs.officer');
    const border = await apiSignIn(cordon.url, 'border.officer');
    const record = (s: typeof customs, province: string, plate: string, title: string) =>
      apiCall(cordon.url, s, 'POST', '/api/cases', {
        title: `${title} ${tag}`, violationType: 'SMUGGLING', detectedOn: vnDay(-2), provinceCode: province,
        goods: [{ category: 'CIGARETTES', description: 'Thuốc lá điếu', quantity: 2000, unit: 'bao' }],
        subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate }],
      }) as Promise<{ id: string; code: string }>;
    const p1 = `12C-${tag.slice(-3)}.${tag.slice(-5, -3)}`;
    const p2 = `11C-${tag.slice(-3)}.${tag.slice(-5, -3)}`;
    const a1 = await record(customs, '20', p1, 'Hải quan giữ xe tải thuốc lá Lạng Sơn');
    const b1 = await record(border, '20', p1.replace(/[-.]/g, ' '), 'Biên phòng giữ xe tải thuốc lá Lạng Sơn');
    const a2 = await record(customs, '04', p2, 'Hải quan giữ xe tải thuốc lá Cao Bằng');
    const b2 = await record(border, '04', p2.replace(/[-.]/g, ' '), 'Biên phòng giữ xe tải thuốc lá Cao Bằng');
    const links = (await apiCall(cordon.url, customs, 'GET', `/api/cases/${a2.id}/links`)).items as { id: string; cases: { id: string }[] }[];
    const second = links.find((l) => l.cases.some((c) => c.id === b2.id))!;
    expect(second, 'the Cao Bằng pair is proposed').toBeTruthy();
    await apiCall(cordon.url, customs, 'POST', `/api/case-links/${second.id}/reject`, { reason: 'Hai xe khác nhau' });

    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    await page.goto(`${cordon.url}/cases/joint`);
    await page.getByRole('heading', { level: 1, name: vi['jointQueue.title'] }).waitFor();
    const filters = page.getByRole('search', { name: vi['jointQueue.filters'] });
    const status = filters.getByLabel(vi['jointQueue.status'], { exact: true });
    const province = filters.getByLabel(vi['cases.province'], { exact: true });
    const card = (x: { code: string }, y: { code: string }) =>
      page.getByTestId('link-card').filter({ has: page.getByRole('link', { name: x.code, exact: true }) }).filter({ has: page.getByRole('link', { name: y.code, exact: true }) });
    const settled = () => page.getByRole('status').filter({ hasText: vi['common.loading'] }).waitFor({ state: 'detached' });

    // Waiting proposals by default: the Lạng Sơn pair, not the rejected one.
    expect(await status.inputValue()).toBe('proposed');
    await card(a1, b1).waitFor();
    expect(await card(a2, b2).count()).toBe(0);

    // Rejected ones, in the address, and still so after a reload.
    await status.selectOption('rejected');
    await card(a2, b2).waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('rejected');
    expect(await card(a1, b1).count()).toBe(0);
    await page.reload();
    await card(a2, b2).waitFor();
    expect(await status.inputValue()).toBe('rejected');

    // One province: Lạng Sơn has no rejected pair of ours; Cao Bằng has.
    await province.selectOption('20');
    await expect.poll(() => card(a2, b2).count()).toBe(0);
    await settled();
    expect(new URL(page.url()).searchParams.get('province')).toBe('20');
    await province.selectOption('04');
    await card(a2, b2).waitFor();
    await shot(page, 'joint-filters');

    // Back to waiting ones in Cao Bằng: none of ours; then the reset shows Lạng Sơn's again.
    await status.selectOption('proposed');
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBeNull();
    await settled();
    expect(await card(a1, b1).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('status')).toBeNull();
    await filters.getByRole('button', { name: vi['common.reset'] }).click();
    await card(a1, b1).waitFor();
    expect(new URL(page.url()).search).toBe('');

    // The force that recorded either case: Market Surveillance recorded neither; the Border Guard one of each pair.
    const force = filters.getByLabel(vi['cases.force'], { exact: true });
    await force.selectOption('MARKET_SURVEILLANCE');
    await expect.poll(() => card(a1, b1).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('force')).toBe('MARKET_SURVEILLANCE');
    await force.selectOption('BORDER_GUARD');
    await card(a1, b1).waitFor();
    await filters.getByRole('button', { name: vi['common.reset'] }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('');

    // A phone, in English: the filters fit and the address still carries them.
    await page.setViewportSize(PHONE);
    await switchLanguage(page, 'vi');
    const enFilters = page.getByRole('search', { name: en['jointQueue.filters'] });
    await enFilters.getByLabel(en['jointQueue.status'], { exact: true }).selectOption('rejected');
    await card(a2, b2).waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'joint-filters-phone-en');
    await switchLanguage(page, 'en');
    await page.context().close();

    // A provincial committee's queue is its province: no province filter there.
    const coordinator = await cordon.newPage();
    await login(coordinator, cordon.url, 'province.coordinator');
    await coordinator.goto(`${cordon.url}/cases/joint?status=confirmed`);
    const theirs = coordinator.getByRole('search', { name: vi['jointQueue.filters'] });
    await theirs.waitFor();
    expect(await theirs.getByLabel(vi['jointQueue.status'], { exact: true }).inputValue()).toBe('confirmed');
    expect(await theirs.getByLabel(vi['cases.province'], { exact: true }).count()).toBe(0);
    await coordinator.context().close();
  });

  it('a payment recorded after the decision is listed under the outcome and in the history, "not recorded yet" before it', async () => {
    const s = await apiSignIn(cordon.url, 'customs.officer');
    let c = await apiCall(cordon.url, s, 'POST', '/api/cases', {
      title: `Khoản nộp phạt ${tag}`, violationType: 'SMUGGLING', detectedOn: vnDay(-5), provinceCode: '20',
      goods: [{ category: 'SUGAR', description: 'Đường cát trắng', quantity: 300, unit: 'bao', valueVnd: 45_000_000 }],
    });
    c = await apiCall(cordon.url, s, 'POST', `/api/cases/${c.id as string}/transitions`, { version: c.version, to: 'handling' });
    c = await apiCall(cordon.url, s, 'POST', `/api/cases/${c.id as string}/transitions`, { version: c.version, to: 'penalized', penalty: { decisionNo: '08/QĐ-XPHC', decidedOn: vnDay(-3), fineVnd: 60_000_000 } });
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    await page.goto(`${cordon.url}/cases/${c.id as string}`);
    const outcome = page.getByRole('region', { name: vi['case.outcome'] });
    // Nothing collected yet: said so, not "0 ₫".
    const collected = outcome.locator('.case-facts > div').filter({ has: page.locator('dt').getByText(vi['case.collected'], { exact: true }) }).locator('dd');
    await outcome.getByText(vi['case.collected.none'], { exact: true }).waitFor();
    expect(await collected.innerText()).toBe(vi['case.collected.none']);
    expect(await outcome.getByRole('table').count()).toBe(0);

    await outcome.getByRole('button', { name: vi['case.collection.add'] }).click();
    const form = outcome.getByRole('form', { name: vi['case.collection.add'] });
    await form.getByLabel(vi['case.collection.amount']).fill('25.000.000');
    await form.getByLabel(vi['case.collection.note']).fill('Biên lai 0012345');
    await form.getByRole('button', { name: vi['case.collection.save'] }).click();
    await page.getByRole('status').filter({ hasText: '25.000.000' }).waitFor();

    // The list under the outcome: day (dd/mm/yyyy), amount, source, note, who.
    const today = vnDay(0).split('-').reverse().join('/');
    const table = outcome.getByRole('table', { name: vi['case.collections'] });
    const row = table.getByRole('row').filter({ hasText: 'Biên lai 0012345' });
    await row.waitFor();
    expect((await row.getByRole('cell').allInnerTexts()).map((x) => x.replace(/\s+/g, ' ').trim())).toEqual([
      today, '25.000.000 ₫', vi['case.collections.source.payment'], 'Biên lai 0012345', 'Nguyễn Văn Hùng', // customs.officer's display name
    ]);
    expect((await collected.innerText()).replace(/\s+/g, ' ')).toBe('25.000.000 ₫');

    // The history: the payment is a line after the penalty decision.
    const history = page.getByRole('region', { name: vi['case.history'] });
    const lines = (await history.locator('.timeline > li').allInnerTexts()).map((x) => x.replace(/\s+/g, ' '));
    const paid = lines.findIndex((l) => l.includes(vi['case.historyCollected'].replace('{amount}', '25.000.000 ₫')));
    const penalized = lines.findIndex((l) => l.includes(vi['caseStatus.penalized']));
    expect(penalized).toBeGreaterThan(-1);
    expect(paid).toBe(lines.length - 1);
    expect(lines[paid]).toContain(today);
    expect(lines[paid]).toContain('Biên lai 0012345');
    await shot(page, 'case-collections-desktop');

    await page.setViewportSize(PHONE);
    await row.waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'case-collections-phone');
    await page.context().close();
  });

  it('a joint proposal preselects the same lead unit on the queue and on either case page: the first recorded case\'s', async () => {
    const customs = await apiSignIn(cordon.url, 'customs.officer');
    const border = await apiSignIn(cordon.url, 'border.officer');
    const plate = `14C-${tag.slice(-3)}.${tag.slice(-5, -3)}`;
    const record = (s: typeof customs, title: string, p: string) =>
      apiCall(cordon.url, s, 'POST', '/api/cases', {
        title: `${title} ${tag}`, violationType: 'SMUGGLING', detectedOn: vnDay(-2), provinceCode: '20',
        goods: [{ category: 'CIGARETTES', description: 'Thuốc lá điếu', quantity: 1500, unit: 'bao' }],
        subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: p }],
      }) as Promise<{ id: string; code: string; leadUnit: { id: string } }>;
    const first = await record(customs, 'Hải quan giữ xe thuốc lá (trước)', plate);
    const second = await record(border, 'Biên phòng giữ xe thuốc lá (sau)', plate.replace(/[-.]/g, ' '));
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    const checked = (scope: ReturnType<Page['locator']>) => scope.locator('input[type=radio]:checked').inputValue();

    await page.goto(`${cordon.url}/cases/joint`);
    const card = page.getByTestId('link-card').filter({ has: page.getByRole('link', { name: first.code, exact: true }) }).filter({ has: page.getByRole('link', { name: second.code, exact: true }) });
    await card.waitFor();
    expect(await checked(card)).toBe(first.leadUnit.id);

    // The other force's case page lists that case first: the same lead is offered.
    for (const [c, other] of [[second, first], [first, second]] as const) {
      await page.goto(`${cordon.url}/cases/${c.id}`);
      const item = page.getByRole('region', { name: vi['links.title'] }).locator('.repeat-row').filter({ has: page.getByRole('link', { name: other.code, exact: true }) });
      await item.locator('input[type=radio]').first().waitFor();
      expect(await checked(item)).toBe(first.leadUnit.id);
    }
    await page.context().close();
  });
});
