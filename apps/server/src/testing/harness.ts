import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '@cordon/contracts';
import type { Db, Engine } from '@cordon/db';
import { createTestDb } from '@cordon/db/testing';
import { buildApp } from '../app.js';
import { testConfig, type Config } from '../config.js';
import { fixedClock } from '../lib/clock.js';
import { createServices, type Services } from '../services.js';
import { seedOrganisation } from '../features/demo/demo.seed.js';

export const TEST_PASSWORD = 'correct horse battery';

export interface Harness {
  db: Db;
  services: Services;
  app: FastifyInstance;
  clock: ReturnType<typeof fixedClock>;
  /** Creates a user in the unit with that code (default: the national office). */
  makeUser(opts: { username: string; roles: Role[]; unit?: string; password?: string }): Promise<{ id: string }>;
  unitId(code: string): Promise<string>;
  /** Signs in through the API and returns a client that sends the cookie and CSRF token. */
  login(username: string, password?: string): Promise<Client>;
  close(): Promise<void>;
}

export interface Client {
  cookie: string;
  csrf: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function createHarness(engine: Engine = 'pglite', overrides: Partial<Config> = {}): Promise<Harness> {
  const db = await createTestDb(engine);
  const clock = fixedClock('2026-11-23T03:00:00.000Z');
  // Tests sign in many times from one address: the per-address limit is tested on its own.
  const services = createServices(db, testConfig({ loginRatePerMinute: 10_000, ...overrides }), clock);
  await seedOrganisation(db, services.audit, clock);
  const app = await buildApp(services);
  const unitId = async (code: string) =>
    (await db.kysely.selectFrom('org_units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

  const h: Harness = {
    db,
    services,
    app,
    clock,
    unitId,
    async makeUser({ username, roles, unit = 'BCD389', password = TEST_PASSWORD }) {
      const u = await services.users.create(null, { username, displayName: username, unitId: await unitId(unit), roles, locale: 'vi', password });
      return { id: u.id };
    },
    async login(username, password = TEST_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = String(res.cookies.find((c) => c.name === 'cordon_sid')?.value);
      const csrf = (res.json() as { csrfToken: string }).csrfToken;
      return {
        cookie,
        csrf,
        request: (method, url, body, headers = {}) =>
          app.inject({
            method: method as 'GET',
            url,
            cookies: { cordon_sid: cookie },
            headers: { 'x-csrf-token': csrf, ...headers },
            ...(body !== undefined ? { payload: body as object } : {}),
          }),
      };
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
  return h;
}
