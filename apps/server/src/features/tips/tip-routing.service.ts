import { randomUUID } from 'node:crypto';
import { findGoodsCategory, findProvince } from '@cordon/reference';
import type { Db } from '@cordon/db';
import type { FieldIssue } from '@cordon/contracts';
import { AppError, forbidden, notFound, staleVersion } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { CasesService } from '../cases/cases.service.js';

type Mode = 'propose' | 'assign';

/**
 * Routing rules: province × goods category → the unit responsible for such tips, proposed to triage
 * or assigned at once. A null province or category matches any; the most specific rule wins (see
 * `routeFor` in tips.service.ts). Admins edit the table; triage reads it.
 */
export function createTipRoutingService({ db, clock, audit, cases }: { db: Db; clock: Clock; audit: AuditService; cases: CasesService }) {
  const assertAdmin = (p: Principal) => {
    if (!p.roles.includes('admin')) throw forbidden('Routing rules are edited by an admin');
  };

  /** Every problem with the fields given, each naming its field, before anything is written. */
  async function check(body: { provinceCode?: string | null; category?: string | null; unitId?: string }) {
    const issues: FieldIssue[] = [];
    const bad = (field: string, message: string) => issues.push({ field, reason: 'invalid_value', message });
    if (body.provinceCode && !findProvince(body.provinceCode)) bad('provinceCode', 'is not one of the 34 provinces (2025 GSO code)');
    if (body.category && !findGoodsCategory(body.category)) bad('category', 'is not a known goods category');
    if (body.unitId) {
      const u = await db.kysely.selectFrom('org_units').select(['active']).where('id', '=', body.unitId).executeTakeFirst();
      if (!u?.active) bad('unitId', 'no such active unit');
    }
    if (issues.length) throw new AppError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }

  const duplicate = (e: unknown) =>
    (e as { code?: string }).code === '23505'
      ? new AppError('CONFLICT', 'A rule for this province and category exists; edit it', [{ field: 'category', reason: 'not_unique', message: 'a rule for this province and category exists' }])
      : e;

  async function list() {
    const rows = await db.kysely.selectFrom('tip_routing_rules').selectAll().orderBy('province_code').orderBy('category').execute();
    const units = await cases.unitsById(rows.map((r) => r.unit_id));
    return rows.map((r) => {
      const u = units.get(r.unit_id)!;
      return { id: r.id, provinceCode: r.province_code, category: r.category, unit: { id: u.id, code: u.code, nameVi: u.nameVi, nameEn: u.nameEn, forceCode: u.forceCode }, mode: r.mode as Mode, active: r.active, version: r.version };
    });
  }

  async function one(id: string) {
    const r = (await list()).find((x) => x.id === id);
    if (!r) throw notFound('Routing rule');
    return r;
  }

  async function create(p: Principal, body: { provinceCode: string | null; category: string | null; unitId: string; mode: Mode }, requestId?: string) {
    assertAdmin(p);
    await check(body);
    const id = randomUUID();
    try {
      await db.kysely.transaction().execute(async (trx) => {
        const now = clock.now();
        await trx.insertInto('tip_routing_rules').values({ id, province_code: body.provinceCode, category: body.category, unit_id: body.unitId, mode: body.mode, created_at: now, updated_at: now }).execute();
        await audit.record({ action: 'tip.routing.create', actor: actorOf(p), entityType: 'tip_routing_rule', entityId: id, detail: { ...body }, requestId }, trx);
      });
    } catch (e) {
      throw duplicate(e);
    }
    return one(id);
  }

  async function update(
    p: Principal,
    id: string,
    body: { version: number; provinceCode?: string | null; category?: string | null; unitId?: string; mode?: Mode; active?: boolean },
    requestId?: string,
  ) {
    assertAdmin(p);
    await check(body);
    try {
      await db.kysely.transaction().execute(async (trx) => {
        const cur = await trx.selectFrom('tip_routing_rules').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!cur) throw notFound('Routing rule');
        if (cur.version !== body.version) throw staleVersion('This rule');
        await trx.updateTable('tip_routing_rules').set({
          province_code: body.provinceCode === undefined ? cur.province_code : body.provinceCode,
          category: body.category === undefined ? cur.category : body.category,
          unit_id: body.unitId ?? cur.unit_id, mode: body.mode ?? cur.mode, active: body.active ?? cur.active, version: cur.version + 1, updated_at: clock.now(),
        }).where('id', '=', id).execute();
        const { version: _v, ...changes } = body;
        await audit.record({ action: 'tip.routing.update', actor: actorOf(p), entityType: 'tip_routing_rule', entityId: id, detail: { ...changes, from: { provinceCode: cur.province_code, category: cur.category, unitId: cur.unit_id, mode: cur.mode, active: cur.active } }, requestId }, trx);
      });
    } catch (e) {
      throw duplicate(e);
    }
    return one(id);
  }

  async function remove(p: Principal, id: string, requestId?: string) {
    assertAdmin(p);
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom('tip_routing_rules').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!cur) throw notFound('Routing rule');
      await trx.deleteFrom('tip_routing_rules').where('id', '=', id).execute();
      await audit.record({ action: 'tip.routing.delete', actor: actorOf(p), entityType: 'tip_routing_rule', entityId: id, detail: { provinceCode: cur.province_code, category: cur.category, unitId: cur.unit_id, mode: cur.mode }, requestId }, trx);
    });
  }

  return { list, create, update, remove };
}

export type TipRoutingService = ReturnType<typeof createTipRoutingService>;
