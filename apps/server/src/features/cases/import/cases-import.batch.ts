import { randomUUID } from 'node:crypto';
import { sql, type Database, type Kysely } from '@cordon/db';
import type { Clock } from '../../../lib/clock.js';
import type { Principal } from '../../auth/principal.js';
import { CASE_COLUMNS, caseCode, GOODS_COLUMNS, HISTORY_COLUMNS, insertRows, nextCaseNumbers, SUBJECT_COLUMNS } from '../cases.bulk.js';
import { caseSearchText } from '../cases.rules.js';
import type { PreparedCase } from '../cases.service.js';

type Tx = Kysely<Database>;

export interface BatchRows {
  /** Rows whose reference the unit has not used yet, in file order, and the rest. */
  fresh: PreparedCase[];
  duplicates: PreparedCase[];
  /** The case rows of `fresh` (code, search text, pending index) and their goods and subjects rows. */
  cases: Record<string, unknown>[];
  goods: (created: readonly PreparedCase[]) => Record<string, unknown>[];
  subjects: (created: readonly PreparedCase[]) => Record<string, unknown>[];
  now: Date;
}

/**
 * What both bulk writers (this unnest INSERT and the PostgreSQL COPY in cases-import.copy.ts) do
 * before writing: skip references the unit already used, number the new cases, derive their rows.
 */
export async function batchRows(trx: Tx, clock: Clock, batch: readonly PreparedCase[], importId: string): Promise<BatchRows | { fresh: []; duplicates: PreparedCase[] }> {
  const unitId = batch[0]!.row.source_unit_id;
  const refs = batch.flatMap((b) => (b.row.source_ref ? [b.row.source_ref] : []));
  const existing = new Set<string>();
  if (refs.length) {
    const { rows } = await sql<{ source_ref: string }>`SELECT source_ref FROM cases WHERE source_unit_id = ${unitId} AND source_ref = ANY(${refs}::text[])`.execute(trx);
    for (const r of rows) existing.add(r.source_ref);
  }
  const fresh = batch.filter((b) => !b.row.source_ref || !existing.has(b.row.source_ref));
  const duplicates = batch.filter((b) => b.row.source_ref && existing.has(b.row.source_ref));
  if (!fresh.length) return { fresh: [], duplicates };

  const ns = await nextCaseNumbers(trx, fresh.length);
  const now = clock.now();
  const cases = fresh.map((b, i) => {
    const { row } = b;
    const code = caseCode(row.detected_on, ns[i]!);
    const search = caseSearchText({ code, title: row.title, summary: row.summary, place: row.place, borderGate: row.border_gate, sourceRef: row.source_ref }, b.goods, b.subjects);
    return { ...row, code, search_text: search, search_pending: true, import_id: importId, created_at: now, updated_at: now };
  });
  const goods = (created: readonly PreparedCase[]) => created.flatMap((b) => b.goods.map((g, i) => ({
    case_id: b.row.id, line_no: i + 1, category: g.category, hs_code: g.hsCode, description: g.description, quantity: g.quantity, unit: g.unit, value_vnd: g.valueVnd, brand: g.brand,
  })));
  const subjects = (created: readonly PreparedCase[]) => created.flatMap((b) => b.subjects.map((s, i) => ({
    id: randomUUID(), case_id: b.row.id, position: i + 1, kind: s.kind, role: s.role, name: s.name, id_number: s.idNumber, tax_code: s.taxCode, plate: s.plate, imo: s.imo,
    phone: s.phone, date_of_birth: s.dateOfBirth, address: s.address, nationality: s.nationality?.toUpperCase(),
  })));
  return { fresh, duplicates, cases, goods, subjects, now };
}

/**
 * `cases.insertPrepared` for many cases at once: the same rows (derived columns from cases.rules.ts),
 * one unnest INSERT per table instead of five statements per case. A source reference the unit
 * already used is skipped, and reported, as insertPrepared does. The cases are stored with
 * `search_pending`: the background indexer (search-indexer.ts) adds them to the trigram index after
 * the import, and search finds them meanwhile. Runs in the caller's transaction.
 */
export async function insertPreparedBatch(trx: Tx, clock: Clock, p: Principal, batch: readonly PreparedCase[], importId: string): Promise<{ created: PreparedCase[]; duplicates: PreparedCase[] }> {
  if (!batch.length) return { created: [], duplicates: [] };
  const rows = await batchRows(trx, clock, batch, importId);
  if (!('cases' in rows)) return { created: [], duplicates: rows.duplicates };
  const { fresh, duplicates, cases: values, now } = rows;
  // A concurrent import of the same references loses the race quietly: its rows come back as duplicates.
  const inserted = await insertRows<{ id: string }>(trx, 'cases', CASE_COLUMNS, values, sql`ON CONFLICT (source_unit_id, source_ref) WHERE source_ref IS NOT NULL DO NOTHING RETURNING id`);
  const insertedIds = new Set(inserted.map((r) => r.id));
  const created = fresh.filter((b) => insertedIds.has(b.row.id));
  duplicates.push(...fresh.filter((b) => !insertedIds.has(b.row.id)));

  await insertRows(trx, 'case_goods', GOODS_COLUMNS, rows.goods(created));
  await insertRows(trx, 'case_subjects', SUBJECT_COLUMNS, rows.subjects(created));
  await insertRows(trx, 'case_status_history', HISTORY_COLUMNS, created.map((b) => ({ case_id: b.row.id, from_status: null, to_status: 'detected', at: now, by_user_id: p.userId, note: null })));
  return { created, duplicates };
}
