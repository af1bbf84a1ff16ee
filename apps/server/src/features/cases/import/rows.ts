import { compactPhone, CreateCaseBody, readTypedNumber, type FieldIssue } from '@cordon/contracts';
import { findFormerProvinceByName, findProvinceByName, provinceFor2025 } from '@cordon/reference';
import { issuesOfZod } from '../../../http/zod-issues.js';
import { PROVINCE_MERGER_DATE } from '../cases.rules.js';
import type { Cell, TableRow } from './table.js';
import { valueLookups } from './template.js';

/** One problem of an import, by the file's line and the template column at fault. */
export interface RowProblem {
  line: number;
  field: string;
  reason: string;
  message: string;
  /** The cell at fault as written in the file (trimmed, cut at 200 characters), when there is one. */
  value?: string;
  /** The bound broken, for too_small / too_big (0 for a negative amount). */
  limit?: number;
}

const text = (c: Cell | undefined): string => {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c).normalize('NFC').trim();
};

/** The row's cell under a problem's column, for the report: officers read it beside the reason in their language. */
export function withValue(x: RowProblem, cells: ReadonlyMap<string, Cell>): RowProblem {
  const v = x.field ? text(cells.get(x.field)) : '';
  return v ? { ...x, value: v.length > 200 ? `${v.slice(0, 200)}…` : v } : x;
}

/** Digits-only identifiers typed into number cells lose their leading zeros: put them back. */
const digits = (c: Cell | undefined, width: number): string => (typeof c === 'number' && Number.isInteger(c) ? String(c).padStart(width, '0') : text(c));

const pad2 = (n: number) => String(n).padStart(2, '0');
function realDate(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && y >= 1900 ? `${y}-${pad2(m)}-${pad2(d)}` : undefined;
}

/** dd/MM/yyyy (also d/M/yyyy, with - or .), yyyy-MM-dd, or an Excel date cell → yyyy-MM-dd. */
export function parseDate(c: Cell | undefined): string | undefined | null {
  // Excel stores dates as UTC midnight of the calendar day shown.
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? undefined : c.toISOString().slice(0, 10);
  const s = text(c);
  if (!s) return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return realDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return realDate(+m[3]!, +m[2]!, +m[1]!);
  return undefined;
}

/** A number as people type it (`readTypedNumber`, shared with the case form); an Excel number as is. */
export function parseNumber(c: Cell | undefined): number | undefined | null {
  return typeof c === 'number' ? c : readTypedNumber(text(c));
}

/** Where a CreateCaseBody field came from in the template, so problems name the column the user sees. */
const FIELD_COLUMNS: Record<string, string> = {
  sourceRef: 'source_ref', title: 'title', summary: 'summary', violationType: 'violation_type', detectedOn: 'detected_on', provinceCode: 'province',
  wardCode: 'ward_code', borderGate: 'border_gate', place: 'place', route: 'route', sensitivity: 'sensitivity', namedUserIds: 'sensitivity',
  'goods.category': 'goods_category', 'goods.hsCode': 'hs_code', 'goods.description': 'goods_description', 'goods.quantity': 'quantity', 'goods.unit': 'unit',
  'goods.valueVnd': 'value_vnd', 'subjects.kind': 'kind', 'subjects.role': 'role', 'subjects.name': 'name', 'subjects.idNumber': 'id_number',
  'subjects.taxCode': 'tax_code', 'subjects.plate': 'plate', 'subjects.phone': 'phone',
};

/** "goods.0.valueVnd" → "value_vnd"; "subjects.1.idNumber" → "subject2_id_number". */
export function columnOf(field: string): string {
  const parts = field.split('.');
  if (parts[0] === 'goods' && parts.length >= 3) return FIELD_COLUMNS[`goods.${parts[2]}`] ?? field;
  if (parts[0] === 'subjects' && parts.length >= 3) {
    const col = FIELD_COLUMNS[`subjects.${parts[2]}`];
    return col ? `subject${Number(parts[1]) + 1}_${col}` : field;
  }
  return FIELD_COLUMNS[parts[0]!] ?? field;
}

export const toRowProblems = (line: number, issues: readonly FieldIssue[]): RowProblem[] =>
  issues.map((i) => ({ line, field: columnOf(i.field), reason: i.reason, message: i.message, ...(i.limit !== undefined ? { limit: i.limit } : {}) }));

/**
 * One template row → a CreateCaseBody checked by the same zod schema as POST /api/cases, or every
 * problem of the row. Reference codes and units are checked afterwards by the cases service.
 */
export function rowToBody(row: TableRow): { body?: CreateCaseBody; problems: RowProblem[] } {
  const { line, cells } = row;
  const problems: RowProblem[] = [];
  const bad = (field: string, reason: string, message: string) => problems.push({ line, field, reason, message });
  const get = (k: string) => cells.get(k);
  const opt = (k: string) => text(get(k)) || undefined;

  const coded = (k: string, find: (s: string) => string | undefined, what: string): string | undefined => {
    const s = text(get(k));
    if (!s) return undefined;
    const code = find(s);
    if (code) return code;
    // An upper-case code goes through as typed: the service names it unknown in the same words as the API.
    if (/^[A-Z][A-Z0-9_]*$/.test(s)) return s;
    bad(k, 'invalid_value', `"${s}" is not a known ${what}`);
    return undefined;
  };

  const sourceRef = text(get('source_ref'));
  if (!sourceRef) bad('source_ref', 'required', "is required: the unit's own reference makes a rerun create no duplicates");

  const detectedOn = parseDate(get('detected_on'));
  if (detectedOn === undefined) bad('detected_on', 'invalid_format', `"${text(get('detected_on'))}" is not a date: write dd/MM/yyyy or yyyy-MM-dd`);

  let provinceCode: string | undefined;
  const prov = get('province');
  const provText = typeof prov === 'number' ? pad2(prov) : text(prov);
  if (/^\d{1,2}$/.test(provText)) provinceCode = provText.padStart(2, '0');
  else if (provText) {
    const current = findProvinceByName(provText);
    const former = current ? undefined : findFormerProvinceByName(provText);
    if (current) provinceCode = current.code;
    else if (former) provinceCode = detectedOn && detectedOn < PROVINCE_MERGER_DATE ? former.code : provinceFor2025(former.code)?.code;
    else bad('province', 'invalid_value', `"${provText}" is not a province code or name`);
  }

  const number = (k: string): number | null | undefined => {
    const n = parseNumber(get(k));
    if (n === undefined) {
      bad(k, 'invalid_format', `"${text(get(k))}" is not a number`);
      return undefined;
    }
    return n;
  };

  const goodsKeys = ['goods_category', 'hs_code', 'goods_description', 'quantity', 'unit', 'value_vnd'];
  const goods: Record<string, unknown>[] = [];
  if (goodsKeys.some((k) => text(get(k)))) {
    const hs = get('hs_code');
    goods.push({
      category: coded('goods_category', valueLookups.goodsCategory, 'goods category'),
      hsCode: typeof hs === 'number' ? String(hs) : opt('hs_code') ?? null,
      description: opt('goods_description') ?? valueLookups.goodsCategory(text(get('goods_category'))) ?? undefined,
      quantity: number('quantity'),
      unit: opt('unit') ?? null,
      valueVnd: number('value_vnd'),
    });
  }

  const subjects: Record<string, unknown>[] = [];
  for (const n of [1, 2]) {
    const k = (f: string) => `subject${n}_${f}`;
    if (!['kind', 'role', 'name', 'id_number', 'tax_code', 'plate', 'phone'].some((f) => text(get(k(f))))) continue;
    const phone = get(k('phone'));
    // Without a kind, the identifier given says what the subject is.
    const inferred = text(get(k('id_number'))) ? 'person' : text(get(k('tax_code'))) ? 'company' : text(get(k('plate'))) ? 'vehicle' : text(phone) ? 'phone' : undefined;
    subjects.push({
      kind: coded(k('kind'), valueLookups.subjectKind, 'subject kind') ?? inferred,
      role: coded(k('role'), valueLookups.subjectRole, 'subject role') ?? 'other',
      name: opt(k('name')) ?? opt(k('plate')) ?? opt(k('phone')),
      idNumber: digits(get(k('id_number')), text(get(k('id_number'))).length === 11 ? 12 : 9) || null,
      taxCode: digits(get(k('tax_code')), 10) || null,
      plate: opt(k('plate')) ?? null,
      phone: (typeof phone === 'number' ? `0${phone}` : compactPhone(text(phone))) || null,
    });
  }

  const sensitivityText = text(get('sensitivity'));
  const sensitivity = sensitivityText ? valueLookups.sensitivity(sensitivityText) : 'internal';
  if (sensitivityText && !sensitivity) bad('sensitivity', 'invalid_value', `"${sensitivityText}" is not a sensitivity: Nội bộ/internal or Hạn chế/restricted`);

  const ward = get('ward_code');
  const candidate = {
    sourceRef: sourceRef || undefined,
    title: opt('title'),
    summary: opt('summary') ?? '',
    violationType: coded('violation_type', valueLookups.violationType, 'violation type'),
    detectedOn: detectedOn ?? undefined,
    provinceCode,
    wardCode: (typeof ward === 'number' ? String(ward).padStart(5, '0') : opt('ward_code')) ?? null,
    borderGate: opt('border_gate') ?? null,
    place: opt('place') ?? null,
    route: coded('route', valueLookups.route, 'route') ?? null,
    sensitivity: sensitivity ?? 'internal',
    goods,
    subjects,
  };
  const parsed = CreateCaseBody.safeParse(candidate);
  if (!parsed.success) {
    const already = new Set(problems.map((p) => p.field));
    // A cell already reported as unreadable is not reported again as "required".
    problems.push(...toRowProblems(line, issuesOfZod(parsed.error)).filter((p) => !already.has(p.field)));
  }
  if (problems.length || !parsed.success) return { problems };
  return { body: parsed.data, problems };
}
