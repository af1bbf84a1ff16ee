import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseCollection, CustodyItemDetail, CustodyItemSummary } from '@cordon/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupDb, createDb, listMigrations, restoreDb } from '@cordon/db';
import { createTestDb, testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, makeCase } from '../../testing/factories.js';
import { statsDrift } from '../reports/stats-drift.testing.js';

// A fine is often paid after the decision, or in parts: `POST /api/cases/:id/collections` adds what was
// paid to the case's amount collected (docs/development.md, "Amounts collected after the decision").
describe.each(testEngines())('amounts collected after the penalty decision on %s', (engine) => {
  let h: Harness;
  let ls: Client; // Customs, Lạng Sơn: records and handles the cases
  let hp: Client; // Customs, Hải Phòng: same force, not a handling unit
  let viewer: Client;
  let penalized: { id: string; version: number };
  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'hp.officer', roles: ['officer'], unit: 'CUSTOMS-HP' });
    await h.makeUser({ username: 'viewer', roles: ['viewer'], unit: 'CUSTOMS-LS' });
    ls = await h.login('ls.officer');
    hp = await h.login('hp.officer');
    viewer = await h.login('viewer');
    let c = (await ls.request('POST', '/api/cases', makeCase({ title: 'Vụ phạt nộp dần' }))).json();
    c = (await ls.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'handling' })).json();
    c = (await ls.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'penalized', penalty: { decisionNo: '12/QĐ-XPHC', decidedOn: '2026-10-20', fineVnd: 80_000_000, collectedVnd: 20_000_000 } })).json();
    penalized = c;
  });
  afterAll(() => h.close());

  const collect = (who: Client, c: { id: string; version: number }, body: Record<string, unknown>) =>
    who.request('POST', `/api/cases/${c.id}/collections`, { version: c.version, amountVnd: 30_000_000, collectedOn: '2026-11-02', ...body });
  const penalties = async () =>
    Number((await h.db.query<{ s: string }>(`SELECT coalesce(sum(collected_vnd), 0)::text AS s FROM case_stats_daily WHERE kind = 'penalty' AND dim = ''`))[0]!.s);

  it('adds a later payment to the amount collected, audited, and the report sums follow', async () => {
    const before = await penalties();
    const res = await collect(ls, penalized, { note: 'Biên lai 0012345' });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.outcome).toMatchObject({ fineVnd: 80_000_000, collectedVnd: 50_000_000 });
    expect(c.version).toBe(penalized.version + 1);
    penalized = c;
    const audit = await h.db.kysely.selectFrom('audit_log').select(['detail']).where('action', '=', 'case.collect').where('entity_id', '=', c.id).execute();
    expect(audit.map((a) => a.detail)).toEqual([expect.objectContaining({ amountVnd: 30_000_000, collectedVnd: 50_000_000, source: 'payment', collectedOn: '2026-11-02', note: 'Biên lai 0012345' })]);
    expect((await penalties()) - before).toBe(30_000_000);
    expect(await statsDrift(h.db)).toEqual([]);
    // still collectable once closed
    const closed = (await ls.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'closed' })).json();
    const again = await collect(ls, closed, { amountVnd: 30_000_000 });
    expect(again.json().outcome.collectedVnd).toBe(80_000_000);
    penalized = again.json();
  });

  it('refuses a stale version, a zero amount, a day in the future or before the decision, naming the field', async () => {
    expect((await collect(ls, { ...penalized, version: penalized.version - 1 }, {})).statusCode).toBe(409);
    const zero = await collect(ls, penalized, { amountVnd: 0 });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.issues[0]).toMatchObject({ field: 'amountVnd', reason: 'too_small' });
    const future = await collect(ls, penalized, { collectedOn: '2099-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.issues[0]).toMatchObject({ field: 'collectedOn', reason: 'invalid_value' });
    const early = await collect(ls, penalized, { collectedOn: '2026-10-19' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toContain('before the penalty decision of 2026-10-20');
    expect((await ls.request('GET', `/api/cases/${penalized.id}`)).json().outcome.collectedVnd).toBe(80_000_000);
  });

  it('collects only on a case with a penalty decision', async () => {
    const open = (await ls.request('POST', '/api/cases', makeCase({ title: 'Vụ chưa xử phạt' }))).json();
    const res = await collect(ls, open, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.issues[0]).toMatchObject({ field: 'amountVnd', reason: 'invalid_transition' });
  });

  it("lets only the case's handling units' officers record a payment", async () => {
    const current = (await ls.request('GET', `/api/cases/${penalized.id}`)).json();
    expect((await collect(hp, current, {})).statusCode).toBe(403);
    expect((await collect(viewer, current, {})).statusCode).toBe(403);
    expect((await ls.request('GET', `/api/cases/${penalized.id}`)).json().outcome.collectedVnd).toBe(80_000_000);
  });

  // The list of amounts (migration 0029): what was paid, when, by whom, on the case page.
  const sumOf = (list: CaseCollection[]) => list.reduce((sum, c) => sum + c.amountVnd, 0);

  it('lists each amount with its day, source, note and who recorded it, newest first, summing to the amount collected', async () => {
    const c = (await ls.request('GET', `/api/cases/${penalized.id}`)).json();
    // the penalty step's 20,000,000 and the two payments of 30,000,000 (the later one first)
    expect(c.outcome.collections).toEqual([
      { amountVnd: 30_000_000, collectedOn: '2026-11-02', source: 'payment', note: null, custodyItemId: null, byUsername: 'ls.officer', byName: 'ls.officer', at: expect.any(String) },
      { amountVnd: 30_000_000, collectedOn: '2026-11-02', source: 'payment', note: 'Biên lai 0012345', custodyItemId: null, byUsername: 'ls.officer', byName: 'ls.officer', at: expect.any(String) },
      { amountVnd: 20_000_000, collectedOn: '2026-10-20', source: 'decision', note: null, custodyItemId: null, byUsername: 'ls.officer', byName: 'ls.officer', at: expect.any(String) },
    ]);
    expect(sumOf(c.outcome.collections)).toBe(c.outcome.collectedVnd);
    // a reader of the handling unit sees them too
    expect((await viewer.request('GET', `/api/cases/${penalized.id}`)).json().outcome.collections).toHaveLength(3);
  });

  it('lists auction proceeds recorded in custody with source auction, the item and the day of the auction in Vietnam', async () => {
    const c = (await ls.request('POST', '/api/cases', makeCase({ title: 'Vụ có tang vật bán đấu giá' }))).json();
    const [summary] = (await ls.request('POST', `/api/custody/cases/${c.id}/items`, {})).json().items as CustodyItemSummary[];
    let item = (await ls.request('POST', `/api/custody/items/${summary!.id}/events`, { version: summary!.version, kind: 'received', at: '2026-10-06T02:00:00Z' })).json() as CustodyItemDetail;
    // 20:00 UTC on 10 November is 03:00 on 11 November in Vietnam
    const sold = await ls.request('POST', `/api/custody/items/${item.id}/events`, { version: item.version, kind: 'auctioned', at: '2026-11-10T20:00:00Z', documentNo: 'BB ĐG 7', decisionNo: 'QĐ 77/QĐ-TLTV', auctionValueVnd: 52_500_000 });
    expect(sold.statusCode, sold.body).toBe(201);
    item = sold.json();
    const after = (await ls.request('GET', `/api/cases/${c.id}`)).json();
    expect(after.outcome.collections).toEqual([
      { amountVnd: 52_500_000, collectedOn: '2026-11-11', source: 'auction', note: null, custodyItemId: item.id, byUsername: 'ls.officer', byName: 'ls.officer', at: expect.any(String) },
    ]);
    expect(after.outcome.collectedVnd).toBe(52_500_000);
  });

  it('keeps the amounts from a user who may not see the outcome', async () => {
    const res = await hp.request('GET', `/api/cases/${penalized.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().access).toBe('summary');
    expect(res.json().outcome).toBeUndefined();
    expect(res.body).not.toContain('Biên lai');
    expect(res.body).not.toContain('collections');
    // a restricted case is not there at all for another unit
    const secret = (await ls.request('POST', '/api/cases', makeCase({ title: 'Vụ hạn chế có khoản nộp', sensitivity: 'restricted' }))).json();
    let s = (await ls.request('POST', `/api/cases/${secret.id}/transitions`, { version: secret.version, to: 'handling' })).json();
    s = (await ls.request('POST', `/api/cases/${s.id}/transitions`, { version: s.version, to: 'penalized', penalty: { decisionNo: '13/QĐ-XPHC', decidedOn: '2026-10-21', fineVnd: 5_000_000, collectedVnd: 5_000_000 } })).json();
    expect(s.outcome.collections).toHaveLength(1);
    const other = await hp.request('GET', `/api/cases/${s.id}`);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('5000000');
  });

  it('lists an amount recorded before the list existed as the remainder of the decision', async () => {
    let c = (await ls.request('POST', '/api/cases', makeCase({ title: 'Vụ xử phạt trước khi có danh sách khoản thu' }))).json();
    c = (await ls.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'handling' })).json();
    c = (await ls.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'penalized', penalty: { decisionNo: '14/QĐ-XPHC', decidedOn: '2026-10-22', fineVnd: 40_000_000 } })).json();
    expect(c.outcome.collections).toEqual([]);
    // as a penalty step before migration 0029 (or the demo seed) left it: in the total, no row
    await h.db.query(`UPDATE cases SET collected_vnd = collected_vnd + 15000000, version = version + 1 WHERE id = $1`, [c.id]);
    c = (await ls.request('GET', `/api/cases/${c.id}`)).json();
    c = (await collect(ls, c, { amountVnd: 5_000_000, collectedOn: '2026-11-03' })).json();
    expect(c.outcome.collections).toEqual([
      expect.objectContaining({ amountVnd: 5_000_000, source: 'payment', collectedOn: '2026-11-03' }),
      { amountVnd: 15_000_000, collectedOn: '2026-10-22', source: 'decision', note: null, custodyItemId: null, byUsername: 'ls.officer', byName: 'ls.officer', at: null },
    ]);
    expect(sumOf(c.outcome.collections)).toBe(20_000_000);
  });

  it('keeps the list through a backup and restore (cordon db backup/restore), each amount once', async () => {
    const columns = 'id, case_id, amount_vnd, collected_on::text AS collected_on, source, note, custody_item_id, by_user_id, at';
    const before = await h.db.query(`SELECT ${columns} FROM case_collections ORDER BY id`);
    expect(before.length).toBeGreaterThanOrEqual(5);
    const dir = mkdtempSync(join(tmpdir(), 'cordon-collections-'));
    const target = engine === 'pglite' ? await createDb() : await createTestDb('postgres');
    try {
      await backupDb(h.db, join(dir, 'b.gz'));
      await restoreDb(target, join(dir, 'b.gz'));
      expect(await target.query(`SELECT ${columns} FROM case_collections ORDER BY id`)).toEqual(before);
      // the next amount gets a fresh id
      const [next] = await target.query<{ id: number }>(`INSERT INTO case_collections (case_id, amount_vnd, collected_on, source, at) SELECT case_id, 1, collected_on, 'payment', now() FROM case_collections LIMIT 1 RETURNING id`);
      expect(next!.id).toBeGreaterThan(Math.max(...before.map((r) => Number((r as { id: number }).id))));
    } finally {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('copies the amounts audited before migration 0029 into the list, so it sums to the total less what penalty steps recorded', async () => {
    const columns = 'case_id, amount_vnd, collected_on::text AS collected_on, source, note, custody_item_id, by_user_id, at';
    const live = await h.db.query(`SELECT ${columns} FROM case_collections WHERE source <> 'decision' ORDER BY at, id`);
    expect(live.length).toBeGreaterThanOrEqual(4);
    const migration = listMigrations().find((m) => m.name === '0029_create_case_collections')!.sql;
    await h.db.exec('DELETE FROM case_collections');
    await h.db.exec(migration.slice(migration.indexOf('INSERT INTO case_collections')));
    expect(await h.db.query(`SELECT ${columns} FROM case_collections ORDER BY at, id`)).toEqual(live);
    // per case: the copied rows sum to collected_vnd less the penalty steps' amounts (collectedVnd of the step)
    const off = await h.db.query(`SELECT c.id FROM cases c
      LEFT JOIN (SELECT case_id, sum(amount_vnd) AS s FROM case_collections GROUP BY case_id) l ON l.case_id = c.id
      WHERE c.collected_vnd - coalesce(l.s, 0) NOT IN (0, 20000000, 5000000, 15000000)`);
    expect(off).toEqual([]);
  });
});
