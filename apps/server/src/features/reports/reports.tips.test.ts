import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';

/**
 * Hand-computed fixture: tips received (UTC instants; Vietnam is UTC+7) and what happened to them.
 * Deadlines: acknowledge within 7 days. The report is made on 2025-10-03.
 *
 *   T1 web      08  2025-07-05 03:00  acknowledged 07-06 (in time), converted 07-10
 *   T2 email    08  2025-08-01 03:00  acknowledged 08-20 (late: due 08-08); assigned to Customs of Tuyên Quang
 *   T3 hotline  08  2025-09-30 16:30  = 23:30 on 30 Sept in Vietnam: in Q3; not acknowledged, due 10-07 → awaiting
 *   T4 web      20  2025-08-10 03:00  acknowledged 08-11 (in time), converted 08-12
 *   T5 web      08  2025-06-30 17:30  = 00:30 on 1 July in Vietnam: in Q3; never acknowledged (late)
 *   T6 web      08  2025-06-30 16:30  = 23:30 on 30 June in Vietnam: not in Q3; converted 07-02 (a Q3 conversion)
 *   T7 web      08  2024-07-15 03:00  acknowledged 07-16 (in time)
 *   T8 email    20  2024-08-15 03:00  never acknowledged (late)
 *
 * Q3 2025, nation: received 5 (web 3: T1 T4 T5; email 1: T2; hotline 1: T3); in time 2 (T1 T4);
 *   awaiting 1 (T3); share 2 / (5 − 1) = 50%; converted 3 (T1 T4 T6).
 * Q3 2024, nation: received 2 (web 1, email 1); in time 1; share 1 / 2 = 50%; converted 0.
 * Tuyên Quang (08), Q3 2025: received 4 (T1 T2 T3 T5: web 2, email 1, hotline 1); in time 1; awaiting 1;
 *   share 1 / 3; converted 2 (T1 T6). Q3 2024: received 1, in time 1, share 100%.
 * Lạng Sơn (20): Q3 2025 received 1, in time 1, converted 1; Q3 2024 received 1, in time 0, share 0.
 * Customs (a force): the tips assigned to its units: T2 only.
 */
describe.each(testEngines())('tip figures in the situation report on %s', (engine) => {
  let h: Harness;
  const Q3 = 'from=2025-07-01&to=2025-09-30';

  async function tip(at: string, channel: 'web' | 'email' | 'hotline', provinceCode: string, n: number) {
    h.clock.set(at);
    const r = await h.services.tips.intake({ channel, fields: { description: `Tin báo kiểm tra số ${n}: kho hàng lậu gần chợ biên giới`, provinceCode }, badFiles: 'refuse' });
    return r.id;
  }
  async function as(username: string, at: string) {
    h.clock.set(at);
    return h.login(username);
  }
  async function acknowledge(id: string, at: string) {
    const c = await as('nat.writer', at);
    const res = await c.request('POST', `/api/tips/${id}/status`, { version: (await c.request('GET', `/api/tips/${id}`)).json().version, to: 'acknowledged' });
    expect(res.statusCode, res.body).toBe(200);
  }
  async function convert(id: string, at: string) {
    const c = await as('nat.writer', at);
    const res = await c.request('POST', `/api/tips/${id}/convert`, { version: (await c.request('GET', `/api/tips/${id}`)).json().version, case: { violationType: 'SMUGGLING' } });
    expect(res.statusCode, res.body).toBe(201);
  }
  async function report(username: string, query: string) {
    const c = await as(username, '2025-10-03T03:00:00Z');
    const res = await c.request('GET', `/api/reports/situation?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const counts = (r: { tips: { figures: Record<string, { value: number; compareValue: number }> } }) =>
    Object.fromEntries(Object.entries(r.tips.figures).map(([k, f]) => [k, [f.value, f.compareValue]]));

  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    const customsTq = (await h.services.org.create(seed, { code: 'CUSTOMS-TQ', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '08', nameVi: 'Hải quan Tuyên Quang', nameEn: 'Tuyen Quang Customs' })).id;
    await h.makeUser({ username: 'nat.writer', roles: ['tip_triage', 'officer'] });
    await h.makeUser({ username: 'analyst', roles: ['analyst'] });
    await h.makeUser({ username: 'ls.coordinator', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'tq.customs', roles: ['officer'], unit: 'CUSTOMS-TQ' });
    await h.makeUser({ username: 'bg', roles: ['officer'], unit: 'BORDER_GUARD' });

    const t1 = await tip('2025-07-05T03:00:00Z', 'web', '08', 1);
    const t2 = await tip('2025-08-01T03:00:00Z', 'email', '08', 2);
    await tip('2025-09-30T16:30:00Z', 'hotline', '08', 3);
    const t4 = await tip('2025-08-10T03:00:00Z', 'web', '20', 4);
    await tip('2025-06-30T17:30:00Z', 'web', '08', 5);
    const t6 = await tip('2025-06-30T16:30:00Z', 'web', '08', 6);
    const t7 = await tip('2024-07-15T03:00:00Z', 'web', '08', 7);
    await tip('2024-08-15T03:00:00Z', 'email', '20', 8);
    await acknowledge(t1, '2025-07-06T03:00:00Z');
    await convert(t1, '2025-07-10T03:00:00Z');
    await acknowledge(t2, '2025-08-20T03:00:00Z');
    const c = await as('nat.writer', '2025-08-20T04:00:00Z');
    expect((await c.request('POST', `/api/tips/${t2}/assign`, { version: (await c.request('GET', `/api/tips/${t2}`)).json().version, unitId: customsTq })).statusCode).toBe(200);
    await acknowledge(t4, '2025-08-11T03:00:00Z');
    await convert(t4, '2025-08-12T03:00:00Z');
    await convert(t6, '2025-07-02T03:00:00Z');
    await acknowledge(t7, '2024-07-16T03:00:00Z');
  });
  afterAll(() => h.close());

  it('counts the nation\'s tips by channel, acknowledged in time and converted, against the same period last year', async () => {
    const r = await report('analyst', Q3);
    expect(counts(r)).toEqual({
      received: [5, 2], web: [3, 1], email: [1, 1], hotline: [1, 0], acknowledgedInTime: [2, 1], awaitingAcknowledgement: [1, 0], converted: [3, 0],
    });
    expect(r.tips.figures.received).toEqual({ value: 5, compareValue: 2, ratio: 2.5, change: 3 });
    expect(r.tips.acknowledgedInTimeShare).toEqual({ value: 0.5, compareValue: 0.5 });
    expect(r.narrative).toContain('Tiếp nhận 5 tin báo của người dân (qua cổng trực tuyến 3, thư điện tử 1, đường dây nóng 1), bằng 250,00% so với cùng kỳ năm 2024;');
    expect(r.narrative).toContain('2 tin được phản hồi, tiếp nhận xử lý đúng hạn (50,00%), 1 tin còn trong hạn; 3 tin báo đã chuyển thành vụ việc.');
    const en = await report('analyst', `${Q3}&locale=en`);
    expect(en.narrative).toContain('5 tips from the public were received (3 through the web form, 1 by e-mail, 1 by the hotline; 250.00% of the same period of 2024)');
  });

  it('follows the report\'s scope: a province by the tip\'s province, a province committee its own, a force its assigned tips', async () => {
    const tq = await report('analyst', `${Q3}&province=08`);
    expect(counts(tq)).toEqual({
      received: [4, 1], web: [2, 1], email: [1, 0], hotline: [1, 0], acknowledgedInTime: [1, 1], awaitingAcknowledgement: [1, 0], converted: [2, 0],
    });
    expect(tq.tips.acknowledgedInTimeShare.value).toBeCloseTo(1 / 3, 10);
    expect(tq.tips.acknowledgedInTimeShare.compareValue).toBe(1);

    const ls = await report('ls.coordinator', Q3);
    expect(ls.scope).toMatchObject({ kind: 'province', province: '20' });
    expect(counts(ls)).toEqual({
      received: [1, 1], web: [1, 0], email: [0, 1], hotline: [0, 0], acknowledgedInTime: [1, 0], awaitingAcknowledgement: [0, 0], converted: [1, 0],
    });
    expect(ls.tips.acknowledgedInTimeShare).toEqual({ value: 1, compareValue: 0 });

    const customs = await report('tq.customs', Q3);
    expect(customs.scope).toMatchObject({ kind: 'force', force: 'CUSTOMS' });
    expect(counts(customs)).toMatchObject({ received: [1, 0], email: [1, 0], acknowledgedInTime: [0, 0], converted: [0, 0] });
    const border = await report('bg', Q3);
    expect(border.tips.figures.received).toEqual({ value: 0, compareValue: 0, ratio: null, change: 0 });
    expect(border.tips.acknowledgedInTimeShare).toEqual({ value: null, compareValue: null });
    expect(border.narrative).not.toContain('tin báo');
  });

  it('puts the tip figures in the XLSX and the PDF', async () => {
    const c = await as('analyst', '2025-10-03T03:00:00Z');
    const xlsx = await c.request('GET', `/api/reports/situation.xlsx?${Q3}`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const rowOf = (label: string) => sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(1).value === label)!;
    expect([2, 3].map((i) => rowOf('Tin báo của người dân đã tiếp nhận').getCell(i).value)).toEqual([5, 2]);
    expect([2, 3].map((i) => rowOf('— Qua đường dây nóng').getCell(i).value)).toEqual([1, 0]);
    expect([2, 3].map((i) => rowOf('Tin báo đã chuyển thành vụ việc').getCell(i).value)).toEqual([3, 0]);
    const share = rowOf('Tỷ lệ phản hồi đúng hạn');
    expect([share.getCell(2).value, share.getCell(3).value, share.getCell(2).numFmt]).toEqual([0.5, 0.5, '0.00%']);

    const pdf = await c.request('GET', `/api/reports/situation.pdf?${Q3}&locale=en`);
    expect(pdf.statusCode).toBe(200);
    const { extractText } = await import('unpdf');
    const flat = (await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true })).text.replace(/\s+/g, ' ');
    expect(flat).toContain('Tips from the public');
    expect(flat).toMatch(/Tips converted into cases 3 0/);
    expect(flat).toMatch(/Share acknowledged within the deadline 50\.00% 50\.00%/);
  });
});
