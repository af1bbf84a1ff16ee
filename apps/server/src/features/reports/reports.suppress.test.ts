import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { makeCase } from '../../testing/factories.js';

type Fig = { value: number; compareValue: number; ratio: number | null; change: number; suppressed?: string[] };
type Row = { key: string; label: string; figures: Record<string, Fig> };

/**
 * One day, 2025-08-12, in Lạng Sơn:
 *   Customs LS records one restricted case at Tân Thanh (fine 70M) and two internal ones at Hữu Nghị;
 *   the Border Guard records nothing that day.
 * On 2025-08-13: Customs LS 1 restricted, Border Guard 3 restricted, Market Surveillance 2 internal.
 */
describe.each(testEngines())('the small-cell rule on %s', (engine) => {
  let h: Harness;
  let analyst: Client; // national office: may not open Customs' or the Border Guard's restricted cases
  let ls: Client;

  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Lang Son Customs' });
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'qltt.officer', roles: ['officer'], unit: 'MARKET_SURVEILLANCE' });
    await h.makeUser({ username: 'analyst', roles: ['analyst'], unit: 'BCD389' });
    ls = await h.login('ls.officer');
    const bg = await h.login('bg.officer');
    const qltt = await h.login('qltt.officer');
    analyst = await h.login('analyst');
    const record = async (who: Client, over: Record<string, unknown>) => {
      const res = await who.request('POST', '/api/cases', makeCase({ subjects: [], ...over }));
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; version: number };
    };
    let secret = await record(ls, { title: 'Vụ hạn chế Tân Thanh', detectedOn: '2025-08-12', borderGate: 'Tân Thanh', sensitivity: 'restricted' });
    secret = (await ls.request('POST', `/api/cases/${secret.id}/transitions`, { version: secret.version, to: 'handling' })).json();
    await ls.request('POST', `/api/cases/${secret.id}/transitions`, { version: secret.version, to: 'penalized', penalty: { decisionNo: '9/QĐ', decidedOn: '2025-08-12', fineVnd: 70_000_000, confiscatedValueVnd: 0, collectedVnd: 0 } });
    for (let i = 0; i < 2; i++) await record(ls, { title: `Vụ nội bộ Hữu Nghị ${i}`, detectedOn: '2025-08-12', borderGate: 'Hữu Nghị' });
    await record(ls, { title: 'Vụ hạn chế 13/8', detectedOn: '2025-08-13', sensitivity: 'restricted' });
    for (let i = 0; i < 3; i++) await record(bg, { title: `Biên phòng hạn chế ${i}`, detectedOn: '2025-08-13', sensitivity: 'restricted', provinceCode: '20' });
    for (let i = 0; i < 2; i++) await record(qltt, { title: `QLTT nội bộ ${i}`, detectedOn: '2025-08-13', provinceCode: '20' });
  });
  afterAll(() => h.close());

  const report = async (who: Client, query: string) => {
    const res = await who.request('GET', `/api/reports/situation?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('does not reveal a single restricted case through a one-day border-gate breakdown', async () => {
    const r = await report(analyst, 'from=2025-08-12&to=2025-08-12&groupBy=borderGate');
    const rows = r.breakdown.rows as Row[];
    const tanThanh = rows.find((x) => x.key === 'Tân Thanh')!;
    expect(tanThanh.figures.cases).toMatchObject({ value: 0, suppressed: ['value'], ratio: null });
    expect(tanThanh.figures.finesVnd).toMatchObject({ value: 0, suppressed: ['value'] });
    // The total would give it away (3 − 2 shown at Hữu Nghị): it is withheld too, and so is the fine.
    expect(r.figures.cases.suppressed).toEqual(['value']);
    expect(r.figures.finesVnd).toMatchObject({ value: 0, suppressed: ['value'] });
    expect(rows.find((x) => x.key === 'Hữu Nghị')!.figures.cases).toEqual({ value: 2, compareValue: 0, ratio: null, change: 2 });
    expect(r.trend[0]).toMatchObject({ cases: 0, suppressed: ['cases'] });
    expect(r.smallCellThreshold).toBe(3);
    expect(r.narrative).toContain('<3');
    // Nowhere in the answer: not the fine, not the count.
    expect(JSON.stringify(r)).not.toContain('70000000');
  });

  it('does not reveal it through a unit breakdown either, and withholds a second row when the total would give the first away', async () => {
    const r = await report(analyst, 'from=2025-08-13&to=2025-08-13&groupBy=unit');
    const byName = new Map((r.breakdown.rows as Row[]).map((x) => [x.label, x.figures.cases!]));
    // 1 restricted (Customs LS) + 3 restricted (Border Guard) + 2 internal (Market Surveillance): the total
    // holds 4 restricted cases and is shown; Customs LS alone (1) is withheld, and with it the Border Guard,
    // else 6 − 3 − 2 would give Customs LS's single case.
    expect(r.figures.cases).toMatchObject({ value: 6 });
    expect(r.figures.cases.suppressed).toBeUndefined();
    expect(byName.get('Hải quan Lạng Sơn')).toMatchObject({ value: 0, suppressed: ['value'] });
    expect([...byName.values()].filter((f) => f.suppressed).length).toBe(2);
    expect([...byName.values()].find((f) => !f.suppressed)!).toMatchObject({ value: 2 });
  });

  it('shows cells of three or more restricted cases exactly, and whole-month figures as before', async () => {
    const bg = await report(analyst, 'from=2025-08-13&to=2025-08-13&force=BORDER_GUARD&groupBy=unit');
    expect(bg.figures.cases).toMatchObject({ value: 3 });
    expect((bg.breakdown.rows as Row[])[0]!.figures.cases).toMatchObject({ value: 3 });
    const province = await report(analyst, 'from=2025-08-13&to=2025-08-13&groupBy=province');
    expect((province.breakdown.rows as Row[])[0]!.figures.cases).toMatchObject({ value: 6 });
    const month = await report(analyst, 'from=2025-08-01&to=2025-08-31&groupBy=province');
    expect(month.figures.cases).toMatchObject({ value: 9 });
    expect(month.figures.cases.suppressed).toBeUndefined();
  });

  it('keeps the rule configurable: with k = 2 the lone case is still hidden, with k = 1 nothing is', async () => {
    const { createReportsService } = await import('./reports.service.js');
    const principal = (await h.services.auth.principalFor((await h.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'analyst'`))[0]!.id, 'token'))!;
    const q = { from: '2025-08-12', to: '2025-08-12', compare: 'same-period' as const, groupBy: 'borderGate' as const, locale: 'vi' as const };
    const k1 = await createReportsService({ db: h.db, clock: h.services.clock, smallCellThreshold: 1 }).situation(principal, q);
    expect(k1.breakdown!.rows.find((x) => x.key === 'Tân Thanh')!.figures.cases).toMatchObject({ value: 1 });
    const k2 = await createReportsService({ db: h.db, clock: h.services.clock, smallCellThreshold: 2 }).situation(principal, q);
    expect(k2.breakdown!.rows.find((x) => x.key === 'Tân Thanh')!.figures.cases.suppressed).toEqual(['value']);
  });

  it('writes "<3" in the XLSX export instead of the number', async () => {
    const res = await analyst.request('GET', '/api/reports/situation.xlsx?from=2025-08-12&to=2025-08-12&groupBy=borderGate');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const summary = wb.worksheets[0]!;
    const casesRow = summary.getRows(1, summary.rowCount)!.find((x) => x.getCell(1).value === 'Số vụ phát hiện, xử lý')!;
    expect(casesRow.getCell(2).value).toBe('<3');
    const gates = wb.worksheets[1]!;
    const tanThanh = gates.getRows(1, gates.rowCount)!.find((x) => x.getCell(1).value === 'Tân Thanh')!;
    expect(tanThanh.getCell(2).value).toBe('<3');
  });

  it('still lets the handling unit open its own case from the case list', async () => {
    const list = (await ls.request('GET', '/api/cases?from=2025-08-12&to=2025-08-12')).json();
    expect(list.items.map((x: { title: string }) => x.title)).toContain('Vụ hạn chế Tân Thanh');
  });
});
