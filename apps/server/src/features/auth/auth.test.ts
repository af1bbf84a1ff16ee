import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, TEST_PASSWORD, type Harness } from '../../testing/harness.js';
import type { Principal } from './principal.js';

describe.each(testEngines())('sign-in and sessions on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine, { loginMaxFailures: 3, loginLockMinutes: 15, sessionIdleMinutes: 30, sessionAbsoluteHours: 12 });
    await h.makeUser({ username: 'hung', roles: ['officer'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'locked', roles: ['viewer'] });
  });
  afterAll(() => h.close());

  it('signs in with the right password and returns the user, unit, roles and a CSRF token', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'hung', password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me).toMatchObject({ username: 'hung', roles: ['officer'], unit: { code: 'CUSTOMS', kind: 'force' }, authMethod: 'session' });
    expect(me.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = res.cookies.find((c) => c.name === 'cordon_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
  });

  it('names the force of a unit created without one by the unit above it, as the access rules read it', async () => {
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-TEAM', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: null, provinceCode: '20', nameVi: 'Đội kiểm soát', nameEn: 'Control team' });
    await h.makeUser({ username: 'team', roles: ['officer'], unit: 'CUSTOMS-TEAM' });
    expect((await (await h.login('team')).request('GET', '/api/me')).json().unit).toMatchObject({ code: 'CUSTOMS-TEAM', forceCode: 'CUSTOMS' });
    expect((await (await h.login('locked')).request('GET', '/api/me')).json().unit.forceCode).toBeNull(); // the standing office belongs to no force
  });

  it('stores only a hash of the session id, and the password as argon2id', async () => {
    const c = await h.login('hung');
    const sessions = await h.db.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
    expect(sessions.some((s) => s.id_hash === c.cookie)).toBe(false);
    const [u] = await h.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE username = 'hung'`);
    expect(u!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers a wrong password and an unknown user the same way, and audits both', async () => {
    const a = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'hung', password: 'wrong password!' } });
    const b = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong password!' } });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().error.message).toBe(b.json().error.message);
    const failures = await h.db.query<{ actor_username: string }>(`SELECT actor_username FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure'`);
    expect(failures.map((f) => f.actor_username)).toEqual(expect.arrayContaining(['hung', 'nobody']));
  });

  it('locks an account after repeated failures, even for the right password, until the lock expires', async () => {
    for (let i = 0; i < 3; i++) {
      await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'locked', password: 'not the password' } });
    }
    const during = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'locked', password: TEST_PASSWORD } });
    expect(during.statusCode).toBe(429);
    expect(during.json().error.code).toBe('RATE_LIMITED');
    expect(Number(during.headers['retry-after'])).toBeGreaterThan(0);
    h.clock.advance(16 * 60_000);
    const after = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'locked', password: TEST_PASSWORD } });
    expect(after.statusCode).toBe(200);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const c = await h.login('hung');
    const without = await h.app.inject({ method: 'PATCH', url: '/api/me', cookies: { cordon_sid: c.cookie }, payload: { locale: 'en' } });
    expect(without.statusCode).toBe(403);
    const wrong = await c.request('PATCH', '/api/me', { locale: 'en' }, { 'x-csrf-token': 'forged' });
    expect(wrong.statusCode).toBe(403);
    const right = await c.request('PATCH', '/api/me', { locale: 'en' });
    expect(right.statusCode).toBe(200);
    expect(right.json().locale).toBe('en');
  });

  it('remembers the language per user across sign-ins', async () => {
    const c = await h.login('hung');
    await c.request('PATCH', '/api/me', { locale: 'en' });
    const again = await h.login('hung');
    expect((await again.request('GET', '/api/me')).json().locale).toBe('en');
  });

  it('ends a session after the idle limit and after the absolute limit', async () => {
    const idle = await h.login('hung');
    h.clock.advance(31 * 60_000);
    expect((await idle.request('GET', '/api/me')).statusCode).toBe(401);

    // Active every 25 minutes: never idle, but the session still ends 12 hours after sign-in.
    const busy = await h.login('hung');
    for (let minute = 25; minute < 12 * 60; minute += 25) {
      h.clock.advance(25 * 60_000);
      expect((await busy.request('GET', '/api/me')).statusCode).toBe(200);
    }
    h.clock.advance(25 * 60_000);
    expect((await busy.request('GET', '/api/me')).statusCode).toBe(401);
  });

  it('ends the previous session of the browser when someone signs in again', async () => {
    const first = await h.login('hung');
    const again = await h.app.inject({ method: 'POST', url: '/api/auth/login', cookies: { cordon_sid: first.cookie }, payload: { username: 'hung', password: TEST_PASSWORD } });
    expect(again.statusCode).toBe(200);
    expect((await first.request('GET', '/api/me')).statusCode).toBe(401);
  });

  it('refuses and audits an unknown API token', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Bearer cordon_not-a-real-token' } });
    expect(res.statusCode).toBe(401);
    const rows = await h.db.query<{ outcome: string }>(`SELECT outcome FROM audit_log WHERE action = 'auth.token'`);
    expect(rows.map((r) => r.outcome)).toContain('failure');
  });

  it('answers the session probe with 200 for nobody (no console error in a browser), the user when signed in, and keeps /api/me at 401', async () => {
    const nobody = await h.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(nobody.statusCode).toBe(200);
    expect(nobody.json()).toEqual({ me: null });
    expect((await h.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);

    const c = await h.login('hung');
    const signedIn = await c.request('GET', '/api/auth/session');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().me).toEqual((await c.request('GET', '/api/me')).json());
    expect(signedIn.json().me).toMatchObject({ username: 'hung', authMethod: 'session' });

    // A session that ended: still 200 with nobody, and the dead cookie is cleared.
    expect((await c.request('POST', '/api/auth/logout')).statusCode).toBe(204);
    const ended = await c.request('GET', '/api/auth/session');
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ me: null });
    expect(ended.cookies.find((k) => k.name === 'cordon_sid')).toMatchObject({ value: '' });

    // An API client with a bad token still hears 401.
    const bad = await h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { authorization: 'Bearer cordon_not-a-real-token' } });
    expect(bad.statusCode).toBe(401);
  });

  it('logs out: the cookie no longer works', async () => {
    const c = await h.login('hung');
    expect((await c.request('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await c.request('GET', '/api/me')).statusCode).toBe(401);
  });

  it('changes the password: the old one stops working and other sessions end', async () => {
    await h.makeUser({ username: 'changer', roles: ['viewer'] });
    const other = await h.login('changer');
    const c = await h.login('changer');
    const bad = await c.request('POST', '/api/me/password', { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'currentPassword', reason: 'wrong_password' });
    const short = await c.request('POST', '/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.issues[0]).toMatchObject({ field: 'newPassword', reason: 'too_short', limit: 10 });
    const ok = await c.request('POST', '/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' });
    expect(ok.statusCode).toBe(204);
    expect((await c.request('GET', '/api/me')).statusCode).toBe(200);
    expect((await other.request('GET', '/api/me')).statusCode).toBe(401);
    await expect(h.login('changer')).rejects.toThrow(/401/);
    await expect(h.login('changer', 'a brand new passphrase')).resolves.toBeTruthy();
  });
});

describe.each(testEngines())('access changes take effect at the next request on %s', (engine) => {
  // Every request reads its session (or token), the user, their unit and its subtree afresh (one
  // statement): nothing about a principal is cached between requests. These tests fail if that changes
  // without the cache being emptied by logout, deactivation, role and unit changes.
  let h: Harness;
  let admin: Awaited<ReturnType<Harness['login']>>;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'root', roles: ['admin'] });
    admin = await h.login('root');
  });
  afterAll(() => h.close());

  const version = async (id: string) => (await h.db.query<{ version: number }>('SELECT version FROM users WHERE id = $1', [id]))[0]!.version;
  const patchUser = async (id: string, body: Record<string, unknown>) => {
    const r = await admin.request('PATCH', `/api/users/${id}`, { version: await version(id), ...body });
    expect(r.statusCode).toBe(200);
  };

  it('a session: logout, deactivation and a role change end it at once', async () => {
    const { id } = await h.makeUser({ username: 'tam', roles: ['officer', 'viewer'], unit: 'CUSTOMS' });
    const a = await h.login('tam');
    expect((await a.request('GET', '/api/me')).statusCode).toBe(200);
    expect((await a.request('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await a.request('GET', '/api/me')).statusCode).toBe(401);

    const b = await h.login('tam');
    expect((await b.request('GET', '/api/me')).json().roles).toEqual(['officer', 'viewer']);
    await patchUser(id, { roles: ['viewer'] });
    expect((await b.request('GET', '/api/me')).statusCode).toBe(401);
    const c = await h.login('tam');
    expect((await c.request('GET', '/api/me')).json().roles).toEqual(['viewer']);

    await patchUser(id, { disabled: true });
    expect((await c.request('GET', '/api/me')).statusCode).toBe(401);
  });

  it('an API token: the owner\'s deactivation and a role taken from the owner apply at once', async () => {
    const { id } = await h.makeUser({ username: 'lan', roles: ['officer', 'risk_analyst'], unit: 'CUSTOMS' });
    const created = await admin.request('POST', '/api/tokens', { name: 'integration', userId: id, roles: ['officer', 'risk_analyst'] });
    expect(created.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${created.json().token as string}` };
    const me = () => h.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
    expect((await me()).json().roles).toEqual(['officer', 'risk_analyst']);
    await patchUser(id, { roles: ['officer'] });
    expect((await me()).json().roles).toEqual(['officer']);
    await patchUser(id, { disabled: true });
    expect((await me()).statusCode).toBe(401);
  });

  it('a unit created under the user\'s unit is part of their need-to-know at the next request', async () => {
    await h.makeUser({ username: 'binh', roles: ['officer'], unit: 'CUSTOMS' });
    const c = await h.login('binh');
    const before = await h.services.auth.authenticateSession(c.cookie);
    const created = await admin.request('POST', '/api/org-units', { code: 'CUSTOMS-TEST-SUB', kind: 'unit', parentId: before!.unitId, nameVi: 'Đội thử', nameEn: 'Test team' });
    expect(created.statusCode).toBe(201);
    const after = await h.services.auth.authenticateSession(c.cookie);
    expect(after!.unitIds).toEqual(expect.arrayContaining([...before!.unitIds, created.json().id as string]));
    expect(after!.unitIds).toHaveLength(before!.unitIds.length + 1);
  });
});

describe('login rate limit per address', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite', { loginRatePerMinute: 3 });
  });
  afterAll(() => h.close());

  it('answers 429 once an address has tried too often in a minute', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `probe${i}`, password: 'guess-guess' }, remoteAddress: '10.9.9.9' });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toEqual([429, 429]);
    const other = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'guess-guess' }, remoteAddress: '10.9.9.10' });
    expect(other.statusCode).toBe(401);
  });
});

describe.each(testEngines())('the login lockout under parallel guesses on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine, { loginMaxFailures: 3, loginLockMinutes: 15 });
    await h.makeUser({ username: 'burst', roles: ['viewer'] });
  });
  afterAll(() => h.close());

  it('counts parallel wrong passwords one by one, so a burst cannot slip past the lockout', async () => {
    const tries = await Promise.all(
      Array.from({ length: 6 }, () => h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'burst', password: 'not the password' } })),
    );
    expect(tries.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true); // 429 once the lock is set
    const after = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'burst', password: TEST_PASSWORD } });
    expect(after.statusCode).toBe(429);
    const [u] = await h.db.query<{ locked_until: Date | null }>(`SELECT locked_until FROM users WHERE username = 'burst'`);
    expect(u!.locked_until).not.toBeNull();
  });
});
