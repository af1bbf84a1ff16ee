import { randomUUID } from 'node:crypto';
import { sql, type Database, type Db, type Kysely, type RawBuilder } from '@cordon/db';
import { foldVietnamese } from '@cordon/reference';
import { CASE_COLUMNS, caseCode, GOODS_COLUMNS, nextCaseNumbers, SUBJECT_COLUMNS, type Column } from '../cases.bulk.js';
import { caseSearchText } from '../cases.rules.js';
import type { PreparedCase } from '../cases.service.js';
import { copyIn, copyValue, escapeCopy } from './copy-in.js';

type Tx = Kysely<Database>;

/**
 * One checked import row, encoded for the database as soon as it is read (session 7). Holding a batch
 * of `PreparedCase` objects (and then row objects, then COPY cells) until the batch was written made
 * every row's dozens of small objects survive several young-generation collections: V8 copied them
 * twice and garbage collection was half of the import's JavaScript time. A few strings per row are
 * cheap to keep.
 */
export interface StagedRow {
  line: number;
  id: string;
  ref: string;
  detectedOn: string;
  /** The case row without the columns only known when the batch is written (CASE_TAIL). */
  head: string;
  /** The folded search text without the case code (`caseSearchText` with an empty code). */
  words: string;
  /** The goods and subject rows, encoded ('' for none). */
  goods: string;
  subjects: string;
}

/**
 * Case columns known only when the batch is written: the code needs a number from the sequence, and
 * numbers are taken after the check for references the unit already has (a rerun burns none).
 */
const CASE_TAIL = ['code', 'search_text', 'created_at', 'updated_at'] as const;
const CASE_HEAD = CASE_COLUMNS.filter(([n]) => !(CASE_TAIL as readonly string[]).includes(n));
/** The case columns in the order a staged case row carries them: head, then tail. */
const CASE_STAGED: readonly Column[] = [...CASE_HEAD, ...CASE_TAIL.map((n) => CASE_COLUMNS.find(([c]) => c === n)!)];

/**
 * `caseSearchText` with the code: the code is written first, is ASCII without spaces, and folding works
 * character by character with whitespace runs collapsed, so folding "code rest" is folding the code,
 * a space, and the folded rest (nothing when the rest folds to nothing). A test checks this against
 * `caseSearchText` on random text.
 */
export const searchTextWithCode = (code: string, words: string): string => (words ? `${foldVietnamese(code)} ${words}` : foldVietnamese(code));

/** A case row's values by column, as every bulk writer stores it (search pending: the indexer adds it). */
function caseValue(pc: PreparedCase, column: string, importId: string): unknown {
  if (column === 'search_pending') return true;
  if (column === 'import_id') return importId;
  return (pc.row as Record<string, unknown>)[column];
}

const goodsRows = (pc: PreparedCase) => pc.goods.map((g, i) => ({
  case_id: pc.row.id, line_no: i + 1, category: g.category, hs_code: g.hsCode, description: g.description, quantity: g.quantity, unit: g.unit, value_vnd: g.valueVnd, brand: g.brand,
}));
const subjectRows = (pc: PreparedCase) => pc.subjects.map((s, i) => ({
  id: randomUUID(), case_id: pc.row.id, position: i + 1, kind: s.kind, role: s.role, name: s.name, id_number: s.idNumber, tax_code: s.taxCode, plate: s.plate, imo: s.imo,
  phone: s.phone, date_of_birth: s.dateOfBirth, address: s.address, nationality: s.nationality?.toUpperCase(),
}));

/** How rows travel: encoded per row while the file is read, moved into the tables per batch. */
interface Encoding {
  encode(pc: PreparedCase, importId: string, line: number): StagedRow;
  /** Inserts the batch's fresh rows (numbers in order) and returns the ids actually inserted. */
  move(trx: Tx, fresh: readonly StagedRow[], numbers: readonly number[], now: Date, userId: string): Promise<Set<string>>;
}

const names = (columns: readonly Column[]) => columns.map(([n]) => `"${n}"`).join(', ');
const defs = (columns: readonly Column[]) => columns.map(([n, t]) => `"${n}" ${t}`).join(', ');

/**
 * One statement moves a batch into cases, goods, subjects and the status history, on both engines
 * (only where the rows come from differs): data-modifying CTEs, the case rows a concurrent import
 * took first skipped by ON CONFLICT and their goods and subjects with them (a loser adds nothing).
 */
async function moveStatement(trx: Tx, from: { cases: RawBuilder<unknown>; goods: RawBuilder<unknown>; subjects: RawBuilder<unknown> }, now: Date, userId: string): Promise<Set<string>> {
  const c = sql.raw(names(CASE_STAGED));
  const g = sql.raw(names(GOODS_COLUMNS));
  const s = sql.raw(names(SUBJECT_COLUMNS));
  const { rows } = await sql<{ id: string }>`WITH ins AS (
      INSERT INTO cases (${c}) SELECT ${c} FROM ${from.cases}
      ON CONFLICT (source_unit_id, source_ref) WHERE source_ref IS NOT NULL DO NOTHING RETURNING id
    ), goods AS (
      INSERT INTO case_goods (${g}) SELECT ${g} FROM ${from.goods} WHERE case_id IN (SELECT id FROM ins)
    ), subjects AS (
      INSERT INTO case_subjects (${s}) SELECT ${s} FROM ${from.subjects} WHERE case_id IN (SELECT id FROM ins)
    ), history AS (
      INSERT INTO case_status_history (case_id, from_status, to_status, at, by_user_id, note) SELECT id, NULL, 'detected', ${now}, ${userId}::uuid, NULL FROM ins
    )
    SELECT id FROM ins`.execute(trx);
  return new Set(rows.map((r) => r.id));
}

/**
 * A string built by appending (folding appends a character at a time) is a rope of one small object per
 * piece until something reads it whole; kept for a batch, those objects were most of what the young
 * generation copied. A regular expression reads it whole, which turns it into one flat string in place.
 */
const FLATTEN = /[\\\t\n\r]/;
const flat = (s: string): string => {
  FLATTEN.test(s);
  return s;
};

/** Common to both encodings: the row facts kept for the batch. */
const staged = (pc: PreparedCase, line: number, head: string, goods: string, subjects: string): StagedRow => ({
  line, id: pc.row.id, ref: pc.row.source_ref ?? '', detectedOn: pc.row.detected_on, head, goods, subjects,
  words: flat(caseSearchText({ code: '', title: pc.row.title, summary: pc.row.summary, place: pc.row.place, borderGate: pc.row.border_gate, sourceRef: pc.row.source_ref }, pc.goods, pc.subjects)),
});

/** COPY text (PostgreSQL): rows go by `COPY … FROM STDIN` into TEMP staging tables (copy-in.ts). */
const STAGES = {
  cases: { table: 'cordon_import_cases', columns: CASE_STAGED },
  goods: { table: 'cordon_import_goods', columns: GOODS_COLUMNS },
  subjects: { table: 'cordon_import_subjects', columns: SUBJECT_COLUMNS },
} as const;
// CREATE … IF NOT EXISTS: a pooled connection keeps its TEMP tables between transactions; TRUNCATE:
// an all-or-nothing import writes every batch in one transaction.
const STAGE_DDL = `${Object.values(STAGES).map(({ table, columns }) => `CREATE TEMP TABLE IF NOT EXISTS ${table} (${defs(columns)});`).join('\n')}
TRUNCATE ${Object.values(STAGES).map((x) => x.table).join(', ')};`;

const copyLine = (values: readonly unknown[]) => values.map(copyValue).join('\t') + '\n';
const copyRows = (columns: readonly Column[], rows: readonly Record<string, unknown>[]) => rows.map((r) => copyLine(columns.map(([n]) => r[n]))).join('');

const copyEncoding: Encoding = {
  encode(pc, importId, line) {
    const head = CASE_HEAD.map(([n]) => copyValue(caseValue(pc, n, importId))).join('\t');
    return staged(pc, line, head, copyRows(GOODS_COLUMNS, goodsRows(pc)), copyRows(SUBJECT_COLUMNS, subjectRows(pc)));
  },
  async move(trx, fresh, numbers, now, userId) {
    const at = copyValue(now);
    const cases = fresh.map((r, i) => {
      const code = caseCode(r.detectedOn, numbers[i]!);
      return `${r.head}\t${escapeCopy(code)}\t${escapeCopy(searchTextWithCode(code, r.words))}\t${at}\t${at}\n`;
    }).join('');
    await sql.raw(STAGE_DDL).execute(trx);
    const copy = async (stage: (typeof STAGES)[keyof typeof STAGES], text: string) => {
      if (text) await copyIn(trx, `COPY ${stage.table} (${names(stage.columns)}) FROM STDIN`, text);
    };
    await copy(STAGES.cases, cases);
    await copy(STAGES.goods, fresh.map((r) => r.goods).join(''));
    await copy(STAGES.subjects, fresh.map((r) => r.subjects).join(''));
    return moveStatement(trx, { cases: sql.raw(STAGES.cases.table), goods: sql.raw(STAGES.goods.table), subjects: sql.raw(STAGES.subjects.table) }, now, userId);
  },
};

/**
 * JSON (PGlite): the rows go as three JSON parameters of the same statement, through
 * `json_to_recordset`. PGlite reads COPY only from a blob passed to its own `query` (`/dev/blob`),
 * which our Kysely connection for it does not pass on; a statement parameter does the same job.
 */
const jsonRows = (rows: readonly Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).join(',');
const recordset = (json: string, columns: readonly Column[]) => sql`json_to_recordset(${json}::json) AS u(${sql.raw(defs(columns))})`;

const jsonEncoding: Encoding = {
  encode(pc, importId, line) {
    const row: Record<string, unknown> = {};
    for (const [n] of CASE_HEAD) row[n] = caseValue(pc, n, importId);
    return staged(pc, line, JSON.stringify(row), jsonRows(goodsRows(pc)), jsonRows(subjectRows(pc)));
  },
  async move(trx, fresh, numbers, now, userId) {
    const at = JSON.stringify(now);
    const cases = fresh.map((r, i) => {
      const code = caseCode(r.detectedOn, numbers[i]!);
      return `{"code":${JSON.stringify(code)},"search_text":${JSON.stringify(searchTextWithCode(code, r.words))},"created_at":${at},"updated_at":${at},${r.head.slice(1)}`;
    });
    const list = (parts: string[]) => `[${parts.filter(Boolean).join(',')}]`;
    return moveStatement(trx, {
      cases: recordset(`[${cases.join(',')}]`, CASE_STAGED),
      goods: recordset(list(fresh.map((r) => r.goods)), GOODS_COLUMNS),
      subjects: recordset(list(fresh.map((r) => r.subjects)), SUBJECT_COLUMNS),
    }, now, userId);
  },
};

export const encodingFor = (engine: Db['engine']): Encoding => (engine === 'postgres' ? copyEncoding : jsonEncoding);

/**
 * Writes a batch of staged rows in the caller's transaction: rows whose reference the unit already has
 * are skipped and counted as duplicates (before any number is taken), the rest numbered in file order
 * and moved in one statement; a row a concurrent import inserted first comes back as a duplicate too.
 */
export async function writeStaged(trx: Tx, encoding: Encoding, batch: readonly StagedRow[], unitId: string, userId: string, now: () => Date): Promise<{ created: StagedRow[]; duplicates: number }> {
  if (!batch.length) return { created: [], duplicates: 0 };
  const refs = batch.map((r) => r.ref);
  const { rows } = await sql<{ source_ref: string }>`SELECT source_ref FROM cases WHERE source_unit_id = ${unitId} AND source_ref = ANY(${refs}::text[])`.execute(trx);
  const existing = new Set(rows.map((r) => r.source_ref));
  const fresh = existing.size ? batch.filter((r) => !existing.has(r.ref)) : batch;
  if (!fresh.length) return { created: [], duplicates: batch.length };
  const numbers = await nextCaseNumbers(trx, fresh.length);
  const inserted = await encoding.move(trx, fresh, numbers, now(), userId);
  const created = inserted.size === fresh.length ? [...fresh] : fresh.filter((r) => inserted.has(r.id));
  return { created, duplicates: batch.length - created.length };
}
