import { randomUUID } from 'node:crypto';
import { findGoodsCategory, findProvince } from '@cordon/reference';
import type { Db } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound, staleVersion } from '../../errors.js';
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

  async function checkUnit(unitId: string) {
    const u = await db.kysely.selectFrom('org_units').select(['active']).where('id', '=', unitId).executeTakeFirst();
    if (!u?.active) throw invalidField('unitId', 'invalid_value', 'no such active unit');
  }

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
    if (body.provinceCode && !findProvince(body.provinceCode)) throw invalidField('provinceCode', 'invalid_value', 'is not one of the 34 provinces (2025 GSO code)');
    if (body.category && !findGoodsCategory(body.category)) throw invalidField('category', 'invalid_value', 'is not a known goods category');
    await checkUnit(body.unitId);
    const id = randomUUID();
    try {
      await db.kysely.transaction().execute(async (trx) => {
        const now = clock.now();
        await trx.insertInto('tip_routing_rules').values({ id, province_code: body.provinceCode, category: body.category, unit_id: body.unitId, mode: body.mode, created_at: now, updated_at: now }).execute();
        await audit.record({ action: 'tip.routing.create', actor: actorOf(p), entityType: 'tip_routing_rule', entityId: id, detail: { ...body }, requestId }, trx);
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw new AppError('CONFLICT', 'A rule for this province and category exists; edit it', [{ field: 'category', reason: 'not_unique', message: 'a rule for this province and category exists' }]);
      throw e;
    }
    return one(id);
  }

  async function update(p: Principal, id: string, body: { version: number; unitId?: string; mode?: Mode; active?: boolean }, requestId?: string) {
    assertAdmin(p);
    if (body.unitId) await checkUnit(body.unitId);
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom('tip_routing_rules').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!cur) throw notFound('Routing rule');
      if (cur.version !== body.version) throw staleVersion('This rule');
      await trx.updateTable('tip_routing_rules').set({ unit_id: body.unitId ?? cur.unit_id, mode: body.mode ?? cur.mode, active: body.active ?? cur.active, version: cur.version + 1, updated_at: clock.now() }).where('id', '=', id).execute();
      const { version: _v, ...changes } = body;
      await audit.record({ action: 'tip.routing.update', actor: actorOf(p), entityType: 'tip_routing_rule', entityId: id, detail: changes, requestId }, trx);
    });
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
