import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../../testing/harness.js';
import type { Principal } from '../../auth/principal.js';

/** Customs' record of a truck of cigarettes seized in Lạng Sơn on `detectedOn`; `plate` makes the pair. */
const customsRecord = (detectedOn: string, plate: string, over: Record<string, unknown> = {}) => ({
  title: `Hải quan bắt xe tải ${plate} chở thuốc lá lậu`,
  summary: 'Xe tải chở thuốc lá điếu không có hóa đơn.',
  violationType: 'SMUGGLING',
  detectedOn,
  provinceCode: '20',
  route: 'ROAD',
  goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá điếu', quantity: 3000, unit: 'bao' }],
  subjects: [{ kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate }],
  ...over,
});
/** The Border Guard's record of the same truck. */
const borderRecord = (detectedOn: string, plate: string) => ({
  ...customsRecord(detectedOn, plate),
  title: `Biên phòng thu giữ thuốc lá trên xe ${plate}`,
});

interface QueueItem {
  id: string;
  status: string;
  score: number;
  reasons: { field: string; agreed: boolean }[];
  mayDecide: boolean;
  confirmsAlone: boolean;
  cases: { id: string; code: string; title: string; detectedOn: string; sourceUnit: { code: string }; leadUnit: { id: string; code: string } }[];
}
interface QueuePage { items: QueueItem[]; nextCursor: string | null }

describe.each(testEngines())('joint-case proposals queue on %s', (engine) => {
  let h: Harness;
  let customs: Client; // Customs, Lạng Sơn
  let border: Client; // Border Guard
  let market: Client; // Market Surveillance: uninvolved
  let viewer: Client; // Border Guard viewer: sees, may not decide
  let lsCoordinator: Client;
  let hpCoordinator: Client;
  const pairs: { customs: string; border: string }[] = [];
  let restricted: { id: string; title: string; other: string };

  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Lang Son Customs' });
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'qltt.officer', roles: ['officer'], unit: 'MARKET_SURVEILLANCE' });
    await h.makeUser({ username: 'bg.viewer', roles: ['viewer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'ls.coordinator', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp.coordinator', roles: ['provincial_coordinator'], unit: 'BCD389-31' });
    customs = await h.login('ls.officer');
    border = await h.login('bg.officer');
    market = await h.login('qltt.officer');
    viewer = await h.login('bg.viewer');
    lsCoordinator = await h.login('ls.coordinator');
    hpCoordinator = await h.login('hp.coordinator');
    const record = async (who: Client, body: Record<string, unknown>) => {
      const res = await who.request('POST', '/api/cases', body);
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: string }).id;
    };
    // Three internal pairs, a month apart (so only each pair matches), recorded oldest first.
    for (const [day, plate] of [['2026-03-02', '12C-111.11'], ['2026-04-02', '12C-222.22'], ['2026-05-02', '12C-333.33']] as const) {
      h.clock.advance(60_000);
      pairs.push({ customs: await record(customs, customsRecord(day, plate)), border: await record(border, borderRecord(day, plate)) });
    }
    // Customs' restricted record of a fourth truck, and the Border Guard's internal one of it; proposed
    // in the same millisecond as the third pair (the cursor must break the tie by id).
    const title = 'Chuyên án thuốc lá xe 12C-444.44 (mật danh TT4)';
    const id = await record(customs, customsRecord('2026-06-02', '12C-444.44', { title, sensitivity: 'restricted' }));
    restricted = { id, title, other: await record(border, borderRecord('2026-06-02', '12C-444.44')) };
  });
  afterAll(() => h.close());

  const queue = async (who: Client, query = '') => {
    const res = await who.request('GET', `/api/case-links?status=proposed${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as QueuePage;
  };
  const count = async (who: Client) => (await who.request('GET', '/api/case-links/count?status=proposed')).json().count as number;
  const pairOf = (item: QueueItem) => item.cases.map((c) => c.id).sort();

  it("lists the province's internal proposals for its coordinator, newest first, with both cases' summary facts, score and reasons", async () => {
    const page = await queue(lsCoordinator);
    expect(page.items.map(pairOf)).toEqual([...pairs].reverse().map((p) => [p.customs, p.border].sort()));
    const [newest] = page.items;
    expect(newest).toMatchObject({ status: 'proposed', mayDecide: true, confirmsAlone: true }); // the province's coordinator needs no other side
    expect(newest!.score).toBeGreaterThanOrEqual(0.5);
    expect(newest!.reasons).toEqual(expect.arrayContaining([{ field: 'subjects', agreed: true, detail: expect.any(String) }]));
    expect(newest!.cases.map((c) => c.title).sort()).toEqual(['Biên phòng thu giữ thuốc lá trên xe 12C-333.33', 'Hải quan bắt xe tải 12C-333.33 chở thuốc lá lậu']);
    expect(newest!.cases.map((c) => c.sourceUnit.code).sort()).toEqual(['BORDER_GUARD', 'CUSTOMS-LS']);
    expect(newest!.cases.every((c) => c.code && c.detectedOn === '2026-05-02')).toBe(true);
    expect(await count(lsCoordinator)).toBe(3);
  });

  it("shows nothing to another province's coordinator or to an officer of an uninvolved unit", async () => {
    expect((await queue(hpCoordinator)).items).toEqual([]);
    expect(await count(hpCoordinator)).toBe(0);
    expect((await queue(market)).items).toEqual([]);
    expect(await count(market)).toBe(0);
    // a coordinator narrowing to another province's cases finds none of theirs
    expect((await queue(lsCoordinator, '&province=31')).items).toEqual([]);
  });

  it("puts the officer's own case first, and says who may decide", async () => {
    const mine = await queue(border);
    expect(mine.items).toHaveLength(3);
    expect(mine.items.every((i) => i.mayDecide && !i.confirmsAlone && i.cases[0]!.sourceUnit.code === 'BORDER_GUARD')).toBe(true);
    const seen = await queue(viewer);
    expect(seen.items).toHaveLength(3);
    expect(seen.items.every((i) => !i.mayDecide)).toBe(true);
  });

  it('narrows the queue to proposals where a force recorded either case, and names a bad force code', async () => {
    expect((await queue(viewer, '&force=CUSTOMS')).items.map(pairOf)).toEqual((await queue(viewer)).items.map(pairOf));
    expect((await queue(viewer, '&force=MARKET_SURVEILLANCE')).items).toEqual([]);
    expect((await lsCoordinator.request('GET', '/api/case-links/count?status=proposed&force=BORDER_GUARD')).json()).toEqual({ count: 3 });
    expect((await lsCoordinator.request('GET', '/api/case-links/count?status=proposed&force=POLICE')).json()).toEqual({ count: 0 });
    const bad = await viewer.request('GET', '/api/case-links?force=customs');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('force');
  });

  it('hides a proposal with a restricted case from whoever may not read that case, and shows it once shared', async () => {
    for (const who of [lsCoordinator, border]) {
      const res = await who.request('GET', '/api/case-links?status=proposed');
      expect(res.body).not.toContain(restricted.title);
      expect(res.body).not.toContain(restricted.id);
    }
    // the restricted case's own force sees it, its case first
    const own = await queue(customs);
    expect(own.items).toHaveLength(4);
    expect(own.items.find((i) => i.cases[0]!.id === restricted.id)?.cases[0]).toMatchObject({ title: restricted.title });
    // Customs makes the provincial committee a coordinating unit: the coordinator now reads it, audited
    const current = (await customs.request('GET', `/api/cases/${restricted.id}`)).json() as { version: number };
    const patched = await customs.request('PATCH', `/api/cases/${restricted.id}`, { version: current.version, coordinatingUnitIds: [await h.unitId('BCD389-20')] });
    expect(patched.statusCode, patched.body).toBe(200);
    const now = await queue(lsCoordinator);
    expect(now.items).toHaveLength(4);
    expect(now.items.flatMap((i) => i.cases.map((c) => c.title))).toContain(restricted.title);
    const reads = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'case.read' AND entity_id = $1 AND detail->>'via' = 'joint_case_queue'`, [restricted.id]);
    expect(reads[0]!.n).toBeGreaterThan(0);
    expect(await count(lsCoordinator)).toBe(4);
  });

  it('pages with a cursor: every proposal once, newest first, also across proposals made in the same millisecond', async () => {
    const all = (await queue(lsCoordinator)).items.map((i) => i.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: QueuePage = await queue(lsCoordinator, `&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(all);
    expect((await lsCoordinator.request('GET', '/api/case-links?cursor=not-ours')).statusCode).toBe(400);
  });

  it("takes a proposal off the list once the province's coordinator confirms it", async () => {
    const before = await queue(lsCoordinator);
    const target = before.items.find((i) => pairOf(i).includes(pairs[0]!.customs))!;
    const res = await lsCoordinator.request('POST', `/api/case-links/${target.id}/confirm`, { leadUnitId: target.cases[0]!.leadUnit.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('confirmed');
    const after = await queue(lsCoordinator);
    expect(after.items.map((i) => i.id)).not.toContain(target.id);
    expect(after.items).toHaveLength(before.items.length - 1);
    expect(((await lsCoordinator.request('GET', '/api/case-links?status=confirmed')).json() as QueuePage).items.map((i) => i.id)).toEqual([target.id]);
  });
});
