import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import type { TaskReminders } from '@cordon/contracts';
import { createHarness, type Harness } from '../../testing/harness.js';
import { seedDemo } from '../demo/demo.seed.js';
import { seedDemoDirectives } from './directives.seed.js';

describe.each(testEngines())('demo directives on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.db, h.services.audit, h.clock, 'cordon-demo');
  });
  afterAll(() => h.close());

  it('seeds directives with tasks in every state, once', async () => {
    const statuses = await h.db.kysely.selectFrom('directive_tasks').select('status').execute();
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(['open', 'in_progress', 'submitted', 'returned', 'accepted']));
    expect(await seedDemoDirectives(h.db, h.services.audit, h.clock)).toEqual({ directives: 0, tasks: 0 });
    expect((await h.db.kysely.selectFrom('task_templates').select('code').execute()).map((t) => t.code)).toEqual(['TET-PEAK']);
  });

  it('gives the demo province coordinator something due soon and the office something to accept', async () => {
    const coord = await h.login('province.coordinator', 'cordon-demo');
    const r = (await coord.request('GET', '/api/tasks/reminders')).json() as TaskReminders;
    expect(r.dueSoon.length).toBeGreaterThan(0);
    const office = await h.login('analyst', 'cordon-demo');
    const submitted = (await office.request('GET', '/api/tasks?status=submitted')).json() as { items: unknown[] };
    expect(submitted.items.length).toBeGreaterThan(0);
    const compliance = (await office.request('GET', '/api/directives/compliance?by=unit')).json() as { totals: { onTime: number; late: number; overdue: number } };
    expect(compliance.totals).toMatchObject({ onTime: 1, late: 1 });
    expect(compliance.totals.overdue).toBeGreaterThan(0);
  });
});
