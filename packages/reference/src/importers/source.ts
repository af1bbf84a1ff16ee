import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';

/** One bad row (or a missing column, or a malformed file): reported to the administrator, row skipped. */
export interface ImportProblem {
  /** 1-based line in the file (the header is line 1); for JSON files, the 1-based feature number; 0 = the whole file. */
  line: number;
  /** Column (or JSON property) at fault; '' when the problem is the row as a whole. */
  field: string;
  reason: string;
}

/** What a parser returns: the good rows, and every problem with the bad ones. */
export interface ParseResult<T> {
  rows: T[];
  problems: ImportProblem[];
}

/** File content: the whole text, its bytes, or a stream of chunks (e.g. `fs.createReadStream(path)`). */
export type TextSource = string | Uint8Array | AsyncIterable<string | Uint8Array>;

export async function readAllText(source: TextSource): Promise<string> {
  if (typeof source === 'string') return source;
  if (source instanceof Uint8Array) return new TextDecoder().decode(source);
  const chunks: Buffer[] = [];
  for await (const c of source) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads the cells of one CSV row by column name and collects what is wrong with them, so a parser
 * states each rule once and reports every bad field of a row, not just the first.
 */
export class Fields {
  readonly problems: ImportProblem[] = [];
  constructor(
    readonly line: number,
    private readonly cells: Readonly<Record<string, string>>,
  ) {}

  problem(field: string, reason: string): void {
    this.problems.push({ line: this.line, field, reason });
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  /** Trimmed, NFC-normalised text; '' when empty. */
  raw(field: string): string {
    return (this.cells[field] ?? '').trim().normalize('NFC');
  }

  text(field: string): string {
    const v = this.raw(field);
    if (!v) this.problem(field, 'required');
    return v;
  }

  optionalText(field: string): string | null {
    return this.raw(field) || null;
  }

  /** Text that must match a pattern (codes): `what` says what was expected, e.g. "5 digits". */
  code(field: string, pattern: RegExp, what: string): string {
    const v = this.raw(field);
    if (!v) this.problem(field, 'required');
    else if (!pattern.test(v)) this.problem(field, `expected ${what}, got "${v}"`);
    return v;
  }

  integer(field: string, opts: { min?: number; optional?: boolean } = {}): number | null {
    const v = this.raw(field);
    if (!v) {
      if (!opts.optional) this.problem(field, 'required');
      return null;
    }
    const n = Number(v);
    if (!Number.isSafeInteger(n)) this.problem(field, `expected a whole number, got "${v}"`);
    else if (opts.min !== undefined && n < opts.min) this.problem(field, `must be at least ${opts.min}, got ${n}`);
    return Number.isSafeInteger(n) ? n : null;
  }

  /** A decimal number within [min, max]; degrees for coordinates. */
  decimal(field: string, opts: { min: number; max: number; optional?: boolean }): number | null {
    const v = this.raw(field);
    if (!v) {
      if (!opts.optional) this.problem(field, 'required');
      return null;
    }
    const n = Number(v);
    if (!Number.isFinite(n)) {
      this.problem(field, `expected a number, got "${v}"`);
      return null;
    }
    if (n < opts.min || n > opts.max) {
      this.problem(field, `must be between ${opts.min} and ${opts.max}, got ${n}`);
      return null;
    }
    return n;
  }

  /** 0/1 or false/true; empty means false. */
  flag(field: string): boolean {
    const v = this.raw(field).toLowerCase();
    if (v === '1' || v === 'true') return true;
    if (v !== '' && v !== '0' && v !== 'false') this.problem(field, `expected 0 or 1, got "${v}"`);
    return false;
  }

  oneOf<T extends string>(field: string, map: Readonly<Record<string, T>>): T {
    const v = this.raw(field);
    const hit = map[v] ?? map[v.toLowerCase()];
    if (hit === undefined) this.problem(field, v ? `unknown value "${v}" (expected one of: ${Object.keys(map).join(', ')})` : 'required');
    return hit as T;
  }
}

export interface CsvSpec<T> {
  /** Columns the file must have; any missing one fails the whole file. */
  columns: readonly string[];
  /** Builds one row from its fields, or reports through `f.problem` and returns anything (discarded). */
  row(f: Fields): T | undefined;
  /** Key that must be unique in the file; a repeated key is reported and the later row skipped. */
  key?(row: T): string;
  /** Field named in a duplicate-key problem. */
  keyField?: string;
  delimiter?: string;
}

/**
 * Parses a CSV file (header row first) with csv-parse, keeping good rows and reporting bad ones by line.
 * Malformed CSV (an unclosed quote) is reported for the record it breaks and parsing goes on.
 */
export async function parseCsv<T>(source: TextSource, spec: CsvSpec<T>): Promise<ParseResult<T>> {
  const problems: ImportProblem[] = [];
  const rows: T[] = [];
  const seen = new Map<string, number>();
  const parser = parse({
    bom: true,
    delimiter: spec.delimiter ?? ',',
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      const line = Number((err as (CsvError & { lines?: number }) | undefined)?.lines ?? 0);
      problems.push({ line, field: '', reason: `unreadable CSV: ${err?.message ?? 'malformed record'}` });
      return undefined;
    },
  });
  const input = typeof source === 'string' || source instanceof Uint8Array ? Readable.from([source]) : Readable.from(source);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  let header: string[] | undefined;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const { record, info } = item;
    if (!header) {
      header = record.map((h) => h.trim());
      const missing = spec.columns.filter((c) => !header!.includes(c));
      if (missing.length) {
        for (const c of missing) problems.push({ line: info.lines, field: c, reason: 'missing column' });
        parser.destroy();
        input.destroy();
        return { rows: [], problems };
      }
      continue;
    }
    if (record.length !== header.length) {
      problems.push({ line: info.lines, field: '', reason: `expected ${header.length} fields, got ${record.length}` });
      continue;
    }
    const cells: Record<string, string> = {};
    header.forEach((h, i) => (cells[h] = record[i] ?? ''));
    const f = new Fields(info.lines, cells);
    const row = spec.row(f);
    if (!f.ok || row === undefined) {
      problems.push(...f.problems);
      continue;
    }
    if (spec.key) {
      const k = spec.key(row);
      const first = seen.get(k);
      if (first !== undefined) {
        problems.push({ line: info.lines, field: spec.keyField ?? '', reason: `duplicate "${k}" (first on line ${first})` });
        continue;
      }
      seen.set(k, info.lines);
    }
    rows.push(row);
  }
  if (!header) problems.push({ line: 0, field: '', reason: 'empty file' });
  // Parse errors arrive ahead of the rows being read: report in file order (sort is stable).
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems };
}
