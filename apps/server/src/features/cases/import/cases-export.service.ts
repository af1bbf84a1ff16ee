import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CaseExportQuery, CaseSummary } from '@cordon/contracts';
import { sql, type Db } from '@cordon/db';
import { vietnamToday, type Clock } from '../../../lib/clock.js';
import type { AuditService } from '../../audit/audit.service.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import type { CasesService } from '../cases.service.js';
import { CSV_TYPE, XLSX_TYPE, csvLine } from './files.js';

/** Rows read per query: memory stays flat however many cases the search finds. */
export const EXPORT_PAGE_ROWS = 1000;

type Value = string | number | Date | null;
interface ExportColumn {
  key: string;
  vi: string;
  /** Only for cases the user sees in full (their own unit's, shared, coordinated). */
  full?: boolean;
  kind?: 'number' | 'date';
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'code', vi: 'Mã vụ việc' },
  { key: 'source_ref', vi: 'Số hiệu đơn vị', full: true },
  { key: 'title', vi: 'Tiêu đề' },
  { key: 'summary', vi: 'Tóm tắt', full: true },
  { key: 'violation_type', vi: 'Loại vi phạm' },
  { key: 'report_group', vi: 'Nhóm báo cáo 389' },
  { key: 'detected_on', vi: 'Ngày phát hiện', kind: 'date' },
  { key: 'province', vi: 'Tỉnh, thành phố' },
  { key: 'recorded_province', vi: 'Mã tỉnh như ghi nhận' },
  { key: 'ward_code', vi: 'Mã xã, phường', full: true },
  { key: 'border_gate', vi: 'Cửa khẩu', full: true },
  { key: 'place', vi: 'Địa điểm', full: true },
  { key: 'route', vi: 'Tuyến' },
  { key: 'status', vi: 'Trạng thái' },
  { key: 'sensitivity', vi: 'Mức độ' },
  { key: 'source_unit', vi: 'Đơn vị ghi nhận' },
  { key: 'lead_unit', vi: 'Đơn vị chủ trì' },
  { key: 'goods_categories', vi: 'Nhóm hàng' },
  { key: 'goods_value_vnd', vi: 'Trị giá hàng (VNĐ)', kind: 'number' },
  { key: 'goods', vi: 'Hàng hóa', full: true },
  { key: 'subjects', vi: 'Đối tượng', full: true },
  { key: 'fine_vnd', vi: 'Tiền phạt (VNĐ)', full: true, kind: 'number' },
  { key: 'confiscated_value_vnd', vi: 'Trị giá tịch thu (VNĐ)', full: true, kind: 'number' },
  { key: 'collected_vnd', vi: 'Thu nộp ngân sách (VNĐ)', full: true, kind: 'number' },
  { key: 'access', vi: 'Mức xem' },
];

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

export function createCasesExportService({ db, clock, audit, cases }: { db: Db; clock: Clock; audit: AuditService; cases: CasesService }) {
  /** Pages through the search (keyset), yielding each page's rows as the user may see them. */
  async function* pages(p: Principal, q: Omit<CaseExportQuery, 'format'>): AsyncGenerator<Record<string, Value>[]> {
    let after: [string, string] | undefined;
    for (;;) {
      let query = cases.searchQuery(p, q);
      if (after) query = query.where(sql<boolean>`(c.detected_on, c.id) < (${after[0]}::date, ${after[1]}::uuid)`);
      const rows = await query.orderBy('c.detected_on', 'desc').orderBy('c.id', 'desc').limit(EXPORT_PAGE_ROWS).execute();
      if (!rows.length) return;
      const summaries = await cases.summariesOf(p, rows);
      const fullIds = summaries.filter((s) => s.access === 'full').map((s) => s.id);
      const [goods, subjects] = fullIds.length
        ? await Promise.all([
            db.kysely.selectFrom('case_goods').select(['case_id', 'description', 'quantity', 'unit', 'hs_code']).where('case_id', 'in', fullIds).orderBy('case_id').orderBy('line_no').execute(),
            db.kysely.selectFrom('case_subjects').select(['case_id', 'name', 'role', 'id_number', 'tax_code', 'plate', 'phone']).where('case_id', 'in', fullIds).orderBy('case_id').orderBy('position').execute(),
          ])
        : [[], []];
      const goodsOf = groupBy(goods, (g) => g.case_id);
      const subjectsOf = groupBy(subjects, (s) => s.case_id);
      yield rows.map((r, i) => {
        const s: CaseSummary = summaries[i]!;
        const full = s.access === 'full';
        const out: Record<string, Value> = {
          code: s.code, title: s.title, violation_type: s.violationType, report_group: s.reportGroup, detected_on: s.detectedOn, province: s.provinceCode,
          recorded_province: s.recordedProvinceCode, route: s.route, status: s.status, sensitivity: s.sensitivity, source_unit: s.sourceUnit.code, lead_unit: s.leadUnit.code,
          goods_categories: s.goodsCategories.join(', '), goods_value_vnd: s.goodsValueVnd, access: s.access,
        };
        if (full) {
          Object.assign(out, {
            source_ref: r.source_ref, summary: r.summary, ward_code: r.ward_code, border_gate: r.border_gate, place: r.place,
            goods: (goodsOf.get(r.id) ?? []).map((g) => [g.description, g.quantity !== null ? `${Number(g.quantity)} ${g.unit ?? ''}`.trim() : null, g.hs_code ? `HS ${g.hs_code}` : null].filter(Boolean).join(' · ')).join('; '),
            subjects: (subjectsOf.get(r.id) ?? []).map((x) => [x.name, x.role, x.id_number, x.tax_code, x.plate, x.phone].filter(Boolean).join(' · ')).join('; '),
            fine_vnd: r.fine_vnd, confiscated_value_vnd: r.confiscated_value_vnd, collected_vnd: r.collected_vnd,
          });
        }
        return out;
      });
      const last = rows.at(-1)!;
      after = [last.detected_on, last.id];
      if (rows.length < EXPORT_PAGE_ROWS) return;
    }
  }

  /**
   * The current search as a file, streamed page by page: only cases the user may see, summary fields
   * for the summary-access ones. The export, its filter and its row count go to the audit trail.
   */
  function exportCases(p: Principal, query: CaseExportQuery, requestId?: string): { fileName: string; contentType: string; stream: Readable } {
    const { format, ...filter } = query;
    const out = new PassThrough();
    // The day in Vietnam: from 00:00 to 07:00 there, UTC's date is still yesterday's.
    const stamp = vietnamToday(clock);
    const finish = async (rows: number) =>
      audit.record({ action: 'case.export', actor: actorOf(p), entityType: 'case', detail: { format, filter, rows }, requestId });

    const run = async () => {
      let n = 0;
      if (format === 'csv') {
        const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((res) => out.once('drain', () => res())));
        await write('\uFEFF' + csvLine(EXPORT_COLUMNS.map((c) => c.key)) + '\r\n');
        for await (const page of pages(p, filter)) {
          n += page.length;
          await write(page.map((r) => csvLine(EXPORT_COLUMNS.map((c) => r[c.key] as string | number | null))).join('\r\n') + '\r\n');
        }
        await finish(n);
        out.end();
        return;
      }
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
      const ws = wb.addWorksheet('Vụ việc');
      ws.columns = EXPORT_COLUMNS.map((c) => ({ header: c.vi, key: c.key, width: c.kind ? 16 : 24, ...(c.kind === 'number' ? { style: { numFmt: '#,##0' } } : c.kind === 'date' ? { style: { numFmt: 'dd/mm/yyyy' } } : {}) }));
      ws.getRow(1).font = { bold: true };
      for await (const page of pages(p, filter)) {
        for (const r of page) {
          n++;
          // Numbers stay numbers and dates stay dates, so the sheet sums and sorts.
          ws.addRow(EXPORT_COLUMNS.map((c) => (c.kind === 'date' && typeof r[c.key] === 'string' ? new Date(`${r[c.key] as string}T00:00:00Z`) : (r[c.key] ?? null)))).commit();
        }
      }
      ws.commit();
      await finish(n);
      await wb.commit();
    };
    run().catch((e: unknown) => out.destroy(e as Error));
    return { fileName: `vu-viec-${stamp}.${format}`, contentType: format === 'csv' ? CSV_TYPE : XLSX_TYPE, stream: out };
  }

  return { exportCases };
}

export type CasesExportService = ReturnType<typeof createCasesExportService>;
