import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Health, Meta } from '@cordon/contracts';
import { migrationStatus, type Db } from '@cordon/db';
import type { Config } from '../../config.js';
import type { Clock } from '../../lib/clock.js';
import { DEMO_USERS } from '../demo/demo.seed.js';
import { VERSION } from '../../version.js';

export async function healthRoutes(app: FastifyInstance, { db, config, clock }: { db: Db; config: Config; clock: Clock }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/health', { schema: { tags: ['system'], summary: 'Database reachable, migrations current, version', response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    let reachable = true;
    let migrations = { applied: 0, expected: 0, current: false };
    try {
      migrations = await migrationStatus(db);
    } catch {
      reachable = false;
    }
    const ok = reachable && migrations.current;
    const { applied, expected, current } = migrations;
    return reply.status(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      version: VERSION,
      database: { engine: db.engine, reachable },
      migrations: { applied, expected, current },
      time: clock.now().toISOString(),
    });
  });
  r.get('/api/meta', { schema: { tags: ['system'], summary: 'Public facts the login page needs', response: { 200: Meta } } }, async () => ({
    name: 'Cordon' as const,
    version: VERSION,
    demoMode: config.demo,
    demoAccounts: config.demo ? DEMO_USERS.map((u) => ({ username: u.username, roles: u.roles })) : [],
    timeZone: 'Asia/Ho_Chi_Minh',
  }));
}
