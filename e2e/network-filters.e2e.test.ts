import { beforeAll, describe, expect, it } from 'vitest';
import { PHONE, fitsWidth, login, shot, text, useCordon, apiCall as call, apiSignIn as signIn } from './support.js';

const { vi } = text;
const SLOW = 240_000;

describe('network filters in a browser', () => {
  const cordon = useCordon({ pageTimeout: 90_000 });
  let boss = '';

  beforeAll(async () => {
    // A Customs officer records a boss with a van in 2026, and the same van with another driver in 2025
    // (the national office coordinates, so its analyst sees the cases in full).
    const officer = await signIn(cordon.url, 'customs.officer');
    const national = (await call(cordon.url, officer, 'GET', '/api/org-units?q=BCD389')).items.find((u: { code: string }) => u.code === 'BCD389').id;
    const base = { violationType: 'SMUGGLING', provinceCode: '20', route: 'ROAD', sensitivity: 'internal', coordinatingUnitIds: [national], summary: 'Vận chuyển hàng lậu.', goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá', quantity: 100, unit: 'bao', valueVnd: 3_000_000 }] };
    const chief = { kind: 'person', role: 'organiser', name: 'Đào Văn Chủ', idNumber: '011080000082' };
    const van = { kind: 'vehicle', role: 'transporter', name: 'Xe khách', plate: '29B-222.22' };
    await call(cordon.url, officer, 'POST', '/api/cases', { ...base, detectedOn: '2026-10-05', title: 'Xe khách chở thuốc lá', subjects: [chief, van, { kind: 'person', role: 'driver', name: 'Ngô Văn Mới', idNumber: '011080000083' }] });
    await call(cordon.url, officer, 'POST', '/api/cases', { ...base, detectedOn: '2025-03-01', title: 'Xe khách năm trước', subjects: [van, { kind: 'person', role: 'driver', name: 'Lê Văn Cũ', idNumber: '011080000080' }] });
    await call(cordon.url, await signIn(cordon.url, 'admin'), 'POST', '/api/admin/subjects/sync');
    boss = (await call(cordon.url, await signIn(cordon.url, 'analyst'), 'GET', '/api/subjects?q=011080000082')).items[0].id;
  }, SLOW);

  it('on a phone, an analyst narrows the network by period and kind, and the filters stay at 2 steps', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'analyst');
    await page.setViewportSize(PHONE);
    await page.goto(`${cordon.url}/subjects/${boss}#network`);
    const svg = page.getByRole('img', { name: vi['subjects.network'] });
    const names = async () => (await svg.locator('.network-node title').allTextContents()).sort();
    await svg.locator('.network-node').first().waitFor();
    expect(await names()).toEqual(['Ngô Văn Mới', 'Xe khách', 'Đào Văn Chủ'].sort());
    await page.getByRole('button', { name: vi['subjects.network.depth2'] }).click();
    await expect.poll(names, { timeout: 60_000 }).toContain('Lê Văn Cũ'); // the 2025 driver, through the van

    // only cases from 2026: the 2025 driver goes
    await page.getByLabel(vi['subjects.network.from'], { exact: true }).fill('01/01/2026');
    await expect.poll(names, { timeout: 60_000 }).toEqual(['Ngô Văn Mới', 'Xe khách', 'Đào Văn Chủ'].sort());
    // persons only: the van goes, the chief stays
    const person = page.getByRole('button', { name: vi['subjectKind.person'], exact: true });
    await person.click();
    await expect.poll(names, { timeout: 60_000 }).toEqual(['Ngô Văn Mới', 'Đào Văn Chủ'].sort());
    await fitsWidth(page, PHONE.width);
    await shot(page, 'network-filters-phone');

    // back to 1 step: both filters are kept
    await page.getByRole('button', { name: vi['subjects.network.depth1'] }).click();
    await page.getByRole('button', { name: vi['subjects.network.depth1'], pressed: true }).waitFor();
    await expect.poll(names, { timeout: 60_000 }).toEqual(['Ngô Văn Mới', 'Đào Văn Chủ'].sort());
    expect(await person.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByLabel(vi['subjects.network.from'], { exact: true }).inputValue()).toBe('01/01/2026');
    await page.context().close();
  }, SLOW);
});
