import { sql, type Database, type Kysely, type RawBuilder } from '@cordon/db';

type Tx = Kysely<Database>;

/** A column of a bulk write: its name and its PostgreSQL type. */
export type Column = readonly [name: string, type: string];

/**
 * One multi-row INSERT for many rows: the rows travel as one JSON parameter and `json_to_recordset`
 * turns them back into typed rows (JSON arrays into PostgreSQL arrays). A VALUES list would need
 * rows × columns parameters (capped at 65,535) and costs far more to build, send and parse; array
 * parameters per column (unnest) spend their time escaping every element on the client. `rows` are
 * objects keyed by column name; keys outside `columns` are ignored, missing ones are NULL.
 */
export async function insertRows<R>(trx: Tx, table: string, columns: readonly Column[], rows: readonly object[], suffix?: RawBuilder<unknown>): Promise<R[]> {
  if (!rows.length) return [];
  const names = sql.join(columns.map(([n]) => sql.ref(n)));
  const defs = sql.join(columns.map(([n, type]) => sql`${sql.ref(n)} ${sql.raw(type)}`));
  const { rows: out } = await sql<R>`INSERT INTO ${sql.table(table)} (${names}) SELECT ${names} FROM json_to_recordset(${JSON.stringify(rows)}::json) AS u(${defs}) ${suffix ?? sql``}`.execute(trx);
  return out;
}

/** Every column a bulk case write sets; the rest keep their defaults. */
export const CASE_COLUMNS: readonly Column[] = [
  ['id', 'uuid'], ['code', 'text'], ['source_unit_id', 'uuid'], ['source_ref', 'text'], ['title', 'text'], ['summary', 'text'], ['violation_type', 'text'],
  ['report_group', 'text'], ['detected_on', 'date'], ['province_code', 'text'], ['recorded_province_code', 'text'], ['ward_code', 'text'], ['border_gate', 'text'],
  ['place', 'text'], ['latitude', 'float8'], ['longitude', 'float8'], ['route', 'text'], ['force_code', 'text'], ['lead_unit_id', 'uuid'],
  ['coordinating_unit_ids', 'uuid[]'], ['handling_unit_ids', 'uuid[]'], ['sensitivity', 'text'], ['named_user_ids', 'uuid[]'], ['status', 'text'],
  ['status_changed_at', 'timestamptz'], ['penalty_decision_no', 'text'], ['penalty_decided_on', 'date'], ['fine_vnd', 'bigint'], ['confiscated_value_vnd', 'bigint'],
  ['collected_vnd', 'bigint'], ['transferred_on', 'date'], ['prosecuted_on', 'date'], ['defendants', 'int'], ['dropped_reason', 'text'], ['goods_value_vnd', 'bigint'],
  ['goods_categories', 'text[]'], ['hs_codes', 'text[]'], ['subject_keys', 'text[]'], ['search_text', 'text'], ['search_pending', 'boolean'], ['import_id', 'uuid'],
  ['created_by', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
];
export const GOODS_COLUMNS: readonly Column[] = [
  ['case_id', 'uuid'], ['line_no', 'int'], ['category', 'text'], ['hs_code', 'text'], ['description', 'text'], ['quantity', 'numeric'], ['unit', 'text'], ['value_vnd', 'bigint'], ['brand', 'text'],
];
export const SUBJECT_COLUMNS: readonly Column[] = [
  ['id', 'uuid'], ['case_id', 'uuid'], ['position', 'int'], ['kind', 'text'], ['role', 'text'], ['name', 'text'], ['id_number', 'text'], ['tax_code', 'text'],
  ['plate', 'text'], ['imo', 'text'], ['phone', 'text'], ['date_of_birth', 'date'], ['address', 'text'], ['nationality', 'text'],
];
export const HISTORY_COLUMNS: readonly Column[] = [['case_id', 'uuid'], ['from_status', 'text'], ['to_status', 'text'], ['at', 'timestamptz'], ['by_user_id', 'uuid'], ['note', 'text']];

/** Case numbers for `n` new cases, in order, from the one sequence every writer uses. */
export async function nextCaseNumbers(trx: Tx, n: number): Promise<number[]> {
  const { rows } = await sql<{ n: number }>`SELECT nextval('case_number_seq')::int AS n FROM generate_series(1, ${n}::int)`.execute(trx);
  return rows.map((r) => r.n).sort((a, b) => a - b);
}

export const caseCode = (detectedOn: string, n: number) => `VV-${detectedOn.slice(0, 4)}-${String(n).padStart(6, '0')}`;
