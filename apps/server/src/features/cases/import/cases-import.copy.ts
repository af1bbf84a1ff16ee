import { sql, type Database, type Kysely } from '@cordon/db';
import type { Clock } from '../../../lib/clock.js';
import type { Principal } from '../../auth/principal.js';
import { CASE_COLUMNS, GOODS_COLUMNS, SUBJECT_COLUMNS, type Column } from '../cases.bulk.js';
import { batchRows } from './cases-import.batch.js';
import type { PreparedCase } from '../cases.service.js';
import { copyIn, copyText } from './copy-in.js';

type Tx = Kysely<Database>;

/** Staging tables, one per session (TEMP): their columns are exactly the bulk write's columns. */
const STAGES = {
  cases: { table: 'cordon_import_cases', columns: CASE_COLUMNS },
  goods: { table: 'cordon_import_goods', columns: GOODS_COLUMNS },
  subjects: { table: 'cordon_import_subjects', columns: SUBJECT_COLUMNS },
} as const;

const names = (columns: readonly Column[]) => columns.map(([n]) => `"${n}"`).join(', ');
const STAGE_DDL = Object.values(STAGES)
  .map(({ table, columns }) => `CREATE TEMP TABLE IF NOT EXISTS ${table} (${columns.map(([n, t]) => `"${n}" ${t}`).join(', ')});`)
  .join('\n');
const TRUNCATE = `TRUNCATE ${Object.values(STAGES).map((s) => s.table).join(', ')};`;

/**
 * `insertPreparedBatch` for PostgreSQL: the same rows, the same skipping of references the unit already
 * has, and the same return value, but the rows travel by `COPY … FROM STDIN` into TEMP staging tables
 * and one statement moves them into cases, goods, subjects and the status history (data-modifying
 * CTEs: the case rows a concurrent import took first are skipped by ON CONFLICT, and their goods and
 * subjects with them). `json_to_recordset` decoding cost PostgreSQL more per row than COPY does in all.
 * The sum triggers run once for the batch, as before. Runs in the caller's transaction.
 */
export async function insertPreparedBatchCopy(trx: Tx, clock: Clock, p: Principal, batch: readonly PreparedCase[], importId: string): Promise<{ created: PreparedCase[]; duplicates: PreparedCase[] }> {
  if (!batch.length) return { created: [], duplicates: [] };
  const rows = await batchRows(trx, clock, batch, importId);
  if (!('cases' in rows)) return { created: [], duplicates: rows.duplicates };
  const { fresh, duplicates, cases, now } = rows;
  const goods = rows.goods(fresh);
  const subjects = rows.subjects(fresh);

  // CREATE … IF NOT EXISTS: a pooled connection keeps its TEMP tables between transactions; TRUNCATE:
  // an all-or-nothing import writes every batch in one transaction.
  await sql.raw(`${STAGE_DDL}\n${TRUNCATE}`).execute(trx);
  const copy = async (stage: (typeof STAGES)[keyof typeof STAGES], rows: readonly Record<string, unknown>[]) => {
    if (!rows.length) return;
    const cols = stage.columns.map(([n]) => n);
    await copyIn(trx, `COPY ${stage.table} (${names(stage.columns)}) FROM STDIN`, copyText(cols, rows));
  };
  await copy(STAGES.cases, cases);
  await copy(STAGES.goods, goods);
  await copy(STAGES.subjects, subjects);

  // A concurrent import of the same references loses the race quietly: its rows come back as duplicates.
  const caseCols = names(CASE_COLUMNS);
  const { rows: inserted } = await sql<{ id: string }>`WITH ins AS (
      INSERT INTO cases (${sql.raw(caseCols)}) SELECT ${sql.raw(caseCols)} FROM ${sql.raw(STAGES.cases.table)}
      ON CONFLICT (source_unit_id, source_ref) WHERE source_ref IS NOT NULL DO NOTHING RETURNING id
    ), goods AS (
      INSERT INTO case_goods (${sql.raw(names(GOODS_COLUMNS))}) SELECT ${sql.raw(names(GOODS_COLUMNS))} FROM ${sql.raw(STAGES.goods.table)} WHERE case_id IN (SELECT id FROM ins)
    ), subjects AS (
      INSERT INTO case_subjects (${sql.raw(names(SUBJECT_COLUMNS))}) SELECT ${sql.raw(names(SUBJECT_COLUMNS))} FROM ${sql.raw(STAGES.subjects.table)} WHERE case_id IN (SELECT id FROM ins)
    ), history AS (
      INSERT INTO case_status_history (case_id, from_status, to_status, at, by_user_id, note) SELECT id, NULL, 'detected', ${now}, ${p.userId}::uuid, NULL FROM ins
    )
    SELECT id FROM ins`.execute(trx);
  const insertedIds = new Set(inserted.map((r) => r.id));
  const created = fresh.filter((b) => insertedIds.has(b.row.id));
  duplicates.push(...fresh.filter((b) => !insertedIds.has(b.row.id)));
  return { created, duplicates };
}
