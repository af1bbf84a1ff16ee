import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { makeCase } from '../../testing/factories.js';
import type { Principal } from '../auth/principal.js';
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
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    for (const [code, province] of [['CUSTOMS-LS', '20'], ['CUSTOMS-HP', '31']] as const) {
      await h.services.org.create(seed, { code, kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: province, nameVi: `Hải quan ${code}`, nameEn: `Customs ${code}` });
    }
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
});
