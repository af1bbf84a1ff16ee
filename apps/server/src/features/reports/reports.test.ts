import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { makeCase } from '../../testing/factories.js';

/**
 * Hand-computed fixture (Tuyên Quang = 08; Hà Giang (02) merged into it on 1 July 2025):
 *   A  2024-08-10 recorded in Hà Giang (02), smuggling; penalty decided 2024-09-01: fine 10M, confiscated 20M, collected 10M
 *   B  2025-08-15 in 08, trade fraud; penalty decided 2025-10-05 (after Q3): fine 5M
 *   C  2025-09-30 in 08, counterfeit; transferred and prosecuted 2025-09-30 with 3 defendants
 *   D  2025-07-01 in 08, smuggling; the same seizure as C's lead case → joined, does not count
 *   E  2025-07-02 in Lạng Sơn (20), smuggling
 *   F  2024-02-29 in 08, smuggling (a leap day)
 */
describe.each(testEngines())('situation report on %s', (engine) => {
  let h: Harness;
  let officer: Client;
  let analyst: Client;
  let coordinator: Client;
  let border: Client;

  async function record(over: Record<string, unknown>) {
    return (await officer.request('POST', '/api/cases', makeCase({ subjects: [], ...over }))).json() as { id: string; version: number };
  }
  async function step(c: { id: string; version: number }, body: Record<string, unknown>) {
    const res = await officer.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, ...body });
    if (res.statusCode !== 200) throw new Error(res.body);
    return res.json() as { id: string; version: number };
  }
  const report = async (client: Client, query: string) => {
    const res = await client.request('GET', `/api/reports/situation?${query}`);
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json();
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-TQ', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '08', nameVi: 'Hải quan Tuyên Quang', nameEn: 'Tuyen Quang Customs' });
    await h.makeUser({ username: 'tq.officer', roles: ['officer'], unit: 'CUSTOMS-TQ' });
    await h.makeUser({ username: 'analyst', roles: ['analyst'], unit: 'BCD389' });
    await h.makeUser({ username: 'ls.coordinator', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'bg', roles: ['officer'], unit: 'BORDER_GUARD' });
    officer = await h.login('tq.officer');
    analyst = await h.login('analyst');
    coordinator = await h.login('ls.coordinator');
    border = await h.login('bg');

    let a = await record({ title: 'Vụ A ở Hà Giang', detectedOn: '2024-08-10', provinceCode: '02', violationType: 'SMUGGLING' });
    a = await step(a, { to: 'handling' });
    await step(a, { to: 'penalized', penalty: { decisionNo: '1/QĐ', decidedOn: '2024-09-01', fineVnd: 10_000_000, confiscatedValueVnd: 20_000_000, collectedVnd: 10_000_000 } });
    let b = await record({ title: 'Vụ B gian lận', detectedOn: '2025-08-15', provinceCode: '08', violationType: 'TRADE_FRAUD' });
    b = await step(b, { to: 'handling' });
    await step(b, { to: 'penalized', penalty: { decisionNo: '2/QĐ', decidedOn: '2025-10-05', fineVnd: 5_000_000, confiscatedValueVnd: 0, collectedVnd: 0 } });
    let c = await record({ title: 'Vụ C hàng giả', detectedOn: '2025-09-30', provinceCode: '08', violationType: 'COUNTERFEIT' });
    c = await step(c, { to: 'handling' });
    c = await step(c, { to: 'transferred', transferredOn: '2025-09-30' });
    await step(c, { to: 'prosecuted', prosecution: { prosecutedOn: '2025-09-30', defendants: 3 } });
    const d = await record({ title: 'Vụ D trùng với vụ khác', detectedOn: '2025-07-01', provinceCode: '08', violationType: 'SMUGGLING' });
    await h.db.query('UPDATE cases SET counts_in_statistics = false WHERE id = $1', [d.id]);
    await record({ title: 'Vụ E ở Lạng Sơn', detectedOn: '2025-07-02', provinceCode: '20', violationType: 'SMUGGLING' });
    await record({ title: 'Vụ F ngày nhuận', detectedOn: '2024-02-29', provinceCode: '08', violationType: 'SMUGGLING' });
  });
  afterAll(() => h.close());

  it('compares Tuyên Quang in Q3 2025 with Q3 2024, counting what Hà Giang recorded in 2024', async () => {
    const r = await report(analyst, 'from=2025-07-01&to=2025-09-30&province=08');
    expect(r.scope).toMatchObject({ kind: 'province', province: '08' });
    expect(r.comparePeriod).toMatchObject({ from: '2024-07-01', to: '2024-09-30' });
    expect(r.figures.cases).toEqual({ value: 2, compareValue: 1, ratio: 2, change: 1 }); // B, C against A; D is joined
    expect(r.figures.smuggling).toMatchObject({ value: 0, compareValue: 1, ratio: 0 });
    expect(r.figures.tradeFraud).toMatchObject({ value: 1, compareValue: 0, ratio: null });
    expect(r.figures.counterfeit.value).toBe(1);
  });

  it('counts each figure by the date of its own event: a penalty decided after the period falls in the next one', async () => {
    const q3 = await report(analyst, 'from=2025-07-01&to=2025-09-30&province=08');
    expect(q3.figures.penalties).toMatchObject({ value: 0, compareValue: 1 });
    expect(q3.figures.finesVnd).toMatchObject({ value: 0, compareValue: 10_000_000 });
    expect(q3.figures.confiscatedVnd.compareValue).toBe(20_000_000);
    expect(q3.figures.prosecutedCases.value).toBe(1);
    expect(q3.figures.defendants.value).toBe(3);
    expect(q3.countedBy).toMatchObject({ cases: 'detected_on', finesVnd: 'penalty_decided_on', defendants: 'prosecuted_on' });
    const q4 = await report(analyst, 'from=2025-10-01&to=2025-12-31&province=08');
    expect(q4.figures.penalties.value).toBe(1);
    expect(q4.figures.finesVnd.value).toBe(5_000_000);
    expect(q4.figures.cases).toEqual({ value: 0, compareValue: 0, ratio: null, change: 0 });
  });

  it('compares February 2025 with all 29 days of February 2024', async () => {
    const r = await report(analyst, 'from=2025-02-01&to=2025-02-28&province=08');
    expect(r.comparePeriod).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(r.figures.cases).toMatchObject({ value: 0, compareValue: 1, ratio: 0 });
  });

  it('breaks the nation down by province and by goods category, and writes the narrative', async () => {
    const r = await report(analyst, 'from=2025-07-01&to=2025-09-30&groupBy=province');
    expect(r.scope.kind).toBe('nation');
    expect(r.figures.cases.value).toBe(3); // B, C, E
    expect(r.breakdown.rows.map((x: { key: string; figures: { cases: { value: number } } }) => [x.key, x.figures.cases.value])).toEqual([['08', 2], ['20', 1]]);
    expect(r.breakdown.rows[0].label).toBe('Tuyên Quang');
    expect(r.narrative).toContain('Trong quý III/2025, các lực lượng chức năng đã phát hiện, xử lý 3 vụ');
    const byGoods = await report(analyst, 'from=2025-07-01&to=2025-09-30&groupBy=category&locale=en');
    expect(byGoods.breakdown.rows[0]).toMatchObject({ key: 'CIGARETTES', label: 'Cigarettes' });
    expect(byGoods.breakdown.note).toMatch(/counts under each/);
  });

  it('follows the user\'s scope: a provincial coordinator sees their province, a force its own figures', async () => {
    const mine = await report(coordinator, 'from=2025-07-01&to=2025-09-30');
    expect(mine.scope).toMatchObject({ kind: 'province', province: '20' });
    expect(mine.figures.cases.value).toBe(1);
    expect((await coordinator.request('GET', '/api/reports/situation?from=2025-07-01&to=2025-09-30&province=08')).statusCode).toBe(403);
    const force = await report(border, 'from=2025-07-01&to=2025-09-30');
    expect(force.scope).toMatchObject({ kind: 'force', force: 'BORDER_GUARD' });
    expect(force.figures.cases.value).toBe(0);
  });

  it('gives a monthly trend with last year\'s line', async () => {
    const r = await report(analyst, 'from=2025-07-01&to=2025-09-30&province=08');
    expect(r.trend).toEqual([
      { month: '2025-07', cases: 0, compareCases: 0 },
      { month: '2025-08', cases: 1, compareCases: 1 },
      { month: '2025-09', cases: 1, compareCases: 0 },
    ]);
  });

  it('exports XLSX with numbers as numbers, one sheet per part, and audits the export', async () => {
    const res = await analyst.request('GET', '/api/reports/situation.xlsx?from=2025-07-01&to=2025-09-30&groupBy=province');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="cordon-tinh-hinh-2025-07-01-2025-09-30.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Theo tỉnh, thành phố', 'Xu hướng theo tháng']);
    const summary = wb.worksheets[0]!;
    const casesRow = summary.getRows(1, summary.rowCount)!.find((r) => r.getCell(1).value === 'Số vụ phát hiện, xử lý')!;
    expect(casesRow.getCell(2).value).toBe(3);
    expect(typeof casesRow.getCell(3).value).toBe('number');
    const province = wb.worksheets[1]!;
    expect(province.getRow(2).getCell(1).value).toBe('Tuyên Quang');
    expect(province.getRow(2).getCell(2).value).toBe(2);
    const audited = await h.db.query<{ detail: { format: string } }>(`SELECT detail FROM audit_log WHERE action = 'report.export'`);
    expect(audited.map((a) => a.detail.format)).toContain('xlsx');
  });

  it('exports a PDF whose text carries the Vietnamese narrative with its diacritics', async () => {
    const res = await analyst.request('GET', '/api/reports/situation.pdf?from=2025-07-01&to=2025-09-30&groupBy=province');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const { extractText } = await import('unpdf');
    const { text } = await extractText(new Uint8Array(res.rawPayload), { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Trong quý III/2025, các lực lượng chức năng đã phát hiện, xử lý 3 vụ');
    expect(flat).toContain('Tuyên Quang');
    // The map: proportional circles at the province points, with both archipelagos named.
    expect(flat).toContain('Bản đồ số vụ theo tỉnh, thành phố');
    expect(flat).toContain('QĐ Hoàng Sa');
    expect(flat).toContain('QĐ Trường Sa');
  });

  it('compares a year not over yet with the same days of last year, not with all of it', async () => {
    // On 31 August 2025 "năm 2025" has run eight months: A's penalty (decided 1 September 2024) is after
    // the same day of 2024 and must not be compared with (it made every figure look like a fall).
    h.clock.set('2025-08-31T05:00:00.000Z');
    try {
      const r = await report(analyst, 'from=2025-01-01&to=2025-12-31&province=08');
      expect(r.period).toEqual({ from: '2025-01-01', to: '2025-12-31', countedTo: '2025-08-31', name: 'năm 2025 (đến ngày 31/08/2025)' });
      expect(r.comparePeriod).toEqual({ from: '2024-01-01', to: '2024-08-31', name: 'năm 2024 (đến ngày 31/08/2024)' });
      expect(r.figures.cases).toMatchObject({ value: 1, compareValue: 2 }); // B against F and A
      expect(r.figures.penalties).toMatchObject({ value: 0, compareValue: 0 });
      expect(r.figures.finesVnd).toMatchObject({ value: 0, compareValue: 0 });
      expect(r.trend.map((m: { month: string }) => m.month)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08']);
      expect(r.narrative).toContain('Trong năm 2025 (đến ngày 31/08/2025)');
      const previous = await report(analyst, 'from=2025-01-01&to=2025-12-31&province=08&compare=previous-period&locale=en');
      expect(previous.comparePeriod).toEqual({ from: '2024-01-01', to: '2024-08-31', name: '2024 (to 31/08/2024)' });
      // Once the year is over, the whole of last year again.
      h.clock.set('2026-01-02T05:00:00.000Z');
      const over = await report(analyst, 'from=2025-01-01&to=2025-12-31&province=08');
      expect(over.period.countedTo).toBeUndefined();
      expect(over.comparePeriod).toMatchObject({ from: '2024-01-01', to: '2024-12-31', name: 'năm 2024' });
      expect(over.figures.penalties).toMatchObject({ value: 1, compareValue: 1 });
    } finally {
      h.clock.set('2026-11-23T03:00:00.000Z');
    }
  });

  it('rejects a period that ends before it starts, naming the field', async () => {
    const res = await analyst.request('GET', '/api/reports/situation?from=2025-09-30&to=2025-07-01');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].field).toBe('to');
  });
});

describe('hot spots in the situation report', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Lang Son Customs' });
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'analyst', roles: ['analyst'], unit: 'BCD389' });
    const ls = await h.login('ls');
    // Nine sugar seizures by sea in Lạng Sơn in Q3 2025; one a year in the two years before.
    for (let i = 0; i < 9; i++) {
      await ls.request('POST', '/api/cases', makeCase({ subjects: [], title: `Đường nhập lậu ${i}`, detectedOn: `2025-08-${String(i + 10)}`, route: 'SEA', goods: [{ category: 'SUGAR', description: 'Đường cát', valueVnd: 1_000_000 }] }));
    }
    for (const d of ['2024-08-05', '2023-08-05']) await ls.request('POST', '/api/cases', makeCase({ subjects: [], title: `Vụ cũ ${d}`, detectedOn: d, route: 'ROAD' }));
  });
  afterAll(() => h.close());

  it('lists the province, goods and route that rose far beyond their own past, with the test used', async () => {
    const analyst = await h.login('analyst');
    const r = (await analyst.request('GET', '/api/reports/situation?from=2025-07-01&to=2025-09-30')).json();
    const keys = r.hotSpots.map((x: { dimension: string; key: string }) => `${x.dimension}:${x.key}`);
    expect(keys).toEqual(expect.arrayContaining(['province:20', 'category:SUGAR', 'route:SEA']));
    const province = r.hotSpots.find((x: { dimension: string }) => x.dimension === 'province');
    expect(province).toMatchObject({ label: 'Lạng Sơn', observed: 9, expected: 1, test: 'poisson-upper-tail' });
    expect(province.pValue).toBeLessThan(1e-4);
    expect(r.trend.map((m: { cases: number }) => m.cases)).toEqual([0, 9, 0]);
    expect(r.trend.map((m: { compareCases: number }) => m.compareCases)).toEqual([0, 1, 0]);
  });
});
