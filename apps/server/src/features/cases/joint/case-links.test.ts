import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomsBranches } from '../../../testing/factories.js';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../../testing/harness.js';

/** A truck of cigarettes seized at Tân Thanh, as Customs records it (the registry tests' case). */
function makeCase(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Bắt giữ xe tải chở thuốc lá điếu nhập lậu',
    summary: 'Tổ công tác phát hiện xe tải biển 12C-045.67 chở 3.000 bao thuốc lá Jet không có hóa đơn.',
    violationType: 'SMUGGLING',
    detectedOn: '2026-10-05',
    provinceCode: '20',
    borderGate: 'Tân Thanh',
    route: 'ROAD',
    goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá điếu Jet', quantity: 3000, unit: 'bao', valueVnd: 90_000_000 }],
    subjects: [
      { kind: 'person', role: 'driver', name: 'Nguyễn Văn Hùng', idNumber: '020089001234', phone: '+84912345678' },
      { kind: 'vehicle', role: 'transporter', name: 'Xe tải Hino', plate: '12C-045.67' },
    ],
    ...over,
  };
}

interface Link { id: string; status: string; score: number; reasons: { field: string; agreed: boolean; detail: string }[]; cases: { id: string; jointGroupId: string | null; countsInStatistics: boolean }[]; agreements: { caseId: string; leadUnitId: string; byUsername: string | null }[] }

/** A truck seizure as the Border Guard records it: same plate written differently, its own wording. */
const borderRecord = (over: Record<string, unknown> = {}) =>
  makeCase({
    title: 'Biên phòng bắt xe tải chở thuốc lá lậu',
    summary: 'Phối hợp kiểm tra xe tải, thu giữ thuốc lá ngoại.',
    borderGate: null,
    goods: [{ category: 'CIGARETTES', hsCode: '2402.90', description: 'Thuốc lá ngoại các loại', quantity: 2950, unit: 'bao' }],
    subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C 045 67' }],
    ...over,
  });

describe.each(testEngines())('joint cases on %s', (engine) => {
  let h: Harness;
  let customs: Client; // Customs, Lạng Sơn
  let border: Client; // Border Guard
  let market: Client; // Market Surveillance
  let hpCustoms: Client; // Customs, Hải Phòng: same force, not handling
  let viewer: Client;
  let lsCoordinator: Client; // Lạng Sơn provincial steering committee
  let hpCoordinator: Client; // Hải Phòng provincial steering committee
  let customsLs: string;
  let borderGuard: string;
  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    customsLs = await h.unitId('CUSTOMS-LS');
    borderGuard = await h.unitId('BORDER_GUARD');
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'hp.officer', roles: ['officer'], unit: 'CUSTOMS-HP' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'qltt.officer', roles: ['officer'], unit: 'MARKET_SURVEILLANCE' });
    await h.makeUser({ username: 'bg.viewer', roles: ['viewer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'ls.coordinator', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp.coordinator', roles: ['provincial_coordinator'], unit: 'BCD389-31' });
    customs = await h.login('ls.officer');
    border = await h.login('bg.officer');
    market = await h.login('qltt.officer');
    hpCustoms = await h.login('hp.officer');
    viewer = await h.login('bg.viewer');
    lsCoordinator = await h.login('ls.coordinator');
    hpCoordinator = await h.login('hp.coordinator');
  });
  afterAll(() => h.close());

  const record = async (who: Client, body: Record<string, unknown>) => {
    const res = await who.request('POST', '/api/cases', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const linksOf = async (who: Client, caseId: string): Promise<Link[]> => (await who.request('GET', `/api/cases/${caseId}/links`)).json().items;
  const confirm = (who: Client, linkId: string, leadUnitId: string) => who.request('POST', `/api/case-links/${linkId}/confirm`, { leadUnitId });
  /** A joint case needs both sides: each confirms with the same lead. */
  const confirmBoth = async (first: Client, second: Client, linkId: string, leadUnitId: string) => {
    const one = await confirm(first, linkId, leadUnitId);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().status).toBe('proposed');
    const two = await confirm(second, linkId, leadUnitId);
    expect(two.statusCode, two.body).toBe(200);
    expect(two.json().status).toBe('confirmed');
  };
  const counted = async (ids: string[]) =>
    (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE counts_in_statistics AND id = ANY($1::uuid[])`, [ids]))[0]!.n;

  it('proposes linking two forces\' records of the same truck seizure a day apart, saying why', async () => {
    const a = await record(customs, makeCase({ detectedOn: '2026-10-05' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-10-06' }));
    const links = await linksOf(border, b.id);
    expect(links).toHaveLength(1);
    const [link] = links;
    expect(link).toMatchObject({ status: 'proposed', score: 1 });
    expect(link!.cases.map((c) => c.id)).toEqual([b.id, a.id]);
    expect(link!.reasons).toEqual(expect.arrayContaining([
      { field: 'subjects', agreed: true, detail: '1 shared subject identifier (PLATE)' },
      { field: 'detectedOn', agreed: true, detail: 'detected 1 day apart' },
      { field: 'provinceCode', agreed: true, detail: 'same province 20' },
    ]));
    // the same proposal, seen from the other side
    expect((await linksOf(customs, a.id)).map((l) => l.id)).toEqual([link!.id]);
  });

  it('proposes nothing for the same truck recorded in another province', async () => {
    await record(customs, makeCase({ detectedOn: '2026-09-10' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-09-10', provinceCode: '31' }));
    expect(await linksOf(border, b.id)).toEqual([]);
  });

  it('proposes nothing between two records of the same unit', async () => {
    await record(customs, makeCase({ detectedOn: '2026-08-10' }));
    const b = await record(customs, makeCase({ detectedOn: '2026-08-10', title: 'Ghi trùng của cùng đơn vị' }));
    expect(await linksOf(customs, b.id)).toEqual([]);
  });

  it('lets only officers of the two handling units decide: another province of the same force and a viewer are refused', async () => {
    await record(customs, makeCase({ detectedOn: '2026-07-01' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-07-01' }));
    const [link] = await linksOf(border, b.id);
    expect((await hpCustoms.request('POST', `/api/case-links/${link!.id}/confirm`, { leadUnitId: customsLs })).statusCode).toBe(403);
    expect((await viewer.request('POST', `/api/case-links/${link!.id}/confirm`, { leadUnitId: customsLs })).statusCode).toBe(403);
    expect((await hpCustoms.request('POST', `/api/case-links/${link!.id}/reject`, { reason: 'Không liên quan' })).statusCode).toBe(403);
    expect((await linksOf(border, b.id))[0]!.status).toBe('proposed');
  });

  it('confirming makes one joint case: the lead\'s case counts once, the group is shared, and each force opens both', async () => {
    // Customs keeps its record restricted; the Border Guard cannot open it, nor see the proposal.
    const a = await record(customs, makeCase({ detectedOn: '2026-06-15', sensitivity: 'restricted' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-06-16' }));
    expect((await border.request('GET', `/api/cases/${a.id}`)).statusCode).toBe(404);
    expect(await linksOf(border, b.id)).toEqual([]);
    expect((await customs.request('GET', `/api/cases/${b.id}`)).json().access).toBe('summary');
    const [link] = await linksOf(customs, a.id);
    const before = (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE counts_in_statistics'))[0]!.n;

    // Customs agrees; the Border Guard cannot agree to a case it may not open. Customs opens it to them
    // by making them a coordinating unit (an ordinary edit), and then they agree too.
    const res = await customs.request('POST', `/api/case-links/${link!.id}/confirm`, { leadUnitId: customsLs });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('proposed');
    expect((await border.request('POST', `/api/case-links/${link!.id}/confirm`, { leadUnitId: customsLs })).statusCode).toBe(404);
    const edited = await customs.request('PATCH', `/api/cases/${a.id}`, { version: 1, coordinatingUnitIds: [borderGuard] });
    expect(edited.statusCode, edited.body).toBe(200);
    const seen = (await linksOf(border, b.id))[0]!;
    expect(seen.agreements).toEqual([expect.objectContaining({ caseId: a.id, leadUnitId: customsLs, byUsername: 'ls.officer' })]);
    const both = await border.request('POST', `/api/case-links/${link!.id}/confirm`, { leadUnitId: customsLs });
    expect(both.statusCode, both.body).toBe(200);
    expect(both.json().status).toBe('confirmed');

    const ca = (await customs.request('GET', `/api/cases/${a.id}`)).json();
    const cb = (await border.request('GET', `/api/cases/${b.id}`)).json();
    expect(ca.jointGroupId).not.toBeNull();
    expect(cb.jointGroupId).toBe(ca.jointGroupId);
    expect([ca.countsInStatistics, cb.countsInStatistics]).toEqual([true, false]);
    expect((await border.request('GET', `/api/cases/${a.id}`)).json().access).toBe('full');
    expect((await customs.request('GET', `/api/cases/${b.id}`)).json().access).toBe('full');
    expect(cb.coordinatingUnits.map((u: { code: string }) => u.code)).toContain('CUSTOMS-LS');
    const after = (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE counts_in_statistics'))[0]!.n;
    expect(after).toBe(before - 1);
    expect(await counted([a.id, b.id])).toBe(1);
    const trail = await h.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE (entity_id = ANY($1::text[]) AND action LIKE 'case.joint.%') OR (entity_id = $2 AND action = 'case.link.confirm')`, [[a.id, b.id], link!.id]);
    expect(trail.map((t) => t.action).sort()).toEqual(['case.joint.join', 'case.joint.join', 'case.link.confirm']);
    expect((await h.db.query(`SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'case.link.agree'`, [link!.id])).length).toBe(1);
    // decided once
    expect((await border.request('POST', `/api/case-links/${link!.id}/reject`, { reason: 'Đổi ý' })).statusCode).toBe(409);
  });

  it('brings a third force into the existing joint case, still counted once', async () => {
    const a = await record(customs, makeCase({ detectedOn: '2026-05-20' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-05-20' }));
    const [ab] = await linksOf(border, b.id);
    await confirmBoth(border, customs, ab!.id, borderGuard);
    const c = await record(market, borderRecord({ title: 'QLTT kiểm tra kho thuốc lá', detectedOn: '2026-05-21', subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C-045.67' }] }));
    const proposals = (await linksOf(market, c.id)).filter((l) => l.status === 'proposed');
    expect(proposals).toHaveLength(2);
    await confirmBoth(market, border, proposals[0]!.id, borderGuard);
    const rows = await h.db.query<{ id: string; joint_group_id: string; counts_in_statistics: boolean }>('SELECT id, joint_group_id, counts_in_statistics FROM cases WHERE id = ANY($1::uuid[])', [[a.id, b.id, c.id]]);
    expect(new Set(rows.map((r) => r.joint_group_id)).size).toBe(1);
    expect(rows.filter((r) => r.counts_in_statistics).map((r) => r.id)).toEqual([b.id]);
  });

  it('does not let a force gain a restricted case it cannot see by confirming a link into its joint case', async () => {
    const r = await record(customs, makeCase({ title: 'Chuyên án hạn chế', sensitivity: 'restricted', detectedOn: '2026-03-10' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-03-10' }));
    const [rb] = await linksOf(customs, r.id);
    await customs.request('PATCH', `/api/cases/${r.id}`, { version: 1, coordinatingUnitIds: [borderGuard] });
    await confirmBoth(customs, border, rb!.id, customsLs);
    const m = await record(market, borderRecord({ title: 'QLTT kiểm tra kho', detectedOn: '2026-03-11', subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C-045.67' }] }));
    const [mb] = (await linksOf(market, m.id)).filter((l) => l.status === 'proposed');
    expect(mb!.cases.map((c) => c.id)).toContain(b.id);
    expect((await market.request('GET', `/api/cases/${r.id}`)).statusCode).toBe(404);
    const res = await market.request('POST', `/api/case-links/${mb!.id}/confirm`, { leadUnitId: borderGuard });
    expect(res.statusCode).toBe(403);
    expect((await market.request('GET', `/api/cases/${r.id}`)).statusCode).toBe(404);
  });

  it('refuses a lead unit that leads none of the cases, naming the field', async () => {
    await record(customs, makeCase({ detectedOn: '2026-04-02' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-04-02' }));
    const [link] = await linksOf(border, b.id);
    const res = await border.request('POST', `/api/case-links/${link!.id}/confirm`, { leadUnitId: await h.unitId('TAX') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({ field: 'leadUnitId', reason: 'invalid_value' });
  });

  it('rejecting keeps both cases counted and the proposal is not made again', async () => {
    const a = await record(customs, makeCase({ detectedOn: '2026-03-03' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-03-04' }));
    const [link] = await linksOf(border, b.id);
    const res = await border.request('POST', `/api/case-links/${link!.id}/reject`, { reason: 'Hai vụ khác nhau, cùng biển số giả' });
    expect(res.json()).toMatchObject({ status: 'rejected', decidedBy: 'bg.officer' });
    expect(await counted([a.id, b.id])).toBe(2);
    await h.services.caseLinks.proposeFor(h.db.kysely, b.id);
    expect((await linksOf(border, b.id)).map((l) => l.status)).toEqual(['rejected']);
  });

  it('unlinking a confirmed joint case makes both count again', async () => {
    const a = await record(customs, makeCase({ detectedOn: '2026-02-10' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-02-11' }));
    const [link] = await linksOf(border, b.id);
    await confirmBoth(border, customs, link!.id, customsLs);
    expect(await counted([a.id, b.id])).toBe(1);
    expect((await hpCustoms.request('POST', `/api/cases/${a.id}/unlink`, { reason: 'Không phải cùng vụ' })).statusCode).toBe(403);
    const res = await border.request('POST', `/api/cases/${a.id}/unlink`, { reason: 'Không phải cùng vụ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ jointGroupId: null, primaryCaseId: null, cases: [] });
    expect(await counted([a.id, b.id])).toBe(2);
    expect((await customs.request('GET', `/api/cases/${b.id}`)).json().jointGroupId).toBeNull();
    expect((await linksOf(border, b.id))[0]!.status).toBe('rejected');
    expect((await border.request('POST', `/api/cases/${a.id}/unlink`, { reason: 'Lần nữa' })).statusCode).toBe(409);
  });
  it('does not let one force confirm alone: nothing is counted or opened until the other side agrees to the same lead', async () => {
    const a = await record(customs, makeCase({ detectedOn: '2026-01-12' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-01-12', summary: 'Ghi chép nội bộ của biên phòng.' }));
    const [link] = await linksOf(border, b.id);
    const res = await confirm(border, link!.id, borderGuard);
    expect(res.json()).toMatchObject({ status: 'proposed', agreements: [{ caseId: b.id, leadUnitId: borderGuard, byUsername: 'bg.officer' }] });
    expect(await counted([a.id, b.id])).toBe(2);
    expect((await customs.request('GET', `/api/cases/${b.id}`)).json().access).toBe('summary');
    // agreeing again from the same side does not complete it
    expect((await confirm(border, link!.id, borderGuard)).json().status).toBe('proposed');
    const other = await confirm(customs, link!.id, customsLs);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.issues[0]).toMatchObject({ field: 'leadUnitId' });
    expect(await counted([a.id, b.id])).toBe(2);
    expect((await confirm(customs, link!.id, borderGuard)).json().status).toBe('confirmed');
    expect(await counted([a.id, b.id])).toBe(1);
    expect((await customs.request('GET', `/api/cases/${b.id}`)).json().access).toBe('full');
  });

  it('lets a provincial coordinator of the cases\' province confirm alone, not one of another province', async () => {
    const a = await record(customs, makeCase({ detectedOn: '2026-01-20' }));
    const b = await record(border, borderRecord({ detectedOn: '2026-01-20' }));
    const [link] = await linksOf(border, b.id);
    expect((await confirm(hpCoordinator, link!.id, customsLs)).statusCode).toBe(403);
    expect(await counted([a.id, b.id])).toBe(2);
    const res = await confirm(lsCoordinator, link!.id, customsLs);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'confirmed', decidedBy: 'ls.coordinator' });
    expect(await counted([a.id, b.id])).toBe(1);
  });

  it('audits reading a linked restricted case through the joint case, like opening it', async () => {
    const a = await record(customs, makeCase({ detectedOn: '2026-01-27', sensitivity: 'restricted', coordinatingUnitIds: [borderGuard] }));
    const b = await record(border, borderRecord({ detectedOn: '2026-01-27' }));
    const reads = async (username: string) => (await h.db.query<{ detail: { via?: string } }>(`SELECT detail FROM audit_log WHERE entity_id = $1 AND action = 'case.read' AND outcome = 'success' AND actor_username = $2`, [a.id, username])).filter((r) => r.detail.via === 'joint_case').length;
    const [link] = await linksOf(border, b.id);
    expect(link!.cases.map((c) => c.id)).toContain(a.id);
    expect(await reads('bg.officer')).toBe(1);
    await linksOf(border, b.id);
    expect(await reads('bg.officer')).toBe(2); // every view, like every opening
    // another Customs branch sees the Border Guard's case in summary, but neither the restricted case nor a read of it
    expect(await linksOf(hpCustoms, b.id)).toEqual([]);
    expect(await reads('hp.officer')).toBe(0);
  });

  it('proposes for a batch of cases (imported ones, when indexed) what it proposes one case at a time', async () => {
    const ids = [
      (await record(customs, makeCase({ detectedOn: '2025-11-05' }))).id,
      (await record(border, borderRecord({ detectedOn: '2025-11-06' }))).id,
      (await record(market, borderRecord({ title: 'QLTT kiểm tra kho thuốc lá', detectedOn: '2025-11-05', subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C-045.67' }] }))).id,
      (await record(border, borderRecord({ detectedOn: '2025-11-05', provinceCode: '31' }))).id, // another province: no candidate
    ];
    const pairs = () => h.db.query<{ case_a: string; case_b: string; score: number }>(
      `SELECT case_a, case_b, score FROM case_links WHERE case_a = ANY($1::uuid[]) OR case_b = ANY($1::uuid[]) ORDER BY case_a, case_b`, [ids]);
    const oneAtATime = await pairs(); // proposed as each case was recorded
    expect(oneAtATime.length).toBeGreaterThanOrEqual(2);
    await h.db.query(`DELETE FROM case_links WHERE case_a = ANY($1::uuid[]) OR case_b = ANY($1::uuid[])`, [ids]);
    expect(await h.services.caseLinks.proposeForMany(h.db.kysely, ids)).toHaveLength(oneAtATime.length);
    expect(await pairs()).toEqual(oneAtATime);
    expect(await h.services.caseLinks.proposeForMany(h.db.kysely, ids)).toEqual([]); // nothing twice
  });
});
