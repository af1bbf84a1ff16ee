import { randomUUID } from 'node:crypto';
import { sql, type Database, type Kysely } from '@cordon/db';
import type { Clock } from '../../../lib/clock.js';
import type { Principal } from '../../auth/principal.js';
import { caseSearchText } from '../cases.rules.js';
import type { PreparedCase } from '../cases.service.js';

type Tx = Kysely<Database>;

/**
 * `cases.insertPrepared` for many cases at once: the same rows (derived columns from cases.rules.ts),
 * one multi-row INSERT per table instead of five statements per case. A source reference the unit
 * already used is skipped, and reported, as insertPrepared does. Runs in the caller's transaction.
 */
export async function insertPreparedBatch(trx: Tx, clock: Clock, p: Principal, batch: readonly PreparedCase[], importId: string): Promise<{ created: PreparedCase[]; duplicates: PreparedCase[] }> {
  if (!batch.length) return { created: [], duplicates: [] };
  const unitId = batch[0]!.row.source_unit_id;
  const refs = batch.flatMap((b) => (b.row.source_ref ? [b.row.source_ref] : []));
  const existing = new Set<string>();
  if (refs.length) {
    const rows = await trx.selectFrom('cases').select('source_ref').where('source_unit_id', '=', unitId).where('source_ref', 'in', refs).execute();
    for (const r of rows) if (r.source_ref) existing.add(r.source_ref);
  }
  const fresh = batch.filter((b) => !b.row.source_ref || !existing.has(b.row.source_ref));
  const duplicates = batch.filter((b) => b.row.source_ref && existing.has(b.row.source_ref));
  if (!fresh.length) return { created: [], duplicates };

  const { rows: numbers } = await sql<{ n: number }>`SELECT nextval('case_number_seq')::int AS n FROM generate_series(1, ${fresh.length}::int)`.execute(trx);
  const ns = numbers.map((r) => r.n).sort((a, b) => a - b);
  const now = clock.now();
  const values = fresh.map((b, i) => {
    const { row } = b;
    const code = `VV-${row.detected_on.slice(0, 4)}-${String(ns[i]).padStart(6, '0')}`;
    const search = caseSearchText({ code, title: row.title, summary: row.summary, place: row.place, borderGate: row.border_gate, sourceRef: row.source_ref }, b.goods, b.subjects);
    return { ...row, code, search_text: search, import_id: importId, created_at: now, updated_at: now };
  });
  // A concurrent import of the same references loses the race quietly: its rows come back as duplicates.
  const inserted = await trx
    .insertInto('cases')
    .values(values)
    .onConflict((oc) => oc.columns(['source_unit_id', 'source_ref']).where('source_ref', 'is not', null).doNothing())
    .returning('id')
    .execute();
  const insertedIds = new Set(inserted.map((r) => r.id));
  const created = fresh.filter((b) => insertedIds.has(b.row.id));
  duplicates.push(...fresh.filter((b) => !insertedIds.has(b.row.id)));

  const goods = created.flatMap((b) => b.goods.map((g, i) => ({
    case_id: b.row.id, line_no: i + 1, category: g.category, hs_code: g.hsCode ?? null, description: g.description,
    quantity: g.quantity ?? null, unit: g.unit ?? null, value_vnd: g.valueVnd ?? null, brand: g.brand ?? null,
  })));
  const subjects = created.flatMap((b) => b.subjects.map((s, i) => ({
    id: randomUUID(), case_id: b.row.id, position: i + 1, kind: s.kind, role: s.role, name: s.name, id_number: s.idNumber ?? null,
    tax_code: s.taxCode ?? null, plate: s.plate ?? null, imo: s.imo ?? null, phone: s.phone ?? null,
    date_of_birth: s.dateOfBirth ?? null, address: s.address ?? null, nationality: s.nationality?.toUpperCase() ?? null,
  })));
  // Parameters per statement stay under PostgreSQL's 65,535: at most ~15 columns × 2,000 rows.
  for (let i = 0; i < goods.length; i += 2000) await trx.insertInto('case_goods').values(goods.slice(i, i + 2000)).execute();
  for (let i = 0; i < subjects.length; i += 2000) await trx.insertInto('case_subjects').values(subjects.slice(i, i + 2000)).execute();
  if (created.length) {
    await trx.insertInto('case_status_history').values(created.map((b) => ({ case_id: b.row.id, from_status: null, to_status: 'detected', at: now, by_user_id: p.userId, note: null }))).execute();
  }
  return { created, duplicates };
}
