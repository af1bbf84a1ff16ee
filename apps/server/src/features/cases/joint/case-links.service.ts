import { randomUUID } from 'node:crypto';
import type { CaseLinkQueueItem, CaseLinkQueuePage, CaseLinkQueueQuery, CaseLinkView, ConfirmLinkBody, JointGroupView } from '@cordon/contracts';
import { decideAccess, isJointCandidate, JOINT_RULE, readIsAudited, scoreJointPair, type JointCaseFacts, type JointRule } from '@cordon/engine';
import { sql, type Database, type Db, type Kysely, type Selectable, type CasesTable } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound } from '../../../errors.js';
import type { Clock } from '../../../lib/clock.js';
import { visibleRowsCondition, type AccessService } from '../../access/access.service.js';
import type { AuditService } from '../../audit/audit.service.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';

type Tx = Kysely<Database>;
type CaseRow = Selectable<CasesTable>;
type LinkedCase = CaseLinkView['cases'][number];

/** Same list as the case registry's writers (kept here to avoid a cycle with cases.service). */
const WRITER_ROLES = ['officer', 'provincial_coordinator', 'analyst', 'admin'];
const RECORD_TYPE = 'case';
const LINK_TYPE = 'case_link';
/** Candidates scored per new case at most: a province-day with more is a data problem, not a joint case. */
const MAX_CANDIDATES = 500;

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Joint cases: proposes links between cases of different forces that record one seizure (scored by
 * the engine), and lets the forces confirm (one joint group, one case counting in statistics, every
 * force keeping access), reject, or undo a confirmation.
 */
export function createCaseLinksService({ db, clock, audit, access, rule = JOINT_RULE }: { db: Db; clock: Clock; audit: AuditService; access: AccessService; rule?: JointRule }) {
  const canWrite = (p: Principal) => p.roles.some((r) => WRITER_ROLES.includes(r));
  const factsOf = (r: Pick<CaseRow, 'sensitivity' | 'handling_unit_ids' | 'named_user_ids'>) => ({
    sensitivity: r.sensitivity as 'internal' | 'restricted' | 'secret',
    handlingUnitIds: r.handling_unit_ids,
    namedUserIds: r.named_user_ids,
  });

  type JointRow = Pick<CaseRow, 'id' | 'source_unit_id' | 'detected_on' | 'province_code' | 'subject_keys'>;
  async function jointFacts(trx: Tx, rows: JointRow[]): Promise<Map<string, JointCaseFacts>> {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const goods = new Map<string, JointCaseFacts['goods'][number][]>([...byId.keys()].map((id) => [id, []]));
    if (byId.size) {
      const found = await trx.selectFrom('case_goods').select(['case_id', 'category', 'hs_code', 'description']).where('case_id', 'in', [...byId.keys()]).execute();
      for (const g of found) goods.get(g.case_id)!.push({ category: g.category, hsCode: g.hs_code, description: g.description });
    }
    return new Map([...byId.values()].map((r) => [r.id, { id: r.id, sourceUnitId: r.source_unit_id, detectedOn: r.detected_on, provinceCode: r.province_code, subjectKeys: r.subject_keys, goods: goods.get(r.id)! }]));
  }

  /**
   * Blocks and scores candidates for one case and writes proposals (case_a < case_b), in the caller's
   * transaction. Candidates: same 2025 province, detected within the rule's day window, another source
   * unit, not secret, not already in the same joint group. Returns the ids of new proposals.
   */
  function proposeFor(trx: Tx, caseId: string): Promise<string[]> {
    return proposeForMany(trx, [caseId]);
  }

  /**
   * `proposeFor` for many cases in one go (the search indexer's batch of imported cases): the cases, their
   * candidates (one LATERAL query, `MAX_CANDIDATES` each) and their goods in three statements for the
   * whole batch instead of three per case. Same proposals, in the same order, as one call per case.
   */
  async function proposeForMany(trx: Tx, caseIds: readonly string[]): Promise<string[]> {
    if (!caseIds.length) return [];
    const ids = sql`${sql.val([...caseIds])}::uuid[]`;
    const { rows } = await sql<JointRow & { joint_group_id: string | null; for_id: string }>`
      SELECT s.id AS for_id, o.id, o.source_unit_id, o.detected_on, o.province_code, o.subject_keys, o.joint_group_id
        FROM cases s CROSS JOIN LATERAL (
          SELECT o.id, o.source_unit_id, o.detected_on, o.province_code, o.subject_keys, o.joint_group_id FROM cases o
           WHERE o.province_code = s.province_code
             AND o.detected_on BETWEEN s.detected_on - ${rule.maxDayGap}::int AND s.detected_on + ${rule.maxDayGap}::int
             AND o.source_unit_id <> s.source_unit_id AND o.sensitivity <> 'secret' AND o.id <> s.id
           ORDER BY o.id LIMIT ${MAX_CANDIDATES}) o
       WHERE s.id = ANY(${ids}) AND s.sensitivity <> 'secret'`.execute(trx);
    if (!rows.length) return [];
    const selves = await trx.selectFrom('cases').select(['id', 'source_unit_id', 'detected_on', 'province_code', 'subject_keys', 'joint_group_id']).where('id', 'in', [...new Set(rows.map((r) => r.for_id))]).execute();
    const self = new Map(selves.map((c) => [c.id, c]));
    const facts = await jointFacts(trx, [...selves, ...rows]);
    const byCase = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byCase.get(r.for_id);
      if (list) list.push(r);
      else byCase.set(r.for_id, [r]);
    }
    const created: string[] = [];
    const tried = new Set<string>();
    for (const caseId of caseIds) {
      const c = self.get(caseId);
      if (!c) continue;
      const mine = facts.get(c.id)!;
      for (const other of byCase.get(caseId) ?? []) {
        if (c.joint_group_id && other.joint_group_id === c.joint_group_id) continue;
        const [a, b] = [c.id, other.id].sort();
        if (tried.has(`${a} ${b}`)) continue;
        const result = scoreJointPair(mine, facts.get(other.id)!, rule);
        if (!isJointCandidate(result, rule)) continue;
        tried.add(`${a} ${b}`);
        const id = randomUUID();
        const inserted = await trx
          .insertInto('case_links')
          .values({ id, case_a: a!, case_b: b!, score: result.score, reasons: JSON.stringify(result.reasons), decided_by: null, decided_at: null, created_at: clock.now() })
          .onConflict((oc) => oc.columns(['case_a', 'case_b']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) continue;
        created.push(id);
        await audit.record({ action: 'case.link.propose', actorUsername: 'system', entityType: LINK_TYPE, entityId: id, detail: { caseA: a, caseB: b, score: result.score } }, trx);
      }
    }
    return created;
  }

  /** The agreements recorded on these links, oldest first, with who agreed. */
  async function agreementsOf(linkIds: string[]) {
    if (!linkIds.length) return [];
    return db.kysely
      .selectFrom('case_link_agreements as a')
      .leftJoin('users as u', 'u.id', 'a.agreed_by')
      .select(['a.link_id', 'a.case_id', 'a.lead_unit_id', 'a.agreed_at', 'u.username'])
      .where('a.link_id', 'in', linkIds)
      .orderBy('a.agreed_at')
      .execute();
  }

  async function unitSummaries(ids: string[], trx: Tx = db.kysely) {
    const unique = [...new Set(ids)];
    const rows = unique.length ? await trx.selectFrom('org_units').select(['id', 'code', 'name_vi', 'name_en', 'force_code']).where('id', 'in', unique).execute() : [];
    return new Map(rows.map((u) => [u.id, { id: u.id, code: u.code, nameVi: u.name_vi, nameEn: u.name_en, forceCode: u.force_code }]));
  }

  async function linkedCases(rows: CaseRow[], trx: Tx = db.kysely): Promise<Map<string, LinkedCase>> {
    const units = await unitSummaries(rows.flatMap((r) => [r.source_unit_id, r.lead_unit_id]), trx);
    const unit = (id: string) => units.get(id) ?? { id, code: '?', nameVi: '?', nameEn: '?', forceCode: null };
    return new Map(rows.map((r) => [r.id, {
      id: r.id, code: r.code, title: r.title, detectedOn: r.detected_on, provinceCode: r.province_code, sourceUnit: unit(r.source_unit_id),
      leadUnit: unit(r.lead_unit_id), jointGroupId: r.joint_group_id, countsInStatistics: r.counts_in_statistics,
    }]));
  }

  async function levelOf(p: Principal, r: CaseRow, trx: Tx = db.kysely) {
    return decideAccess(p, { ...factsOf(r), ...(await access.sharesOf(RECORD_TYPE, r.id, trx)) }).level;
  }

  /**
   * Reading a linked restricted or secret case's facts (code, title, units) from a joint case is a read
   * of that case: audited like opening it (GET /api/cases/:id), once per case shown.
   */
  async function auditLinkedReads(p: Principal, rows: CaseRow[], fromCaseId: string, requestId?: string, trx?: Tx, via: 'joint_case' | 'joint_case_queue' = 'joint_case') {
    for (const r of rows) {
      if (!readIsAudited(factsOf(r))) continue;
      const decision = decideAccess(p, { ...factsOf(r), ...(await access.sharesOf(RECORD_TYPE, r.id, trx)) });
      if (decision.level !== 'full') continue;
      await audit.record({ action: 'case.read', actor: actorOf(p), entityType: RECORD_TYPE, entityId: r.id, detail: { rule: decision.rule, sensitivity: r.sensitivity, via, fromCaseId }, requestId }, trx);
    }
  }

  /** Links of a case, only those whose other case the user may see at least in summary. */
  async function listFor(p: Principal, caseId: string, requestId?: string): Promise<CaseLinkView[]> {
    const self = await db.kysely.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    if (!self || (await levelOf(p, self)) === 'none') throw notFound('Case');
    const links = await db.kysely
      .selectFrom('case_links as l')
      .leftJoin('users as u', 'u.id', 'l.decided_by')
      .select(['l.id', 'l.case_a', 'l.case_b', 'l.score', 'l.reasons', 'l.status', 'l.decided_at', 'l.created_at', 'u.username'])
      .where((eb) => eb.or([eb('l.case_a', '=', caseId), eb('l.case_b', '=', caseId)]))
      .orderBy('l.score', 'desc')
      .orderBy('l.id')
      .execute();
    const otherIds = links.map((l) => (l.case_a === caseId ? l.case_b : l.case_a));
    const others = otherIds.length ? await db.kysely.selectFrom('cases').selectAll().where('id', 'in', otherIds).execute() : [];
    const visible: CaseRow[] = [];
    for (const o of others) if ((await levelOf(p, o)) !== 'none') visible.push(o);
    await auditLinkedReads(p, visible, caseId, requestId);
    const views = await linkedCases([self, ...visible]);
    const agreements = await agreementsOf(links.map((l) => l.id));
    const coordinated = await coordinatedProvince(p);
    return links.flatMap((l) => {
      const other = views.get(l.case_a === caseId ? l.case_b : l.case_a);
      if (!other) return [];
      return [{
        id: l.id, status: l.status as CaseLinkView['status'], score: l.score, reasons: l.reasons as CaseLinkView['reasons'],
        cases: [views.get(caseId)!, other] as [LinkedCase, LinkedCase], decidedBy: l.username, decidedAt: l.decided_at ? iso(l.decided_at) : null,
        agreements: l.status === 'proposed' ? agreements.filter((a) => a.link_id === l.id).map((a) => ({ caseId: a.case_id, leadUnitId: a.lead_unit_id, byUsername: a.username, at: iso(a.agreed_at) })) : [],
        createdAt: iso(l.created_at),
        confirmsAlone: l.status === 'proposed' && inProvince(coordinated, [views.get(caseId)!, other].map((v) => ({ province_code: v.provinceCode }))),
      }];
    });
  }

  /**
   * The province whose steering committee this user coordinates as a writer (role and unit both), else
   * null: the committee coordinates the forces there, so it confirms a joint case of two cases in that
   * province without waiting for both sides.
   */
  async function coordinatedProvince(p: Principal, trx: Tx = db.kysely): Promise<string | null> {
    if (!canWrite(p) || !p.roles.includes('provincial_coordinator')) return null;
    const unit = await trx.selectFrom('org_units').select(['kind', 'province_code']).where('id', '=', p.unitId).executeTakeFirst();
    return unit?.kind === 'provincial_committee' ? unit.province_code : null;
  }
  const inProvince = (province: string | null, rows: readonly Pick<CaseRow, 'province_code'>[]) => province !== null && rows.every((r) => r.province_code === province);

  /**
   * The links of the user's scope with a status: one case handled by the user's units, or (a provincial
   * coordinator) both cases in their province; and both cases visible to them at least in summary (the
   * case page's rule: a link whose other case the user may not see is not shown).
   */
  function scopeQuery(p: Principal, f: Pick<CaseLinkQueueQuery, 'status' | 'province' | 'force'>, coordinated: string | null) {
    const { status, province, force } = f;
    const units = sql`${sql.val(p.unitIds)}::uuid[]`;
    const visible = (alias: 'a' | 'b') => visibleRowsCondition(p, { alias, recordType: RECORD_TYPE, handlingUnits: `${alias}.handling_unit_ids`, namedUsers: `${alias}.named_user_ids` });
    const coordinates = coordinated ? sql`OR (a.province_code = ${coordinated} AND b.province_code = ${coordinated})` : sql``;
    // The scope's cases first (GIN on handling units, btree on province), then only the links touching
    // them: joining both cases of every link of the nation cost 0.7 s at 21,000 pending links (docs).
    let q = db.kysely
      .with((cte) => cte('scope').materialized(), (w) =>
        w.selectFrom('cases as s').select('s.id').where(coordinated ? sql<boolean>`(s.handling_unit_ids && ${units} OR s.province_code = ${coordinated})` : sql<boolean>`s.handling_unit_ids && ${units}`),
      )
      .selectFrom('case_links as l')
      .innerJoin('cases as a', 'a.id', 'l.case_a')
      .innerJoin('cases as b', 'b.id', 'l.case_b')
      .where('l.status', '=', status)
      .where(sql<boolean>`(l.case_a IN (SELECT id FROM scope) OR l.case_b IN (SELECT id FROM scope))`)
      .where(sql<boolean>`(a.handling_unit_ids && ${units} OR b.handling_unit_ids && ${units} ${coordinates})`)
      .where(visible('a'))
      .where(visible('b'));
    if (province) q = q.where((eb) => eb.or([eb('a.province_code', '=', province), eb('b.province_code', '=', province)]));
    if (force) q = q.where((eb) => eb.or([eb('a.force_code', '=', force), eb('b.force_code', '=', force)]));
    return q;
  }

  /**
   * The proposals queue (`GET /api/case-links`): links of the user's scope, newest first, keyset-paged
   * on (created_at, id). Each shows both cases' summary facts, the user's own side first; showing a
   * restricted case in full is audited like opening it (`via: 'joint_case_queue'`).
   */
  async function queue(p: Principal, q: CaseLinkQueueQuery, requestId?: string): Promise<CaseLinkQueuePage> {
    const coordinated = await coordinatedProvince(p);
    const after = decodeCursor(q.cursor, 2);
    let query = scopeQuery(p, q, coordinated)
      .leftJoin('users as u', 'u.id', 'l.decided_by')
      .select(['l.id', 'l.case_a', 'l.case_b', 'l.score', 'l.reasons', 'l.status', 'l.decided_at', 'l.created_at', 'u.username'])
      // Microseconds kept: a cursor rounded to milliseconds would skip or repeat rows created in the same millisecond.
      .select(sql<string>`to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as('created_key'));
    if (after) query = query.where(sql<boolean>`(l.created_at, l.id) < (${String(after[0])}::timestamp AT TIME ZONE 'UTC', ${String(after[1])}::uuid)`);
    const links = await query.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(q.limit + 1).execute();
    const page = links.slice(0, q.limit);
    const caseIds = [...new Set(page.flatMap((l) => [l.case_a, l.case_b]))];
    const rows = caseIds.length ? await db.kysely.selectFrom('cases').selectAll().where('id', 'in', caseIds).execute() : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const l of page) await auditLinkedReads(p, [byId.get(l.case_a)!, byId.get(l.case_b)!].filter((r) => r.sensitivity !== 'internal'), l.case_a, requestId, undefined, 'joint_case_queue');
    const views = await linkedCases(rows);
    const agreements = await agreementsOf(page.map((l) => l.id));
    const mine = (id: string) => byId.get(id)!.handling_unit_ids.some((u) => p.unitIds.includes(u));
    const items = page.map((l): CaseLinkQueueItem => {
      const [first, second] = !mine(l.case_a) && mine(l.case_b) ? [l.case_b, l.case_a] : [l.case_a, l.case_b];
      const coordinator = inProvince(coordinated, [byId.get(l.case_a)!, byId.get(l.case_b)!]);
      return {
        id: l.id, status: l.status as CaseLinkView['status'], score: l.score, reasons: l.reasons as CaseLinkView['reasons'],
        cases: [views.get(first)!, views.get(second)!], decidedBy: l.username, decidedAt: l.decided_at ? iso(l.decided_at) : null,
        agreements: l.status === 'proposed' ? agreements.filter((a) => a.link_id === l.id).map((a) => ({ caseId: a.case_id, leadUnitId: a.lead_unit_id, byUsername: a.username, at: iso(a.agreed_at) })) : [],
        createdAt: iso(l.created_at),
        confirmsAlone: l.status === 'proposed' && coordinator,
        mayDecide: l.status === 'proposed' && canWrite(p) && (mine(l.case_a) || mine(l.case_b) || coordinator),
      };
    });
    const last = page[page.length - 1];
    return { items, nextCursor: links.length > q.limit && last ? encodeCursor([last.created_key, last.id]) : null };
  }

  /** How many links of the user's scope have a status (the navigation's badge): the queue's rule, no facts read. */
  async function count(p: Principal, q: Pick<CaseLinkQueueQuery, 'status' | 'province' | 'force'>): Promise<number> {
    const r = await scopeQuery(p, q, await coordinatedProvince(p)).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Loads a link and its two cases for a decision, locked. The user must see both cases and be a writer
   * in a handling unit of one of them (`sides`: the cases they speak for) or a provincial coordinator of
   * their province; otherwise they learn nothing (404) or are refused (403).
   */
  async function lockForDecision(trx: Tx, p: Principal, linkId: string) {
    const link = await trx.selectFrom('case_links').selectAll().where('id', '=', linkId).forUpdate().executeTakeFirst();
    if (!link) throw notFound('Case link');
    const rows = await trx.selectFrom('cases').selectAll().where('id', 'in', [link.case_a, link.case_b]).orderBy('id').forUpdate().execute();
    for (const r of rows) if ((await levelOf(p, r, trx)) === 'none') throw notFound('Case link');
    const sides = canWrite(p) ? rows.filter((r) => r.handling_unit_ids.some((u) => p.unitIds.includes(u))) : [];
    const coordinator = inProvince(await coordinatedProvince(p, trx), rows);
    if (!sides.length && !coordinator) {
      throw forbidden('Only an officer of a unit handling one of the two cases, or a provincial coordinator of their province, decides whether they are one joint case');
    }
    return { link, rows, sides, coordinator };
  }

  async function viewOf(linkId: string, caseId: string, p: Principal, requestId?: string): Promise<CaseLinkView> {
    const found = (await listFor(p, caseId, requestId)).find((l) => l.id === linkId);
    if (!found) throw notFound('Case link');
    return found;
  }

  /**
   * Records the agreement of the sides this user speaks for, with the lead they agree to. Returns true
   * when every case of the link has now agreed (to the same lead: a different lead from the other side
   * is refused, naming leadUnitId). Both sides must agree because joining takes a case out of its
   * force's statistics and opens every member to every handling unit.
   */
  async function agree(trx: Tx, p: Principal, linkId: string, rows: CaseRow[], sides: CaseRow[], leadUnitId: string, requestId?: string): Promise<boolean> {
    const earlier = await trx.selectFrom('case_link_agreements').select(['case_id', 'lead_unit_id']).where('link_id', '=', linkId).execute();
    const mine = new Set(sides.map((r) => r.id));
    if (earlier.some((a) => !mine.has(a.case_id) && a.lead_unit_id !== leadUnitId)) {
      throw new AppError('CONFLICT', 'The other side agreed to another lead unit: confirm with the same lead, or reject', [{ field: 'leadUnitId', reason: 'conflict', message: 'differs from the lead the other side agreed to' }]);
    }
    const now = clock.now();
    for (const r of sides) {
      await trx
        .insertInto('case_link_agreements')
        .values({ link_id: linkId, case_id: r.id, lead_unit_id: leadUnitId, agreed_by: p.userId, agreed_at: now })
        .onConflict((oc) => oc.columns(['link_id', 'case_id']).doUpdateSet({ lead_unit_id: leadUnitId, agreed_by: p.userId, agreed_at: now }))
        .execute();
    }
    const agreed = new Set([...earlier.map((a) => a.case_id), ...mine]);
    const complete = rows.every((r) => agreed.has(r.id));
    if (!complete) await audit.record({ action: 'case.link.agree', actor: actorOf(p), entityType: LINK_TYPE, entityId: linkId, detail: { caseIds: [...mine], leadUnitId, waitingFor: rows.filter((r) => !agreed.has(r.id)).map((r) => r.id) }, requestId }, trx);
    return complete;
  }

  /**
   * Confirms a proposal for the user's side. It becomes one joint case when both sides have agreed to
   * the same lead, or at once when a provincial coordinator of the cases' province confirms (or a user
   * who handles both cases). Then both cases (and any case already joined to either) share one joint
   * group; the case led by `leadUnitId` counts in statistics, the others not; every case gets the union
   * of the group's handling units as coordinating units, so each force keeps full access to all of them.
   */
  async function confirm(p: Principal, linkId: string, body: ConfirmLinkBody, requestId?: string): Promise<CaseLinkView> {
    const firstCase = await db.kysely.transaction().execute(async (trx) => {
      const { link, rows, sides, coordinator } = await lockForDecision(trx, p, linkId);
      if (link.status !== 'proposed') throw new AppError('CONFLICT', `This proposal is already ${link.status}`);
      const groupIds = [...new Set(rows.flatMap((r) => (r.joint_group_id ? [r.joint_group_id] : [])))];
      const joined = groupIds.length ? await trx.selectFrom('cases').selectAll().where('joint_group_id', 'in', groupIds).orderBy('id').forUpdate().execute() : [];
      // Confirming gives every member the group's handling units: refuse when the group holds a case this
      // user may not see, or the confirmation would open it to them (a restricted case of a third force).
      for (const j of joined) {
        if (!rows.some((r) => r.id === j.id) && (await levelOf(p, j, trx)) === 'none') {
          throw forbidden('This joint case includes a record you may not see: a unit handling it confirms');
        }
      }
      const members = [...new Map([...rows, ...joined].map((r) => [r.id, r])).values()].sort((x, y) => x.created_at.getTime() - y.created_at.getTime() || x.id.localeCompare(y.id));
      const primary = members.find((m) => m.lead_unit_id === body.leadUnitId) ?? members.find((m) => m.source_unit_id === body.leadUnitId);
      if (!primary) throw invalidField('leadUnitId', 'invalid_value', 'must be the lead or recording unit of one of the cases being joined');
      const shownCase = (sides[0] ?? rows[0]!).id;
      if (!coordinator && !(await agree(trx, p, linkId, rows, sides, body.leadUnitId, requestId))) return shownCase;
      const groupId = groupIds[0] ?? randomUUID();
      const allUnits = [...new Set(members.flatMap((m) => m.handling_unit_ids))];
      const now = clock.now();
      for (const m of members) {
        await trx
          .updateTable('cases')
          .set({
            joint_group_id: groupId,
            counts_in_statistics: m.id === primary.id,
            coordinating_unit_ids: [...new Set([...m.coordinating_unit_ids, ...allUnits])].filter((u) => u !== m.lead_unit_id),
            handling_unit_ids: [...new Set([...m.handling_unit_ids, ...allUnits])],
            version: m.version + 1,
            updated_at: now,
          })
          .where('id', '=', m.id)
          .execute();
        await audit.record({ action: 'case.joint.join', actor: actorOf(p), entityType: RECORD_TYPE, entityId: m.id, detail: { jointGroupId: groupId, primaryCaseId: primary.id, countsInStatistics: m.id === primary.id, linkId }, requestId }, trx);
      }
      await trx.updateTable('case_links').set({ status: 'confirmed', decided_by: p.userId, decided_at: now }).where('id', '=', linkId).execute();
      await audit.record({ action: 'case.link.confirm', actor: actorOf(p), entityType: LINK_TYPE, entityId: linkId, detail: { jointGroupId: groupId, primaryCaseId: primary.id, caseIds: members.map((m) => m.id), leadUnitId: body.leadUnitId, by: coordinator ? 'provincial_coordinator' : 'both_sides' }, requestId }, trx);
      return shownCase;
    });
    return viewOf(linkId, firstCase, p, requestId);
  }

  async function reject(p: Principal, linkId: string, reason: string, requestId?: string): Promise<CaseLinkView> {
    const firstCase = await db.kysely.transaction().execute(async (trx) => {
      const { link, rows, sides } = await lockForDecision(trx, p, linkId);
      if (link.status !== 'proposed') throw new AppError('CONFLICT', `This proposal is already ${link.status}`);
      await trx.updateTable('case_links').set({ status: 'rejected', decided_by: p.userId, decided_at: clock.now() }).where('id', '=', linkId).execute();
      await audit.record({ action: 'case.link.reject', actor: actorOf(p), entityType: LINK_TYPE, entityId: linkId, detail: { reason, caseA: link.case_a, caseB: link.case_b }, requestId }, trx);
      return (sides[0] ?? rows[0]!).id;
    });
    return viewOf(linkId, firstCase, p, requestId);
  }

  /**
   * Takes a case out of its joint group: it counts in statistics again; if it was the primary, the
   * earliest recorded remaining case becomes primary; a group left with one case dissolves. Confirmed
   * links between it and the group become rejected. Coordinating units stay (the forces worked it
   * together); a handling unit removes them with an ordinary edit.
   */
  async function unlink(p: Principal, caseId: string, reason: string, requestId?: string): Promise<JointGroupView> {
    return db.kysely.transaction().execute(async (trx) => {
      const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirst();
      if (!c || (await levelOf(p, c, trx)) === 'none') throw notFound('Case');
      if (!canWrite(p) || (await levelOf(p, c, trx)) !== 'full' || !c.handling_unit_ids.some((u) => p.unitIds.includes(u))) {
        throw forbidden('Only an officer of a unit handling the case takes it out of a joint case');
      }
      if (!c.joint_group_id) throw new AppError('CONFLICT', 'This case is not part of a joint case');
      const groupId = c.joint_group_id;
      const rest = (await trx.selectFrom('cases').selectAll().where('joint_group_id', '=', groupId).where('id', '<>', caseId).orderBy('id').forUpdate().execute())
        .sort((x, y) => x.created_at.getTime() - y.created_at.getTime() || x.id.localeCompare(y.id));
      const now = clock.now();
      await trx.updateTable('cases').set({ joint_group_id: null, counts_in_statistics: true, version: c.version + 1, updated_at: now }).where('id', '=', caseId).execute();
      const dissolve = rest.length <= 1;
      const primaryId = dissolve ? null : (rest.find((r) => r.counts_in_statistics) ?? rest[0]!).id;
      for (const r of rest) {
        const counts = dissolve || r.id === primaryId;
        if (dissolve || counts !== r.counts_in_statistics) {
          await trx.updateTable('cases').set({ joint_group_id: dissolve ? null : groupId, counts_in_statistics: counts, version: r.version + 1, updated_at: now }).where('id', '=', r.id).execute();
        }
      }
      const memberIds = rest.map((r) => r.id);
      if (memberIds.length) {
        await trx
          .updateTable('case_links')
          .set({ status: 'rejected', decided_by: p.userId, decided_at: now })
          .where('status', '=', 'confirmed')
          .where((eb) => eb.or([eb.and([eb('case_a', '=', caseId), eb('case_b', 'in', memberIds)]), eb.and([eb('case_b', '=', caseId), eb('case_a', 'in', memberIds)])]))
          .execute();
      }
      await audit.record({ action: 'case.joint.leave', actor: actorOf(p), entityType: RECORD_TYPE, entityId: caseId, detail: { jointGroupId: groupId, reason, dissolved: dissolve, primaryCaseId: primaryId }, requestId }, trx);
      const remaining = dissolve ? [] : await trx.selectFrom('cases').selectAll().where('joint_group_id', '=', groupId).execute();
      const views = await linkedCases(remaining, trx);
      const shown = remaining.filter((r) => decideAccess(p, { ...factsOf(r), sharedUnitIds: [], sharedUserIds: [] }).level !== 'none');
      await auditLinkedReads(p, shown, caseId, requestId, trx);
      return { jointGroupId: dissolve ? null : groupId, primaryCaseId: primaryId, cases: shown.map((r) => views.get(r.id)!) };
    });
  }

  return { proposeFor, proposeForMany, listFor, queue, count, confirm, reject, unlink };
}

export type CaseLinksService = ReturnType<typeof createCaseLinksService>;
