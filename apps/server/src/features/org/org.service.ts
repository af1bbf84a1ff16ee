import { randomUUID } from 'node:crypto';
import type { CreateOrgUnitBody, OrgUnitView, UpdateOrgUnitBody } from '@cordon/contracts';
import { foldVietnamese, findProvince, FORCES } from '@cordon/reference';
import { type Db, type Selectable, type OrgUnitsTable } from '@cordon/db';
import { AppError, invalidField, notFound, staleVersion } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { unitSubtree } from './subtree.js';

export const orgSearchText = (code: string, nameVi: string, nameEn: string) => foldVietnamese(`${code} ${nameVi} ${nameEn}`);

export function toOrgUnitView(r: Selectable<OrgUnitsTable>): OrgUnitView {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind as OrgUnitView['kind'],
    parentId: r.parent_id,
    forceCode: r.force_code,
    provinceCode: r.province_code,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    active: r.active,
    version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

function checkReferences(body: { forceCode?: string | null; provinceCode?: string | null }) {
  if (body.forceCode && !FORCES.some((f) => f.code === body.forceCode)) {
    throw invalidField('forceCode', 'invalid_value', `is not a known force (${FORCES.map((f) => f.code).join(', ')})`);
  }
  if (body.provinceCode && !findProvince(body.provinceCode)) {
    throw invalidField('provinceCode', 'invalid_value', 'is not one of the 34 provinces (2025 GSO code)');
  }
}

export function createOrgService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  async function list(q: { q?: string; kind?: string; includeInactive?: boolean }): Promise<OrgUnitView[]> {
    let query = db.kysely.selectFrom('org_units').selectAll();
    if (!q.includeInactive) query = query.where('active', '=', true);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.q) query = query.where('search_text', 'like', `%${foldVietnamese(q.q).replace(/[%_\\]/g, '\\$&')}%`);
    const rows = await query.orderBy('kind').orderBy('code').execute();
    return rows.map(toOrgUnitView);
  }

  async function get(id: string): Promise<OrgUnitView> {
    const r = await db.kysely.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Org unit');
    return toOrgUnitView(r);
  }

  async function create(p: Principal, body: CreateOrgUnitBody, requestId?: string): Promise<OrgUnitView> {
    checkReferences(body);
    if (body.parentId) await get(body.parentId).catch(() => { throw invalidField('parentId', 'invalid_value', 'no such unit'); });
    const id = randomUUID();
    return db.kysely.transaction().execute(async (trx) => {
      const clash = await trx.selectFrom('org_units').select('id').where('code', '=', body.code).executeTakeFirst();
      if (clash) throw invalidField('code', 'not_unique', 'is already used by another unit');
      const row = await trx
        .insertInto('org_units')
        .values({
          id,
          code: body.code,
          kind: body.kind,
          parent_id: body.parentId,
          force_code: body.forceCode ?? null,
          province_code: body.provinceCode ?? null,
          name_vi: body.nameVi,
          name_en: body.nameEn,
          search_text: orgSearchText(body.code, body.nameVi, body.nameEn),
          created_at: clock.now(),
          updated_at: clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit.record({ action: 'org_unit.create', actor: actorOf(p), entityType: 'org_unit', entityId: id, detail: { ...body }, requestId }, trx);
      return toOrgUnitView(row);
    });
  }

  async function update(p: Principal, id: string, body: UpdateOrgUnitBody, requestId?: string): Promise<OrgUnitView> {
    checkReferences(body);
    return db.kysely.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom('org_units').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!cur) throw notFound('Org unit');
      if (cur.version !== body.version) throw staleVersion('This unit');
      if (body.parentId !== undefined && body.parentId !== null) {
        // Refuse a parent that lies below this unit: the tree would become a loop.
        const below = await unitSubtree(trx, id);
        if (below.includes(body.parentId)) throw invalidField('parentId', 'invalid_value', 'would put the unit below itself');
        const parent = await trx.selectFrom('org_units').select('id').where('id', '=', body.parentId).executeTakeFirst();
        if (!parent) throw invalidField('parentId', 'invalid_value', 'no such unit');
      }
      if (body.active === false) {
        const members = await trx.selectFrom('users').select('id').where('unit_id', '=', id).where('disabled', '=', false).limit(1).execute();
        if (members.length) throw new AppError('CONFLICT', 'The unit still has active users; move or disable them first');
      }
      const next = {
        parent_id: body.parentId === undefined ? cur.parent_id : body.parentId,
        force_code: body.forceCode === undefined ? cur.force_code : body.forceCode,
        province_code: body.provinceCode === undefined ? cur.province_code : body.provinceCode,
        name_vi: body.nameVi ?? cur.name_vi,
        name_en: body.nameEn ?? cur.name_en,
        active: body.active ?? cur.active,
      };
      const row = await trx
        .updateTable('org_units')
        .set({ ...next, search_text: orgSearchText(cur.code, next.name_vi, next.name_en), version: cur.version + 1, updated_at: clock.now() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const { version: _v, ...changes } = body;
      await audit.record({ action: 'org_unit.update', actor: actorOf(p), entityType: 'org_unit', entityId: id, detail: changes, requestId }, trx);
      return toOrgUnitView(row);
    });
  }

  return { list, get, create, update };
}

export type OrgService = ReturnType<typeof createOrgService>;
