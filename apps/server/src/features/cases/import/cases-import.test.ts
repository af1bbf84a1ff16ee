import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomsBranches } from '../../../testing/factories.js';
import ExcelJS from 'exceljs';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../../testing/harness.js';
import type { Principal } from '../../auth/principal.js';
import { createCasesImportService } from './cases-import.service.js';
import { importRowPreparer } from './cases-import.prepare.js';
import { rowToBody } from './rows.js';
import { readTable } from './table.js';
import { TEMPLATE_COLUMNS, templateMarkdownTable } from './template.js';
import { statsDrift } from '../../reports/stats-drift.testing.js';
import { caseSearchText } from '../cases.rules.js';

const HEADER = 'Số hiệu đơn vị;Tiêu đề;Loại vi phạm;Ngày phát hiện;Tỉnh, thành phố;Nhóm hàng;Mã HS;Mô tả hàng hóa;Số lượng;Đơn vị tính;Trị giá (VNĐ);Đối tượng 1 - loại;Đối tượng 1 - vai trò;Đối tượng 1 - tên;Đối tượng 1 - CCCD;Mức độ';
const row = (ref: string, over: Partial<Record<'title' | 'type' | 'date' | 'province' | 'category' | 'hs' | 'value' | 'sensitivity', string>> = {}) =>
  [ref, over.title ?? `Vụ thuốc lá nhập lậu ${ref}`, over.type ?? 'Buôn lậu', over.date ?? '05/10/2026', over.province ?? '20', over.category ?? 'CIGARETTES', over.hs ?? '2402.20',
    'Thuốc lá điếu Jet', '3.000', 'bao', over.value ?? '90.000.000', 'Cá nhân', 'Lái xe', 'Nguyễn Văn Hùng', '020089001234', over.sensitivity ?? 'Nội bộ'].join(';');
const csv = (...lines: string[]) => Buffer.from('\uFEFF' + [HEADER, ...lines].join('\r\n') + '\r\n', 'utf8');

/** A multipart/form-data body as a browser sends it. */
function multipart(file: { name: string; bytes: Buffer }, fields: Record<string, string> = {}) {
  const boundary = `----cordon${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('the import template', () => {
  it('is documented in docs/case-import-template.md with the same columns as the code', () => {
    const page = readFileSync(new URL('../../../../../../docs/case-import-template.md', import.meta.url), 'utf8');
    expect(page).toContain(templateMarkdownTable());
  });

  it('finds the header below merged title rows in XLSX, reading merged header cells as their master cell', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Báo cáo');
    ws.getCell('A1').value = 'BÁO CÁO VỤ VIỆC THÁNG 10/2026';
    ws.mergeCells('A1:H1');
    // Two header rows: simple columns merged down over both, the goods columns under one merged group.
    ['Số hiệu đơn vị', 'Tiêu đề', 'Loại vi phạm', 'Ngày phát hiện', 'Tỉnh, thành phố'].forEach((h, i) => {
      ws.getCell(3, i + 1).value = h;
      ws.mergeCells(3, i + 1, 4, i + 1);
    });
    ws.getCell(3, 6).value = 'Hàng hóa';
    ws.mergeCells(3, 6, 3, 8);
    ws.getCell(4, 6).value = 'Nhóm hàng';
    ws.getCell(4, 7).value = 'Mã HS';
    ws.getCell(4, 8).value = 'Trị giá (VNĐ)';
    ws.addRow(['LS-X-1', 'Vụ đường cát nhập lậu', 'SMUGGLING', new Date(Date.UTC(2026, 9, 5)), 20, 'Đường cát', 1701.99, 400_000_000]);
    ws.addRow([]);
    const table = await readTable('bao-cao.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(table.headerLine).toBe(4);
    expect(table.columns).toEqual(['source_ref', 'title', 'violation_type', 'detected_on', 'province', 'goods_category', 'hs_code', 'value_vnd']);
    const rows = [];
    for await (const r of table.rows) rows.push(r);
    expect(rows.map((r) => r.line)).toEqual([5]);
    expect(rows[0]!.cells.get('detected_on')).toEqual(new Date(Date.UTC(2026, 9, 5)));
  });

  it('reads comma-separated files too, with the header under a title line', async () => {
    const t = await readTable('x.csv', Buffer.from('Danh sách vụ việc\nsource_ref,title,violation_type,detected_on,province\nA-1,"Vụ có dấu phẩy, ở đây",SMUGGLING,2026-10-05,20\n,,,,\n'));
    const rows = [];
    for await (const r of t.rows) rows.push(r);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ line: 3 });
    expect(rows[0]!.cells.get('title')).toBe('Vụ có dấu phẩy, ở đây');
  });
});

describe.each(testEngines())('case import and export on %s', (engine) => {
  let h: Harness;
  let ls: Principal; // Customs, Lạng Sơn
  let lsClient: Client;
  let hpClient: Client; // Customs, Hải Phòng
  let borderClient: Client;
  const countCases = async (where = '') => Number((await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases ${where}`))[0]!.n);

  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    const u = await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'hp.officer', roles: ['officer'], unit: 'CUSTOMS-HP' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    ls = (await h.services.auth.principalFor(u.id, 'session'))!;
    lsClient = await h.login('ls.officer');
    hpClient = await h.login('hp.officer');
    borderClient = await h.login('bg.officer');
  });
  afterAll(() => h.close());

  const importer = (batchRows?: number) => createCasesImportService({ ...h.services, ...(batchRows ? { batchRows } : {}) });

  it('builds the same case rows as recording a case by hand', async () => {
    const table = await readTable('x.csv', csv(row('SAME-1'), row('SAME-2', { province: '02', date: '10/09/2024', sensitivity: 'restricted' })));
    for await (const r of table.rows) {
      const body = rowToBody(r).body!;
      const byHand = await h.services.cases.prepare(ls, body);
      const imported = importRowPreparer(ls, h.clock, { forceCode: 'CUSTOMS' })(body).prepared!;
      const { id: _a, status_changed_at: _b, ...expected } = byHand.row;
      const { id: _c, status_changed_at: _d, ...actual } = imported.row;
      expect(actual).toEqual(expected);
    }
  });

  it('stores each row as recording it by hand would: every column, the code, the search text, goods and subjects, whatever characters the cells hold', async () => {
    const keys = ['source_ref', 'title', 'summary', 'violation_type', 'detected_on', 'province', 'border_gate', 'place', 'route', 'goods_category', 'hs_code', 'goods_description', 'quantity', 'unit', 'value_vnd',
      'subject1_kind', 'subject1_role', 'subject1_name', 'subject1_id_number', 'subject2_name', 'subject2_phone', 'subject2_plate', 'sensitivity'];
    const cells = [
      ['EXACT-1', 'Vụ \\N rượu "Xyzzy" {x,y} NULL', 'dòng 1\ndòng 2\tcột\\gạch\r\nhết', 'Buôn lậu', '05/10/2026', '20', 'Cửa khẩu Hữu Nghị', 'Km 3, QL1A', 'ROAD', 'CIGARETTES', '2402.20',
        'Rượu "Xyzzy"\t500 chai', '3.000,5', 'chai', '70.000.000', 'Cá nhân', 'Lái xe', 'Lê Văn {Xyzzy}, "Tí" \\', '020089009999', 'Công ty \\ XYZZY', '0912340000', '12A-999.01', 'Hạn chế'],
      ['EXACT-2', 'Vụ xyzzy tối giản', '', 'SMUGGLING', '2024-09-10', '02', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
    ];
    const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const file = Buffer.from([keys.join(';'), ...cells.map((r) => r.map(q).join(';'))].join('\r\n') + '\r\n', 'utf8');
    const report = await importer().importCases(ls, { fileName: 'exact.csv', bytes: file, mode: 'partial' });
    expect(report).toMatchObject({ imported: 2, rejected: 0 });

    const table = await readTable('exact.csv', file);
    for await (const r of table.rows) {
      const body = rowToBody(r).body!;
      const { row: expected } = importRowPreparer(ls, h.clock, { forceCode: 'CUSTOMS' })(body).prepared!;
      const [stored] = await h.db.query<Record<string, unknown>>(`SELECT * FROM cases WHERE source_unit_id = $1 AND source_ref = $2`, [ls.unitId, body.sourceRef]);
      const { id: _a, status_changed_at: _b, search_text: _c, code: _d, ...rest } = expected;
      expect(stored).toMatchObject({ ...rest, search_pending: true, import_id: report.importId });
      expect(stored!.code).toMatch(new RegExp(`^VV-${body.detectedOn.slice(0, 4)}-\\d{6}$`));
      const code = stored!.code as string;
      expect(stored!.search_text).toBe(caseSearchText({ code, title: body.title, summary: body.summary, place: body.place, borderGate: body.borderGate, sourceRef: body.sourceRef }, body.goods, body.subjects));
      const goods = await h.db.query(`SELECT line_no, category, hs_code, description, quantity, unit, value_vnd, brand FROM case_goods WHERE case_id = $1 ORDER BY line_no`, [stored!.id]);
      expect(goods).toEqual(body.goods.map((g, i) => ({
        line_no: i + 1, category: g.category, hs_code: g.hsCode ?? null, description: g.description, quantity: g.quantity === null || g.quantity === undefined ? null : String(g.quantity), unit: g.unit ?? null, value_vnd: g.valueVnd ?? null, brand: g.brand ?? null,
      })));
      const subjects = await h.db.query(`SELECT position, kind, role, name, id_number, tax_code, plate, imo, phone, date_of_birth, address, nationality FROM case_subjects WHERE case_id = $1 ORDER BY position`, [stored!.id]);
      expect(subjects).toEqual(body.subjects.map((s, i) => ({
        position: i + 1, kind: s.kind, role: s.role, name: s.name, id_number: s.idNumber ?? null, tax_code: s.taxCode ?? null, plate: s.plate ?? null, imo: s.imo ?? null, phone: s.phone ?? null,
        date_of_birth: s.dateOfBirth ?? null, address: s.address ?? null, nationality: s.nationality?.toUpperCase() ?? null,
      })));
      const history = await h.db.query(`SELECT from_status, to_status, by_user_id FROM case_status_history WHERE case_id = $1`, [stored!.id]);
      expect(history).toEqual([{ from_status: null, to_status: 'detected', by_user_id: ls.userId }]);
    }
    // the tricky one really went through with its characters
    const [one] = await h.db.query<{ summary: string; subject_keys: string[] }>(`SELECT summary, subject_keys FROM cases WHERE source_ref = 'EXACT-1'`);
    expect(one!.summary).toBe('dòng 1\ndòng 2\tcột\\gạch\r\nhết');
    expect(one!.subject_keys.length).toBeGreaterThanOrEqual(3);
  });

  it('imports good rows and reports each bad one with its line, column and reason', async () => {
    const report = await importer().importCases(ls, {
      fileName: 'thang10.csv',
      mode: 'partial',
      bytes: csv(
        row('R-1'),
        row('R-2', { date: '31/02/2026' }),
        row('R-3', { province: '99' }),
        row('R-4', { value: '-5.000' }),
        row('R-5', { hs: '24A2' }),
        row('R-1', { title: 'Dòng lặp lại số hiệu' }),
        ';;;;;;;;;;;;;;;',
        row('R-6', { date: '2026-10-06', province: 'Lạng Sơn', type: 'SMUGGLING' }),
      ),
    });
    expect(report).toMatchObject({ totalRows: 7, imported: 2, duplicates: 0, rejected: 5, problemsTruncated: false });
    expect(report.problems.map(({ line, field, reason, limit }) => ({ line, field, reason, ...(limit !== undefined ? { limit } : {}) }))).toEqual([
      { line: 3, field: 'detected_on', reason: 'invalid_format' },
      { line: 4, field: 'province', reason: 'invalid_value' },
      { line: 5, field: 'value_vnd', reason: 'too_small', limit: 0 },
      { line: 6, field: 'hs_code', reason: 'invalid_format' },
      { line: 7, field: 'source_ref', reason: 'not_unique' },
    ]);
    expect(report.problems[4]!.message).toContain('line 2');
    const imported = (await lsClient.request('GET', '/api/cases?q=thuoc%20la%20nhap%20lau')).json().items;
    expect(imported.map((c: { goodsValueVnd: number }) => c.goodsValueVnd)).toEqual([90_000_000, 90_000_000]);
    const detail = (await lsClient.request('GET', `/api/cases/${imported[0].id}`)).json();
    expect(detail).toMatchObject({ sourceRef: expect.stringMatching(/^R-[16]$/), violationType: 'SMUGGLING', provinceCode: '20', goods: [{ quantity: 3000, hsCode: '240220', unit: 'bao' }], subjects: [{ kind: 'person', role: 'driver', idNumber: '020089001234' }] });
  });

  it('creates no duplicates when the same file is imported again', async () => {
    const file = csv(row('AGAIN-1'), row('AGAIN-2'));
    const first = await importer().importCases(ls, { fileName: 'a.csv', bytes: file, mode: 'partial' });
    const second = await importer().importCases(ls, { fileName: 'a.csv', bytes: file, mode: 'partial' });
    expect(first).toMatchObject({ imported: 2, duplicates: 0 });
    expect(second).toMatchObject({ imported: 0, duplicates: 2, rejected: 0 });
    expect(await countCases(`WHERE source_ref LIKE 'AGAIN-%'`)).toBe(2);
  });

  it('loses at most a batch when an import stops half-way, and the rerun completes it without duplicates', async () => {
    const file = csv(...Array.from({ length: 7 }, (_, i) => row(`CRASH-${i}`)));
    let batches = 0;
    await expect(importer(3).importCases(ls, { fileName: 'c.csv', bytes: file, mode: 'partial' }, () => {
      if (++batches === 2) throw new Error('the machine went down');
    })).rejects.toThrow('the machine went down');
    expect(await countCases(`WHERE source_ref LIKE 'CRASH-%'`)).toBe(6);
    const rerun = await importer(3).importCases(ls, { fileName: 'c.csv', bytes: file, mode: 'partial' });
    expect(rerun).toMatchObject({ imported: 1, duplicates: 6 });
    expect(await countCases(`WHERE source_ref LIKE 'CRASH-%'`)).toBe(7);
  });

  it('imports nothing in all-or-nothing mode when any row is bad, and everything when none is', async () => {
    const bad = await importer(2).importCases(ls, { fileName: 'b.csv', bytes: csv(row('AON-1'), row('AON-2'), row('AON-3'), row('AON-4', { category: 'VÀNG GIẢ' })), mode: 'all_or_nothing' });
    expect(bad).toMatchObject({ totalRows: 4, imported: 0, rejected: 1 });
    expect(bad.problems[0]).toMatchObject({ line: 5, field: 'goods_category', reason: 'invalid_value' });
    expect(await countCases(`WHERE source_ref LIKE 'AON-%'`)).toBe(0);
    const good = await importer(2).importCases(ls, { fileName: 'b.csv', bytes: csv(row('AON-1'), row('AON-2'), row('AON-3')), mode: 'all_or_nothing' });
    expect(good).toMatchObject({ imported: 3, rejected: 0 });
  });

  it('keeps the report sums exact: imported cases count once (rerun, a concurrent import of the same file, all-or-nothing batches), and a later change counts too', async () => {
    const file = csv(row('SUM-1'), row('SUM-2', { sensitivity: 'restricted' }), row('SUM-3', { date: '10/09/2024', province: '02', category: 'SUGAR', hs: '1701.99' }));
    expect(await importer(2).importCases(ls, { fileName: 's.csv', bytes: file, mode: 'partial' })).toMatchObject({ imported: 3 });
    expect(await importer(2).importCases(ls, { fileName: 's.csv', bytes: file, mode: 'partial' })).toMatchObject({ imported: 0, duplicates: 3 });
    const twice = csv(row('SUM-4'), row('SUM-5', { date: '01/03/2025' }));
    const raced = await Promise.all([1, 2].map(() => importer().importCases(ls, { fileName: 't.csv', bytes: twice, mode: 'partial' })));
    expect(raced.map((r) => r.imported).sort()).toEqual([0, 2]);
    expect(await importer(2).importCases(ls, { fileName: 'u.csv', bytes: csv(row('SUM-6'), row('SUM-7'), row('SUM-8', { sensitivity: 'restricted' })), mode: 'all_or_nothing' })).toMatchObject({ imported: 3 });
    // a figure changing afterwards
    await h.db.query(`UPDATE cases SET penalty_decided_on = '2026-10-20', fine_vnd = 15000000 WHERE source_ref = 'SUM-1'`);
    expect(await countCases(`WHERE source_ref LIKE 'SUM-%'`)).toBe(8);
    expect(await statsDrift(h.db)).toEqual([]);
    // and the imported cases are in them: Lạng Sơn's sugar of 10 September 2024 (province 02 → its 2025 code)
    const sugar = await h.db.query<{ n: number }>(`SELECT n::int AS n FROM case_stats_daily WHERE day = '2024-09-10' AND kind = 'detected' AND dim = 'category' AND key = 'SUGAR'`);
    expect(sugar).toEqual([{ n: 1 }]);
  });

  it('refuses an empty file with a clear message', async () => {
    await expect(importer().importCases(ls, { fileName: 'empty.csv', bytes: Buffer.from(''), mode: 'partial' })).rejects.toMatchObject({ code: 'INVALID_INPUT', issues: [{ field: 'file', reason: 'empty' }] });
    await expect(importer().importCases(ls, { fileName: 'bom.csv', bytes: Buffer.from('\uFEFF\r\n\r\n'), mode: 'partial' })).rejects.toMatchObject({ issues: [{ field: 'file', reason: 'empty' }] });
    await expect(importer().importCases(ls, { fileName: 'x.csv', bytes: Buffer.from('Tiêu đề;Tóm tắt;Loại vi phạm\n'), mode: 'partial' })).rejects.toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ field: 'source_ref', reason: 'missing_column' })]) });
  });

  it('imports an XLSX with merged title and header cells, real dates and numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.getCell('A1').value = 'DANH SÁCH VỤ VIỆC';
    ws.mergeCells('A1:F1');
    ['Số hiệu đơn vị', 'Tiêu đề', 'Loại vi phạm', 'Ngày phát hiện', 'Tỉnh, thành phố'].forEach((v, i) => {
      ws.getCell(2, i + 1).value = v;
      ws.mergeCells(2, i + 1, 3, i + 1);
    });
    ws.getCell(2, 6).value = 'Đối tượng 1';
    ws.mergeCells(2, 6, 2, 7);
    ws.getCell(3, 6).value = 'Đối tượng 1 - tên';
    ws.getCell(3, 7).value = 'Đối tượng 1 - CCCD';
    ws.addRow(['XL-1', 'Vụ xăng dầu nhập lậu qua biên giới', 'Buôn lậu', new Date(Date.UTC(2026, 8, 30)), 20, 'Trần Văn Bình', 20089001234]);
    const report = await importer().importCases(ls, { fileName: 'ds.xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()), mode: 'partial' });
    expect(report).toMatchObject({ totalRows: 1, imported: 1, rejected: 0 });
    const c = await h.db.query<{ detected_on: string }>(`SELECT detected_on FROM cases WHERE source_ref = 'XL-1'`);
    expect(c[0]!.detected_on).toBe('2026-09-30');
    const s = await h.db.query<{ id_number: string }>(`SELECT s.id_number FROM case_subjects s JOIN cases c ON c.id = s.case_id WHERE c.source_ref = 'XL-1'`);
    expect(s[0]!.id_number).toBe('020089001234');
  });

  it('records the run and audits it with its counts', async () => {
    const r = await importer().importCases(ls, { fileName: 'audit.csv', bytes: csv(row('AUD-1'), row('AUD-2', { date: 'hôm qua' })), mode: 'partial' });
    const run = await h.db.query<{ imported: number; rejected: number; finished_at: Date | null; user_id: string }>(`SELECT imported, rejected, finished_at, user_id FROM case_imports WHERE id = $1`, [r.importId]);
    expect(run[0]).toMatchObject({ imported: 1, rejected: 1, user_id: ls.userId });
    expect(run[0]!.finished_at).not.toBeNull();
    const events = await h.db.query<{ action: string; detail: Record<string, unknown> }>(`SELECT action, detail FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [r.importId]);
    expect(events.map((e) => e.action)).toEqual(['case.import.start', 'case.import.batch', 'case.import']);
    expect(events[2]!.detail).toMatchObject({ totalRows: 2, imported: 1, rejected: 1, duplicates: 0 });
    expect((await h.services.audit.verify()).ok).toBe(true);
  });

  it('finds imported cases by text before the background indexer has run, and the same ones after', async () => {
    const file = csv(
      row('IDX-1', { title: 'IDX-1 Vụ pháo nổ Đồng Đăng' }),
      row('IDX-2', { title: 'IDX-2 Vụ pháo hoa Tân Thanh' }),
      row('IDX-3', { title: 'IDX-3 Vụ đường cát Cốc Nam', category: 'SUGAR', hs: '1701.99' }),
    );
    await importer().importCases(ls, { fileName: 'idx.csv', bytes: file, mode: 'partial' });
    expect(await countCases(`WHERE source_ref LIKE 'IDX-%' AND search_pending`)).toBe(3);
    const search = async (q: string) => ((await lsClient.request('GET', `/api/cases?q=${encodeURIComponent(q)}`)).json().items as { title: string }[]).map((c) => c.title.slice(0, 5)).sort();
    const before = [await search('phao idx'), await search('dong dang'), await search('duong cat coc nam')];
    expect(before).toEqual([['IDX-1', 'IDX-2'], ['IDX-1'], ['IDX-3']]);
    // an edit while pending: found by its new words, no longer by the old
    const id = (await lsClient.request('GET', `/api/cases?q=tan%20thanh`)).json().items[0].id as string;
    const cur = (await lsClient.request('GET', `/api/cases/${id}`)).json();
    expect((await lsClient.request('PATCH', `/api/cases/${id}`, { version: cur.version, title: 'IDX-2 Vụ pháo hoa Bảo Lâm' })).statusCode).toBe(200);
    expect(await search('bao lam')).toEqual(['IDX-2']);
    expect(await search('tan thanh')).toEqual([]);

    expect(await countCases(`WHERE source_ref LIKE 'IDX-%' AND search_pending`)).toBe(2); // the edit indexed its case
    expect(await h.services.searchIndexer.drain()).toBeGreaterThanOrEqual(2);
    expect(await h.services.searchIndexer.pending()).toBe(0);
    expect([await search('phao idx'), await search('dong dang'), await search('duong cat coc nam'), await search('bao lam')]).toEqual([['IDX-1', 'IDX-2'], ['IDX-1'], ['IDX-3'], ['IDX-2']]);
    expect(await h.services.searchIndexer.drain()).toBe(0);
  });

  it('proposes a joint case when another unit has imported the same seizure, once the import is indexed', async () => {
    const hp = (await h.services.auth.principalFor((await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'hp.officer').executeTakeFirstOrThrow()).id, 'session'))!;
    await importer().importCases(ls, { fileName: 'j1.csv', bytes: csv(row('JP-1', { date: '12/10/2026', title: 'JP Vụ thuốc lá Tân Thanh' })), mode: 'partial' });
    await importer().importCases(hp, { fileName: 'j2.csv', bytes: csv(row('JP-2', { date: '12/10/2026', title: 'JP Thuốc lá lậu chợ Tân Thanh' })), mode: 'partial' });
    const links = () => h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_links l JOIN cases a ON a.id = l.case_a JOIN cases b ON b.id = l.case_b
      WHERE a.source_ref IN ('JP-1', 'JP-2') AND b.source_ref IN ('JP-1', 'JP-2') AND l.status = 'proposed'`);
    // a watch on the driver's CCCD is alerted about each imported case once it is indexed
    expect((await hpClient.request('POST', '/api/watchlists', { identifier: { kind: 'ID', value: '020089001234' } })).statusCode).toBe(201);
    const alerts = () => h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM subject_watch_alerts a JOIN cases c ON c.id = a.case_id WHERE c.source_ref IN ('JP-1', 'JP-2')`);
    expect((await links())[0]!.n).toBe(0);
    expect((await alerts())[0]!.n).toBe(0);
    await h.services.searchIndexer.drain();
    expect((await links())[0]!.n).toBe(1);
    expect((await alerts())[0]!.n).toBe(2);
  });

  it('indexes an upload in the background after answering', async () => {
    const { body, headers } = multipart({ name: 'bg.csv', bytes: csv(row('BG-1', { title: 'Vụ mỹ phẩm giả BGIDX' })) });
    const res = await lsClient.request('POST', '/api/cases/import', body, headers);
    expect(res.json()).toMatchObject({ imported: 1 });
    await h.services.searchIndexer.idle();
    expect(await countCases(`WHERE source_ref = 'BG-1' AND NOT search_pending`)).toBe(1);
    expect((await lsClient.request('GET', '/api/cases?q=my%20pham%20gia%20bgidx')).json().items).toHaveLength(1);
  });

  it('takes a multipart upload and offers the problems as a CSV to the importing user only', async () => {
    const up = multipart({ name: 'thang11.csv', bytes: csv(row('HTTP-1'), row('HTTP-2', { province: '77' })) }, { mode: 'partial' });
    const res = await lsClient.request('POST', '/api/cases/import', up.body, up.headers);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ imported: 1, rejected: 1, errorReportUrl: `/api/cases/imports/${report.importId}/errors.csv` });
    const errors = await lsClient.request('GET', report.errorReportUrl);
    expect(errors.headers['content-type']).toContain('text/csv');
    expect(errors.body.replace('\uFEFF', '').split('\r\n').slice(0, 2)).toEqual(['line,field,column,reason,message,value', expect.stringMatching(/^3,province,"Tỉnh, thành phố",invalid_value,.*,77$/)]);
    // The report names the column as the Vietnamese template does, beside its English key.
    expect(report.problems[0]).toMatchObject({ line: 3, field: 'province', column: 'Tỉnh, thành phố', value: '77' });
    expect((await hpClient.request('GET', report.errorReportUrl)).statusCode).toBe(404);
  });

  it('refuses a request without a file, and a viewer', async () => {
    const none = await lsClient.request('POST', '/api/cases/import', Buffer.from(`--b\r\nContent-Disposition: form-data; name="mode"\r\n\r\npartial\r\n--b--\r\n`), { 'content-type': 'multipart/form-data; boundary=b' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.issues[0]).toMatchObject({ field: 'file', reason: 'required' });
    await h.makeUser({ username: 'viewer', roles: ['viewer'], unit: 'BCD389' });
    const up = multipart({ name: 'v.csv', bytes: csv(row('VIEW-1')) });
    expect((await (await h.login('viewer')).request('POST', '/api/cases/import', up.body, up.headers)).statusCode).toBe(403);
  });

  it.runIf(engine === 'pglite')('answers 413 to a file over 50 MB', async () => {
    const up = multipart({ name: 'big.csv', bytes: Buffer.alloc(50 * 1024 * 1024 + 10, 0x20) });
    const res = await lsClient.request('POST', '/api/cases/import', up.body, up.headers);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('INVALID_INPUT');
  });

  it('offers a template that imports as it is, in CSV and XLSX', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const res = await lsClient.request('GET', `/api/cases/import/template?format=${format}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain(`mau-nhap-vu-viec.${format}`);
      const table = await readTable(`t.${format}`, res.rawPayload);
      expect(table.columns).toEqual(TEMPLATE_COLUMNS.map((c) => c.key));
      const report = await importer().importCases(ls, { fileName: `t.${format}`, bytes: res.rawPayload, mode: 'partial' });
      expect(report.problems).toEqual([]);
    }
  });

  it('exports only what the user may see: no other province\'s restricted case, summaries of other forces\' cases', async () => {
    await importer().importCases(ls, { fileName: 'exp.csv', bytes: csv(row('EXP-R', { title: 'Chuyên án hạn chế xuất khẩu', sensitivity: 'Hạn chế' }), row('EXP-I', { title: 'Vụ nội bộ xuất khẩu' })), mode: 'partial' });
    const mine = (await lsClient.request('GET', '/api/cases/export?format=csv&q=xuat%20khau')).body;
    expect(mine).toContain('Chuyên án hạn chế xuất khẩu');
    expect(mine).toContain('EXP-I');
    const other = await hpClient.request('GET', '/api/cases/export?format=csv&q=xuat%20khau');
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('Chuyên án hạn chế');
    const border = (await borderClient.request('GET', '/api/cases/export?format=csv&q=xuat%20khau')).body.replace('\uFEFF', '').trim().split('\r\n');
    expect(border).toHaveLength(2);
    // Another force sees the internal case's summary: no source reference, no subjects.
    expect(border[1]).toContain('Vụ nội bộ xuất khẩu');
    expect(border[1]).not.toContain('EXP-I');
    expect(border[1]).not.toContain('Nguyễn Văn Hùng');
    const audited = await h.db.query<{ actor_username: string; detail: { rows: number; filter: { q: string } } }>(`SELECT actor_username, detail FROM audit_log WHERE action = 'case.export' ORDER BY seq`);
    expect(audited.map((a) => [a.actor_username, a.detail.rows, a.detail.filter.q])).toEqual([['ls.officer', 2, 'xuat khau'], ['hp.officer', 1, 'xuat khau'], ['bg.officer', 1, 'xuat khau']]);
  });

  it('exports XLSX with numbers as numbers and dates as dates', async () => {
    const res = await lsClient.request('GET', '/api/cases/export?format=xlsx&q=EXP-I');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const value = ws.getRow(2).getCell(header.indexOf('Trị giá hàng (VNĐ)') + 1).value;
    const date = ws.getRow(2).getCell(header.indexOf('Ngày phát hiện') + 1).value;
    expect(value).toBe(90_000_000);
    expect(date).toEqual(new Date(Date.UTC(2026, 9, 5)));
    expect(ws.rowCount).toBe(2);
  });

  it('exports what the screen shows, by name and in the language asked for, not codes', async () => {
    const sheetOf = async (locale: string) => {
      const res = await lsClient.request('GET', `/api/cases/export?format=xlsx&q=EXP-I&locale=${locale}`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      return Object.fromEntries(header.map((h, i) => [h, ws.getRow(2).getCell(i + 1).value]));
    };
    const vi = await sheetOf('vi');
    expect(vi).toMatchObject({
      'Loại vi phạm': 'Buôn lậu', 'Tỉnh, thành phố': 'Lạng Sơn', 'Mã tỉnh như ghi nhận': '20', 'Trạng thái': 'Mới phát hiện', 'Mức độ': 'Nội bộ',
      'Nhóm hàng': 'Thuốc lá điếu', 'Mức xem': 'Đầy đủ', 'Hàng hóa': 'Thuốc lá điếu Jet · 3.000 bao · HS 2402.20',
    });
    expect(vi['Đối tượng']).toContain('Nguyễn Văn Hùng · Lái xe · 020089001234');
    expect(vi['Đơn vị ghi nhận']).not.toMatch(/^[A-Z0-9_]+$/);
    const en = await sheetOf('en');
    expect(en).toMatchObject({ 'Violation type': 'Smuggling', Province: 'Lạng Sơn', Status: 'Detected', Sensitivity: 'Internal', Access: 'Full', Goods: 'Thuốc lá điếu Jet · 3,000 bao · HS 2402.20' });
    expect(en.Subjects).toContain('Nguyễn Văn Hùng · Driver');
    expect((await lsClient.request('GET', '/api/cases/export?format=csv&q=EXP-I&locale=fr')).json().error.issues[0].field).toBe('locale');
    // A script that asks without a locale keeps the keys and codes it was written for.
    const plain = (await lsClient.request('GET', '/api/cases/export?format=csv&q=EXP-I')).body.replace('\uFEFF', '').split('\r\n');
    expect(plain[0]!.startsWith('code,source_ref,title,')).toBe(true);
    expect(plain[1]).toContain(',SMUGGLING,smuggling,2026-10-05,20,20,');
  });

  it('names the export file by the day in Vietnam, also just after midnight there', async () => {
    const before = h.clock.now();
    try {
      h.clock.set('2026-11-30T17:30:00.000Z'); // 00:30 on 1 December in Vietnam, 17:30 on 30 November in UTC
      const client = await h.login('ls.officer'); // a week on: the earlier sessions have expired
      const res = await client.request('GET', '/api/cases/export?format=csv&q=EXP-I');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain('vu-viec-2026-12-01.csv');
    } finally {
      h.clock.set(before);
    }
  });
});
