import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustodyItemDetail, CustodyItemSummary } from '@cordon/contracts';
import { CUSTODY_EVENT_KINDS as ENGINE_KINDS, CUSTODY_STATES as ENGINE_STATES } from '@cordon/engine';
import { CUSTODY_EVENT_KINDS, CUSTODY_STATES } from '@cordon/contracts';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('PE\0\0'), Buffer.alloc(200, 0x90)]);

function multipart(files: { name: string; data: Buffer }[]) {
  const boundary = '----cordon-custody-boundary';
  const parts = files.flatMap((f) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
    f.data,
    Buffer.from('\r\n'),
  ]);
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const newCase = (over: Record<string, unknown> = {}) => ({
  title: 'Thu giữ xe tải chở thuốc lá và sữa lậu',
  violationType: 'SMUGGLING',
  detectedOn: '2026-10-05',
  provinceCode: '20',
  goods: [
    { category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá điếu Jet', quantity: 1500, unit: 'bao', valueVnd: 45_000_000 },
    { category: 'MILK_FOOD', hsCode: '0402', description: 'Sữa bột không nhãn phụ', quantity: 300, unit: 'hộp', valueVnd: 60_000_000 },
  ],
  ...over,
});

describe.each(testEngines())('seized goods custody on %s', (engine) => {
  let h: Harness;
  let ls: Client; // Customs, Lạng Sơn: records the cases and holds the goods
  let lsViewer: Client;
  let bg: Client; // Border Guard, Lạng Sơn: another force (summary of internal cases)
  let ms: Client; // Market Surveillance, Hà Nội: never involved
  let admin: Client;
  let auditor: Client;
  let caseId: string;
  let items: CustodyItemSummary[];
  let lsWarehouse: string;
  let bgWarehouse: string;
  let bgUnit: string;

  const record = (who: Client, item: { id: string; version: number }, body: Record<string, unknown>) =>
    who.request('POST', `/api/custody/items/${item.id}/events`, { version: item.version, ...body });
  const fresh = async (id: string) => (await ls.request('GET', `/api/custody/items/${id}`)).json() as CustodyItemDetail;

  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Customs Lang Son' });
    await h.services.org.create(seed, { code: 'BORDER_GUARD-LS', kind: 'unit', parentId: await h.unitId('BORDER_GUARD'), forceCode: 'BORDER_GUARD', provinceCode: '20', nameVi: 'Biên phòng Lạng Sơn', nameEn: 'Border Guard Lang Son' });
    bgUnit = await h.unitId('BORDER_GUARD-LS');
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'ls.viewer', roles: ['viewer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD-LS' });
    await h.makeUser({ username: 'ms.officer', roles: ['officer'], unit: 'MARKET_SURVEILLANCE' });
    await h.makeUser({ username: 'root', roles: ['admin'] });
    await h.makeUser({ username: 'tam', roles: ['auditor'] });
    ls = await h.login('ls.officer');
    lsViewer = await h.login('ls.viewer');
    bg = await h.login('bg.officer');
    ms = await h.login('ms.officer');
    admin = await h.login('root');
    auditor = await h.login('tam');
    caseId = (await ls.request('POST', '/api/cases', newCase())).json().id;
    lsWarehouse = (await ls.request('POST', '/api/custody/warehouses', { code: 'K1', name: 'Kho tang vật Tân Thanh' })).json().id;
    bgWarehouse = (await bg.request('POST', '/api/custody/warehouses', { code: 'KBP', name: 'Kho Đồn Biên phòng Hữu Nghị' })).json().id;
  });
  afterAll(() => h.close());

  it('keeps the contracts and the engine on the same lists of events and states', () => {
    expect([...CUSTODY_EVENT_KINDS]).toEqual([...ENGINE_KINDS]);
    expect([...CUSTODY_STATES]).toEqual([...ENGINE_STATES]);
  });

  it("creates one custody item per goods line of the case's seizure, held by the recording unit", async () => {
    const res = await ls.request('POST', `/api/custody/cases/${caseId}/items`, {});
    expect(res.statusCode, res.body).toBe(201);
    items = res.json().items;
    expect(items.map((i) => [i.goodsLineNo, i.category, i.hsCode, i.quantity, i.unit, i.estimatedValueVnd, i.state])).toEqual([
      [1, 'CIGARETTES', '240220', 1500, 'bao', 45_000_000, 'seized'],
      [2, 'MILK_FOOD', '0402', 300, 'hộp', 60_000_000, 'seized'],
    ]);
    expect(items[0]!.code).toMatch(/^TV-2026-\d{6}$/);
    expect(items[0]!.holderUnit.code).toBe('CUSTOMS-LS');
    expect(items[0]!.seizedOn).toBe('2026-10-05');
    // 90 days for cigarettes, 30 for milk and food, from the seizure
    expect(items.map((i) => i.deadline)).toEqual(['2027-01-03', '2026-11-04']);
    expect(items.map((i) => i.overdue)).toEqual([false, true]);
  });

  it('refuses to create the default items twice, and names a bad field in an edited list', async () => {
    const again = await ls.request('POST', `/api/custody/cases/${caseId}/items`, {});
    expect(again.statusCode).toBe(409);
    const bad = await ls.request('POST', `/api/custody/cases/${caseId}/items`, { items: [{ description: 'Xe tải', category: 'TRUCKS', goodsLineNo: 9 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['items.0.category', 'items.0.goodsLineNo']);
    const extra = await ls.request('POST', `/api/custody/cases/${caseId}/items`, { items: [{ description: 'Xe tải biển số 12C-045.67', category: 'VEHICLES_PARTS', quantity: 1, unit: 'chiếc', estimatedValueVnd: 350_000_000 }] });
    expect(extra.statusCode, extra.body).toBe(201);
    items.push(...(extra.json().items as CustodyItemSummary[]));
    expect((await ls.request('GET', `/api/custody/cases/${caseId}/items`)).json().items).toHaveLength(3);
  });

  it('lets only officers of a unit handling the case register its goods', async () => {
    expect((await bg.request('POST', `/api/custody/cases/${caseId}/items`, { items: [{ description: 'Hàng khác', category: 'OTHER' }] })).statusCode).toBe(403);
    expect((await lsViewer.request('POST', `/api/custody/cases/${caseId}/items`, { items: [{ description: 'Hàng khác', category: 'OTHER' }] })).statusCode).toBe(403);
  });

  it('records receiving and storing, and shows where the item is and its chain', async () => {
    let item = await fresh(items[0]!.id);
    expect(item.allowedEvents).toEqual(['received']);
    let res = await record(ls, item, { kind: 'received', documentNo: 'BB 12/BB-TG', place: 'Cửa khẩu Hữu Nghị' });
    expect(res.statusCode, res.body).toBe(201);
    item = res.json();
    res = await record(ls, item, { kind: 'stored', warehouseId: lsWarehouse, shelf: 'A-03' });
    expect(res.statusCode, res.body).toBe(201);
    item = res.json();
    expect(item).toMatchObject({ state: 'held', warehouse: { id: lsWarehouse, code: 'K1' }, shelf: 'A-03', eventCount: 2 });
    expect(item.events.map((e) => [e.seq, e.kind, e.actorUsername, e.toUnit.code])).toEqual([[1, 'received', 'ls.officer', 'CUSTOMS-LS'], [2, 'stored', 'ls.officer', 'CUSTOMS-LS']]);
    expect(item.events[0]!.documentNo).toBe('BB 12/BB-TG');
    // people read names, not usernames; the chain keeps the username it was recorded with
    await h.db.exec(`UPDATE users SET display_name = 'Nguyễn Văn Lâm' WHERE username = 'ls.officer'`);
    expect((await fresh(item.id)).events.map((e) => [e.actorName, e.actorUsername])).toEqual([['Nguyễn Văn Lâm', 'ls.officer'], ['Nguyễn Văn Lâm', 'ls.officer']]);
    await h.db.exec(`UPDATE users SET display_name = 'ls.officer' WHERE username = 'ls.officer'`);
    expect(item.headHash).toBe(item.events[1]!.hash);
    const wh = (await ls.request('GET', '/api/custody/warehouses')).json().items.find((w: { id: string }) => w.id === lsWarehouse);
    expect(wh).toMatchObject({ itemCount: 1, overdueCount: 0 });
  });

  it("refuses a warehouse of another unit, and an event the law's order does not allow", async () => {
    const item = await fresh(items[0]!.id);
    const res = await record(ls, item, { kind: 'stored', warehouseId: bgWarehouse });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({ field: 'warehouseId' });
    const back = await record(ls, item, { kind: 'returned' });
    expect(back.statusCode).toBe(409);
    expect(back.json().error.issues[0]).toMatchObject({ field: 'kind', reason: 'invalid_transition' });
    const stale = await record(ls, { ...item, version: item.version - 1 }, { kind: 'stored', warehouseId: lsWarehouse });
    expect(stale.statusCode).toBe(409);
  });

  it('hides the items of a case from users who may not see it in full, and audits the refusal', async () => {
    // Market Surveillance sees the internal case only in summary: not its goods in custody.
    expect((await ms.request('GET', `/api/custody/items/${items[0]!.id}`)).statusCode).toBe(404);
    const list = (await ms.request('GET', `/api/custody/cases/${caseId}/items`)).json();
    expect(list.items).toEqual([]);
    expect(list.hiddenCount).toBe(3);
    expect((await ms.request('GET', '/api/custody/items?scope=all')).json().items).toEqual([]);
    const denied = await h.db.kysely.selectFrom('audit_log').select(['action', 'outcome']).where('entity_id', '=', items[0]!.id).where('outcome', '=', 'denied').execute();
    expect(denied).toContainEqual({ action: 'custody_item.read', outcome: 'denied' });
    // auditors read the audit trail, not the records
    expect((await auditor.request('GET', `/api/custody/items/${items[0]!.id}`)).statusCode).toBe(404);
  });

  it('lets only the holding unit record movements, not its viewers, not other forces', async () => {
    const item = await fresh(items[0]!.id);
    expect((await record(lsViewer, item, { kind: 'stored', warehouseId: lsWarehouse, shelf: 'B' })).statusCode).toBe(403);
    expect((await record(bg, item, { kind: 'stored', warehouseId: lsWarehouse, shelf: 'B' })).statusCode).toBe(404);
    expect((await ms.request('PATCH', `/api/custody/items/${item.id}`, { version: item.version, description: 'Thuốc lá' })).statusCode).toBe(404);
    const viewerSees = (await lsViewer.request('GET', `/api/custody/items/${item.id}`)).json();
    expect(viewerSees).toMatchObject({ mayRecord: false, allowedEvents: [] });
  });

  it('transfers an item to another unit, which then records and sees it while the sender no longer records', async () => {
    let item = await fresh(items[0]!.id);
    const missingDoc = await record(ls, item, { kind: 'transferred', toUnitId: bgUnit });
    expect(missingDoc.statusCode).toBe(400);
    expect(missingDoc.json().error.issues[0].field).toBe('documentNo');
    const res = await record(ls, item, { kind: 'transferred', toUnitId: bgUnit, documentNo: 'BB 15/BB-BG', place: 'Tân Thanh' });
    expect(res.statusCode, res.body).toBe(201);
    item = res.json();
    expect(item).toMatchObject({ state: 'in_transit', holderUnit: { code: 'BORDER_GUARD-LS' }, warehouse: null, mayRecord: false });
    expect((await record(ls, item, { kind: 'received' })).statusCode).toBe(403);
    // the receiving unit sees the item (it holds it) though the case is another force's
    const seen = (await bg.request('GET', `/api/custody/items/${item.id}`)).json();
    expect(seen).toMatchObject({ mayRecord: true, allowedEvents: ['received'] });
    expect((await bg.request('GET', '/api/custody/items')).json().items.map((i: { id: string }) => i.id)).toEqual([item.id]);
    const received = await record(bg, item, { kind: 'received', documentNo: 'BB 15/BB-BG' });
    expect(received.statusCode, received.body).toBe(201);
    const stored = await record(bg, received.json(), { kind: 'stored', warehouseId: bgWarehouse, shelf: 'K-1' });
    expect(stored.json()).toMatchObject({ state: 'held', warehouse: { id: bgWarehouse } });
    // ...but not the case's other items, which it never held
    expect((await bg.request('GET', `/api/custody/items/${items[1]!.id}`)).statusCode).toBe(404);
  });

  it('transfers the items of a restricted case only to a unit that may see the case', async () => {
    const rid = (await ls.request('POST', '/api/cases', newCase({ title: 'Chuyên án hạn chế: thuốc lá', sensitivity: 'restricted', goods: [newCase().goods[0]] }))).json().id;
    const [ritem] = (await ls.request('POST', `/api/custody/cases/${rid}/items`, {})).json().items as CustodyItemSummary[];
    let item = (await record(ls, ritem!, { kind: 'received' })).json() as CustodyItemDetail;
    expect((await bg.request('GET', `/api/custody/cases/${rid}/items`)).statusCode).toBe(404);
    expect((await bg.request('GET', `/api/custody/items/${item.id}`)).statusCode).toBe(404);
    const refused = await record(ls, item, { kind: 'transferred', toUnitId: bgUnit, documentNo: 'BB 1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.issues[0]).toMatchObject({ field: 'toUnitId', message: expect.stringMatching(/may not see this case/) });
    const share = await h.db.kysely.selectFrom('cases').select(['sensitivity', 'handling_unit_ids', 'named_user_ids']).where('id', '=', rid).executeTakeFirstOrThrow();
    const lsP = { userId: (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'ls.officer').executeTakeFirstOrThrow()).id, username: 'ls.officer', unitId: await h.unitId('CUSTOMS-LS'), unitIds: [await h.unitId('CUSTOMS-LS')], roles: ['officer'] } as Principal;
    await h.services.access.share(lsP, { type: 'case', id: rid, facts: { sensitivity: 'restricted', handlingUnitIds: share.handling_unit_ids, namedUserIds: share.named_user_ids } }, { unitId: bgUnit, reason: 'chuyển giao tang vật' });
    item = (await record(ls, item, { kind: 'transferred', toUnitId: bgUnit, documentNo: 'BB 1' })).json();
    expect(item.holderUnit.code).toBe('BORDER_GUARD-LS');
    expect((await bg.request('GET', `/api/custody/items/${item.id}`)).statusCode).toBe(200);
  });

  it('keeps the items of a secret case from everyone not named on it, even in the holding unit', async () => {
    const named = (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'ls.officer').executeTakeFirstOrThrow()).id;
    const sid = (await ls.request('POST', '/api/cases', newCase({ title: 'Chuyên án mật: ma túy', sensitivity: 'secret', namedUserIds: [named], goods: [{ category: 'DRUGS', description: 'Ma túy đá', quantity: 2, unit: 'kg' }] }))).json().id;
    const [sitem] = (await ls.request('POST', `/api/custody/cases/${sid}/items`, {})).json().items as CustodyItemSummary[];
    expect(sitem!.category).toBe('DRUGS');
    expect((await lsViewer.request('GET', `/api/custody/items/${sitem!.id}`)).statusCode).toBe(404);
    expect((await admin.request('GET', `/api/custody/items/${sitem!.id}`)).statusCode).toBe(404);
    expect((await lsViewer.request('GET', '/api/custody/items')).json().hiddenCount).toBeGreaterThan(0);
  });

  it('lets an admin record a movement of an item they may see', async () => {
    const item = await fresh(items[2]!.id);
    const res = await record(admin, item, { kind: 'received', documentNo: 'BB 3' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().events[0].actorUsername).toBe('root');
  });

  it("adds an auction's proceeds to the case's amount collected in the same transaction, audited", async () => {
    const before = (await ls.request('GET', `/api/cases/${caseId}`)).json();
    let item = await fresh(items[1]!.id);
    item = (await record(ls, item, { kind: 'received' })).json();
    const noValue = await record(ls, item, { kind: 'auctioned', documentNo: 'BB ĐG 1', decisionNo: 'QĐ 45/QĐ-TLTV' });
    expect(noValue.statusCode).toBe(400);
    expect(noValue.json().error.issues[0].field).toBe('auctionValueVnd');
    const res = await record(ls, item, { kind: 'auctioned', documentNo: 'BB ĐG 1', decisionNo: 'QĐ 45/QĐ-TLTV', auctionValueVnd: 52_500_000 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ state: 'auctioned', mayRecord: false, allowedEvents: [], warehouse: null });
    expect(res.json().events.at(-1)).toMatchObject({ kind: 'auctioned', decisionNo: 'QĐ 45/QĐ-TLTV', auctionValueVnd: 52_500_000 });
    const after = (await ls.request('GET', `/api/cases/${caseId}`)).json();
    expect(after.outcome.collectedVnd - before.outcome.collectedVnd).toBe(52_500_000);
    expect(after.version).toBe(before.version + 1);
    const collected = await h.db.kysely.selectFrom('audit_log').select(['detail']).where('action', '=', 'case.collect').where('entity_id', '=', caseId).execute();
    expect(collected).toHaveLength(1);
    expect(collected[0]!.detail).toMatchObject({ amountVnd: 52_500_000, itemId: item.id, decisionNo: 'QĐ 45/QĐ-TLTV' });
    // nothing follows a disposal, and nothing more is collected
    expect((await record(ls, res.json(), { kind: 'received' })).statusCode).toBe(409);
    expect((await ls.request('GET', `/api/cases/${caseId}`)).json().outcome.collectedVnd).toBe(after.outcome.collectedVnd);
    // a penalty decided after the auction adds its amount collected; the proceeds stay counted
    let c = (await ls.request('GET', `/api/cases/${caseId}`)).json();
    if (c.status !== 'handling') c = (await ls.request('POST', `/api/cases/${caseId}/transitions`, { version: c.version, to: 'handling' })).json();
    const pen = await ls.request('POST', `/api/cases/${caseId}/transitions`, { version: c.version, to: 'penalized', penalty: { decisionNo: '46/QĐ-XPHC', decidedOn: '2026-10-20', fineVnd: 10_000_000, confiscatedValueVnd: 0, collectedVnd: 10_000_000 } });
    expect(pen.statusCode, pen.body).toBe(200);
    expect(pen.json().outcome.collectedVnd).toBe(after.outcome.collectedVnd + 10_000_000);
  });

  it('records no auction when the case cannot take its proceeds: event, amount and audit commit together or not at all', async () => {
    const cid = (await ls.request('POST', '/api/cases', newCase({ title: 'Vụ việc có số thu bất thường', goods: [newCase().goods[0]] }))).json().id;
    const [it0] = (await ls.request('POST', `/api/custody/cases/${cid}/items`, {})).json().items as CustodyItemSummary[];
    const item = (await record(ls, it0!, { kind: 'received' })).json() as CustodyItemDetail;
    // An amount collected so large that adding the proceeds cannot be read back as a safe integer.
    await h.db.exec(`UPDATE cases SET collected_vnd = 9000000000000000 WHERE id = '${cid}'`);
    const res = await record(ls, item, { kind: 'auctioned', documentNo: 'BB ĐG 9', decisionNo: 'QĐ 9', auctionValueVnd: 9_000_000_000_000_000 });
    expect(res.statusCode).toBe(500);
    const after = await fresh(item.id);
    expect(after).toMatchObject({ state: 'held', eventCount: 1, version: item.version });
    expect((await h.db.kysely.selectFrom('cases').select('collected_vnd').where('id', '=', cid).executeTakeFirstOrThrow()).collected_vnd).toBe(9_000_000_000_000_000);
    const audited = await h.db.kysely.selectFrom('audit_log').select('action').where('action', 'in', ['custody.event', 'case.collect']).where('entity_id', 'in', [item.id, cid]).execute();
    expect(audited.map((a) => a.action)).toEqual(['custody.event']); // the receiving only
  });

  it('allows nothing after destruction', async () => {
    const [it1] = (await ls.request('POST', `/api/custody/cases/${caseId}/items`, { items: [{ description: 'Thuốc lá giả nhãn', category: 'CIGARETTES', quantity: 10, unit: 'bao' }] })).json().items as CustodyItemSummary[];
    let item = (await record(ls, it1!, { kind: 'received' })).json() as CustodyItemDetail;
    const noDecision = await record(ls, item, { kind: 'destroyed', documentNo: 'BB TH 2' });
    expect(noDecision.json().error.issues[0].field).toBe('decisionNo');
    item = (await record(ls, item, { kind: 'destroyed', documentNo: 'BB TH 2', decisionNo: 'QĐ 50/QĐ-TH' })).json();
    expect(item.state).toBe('destroyed');
    for (const kind of ['stored', 'transferred', 'released', 'received']) {
      const res = await record(ls, item, { kind, warehouseId: lsWarehouse, toUnitId: bgUnit, documentNo: 'x', decisionNo: 'y' });
      expect(res.statusCode).toBe(409);
    }
    expect((await ls.request('PATCH', `/api/custody/items/${item.id}`, { version: item.version, description: 'Sửa sau khi tiêu hủy' })).statusCode).toBe(409);
  });

  it('corrects an item before disposal, audited', async () => {
    const item = await fresh(items[2]!.id);
    const res = await ls.request('PATCH', `/api/custody/items/${item.id}`, { version: item.version, estimatedValueVnd: 300_000_000, hsCode: '8704' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ estimatedValueVnd: 300_000_000, hsCode: '8704', version: item.version + 1 });
    expect((await ls.request('PATCH', `/api/custody/items/${item.id}`, { version: item.version, unit: 'xe' })).statusCode).toBe(409);
  });

  it('stores photos with their SHA-256 and sniffed type, refuses other files, and serves them to who may see the item', async () => {
    const item = await fresh(items[2]!.id);
    const bad = multipart([{ name: 'anh.png', data: EXE }]);
    const refused = await ls.request('POST', `/api/custody/items/${item.id}/photos`, bad.body, bad.headers);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.issues[0]).toMatchObject({ field: 'files.0', reason: 'unsupported_type' });
    const m = multipart([{ name: 'xe-tai.png', data: PNG }]);
    const res = await ls.request('POST', `/api/custody/items/${item.id}/photos`, m.body, m.headers);
    expect(res.statusCode, res.body).toBe(201);
    const photo = res.json().items[0];
    expect(photo).toMatchObject({ mimeType: 'image/png', sizeBytes: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex'), uploadedBy: 'ls.officer' });
    const got = await lsViewer.request('GET', `/api/custody/items/${item.id}/photos/${photo.id}`);
    expect(got.statusCode).toBe(200);
    expect(Buffer.compare(got.rawPayload, PNG)).toBe(0);
    expect((await ms.request('GET', `/api/custody/items/${item.id}/photos/${photo.id}`)).statusCode).toBe(404);
    const m2 = multipart([{ name: 'anh.png', data: PNG }]);
    expect((await lsViewer.request('POST', `/api/custody/items/${item.id}/photos`, m2.body, m2.headers)).statusCode).toBe(403);
  });

  it('lists overdue items of my units and counts them per warehouse', async () => {
    const milk = (await ls.request('POST', '/api/cases', newCase({ title: 'Sữa lậu quá hạn xử lý', detectedOn: '2026-09-01', goods: [newCase().goods[1]] }))).json().id;
    const [m] = (await ls.request('POST', `/api/custody/cases/${milk}/items`, {})).json().items as CustodyItemSummary[];
    let item = (await record(ls, m!, { kind: 'received' })).json();
    item = (await record(ls, item, { kind: 'stored', warehouseId: lsWarehouse, shelf: 'L-1' })).json();
    expect(item).toMatchObject({ deadline: '2026-10-01', overdue: true });
    const overdue = (await ls.request('GET', '/api/custody/items?overdue=true')).json().items.map((i: { id: string }) => i.id);
    expect(overdue).toContain(m!.id);
    expect(overdue).not.toContain(items[2]!.id);
    const inWh = (await ls.request('GET', `/api/custody/items?warehouseId=${lsWarehouse}`)).json().items;
    expect(inWh.map((i: { id: string }) => i.id)).toEqual([m!.id]);
    const wh = (await ls.request('GET', '/api/custody/warehouses')).json().items.find((w: { id: string }) => w.id === lsWarehouse);
    expect(wh).toMatchObject({ itemCount: 1, overdueCount: 1 });
  });

  it('verifies untouched chains and refuses UPDATE and DELETE of custody events', async () => {
    const v = await auditor.request('POST', '/api/custody/verify');
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ ok: true, firstBroken: null });
    expect(v.json().eventsChecked).toBeGreaterThan(8);
    expect((await ls.request('POST', '/api/custody/verify')).statusCode).toBe(403);
    await expect(h.db.exec(`UPDATE custody_events SET document_no = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(h.db.exec('DELETE FROM custody_events WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(h.db.exec('TRUNCATE custody_events')).rejects.toThrow(/append-only/);
  });

  it('names the first altered event when someone edits the chain with direct SQL', async () => {
    const target = await fresh(items[0]!.id); // received, stored, transferred, received, stored
    const second = target.events[1]!;
    await h.db.exec(`ALTER TABLE custody_events DISABLE TRIGGER custody_events_no_update;
      UPDATE custody_events SET shelf = 'Z-99' WHERE id = '${second.id}';
      ALTER TABLE custody_events ENABLE TRIGGER custody_events_no_update;`);
    const v = await h.services.custody.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toEqual({ itemId: target.id, itemCode: target.code, seq: 2, eventId: second.id, reason: 'hash_mismatch' });
  });

  it('sees events removed from the end of a chain', async () => {
    // restore the edited shelf first so only the removal is left to find
    const target = await fresh(items[0]!.id);
    await h.db.exec(`ALTER TABLE custody_events DISABLE TRIGGER custody_events_no_update;
      UPDATE custody_events SET shelf = 'A-03' WHERE id = '${target.events[1]!.id}';
      DELETE FROM custody_events WHERE id = '${target.events.at(-1)!.id}';
      ALTER TABLE custody_events ENABLE TRIGGER custody_events_no_update;`);
    const v = await h.services.custody.verify();
    expect(v.firstBroken).toMatchObject({ itemId: target.id, seq: target.events.length, reason: 'head_mismatch' });
  });
});
