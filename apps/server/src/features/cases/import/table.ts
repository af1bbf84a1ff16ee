import ExcelJS from 'exceljs';
import { AppError, invalidField } from '../../../errors.js';
import { readCsvRecords } from './csv-reader.js';
import { matchHeader, type ColumnKey } from './template.js';

/** One cell as read: text from CSV; text, number or date from XLSX; null when empty. */
export type Cell = string | number | Date | null;

export interface TableRow {
  /** The line (CSV) or row number (XLSX) the user sees in their editor, 1-based. */
  line: number;
  cells: Map<ColumnKey, Cell>;
}

export interface Table {
  format: 'csv' | 'xlsx';
  headerLine: number;
  /** Template columns the header names. */
  columns: ColumnKey[];
  /** Header cells that name no template column (ignored). */
  ignoredColumns: string[];
  /** Rows expected after the header (an estimate for CSV: lines, not records), for progress. */
  estimatedRows: number;
  rows: AsyncIterable<TableRow>;
}

/** The header is looked for in the first rows, under title rows (often merged cells) if any. */
const HEADER_SEARCH_ROWS = 10;
const MIN_HEADER_MATCHES = 3;

export function formatOf(fileName: string, bytes: Uint8Array): 'csv' | 'xlsx' {
  // XLSX is a ZIP: "PK\x03\x04". The name decides only when the content does not.
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (/\.xlsx$/i.test(fileName)) throw invalidField('file', 'invalid_format', 'is named .xlsx but is not an Excel workbook');
  if (/\.xls$/i.test(fileName)) throw invalidField('file', 'invalid_format', 'old .xls workbooks are not read: save it as .xlsx or CSV');
  return 'csv';
}

const cellText = (c: Cell) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c));
const isBlank = (cells: readonly Cell[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

/** Picks the header among the first rows: the row naming the most template columns. */
function findHeader(candidates: { line: number; cells: Cell[] }[]): { line: number; keys: (ColumnKey | null)[]; ignored: string[] } {
  let best: { line: number; cells: Cell[]; matches: number } | undefined;
  for (const c of candidates) {
    const matches = new Set(c.cells.map((x) => matchHeader(cellText(x))).filter(Boolean)).size;
    if (matches >= MIN_HEADER_MATCHES && (!best || matches > best.matches)) best = { ...c, matches };
  }
  if (!best) {
    throw new AppError('INVALID_INPUT', 'file: no header row found in the first 10 rows (expected the template headers, e.g. "Số hiệu đơn vị", "Tiêu đề", "Ngày phát hiện")', [
      { field: 'file', reason: 'missing_header', message: 'no header row with the template columns in the first 10 rows' },
    ]);
  }
  const seen = new Set<ColumnKey>();
  const ignored: string[] = [];
  // A header cell merged across columns reads the same in each: the first column holds the data.
  const keys = best.cells.map((x) => {
    const k = matchHeader(cellText(x));
    if (!k) {
      if (cellText(x).trim()) ignored.push(cellText(x).trim());
      return null;
    }
    if (seen.has(k)) return null;
    seen.add(k);
    return k;
  });
  return { line: best.line, keys, ignored: [...new Set(ignored)] };
}

function toRow(line: number, keys: (ColumnKey | null)[], cells: Cell[]): TableRow {
  const m = new Map<ColumnKey, Cell>();
  keys.forEach((k, i) => {
    if (k) m.set(k, cells[i] ?? null);
  });
  return { line, cells: m };
}

/** `;` (what Excel writes in a Vietnamese locale) or `,` or tab: whichever the first lines use most. */
export function sniffDelimiter(head: string): string {
  const lines = head.split(/\r?\n/).slice(0, 10).map((l) => l.replace(/"[^"]*"/g, ''));
  const count = (d: string) => lines.reduce((n, l) => n + l.split(d).length - 1, 0);
  const scores = [';', ',', '\t'].map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1]);
  return scores[0]![1] > 0 ? scores[0]![0] : ',';
}

function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  let i = -1;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while ((i = buf.indexOf(10, i + 1)) !== -1) n++;
  return n;
}

async function readCsv(bytes: Uint8Array): Promise<Table> {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64 * 1024)).toString('utf8');
  const records = readCsvRecords(bytes, sniffDelimiter(head.replace(/^\uFEFF/, '')));
  const first: { line: number; cells: Cell[] }[] = [];
  let ended = false;
  while (first.length < HEADER_SEARCH_ROWS) {
    const n = records.next();
    if (n.done) {
      ended = true;
      break;
    }
    if (!isBlank(n.value.cells)) first.push({ line: n.value.line, cells: n.value.cells });
  }
  if (first.length === 0) throw invalidField('file', 'empty', 'is empty: no header and no rows');
  const header = findHeader(first);
  const buffered = first.filter((r) => r.line > header.line);
  const totalLines = countNewlines(bytes) + 1;
  return {
    format: 'csv',
    headerLine: header.line,
    columns: header.keys.filter((k): k is ColumnKey => k !== null),
    ignoredColumns: header.ignored,
    estimatedRows: Math.max(0, totalLines - header.line),
    rows: (async function* () {
      for (const r of buffered) yield toRow(r.line, header.keys, r.cells);
      if (ended) return;
      for (const r of records) if (!isBlank(r.cells)) yield toRow(r.line, header.keys, r.cells);
    })(),
  };
}

/** exceljs cell values → plain values: rich text joined, formulas by their result, links by their text. */
export function xlsxCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return xlsxCell(v.result as ExcelJS.CellValue);
    if ('text' in v) return typeof v.text === 'string' ? v.text : xlsxCell(v.text as ExcelJS.CellValue);
    if ('error' in v) return null;
  }
  return String(v);
}

async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (e) {
    throw invalidField('file', 'invalid_format', `is not a readable Excel workbook (${(e as Error).message})`);
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) throw invalidField('file', 'empty', 'is empty: no header and no rows');
  const width = ws.columnCount;
  // Merged cells read as their master cell's value (exceljs resolves a merged cell's value to the master's).
  const rowCells = (r: ExcelJS.Row): Cell[] => Array.from({ length: width }, (_, i) => xlsxCell(r.getCell(i + 1).value));
  const first: { line: number; cells: Cell[] }[] = [];
  for (let n = 1; n <= Math.min(ws.rowCount, HEADER_SEARCH_ROWS); n++) {
    const cells = rowCells(ws.getRow(n));
    if (!isBlank(cells)) first.push({ line: n, cells });
  }
  const header = findHeader(first);
  const last = ws.rowCount;
  return {
    format: 'xlsx',
    headerLine: header.line,
    columns: header.keys.filter((k): k is ColumnKey => k !== null),
    ignoredColumns: header.ignored,
    estimatedRows: Math.max(0, ws.actualRowCount - first.filter((r) => r.line <= header.line).length),
    rows: (async function* () {
      for (let n = header.line + 1; n <= last; n++) {
        const cells = rowCells(ws.getRow(n));
        if (!isBlank(cells)) yield toRow(n, header.keys, cells);
      }
    })(),
  };
}

/** Opens an import file: finds its header and yields its non-empty rows with their line numbers. */
export async function readTable(fileName: string, bytes: Uint8Array): Promise<Table> {
  if (bytes.byteLength === 0 || /^[\s\uFEFF]*$/.test(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('utf8')) && bytes.byteLength <= 4096) {
    throw invalidField('file', 'empty', 'is empty: no header and no rows');
  }
  return formatOf(fileName, bytes) === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
}
