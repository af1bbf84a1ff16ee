import { randomUUID } from 'node:crypto';
import type { GoodsLineInput, SubjectInput } from '@cordon/contracts';
import { generateCases, type SynthCase, type SynthOptions } from '@cordon/engine';
import { findForce, getProvince } from '@cordon/reference';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { CASE_COLUMNS, caseCode, GOODS_COLUMNS, HISTORY_COLUMNS, insertRows, nextCaseNumbers, SUBJECT_COLUMNS } from '../cases/cases.bulk.js';
import { allSubjectKeys, caseSearchText, goodsFacts, provinceAsRecorded, reportGroupOf } from '../cases/cases.rules.js';
import { orgSearchText } from '../org/org.service.js';
import { withReviewDuplicates } from './demo-review.seed.js';

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
  /** Damaged copies of recurring people (no CCCD, name written differently) so the review queue has proposals; 0 = none. */
  reviewDuplicates?: number;
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
  const numbers = await nextCaseNumbers(trx, todo.length);

  const cases: Record<string, unknown>[] = [];
  const goods: Record<string, unknown>[] = [];
  const subjects: Record<string, unknown>[] = [];
  const history: Record<string, unknown>[] = [];
  todo.forEach(({ c, unitId }, k) => {
    const b = c.body;
    const o = c.outcome;
    const id = randomUUID();
    const code = caseCode(b.detectedOn, numbers[k]!);
    const g = b.goods as GoodsLineInput[];
    const s = b.subjects as SubjectInput[];
    const changedAt = o.history.at(-1)!.at;
    cases.push({
      id, code, source_unit_id: unitId, source_ref: b.sourceRef, title: b.title, summary: b.summary, violation_type: b.violationType,
      report_group: reportGroupOf(b.violationType), detected_on: b.detectedOn, province_code: provinceAsRecorded(b.provinceCode, b.detectedOn)!,
      recorded_province_code: b.provinceCode, border_gate: b.borderGate, place: b.place, route: b.route, force_code: c.force, lead_unit_id: unitId,
      coordinating_unit_ids: [], handling_unit_ids: [unitId], sensitivity: b.sensitivity, named_user_ids: [], status: o.status, status_changed_at: changedAt,
      penalty_decision_no: o.penalty?.decisionNo, penalty_decided_on: o.penalty?.decidedOn, fine_vnd: o.penalty?.fineVnd ?? 0,
      confiscated_value_vnd: o.penalty?.confiscatedValueVnd ?? 0, collected_vnd: o.penalty?.collectedVnd ?? 0, transferred_on: o.transferredOn,
      prosecuted_on: o.prosecutedOn, defendants: o.defendants, dropped_reason: o.droppedReason, ...goodsFacts(g), subject_keys: allSubjectKeys(s),
      search_text: caseSearchText({ code, title: b.title, summary: b.summary, place: b.place, borderGate: b.borderGate, sourceRef: b.sourceRef }, g, s),
      // the server's background indexer adds them to the trigram index (search finds them meanwhile)
      search_pending: true, created_at: o.history[0]!.at, updated_at: changedAt,
    });
    g.forEach((line, i) => goods.push({ case_id: id, line_no: i + 1, category: line.category, hs_code: line.hsCode, description: line.description, quantity: line.quantity, unit: line.unit, value_vnd: line.valueVnd, brand: line.brand }));
    s.forEach((x, i) => subjects.push({
      id: randomUUID(), case_id: id, position: i + 1, kind: x.kind, role: x.role, name: x.name, id_number: x.idNumber, tax_code: x.taxCode, plate: x.plate, imo: x.imo,
      phone: x.phone, date_of_birth: x.dateOfBirth, address: x.address, nationality: x.nationality?.toUpperCase(),
    }));
    for (const h of o.history) history.push({ case_id: id, from_status: h.from, to_status: h.to, at: h.at, note: h.note });
  });
  await insertRows(trx, 'cases', CASE_COLUMNS, cases);
  await insertRows(trx, 'case_goods', GOODS_COLUMNS, goods);
  await insertRows(trx, 'case_subjects', SUBJECT_COLUMNS, subjects);
  await insertRows(trx, 'case_status_history', HISTORY_COLUMNS, history);
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
  for (const c of withReviewDuplicates(generateCases(synth), options.reviewDuplicates ?? 0)) {
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
