// Reads a declarations file (CSV or XLSX) into the engine's shape: a header and rows of text with the
// line the user sees. No column is known here: the mapping decides which columns matter.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { xlsxCell } from '../cases/import/table.js';
import type { RiskMapping } from '@cordon/engine';
import { invalidField } from '../../errors.js';

export interface RiskTable {
  header: string[];
  headerLine: number;
  rows: { line: number; values: string[] }[];
}

/** `;` (Excel in a Vietnamese locale), `,` or tab: whichever the first lines use most. */
export function sniffDelimiter(head: string): string {
  const lines = head.split(/\r?\n/).slice(0, 10).map((l) => l.replace(/"[^"]*"/g, ''));
  const count = (d: string) => lines.reduce((n, l) => n + l.split(d).length - 1, 0);
  const best = [',', ';', '\t'].map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

const isXlsx = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** An XLSX date cell back to text in the mapping's date format (the engine parses text). */
export function formatDate(d: Date, format: string): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const parts: Record<string, string> = {
    yyyy: String(d.getUTCFullYear()), MM: p2(d.getUTCMonth() + 1), dd: p2(d.getUTCDate()), HH: p2(d.getUTCHours()), mm: p2(d.getUTCMinutes()), ss: p2(d.getUTCSeconds()),
  };
  return format.replace(/yyyy|MM|dd|HH|mm|ss/g, (t) => parts[t]!);
}

/** A cell as text: the case import's reading of exceljs values (xlsxCell), dates in the mapping's format. */
function xlsxText(v: ExcelJS.CellValue, dateFormat: string): string {
  const c = xlsxCell(v);
  return c === null ? '' : c instanceof Date ? formatDate(c, dateFormat) : String(c);
}

const blank = (values: string[]) => values.every((v) => v.trim() === '');

/** The header is the first of the first ten non-blank rows that names the mapping's id column. */
function pickHeader(first: { line: number; values: string[] }[], mapping: RiskMapping): number {
  const k = first.findIndex((r) => r.values.some((v) => v.trim() === mapping.id));
  if (k < 0) throw invalidField('file', 'missing_header', `no header row naming the id column "${mapping.id}" in the first 10 rows`);
  return k;
}

export async function readRiskTable(fileName: string, bytes: Uint8Array, mapping: RiskMapping): Promise<RiskTable> {
  if (bytes.byteLength === 0) throw invalidField('file', 'empty', 'is empty: no header and no rows');
  let all: { line: number; values: string[] }[];
  if (isXlsx(bytes)) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
    } catch (e) {
      throw invalidField('file', 'invalid_format', `is not a readable Excel workbook (${(e as Error).message})`);
    }
    const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
    if (!ws) throw invalidField('file', 'empty', 'is empty: no header and no rows');
    const width = ws.columnCount;
    all = [];
    for (let n = 1; n <= ws.rowCount; n++) {
      const row = ws.getRow(n);
      all.push({ line: n, values: Array.from({ length: width }, (_, i) => xlsxText(row.getCell(i + 1).value, mapping.dateFormat)) });
    }
  } else {
    if (/\.xlsx?$/i.test(fileName)) throw invalidField('file', 'invalid_format', 'is named .xls/.xlsx but is not an Excel (.xlsx) workbook');
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').replace(/^\uFEFF/, '');
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(text, { delimiter: sniffDelimiter(text.slice(0, 64 * 1024)), info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
    } catch (e) {
      throw invalidField('file', 'invalid_format', `is not readable CSV (${(e as Error).message})`);
    }
    // info.lines is the last line of a record; a quoted cell may span lines: report the first.
    const newlines = (r: string[]) => r.reduce((s, v) => s + (v.match(/\n/g)?.length ?? 0), 0);
    all = records.map(({ record, info }) => ({ line: info.lines - newlines(record), values: record }));
  }
  const nonBlank = all.filter((r) => !blank(r.values));
  if (nonBlank.length === 0) throw invalidField('file', 'empty', 'is empty: no header and no rows');
  const h = pickHeader(nonBlank.slice(0, 10), mapping);
  return { header: nonBlank[h]!.values.map((v) => v.trim()), headerLine: nonBlank[h]!.line, rows: nonBlank.slice(h + 1) };
}
