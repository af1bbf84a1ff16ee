// The column mapping: which column of a declarations file is the id, the date, the label, ... No
// column name is hard-coded anywhere else: a different customs dataset needs only a new mapping.
// Pure: the CLI reads and splits the file; this module checks the mapping and turns rows of strings
// into declarations, refusing (with line numbers) anything it cannot read rather than skipping it.

export interface RiskMapping {
  /** Declaration id column (required). */
  id: string;
  /** Date column; null = no date (file order stands in for time order). */
  date: string | null;
  /** Outcome column: 0 = nothing found, any other number = found (needed to train and evaluate). */
  label: string | null;
  /** Revenue recovered by the inspection (VND or the file's currency); empty cell = 0. */
  revenue: string | null;
  /** Office column: allocation can run per office and day. Also a feature only if listed in `categorical`. */
  office: string | null;
  categorical: string[];
  numeric: string[];
  /** Tokens yyyy, MM, dd, HH, mm, ss; anything else is a literal. Default yyyy-MM-dd. */
  dateFormat: string;
}

export interface Declaration {
  /** Line of the file the record starts on (header = line 1). */
  line: number;
  id: string;
  /** Milliseconds since 1970 (UTC) of the date, or the row's position when there is no date column. */
  time: number;
  /** yyyy-MM-dd, or '' without a date column. */
  day: string;
  office: string;
  /** 0/1; undefined when the file has no label column and none was needed. */
  label?: 0 | 1;
  revenue: number;
  /** Values of mapping.categorical, in order ('' is a category of its own). */
  cat: string[];
  /** Values of mapping.numeric, in order; NaN = missing (empty cell). */
  num: number[];
}

export interface RiskIssue {
  line?: number;
  column?: string;
  message: string;
}

/** Bad mapping or bad data: every problem found, each with its line and column where there is one. */
export class RiskInputError extends Error {
  constructor(readonly issues: RiskIssue[]) {
    const shown = issues.slice(0, 20).map((i) => (i.line ? `line ${i.line}: ` : '') + (i.column ? `column "${i.column}": ` : '') + i.message);
    const more = issues.length > 20 ? `\n… and ${issues.length - 20} more` : '';
    super(shown.join('\n') + more);
    this.name = 'RiskInputError';
  }
}

const KEYS = ['id', 'date', 'label', 'revenue', 'office', 'categorical', 'numeric', 'dateFormat'] as const;

/** Checks a parsed mapping JSON: unknown keys, wrong types and repeated columns are errors. */
export function parseRiskMapping(json: unknown): RiskMapping {
  const issues: RiskIssue[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new RiskInputError([{ message: 'mapping: expected a JSON object' }]);
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(KEYS as readonly string[]).includes(k)) issues.push({ message: `mapping: unknown key "${k}" (known: ${KEYS.join(', ')})` });
  const str = (k: string, required: boolean): string | null => {
    const v = o[k];
    if (v === undefined || v === null) {
      if (required) issues.push({ message: `mapping: "${k}" is required (a column name)` });
      return null;
    }
    if (typeof v !== 'string' || v === '') {
      issues.push({ message: `mapping: "${k}" must be a column name (non-empty string) or null` });
      return null;
    }
    return v;
  };
  const list = (k: string): string[] => {
    const v = o[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) {
      issues.push({ message: `mapping: "${k}" must be a list of column names` });
      return [];
    }
    return v as string[];
  };
  const m: RiskMapping = {
    id: str('id', true) ?? '',
    date: str('date', false),
    label: str('label', false),
    revenue: str('revenue', false),
    office: str('office', false),
    categorical: list('categorical'),
    numeric: list('numeric'),
    dateFormat: 'yyyy-MM-dd',
  };
  if (o.dateFormat !== undefined && o.dateFormat !== null) {
    if (typeof o.dateFormat !== 'string' || !/yyyy/.test(o.dateFormat) || !/MM/.test(o.dateFormat) || !/dd/.test(o.dateFormat))
      issues.push({ message: 'mapping: "dateFormat" must contain yyyy, MM and dd (e.g. "dd/MM/yyyy")' });
    else m.dateFormat = o.dateFormat;
  }
  if (m.categorical.length + m.numeric.length === 0) issues.push({ message: 'mapping: list at least one "categorical" or "numeric" column' });
  const features = [...m.categorical, ...m.numeric];
  const seen = new Set<string>();
  for (const c of features) {
    if (seen.has(c)) issues.push({ message: `mapping: column "${c}" is listed twice among categorical/numeric` });
    seen.add(c);
  }
  for (const k of ['id', 'label', 'revenue', 'date'] as const) {
    const c = m[k];
    if (c && seen.has(c)) issues.push({ message: `mapping: the ${k} column "${c}" cannot also be a feature` });
  }
  if (issues.length) throw new RiskInputError(issues);
  return m;
}

/** Compiles a dateFormat into a parser returning UTC milliseconds, or undefined when the text does not fit. */
export function dateParser(format: string): (text: string) => number | undefined {
  const order: string[] = [];
  const re = format.replace(/yyyy|MM|dd|HH|mm|ss|[.*+?^${}()|[\]\\]/g, (t) => {
    if (t.length === 1) return '\\' + t;
    order.push(t);
    return t === 'yyyy' ? '(\\d{4})' : '(\\d{1,2})';
  });
  const rx = new RegExp(`^${re}$`);
  return (text) => {
    const mt = rx.exec(text.trim());
    if (!mt) return undefined;
    const p: Record<string, number> = { yyyy: 0, MM: 1, dd: 1, HH: 0, mm: 0, ss: 0 };
    order.forEach((t, i) => (p[t] = Number(mt[i + 1])));
    const t = Date.UTC(p.yyyy!, p.MM! - 1, p.dd!, p.HH!, p.mm!, p.ss!);
    const d = new Date(t);
    // Reject 31/02 and the like instead of letting Date roll them over.
    if (d.getUTCFullYear() !== p.yyyy || d.getUTCMonth() !== p.MM! - 1 || d.getUTCDate() !== p.dd || p.HH! > 23 || p.mm! > 59 || p.ss! > 59) return undefined;
    return t;
  };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A plain decimal number (no thousands separators); NaN for an empty cell; undefined if not a number. */
export function parseNumberCell(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return NaN;
  return NUMBER.test(t) ? Number(t) : undefined;
}

export interface ReadOptions {
  /** Training and evaluation need the label column; scoring does not (it is ignored if present). */
  needLabel: boolean;
}

/**
 * Turns a file's header and rows into declarations. Every problem (missing column, unreadable date,
 * non-numeric value, unknown label value, empty id) is collected with its line and the whole read fails:
 * nothing is skipped silently.
 */
export function readDeclarations(
  mapping: RiskMapping,
  header: string[],
  rows: Iterable<{ line: number; values: string[] }>,
  opts: ReadOptions,
): Declaration[] {
  const issues: RiskIssue[] = [];
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const col = (name: string | null, role: string, required: boolean): number => {
    if (name === null) {
      if (required) issues.push({ message: `mapping: "${role}" is needed for this command` });
      return -1;
    }
    const i = index.get(name);
    if (i === undefined) {
      issues.push({ line: 1, column: name, message: `the ${role} column is not in the file's header (${header.join(', ')})` });
      return -1;
    }
    return i;
  };
  const idCol = col(mapping.id, 'id', true);
  const dateCol = col(mapping.date, 'date', false);
  const labelCol = opts.needLabel ? col(mapping.label, 'label', true) : mapping.label !== null && index.has(mapping.label) ? index.get(mapping.label)! : -1;
  const revenueCol = opts.needLabel ? col(mapping.revenue, 'revenue', false) : mapping.revenue !== null && index.has(mapping.revenue) ? index.get(mapping.revenue)! : -1;
  const officeCol = col(mapping.office, 'office', false);
  const catCols = mapping.categorical.map((c) => col(c, 'categorical', true));
  const numCols = mapping.numeric.map((c) => col(c, 'numeric', true));
  if (issues.length) throw new RiskInputError(issues);

  const parseDate = dateParser(mapping.dateFormat);
  const dates = new Map<string, { time: number; day: string } | null>();
  const out: Declaration[] = [];
  let position = 0;
  for (const { line, values } of rows) {
    const cell = (i: number) => values[i] ?? '';
    const id = cell(idCol).trim();
    if (id === '') issues.push({ line, column: mapping.id, message: 'empty id' });
    let time = position++;
    let day = '';
    if (dateCol >= 0) {
      // Parsed once per distinct text: a file holds few distinct dates.
      const text = cell(dateCol);
      let d = dates.get(text);
      if (d === undefined) {
        const t = parseDate(text);
        d = t === undefined ? null : { time: t, day: new Date(t).toISOString().slice(0, 10) };
        dates.set(text, d);
      }
      if (d === null) issues.push({ line, column: mapping.date!, message: `"${text}" is not a date in the format ${mapping.dateFormat}` });
      else {
        time = d.time;
        day = d.day;
      }
    }
    let label: 0 | 1 | undefined;
    if (labelCol >= 0) {
      const v = parseNumberCell(cell(labelCol));
      if (v === undefined || Number.isNaN(v)) issues.push({ line, column: mapping.label!, message: `label "${cell(labelCol)}" is not a number (0 = nothing found, any other number = found)` });
      else label = v !== 0 ? 1 : 0;
    }
    let revenue = 0;
    if (revenueCol >= 0) {
      const v = parseNumberCell(cell(revenueCol));
      if (v === undefined) issues.push({ line, column: mapping.revenue!, message: `revenue "${cell(revenueCol)}" is not a number` });
      else revenue = Number.isNaN(v) ? 0 : v;
    }
    const num: number[] = new Array(numCols.length);
    for (let j = 0; j < numCols.length; j++) {
      const text = cell(numCols[j]!);
      const v = parseNumberCell(text);
      if (v === undefined) issues.push({ line, column: mapping.numeric[j]!, message: `"${text}" is not a number (leave the cell empty for a missing value)` });
      num[j] = v ?? NaN;
    }
    const cat = catCols.map((c) => cell(c).trim());
    out.push({ line, id, time, day, office: officeCol >= 0 ? cell(officeCol).trim() : '', label, revenue, cat, num });
  }
  if (issues.length) throw new RiskInputError(issues);
  return out;
}
