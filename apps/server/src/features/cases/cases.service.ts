import { randomUUID } from 'node:crypto';
import type {
  CaseCollection, CaseDetail, CaseQuery, CollectionBody, CaseStatus, CaseSummary, CreateCaseBody, FieldIssue, GoodsLineInput, SubjectInput, TransitionBody, UpdateCaseBody,
} from '@cordon/contracts';
import { candidateKeys, checkTransition, decideAccess, TRANSITIONS, type AccessDecision, type CaseStatus as EngineStatus } from '@cordon/engine';
import { foldVietnamese } from '@cordon/reference';
import { sql, type Database, type Db, type Kysely, type RawBuilder, type Selectable, type CasesTable } from '@cordon/db';
import { AppError, forbidden, notFound, staleVersion } from '../../errors.js';
import { vietnamToday, type Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { AccessService } from '../access/access.service.js';
import { visibleRowsCondition } from '../access/access.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { allSubjectKeys, caseSearchText, checkCaseCodes, goodsFacts, provinceAsRecorded, reportGroupOf } from './cases.rules.js';
import { applyPlan, chooseSearch, isIndexedWord, loadKeyCounts, loadTrigramCounts, wordKeys, type FilterIndex, type SearchPlan } from './search-plan.js';

type Tx = Kysely<Database>;
/** Forcing a text search's plan (tests compare the plans' rows; the bench's `--no-words`): see `planPage`. */
interface PlanOptions { plan?: SearchPlan; split?: boolean; andFilters?: FilterIndex | false; wordIndex?: boolean }
type CaseRow = Selectable<CasesTable>;
type UnitSummary = CaseSummary['sourceUnit'];
/** What `addCollected` lists and audits (every key goes to the audit entry's detail as it is). */
export interface CollectedDetail { source?: string; collectedOn?: string; note?: string | null; itemId?: string; eventId?: string; [key: string]: unknown }

/** Roles that record and edit cases. Viewers and auditors read; triage and risk work elsewhere. */
export const CASE_WRITER_ROLES = ['officer', 'provincial_coordinator', 'analyst', 'admin'] as const;
export const RECORD_TYPE = 'case';

const iso = (d: Date | string) => new Date(d).toISOString();
/** The words of a text search, folded like the stored text; a case matches when its text contains each. */
const searchWords = (q: string) => foldVietnamese(q).split(' ').filter((w) => w.length > 0);

export interface PreparedCase {
  row: Omit<CaseRow, 'created_at' | 'updated_at' | 'code' | 'version'> & { code?: string };
  goods: GoodsLineInput[];
  subjects: SubjectInput[];
}

/** `afterCreate` runs in the creating transaction (joint-case proposals hook in here). */
/**
 * The row of a new case, with every derived column (report group, 2025 province, goods facts, subject
 * keys) computed by cases.rules.ts. The one place a case row is built: forms and imports both use it.
 */
export function newCaseRow(
  p: Pick<Principal, 'unitId' | 'userId'>,
  body: CreateCaseBody,
  x: { leadUnitId: string; coordinating: string[]; named: string[]; forceCode: string | null; now: Date },
): PreparedCase['row'] {
  return {
    id: randomUUID(),
    source_unit_id: p.unitId,
    source_ref: body.sourceRef ?? null,
    title: body.title,
    summary: body.summary,
    violation_type: body.violationType,
    report_group: reportGroupOf(body.violationType),
    detected_on: body.detectedOn,
    province_code: provinceAsRecorded(body.provinceCode, body.detectedOn)!,
    recorded_province_code: body.provinceCode,
    ward_code: body.wardCode ?? null,
    border_gate: body.borderGate ?? null,
    place: body.place ?? null,
    latitude: body.latitude ?? null,
    longitude: body.longitude ?? null,
    route: body.route ?? null,
    force_code: x.forceCode,
    lead_unit_id: x.leadUnitId,
    coordinating_unit_ids: x.coordinating,
    handling_unit_ids: [...new Set([p.unitId, x.leadUnitId, ...x.coordinating])],
    sensitivity: body.sensitivity,
    named_user_ids: x.named,
    status: 'detected',
    status_changed_at: x.now,
    penalty_decision_no: null,
    penalty_decided_on: null,
    fine_vnd: 0,
    confiscated_value_vnd: 0,
    collected_vnd: 0,
    transferred_on: null,
    prosecuted_on: null,
    defendants: 0,
    dropped_reason: null,
    ...goodsFacts(body.goods),
    subject_keys: allSubjectKeys(body.subjects),
    search_text: '',
    search_pending: false,
    joint_group_id: null,
    counts_in_statistics: true,
    import_id: null,
    created_by: p.userId,
  };
}

export function createCasesService({ db, clock, audit, access, afterCreate, afterSubjectsChange }: {
  db: Db; clock: Clock; audit: AuditService; access: AccessService; afterCreate?: (trx: Tx, caseId: string) => Promise<unknown>;
  /** Runs in the transaction of an edit that replaced the case's subjects, with the subject keys it had before (watchlist alerts for new identifiers). */
  afterSubjectsChange?: (trx: Tx, caseId: string, previousKeys: string[]) => Promise<unknown>;
}) {
  const canWrite = (p: Principal) => p.roles.some((r) => (CASE_WRITER_ROLES as readonly string[]).includes(r));

  async function unitsById(ids: readonly string[], trx: Tx = db.kysely): Promise<Map<string, UnitSummary & { active: boolean }>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await trx.selectFrom('org_units').select(['id', 'code', 'name_vi', 'name_en', 'force_code', 'active']).where('id', 'in', unique).execute();
    return new Map(rows.map((u) => [u.id, { id: u.id, code: u.code, nameVi: u.name_vi, nameEn: u.name_en, forceCode: u.force_code, active: u.active }]));
  }

  /**
   * Validates a new case for the recording user and builds its row. Collects every problem before
   * throwing, so a form or an import row reports them all.
   */
  async function prepare(p: Principal, body: CreateCaseBody, trx: Tx = db.kysely, issuesPrefix = ''): Promise<PreparedCase> {
    const issues: FieldIssue[] = checkCaseCodes(body, issuesPrefix);
    const leadUnitId = body.leadUnitId ?? p.unitId;
    const coordinating = [...new Set(body.coordinatingUnitIds)].filter((u) => u !== leadUnitId);
    const units = await unitsById([p.unitId, leadUnitId, ...coordinating], trx);
    if (!units.get(leadUnitId)?.active) issues.push({ field: issuesPrefix + 'leadUnitId', reason: 'invalid_value', message: 'no such active unit' });
    coordinating.forEach((u, i) => {
      if (!units.get(u)?.active) issues.push({ field: `${issuesPrefix}coordinatingUnitIds.${i}`, reason: 'invalid_value', message: 'no such active unit' });
    });
    if (body.sensitivity === 'secret' && body.namedUserIds.length === 0) {
      issues.push({ field: issuesPrefix + 'namedUserIds', reason: 'required', message: 'a secret case must name who may open it' });
    }
    if (body.namedUserIds.length) {
      const found = await trx.selectFrom('users').select('id').where('id', 'in', body.namedUserIds).execute();
      if (found.length !== new Set(body.namedUserIds).size) issues.push({ field: issuesPrefix + 'namedUserIds', reason: 'invalid_value', message: 'names a user who does not exist' });
    }
    if (body.detectedOn > vietnamToday(clock)) {
      issues.push({ field: issuesPrefix + 'detectedOn', reason: 'invalid_value', message: 'is in the future' });
    }
    if (issues.length) throw new AppError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);

    // The recorder is named on a secret case, so they never lose it.
    const named = body.sensitivity === 'secret' ? [...new Set([p.userId, ...body.namedUserIds])] : [...new Set(body.namedUserIds)];
    return {
      goods: body.goods,
      subjects: body.subjects,
      row: newCaseRow(p, body, { leadUnitId, coordinating, named, forceCode: units.get(p.unitId)?.forceCode ?? null, now: clock.now() }),
    };
  }

  async function nextCode(trx: Tx, detectedOn: string): Promise<string> {
    const { rows } = await sql<{ n: number }>`SELECT nextval('case_number_seq')::int AS n`.execute(trx);
    return `VV-${detectedOn.slice(0, 4)}-${String(rows[0]!.n).padStart(6, '0')}`;
  }

  async function writeChildren(trx: Tx, caseId: string, goods: GoodsLineInput[], subjects: SubjectInput[]) {
    if (goods.length) {
      await trx
        .insertInto('case_goods')
        .values(goods.map((g, i) => ({
          case_id: caseId, line_no: i + 1, category: g.category, hs_code: g.hsCode ?? null, description: g.description,
          quantity: g.quantity ?? null, unit: g.unit ?? null, value_vnd: g.valueVnd ?? null, brand: g.brand ?? null,
        })))
        .execute();
    }
    if (subjects.length) {
      await trx
        .insertInto('case_subjects')
        .values(subjects.map((s, i) => ({
          id: randomUUID(), case_id: caseId, position: i + 1, kind: s.kind, role: s.role, name: s.name, id_number: s.idNumber ?? null,
          tax_code: s.taxCode ?? null, plate: s.plate ?? null, imo: s.imo ?? null, phone: s.phone ?? null,
          date_of_birth: s.dateOfBirth ?? null, address: s.address ?? null, nationality: s.nationality?.toUpperCase() ?? null,
        })))
        .execute();
    }
  }

  /**
   * Inserts a prepared case in the caller's transaction. With a source reference already used by the
   * same unit, inserts nothing and returns the existing case's id (imports rerun without duplicates).
   */
  async function insertPrepared(trx: Tx, p: Principal, prepared: PreparedCase, opts: { importId?: string; requestId?: string } = {}) {
    const { row } = prepared;
    if (row.source_ref) {
      const existing = await trx.selectFrom('cases').select('id').where('source_unit_id', '=', row.source_unit_id).where('source_ref', '=', row.source_ref).executeTakeFirst();
      if (existing) return { id: existing.id, created: false };
    }
    const code = await nextCode(trx, row.detected_on);
    const search = caseSearchText({ code, title: row.title, summary: row.summary, place: row.place, borderGate: row.border_gate, sourceRef: row.source_ref }, prepared.goods, prepared.subjects);
    const now = clock.now();
    await trx.insertInto('cases').values({ ...row, code, search_text: search, import_id: opts.importId ?? null, created_at: now, updated_at: now }).execute();
    await writeChildren(trx, row.id, prepared.goods, prepared.subjects);
    await trx.insertInto('case_status_history').values({ case_id: row.id, from_status: null, to_status: 'detected', at: now, by_user_id: p.userId, note: null }).execute();
    await audit.record({ action: 'case.create', actor: actorOf(p), entityType: RECORD_TYPE, entityId: row.id, detail: { code, sensitivity: row.sensitivity, ...(opts.importId ? { importId: opts.importId } : {}) }, requestId: opts.requestId }, trx);
    if (afterCreate) await afterCreate(trx, row.id);
    return { id: row.id, created: true };
  }

  async function create(p: Principal, body: CreateCaseBody, requestId?: string): Promise<CaseDetail> {
    if (!canWrite(p)) throw forbidden('Recording cases needs the officer, provincial coordinator, analyst or admin role');
    const id = await db.kysely.transaction().execute(async (trx) => {
      const prepared = await prepare(p, body, trx);
      const r = await insertPrepared(trx, p, prepared, { requestId });
      if (!r.created) throw new AppError('CONFLICT', `Your unit already recorded a case with reference "${body.sourceRef}"`, [{ field: 'sourceRef', reason: 'not_unique', message: 'is already used by a case of your unit' }]);
      return r.id;
    });
    return get(p, id, requestId, { audited: true });
  }

  function factsOf(r: Pick<CaseRow, 'sensitivity' | 'handling_unit_ids' | 'named_user_ids'>) {
    return { sensitivity: r.sensitivity as 'internal' | 'restricted' | 'secret', handlingUnitIds: r.handling_unit_ids, namedUserIds: r.named_user_ids };
  }

  async function loadRow(id: string, trx: Tx = db.kysely): Promise<CaseRow> {
    const r = await trx.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Case');
    return r;
  }

  function toSummary(r: CaseRow, units: Map<string, UnitSummary>, level: 'summary' | 'full'): CaseSummary {
    const unit = (id: string): UnitSummary => {
      const u = units.get(id);
      return u ? { id: u.id, code: u.code, nameVi: u.nameVi, nameEn: u.nameEn, forceCode: u.forceCode } : { id, code: '?', nameVi: '?', nameEn: '?', forceCode: null };
    };
    return {
      id: r.id,
      code: r.code,
      title: r.title,
      violationType: r.violation_type,
      reportGroup: r.report_group,
      detectedOn: r.detected_on,
      provinceCode: r.province_code,
      recordedProvinceCode: r.recorded_province_code,
      route: r.route,
      status: r.status as CaseStatus,
      sensitivity: r.sensitivity as CaseSummary['sensitivity'],
      sourceUnit: unit(r.source_unit_id),
      leadUnit: unit(r.lead_unit_id),
      goodsCategories: r.goods_categories,
      goodsValueVnd: r.goods_value_vnd,
      jointGroupId: r.joint_group_id,
      countsInStatistics: r.counts_in_statistics,
      access: level,
      version: r.version,
      updatedAt: iso(r.updated_at),
    };
  }

  /**
   * The amounts collected, newest first (collected_on, then the order recorded). Amounts recorded before
   * migration 0029 with the penalty step (or by the demo seed) have no row: when the rows sum to less
   * than collected_vnd on a case with a penalty decision, the remainder is listed as the decision's,
   * dated by the decision, by whoever moved the case to "penalized" (null when no one did).
   */
  function collectionsOf(
    r: CaseRow,
    rows: { amount_vnd: number; collected_on: string; source: CaseCollection['source']; note: string | null; custody_item_id: string | null; at: Date | string; username: string | null; display_name: string | null }[],
    history: { to_status: string; at: Date | string; username: string | null; display_name: string | null }[],
  ): CaseCollection[] {
    const listed: CaseCollection[] = rows.map((c) => ({ amountVnd: c.amount_vnd, collectedOn: c.collected_on, source: c.source, note: c.note, custodyItemId: c.custody_item_id, byUsername: c.username, byName: c.display_name, at: iso(c.at) }));
    const rest = r.collected_vnd - listed.reduce((sum, c) => sum + c.amountVnd, 0);
    if (rest <= 0 || !r.penalty_decided_on) return listed;
    const step = history.findLast((h) => h.to_status === 'penalized');
    const decided: CaseCollection = { amountVnd: rest, collectedOn: r.penalty_decided_on, source: 'decision', note: null, custodyItemId: null, byUsername: step?.username ?? null, byName: step?.display_name ?? null, at: null };
    const at = listed.findIndex((c) => c.collectedOn < decided.collectedOn);
    return at < 0 ? [...listed, decided] : [...listed.slice(0, at), decided, ...listed.slice(at)];
  }

  /** One case as this user may see it: the summary of another force's internal case, or everything. */
  async function get(p: Principal, id: string, requestId?: string, opts: { audited?: boolean } = {}): Promise<CaseDetail> {
    const r = await loadRow(id);
    const decision: AccessDecision = opts.audited ? decideAccess(p, { ...factsOf(r), ...(await access.sharesOf(RECORD_TYPE, id)) }) : await access.checkRead(p, { type: RECORD_TYPE, id, facts: factsOf(r) }, requestId);
    const units = await unitsById([r.source_unit_id, r.lead_unit_id, ...r.coordinating_unit_ids]);
    const summary = toSummary(r, units, decision.level === 'full' ? 'full' : 'summary');
    const base = { ...summary, mayEdit: false, coordinatingUnits: r.coordinating_unit_ids.map((u) => units.get(u)!).filter(Boolean).map(({ id: uid, code, nameVi, nameEn, forceCode }) => ({ id: uid, code, nameVi, nameEn, forceCode })), allowedTransitions: [] as CaseStatus[], createdAt: iso(r.created_at) };
    if (decision.level !== 'full') return base;
    const [goods, subjects, history, ward, collections] = await Promise.all([
      db.kysely.selectFrom('case_goods').selectAll().where('case_id', '=', id).orderBy('line_no').execute(),
      db.kysely
        .selectFrom('case_subjects as cs')
        .leftJoin('subject_members as m', 'm.case_subject_id', 'cs.id')
        .leftJoin('subjects as sj', 'sj.id', 'm.subject_id')
        .selectAll('cs')
        .select(sql<string | null>`coalesce(sj.merged_into, sj.id)`.as('subject_id'))
        .where('cs.case_id', '=', id)
        .orderBy('cs.position')
        .execute(),
      db.kysely.selectFrom('case_status_history').leftJoin('users', 'users.id', 'case_status_history.by_user_id').select(['from_status', 'to_status', 'at', 'note', 'users.username', 'users.display_name']).where('case_id', '=', id).orderBy('case_status_history.id').execute(),
      r.ward_code ? db.kysely.selectFrom('ref_wards').select('name').where('code', '=', r.ward_code).executeTakeFirst() : undefined,
      db.kysely
        .selectFrom('case_collections as cc')
        .leftJoin('users', 'users.id', 'cc.by_user_id')
        .select(['cc.amount_vnd', 'cc.collected_on', 'cc.source', 'cc.note', 'cc.custody_item_id', 'cc.at', 'users.username', 'users.display_name'])
        .where('cc.case_id', '=', id)
        .orderBy('cc.collected_on', 'desc')
        .orderBy('cc.id', 'desc')
        .execute(),
    ]);
    const mayEdit = canWrite(p) && r.handling_unit_ids.some((u) => p.unitIds.includes(u));
    return {
      ...base,
      mayEdit,
      allowedTransitions: mayEdit ? ([...TRANSITIONS[r.status as EngineStatus]] as CaseStatus[]) : [],
      summary: r.summary,
      sourceRef: r.source_ref,
      wardCode: r.ward_code,
      wardName: ward?.name ?? null,
      borderGate: r.border_gate,
      place: r.place,
      latitude: r.latitude,
      longitude: r.longitude,
      namedUserIds: r.named_user_ids,
      goods: goods.map((g) => ({ lineNo: g.line_no, category: g.category, hsCode: g.hs_code, description: g.description, quantity: g.quantity === null ? null : Number(g.quantity), unit: g.unit, valueVnd: g.value_vnd, brand: g.brand })),
      subjects: subjects.map((s) => ({ id: s.id, subjectId: s.subject_id, kind: s.kind as SubjectInput['kind'], role: s.role as SubjectInput['role'], name: s.name, idNumber: s.id_number, taxCode: s.tax_code, plate: s.plate, imo: s.imo, phone: s.phone, dateOfBirth: s.date_of_birth, address: s.address, nationality: s.nationality })),
      outcome: {
        penaltyDecisionNo: r.penalty_decision_no, penaltyDecidedOn: r.penalty_decided_on, fineVnd: r.fine_vnd, confiscatedValueVnd: r.confiscated_value_vnd,
        collectedVnd: r.collected_vnd, transferredOn: r.transferred_on, prosecutedOn: r.prosecuted_on, defendants: r.defendants, droppedReason: r.dropped_reason,
        collections: collectionsOf(r, collections, history),
      },
      history: history.map((h) => ({ from: h.from_status as CaseStatus | null, to: h.to_status as CaseStatus, at: iso(h.at), byUsername: h.username, byName: h.display_name, note: h.note })),
    };
  }

  /** Only users of a handling unit with a writing role change a case; shares give reading, not editing. */
  function assertMayEdit(p: Principal, r: CaseRow) {
    if (!canWrite(p)) throw forbidden('Editing cases needs the officer, provincial coordinator, analyst or admin role');
    const decision = decideAccess(p, { ...factsOf(r), sharedUnitIds: [], sharedUserIds: [] });
    if (decision.level !== 'full' || !r.handling_unit_ids.some((u) => p.unitIds.includes(u))) {
      throw forbidden('Only the recording, lead and coordinating units edit a case');
    }
  }

  /**
   * The case locked for a change (edit, workflow step, payment): 404 when the user may not see it, 403
   * unless they edit it, 409 when they read another version.
   */
  async function lockForEdit(trx: Tx, p: Principal, id: string, version: number): Promise<CaseRow> {
    const cur = await trx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!cur || decideAccess(p, { ...factsOf(cur), ...(await access.sharesOf(RECORD_TYPE, id, trx)) }).level === 'none') throw notFound('Case');
    assertMayEdit(p, cur);
    if (cur.version !== version) throw staleVersion('This case');
    return cur;
  }

  async function update(p: Principal, id: string, body: UpdateCaseBody, requestId?: string): Promise<CaseDetail> {
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await lockForEdit(trx, p, id, body.version);
      const goods = body.goods ?? (await trx.selectFrom('case_goods').selectAll().where('case_id', '=', id).orderBy('line_no').execute()).map((g) => ({ category: g.category, hsCode: g.hs_code, description: g.description, quantity: g.quantity === null ? null : Number(g.quantity), unit: g.unit, valueVnd: g.value_vnd, brand: g.brand }));
      const subjects = body.subjects ?? (await trx.selectFrom('case_subjects').selectAll().where('case_id', '=', id).orderBy('position').execute()).map((s) => ({ kind: s.kind as SubjectInput['kind'], role: s.role as SubjectInput['role'], name: s.name, idNumber: s.id_number, taxCode: s.tax_code, plate: s.plate, imo: s.imo, phone: s.phone, dateOfBirth: s.date_of_birth, address: s.address, nationality: s.nationality }));
      const merged: CreateCaseBody = {
        title: body.title ?? cur.title,
        summary: body.summary ?? cur.summary,
        violationType: body.violationType ?? cur.violation_type,
        detectedOn: body.detectedOn ?? cur.detected_on,
        provinceCode: body.provinceCode ?? cur.recorded_province_code,
        wardCode: body.wardCode === undefined ? cur.ward_code : body.wardCode,
        borderGate: body.borderGate === undefined ? cur.border_gate : body.borderGate,
        place: body.place === undefined ? cur.place : body.place,
        latitude: body.latitude === undefined ? cur.latitude : body.latitude,
        longitude: body.longitude === undefined ? cur.longitude : body.longitude,
        route: body.route === undefined ? cur.route : body.route,
        leadUnitId: body.leadUnitId ?? cur.lead_unit_id,
        coordinatingUnitIds: body.coordinatingUnitIds ?? cur.coordinating_unit_ids,
        sensitivity: body.sensitivity ?? (cur.sensitivity as CreateCaseBody['sensitivity']),
        namedUserIds: body.namedUserIds ?? cur.named_user_ids,
        goods,
        subjects,
        sourceRef: cur.source_ref,
      };
      // Validate as if recorded by the original unit, so the source unit stays the source.
      const prepared = await prepare({ ...p, unitId: cur.source_unit_id }, merged, trx);
      const { id: _newId, source_unit_id: _s, source_ref: _r, status: _st, status_changed_at: _sc, penalty_decision_no: _a, penalty_decided_on: _b, fine_vnd: _c,
        confiscated_value_vnd: _d, collected_vnd: _e, transferred_on: _f, prosecuted_on: _g, defendants: _h, dropped_reason: _i, joint_group_id: _j,
        counts_in_statistics: _k, import_id: _l, created_by: _m, ...changes } = prepared.row;
      await trx
        .updateTable('cases')
        .set({
          ...changes,
          // the recorder's unit always keeps the case; the lead and coordinators may change
          handling_unit_ids: [...new Set([cur.source_unit_id, ...changes.handling_unit_ids])],
          search_text: caseSearchText({ code: cur.code, title: merged.title, summary: merged.summary, place: merged.place, borderGate: merged.borderGate, sourceRef: cur.source_ref }, goods, subjects),
          version: cur.version + 1,
          updated_at: clock.now(),
        })
        .where('id', '=', id)
        .execute();
      if (body.goods) await trx.deleteFrom('case_goods').where('case_id', '=', id).execute();
      if (body.subjects) await trx.deleteFrom('case_subjects').where('case_id', '=', id).execute();
      await writeChildren(trx, id, body.goods ?? [], body.subjects ?? []);
      if (body.subjects && afterSubjectsChange) await afterSubjectsChange(trx, id, cur.subject_keys);
      const { version: _v, ...fields } = body;
      await audit.record({ action: 'case.update', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { fields: Object.keys(fields) }, requestId }, trx);
    });
    return get(p, id, requestId, { audited: true });
  }

  async function transition(p: Principal, id: string, body: TransitionBody, requestId?: string): Promise<CaseDetail> {
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await lockForEdit(trx, p, id, body.version);
      const problems = checkTransition(cur.status as EngineStatus, body.to, body, cur.detected_on);
      if (problems.length) {
        const code = problems[0]!.reason === 'invalid_transition' ? 'CONFLICT' : 'INVALID_INPUT';
        throw new AppError(code, problems.map((x) => `${x.field}: ${x.message}`).join('; '), problems);
      }
      const now = clock.now();
      await trx
        .updateTable('cases')
        .set({
          status: body.to,
          status_changed_at: now,
          ...(body.penalty ? { penalty_decision_no: body.penalty.decisionNo, penalty_decided_on: body.penalty.decidedOn, fine_vnd: body.penalty.fineVnd, confiscated_value_vnd: body.penalty.confiscatedValueVnd,
            // added, not set: auction proceeds of seized goods (custody) may already be in it
            collected_vnd: sql<number>`collected_vnd + ${body.penalty.collectedVnd}` } : {}),
          ...(body.to === 'transferred' ? { transferred_on: body.transferredOn! } : {}),
          ...(body.prosecution ? { prosecuted_on: body.prosecution.prosecutedOn, defendants: body.prosecution.defendants } : {}),
          ...(body.to === 'dropped' ? { dropped_reason: body.reason! } : {}),
          version: cur.version + 1,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await trx.insertInto('case_status_history').values({ case_id: id, from_status: cur.status, to_status: body.to, at: now, by_user_id: p.userId, note: body.note ?? body.reason ?? null }).execute();
      if (body.penalty && body.penalty.collectedVnd > 0) {
        await trx.insertInto('case_collections').values({ case_id: id, amount_vnd: body.penalty.collectedVnd, collected_on: body.penalty.decidedOn, source: 'decision', note: null, custody_item_id: null, by_user_id: p.userId, at: now }).execute();
      }
      await audit.record({ action: 'case.transition', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { from: cur.status, to: body.to }, requestId }, trx);
    });
    return get(p, id, requestId, { audited: true });
  }

  /**
   * Records money paid to the state budget after a penalty decision (a fine paid late or in parts): added
   * to the amount collected (the report sums follow through the case's update trigger), audited as
   * `case.collect` with source 'payment'; the version moves on. Only a case with a penalty decision.
   */
  async function recordCollection(p: Principal, id: string, body: CollectionBody, requestId?: string): Promise<CaseDetail> {
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await lockForEdit(trx, p, id, body.version);
      if (!cur.penalty_decision_no || cur.status === 'dropped') {
        throw new AppError('CONFLICT', 'amountVnd: only a case with an administrative penalty decision collects money to the budget', [
          { field: 'amountVnd', reason: 'invalid_transition', message: 'the case has no administrative penalty decision' },
        ]);
      }
      const decided = cur.penalty_decided_on;
      if (body.collectedOn > vietnamToday(clock)) {
        throw new AppError('INVALID_INPUT', 'collectedOn: is in the future', [{ field: 'collectedOn', reason: 'invalid_value', message: 'is in the future' }]);
      }
      if (decided && body.collectedOn < decided) {
        throw new AppError('INVALID_INPUT', `collectedOn: is before the penalty decision of ${decided}`, [{ field: 'collectedOn', reason: 'invalid_value', message: `is before the penalty decision of ${decided}` }]);
      }
      await addCollected(trx, p, id, body.amountVnd, { source: 'payment', collectedOn: body.collectedOn, note: body.note ?? null }, requestId);
    });
    return get(p, id, requestId, { audited: true });
  }

  /**
   * Adds an amount to the case's amount collected and lists it (case_collections), in the caller's
   * transaction so it commits with what caused it (a custody auction's event), audited; the case's version
   * moves on. `detail.source` 'payment' (with `collectedOn` and `note`) is a payment after the decision;
   * anything else is disposal proceeds (custody passes 'custody.auction' with `itemId` and `eventId`: the
   * row names the item and is dated by the event's day in Vietnam, else by today).
   */
  async function addCollected(trx: Tx, p: Principal, id: string, amountVnd: number, detail: CollectedDetail, requestId?: string): Promise<number> {
    const now = clock.now();
    const r = await trx
      .updateTable('cases')
      .set({ collected_vnd: sql<number>`collected_vnd + ${amountVnd}`, version: sql<number>`version + 1`, updated_at: now })
      .where('id', '=', id)
      .returning(['collected_vnd'])
      .executeTakeFirst();
    if (!r) throw notFound('Case');
    const payment = detail.source === 'payment';
    const event = !payment && detail.eventId ? await trx.selectFrom('custody_events').select('at').where('id', '=', detail.eventId).executeTakeFirst() : undefined;
    await trx.insertInto('case_collections').values({
      case_id: id,
      amount_vnd: amountVnd,
      collected_on: detail.collectedOn ?? vietnamToday({ now: () => (event ? new Date(event.at) : now) }),
      source: payment ? 'payment' : 'auction',
      note: detail.note ?? null,
      custody_item_id: payment ? null : (detail.itemId ?? null),
      by_user_id: p.userId,
      at: now,
    }).execute();
    await audit.record({ action: 'case.collect', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { amountVnd, collectedVnd: r.collected_vnd, ...detail }, requestId }, trx);
    return r.collected_vnd;
  }

  /**
   * The search: only rows the user may see, newest detection first, keyset-paged. `words`: state the
   * text condition through the word index too (migration 0023, search-plan.ts `wordsQuery`): the same
   * rows (it is implied by the LIKE tests, which stay), a different way in.
   */
  function searchQuery(p: Principal, q: Omit<CaseQuery, 'cursor' | 'limit'>, opts: { pending?: boolean; split?: boolean; words?: boolean; andFilters?: FilterIndex | false } = {}) {
    let query = db.kysely.selectFrom('cases as c').selectAll('c').where(visibleRowsCondition(p, { alias: 'c', recordType: RECORD_TYPE, handlingUnits: 'c.handling_unit_ids', namedUsers: 'c.named_user_ids' }));
    // Among visible rows, those seen in full: every restricted or secret one, and internal ones of a
    // handling unit or shared. Filters on fields outside the summary (summary, place, goods, subjects)
    // match only these, so a search cannot probe a case the user sees only in summary.
    const units = sql`${sql.val(p.unitIds)}::uuid[]`;
    const full = sql<boolean>`(c.sensitivity <> 'internal' OR c.handling_unit_ids && ${units} OR EXISTS (SELECT 1 FROM record_shares s
      WHERE s.record_type = ${RECORD_TYPE} AND s.record_id = c.id AND s.revoked_at IS NULL AND (s.user_id = ${p.userId} OR s.unit_id = ANY(${units}))))`;
    // The summary's searchable text (code and title), folded like foldVietnamese.
    const summaryText = sql`lower(translate(regexp_replace(regexp_replace(normalize(c.code || ' ' || c.title, NFD), '[\u0300-\u036f]', '', 'g'), '\\s+', ' ', 'g'), 'đĐÐ', 'ddd'))`;
    const words = q.q ? searchWords(q.q) : [];
    const patternOf = (word: string) => `%${word.replace(/[%_\\]/g, '\\$&')}%`;
    const patterns = words.map(patternOf);
    if (patterns.length) {
      const likes = sql.join(patterns.map((pattern) => sql`c.search_text LIKE ${pattern}`), sql` AND `);
      const summaryLikes = sql.join(patterns.map((pattern) => sql`${summaryText} LIKE ${pattern}`), sql` AND `);
      // The word index (0023), over the very expression of the migration. Its words' LIKE tests are kept
      // (they decide; the index finds candidates, exactly for words of up to 4 letters) but said as
      // `(…) IS TRUE`, hidden from the trigram indexes, whose bitmaps for common trigrams are what the
      // word index replaces; the other words (digits, punctuation, one letter) stay offered to them.
      const textKeys = opts.words ? wordKeys(words, 'text') : [];
      const wordIndex = sql`case_search_keys(c.search_text, c.code, c.title)`;
      // `andFilters` (search-plan.ts SearchChoice): the keys as one sub-select, which PostgreSQL cannot
      // read at planning time, so it expects 0.5% of the cases (not 0.5% per key, a row or two) and ANDs the
      // filters' indexes with the word bitmap; the index scan still gets every key (an InitPlan parameter).
      const keysOf = (keys: string[]) => (opts.andFilters ? sql`(SELECT ${sql.val(keys)}::text[])` : sql`${sql.val(keys)}::text[]`);
      const indexedLikes = (text: typeof summaryText, pick: boolean) => {
        const ps = words.filter((w) => isIndexedWord(w) === pick).map(patternOf);
        return ps.length ? sql.join(ps.map((pattern) => sql`${text} LIKE ${pattern}`), sql` AND `) : sql`true`;
      };
      // The LIKE tests first, the keys last: inside an OR (the split form, or a pending side) the keys are
      // a filter on every case read, and case_search_keys costs ≈ 0.2 ms a case (1,900 cases: 1 s).
      const textSide = textKeys.length
        ? sql<boolean>`(${indexedLikes(sql`c.search_text`, true)}) IS TRUE AND ${indexedLikes(sql`c.search_text`, false)} AND ${wordIndex} @> ${keysOf(textKeys)}`
        : likes;
      // `pending: false` (the caller saw no pending case in its snapshot) leaves the pending side out.
      if (!opts.split) {
        // Said twice on purpose: the planner reaches indexed rows through the partial trigram (or word)
        // index and rows a bulk write left for the indexer through the pending index (migration 0006).
        query = query.where(opts.pending === false ? sql<boolean>`(NOT c.search_pending AND ${textSide})` : sql<boolean>`((NOT c.search_pending AND ${textSide}) OR (c.search_pending AND ${likes}))`);
        for (const pattern of patterns) query = query.where(sql<boolean>`(${full} OR ${summaryText} LIKE ${pattern})`);
      } else {
        // `split` (words common in the full text but rare in titles): every word in the full text, and
        // each either in the code and title or in a case seen in full — per word `(full OR title has it)`
        // is `full OR the title has every word` — stated as branches with a way in each (a BitmapOr;
        // the same rows as the plain form, search-plan.test.ts compares them):
        //  - indexed cases seen in full: the cases the user can see in full at all (a superset of
        //    full ∧ visible: the user's units handle it, the user is named on a secret one, or it is
        //    shared with the user or a unit of theirs; few for an officer), each tested word by word
        //    (not ANDed with the word index: PostgreSQL underestimates its bitmap and then starts from it
        //    alone, 6,452 cases for "hoang thi" at 200,000 instead of 772 of the officer's own);
        //  - indexed cases seen in summary: the trigram index over the folded code and title (0018),
        //    or with `words` the word index's title keys ('_tuy');
        //  - cases a bulk write left for the indexer: the pending index (migration 0006).
        // `(likes) IS TRUE` (search_text is never null) hides the words from the full-text trigram index
        // and keeps PostgreSQL from factoring them out, (A AND B) OR (A AND C) → A AND (B OR C), which
        // would start from their huge trigram bitmap again (171,620 cases for "tra linh" at 1,000,000).
        const mayBeFull = sql<boolean>`(c.handling_unit_ids && ${units} OR (c.sensitivity = 'secret' AND c.named_user_ids @> ARRAY[${p.userId}]::uuid[])
          OR c.id = ANY(ARRAY(SELECT s.record_id FROM record_shares s WHERE s.record_type = ${RECORD_TYPE} AND s.revoked_at IS NULL AND (s.user_id = ${p.userId} OR s.unit_id = ANY(${units})))))`;
        const pendingBranch = opts.pending === false ? sql`` : sql`OR (c.search_pending AND ${likes} AND (${full} OR ${summaryLikes}))`;
        const summaryKeys = textKeys.length ? wordKeys(words, 'summary') : [];
        const summarySide = summaryKeys.length
          ? sql<boolean>`(${indexedLikes(summaryText, true)}) IS TRUE AND ${indexedLikes(summaryText, false)} AND ${wordIndex} @> ${keysOf(summaryKeys)}`
          : summaryLikes;
        query = query.where(sql<boolean>`((NOT c.search_pending AND ${mayBeFull} AND (${likes}) IS TRUE AND ${full})
          OR (NOT c.search_pending AND (${likes}) IS TRUE AND ${summarySide})
          ${pendingBranch})`);
      }
    }
    // Under `words` the filters are hidden from the indexes (`(…) IS TRUE`, the same rows) but for the one
    // index `andFilters` names: PostgreSQL ANDed every filter's bitmap it fancied with the word bitmap, 827,190
    // entries for "closed" and 378,680 for Market Surveillance (≈ 90 ms) to spare the heap 3,860 cases.
    const filter = (index: FilterIndex | null, c: RawBuilder<boolean>) =>
      query.where(opts.words && !(index === 'dates' ? opts.andFilters : index !== null && opts.andFilters === index) ? sql<boolean>`(${c}) IS TRUE` : c);
    if (q.from) query = filter('dates', sql<boolean>`c.detected_on >= ${q.from}::date`);
    if (q.to) query = filter('dates', sql<boolean>`c.detected_on <= ${q.to}::date`);
    if (q.province) query = filter('province', sql<boolean>`c.province_code = ${q.province}`);
    if (q.force) query = filter('force', sql<boolean>`c.force_code = ${q.force}`);
    if (q.unit) query = filter(null, sql<boolean>`c.handling_unit_ids @> ARRAY[${q.unit}]::uuid[]`);
    if (q.category) query = filter(null, sql<boolean>`c.goods_categories @> ARRAY[${q.category}]::text[]`);
    if (q.hs) query = query.where(sql<boolean>`${full} AND EXISTS (SELECT 1 FROM case_goods g WHERE g.case_id = c.id AND g.hs_code LIKE ${q.hs + '%'})`);
    if (q.route) query = filter(null, sql<boolean>`c.route = ${q.route}`);
    if (q.status) query = filter(null, sql<boolean>`c.status = ${q.status}`);
    if (q.type) query = filter('type', sql<boolean>`c.violation_type = ${q.type}`);
    if (q.minValue !== undefined) query = filter(null, sql<boolean>`c.goods_value_vnd >= ${q.minValue}`);
    if (q.maxValue !== undefined) query = filter(null, sql<boolean>`c.goods_value_vnd <= ${q.maxValue}`);
    if (q.subject) {
      const keys = candidateKeys(q.subject);
      query = keys.length ? query.where(sql<boolean>`${full} AND c.subject_keys && ${sql.val(keys)}::text[]`) : query.where(sql<boolean>`false`);
    }
    return query;
  }

  async function summariesOf(p: Principal, rows: CaseRow[]): Promise<CaseSummary[]> {
    const units = await unitsById(rows.flatMap((r) => [r.source_unit_id, r.lead_unit_id]));
    const ids = rows.map((r) => r.id);
    const shares = ids.length ? await db.kysely.selectFrom('record_shares').select(['record_id', 'unit_id', 'user_id']).where('record_type', '=', RECORD_TYPE).where('record_id', 'in', ids).where('revoked_at', 'is', null).execute() : [];
    return rows.map((r) => {
      const mine = shares.filter((s) => s.record_id === r.id);
      const d = decideAccess(p, { ...factsOf(r), sharedUnitIds: mine.flatMap((s) => (s.unit_id ? [s.unit_id] : [])), sharedUserIds: mine.flatMap((s) => (s.user_id ? [s.user_id] : [])) });
      return toSummary(r, units, d.level === 'full' ? 'full' : 'summary');
    });
  }

  /**
   * The page statement of a text search, in the caller's transaction (repeatable read: one snapshot for
   * the statistics, the pending check and the page — a bulk write committing in between cannot slip
   * pending cases past a query that left their branch out). Chooses the access path from our statistics
   * (search-plan.ts), sets it for this transaction only and compiles the page; `opts.plan` forces one
   * (tests compare the plans' results; `opts.split` the shape of the text condition; `opts.andFilters` the
   * word keys as a sub-select; `wordIndex: false` chooses as before migration 0023, the bench's
   * --no-words). The rows and their order never depend on
   * any of it. The bench calls this too, to log the plan and EXPLAIN the very statement `list` runs.
   */
  async function planPage(trx: Tx, p: Principal, q: CaseQuery, opts: PlanOptions = {}) {
    const words = q.q ? searchWords(q.q) : [];
    const counts = await loadTrigramCounts(trx, words);
    const summary = await loadTrigramCounts(trx, words, 'summary');
    const keys = opts.wordIndex === false ? null : await loadKeyCounts(trx, words, { query: q, unitIds: p.unitIds });
    // An index scan (not a bitmap) so dead entries a drain left get marked and skipped from then on.
    const { rows: pendingRows } = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM cases WHERE search_pending) AS any`.execute(trx);
    const pending = pendingRows[0]!.any;
    const chosen = chooseSearch(words, counts, q.limit + 1, summary, keys);
    const plan = opts.plan ?? chosen.plan;
    const split = opts.split ?? chosen.split;
    const andFilters = plan === 'words' ? (opts.andFilters ?? chosen.andFilters) : false;
    await applyPlan(trx, plan);
    return { plan, split, andFilters, pending, keys, compiled: pagedQuery(p, q, { pending, split, words: plan === 'words', andFilters }).compile() };
  }

  /** One page: the visible rows matching `q` after its cursor, newest detection first, one more than the page. */
  function pagedQuery(p: Principal, q: CaseQuery, opts: { pending: boolean; split?: boolean; words?: boolean; andFilters?: FilterIndex | false }) {
    const after = decodeCursor(q.cursor, 2);
    let query = searchQuery(p, q, opts);
    if (after) query = query.where(sql<boolean>`(c.detected_on, c.id) < (${String(after[0])}::date, ${String(after[1])}::uuid)`);
    return query.orderBy('c.detected_on', 'desc').orderBy('c.id', 'desc').limit(q.limit + 1);
  }

  /** One page of the search; with text, through `planPage`. */
  async function list(p: Principal, q: CaseQuery, opts: PlanOptions = {}): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
    const rows = q.q && searchWords(q.q).length
      ? await db.kysely.transaction().setIsolationLevel('repeatable read').execute(async (trx) => (await trx.executeQuery<CaseRow>((await planPage(trx, p, q, opts)).compiled)).rows)
      : await pagedQuery(p, q, { pending: true }).execute();
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: await summariesOf(p, page), nextCursor: rows.length > q.limit && last ? encodeCursor([last.detected_on, last.id]) : null };
  }

  return { prepare, insertPrepared, create, get, update, transition, recordCollection, list, planPage, searchQuery, summariesOf, unitsById, canWrite, addCollected };
}

export type CasesService = ReturnType<typeof createCasesService>;
