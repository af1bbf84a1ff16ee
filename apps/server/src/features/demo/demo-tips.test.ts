import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../testing/harness.js';
import { seedDemo } from './demo.seed.js';
import { seedDemoTips } from './demo-tips.seed.js';

describe.each(testEngines())('demo tips seed on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.db, h.services.audit, h.clock, 'cordon-demo');
  });
  afterAll(() => h.close());

  it('fills the triage queue by every channel, with overdue tips for the reminders and routing rules, once', async () => {
    const n = await seedDemoTips(h.services);
    expect(n).toBeGreaterThan(5);
    const triage = await h.login('triage', 'cordon-demo');
    const queue = (await triage.request('GET', '/api/tips?limit=50')).json().items as { channel: string; status: string }[];
    expect(queue).toHaveLength(n);
    expect(new Set(queue.map((t) => t.channel))).toEqual(new Set(['web', 'email', 'hotline']));
    expect(queue.some((t) => t.status === 'acknowledged') && queue.some((t) => t.status === 'closed')).toBe(true);
    const reminders = (await triage.request('GET', '/api/tips/reminders')).json();
    expect(reminders.overdue.count).toBeGreaterThan(0);
    const admin = await h.login('admin', 'cordon-demo');
    expect((await admin.request('GET', '/api/tips/routing-rules')).json().items).toHaveLength(2);
    expect(await seedDemoTips(h.services)).toBe(0);
  });
});
