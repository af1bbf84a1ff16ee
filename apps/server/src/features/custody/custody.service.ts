import { createHash, randomUUID } from 'node:crypto';
import {
  CUSTODY_PHOTO_MAX_BYTES, CUSTODY_PHOTO_MAX_FILES, CUSTODY_PHOTO_TYPES,
  type CreateCustodyItemsBody, type CreateWarehouseBody, type CustodyEventView, type CustodyItemDetail, type CustodyItemList,
  type CustodyItemsQuery, type CustodyItemSummary, type CustodyPhotoView, type CustodyVerifyResult, type FieldIssue,
  type RecordCustodyEventBody, type UpdateCustodyItemBody, type WarehouseView,
} from '@cordon/contracts';
import {
  allowedCustodyEvents, applyCustodyEvent, checkCustodyEvent, decideAccess, DEFAULT_HANDLING_RULES, handlingDeadline, isCustodyOverdue,
  isFinalCustodyState, readIsAudited, replayCustody,
  type AccessDecision, type CustodyEventInput, type CustodyEventKind, type CustodyPosition, type CustodyState, type HandlingRules,
} from '@cordon/engine';
import { isGoodsCategoryCode } from '@cordon/reference';
import { sql, type Database, type Db, type Kysely, type Selectable, type CustodyItemsTable, type CustodyEventsTable } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound, staleVersion } from '../../errors.js';
import { vietnamToday, type Clock } from '../../lib/clock.js';
import type { AccessService } from '../access/access.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { cleanFileName, sniffType, type UploadedFile } from '../cases/attachments/attachments.service.js';
import { CASE_WRITER_ROLES, type CasesService } from '../cases/cases.service.js';
import { custodyEventHash, custodyGenesisHash, type CustodyChainRow } from './custody.chain.js';
import { unitSubtree } from '../org/subtree.js';

type Tx = Kysely<Database>;
type ItemRow = Selectable<CustodyItemsTable>;
type EventRow = Selectable<CustodyEventsTable>;
type UnitSummary = CustodyItemSummary['holderUnit'];
type CaseFacts = { id: string; code: string; title: string; sensitivity: string; handling_unit_ids: string[]; named_user_ids: string[] };

export const ITEM_RECORD_TYPE = 'custody_item';
const CASE_RECORD_TYPE = 'case';
/** A principal that stands for "any officer of this unit" when asking whether a unit may see a case. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

const iso = (d: Date | string) => new Date(d).toISOString();
const num = (v: string | number | null) => (v === null ? null : Number(v));
const canWriteRole = (p: Principal) => p.roles.some((r) => (CASE_WRITER_ROLES as readonly string[]).includes(r));
const issuesError = (issues: FieldIssue[], code: 'INVALID_INPUT' | 'CONFLICT' = 'INVALID_INPUT') =>
  new AppError(code, issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);

/**
 * Seized goods in custody. Access follows the item's case: who may not see the case sees none of its
 * items; the units that have held an item keep sight of it as long as they may see the case at all.
 * Only the holding unit (or an admin) records movements; every movement is a custody event in the
 * item's hash chain, written with the item's new position and an audit event in one transaction.
 */
export function createCustodyService({ db, clock, audit, access, cases, handlingRules = DEFAULT_HANDLING_RULES }: {
  db: Db; clock: Clock; audit: AuditService; access: AccessService; cases: CasesService; handlingRules?: HandlingRules;
}) {
  async function unitsById(ids: readonly string[], trx: Tx = db.kysely): Promise<Map<string, UnitSummary & { active: boolean }>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await trx.selectFrom('org_units').select(['id', 'code', 'name_vi', 'name_en', 'force_code', 'active']).where('id', 'in', unique).execute();
    return new Map(rows.map((u) => [u.id, { id: u.id, code: u.code, nameVi: u.name_vi, nameEn: u.name_en, forceCode: u.force_code, active: u.active }]));
  }
  const unitOf = (units: Map<string, UnitSummary>, id: string): UnitSummary => {
    const u = units.get(id);
    return u ? { id: u.id, code: u.code, nameVi: u.nameVi, nameEn: u.nameEn, forceCode: u.forceCode } : { id, code: '?', nameVi: '?', nameEn: '?', forceCode: null };
  };

  const caseFacts = (c: CaseFacts) => ({ sensitivity: c.sensitivity as 'internal' | 'restricted' | 'secret', handlingUnitIds: c.handling_unit_ids, namedUserIds: c.named_user_ids });

  async function caseDecision(p: Principal, c: CaseFacts, trx: Tx = db.kysely): Promise<AccessDecision> {
    return decideAccess(p, { ...caseFacts(c), ...(await access.sharesOf(CASE_RECORD_TYPE, c.id, trx)) });
  }

  /**
   * Full access to the case, or sight of it at all (an internal case's summary) plus having held the
   * item, or being an admin (who records movements for any unit).
   */
  const mayView = (p: Principal, d: AccessDecision, item: Pick<ItemRow, 'custodian_unit_ids'>) =>
    d.level === 'full' || (d.level === 'summary' && (p.roles.includes('admin') || item.custodian_unit_ids.some((u) => p.unitIds.includes(u))));
  const mayRecord = (p: Principal, item: Pick<ItemRow, 'holder_unit_id'>) =>
    canWriteRole(p) && (p.unitIds.includes(item.holder_unit_id) || p.roles.includes('admin'));

  async function loadCase(caseId: string, trx: Tx = db.kysely): Promise<CaseFacts | undefined> {
    return trx.selectFrom('cases').select(['id', 'code', 'title', 'sensitivity', 'handling_unit_ids', 'named_user_ids']).where('id', '=', caseId).executeTakeFirst();
  }

  /** The item and its case as this user may see them; 404 (audited) when they may not know it exists. */
  async function visibleItem(p: Principal, id: string, requestId?: string, trx: Tx = db.kysely, opts: { lock?: boolean; auditRead?: boolean } = {}) {
    let q = trx.selectFrom('custody_items').selectAll().where('id', '=', id);
    if (opts.lock) q = q.forUpdate();
    const item = await q.executeTakeFirst();
    if (!item) throw notFound('Custody item');
    const c = (await loadCase(item.case_id, trx))!;
    const decision = await caseDecision(p, c, trx);
    if (!mayView(p, decision, item)) {
      // Inside a caller's transaction the denial would roll back with it: callers check first outside one.
      if (!opts.lock) await audit.record({ action: `${ITEM_RECORD_TYPE}.read`, outcome: 'denied', actor: actorOf(p), entityType: ITEM_RECORD_TYPE, entityId: id, detail: { caseId: c.id, rule: decision.rule }, requestId });
      throw notFound('Custody item');
    }
    if (opts.auditRead && readIsAudited(caseFacts(c))) {
      await audit.record({ action: `${ITEM_RECORD_TYPE}.read`, actor: actorOf(p), entityType: ITEM_RECORD_TYPE, entityId: id, detail: { caseId: c.id, rule: decision.rule, sensitivity: c.sensitivity }, requestId });
    }
    return { item, c, decision };
  }

  // ---------------------------------------------------------------- warehouses

  async function warehouseCounts(ids: string[]): Promise<Map<string, { itemCount: number; overdueCount: number }>> {
    const result = new Map<string, { itemCount: number; overdueCount: number }>(ids.map((id) => [id, { itemCount: 0, overdueCount: 0 }]));
    if (!ids.length) return result;
    // Counts only (statistics): they cover every case, details stay behind need-to-know.
    const rows = await db.kysely.selectFrom('custody_items').select(['warehouse_id', 'category', 'seized_on', 'state'])
      .where('warehouse_id', 'in', ids).where('state', 'not in', ['auctioned', 'destroyed', 'released']).execute();
    const today = vietnamToday(clock);
    for (const r of rows) {
      const c = result.get(r.warehouse_id!)!;
      c.itemCount++;
      if (isCustodyOverdue({ seizedOn: r.seized_on, category: r.category, state: r.state as CustodyState }, today, handlingRules)) c.overdueCount++;
    }
    return result;
  }

  /** Warehouses of the user's units (all of them for an admin or analyst), with what they hold now. */
  async function listWarehouses(p: Principal): Promise<WarehouseView[]> {
    let q = db.kysely.selectFrom('warehouses').selectAll();
    if (!p.roles.includes('admin') && !p.roles.includes('analyst')) q = q.where('unit_id', 'in', p.unitIds.length ? p.unitIds : [NOBODY]);
    const rows = await q.orderBy('code').execute();
    const units = await unitsById(rows.map((r) => r.unit_id));
    const counts = await warehouseCounts(rows.map((r) => r.id));
    return rows.map((w) => ({ id: w.id, unit: unitOf(units, w.unit_id), code: w.code, name: w.name, address: w.address, active: w.active, ...counts.get(w.id)! }));
  }

  async function createWarehouse(p: Principal, body: CreateWarehouseBody, requestId?: string): Promise<WarehouseView> {
    if (!canWriteRole(p)) throw forbidden('Registering warehouses needs the officer, provincial coordinator, analyst or admin role');
    const unitId = body.unitId ?? p.unitId;
    if (!p.unitIds.includes(unitId) && !p.roles.includes('admin')) throw invalidField('unitId', 'invalid_value', 'must be your unit or one below it');
    const unit = (await unitsById([unitId])).get(unitId);
    if (!unit?.active) throw invalidField('unitId', 'invalid_value', 'no such active unit');
    const exists = await db.kysely.selectFrom('warehouses').select('id').where('unit_id', '=', unitId).where('code', '=', body.code).executeTakeFirst();
    if (exists) throw new AppError('CONFLICT', `code: the unit already has a warehouse "${body.code}"`, [{ field: 'code', reason: 'not_unique', message: 'the unit already has a warehouse with this code' }]);
    const id = randomUUID();
    const now = clock.now();
    await db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('warehouses').values({ id, unit_id: unitId, code: body.code, name: body.name, address: body.address ?? null, created_by: p.userId, created_at: now, updated_at: now }).execute();
      await audit.record({ action: 'custody.warehouse.create', actor: actorOf(p), entityType: 'warehouse', entityId: id, detail: { code: body.code, unitId }, requestId }, trx);
    });
    return (await listWarehouses({ ...p, roles: [...p.roles, 'admin'] })).find((w) => w.id === id)!;
  }

  // ---------------------------------------------------------------- items

  type ListedRow = ItemRow & { case_code: string; case_title: string; sensitivity: string; handling_unit_ids: string[]; named_user_ids: string[]; wh_code: string | null; wh_name: string | null };

  function itemsQuery(trx: Tx = db.kysely) {
    return trx
      .selectFrom('custody_items as i')
      .innerJoin('cases as c', 'c.id', 'i.case_id')
      .leftJoin('warehouses as w', 'w.id', 'i.warehouse_id')
      .selectAll('i')
      .select(['c.code as case_code', 'c.title as case_title', 'c.sensitivity', 'c.handling_unit_ids', 'c.named_user_ids', 'w.code as wh_code', 'w.name as wh_name']);
  }

  function toSummary(r: ListedRow, units: Map<string, UnitSummary>): CustodyItemSummary {
    const state = r.state as CustodyState;
    return {
      id: r.id,
      code: r.code,
      caseId: r.case_id,
      caseCode: r.case_code,
      goodsLineNo: r.goods_line_no,
      description: r.description,
      category: r.category,
      hsCode: r.hs_code,
      quantity: num(r.quantity),
      unit: r.unit,
      estimatedValueVnd: r.estimated_value_vnd,
      seizedOn: r.seized_on,
      state,
      holderUnit: unitOf(units, r.holder_unit_id),
      warehouse: r.warehouse_id ? { id: r.warehouse_id, code: r.wh_code ?? '?', name: r.wh_name ?? '?' } : null,
      shelf: r.shelf,
      deadline: handlingDeadline(r.seized_on, r.category, handlingRules),
      overdue: isCustodyOverdue({ seizedOn: r.seized_on, category: r.category, state }, vietnamToday(clock), handlingRules),
      eventCount: r.event_count,
      version: r.version,
    };
  }

  /** Rows this user may see, deciding each case once (shares loaded in one query). */
  async function filterVisible(p: Principal, rows: ListedRow[]): Promise<ListedRow[]> {
    const caseIds = [...new Set(rows.map((r) => r.case_id))];
    const shares = caseIds.length ? await db.kysely.selectFrom('record_shares').select(['record_id', 'unit_id', 'user_id']).where('record_type', '=', CASE_RECORD_TYPE).where('record_id', 'in', caseIds).where('revoked_at', 'is', null).execute() : [];
    const decisions = new Map<string, AccessDecision>();
    return rows.filter((r) => {
      let d = decisions.get(r.case_id);
      if (!d) {
        const mine = shares.filter((s) => s.record_id === r.case_id);
        d = decideAccess(p, { ...caseFacts({ ...r, id: r.case_id, code: r.case_code, title: r.case_title }), sharedUnitIds: mine.flatMap((s) => (s.unit_id ? [s.unit_id] : [])), sharedUserIds: mine.flatMap((s) => (s.user_id ? [s.user_id] : [])) });
        decisions.set(r.case_id, d);
      }
      return mayView(p, d, r);
    });
  }

  const LIST_CAP = 1000;

  /** Items held by the user's units (or every item they may see), with the overdue flag. */
  async function listItems(p: Principal, q: CustodyItemsQuery): Promise<CustodyItemList> {
    let query = itemsQuery();
    if (q.scope === 'held') query = query.where('i.holder_unit_id', 'in', p.unitIds.length ? p.unitIds : [NOBODY]);
    if (q.warehouseId) query = query.where('i.warehouse_id', '=', q.warehouseId);
    if (q.caseId) query = query.where('i.case_id', '=', q.caseId);
    if (q.overdue !== undefined || q.warehouseId) query = query.where('i.state', 'not in', ['auctioned', 'destroyed', 'released']);
    const rows = (await query.orderBy('i.seized_on').orderBy('i.code').limit(LIST_CAP).execute()) as ListedRow[];
    const visible = await filterVisible(p, rows);
    const units = await unitsById(visible.map((r) => r.holder_unit_id));
    let items = visible.map((r) => toSummary(r, units));
    if (q.overdue !== undefined) items = items.filter((i) => i.overdue === q.overdue);
    return { items, hiddenCount: rows.length - visible.length };
  }

  /** Items of one case: the case itself must be visible (404 otherwise, audited). */
  async function listForCase(p: Principal, caseId: string, requestId?: string): Promise<CustodyItemList> {
    const c = await loadCase(caseId);
    if (!c) throw notFound('Case');
    await access.checkRead(p, { type: CASE_RECORD_TYPE, id: caseId, facts: caseFacts(c) }, requestId);
    return listItems(p, { scope: 'all', caseId, overdue: undefined });
  }

  async function nextItemCode(trx: Tx, seizedOn: string): Promise<string> {
    const { rows } = await sql<{ n: number }>`SELECT nextval('custody_item_number_seq')::int AS n`.execute(trx);
    return `TV-${seizedOn.slice(0, 4)}-${String(rows[0]!.n).padStart(6, '0')}`;
  }

  /**
   * Creates custody items from a case's seizure: one per goods line when no list is sent (refused if the
   * case already has items, so a double click creates nothing twice). Only officers of a unit handling
   * the case create them; their unit holds the items, not yet received.
   */
  async function createFromCase(p: Principal, caseId: string, body: CreateCustodyItemsBody, requestId?: string): Promise<CustodyItemList> {
    if (!canWriteRole(p)) throw forbidden('Registering seized goods needs the officer, provincial coordinator, analyst or admin role');
    const created = await db.kysely.transaction().execute(async (trx) => {
      const c = await trx.selectFrom('cases').select(['id', 'code', 'title', 'sensitivity', 'handling_unit_ids', 'named_user_ids', 'detected_on']).where('id', '=', caseId).forUpdate().executeTakeFirst();
      if (!c) throw notFound('Case');
      const d = await caseDecision(p, c, trx);
      if (d.level === 'none') throw notFound('Case');
      if (d.level !== 'full' || !c.handling_unit_ids.some((u) => p.unitIds.includes(u))) throw forbidden('Only the recording, lead and coordinating units register the goods they seized');
      const goods = await trx.selectFrom('case_goods').selectAll().where('case_id', '=', caseId).orderBy('line_no').execute();
      let inputs = body.items;
      if (!inputs) {
        const existing = await trx.selectFrom('custody_items').select('id').where('case_id', '=', caseId).limit(1).executeTakeFirst();
        if (existing) throw new AppError('CONFLICT', 'items: this case already has custody items; send the items to add', [{ field: 'items', reason: 'not_unique', message: 'the case already has custody items; list the ones to add' }]);
        if (!goods.length) throw invalidField('items', 'required', 'the case has no goods lines; list the items');
        inputs = goods.map((g) => ({ goodsLineNo: g.line_no, description: g.description, category: g.category, hsCode: g.hs_code, quantity: num(g.quantity), unit: g.unit, estimatedValueVnd: g.value_vnd }));
      }
      const issues: FieldIssue[] = [];
      inputs.forEach((it, i) => {
        if (!isGoodsCategoryCode(it.category)) issues.push({ field: `items.${i}.category`, reason: 'invalid_value', message: `"${it.category}" is not a goods category` });
        if (it.goodsLineNo != null && !goods.some((g) => g.line_no === it.goodsLineNo)) issues.push({ field: `items.${i}.goodsLineNo`, reason: 'invalid_value', message: `the case has no goods line ${it.goodsLineNo}` });
      });
      const seizedOn = body.seizedOn ?? c.detected_on;
      if (seizedOn > vietnamToday(clock)) issues.push({ field: 'seizedOn', reason: 'invalid_value', message: 'is in the future' });
      if (seizedOn < c.detected_on) issues.push({ field: 'seizedOn', reason: 'invalid_value', message: `cannot be before the case was detected (${c.detected_on})` });
      if (issues.length) throw issuesError(issues);
      const now = clock.now();
      const ids: string[] = [];
      for (const it of inputs) {
        const id = randomUUID();
        const code = await nextItemCode(trx, seizedOn);
        await trx.insertInto('custody_items').values({
          id, code, case_id: caseId, goods_line_no: it.goodsLineNo ?? null, description: it.description, category: it.category, hs_code: it.hsCode ?? null,
          quantity: it.quantity ?? null, unit: it.unit ?? null, estimated_value_vnd: it.estimatedValueVnd ?? null, seized_on: seizedOn,
          first_holder_unit_id: p.unitId, holder_unit_id: p.unitId, custodian_unit_ids: [p.unitId], warehouse_id: null, shelf: null,
          head_hash: custodyGenesisHash(id), created_by: p.userId, created_at: now, updated_at: now,
        }).execute();
        await audit.record({ action: 'custody.item.create', actor: actorOf(p), entityType: ITEM_RECORD_TYPE, entityId: id, detail: { code, caseId, goodsLineNo: it.goodsLineNo ?? null }, requestId }, trx);
        ids.push(id);
      }
      return ids;
    });
    const list = await listItems(p, { scope: 'all', caseId, overdue: undefined });
    return { items: list.items.filter((i) => created.includes(i.id)), hiddenCount: 0 };
  }

  function toEventView(e: EventRow, units: Map<string, UnitSummary>, warehouses: Map<string, { id: string; code: string; name: string }>, names: Map<string, string> = new Map()): CustodyEventView {
    return {
      id: e.id,
      seq: e.seq,
      kind: e.kind as CustodyEventKind,
      at: iso(e.at),
      recordedAt: iso(e.recorded_at),
      actorUsername: e.actor_username,
      actorName: (e.actor_user_id && names.get(e.actor_user_id)) || e.actor_username,
      actorUnit: unitOf(units, e.actor_unit_id),
      fromUnit: unitOf(units, e.from_unit_id),
      toUnit: unitOf(units, e.to_unit_id),
      warehouse: e.warehouse_id ? (warehouses.get(e.warehouse_id) ?? { id: e.warehouse_id, code: '?', name: '?' }) : null,
      shelf: e.shelf,
      place: e.place,
      documentNo: e.document_no,
      decisionNo: e.decision_no,
      auctionValueVnd: e.auction_value_vnd,
      note: e.note,
      hash: e.hash,
    };
  }

  async function photoViews(itemId: string, ids?: string[]): Promise<CustodyPhotoView[]> {
    let q = db.kysely.selectFrom('custody_item_photos as f').leftJoin('users as u', 'u.id', 'f.uploaded_by')
      .select(['f.id', 'f.item_id', 'f.file_name', 'f.mime_type', 'f.size_bytes', 'f.sha256', 'f.created_at', 'u.display_name as username']).where('f.item_id', '=', itemId);
    if (ids) q = q.where('f.id', 'in', ids);
    const rows = await q.orderBy('f.created_at').orderBy('f.file_name').execute();
    return rows.map((f) => ({ id: f.id, itemId: f.item_id, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: f.size_bytes, sha256: f.sha256, uploadedBy: f.username, createdAt: iso(f.created_at) }));
  }

  /** The item page (what its QR label opens): the item, who holds it where, and its chain of events. */
  async function getItem(p: Principal, id: string, requestId?: string, opts: { audited?: boolean } = {}): Promise<CustodyItemDetail> {
    await visibleItem(p, id, requestId, db.kysely, { auditRead: !opts.audited });
    const row = (await itemsQuery().where('i.id', '=', id).executeTakeFirstOrThrow()) as ListedRow;
    const events = await db.kysely.selectFrom('custody_events').selectAll().where('item_id', '=', id).orderBy('seq').execute();
    const units = await unitsById([row.holder_unit_id, ...events.flatMap((e) => [e.actor_unit_id, e.from_unit_id, e.to_unit_id])]);
    const whIds = [...new Set(events.flatMap((e) => (e.warehouse_id ? [e.warehouse_id] : [])))];
    const whs = whIds.length ? await db.kysely.selectFrom('warehouses').select(['id', 'code', 'name']).where('id', 'in', whIds).execute() : [];
    const warehouses = new Map(whs.map((w) => [w.id, w]));
    const actorIds = [...new Set(events.flatMap((e) => (e.actor_user_id ? [e.actor_user_id] : [])))];
    const actors = actorIds.length ? await db.kysely.selectFrom('users').select(['id', 'display_name']).where('id', 'in', actorIds).execute() : [];
    const names = new Map(actors.map((u) => [u.id, u.display_name]));
    const may = mayRecord(p, row);
    const state = row.state as CustodyState;
    return {
      ...toSummary(row, units),
      caseTitle: row.case_title,
      events: events.map((e) => toEventView(e, units, warehouses, names)),
      photos: await photoViews(id),
      allowedEvents: may ? allowedCustodyEvents(state) : [],
      mayRecord: may && !isFinalCustodyState(state),
      mayEdit: may && !isFinalCustodyState(state),
      headHash: row.head_hash,
    };
  }

  /** Corrects an item's description, category, HS code, quantity or value (holding unit; not after disposal). */
  async function updateItem(p: Principal, id: string, body: UpdateCustodyItemBody, requestId?: string): Promise<CustodyItemDetail> {
    await visibleItem(p, id, requestId);
    await db.kysely.transaction().execute(async (trx) => {
      const { item } = await visibleItem(p, id, requestId, trx, { lock: true });
      if (!mayRecord(p, item)) throw forbidden('Only the unit holding the item corrects it');
      if (isFinalCustodyState(item.state as CustodyState)) throw new AppError('CONFLICT', `The item is ${item.state}; its record is closed`);
      if (item.version !== body.version) throw staleVersion('This item');
      if (body.category !== undefined && !isGoodsCategoryCode(body.category)) throw invalidField('category', 'invalid_value', `"${body.category}" is not a goods category`);
      const { version: _v, ...fields } = body;
      await trx.updateTable('custody_items').set({
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.category !== undefined ? { category: body.category } : {}),
        ...(body.hsCode !== undefined ? { hs_code: body.hsCode } : {}),
        ...(body.quantity !== undefined ? { quantity: body.quantity } : {}),
        ...(body.unit !== undefined ? { unit: body.unit } : {}),
        ...(body.estimatedValueVnd !== undefined ? { estimated_value_vnd: body.estimatedValueVnd } : {}),
        version: item.version + 1,
        updated_at: clock.now(),
      }).where('id', '=', id).execute();
      await audit.record({ action: 'custody.item.update', actor: actorOf(p), entityType: ITEM_RECORD_TYPE, entityId: id, detail: { fields: Object.keys(fields), before: { description: item.description, category: item.category, hsCode: item.hs_code, quantity: num(item.quantity), unit: item.unit, estimatedValueVnd: item.estimated_value_vnd } }, requestId }, trx);
    });
    return getItem(p, id, requestId, { audited: true });
  }

  /**
   * Records one movement. The engine decides whether it may follow; the server checks who records it
   * (the holding unit, or an admin), the warehouse (the recorder's), the receiving unit (one that may see
   * the case), and for an auction adds the proceeds to the case's amount collected in the same transaction.
   */
  async function recordEvent(p: Principal, id: string, body: RecordCustodyEventBody, requestId?: string): Promise<CustodyItemDetail> {
    const refuse = async (holderUnitId: string) => {
      const holder = (await unitsById([holderUnitId])).get(holderUnitId);
      return forbidden(`Only the unit holding the item (${holder?.code ?? '?'}) records its movements`);
    };
    // Checked first outside the transaction, so denials stay in the audit trail; again under the lock.
    const seen = await visibleItem(p, id, requestId);
    if (!mayRecord(p, seen.item)) {
      await audit.record({ action: 'custody.event', outcome: 'denied', actor: actorOf(p), entityType: ITEM_RECORD_TYPE, entityId: id, detail: { kind: body.kind, holderUnitId: seen.item.holder_unit_id }, requestId });
      throw await refuse(seen.item.holder_unit_id);
    }
    await db.kysely.transaction().execute(async (trx) => {
      const { item, c } = await visibleItem(p, id, requestId, trx, { lock: true });
      if (!mayRecord(p, item)) throw forbidden('Only the unit holding the item records its movements');
      if (item.version !== body.version) throw staleVersion('This item');
      const now = clock.now();
      const at = new Date(body.at ?? now).toISOString();
      const last = item.event_count ? await trx.selectFrom('custody_events').select('at').where('item_id', '=', id).where('seq', '=', item.event_count).executeTakeFirst() : undefined;
      const pos: CustodyPosition = { state: item.state as CustodyState, holderUnitId: item.holder_unit_id, warehouseId: item.warehouse_id, shelf: item.shelf };
      const input: CustodyEventInput = { ...body, at };
      const problems: FieldIssue[] = checkCustodyEvent(pos, input, { lastAt: last ? iso(last.at) : null, now: now.toISOString() });
      if (problems.some((x) => x.reason === 'invalid_transition')) throw issuesError(problems, 'CONFLICT');
      if (body.kind === 'stored' && body.warehouseId) {
        const w = await trx.selectFrom('warehouses').select(['unit_id', 'active']).where('id', '=', body.warehouseId).executeTakeFirst();
        if (!w || !w.active) problems.push({ field: 'warehouseId', reason: 'invalid_value', message: 'no such active warehouse' });
        else if (!(await unitSubtree(trx, item.holder_unit_id)).includes(w.unit_id)) problems.push({ field: 'warehouseId', reason: 'invalid_value', message: 'belongs to another unit than the one holding the item' });
      }
      if (body.kind === 'transferred' && body.toUnitId && body.toUnitId !== item.holder_unit_id) {
        const to = (await unitsById([body.toUnitId], trx)).get(body.toUnitId);
        if (!to?.active) problems.push({ field: 'toUnitId', reason: 'invalid_value', message: 'no such active unit' });
        else {
          const receiving = { userId: NOBODY, unitIds: await unitSubtree(trx, body.toUnitId), roles: ['officer'] };
          const d = decideAccess(receiving, { ...caseFacts(c), ...(await access.sharesOf(CASE_RECORD_TYPE, c.id, trx)) });
          if (d.level === 'none') problems.push({ field: 'toUnitId', reason: 'invalid_value', message: 'the receiving unit may not see this case; share the case with it first' });
        }
      }
      if (problems.length) throw issuesError(problems);

      const next = applyCustodyEvent(pos, input);
      const eventId = randomUUID();
      const chainRow: CustodyChainRow = {
        item_id: id,
        seq: item.event_count + 1,
        id: eventId,
        kind: body.kind,
        at,
        // milliseconds only, so the instant read back from timestamptz hashes the same
        recorded_at: now.toISOString(),
        actor_user_id: p.userId,
        actor_username: p.username,
        actor_unit_id: p.unitId,
        from_unit_id: item.holder_unit_id,
        to_unit_id: next.holderUnitId,
        warehouse_id: body.kind === 'stored' ? (body.warehouseId ?? null) : null,
        shelf: body.kind === 'stored' ? (body.shelf?.trim() || null) : null,
        place: body.place?.trim() || null,
        document_no: body.documentNo?.trim() || null,
        decision_no: body.decisionNo?.trim() || null,
        auction_value_vnd: body.kind === 'auctioned' ? body.auctionValueVnd! : null,
        note: body.note?.trim() || null,
        prev_hash: item.head_hash,
      };
      const hash = custodyEventHash(chainRow);
      await trx.insertInto('custody_events').values({ ...chainRow, hash, created_at: now }).execute();
      await trx.updateTable('custody_items').set({
        state: next.state,
        holder_unit_id: next.holderUnitId,
        custodian_unit_ids: [...new Set([...item.custodian_unit_ids, next.holderUnitId])],
        warehouse_id: next.warehouseId,
        shelf: next.shelf,
        event_count: chainRow.seq,
        head_hash: hash,
        version: item.version + 1,
        updated_at: now,
      }).where('id', '=', id).execute();
      await audit.record({ action: 'custody.event', actor: actorOf(p), entityType: ITEM_RECORD_TYPE, entityId: id, detail: { kind: body.kind, seq: chainRow.seq, eventId, hash, caseId: c.id, from: pos.state, to: next.state, holderUnitId: next.holderUnitId }, requestId }, trx);
      if (body.kind === 'auctioned' && chainRow.auction_value_vnd! > 0) {
        await cases.addCollected(trx, p, c.id, chainRow.auction_value_vnd!, { source: 'custody.auction', itemId: id, itemCode: item.code, eventId, decisionNo: chainRow.decision_no }, requestId);
      }
    });
    return getItem(p, id, requestId, { audited: true });
  }

  // ---------------------------------------------------------------- photos

  type PhotoType = keyof typeof CUSTODY_PHOTO_TYPES;

  async function uploadPhotos(p: Principal, id: string, files: UploadedFile[], requestId?: string): Promise<CustodyPhotoView[]> {
    const { item } = await visibleItem(p, id, requestId);
    if (!mayRecord(p, item)) throw forbidden('Only the unit holding the item adds its photos');
    if (!files.length) throw invalidField('files', 'required', 'send at least one photo');
    if (files.length > CUSTODY_PHOTO_MAX_FILES) throw invalidField('files', 'too_many', `at most ${CUSTODY_PHOTO_MAX_FILES} photos at once`, CUSTODY_PHOTO_MAX_FILES);
    const issues: FieldIssue[] = [];
    const types: PhotoType[] = [];
    for (const [i, f] of files.entries()) {
      const name = cleanFileName(f.fileName);
      if (f.truncated || f.data.length > CUSTODY_PHOTO_MAX_BYTES) {
        issues.push({ field: `files.${i}`, reason: 'too_large', message: `"${name}" is larger than ${CUSTODY_PHOTO_MAX_BYTES / 1024 / 1024} MB`, limit: CUSTODY_PHOTO_MAX_BYTES });
        continue;
      }
      const t = f.data.length ? await sniffType(f.data) : undefined;
      if (!t || !(t.mime in CUSTODY_PHOTO_TYPES)) {
        issues.push({ field: `files.${i}`, reason: 'unsupported_type', message: `"${name}" is ${t ? t.ext.toUpperCase() : 'not an image'}; accepted: JPEG, PNG, WebP` });
        continue;
      }
      const mime = t.mime as PhotoType;
      const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
      if (!(CUSTODY_PHOTO_TYPES[mime] as readonly string[]).includes(ext)) {
        issues.push({ field: `files.${i}`, reason: 'type_mismatch', message: `"${name}" is named .${ext || '(none)'} but its content is ${mime}; rename it .${CUSTODY_PHOTO_TYPES[mime][0]}` });
        continue;
      }
      types.push(mime);
    }
    if (issues.length) throw issuesError(issues);
    const ids: string[] = [];
    await db.kysely.transaction().execute(async (trx) => {
      const now = clock.now();
      for (const [i, f] of files.entries()) {
        const photoId = randomUUID();
        const sha256 = createHash('sha256').update(f.data).digest('hex');
        const fileName = cleanFileName(f.fileName);
        await trx.insertInto('custody_item_photos').values({ id: photoId, item_id: id, file_name: fileName, mime_type: types[i]!, size_bytes: f.data.length, sha256, content: f.data, uploaded_by: p.userId, created_at: now }).execute();
        await audit.record({ action: 'custody.photo.add', actor: actorOf(p), entityType: ITEM_RECORD_TYPE, entityId: id, detail: { photoId, fileName, mimeType: types[i], sizeBytes: f.data.length, sha256 }, requestId }, trx);
        ids.push(photoId);
      }
    });
    return photoViews(id, ids);
  }

  async function downloadPhoto(p: Principal, id: string, photoId: string, requestId?: string) {
    await visibleItem(p, id, requestId, db.kysely, { auditRead: true });
    const f = await db.kysely.selectFrom('custody_item_photos').selectAll().where('id', '=', photoId).where('item_id', '=', id).executeTakeFirst();
    if (!f) throw notFound('Photo');
    return { fileName: f.file_name, mimeType: f.mime_type, sha256: f.sha256, content: f.content };
  }

  // ---------------------------------------------------------------- verification

  /**
   * Re-computes every item's chain, item by item in code order, and names the first event that does not
   * fit: a changed field (hash_mismatch), a re-linked event (prev_mismatch), a missing sequence number
   * (gap), a chain whose end differs from the item's recorded head (head_mismatch: events removed from
   * the end), or events in an order the law does not allow (illegal_sequence).
   */
  async function verify(): Promise<CustodyVerifyResult> {
    let itemsChecked = 0;
    let eventsChecked = 0;
    let afterCode = '';
    const BATCH = 500;
    for (;;) {
      const items = await db.kysely.selectFrom('custody_items').select(['id', 'code', 'first_holder_unit_id', 'event_count', 'head_hash']).where('code', '>', afterCode).orderBy('code').limit(BATCH).execute();
      if (!items.length) break;
      const events = await db.kysely.selectFrom('custody_events').selectAll().where('item_id', 'in', items.map((i) => i.id)).orderBy('item_id').orderBy('seq').execute();
      const byItem = new Map<string, EventRow[]>();
      for (const e of events) (byItem.get(e.item_id) ?? byItem.set(e.item_id, []).get(e.item_id)!).push(e);
      for (const item of items) {
        const chain = byItem.get(item.id) ?? [];
        let prev = custodyGenesisHash(item.id);
        const broken = (seq: number, eventId: string | null, reason: NonNullable<CustodyVerifyResult['firstBroken']>['reason']): CustodyVerifyResult =>
          ({ ok: false, itemsChecked, eventsChecked, firstBroken: { itemId: item.id, itemCode: item.code, seq, eventId, reason } });
        for (const [i, e] of chain.entries()) {
          if (e.seq !== i + 1) return broken(i + 1, null, 'gap');
          if (e.prev_hash !== prev) return broken(e.seq, e.id, 'prev_mismatch');
          const { hash, created_at: _c, ...fields } = e;
          if (custodyEventHash({ ...fields, at: iso(e.at), recorded_at: iso(e.recorded_at) }) !== hash) return broken(e.seq, e.id, 'hash_mismatch');
          prev = hash;
          eventsChecked++;
        }
        if (chain.length !== item.event_count || prev !== item.head_hash) return broken(chain.length + 1, null, 'head_mismatch');
        try {
          replayCustody(item.first_holder_unit_id, chain.map((e) => ({ kind: e.kind as CustodyEventKind, at: iso(e.at), warehouseId: e.warehouse_id, shelf: e.shelf, toUnitId: e.to_unit_id })));
        } catch {
          return broken(1, chain[0]?.id ?? null, 'illegal_sequence');
        }
        itemsChecked++;
      }
      afterCode = items.at(-1)!.code;
      if (items.length < BATCH) break;
    }
    return { ok: true, itemsChecked, eventsChecked, firstBroken: null };
  }

  return { listWarehouses, createWarehouse, listItems, listForCase, createFromCase, getItem, updateItem, recordEvent, uploadPhotos, downloadPhoto, verify, handlingRules };
}

export type CustodyService = ReturnType<typeof createCustodyService>;
