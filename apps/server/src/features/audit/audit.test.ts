import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../testing/harness.js';
import { canonicalJson, GENESIS_HASH, rowHash } from './audit.service.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth so jsonb reordering cannot change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'ư' }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":"ư","z":1}]},"b":1}');
  });
});

describe.each(testEngines())('audit trail on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'root', roles: ['admin'] });
    await h.makeUser({ username: 'tam', roles: ['auditor'] });
    await h.makeUser({ username: 'mai', roles: ['analyst'] });
  });
  afterAll(() => h.close());

  it('records writes, logins and denials, each carrying the previous row\'s hash', async () => {
    const admin = await h.login('root');
    const created = await admin.request('POST', '/api/users', { username: 'new.one', displayName: 'Người Mới', unitId: await h.unitId('CUSTOMS'), roles: ['viewer'], password: 'long enough pass' });
    expect(created.statusCode).toBe(201);
    const analyst = await h.login('mai');
    expect((await analyst.request('GET', '/api/users')).statusCode).toBe(403);

    const auditor = await h.login('tam');
    const page = (await auditor.request('GET', '/api/audit?limit=500')).json();
    const actions = page.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'auth.login', 'access.denied']));
    const create = page.items.find((e: { action: string }) => e.action === 'user.create');
    expect(create.detail).not.toHaveProperty('password');
    const denial = page.items.find((e: { action: string }) => e.action === 'access.denied');
    expect(denial).toMatchObject({ actorUsername: 'mai', outcome: 'denied' });
    const rows = await h.db.query<{ seq: number; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq');
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  });

  it('filters by actor, action prefix and outcome, and pages with a cursor', async () => {
    const auditor = await h.login('tam');
    const logins = (await auditor.request('GET', '/api/audit?action=auth.&actor=tam')).json();
    expect(logins.items.length).toBeGreaterThan(0);
    expect(logins.items.every((e: { action: string; actorUsername: string }) => e.action.startsWith('auth.') && e.actorUsername === 'tam')).toBe(true);
    const first = (await auditor.request('GET', '/api/audit?limit=2')).json();
    const second = (await auditor.request('GET', `/api/audit?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].seq).toBe(first.items[1].seq - 1);
    expect((await auditor.request('GET', '/api/audit?cursor=garbage')).json().error.issues[0].field).toBe('cursor');
  });

  it('hashes in the database exactly as verification does in Node, for any text and concurrent appends', async () => {
    const tricky = ['Nguyễn Văn Hùng', 'quote " back\\slash', 'tab\tnew\nline\u2028sep', '🚚 thuốc lá', 'ﬁ combining ệ', ''];
    const events = tricky.map((text, i) => ({
      action: 'test.tricky', actorUsername: text || null!, entityType: 'case', entityId: `e-${i}`,
      detail: { text, n: i * 1.5, big: 2 ** 52, neg: -7, nested: { z: [text, null, true], a: { 'khóa "x"': text } } },
      requestId: i % 2 ? `req-${text}` : undefined,
    }));
    await h.db.kysely.transaction().execute((trx) => h.services.audit.recordMany(events, trx));
    // Several appends at once, each in its own statement: the lock orders them, the chain has no gap.
    await Promise.all(Array.from({ length: 8 }, (_, i) => h.services.audit.record({ action: 'test.concurrent', detail: { i } })));
    const rows = await h.db.query<Record<string, unknown> & { seq: number; at: Date; hash: string; prev_hash: string }>('SELECT * FROM audit_log ORDER BY seq');
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      expect(r.seq).toBe(i + 1);
      expect(r.prev_hash).toBe(i ? rows[i - 1]!.hash : GENESIS_HASH);
      expect(r.hash).toBe(rowHash({ ...r, at: new Date(r.at).toISOString() } as unknown as Parameters<typeof rowHash>[0]));
    }
    const stored = rows.filter((r) => r.action === 'test.tricky');
    expect(stored.map((r) => (r.detail as { text: string }).text)).toEqual(tricky);
    expect(stored.map((r) => r.actor_username)).toEqual(tricky.map((t) => t || null));
    expect(rows.filter((r) => r.action === 'test.concurrent')).toHaveLength(8);
  });

  it('verifies an untouched chain', async () => {
    const auditor = await h.login('tam');
    const v = (await auditor.request('POST', '/api/audit/verify')).json();
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThan(5);
    expect(v.firstBroken).toBeNull();
  });

  it('refuses UPDATE and DELETE on the audit table', async () => {
    await expect(h.db.exec(`UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(h.db.exec('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
  });

  it('finds the first altered row when someone bypasses the guard with plain SQL', async () => {
    const [{ n }] = (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')) as [{ n: number }];
    const target = Math.max(2, Math.floor(n / 2));
    await h.db.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
      UPDATE audit_log SET detail = '{"tampered": true}'::jsonb WHERE seq = ${target};
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;`);
    const v = await h.services.audit.verify();
    expect(v).toMatchObject({ ok: false, checked: target - 1, firstBroken: { seq: target, reason: 'hash_mismatch' } });
  });

  it('keeps auditors and admins only', async () => {
    const analyst = await h.login('mai');
    expect((await analyst.request('GET', '/api/audit')).statusCode).toBe(403);
    expect((await analyst.request('POST', '/api/audit/verify')).statusCode).toBe(403);
  });
});
