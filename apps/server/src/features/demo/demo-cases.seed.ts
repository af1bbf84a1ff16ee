import { randomUUID } from 'node:crypto';
import type { GoodsLineInput, SubjectInput } from '@cordon/contracts';
import { generateCases, type SynthCase, type SynthOptions } from '@cordon/engine';
import { findForce, getProvince } from '@cordon/reference';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { allSubjectKeys, caseSearchText, goodsFacts, provinceAsRecorded, reportGroupOf } from '../cases/cases.rules.js';
import { orgSearchText } from '../org/org.service.js';

type Tx = Kysely<Database>;

/** Cases the server seeds on its first demo start: enough to browse, quick to load (about 1–2 s). */
export const DEMO_START_CASES = 3000;

export interface DemoCasesOptions {
  count: number;
  years?: number;
  seed?: number;
  /** Last day of the period; defaults to the clock's today. */
  until?: string;
  /** Cases per transaction (one multi-row INSERT per table per batch). */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoCasesResult {
  generated: number;
  inserted: number;
  skipped: number;
  unitsAdded: number;
  ms: number;
}

/** How a force's unit in a province is named when the seed has to create it. */
const UNIT_PREFIX: Record<string, string> = {
  CUSTOMS: 'Chi cục Hải quan khu vực', BORDER_GUARD: 'Bộ Chỉ huy Bộ đội Biên phòng', POLICE: 'Phòng Cảnh sát kinh tế, Công an',
  MARKET_SURVEILLANCE: 'Chi cục Quản lý thị trường', COAST_GUARD: 'Hải đội Cảnh sát biển', TAX: 'Thuế', FOREST_RANGERS: 'Chi cục Kiểm lâm',
  QUARANTINE: 'Trạm Kiểm dịch động thực vật', OTHER: 'Đoàn kiểm tra liên ngành',
};

/**
 * Resolves the generator's unit codes (`CUSTOMS-20`) to unit ids: an existing unit with that code, else
 * an existing unit of the same force in the same province (the demo's `CUSTOMS-LS`, so demo users own
 * cases), else a new unit under the force. Idempotent: units are found by code first.
 */
function unitResolver(clock: Clock) {
  const byCode = new Map<string, string>();
  const byForceProvince = new Map<string, string>();
  const forceIds = new Map<string, string>();
  let loaded = false;
  let added = 0;
  async function load(trx: Tx) {
    const rows = await trx.selectFrom('org_units').select(['id', 'code', 'kind', 'force_code', 'province_code']).orderBy('code').execute();
    for (const u of rows) {
      byCode.set(u.code, u.id);
      if (u.kind === 'force' && u.force_code) forceIds.set(u.force_code, u.id);
      if (u.kind === 'unit' && u.force_code && u.province_code && !byForceProvince.has(`${u.force_code}-${u.province_code}`)) byForceProvince.set(`${u.force_code}-${u.province_code}`, u.id);
    }
    loaded = true;
  }
  async function resolve(trx: Tx, c: SynthCase): Promise<string> {
    if (!loaded) await load(trx);
    const known = byCode.get(c.unitCode) ?? byForceProvince.get(`${c.force}-${c.province2025}`);
    if (known) return known;
    const province = getProvince(c.province2025);
    const force = findForce(c.force);
    const parent = forceIds.get(c.force);
    if (!force || !parent) throw new Error(`The base organisation has no force ${c.force}: seed the organisation first`);
    const where = province.fullName.replace(/^Tỉnh /, 'tỉnh ').replace(/^Thành phố /, 'thành phố ');
    const nameVi = `${UNIT_PREFIX[c.force] ?? force.nameVi} ${where}`;
    const nameEn = `${force.nameEn}, ${province.nameEn}`;
    const id = randomUUID();
    const now = clock.now();
    const r = await trx
      .insertInto('org_units')
      .values({ id, code: c.unitCode, kind: 'unit', parent_id: parent, force_code: c.force, province_code: c.province2025, name_vi: nameVi, name_en: nameEn, search_text: orgSearchText(c.unitCode, nameVi, nameEn), created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) {
      const existing = await trx.selectFrom('org_units').select('id').where('code', '=', c.unitCode).executeTakeFirstOrThrow();
      byCode.set(c.unitCode, existing.id);
      return existing.id;
    }
    added++;
    byCode.set(c.unitCode, id);
    byForceProvince.set(`${c.force}-${c.province2025}`, id);
    return id;
  }
  return { resolve, added: () => added };
}

/** A PostgreSQL array literal for text-like values: the generator's arrays travel as one text each. */
function arrayLiteral(xs: readonly string[]): string {
  return '{' + xs.map((x) => '"' + x.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"').join(',') + '}';
}

type Column = readonly [name: string, type: string];

/**
 * One multi-row INSERT: each column travels as one array parameter and `unnest` turns them back into
 * rows. Array-typed columns travel as text literals and are cast per row (unnest would flatten them).
 */
async function insertColumns(trx: Tx, table: string, columns: readonly Column[], values: unknown[][]) {
  if (!values[0]?.length) return;
  const params = columns.map(([, type], i) => (type.endsWith('[]') ? sql`${values[i]}::text[]` : sql`${values[i]}::${sql.raw(type)}[]`));
  const selects = columns.map(([name, type]) => (type.endsWith('[]') ? sql`${sql.ref(`u.${name}`)}::${sql.raw(type)}` : sql.ref(`u.${name}`)));
  await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map(([n]) => sql.ref(n)))}) SELECT ${sql.join(selects)} FROM unnest(${sql.join(params)}) AS u(${sql.join(columns.map(([n]) => sql.ref(n)))})`.execute(trx);
}

const CASE_COLUMNS: readonly Column[] = [
  ['id', 'uuid'], ['code', 'text'], ['source_unit_id', 'uuid'], ['source_ref', 'text'], ['title', 'text'], ['summary', 'text'], ['violation_type', 'text'],
  ['report_group', 'text'], ['detected_on', 'date'], ['province_code', 'text'], ['recorded_province_code', 'text'], ['border_gate', 'text'], ['place', 'text'],
  ['route', 'text'], ['force_code', 'text'], ['lead_unit_id', 'uuid'], ['handling_unit_ids', 'uuid[]'], ['sensitivity', 'text'], ['status', 'text'],
  ['status_changed_at', 'timestamptz'], ['penalty_decision_no', 'text'], ['penalty_decided_on', 'date'], ['fine_vnd', 'bigint'], ['confiscated_value_vnd', 'bigint'],
  ['collected_vnd', 'bigint'], ['transferred_on', 'date'], ['prosecuted_on', 'date'], ['defendants', 'int'], ['dropped_reason', 'text'], ['goods_value_vnd', 'bigint'],
  ['goods_categories', 'text[]'], ['hs_codes', 'text[]'], ['subject_keys', 'text[]'], ['search_text', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
];
const GOODS_COLUMNS: readonly Column[] = [
  ['case_id', 'uuid'], ['line_no', 'int'], ['category', 'text'], ['hs_code', 'text'], ['description', 'text'], ['quantity', 'numeric'], ['unit', 'text'], ['value_vnd', 'bigint'], ['brand', 'text'],
];
const SUBJECT_COLUMNS: readonly Column[] = [
  ['id', 'uuid'], ['case_id', 'uuid'], ['position', 'int'], ['kind', 'text'], ['role', 'text'], ['name', 'text'], ['id_number', 'text'], ['tax_code', 'text'],
  ['plate', 'text'], ['phone', 'text'], ['date_of_birth', 'date'], ['address', 'text'], ['nationality', 'text'],
];
const HISTORY_COLUMNS: readonly Column[] = [['case_id', 'uuid'], ['from_status', 'text'], ['to_status', 'text'], ['at', 'timestamptz'], ['note', 'text']];

const columnsOf = (cols: readonly Column[]) => cols.map(() => [] as unknown[]);

/**
 * Writes one batch in one transaction, with the derived columns computed exactly as
 * `cases.service.insertPrepared` computes them (same rules, same case-number sequence). Cases whose
 * source reference the unit already has are skipped, so a rerun (or a resumed crash) adds only what is missing.
 */
async function writeBatch(trx: Tx, batch: SynthCase[], units: ReturnType<typeof unitResolver>): Promise<number> {
  const unitIds: string[] = [];
  for (const c of batch) unitIds.push(await units.resolve(trx, c));
  const existing = await sql<{ source_unit_id: string; source_ref: string }>`SELECT source_unit_id, source_ref FROM cases WHERE source_ref = ANY(${batch.map((c) => c.body.sourceRef)}::text[])`.execute(trx);
  const seen = new Set(existing.rows.map((r) => `${r.source_unit_id} ${r.source_ref}`));
  const todo = batch.map((c, i) => ({ c, unitId: unitIds[i]! })).filter(({ c, unitId }) => !seen.has(`${unitId} ${c.body.sourceRef}`));
  if (!todo.length) return 0;
  const numbers = await sql<{ n: number }>`SELECT nextval('case_number_seq')::int AS n FROM generate_series(1, ${todo.length}::int)`.execute(trx);

  const cases = columnsOf(CASE_COLUMNS);
  const goods = columnsOf(GOODS_COLUMNS);
  const subjects = columnsOf(SUBJECT_COLUMNS);
  const history = columnsOf(HISTORY_COLUMNS);
  const push = (cols: unknown[][], row: unknown[]) => row.forEach((v, i) => cols[i]!.push(v));

  todo.forEach(({ c, unitId }, k) => {
    const b = c.body;
    const o = c.outcome;
    const id = randomUUID();
    const code = `VV-${b.detectedOn.slice(0, 4)}-${String(numbers.rows[k]!.n).padStart(6, '0')}`;
    const g = b.goods as GoodsLineInput[];
    const s = b.subjects as SubjectInput[];
    const facts = goodsFacts(g);
    const search = caseSearchText({ code, title: b.title, summary: b.summary, place: b.place, borderGate: b.borderGate, sourceRef: b.sourceRef }, g, s);
    const createdAt = o.history[0]!.at;
    const changedAt = o.history.at(-1)!.at;
    push(cases, [
      id, code, unitId, b.sourceRef, b.title, b.summary, b.violationType, reportGroupOf(b.violationType), b.detectedOn, provinceAsRecorded(b.provinceCode, b.detectedOn)!,
      b.provinceCode, b.borderGate, b.place, b.route, c.force, unitId, arrayLiteral([unitId]), b.sensitivity, o.status, changedAt,
      o.penalty?.decisionNo ?? null, o.penalty?.decidedOn ?? null, o.penalty?.fineVnd ?? 0, o.penalty?.confiscatedValueVnd ?? 0, o.penalty?.collectedVnd ?? 0,
      o.transferredOn, o.prosecutedOn, o.defendants, o.droppedReason, facts.goods_value_vnd, arrayLiteral(facts.goods_categories), arrayLiteral(facts.hs_codes),
      arrayLiteral(allSubjectKeys(s)), search, createdAt, changedAt,
    ]);
    g.forEach((line, i) => push(goods, [id, i + 1, line.category, line.hsCode ?? null, line.description, line.quantity ?? null, line.unit ?? null, line.valueVnd ?? null, line.brand ?? null]));
    s.forEach((x, i) => push(subjects, [randomUUID(), id, i + 1, x.kind, x.role, x.name, x.idNumber ?? null, x.taxCode ?? null, x.plate ?? null, x.phone ?? null, x.dateOfBirth ?? null, x.address ?? null, x.nationality?.toUpperCase() ?? null]));
    for (const h of o.history) push(history, [id, h.from, h.to, h.at, h.note]);
  });
  await insertColumns(trx, 'cases', CASE_COLUMNS, cases);
  await insertColumns(trx, 'case_goods', GOODS_COLUMNS, goods);
  await insertColumns(trx, 'case_subjects', SUBJECT_COLUMNS, subjects);
  await insertColumns(trx, 'case_status_history', HISTORY_COLUMNS, history);
  return todo.length;
}

/**
 * Loads `count` generated demo cases (see `generateCases`), batch by batch, each batch in its own
 * transaction, and records one audit event for the run. The base organisation must exist.
 */
export async function seedDemoCases(db: Db, audit: AuditService, clock: Clock, options: DemoCasesOptions): Promise<DemoCasesResult> {
  const started = performance.now();
  const synth: SynthOptions = { count: options.count, years: options.years ?? 3, seed: options.seed ?? 389, until: options.until ?? clock.now().toISOString().slice(0, 10) };
  const batchSize = options.batchSize ?? 1000;
  const units = unitResolver(clock);
  let generated = 0;
  let inserted = 0;
  let batch: SynthCase[] = [];
  const flush = async () => {
    const b = batch;
    batch = [];
    inserted += await db.kysely.transaction().execute((trx) => writeBatch(trx, b, units));
    options.onProgress?.(generated, options.count);
  };
  for (const c of generateCases(synth)) {
    generated++;
    batch.push(c);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length) await flush();
  const result = { generated, inserted, skipped: generated - inserted, unitsAdded: units.added(), ms: Math.round(performance.now() - started) };
  if (inserted || result.unitsAdded) {
    await audit.record({ action: 'seed.demo_cases', detail: { ...synth, inserted, skipped: result.skipped, unitsAdded: result.unitsAdded } });
  }
  return result;
}
