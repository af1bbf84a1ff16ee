import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiCall, apiSignIn, fitsWidth, launchBrowser, login, shot, startServer, text, vietnamesePage, type RunningServer } from './support.js';

const { vi, en } = text;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const vnDay = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** A page in an *English* browser: what the native file input and console would show in English. */
async function englishBrowserPage(browser: Browser, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh' });
  return context.newPage();
}

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
  let server: RunningServer;
  let browser: Browser;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the sign-in page loads without an error in the console, with no session and with an ended one', async () => {
    const page = await englishBrowserPage(browser);
    const problems = watchProblems(page);
    await page.goto(server.url + '/');
    await page.getByRole('heading', { name: vi['login.title'] }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);

    // A cookie whose session ended (expired, signed out elsewhere): still the sign-in page, no error, cookie dropped.
    await page.context().addCookies([{ name: 'cordon_sid', value: 'an-ended-session', url: server.url }]);
    await page.reload();
    await page.getByRole('heading', { name: vi['login.title'] }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('cordon_sid');

    // Signing in and out again ends on the same quiet page.
    await login(page, server.url, 'viewer');
    await page.reload();
    await page.getByRole('navigation', { name: vi['shell.nav'] }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a file field speaks the page\'s language in an English browser, works from the keyboard and by dropping, and empties after the upload', async () => {
    const s = await apiSignIn(server.url, 'customs.officer');
    const c = await apiCall(server.url, s, 'POST', '/api/cases', {
      title: `Kiểm tra tệp đính kèm ${tag}`, violationType: 'SMUGGLING', detectedOn: vnDay(-1), provinceCode: '20',
      goods: [{ category: 'CIGARETTES', description: 'Thuốc lá điếu', quantity: 10, unit: 'bao' }],
    });
    const page = await englishBrowserPage(browser);
    await login(page, server.url, 'customs.officer');
    await page.goto(`${server.url}/cases/${c.id as string}`);
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
    const page = await englishBrowserPage(browser, PHONE);
    await page.goto(server.url + '/report');
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
    const customs = await apiSignIn(server.url, 'customs.officer');
    const border = await apiSignIn(server.url, 'border.officer');
    const record = (s: typeof customs, province: string, plate: string, title: string) =>
      apiCall(server.url, s, 'POST', '/api/cases', {
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
    const links = (await apiCall(server.url, customs, 'GET', `/api/cases/${a2.id}/links`)).items as { id: string; cases: { id: string }[] }[];
    const second = links.find((l) => l.cases.some((c) => c.id === b2.id))!;
    expect(second, 'the Cao Bằng pair is proposed').toBeTruthy();
    await apiCall(server.url, customs, 'POST', `/api/case-links/${second.id}/reject`, { reason: 'Hai xe khác nhau' });

    const page = await vietnamesePage(browser);
    // The four new cases set the server's background work going (text index, joint proposals, subject
    // sync) on its single embedded connection: on a loaded CI machine the sign-in once waited > 30 s.
    page.context().setDefaultTimeout(90_000);
    await login(page, server.url, 'customs.officer');
    await page.goto(`${server.url}/cases/joint`);
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
    const coordinator = await vietnamesePage(browser);
    coordinator.context().setDefaultTimeout(90_000);
    await login(coordinator, server.url, 'province.coordinator');
    await coordinator.goto(`${server.url}/cases/joint?status=confirmed`);
    const theirs = coordinator.getByRole('search', { name: vi['jointQueue.filters'] });
    await theirs.waitFor();
    expect(await theirs.getByLabel(vi['jointQueue.status'], { exact: true }).inputValue()).toBe('confirmed');
    expect(await theirs.getByLabel(vi['cases.province'], { exact: true }).count()).toBe(0);
    await coordinator.context().close();
  }, 240_000);
});
