import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { loadConfig } from '../../config.js';

describe('system routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
  });
  afterAll(() => h.close());

  it('reports health: database reachable, migrations current, version', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { engine: 'pglite', reachable: true }, migrations: { current: true } });
    expect(res.json().migrations.applied).toBe(res.json().migrations.expected);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers malformed JSON with a 400 and no stack trace', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    expect(res.json().error.code).toBe('INVALID_INPUT');
  });

  it('publishes OpenAPI generated from the zod schemas, and the docs page', async () => {
    const spec = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    const login = spec.paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['username', 'password']));
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/audit', '/api/org-units', '/api/tokens']));
    const docs = await h.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
  });

  it('tells the login page whether demo mode is on, without secrets', async () => {
    const meta = (await h.app.inject({ method: 'GET', url: '/api/meta' })).json();
    expect(meta).toMatchObject({ name: 'Cordon', demoMode: false, demoAccounts: [], timeZone: 'Asia/Ho_Chi_Minh' });
  });
});

describe('configuration', () => {
  it('fails at start with a message naming the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with postgres/);
    expect(() => loadConfig({ CORDON_DEMO: 'maybe' })).toThrow(/CORDON_DEMO/);
  });

  it('has working defaults: port 8389, embedded database in ./data, demo on', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8389);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.demo).toBe(true);
  });
});
