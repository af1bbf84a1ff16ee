import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import type { DirectiveDetail, TaskDetail } from '@cordon/contracts';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

/**
 * The situation report's "Directives and follow-up" section in the exports. Fixture: three tasks due
 * on 2026-11-24 — Lạng Sơn done on time, Hải Phòng done late, Customs outstanding (so overdue) — and one
 * commendation decided in November.
 */
describe.each(testEngines())('directives section of the situation exports on %s', (engine) => {
  let h: Harness;
  let office: Client;
  const PERIOD = 'from=2026-11-01&to=2026-11-30';

  beforeAll(async () => {
    h = await createHarness(engine, { sessionIdleMinutes: 60 * 24 * 365, sessionAbsoluteHours: 24 * 365 });
    await h.makeUser({ username: 'office', roles: ['analyst'] });
    await h.makeUser({ username: 'ls', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp', roles: ['provincial_coordinator'], unit: 'BCD389-31' });
    const [ls, hp] = await Promise.all([h.login('ls'), h.login('hp')]);
    office = await h.login('office');
    const unit = (c: string) => h.unitId(c);
    const res = await office.request('POST', '/api/directives', {
      number: '40/CĐ-TTg', issuedOn: '2026-11-20', issuer: 'Thủ tướng Chính phủ', title: 'Công điện về xử lý sữa giả',
      tasks: await Promise.all(['BCD389-20', 'BCD389-31', 'CUSTOMS'].map(async (c) => ({ title: 'Kiểm tra sữa giả', reportRequirement: 'Số vụ', assignedUnitId: await unit(c), deadline: '2026-11-24' }))),
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json() as DirectiveDetail;
    const taskOf = async (c: string) => d.tasks.find((t) => t.assignedUnit.code === c)!.id;
    const finish = async (who: Client, id: string) => {
      expect((await who.request('POST', `/api/tasks/${id}/reports`, { body: 'Đã hoàn thành' })).statusCode).toBe(201);
      const t = (await who.request('GET', `/api/tasks/${id}`)).json() as TaskDetail;
      const s = (await who.request('POST', `/api/tasks/${id}/submit`, { version: t.version })).json() as TaskDetail;
      expect((await office.request('POST', `/api/tasks/${id}/accept`, { version: s.version })).statusCode).toBe(200);
    };
    h.clock.set('2026-11-24T16:30:00Z'); // 23:30 on the deadline day in Hà Nội: on time
    await finish(ls, await taskOf('BCD389-20'));
    h.clock.set('2026-11-24T17:30:00Z'); // 00:30 the next day: late
    await finish(hp, await taskOf('BCD389-31'));
    const c = await office.request('POST', '/api/commendations', {
      decisionNumber: '125/QĐ-BCĐ389', decidedOn: '2026-11-10', level: 'national_committee', recipientKind: 'unit', unitId: await unit('BCD389-20'), reason: 'Thành tích xuất sắc trong đợt cao điểm',
    });
    expect(c.statusCode, c.body).toBe(201);
  });
  afterAll(() => h.close());

  it('puts the section on the XLSX summary sheet with numbers as numbers', async () => {
    const res = await office.request('GET', `/api/reports/situation.xlsx?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const rows = sheet.getRows(1, sheet.rowCount)!.map((r) => (r.values as unknown[]).slice(1));
    const at = rows.findIndex((r) => r[0] === 'Chỉ đạo, đôn đốc');
    expect(at).toBeGreaterThan(0);
    expect(rows[at + 1]).toEqual(['Đơn vị được giao', 'Nhiệm vụ đến hạn', 'Đúng hạn', 'Trễ hạn', 'Chưa hoàn thành', 'Trong đó quá hạn']);
    expect(rows[at + 2]).toEqual(['Tổng cộng', 3, 1, 1, 1, 1]);
    const units = rows.slice(at + 3, at + 6);
    expect(units).toEqual(expect.arrayContaining([
      [expect.stringContaining('Lạng Sơn'), 1, 1, 0, 0, 0],
      [expect.stringContaining('Hải Phòng'), 1, 0, 1, 0, 0],
      [expect.stringContaining('Hải quan'), 1, 0, 0, 1, 1],
    ]));
    expect(rows[at + 6]).toEqual(['Số quyết định khen thưởng trong kỳ', 1]);
  });

  it('prints the section in the PDF, in Vietnamese and in English', async () => {
    const { extractText } = await import('unpdf');
    const textOf = async (query: string) => {
      const res = await office.request('GET', `/api/reports/situation.pdf?${query}`);
      expect(res.statusCode).toBe(200);
      const { text } = await extractText(new Uint8Array(res.rawPayload), { mergePages: true });
      return text.replace(/\s+/g, ' ');
    };
    const vi = await textOf(PERIOD);
    expect(vi).toContain('Chỉ đạo, đôn đốc');
    expect(vi).toMatch(/Tổng cộng 3 1 1 1 1/);
    expect(vi).toMatch(/Hải Phòng[^0-9]* 1 0 1 0 0/);
    expect(vi).toContain('Số quyết định khen thưởng trong kỳ: 1');
    const en = await textOf(`${PERIOD}&locale=en`);
    expect(en).toContain('Directives and follow-up');
    expect(en).toMatch(/Total 3 1 1 1 1/);
    expect(en).toContain('Commendations decided in the period: 1');
  });
});
