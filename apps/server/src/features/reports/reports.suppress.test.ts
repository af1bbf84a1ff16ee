import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { makeCase } from '../../testing/factories.js';

type Fig = { value: number; compareValue: number; ratio: number | null; change: number; suppressed?: string[] };
type Row = { key: string; label: string; figures: Record<string, Fig> };

/**
 * Lạng Sơn, all penalised on the day they were detected:
 *   2025-08-12  Customs LS: one restricted case at Tân Thanh (fine 70M); two internal ones at Hữu Nghị
 *               (fines 10M and 20M).
 *   2025-08-13  Customs LS: one restricted case (fine 5M); Border Guard: three restricted (1M, 2M, 3M);
 *               Market Surveillance: two internal (4M, 6M).
 * Customs LS may open its own restricted cases; the national office's analyst may open none of them.
 */
describe.each(testEngines())('the small-cell rule on %s', (engine) => {
  let h: Harness;
  let analyst: Client; // national office: may not open Customs' or the Border Guard's restricted cases
  let ls: Client; // Customs Lạng Sơn: may open its own

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
    const penalised = async (who: Client, over: Record<string, unknown>, fineVnd: number) => {
      const res = await who.request('POST', '/api/cases', makeCase({ subjects: [], ...over }));
      expect(res.statusCode, res.body).toBe(201);
      let c = res.json() as { id: string; version: number; detectedOn: string };
      c = (await who.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'handling' })).json();
      const done = await who.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'penalized', penalty: { decisionNo: `${fineVnd}/QĐ`, decidedOn: over.detectedOn, fineVnd, confiscatedValueVnd: 0, collectedVnd: 0 } });
      expect(done.statusCode, done.body).toBe(200);
    };
    await penalised(ls, { title: 'Vụ hạn chế Tân Thanh', detectedOn: '2025-08-12', borderGate: 'Tân Thanh', sensitivity: 'restricted' }, 70_000_000);
    await penalised(ls, { title: 'Vụ nội bộ Hữu Nghị 1', detectedOn: '2025-08-12', borderGate: 'Hữu Nghị' }, 10_000_000);
    await penalised(ls, { title: 'Vụ nội bộ Hữu Nghị 2', detectedOn: '2025-08-12', borderGate: 'Hữu Nghị' }, 20_000_000);
    await penalised(ls, { title: 'Vụ hạn chế 13/8', detectedOn: '2025-08-13', sensitivity: 'restricted' }, 5_000_000);
    for (const fine of [1_000_000, 2_000_000, 3_000_000]) await penalised(bg, { title: `Biên phòng hạn chế ${fine}`, detectedOn: '2025-08-13', sensitivity: 'restricted', provinceCode: '20', borderGate: null }, fine);
    for (const fine of [4_000_000, 6_000_000]) await penalised(qltt, { title: `QLTT nội bộ ${fine}`, detectedOn: '2025-08-13', provinceCode: '20', borderGate: null }, fine);
  });
  afterAll(() => h.close());

  const report = async (who: Client, query: string) => {
    const res = await who.request('GET', `/api/reports/situation?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('shows the exact fine to a viewer who may open the restricted case', async () => {
    const r = await report(ls, 'from=2025-08-12&to=2025-08-12&groupBy=borderGate');
    const rows = new Map((r.breakdown.rows as Row[]).map((x) => [x.key, x.figures]));
    expect(r.figures.finesVnd).toMatchObject({ value: 100_000_000 });
    expect(r.figures.finesVnd.suppressed).toBeUndefined();
    expect(rows.get('Tân Thanh')!.finesVnd).toMatchObject({ value: 70_000_000 });
    expect(rows.get('Tân Thanh')!.finesVnd!.suppressed).toBeUndefined();
    expect(r.narrative).toContain('100 triệu đồng');
  });

  it('writes "<3" for the fine to a viewer who may not open it, and for the total that would give it away', async () => {
    const r = await report(analyst, 'from=2025-08-12&to=2025-08-12&groupBy=borderGate');
    const rows = new Map((r.breakdown.rows as Row[]).map((x) => [x.key, x.figures]));
    expect(rows.get('Tân Thanh')!.finesVnd).toMatchObject({ value: 0, suppressed: ['value'], ratio: null });
    // 100M − 30M shown at Hữu Nghị would be the 70M: the total's fine is withheld too (it holds one case
    // the analyst may not open, so it is small itself).
    expect(r.figures.finesVnd).toMatchObject({ value: 0, suppressed: ['value'] });
    expect(rows.get('Hữu Nghị')!.finesVnd).toEqual({ value: 30_000_000, compareValue: 0, ratio: null, change: 30_000_000 });
    // Counts are shown: "<3" would itself tell that one or two such cases lie there.
    expect(rows.get('Tân Thanh')!.cases).toEqual({ value: 1, compareValue: 0, ratio: null, change: 1 });
    expect(r.figures.penalties).toMatchObject({ value: 3 });
    expect(r.figures.penalties.suppressed).toBeUndefined();
    expect(r.trend[0]).toEqual({ month: '2025-08', cases: 3, compareCases: 0 });
    expect(r.narrative).toContain('không công bố số cụ thể');
    expect(r.smallCellThreshold).toBe(3);
    // Nowhere in the answer: not the fine, not the total it hides in.
    expect(JSON.stringify(r)).not.toContain('70000000');
    expect(JSON.stringify(r)).not.toContain('100000000');
  });

  it('withholds a second row when the total minus the shown rows would give the first away', async () => {
    const r = await report(analyst, 'from=2025-08-13&to=2025-08-13&groupBy=unit');
    const rows = r.breakdown.rows as Row[];
    // The total holds 4 restricted penalties the analyst may not open (Customs LS 1, Border Guard 3): its
    // fine, 5 + 1 + 2 + 3 + 4 + 6 = 21M, is shown. Customs LS alone (1) is withheld, and with it the Border
    // Guard's row, else 21 − 6 − 10 would be the 5M of Customs LS's single case.
    expect(r.figures.finesVnd).toMatchObject({ value: 21_000_000 });
    const withheld = rows.filter((x) => x.figures.finesVnd!.suppressed);
    expect(withheld.map((x) => x.label).sort()).toEqual(['Bộ đội Biên phòng', 'Hải quan Lạng Sơn'].sort());
    const shown = rows.filter((x) => !x.figures.finesVnd!.suppressed).reduce((s, x) => s + x.figures.finesVnd!.value, 0);
    expect(shown).toBe(10_000_000);
    // What subtraction gives is the two withheld rows together (5M + 6M), not any single case's fine.
    expect(r.figures.finesVnd.value - shown).toBe(11_000_000);
    expect(JSON.stringify(rows)).not.toContain('5000000');
  });

  it('lets the Border Guard see its own three cases exactly and the analyst see a cell of three', async () => {
    const bgOnly = await report(analyst, 'from=2025-08-13&to=2025-08-13&force=BORDER_GUARD&groupBy=unit');
    expect(bgOnly.figures.finesVnd).toMatchObject({ value: 6_000_000 });
    expect(bgOnly.figures.finesVnd.suppressed).toBeUndefined();
    const month = await report(analyst, 'from=2025-08-01&to=2025-08-31&groupBy=province');
    expect(month.figures.cases).toMatchObject({ value: 9 });
    expect(month.figures.finesVnd).toMatchObject({ value: 121_000_000 });
    expect(month.figures.finesVnd.suppressed).toBeUndefined();
  });

  it('keeps the rule configurable: with k = 2 the lone case is still hidden, with k = 1 nothing is', async () => {
    const { createReportsService } = await import('./reports.service.js');
    const principal = (await h.services.auth.principalFor((await h.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'analyst'`))[0]!.id, 'token'))!;
    const q = { from: '2025-08-12', to: '2025-08-12', compare: 'same-period' as const, groupBy: 'borderGate' as const, locale: 'vi' as const };
    const k1 = await createReportsService({ db: h.db, clock: h.services.clock, smallCellThreshold: 1 }).situation(principal, q);
    expect(k1.breakdown!.rows.find((x) => x.key === 'Tân Thanh')!.figures.finesVnd).toMatchObject({ value: 70_000_000 });
    const k2 = await createReportsService({ db: h.db, clock: h.services.clock, smallCellThreshold: 2 }).situation(principal, q);
    expect(k2.breakdown!.rows.find((x) => x.key === 'Tân Thanh')!.figures.finesVnd!.suppressed).toEqual(['value']);
  });

  it('writes "<3" in the XLSX export instead of the amount', async () => {
    const res = await analyst.request('GET', '/api/reports/situation.xlsx?from=2025-08-12&to=2025-08-12&groupBy=borderGate');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const summary = wb.worksheets[0]!;
    const fines = summary.getRows(1, summary.rowCount)!.find((x) => String(x.getCell(1).value).startsWith('Tiền phạt'))!;
    expect(fines.getCell(2).value).toBe('<3');
    const gates = wb.worksheets[1]!;
    const header = gates.getRow(gates.getRows(1, gates.rowCount)!.findIndex((x) => x.getCell(1).value === 'Cửa khẩu' || String(x.getCell(2).value).startsWith('Số vụ')) + 1);
    const col = (header.values as unknown[]).findIndex((v) => String(v).startsWith('Tiền phạt') && !String(v).includes('—'));
    const tanThanh = gates.getRows(1, gates.rowCount)!.find((x) => x.getCell(1).value === 'Tân Thanh')!;
    expect(tanThanh.getCell(col).value).toBe('<3');
  });

  it('explains "<3" in the XLSX and PDF files, which a reader may open without the page, and only when one is printed', async () => {
    const note = 'Số tiền hoặc số bị can gồm dưới 3 vụ việc mật, hạn chế';
    const cells = async (who: Client) => {
      const res = await who.request('GET', '/api/reports/situation.xlsx?from=2025-08-12&to=2025-08-12&groupBy=borderGate');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return wb.worksheets[0]!.getRows(1, wb.worksheets[0]!.rowCount)!.map((x) => String(x.getCell(1).value));
    };
    expect((await cells(analyst)).some((c) => c.startsWith(`<3: ${note}`))).toBe(true);
    expect((await cells(ls)).some((c) => c.includes(note))).toBe(false); // Customs LS sees every amount exactly
    const { extractText } = await import('unpdf');
    const pdfText = async (who: Client, locale: string) => {
      const res = await who.request('GET', `/api/reports/situation.pdf?from=2025-08-12&to=2025-08-12&groupBy=borderGate&locale=${locale}`);
      expect(res.statusCode).toBe(200);
      return (await extractText(new Uint8Array(res.rawPayload), { mergePages: true })).text.replace(/\s+/g, ' ');
    };
    const vi = await pdfText(analyst, 'vi');
    expect(vi).toContain('<3');
    expect(vi).toContain(note);
    expect(await pdfText(analyst, 'en')).toContain('fewer than 3 restricted or secret cases');
    expect(await pdfText(ls, 'vi')).not.toContain(note);
  });

  it('still lets the handling unit open its own case from the case list', async () => {
    const list = (await ls.request('GET', '/api/cases?from=2025-08-12&to=2025-08-12')).json();
    expect(list.items.map((x: { title: string }) => x.title)).toContain('Vụ hạn chế Tân Thanh');
  });
});
