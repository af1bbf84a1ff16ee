import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { ReportFigureKey, SituationReport } from '@cordon/contracts';
import { PROVINCE_POINTS } from '@cordon/reference/province-points';
import { FIGURE_KEYS } from './reports.queries.js';
import { TIP_EXPORT_TEXT, tipExportRows } from './reports.tips.js';

type Locale = 'vi' | 'en';

export const FIGURE_LABELS: Record<ReportFigureKey, { vi: string; en: string; money?: true }> = {
  cases: { vi: 'Số vụ phát hiện, xử lý', en: 'Cases detected and handled' },
  smuggling: { vi: '— Buôn lậu, vận chuyển trái phép, hàng cấm', en: '— Smuggling, illegal transport, prohibited goods' },
  tradeFraud: { vi: '— Gian lận thương mại, gian lận thuế', en: '— Trade and tax fraud' },
  counterfeit: { vi: '— Hàng giả, xâm phạm sở hữu trí tuệ', en: '— Counterfeit goods, IP infringement' },
  penalties: { vi: 'Số vụ xử phạt vi phạm hành chính', en: 'Administrative penalties (cases)' },
  finesVnd: { vi: 'Tiền phạt', en: 'Fines', money: true },
  confiscatedVnd: { vi: 'Trị giá hàng tịch thu', en: 'Confiscated goods value', money: true },
  collectedVnd: { vi: 'Thu nộp ngân sách', en: 'Collected to the budget', money: true },
  transferred: { vi: 'Số vụ chuyển cơ quan điều tra', en: 'Cases transferred for prosecution' },
  prosecutedCases: { vi: 'Số vụ khởi tố', en: 'Cases prosecuted' },
  defendants: { vi: 'Số bị can', en: 'Defendants' },
};

const T = {
  title: { vi: 'BÁO CÁO TÌNH HÌNH BUÔN LẬU, GIAN LẬN THƯƠNG MẠI VÀ HÀNG GIẢ', en: 'SITUATION REPORT: SMUGGLING, TRADE FRAUD AND COUNTERFEIT GOODS' },
  scope: { vi: 'Phạm vi', en: 'Scope' },
  period: { vi: 'Kỳ báo cáo', en: 'Period' },
  compared: { vi: 'Kỳ so sánh', en: 'Compared with' },
  figure: { vi: 'Chỉ tiêu', en: 'Figure' },
  value: { vi: 'Kỳ này', en: 'This period' },
  compareValue: { vi: 'Kỳ so sánh', en: 'Comparison' },
  ratio: { vi: 'So sánh (%)', en: '% of comparison' },
  change: { vi: 'Tăng/giảm', en: 'Change' },
  summary: { vi: 'Tổng hợp', en: 'Summary' },
  trend: { vi: 'Xu hướng theo tháng', en: 'Monthly trend' },
  month: { vi: 'Tháng', en: 'Month' },
  hotSpots: { vi: 'Điểm nóng', en: 'Hot spots' },
  countedBy: { vi: 'Số vụ tính theo ngày phát hiện; xử phạt và tiền phạt theo ngày ra quyết định; khởi tố theo ngày khởi tố.', en: 'Cases count by detection date; penalties and fines by decision date; prosecutions by prosecution date.' },
  generated: { vi: 'Lập lúc', en: 'Generated' },
  vnd: { vi: 'đồng', en: 'VND' },
  millionVnd: { vi: 'triệu đồng', en: 'VND million' },
  map: { vi: 'Bản đồ số vụ theo tỉnh, thành phố', en: 'Cases by province' },
  mapNote: { vi: 'Diện tích vòng tròn tỷ lệ với số vụ', en: 'Circle area is proportional to the number of cases' },
  hoangSa: { vi: 'QĐ Hoàng Sa', en: 'Hoàng Sa (Paracel) Is.' },
  truongSa: { vi: 'QĐ Trường Sa', en: 'Trường Sa (Spratly) Is.' },
  directives: { vi: 'Chỉ đạo, đôn đốc', en: 'Directives and follow-up' },
  dirUnit: { vi: 'Đơn vị được giao', en: 'Assigned unit' },
  dirTotal: { vi: 'Nhiệm vụ đến hạn', en: 'Tasks due' },
  dirOnTime: { vi: 'Đúng hạn', en: 'On time' },
  dirLate: { vi: 'Trễ hạn', en: 'Late' },
  dirOutstanding: { vi: 'Chưa hoàn thành', en: 'Outstanding' },
  dirOverdue: { vi: 'Trong đó quá hạn', en: 'Of which overdue' },
  dirAll: { vi: 'Tổng cộng', en: 'Total' },
  dirCommendations: { vi: 'Số quyết định khen thưởng trong kỳ', en: 'Commendations decided in the period' },
  dirNote: { vi: 'Nhiệm vụ có hạn trong kỳ báo cáo, giao cho các đơn vị trong phạm vi; không tính nhiệm vụ đã hủy.', en: 'Tasks due in the period, assigned to units in scope; cancelled tasks are not counted.' },
  // The web's reports.smallCell.note, for the reader of the file (who was not told what "<3" means).
  smallCell: {
    vi: 'Số tiền hoặc số bị can gồm dưới {k} vụ việc mật, hạn chế mà người lập báo cáo không có quyền xem thì không công bố số cụ thể (ghi "<{k}": dưới {k} vụ, không phải giá trị nhỏ hơn {k}), vì có thể suy ra số liệu của từng vụ; khi cần, một số dòng khác cũng được ẩn để không tính ngược ra được bằng phép trừ. Số vụ luôn được công bố.',
    en: 'An amount or number of defendants that includes fewer than {k} restricted or secret cases the person who made this report may not open is not shown exactly (written "<{k}": fewer than {k} cases, not a value below {k}), since it could give those cases away; where needed another row is withheld too, so that subtraction cannot recover it. Numbers of cases are always shown.',
  },
  hotDimension: { vi: 'Phân tích theo', en: 'Dimension' },
  hotKey: { vi: 'Mã', en: 'Code' },
  hotLabel: { vi: 'Tên', en: 'Name' },
  hotObserved: { vi: 'Số vụ trong kỳ', en: 'Cases in the period' },
  hotExpected: { vi: 'Số vụ dự kiến (trung bình cùng kỳ hai năm trước)', en: 'Expected (mean of the same period in the two years before)' },
  hotRatio: { vi: 'Gấp (lần)', en: 'Ratio' },
  hotP: { vi: 'Giá trị p', en: 'p-value' },
  hotTest: { vi: 'Kiểm định', en: 'Test' },
} as const;

const HOT_DIMENSIONS: Record<string, { vi: string; en: string }> = {
  province: { vi: 'Tỉnh, thành phố', en: 'Province' },
  category: { vi: 'Nhóm hàng', en: 'Goods category' },
  route: { vi: 'Tuyến, phương thức', en: 'Route' },
};
const HOT_TESTS: Record<string, { vi: string; en: string }> = {
  'poisson-upper-tail': { vi: 'Poisson (một phía, tăng)', en: 'Poisson (upper tail)' },
};

const tr = (k: keyof typeof T, l: Locale) => T[k][l];

/** 'yyyy-MM-dd' as the committees write it: dd/MM/yyyy. */
const dmy = (iso: string) => iso.split('-').reverse().join('/');

/** True when the report prints any "<k" (figures, breakdown rows or trend), so the file must say what it means. */
function printsHidden(r: SituationReport): boolean {
  const hidden = (f: Fig) => (f.suppressed?.length ?? 0) > 0;
  return FIGURE_KEYS.some((k) => hidden(r.figures[k])) || (r.breakdown?.rows.some((row) => FIGURE_KEYS.some((k) => hidden(row.figures[k]))) ?? false) || r.trend.some((m) => (m.suppressed?.length ?? 0) > 0);
}
const smallCellNote = (r: SituationReport, l: Locale) => tr('smallCell', l).replaceAll('{k}', String(r.smallCellThreshold ?? 3));

/** The period as counted, with its dates: "năm 2026 (đến ngày 01/12/2026): 01/01/2026 – 01/12/2026". */
const periodLine = (p: SituationReport['period']) => `${p.name}: ${dmy(p.from)} – ${dmy(p.countedTo ?? p.to)}`;

/** The directives section (tasks due in the period; features/directives) as rows of numbers, for both exports. */
export function directiveExportRows(r: SituationReport, locale: Locale) {
  const d = r.directives;
  if (!d) return null;
  const counts = (c: { total: number; onTime: number; late: number; outstanding: number; overdue: number }) => [c.total, c.onTime, c.late, c.outstanding, c.overdue];
  return {
    title: tr('directives', locale),
    header: [tr('dirUnit', locale), tr('dirTotal', locale), tr('dirOnTime', locale), tr('dirLate', locale), tr('dirOutstanding', locale), tr('dirOverdue', locale)],
    total: [tr('dirAll', locale), ...counts(d.totals)] as [string, ...number[]],
    rows: d.rows.map((x) => [locale === 'vi' ? x.label : x.labelEn, ...counts(x)] as [string, ...number[]]),
    commendations: [tr('dirCommendations', locale), d.commendations] as [string, number],
    note: tr('dirNote', locale),
  };
}

/** A figure withheld by the small-cell rule prints as "<k"; its ratio and change as "—". */
type Fig = SituationReport['figures'][ReportFigureKey];
const hiddenMark = (r: SituationReport) => `<${r.smallCellThreshold ?? 3}`;
const isHidden = (f: Fig, which: 'value' | 'compareValue') => f.suppressed?.includes(which) ?? false;

export const DIMENSION_LABELS: Record<string, { vi: string; en: string }> = {
  force: { vi: 'Theo lực lượng', en: 'By force' },
  unit: { vi: 'Theo đơn vị', en: 'By unit' },
  province: { vi: 'Theo tỉnh, thành phố', en: 'By province' },
  category: { vi: 'Theo nhóm hàng', en: 'By goods category' },
  route: { vi: 'Theo tuyến', en: 'By route' },
  borderGate: { vi: 'Theo cửa khẩu', en: 'By border gate' },
  reportGroup: { vi: 'Theo nhóm hành vi', en: 'By report group' },
};

/** A figure's label with its unit: money in the XLSX is whole VND, in the PDF millions. */
const labelOf = (k: ReportFigureKey, l: Locale, unit: 'vnd' | 'millionVnd') => (FIGURE_LABELS[k].money ? `${FIGURE_LABELS[k][l]} (${tr(unit, l)})` : FIGURE_LABELS[k][l]);

/** One workbook: a summary sheet, the breakdown, the monthly trend; numbers stay numbers. */
export async function situationXlsx(r: SituationReport, locale: Locale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Cordon';
  wb.created = new Date(r.generatedAt);
  const money = '#,##0';
  const pct = '0.00%';

  const s = wb.addWorksheet(tr('summary', locale));
  s.addRow([tr('title', locale)]).font = { bold: true, size: 13 };
  s.addRow([tr('scope', locale), r.scope.name]);
  s.addRow([tr('period', locale), r.period.name, r.period.from, r.period.countedTo ?? r.period.to]);
  s.addRow([tr('compared', locale), r.comparePeriod.name, r.comparePeriod.from, r.comparePeriod.to]);
  s.addRow([]);
  s.addRow([r.narrative]);
  s.addRow([]);
  const head = s.addRow([tr('figure', locale), tr('value', locale), tr('compareValue', locale), tr('ratio', locale), tr('change', locale)]);
  head.font = { bold: true };
  for (const k of FIGURE_KEYS) {
    const f = r.figures[k];
    const row = s.addRow([labelOf(k, locale, 'vnd'), isHidden(f, 'value') ? hiddenMark(r) : f.value, isHidden(f, 'compareValue') ? hiddenMark(r) : f.compareValue, f.ratio ?? '—', f.suppressed ? '—' : f.change]);
    for (const c of [2, 3, 5]) row.getCell(c).numFmt = money;
    row.getCell(4).numFmt = pct;
  }
  s.addRow([]);
  s.addRow([tr('countedBy', locale)]);
  if (printsHidden(r)) s.addRow([`<${r.smallCellThreshold ?? 3}: ${smallCellNote(r, locale)}`]);
  // Tips from the public (reports.tips.ts): counts, then the on-time share as a percentage.
  const tipRows = tipExportRows(r.tips, locale);
  s.addRow([]);
  s.addRow([TIP_EXPORT_TEXT.title[locale], tr('value', locale), tr('compareValue', locale), tr('ratio', locale), tr('change', locale)]).font = { bold: true };
  for (const f of tipRows.figures) {
    const row = s.addRow([f.label, f.value, f.compareValue, f.ratio ?? '—', f.change]);
    for (const c of [2, 3, 5]) row.getCell(c).numFmt = money;
    row.getCell(4).numFmt = pct;
  }
  const shareRow = s.addRow([tipRows.share.label, tipRows.share.value ?? '—', tipRows.share.compareValue ?? '—']);
  for (const c of [2, 3]) shareRow.getCell(c).numFmt = pct;
  s.addRow([TIP_EXPORT_TEXT.note[locale]]);
  // Directives and follow-up: tasks due in the period on time / late / outstanding, and commendations.
  const dir = directiveExportRows(r, locale);
  if (dir) {
    s.addRow([]);
    s.addRow([dir.title]).font = { bold: true };
    s.addRow(dir.header).font = { bold: true };
    s.addRow(dir.total).font = { bold: true };
    for (const x of dir.rows) s.addRow(x);
    s.addRow(dir.commendations);
    s.addRow([dir.note]);
  }
  s.columns.forEach((c, i) => (c.width = i === 0 ? 48 : 18));

  if (r.breakdown) {
    const b = wb.addWorksheet(DIMENSION_LABELS[r.breakdown.by]![locale]);
    const header = b.addRow([DIMENSION_LABELS[r.breakdown.by]![locale], ...FIGURE_KEYS.flatMap((k) => [labelOf(k, locale, 'vnd'), `${labelOf(k, locale, 'vnd')} — ${tr('compareValue', locale)}`])]);
    header.font = { bold: true };
    for (const row of r.breakdown.rows) {
      const x = b.addRow([row.label, ...FIGURE_KEYS.flatMap((k) => (['value', 'compareValue'] as const).map((w) => (isHidden(row.figures[k], w) ? hiddenMark(r) : row.figures[k][w])))]);
      for (let c = 2; c <= 1 + FIGURE_KEYS.length * 2; c++) x.getCell(c).numFmt = money;
    }
    if (r.breakdown.note) b.addRow([r.breakdown.note]);
    b.getColumn(1).width = 36;
  }

  const t = wb.addWorksheet(tr('trend', locale));
  t.addRow([tr('month', locale), tr('value', locale), tr('compareValue', locale)]).font = { bold: true };
  for (const m of r.trend) t.addRow([m.month, m.suppressed?.includes('cases') ? hiddenMark(r) : m.cases, m.suppressed?.includes('compareCases') ? hiddenMark(r) : m.compareCases]);

  if (r.hotSpots.length) {
    const h = wb.addWorksheet(tr('hotSpots', locale));
    h.addRow([tr('hotDimension', locale), tr('hotKey', locale), tr('hotLabel', locale), tr('hotObserved', locale), tr('hotExpected', locale), tr('hotRatio', locale), tr('hotP', locale), tr('hotTest', locale)]).font = { bold: true };
    for (const x of r.hotSpots) h.addRow([HOT_DIMENSIONS[x.dimension]?.[locale] ?? x.dimension, x.key, x.label, x.observed, x.expected, x.ratio, x.pValue, HOT_TESTS[x.test]?.[locale] ?? x.test]);
    h.getColumn(3).width = 28;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** When the report was made, in Vietnam, written "dd/MM/yyyy HH:mm" (toLocaleString put the time first, unpadded). */
function generatedText(iso: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

// DejaVu Sans covers Vietnamese; the PDF embeds it so diacritics render anywhere.
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

function fmt(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(n);
}
function fmtRatio(r: number | null, locale: Locale): string {
  return r === null ? '—' : new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(r);
}

/** An A4 report in the style of an official situation report: narrative, figures, trend, breakdown. */
export function situationPdf(r: SituationReport, locale: Locale): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: tr('title', locale), Creator: 'Cordon' } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 100;

  doc.font('bold').fontSize(13).text(tr('title', locale), { align: 'center' });
  doc.moveDown(0.5).font('body').fontSize(10);
  doc.text(`${tr('scope', locale)}: ${r.scope.name}`);
  doc.text(`${tr('period', locale)}: ${periodLine(r.period)}`);
  doc.text(`${tr('compared', locale)}: ${periodLine(r.comparePeriod)}`);
  doc.moveDown(0.8).fontSize(11).text(r.narrative, { align: 'justify' });
  doc.moveDown(0.8);

  // Figures table
  const cols = [width * 0.46, width * 0.15, width * 0.15, width * 0.12, width * 0.12];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = 50;
    doc.font(bold ? 'bold' : 'body').fontSize(9);
    let h = 0;
    cells.forEach((c, i) => {
      doc.text(c, x + 2, y, { width: cols[i]! - 4, align: i === 0 ? 'left' : 'right' });
      h = Math.max(h, doc.y - y);
      x += cols[i]!;
    });
    doc.moveTo(50, y + h + 2).lineTo(50 + width, y + h + 2).strokeColor('#cccccc').lineWidth(0.5).stroke();
    doc.x = 50;
    doc.y = y + h + 4;
  };
  row([tr('figure', locale), tr('value', locale), tr('compareValue', locale), tr('ratio', locale), tr('change', locale)], true);
  for (const k of FIGURE_KEYS) {
    const f = r.figures[k];
    const m = (n: number) => (FIGURE_LABELS[k].money ? fmt(Math.round(n / 1e6), locale) : fmt(n, locale));
    row([labelOf(k, locale, 'millionVnd'), isHidden(f, 'value') ? hiddenMark(r) : m(f.value), isHidden(f, 'compareValue') ? hiddenMark(r) : m(f.compareValue), fmtRatio(f.ratio, locale), f.suppressed ? '—' : (f.change > 0 ? '+' : '') + m(f.change)]);
  }
  doc.moveDown(0.3).font('body').fontSize(8).fillColor('#555555').text(tr('countedBy', locale), 50).fillColor('black');
  if (printsHidden(r)) doc.moveDown(0.2).font('body').fontSize(8).fillColor('#555555').text(`<${r.smallCellThreshold ?? 3}: ${smallCellNote(r, locale)}`, 50).fillColor('black');

  // Tips from the public (reports.tips.ts)
  const tipRows = tipExportRows(r.tips, locale);
  if (doc.y > doc.page.height - 220) doc.addPage();
  doc.moveDown(0.8).font('bold').fontSize(11).text(TIP_EXPORT_TEXT.title[locale], 50);
  doc.moveDown(0.2);
  row([TIP_EXPORT_TEXT.title[locale], tr('value', locale), tr('compareValue', locale), tr('ratio', locale), tr('change', locale)], true);
  for (const f of tipRows.figures) row([f.label, fmt(f.value, locale), fmt(f.compareValue, locale), fmtRatio(f.ratio, locale), (f.change > 0 ? '+' : '') + fmt(f.change, locale)]);
  row([tipRows.share.label, fmtRatio(tipRows.share.value, locale), fmtRatio(tipRows.share.compareValue, locale), '', '']);
  doc.moveDown(0.3).font('body').fontSize(8).fillColor('#555555').text(TIP_EXPORT_TEXT.note[locale], 50).fillColor('black');

  // Directives and follow-up (features/directives)
  const dir = directiveExportRows(r, locale);
  if (dir) {
    const dirCols = [width * 0.4, width * 0.12, width * 0.12, width * 0.12, width * 0.12, width * 0.12];
    const saved = cols.splice(0, cols.length, ...dirCols);
    if (doc.y > doc.page.height - 200) doc.addPage();
    doc.moveDown(0.8).font('bold').fontSize(11).text(dir.title, 50);
    doc.moveDown(0.2);
    row(dir.header, true);
    row(dir.total.map((c) => (typeof c === 'number' ? fmt(c, locale) : c)), true);
    for (const x of dir.rows) {
      if (doc.y > doc.page.height - 70) doc.addPage();
      row(x.map((c) => (typeof c === 'number' ? fmt(c, locale) : c)));
    }
    cols.splice(0, cols.length, ...saved);
    doc.moveDown(0.3).font('body').fontSize(10).text(`${dir.commendations[0]}: ${fmt(dir.commendations[1], locale)}`, 50);
    doc.moveDown(0.2).font('body').fontSize(8).fillColor('#555555').text(dir.note, 50).fillColor('black');
  }

  // Trend chart: this period's bars, last year's line
  if (r.trend.length) {
    doc.moveDown(1).font('bold').fontSize(11).text(tr('trend', locale), 50);
    // Legend: which is this period and which the comparison (the chart has no other words).
    const ly = doc.y + 3;
    doc.rect(50, ly + 1, 10, 7).fill('#1f4e79');
    doc.font('body').fontSize(8).fillColor('black').text(r.period.name, 64, ly, { lineBreak: false });
    const lx = 64 + doc.widthOfString(r.period.name) + 16;
    doc.moveTo(lx, ly + 4.5).lineTo(lx + 12, ly + 4.5).strokeColor('#c00000').lineWidth(1.2).stroke();
    doc.fillColor('black').text(r.comparePeriod.name, lx + 16, ly, { lineBreak: false });
    doc.x = 50;
    doc.y = ly + 12;
    const oneYear = r.trend[0]!.month.slice(0, 4) === r.trend[r.trend.length - 1]!.month.slice(0, 4);
    const monthLabel = (m: string) => (oneYear ? (locale === 'vi' ? `T${Number(m.slice(5))}` : new Date(`${m}-01T00:00:00Z`).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })) : `${m.slice(5)}/${m.slice(2, 4)}`);
    const top = doc.y + 6;
    const h = 110;
    const max = Math.max(1, ...r.trend.flatMap((m) => [m.cases, m.compareCases]));
    const step = width / r.trend.length;
    r.trend.forEach((m, i) => {
      const bh = (m.cases / max) * h;
      doc.rect(50 + i * step + step * 0.2, top + h - bh, step * 0.6, bh).fill('#1f4e79');
      doc.font('body').fontSize(7).fillColor('black').text(monthLabel(m.month), 50 + i * step, top + h + 3, { width: step, align: 'center' });
    });
    doc.moveTo(50 + step / 2, top + h - (r.trend[0]!.compareCases / max) * h);
    r.trend.forEach((m, i) => doc.lineTo(50 + i * step + step / 2, top + h - (m.compareCases / max) * h));
    doc.strokeColor('#c00000').lineWidth(1.2).stroke();
    doc.y = top + h + 18;
    doc.x = 50;
  }

  if (r.breakdown?.by === 'province') provinceMap(doc, r, locale);

  if (r.breakdown) {
    if (doc.y > doc.page.height - 200) doc.addPage();
    doc.moveDown(0.8).font('bold').fontSize(11).text(DIMENSION_LABELS[r.breakdown.by]![locale], 50);
    doc.moveDown(0.2);
    row(['', FIGURE_LABELS.cases[locale], tr('compareValue', locale), tr('ratio', locale), labelOf('finesVnd', locale, 'millionVnd')], true);
    for (const b of r.breakdown.rows) {
      if (doc.y > doc.page.height - 70) doc.addPage();
      const c = b.figures.cases;
      row([b.label, isHidden(c, 'value') ? hiddenMark(r) : fmt(c.value, locale), isHidden(c, 'compareValue') ? hiddenMark(r) : fmt(c.compareValue, locale), fmtRatio(c.ratio, locale), isHidden(b.figures.finesVnd, 'value') ? hiddenMark(r) : fmt(Math.round(b.figures.finesVnd.value / 1e6), locale)]);
    }
  }
  doc.moveDown(1).font('body').fontSize(8).fillColor('#555555').text(`${tr('generated', locale)}: ${generatedText(r.generatedAt)} — Cordon`, 50);
  doc.end();
  return done;
}

/**
 * Proportional circles at the provinces' label points (the web map's fallback when no outlines are
 * imported), on a page of its own: the same equirectangular frame, mainland and both archipelagos.
 * A province withheld by the small-cell rule gets an empty ring.
 */
function provinceMap(doc: PDFKit.PDFDocument, r: SituationReport, locale: Locale) {
  const rows = new Map((r.breakdown?.rows ?? []).map((x) => [x.key, x]));
  const [lon0, lon1, lat0, lat1] = [102.0, 117.2, 6.8, 23.6];
  const kx = Math.cos((((lat0 + lat1) / 2) * Math.PI) / 180);
  doc.addPage();
  doc.font('bold').fontSize(11).fillColor('black').text(tr('map', locale), 50, 50);
  const top = doc.y + 8;
  const height = doc.page.height - top - 80;
  const scale = Math.min(height / (lat1 - lat0), (doc.page.width - 100) / ((lon1 - lon0) * kx));
  const x = (lon: number) => 50 + (lon - lon0) * kx * scale;
  const y = (lat: number) => top + (lat1 - lat) * scale;
  doc.rect(x(lon0), y(lat1), (lon1 - lon0) * kx * scale, (lat1 - lat0) * scale).lineWidth(0.5).strokeColor('#cccccc').stroke();
  const value = (code: string) => rows.get(code)?.figures.cases.value ?? 0;
  const max = Math.max(1, ...PROVINCE_POINTS.map((p) => value(p.code)));
  const maxR = 22;
  const points = [...PROVINCE_POINTS].sort((a, b) => value(b.code) - value(a.code));
  for (const p of points) {
    const hidden = rows.get(p.code)?.figures.cases.suppressed?.includes('value') ?? false;
    const v = value(p.code);
    const radius = v > 0 ? Math.max(2.5, Math.sqrt(v / max) * maxR) : 1.5;
    if (hidden) doc.circle(x(p.lon), y(p.lat), 3).lineWidth(0.8).strokeColor('#1f4e79').stroke();
    else doc.circle(x(p.lon), y(p.lat), radius).fillOpacity(v > 0 ? 0.55 : 0.25).fillAndStroke(v > 0 ? '#1f4e79' : '#999999', '#ffffff');
  }
  doc.fillOpacity(1);
  // Names of the eight largest, beside their circles.
  doc.font('body').fontSize(7).fillColor('black');
  for (const p of points.slice(0, 8).filter((q) => value(q.code) > 0)) {
    const v = value(p.code);
    doc.text(`${rows.get(p.code)?.label ?? p.name} ${fmt(v, locale)}`, x(p.lon) + Math.max(2.5, Math.sqrt(v / max) * maxR) + 3, y(p.lat) - 4, { lineBreak: false });
  }
  doc.fillColor('#555555');
  doc.text(tr('hoangSa', locale), x(111.4), y(16.6), { lineBreak: false });
  doc.text(tr('truongSa', locale), x(113.6), y(10.1), { lineBreak: false });
  doc.fontSize(8).text(`${tr('mapNote', locale)} (max ${fmt(max, locale)}).`, 50, y(lat0) + 8);
  doc.fillColor('black');
  doc.x = 50;
  doc.addPage();
}
