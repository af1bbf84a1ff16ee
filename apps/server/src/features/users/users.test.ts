import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, TEST_PASSWORD, type Client, type Harness } from '../../testing/harness.js';

describe.each(testEngines())('user and token administration on %s', (engine) => {
  let h: Harness;
  let admin: Client;
  let customs: string;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'root', roles: ['admin'] });
    await h.makeUser({ username: 'officer.a', roles: ['officer'], unit: 'CUSTOMS' });
    admin = await h.login('root');
    customs = await h.unitId('CUSTOMS');
  });
  afterAll(() => h.close());

  it('creates a user who can then sign in', async () => {
    const res = await admin.request('POST', '/api/users', { username: 'nguyen.hung', displayName: 'Nguyễn Văn Hùng', unitId: customs, roles: ['officer', 'viewer'], password: 'mật khẩu đủ dài' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'nguyen.hung', unitCode: 'CUSTOMS', roles: ['officer', 'viewer'], disabled: false, version: 1 });
    await expect(h.login('nguyen.hung', 'mật khẩu đủ dài')).resolves.toBeTruthy();
  });

  it('answers two simultaneous requests for one new username with one user and one 400, never a 500', async () => {
    const body = { username: 'same.name', displayName: 'Same Name', unitId: customs, roles: ['viewer'], password: 'long enough password' };
    const both = await Promise.all([admin.request('POST', '/api/users', body), admin.request('POST', '/api/users', body)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 400]);
    expect(both.find((r) => r.statusCode === 400)!.json().error.issues[0]).toMatchObject({ field: 'username', reason: 'not_unique' });
  });

  it('finds users by name typed without diacritics', async () => {
    const res = (await admin.request('GET', '/api/users?q=nguyen%20van%20hung')).json();
    expect(res.items.map((u: { username: string }) => u.username)).toEqual(['nguyen.hung']);
  });

  it('names the field and the reason for bad input', async () => {
    const res = await admin.request('POST', '/api/users', { username: 'Bad Name', displayName: 'X', unitId: customs, roles: ['wizard'], password: 'short' });
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.issues as { field: string; reason: string }[];
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'username', reason: 'invalid_format' }),
      expect.objectContaining({ field: 'displayName', reason: 'too_short' }),
      expect.objectContaining({ field: 'roles.0', reason: 'invalid_value' }),
      expect.objectContaining({ field: 'password', reason: 'too_short' }),
    ]));
    const dup = await admin.request('POST', '/api/users', { username: 'officer.a', displayName: 'Dup', unitId: customs, roles: ['viewer'], password: 'long enough pass' });
    expect(dup.json().error.issues[0]).toMatchObject({ field: 'username', reason: 'not_unique' });
  });

  it('catches concurrent edits with the version (409)', async () => {
    const u = (await admin.request('GET', '/api/users?q=officer.a')).json().items[0];
    const first = await admin.request('PATCH', `/api/users/${u.id}`, { version: u.version, displayName: 'Officer A' });
    expect(first.statusCode).toBe(200);
    const second = await admin.request('PATCH', `/api/users/${u.id}`, { version: u.version, displayName: 'Officer A again' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('CONFLICT');
  });

  it('disabling a user ends their session at once and stops sign-in', async () => {
    await h.makeUser({ username: 'leaver', roles: ['viewer'] });
    const leaver = await h.login('leaver');
    const u = (await admin.request('GET', '/api/users?q=leaver')).json().items[0];
    expect((await admin.request('PATCH', `/api/users/${u.id}`, { version: u.version, disabled: true })).statusCode).toBe(200);
    expect((await leaver.request('GET', '/api/me')).statusCode).toBe(401);
    await expect(h.login('leaver')).rejects.toThrow(/401/);
  });

  it('keeps the admin screens to admins', async () => {
    const officer = await h.login('officer.a');
    for (const [method, url, body] of [
      ['GET', '/api/users'],
      ['POST', '/api/users', { username: 'sneaky', displayName: 'Sneaky', unitId: customs, roles: ['admin'], password: 'long enough pass' }],
      ['GET', '/api/tokens'],
      ['POST', '/api/org-units', { code: 'ROGUE', kind: 'unit', parentId: null, nameVi: 'Rogue', nameEn: 'Rogue' }],
    ] as const) {
      expect((await officer.request(method, url, body)).statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(401);
  });

  it('lets case writers find colleagues by name for secret cases, and nobody else', async () => {
    const officer = await h.login('officer.a');
    const found = await officer.request('GET', '/api/users/directory?q=nguyen%20van%20hung');
    expect(found.statusCode).toBe(200);
    expect(found.json().items).toEqual([{ id: expect.any(String), username: 'nguyen.hung', displayName: 'Nguyễn Văn Hùng', unitCode: 'CUSTOMS' }]);
    expect(found.json().items[0]).not.toHaveProperty('roles');
    await h.makeUser({ username: 'just.viewer', roles: ['viewer'] });
    const viewer = await h.login('just.viewer');
    expect((await viewer.request('GET', '/api/users/directory?q=nguyen')).statusCode).toBe(403);
    expect((await officer.request('GET', '/api/users/directory?q=n')).statusCode).toBe(400);
  });

  it('will not let an admin lock themselves out', async () => {
    const me = (await admin.request('GET', '/api/me')).json();
    const res = await admin.request('PATCH', `/api/users/${me.id}`, { version: me.version, disabled: true });
    expect(res.statusCode).toBe(409);
  });

  it('issues an API token that works as a bearer, limited to its roles, until revoked', async () => {
    const multi = await h.makeUser({ username: 'integration', roles: ['admin', 'viewer'] });
    const tooMuch = await admin.request('POST', '/api/tokens', { name: 'too much', userId: (await h.makeUser({ username: 'plain', roles: ['viewer'] })).id, roles: ['admin'] });
    expect(tooMuch.json().error.issues[0]).toMatchObject({ field: 'roles', reason: 'not_subset' });

    const created = await admin.request('POST', '/api/tokens', { name: 'Customs data feed', userId: multi.id, roles: ['viewer'] });
    expect(created.statusCode).toBe(201);
    const { token, view } = created.json();
    expect(token).toMatch(/^cordon_/);
    expect(view.prefix).toBe(token.slice(0, view.prefix.length));
    const stored = await h.db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
    expect(stored.some((s) => s.token_hash === token)).toBe(false);

    const bearer = { authorization: `Bearer ${token}` };
    const me = await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
    expect(me.json()).toMatchObject({ username: 'integration', roles: ['viewer'], authMethod: 'token' });
    // The account is an admin, but the token carries only "viewer".
    expect((await h.app.inject({ method: 'GET', url: '/api/users', headers: bearer })).statusCode).toBe(403);
    const listed = (await admin.request('GET', '/api/tokens')).json().items.find((t: { id: string }) => t.id === view.id);
    expect(listed.lastUsedAt).not.toBeNull();

    expect((await admin.request('POST', `/api/tokens/${view.id}/revoke`)).json().revokedAt).not.toBeNull();
    expect((await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(401);
  });

  it('resets a password: the old one and old sessions stop working', async () => {
    await h.makeUser({ username: 'forgetful', roles: ['viewer'] });
    const session = await h.login('forgetful');
    const u = (await admin.request('GET', '/api/users?q=forgetful')).json().items[0];
    expect((await admin.request('POST', `/api/users/${u.id}/password`, { newPassword: 'a fresh start 2026' })).statusCode).toBe(204);
    expect((await session.request('GET', '/api/me')).statusCode).toBe(401);
    await expect(h.login('forgetful', TEST_PASSWORD)).rejects.toThrow(/401/);
    await expect(h.login('forgetful', 'a fresh start 2026')).resolves.toBeTruthy();
  });
});

describe.each(testEngines())('organisation administration on %s', (engine) => {
  let h: Harness;
  let admin: Client;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'root', roles: ['admin'] });
    admin = await h.login('root');
  });
  afterAll(() => h.close());

  it('starts with the national office, the forces and the 34 provincial committees', async () => {
    const units = (await admin.request('GET', '/api/org-units')).json().items as { kind: string; code: string }[];
    expect(units.filter((u) => u.kind === 'national_office').map((u) => u.code)).toEqual(['BCD389']);
    expect(units.filter((u) => u.kind === 'provincial_committee')).toHaveLength(34);
    expect(units.map((u) => u.code)).toEqual(expect.arrayContaining(['CUSTOMS', 'BORDER_GUARD', 'POLICE', 'MARKET_SURVEILLANCE', 'COAST_GUARD', 'TAX']));
  });

  it('creates a unit under a force, finds it without diacritics, and refuses a loop', async () => {
    const customs = await h.unitId('CUSTOMS');
    const res = await admin.request('POST', '/api/org-units', { code: 'CUSTOMS-QN', kind: 'unit', parentId: customs, forceCode: 'CUSTOMS', provinceCode: '22', nameVi: 'Chi cục Hải quan Quảng Ninh', nameEn: 'Quang Ninh Customs Branch' });
    expect(res.statusCode).toBe(201);
    const unit = res.json();
    const found = (await admin.request('GET', '/api/org-units?q=hai%20quan%20quang%20ninh')).json().items;
    expect(found.map((u: { code: string }) => u.code)).toEqual(['CUSTOMS-QN']);
    const loop = await admin.request('PATCH', `/api/org-units/${customs}`, { version: 1, parentId: unit.id });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().error.issues[0]).toMatchObject({ field: 'parentId' });
  });

  it('rejects unknown province and force codes by field', async () => {
    const bad = await admin.request('POST', '/api/org-units', { code: 'X-1', kind: 'unit', parentId: null, forceCode: 'NAVY', provinceCode: '99', nameVi: 'Đơn vị X', nameEn: 'Unit X' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('forceCode');
  });

  it('will not deactivate a unit that still has active users', async () => {
    const office = (await admin.request('GET', '/api/org-units?kind=national_office')).json().items[0];
    const res = await admin.request('PATCH', `/api/org-units/${office.id}`, { version: office.version, active: false });
    expect(res.statusCode).toBe(409);
  });
});
