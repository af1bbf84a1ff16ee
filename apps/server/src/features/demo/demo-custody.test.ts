import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../testing/harness.js';
import { seedDemo } from './demo.seed.js';
import { seedDemoCases } from './demo-cases.seed.js';
import { seedDemoCustody } from './demo-custody.seed.js';

describe.each(testEngines())('demo custody seed on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.db, h.services.audit, h.clock, 'cordon-demo');
    await seedDemoCases(h.db, h.services.audit, h.clock, { count: 3000, years: 3, seed: 389, until: '2026-11-20' });
  });
  afterAll(() => h.close());

  it('puts goods of demo cases in two warehouses with real chains, including a transfer, an auction and an overdue item, once', async () => {
    const r = await seedDemoCustody(h.services);
    expect(r.warehouses).toBe(2);
    expect(r.items).toBeGreaterThan(4);
    const v = await h.services.custody.verify();
    expect(v).toMatchObject({ ok: true, eventsChecked: r.events });
    const border = await h.login('border.officer', 'cordon-demo');
    const held = (await border.request('GET', '/api/custody/items')).json().items as { state: string; overdue: boolean }[];
    expect(held.length).toBeGreaterThan(1);
    const customs = await h.login('customs.officer', 'cordon-demo');
    const wh = (await customs.request('GET', '/api/custody/warehouses')).json().items;
    expect(wh).toHaveLength(1);
    expect(wh[0].itemCount).toBeGreaterThan(0);
    const mine = (await customs.request('GET', '/api/custody/items?scope=all')).json().items as { state: string; overdue: boolean }[];
    expect(mine.some((i) => i.state === 'auctioned')).toBe(true);
    expect(mine.some((i) => i.overdue)).toBe(true);
    expect(await seedDemoCustody(h.services)).toEqual({ warehouses: 0, items: 0, events: 0 });
  });
});
