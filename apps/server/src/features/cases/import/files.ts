import ExcelJS from 'exceljs';
import { TEMPLATE_COLUMNS } from './template.js';

/** One CSV line (RFC 4180 quoting). Cells starting with = + - @ are prefixed so spreadsheets do not run them. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells
    .map((c) => {
      if (c === null || c === undefined) return '';
      if (typeof c === 'number') return String(c);
      const s = /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
      return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The downloadable template: Vietnamese headers, one example row; CSV with a BOM so Excel reads UTF-8. */
export async function templateFile(format: 'csv' | 'xlsx'): Promise<{ fileName: string; contentType: string; body: Buffer }> {
  const example = TEMPLATE_COLUMNS.map((c) => c.example);
  if (format === 'csv') {
    const text = '\uFEFF' + [csvLine(TEMPLATE_COLUMNS.map((c) => c.vi)), csvLine(example)].join('\r\n') + '\r\n';
    return { fileName: 'mau-nhap-vu-viec.csv', contentType: CSV_TYPE, body: Buffer.from(text, 'utf8') };
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Vụ việc');
  ws.addRow(TEMPLATE_COLUMNS.map((c) => c.vi)).font = { bold: true };
  ws.addRow(example);
  TEMPLATE_COLUMNS.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(12, c.vi.length + 2);
    // Identifiers keep their leading zeros only as text.
    col.numFmt = '@';
    ws.getCell(1, i + 1).note = `${c.key}${c.required ? ' (bắt buộc / required)' : ''}: ${c.descriptionVi} / ${c.descriptionEn}`;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const help = wb.addWorksheet('Hướng dẫn');
  help.addRow(['Cột', 'Column', 'Bắt buộc', 'Ý nghĩa', 'Meaning']).font = { bold: true };
  for (const c of TEMPLATE_COLUMNS) help.addRow([c.vi, c.key, c.required ? 'x' : '', c.descriptionVi, c.descriptionEn]);
  return { fileName: 'mau-nhap-vu-viec.xlsx', contentType: XLSX_TYPE, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
