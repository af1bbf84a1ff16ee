import { randomUUID } from 'node:crypto';
import type { CommendationView, CreateCommendationBody } from '@cordon/contracts';
import { sql, type Db } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound } from '../../errors.js';
import { vietnamToday, type Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { visibleRowsCondition } from '../access/access.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { directiveAccessOf, TASK_READER_ROLES } from '../directives/directives.access.js';
import { subtreeIdsSql } from '../org/subtree.js';

export const COMMENDATION_RECORD = 'commendation';
/** Besides the standing office's analysts, provincial coordinators record commendations of their own units. */
const LOCAL_WRITER_ROLES = ['provincial_coordinator'];
const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Commendations of units and officers. Honours are not secret: every staff reader lists them; linked
 * cases show their code and title only to those who may see the case. The standing office records any;
 * a provincial coordinator those of units in its own tree. Every record is audited with its write.
 */
export function createCommendationsService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  const mayRead = (p: Principal) => p.roles.some((r) => (TASK_READER_ROLES as readonly string[]).includes(r));

  async function caseRefs(p: Principal, ids: string[]) {
    if (!ids.length) return new Map<string, { code: string; title: string }>();
    const rows = await db.kysely.selectFrom('cases as c').select(['c.id', 'c.code', 'c.title']).where('c.id', 'in', [...new Set(ids)])
      .where(visibleRowsCondition(p, { alias: 'c', recordType: 'case', handlingUnits: 'c.handling_unit_ids', namedUsers: 'c.named_user_ids' })).execute();
    return new Map(rows.map((r) => [r.id, { code: r.code, title: r.title }]));
  }

  function baseQuery() {
    return db.kysely.selectFrom('commendations as c').innerJoin('org_units as u', 'u.id', 'c.unit_id').leftJoin('users as w', 'w.id', 'c.created_by')
      .select(['c.id', 'c.decision_number', sql<string>`to_char(c.decided_on, 'YYYY-MM-DD')`.as('decided_on'), 'c.level', 'c.recipient_kind', 'c.unit_id', 'u.code', 'u.name_vi', 'u.name_en',
        'c.officer_name', 'c.officer_title', 'c.reason', 'c.case_ids', 'c.created_at', 'c.version', 'w.username']);
  }
  type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

  async function views(p: Principal, rows: Row[]): Promise<CommendationView[]> {
    const refs = await caseRefs(p, rows.flatMap((r) => r.case_ids));
    return rows.map((r) => ({
      id: r.id, decisionNumber: r.decision_number, decidedOn: r.decided_on, level: r.level as CommendationView['level'], recipientKind: r.recipient_kind as CommendationView['recipientKind'],
      unit: { id: r.unit_id, code: r.code, nameVi: r.name_vi, nameEn: r.name_en }, officerName: r.officer_name, officerTitle: r.officer_title, reason: r.reason,
      cases: r.case_ids.map((id) => ({ id, code: refs.get(id)?.code ?? null, title: refs.get(id)?.title ?? null })),
      createdBy: r.username, createdAt: iso(r.created_at), version: r.version,
    }));
  }

  async function get(p: Principal, id: string): Promise<CommendationView> {
    if (!mayRead(p)) throw forbidden('Commendations need a staff role');
    const r = await baseQuery().where('c.id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Commendation');
    return (await views(p, [r]))[0]!;
  }

  async function create(p: Principal, body: CreateCommendationBody, requestId?: string): Promise<CommendationView> {
    const access = await directiveAccessOf(p, db.kysely);
    const local = p.roles.some((r) => LOCAL_WRITER_ROLES.includes(r)) && p.unitIds.includes(body.unitId);
    if (!access.manages && !local) throw forbidden('Commendations are recorded by the standing office, or by a provincial coordinator for its own units');
    const unit = await db.kysely.selectFrom('org_units').select(['id', 'active']).where('id', '=', body.unitId).executeTakeFirst();
    if (!unit?.active) throw invalidField('unitId', 'invalid_value', 'no such active unit');
    if (body.recipientKind === 'officer' && !body.officerName?.trim()) throw invalidField('officerName', 'required', 'name the officer commended');
    if (body.decidedOn > vietnamToday(clock)) throw invalidField('decidedOn', 'invalid_value', 'is in the future');
    const caseIds = [...new Set(body.caseIds ?? [])];
    const seen = await caseRefs(p, caseIds);
    const hidden = caseIds.findIndex((c) => !seen.has(c));
    if (hidden >= 0) throw invalidField(`caseIds.${hidden}`, 'invalid_value', 'no such case that you may see');
    const id = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      const now = clock.now();
      await trx.insertInto('commendations').values({
        id, decision_number: body.decisionNumber, decided_on: body.decidedOn, level: body.level, recipient_kind: body.recipientKind, unit_id: body.unitId,
        officer_name: body.recipientKind === 'officer' ? body.officerName!.trim() : null, officer_title: body.recipientKind === 'officer' ? body.officerTitle?.trim() || null : null,
        reason: body.reason, case_ids: caseIds, created_by: p.userId, created_at: now, updated_at: now,
      }).execute();
      await audit.record({ action: 'commendation.create', actor: actorOf(p), entityType: COMMENDATION_RECORD, entityId: id, detail: { decisionNumber: body.decisionNumber, level: body.level, unitId: body.unitId, recipientKind: body.recipientKind, caseIds }, requestId }, trx);
    });
    return get(p, id);
  }

  /** Per unit (units below included) and period, newest decision first. */
  async function list(p: Principal, q: { unitId?: string; from?: string; to?: string; level?: string; cursor?: string; limit: number }) {
    if (!mayRead(p)) throw forbidden('Commendations need a staff role');
    if (q.from && q.to && q.to < q.from) throw new AppError('INVALID_INPUT', 'to: the period ends before it starts', [{ field: 'to', reason: 'invalid_value', message: 'the period ends before it starts' }]);
    let query = baseQuery();
    if (q.unitId) query = query.where(sql<boolean>`c.unit_id IN ${subtreeIdsSql(q.unitId)}`);
    if (q.from) query = query.where(sql<boolean>`c.decided_on >= ${q.from}::date`);
    if (q.to) query = query.where(sql<boolean>`c.decided_on <= ${q.to}::date`);
    if (q.level) query = query.where('c.level', '=', q.level);
    const after = decodeCursor(q.cursor, 2);
    if (after) query = query.where(sql<boolean>`(c.decided_on, c.id) < (${after[0]}::date, ${after[1]}::uuid)`);
    const rows = await query.orderBy('c.decided_on', 'desc').orderBy('c.id', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: await views(p, page), nextCursor: rows.length > q.limit && last ? encodeCursor([last.decided_on, last.id]) : null };
  }

  return { create, get, list };
}

export type CommendationsService = ReturnType<typeof createCommendationsService>;
