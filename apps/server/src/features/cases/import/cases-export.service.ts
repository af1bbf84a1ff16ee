import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { formatHsCode, formatNumber, type CaseExportQuery, type CaseStatus, type CaseSummary, type Locale, type SENSITIVITY_LEVELS } from '@cordon/contracts';
import { findProvince, GOODS_CATEGORIES, REPORT_GROUPS, TRANSPORT_ROUTES, VIOLATION_TYPES } from '@cordon/reference';
import { sql, type Db } from '@cordon/db';
import { vietnamToday, type Clock } from '../../../lib/clock.js';
import type { AuditService } from '../../audit/audit.service.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import type { CasesService } from '../cases.service.js';
import { CSV_TYPE, XLSX_TYPE, csvLine } from './files.js';
import { SUBJECT_ROLE_NAMES } from './template.js';

/** Rows read per query: memory stays flat however many cases the search finds. */
export const EXPORT_PAGE_ROWS = 1000;

type Value = string | number | Date | null;
interface ExportColumn {
  key: string;
  vi: string;
  en: string;
  /** Only for cases the user sees in full (their own unit's, shared, coordinated). */
  full?: boolean;
  kind?: 'number' | 'date';
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'code', vi: 'Mã vụ việc', en: 'Case code' },
  { key: 'source_ref', vi: 'Số hiệu đơn vị', en: "Unit's reference", full: true },
  { key: 'title', vi: 'Tiêu đề', en: 'Title' },
  { key: 'summary', vi: 'Tóm tắt', en: 'Summary', full: true },
  { key: 'violation_type', vi: 'Loại vi phạm', en: 'Violation type' },
  { key: 'report_group', vi: 'Nhóm báo cáo 389', en: '389 report group' },
  { key: 'detected_on', vi: 'Ngày phát hiện', en: 'Detected on', kind: 'date' },
  { key: 'province', vi: 'Tỉnh, thành phố', en: 'Province' },
  { key: 'recorded_province', vi: 'Mã tỉnh như ghi nhận', en: 'Province code as recorded' },
  { key: 'ward_code', vi: 'Mã xã, phường', en: 'Ward code', full: true },
  { key: 'border_gate', vi: 'Cửa khẩu', en: 'Border gate', full: true },
  { key: 'place', vi: 'Địa điểm', en: 'Place', full: true },
  { key: 'route', vi: 'Tuyến', en: 'Route' },
  { key: 'status', vi: 'Trạng thái', en: 'Status' },
  { key: 'sensitivity', vi: 'Mức độ', en: 'Sensitivity' },
  { key: 'source_unit', vi: 'Đơn vị ghi nhận', en: 'Recording unit' },
  { key: 'lead_unit', vi: 'Đơn vị chủ trì', en: 'Lead unit' },
  { key: 'goods_categories', vi: 'Nhóm hàng', en: 'Goods categories' },
  { key: 'goods_value_vnd', vi: 'Trị giá hàng (VNĐ)', en: 'Goods value (VND)', kind: 'number' },
  { key: 'goods', vi: 'Hàng hóa', en: 'Goods', full: true },
  { key: 'subjects', vi: 'Đối tượng', en: 'Subjects', full: true },
  { key: 'fine_vnd', vi: 'Tiền phạt (VNĐ)', en: 'Fine (VND)', full: true, kind: 'number' },
  { key: 'confiscated_value_vnd', vi: 'Trị giá tịch thu (VNĐ)', en: 'Confiscated value (VND)', full: true, kind: 'number' },
  { key: 'collected_vnd', vi: 'Thu nộp ngân sách (VNĐ)', en: 'Collected to the budget (VND)', full: true, kind: 'number' },
  { key: 'access', vi: 'Mức xem', en: 'Access' },
];

/**
 * What the search screen shows instead of codes, in the language the user asked for (the web app sends
 * its own): an officer opens the file in Excel, not a program. Codes the screen shows stay (case code,
 * the province code as recorded). The web's i18n holds the same labels for the screens.
 */
const STATUS_NAMES: Record<CaseStatus, readonly [string, string]> = {
  detected: ['Mới phát hiện', 'Detected'], verifying: ['Đang xác minh', 'Verifying'], handling: ['Đang xử lý', 'Handling'],
  penalized: ['Đã xử phạt hành chính', 'Administrative penalty'], transferred: ['Đã chuyển cơ quan điều tra', 'Transferred for prosecution'],
  prosecuted: ['Đã khởi tố', 'Prosecuted'], closed: ['Đã kết thúc', 'Closed'], dropped: ['Dừng xử lý', 'Dropped'],
};
const SENSITIVITY_NAMES: Record<(typeof SENSITIVITY_LEVELS)[number], readonly [string, string]> = { internal: ['Nội bộ', 'Internal'], restricted: ['Hạn chế', 'Restricted'], secret: ['Mật', 'Secret'] };
const ACCESS_NAMES: Record<CaseSummary['access'], readonly [string, string]> = { full: ['Đầy đủ', 'Full'], summary: ['Tóm tắt', 'Summary only'] };
type Names = Readonly<Record<string, readonly [string, string]>>;
const ROLE_NAMES: Names = Object.fromEntries(SUBJECT_ROLE_NAMES.map(([code, vi]) => [code, [vi[0]!.toUpperCase() + vi.slice(1), code === 'owner' ? 'Owner of the goods' : code[0]!.toUpperCase() + code.slice(1).replace(/_/g, ' ')]]));
const byCode = (list: readonly { code: string; nameVi: string; nameEn: string }[]): Names => Object.fromEntries(list.map((x) => [x.code, [x.nameVi, x.nameEn]]));
const VIOLATION_NAMES = byCode(VIOLATION_TYPES);
const REPORT_GROUP_NAMES = byCode(REPORT_GROUPS);
const ROUTE_NAMES = byCode(TRANSPORT_ROUTES);
const CATEGORY_NAMES = byCode(GOODS_CATEGORIES);

/** Without a locale (an API client's request): the codes, as before session 8, so scripts keep working. */
function labelsFor(locale: Locale | undefined) {
  const i = locale === 'en' ? 1 : 0;
  const pick = (names: Names) => (code: string | null): string | null => (code === null || !locale ? code : names[code]?.[i] ?? code);
  return {
    status: pick(STATUS_NAMES), sensitivity: pick(SENSITIVITY_NAMES), access: pick(ACCESS_NAMES), role: pick(ROLE_NAMES),
    violation: pick(VIOLATION_NAMES), reportGroup: pick(REPORT_GROUP_NAMES), route: pick(ROUTE_NAMES), category: pick(CATEGORY_NAMES),
    province: (c: string) => (locale ? findProvince(c)?.name ?? c : c),
    unit: (u: CaseSummary['sourceUnit']) => (!locale ? u.code : i ? u.nameEn : u.nameVi),
    hs: (code: string) => (locale ? formatHsCode(code) : code),
    quantity: (q: number) => (locale ? formatNumber(q, locale, 3) : String(q)),
  };
}

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
  async function* pages(p: Principal, q: Omit<CaseExportQuery, 'format' | 'locale'>, locale: Locale | undefined): AsyncGenerator<Record<string, Value>[]> {
    const l = labelsFor(locale);
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
          code: s.code, title: s.title, violation_type: l.violation(s.violationType), report_group: l.reportGroup(s.reportGroup), detected_on: s.detectedOn,
          province: l.province(s.provinceCode), recorded_province: s.recordedProvinceCode, route: l.route(s.route), status: l.status(s.status),
          sensitivity: l.sensitivity(s.sensitivity), source_unit: l.unit(s.sourceUnit), lead_unit: l.unit(s.leadUnit),
          goods_categories: s.goodsCategories.map(l.category).join(', '), goods_value_vnd: s.goodsValueVnd, access: l.access(s.access),
        };
        if (full) {
          Object.assign(out, {
            source_ref: r.source_ref, summary: r.summary, ward_code: r.ward_code, border_gate: r.border_gate, place: r.place,
            goods: (goodsOf.get(r.id) ?? []).map((g) => [g.description, g.quantity !== null ? `${l.quantity(Number(g.quantity))} ${g.unit ?? ''}`.trim() : null, g.hs_code ? `HS ${l.hs(g.hs_code)}` : null].filter(Boolean).join(' · ')).join('; '),
            subjects: (subjectsOf.get(r.id) ?? []).map((x) => [x.name, l.role(x.role), x.id_number, x.tax_code, x.plate, x.phone].filter(Boolean).join(' · ')).join('; '),
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
    const { format, locale, ...filter } = query;
    const out = new PassThrough();
    // The day in Vietnam: from 00:00 to 07:00 there, UTC's date is still yesterday's.
    const stamp = vietnamToday(clock);
    const finish = async (rows: number) =>
      audit.record({ action: 'case.export', actor: actorOf(p), entityType: 'case', detail: { format, filter, rows }, requestId });

    const run = async () => {
      let n = 0;
      if (format === 'csv') {
        const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((res) => out.once('drain', () => res())));
        await write('\uFEFF' + csvLine(EXPORT_COLUMNS.map((c) => (locale ? c[locale] : c.key))) + '\r\n');
        for await (const page of pages(p, filter, locale)) {
          n += page.length;
          await write(page.map((r) => csvLine(EXPORT_COLUMNS.map((c) => r[c.key] as string | number | null))).join('\r\n') + '\r\n');
        }
        await finish(n);
        out.end();
        return;
      }
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
      const ws = wb.addWorksheet(locale === 'en' ? 'Cases' : 'Vụ việc');
      ws.columns = EXPORT_COLUMNS.map((c) => ({ header: c[locale ?? 'vi'], key: c.key, width: c.kind ? 16 : 24, ...(c.kind === 'number' ? { style: { numFmt: '#,##0' } } : c.kind === 'date' ? { style: { numFmt: 'dd/mm/yyyy' } } : {}) }));
      ws.getRow(1).font = { bold: true };
      for await (const page of pages(p, filter, locale)) {
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
