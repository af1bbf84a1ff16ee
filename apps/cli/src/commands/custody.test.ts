import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@cordon/db';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../../server/src/testing/harness.js';
import type { Principal } from '../../../server/src/features/auth/principal.js';
import { buildProgram } from '../program.js';
import type { CliContext } from '../context.js';

/** Runs `cordon …` against the given database, collecting what it prints. */
async function cordon(db: Db, ...args: string[]) {
  const out: string[] = [];
  const ctx: CliContext = { openDb: async () => ({ ...db, close: async () => {} }), out: (l) => out.push(l), err: (l) => out.push(l) };
  await buildProgram(ctx).parseAsync(['node', 'cordon', ...args]);
  return out.join('\n');
}

describe.each(testEngines())('cordon custody verify on %s', (engine) => {
  let h: Harness;
  let item: { id: string; code: string; events: { id: string; seq: number }[] };
  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Customs Lang Son' });
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    const ls = await h.login('ls.officer');
    const caseId = (await ls.request('POST', '/api/cases', { title: 'Thu giữ thuốc lá lậu tại Tân Thanh', violationType: 'SMUGGLING', detectedOn: '2026-10-05', provinceCode: '20', goods: [{ category: 'CIGARETTES', description: 'Thuốc lá điếu Jet', quantity: 500, unit: 'bao' }] })).json().id;
    const wh = (await ls.request('POST', '/api/custody/warehouses', { code: 'K1', name: 'Kho Tân Thanh' })).json().id;
    let it = (await ls.request('POST', `/api/custody/cases/${caseId}/items`, {})).json().items[0];
    for (const body of [{ kind: 'received', documentNo: 'BB 1' }, { kind: 'stored', warehouseId: wh, shelf: 'A-1' }, { kind: 'sampled', documentNo: 'BB 2' }]) {
      const res = await ls.request('POST', `/api/custody/items/${it.id}/events`, { version: it.version, ...body });
      expect(res.statusCode, res.body).toBe(201);
      it = res.json();
    }
    item = it;
  });
  afterAll(async () => {
    process.exitCode = 0;
    await h.close();
  });

  it('proves untouched chains', async () => {
    expect(await cordon(h.db, 'custody', 'verify')).toBe('OK: 3 custody events of 1 items verified');
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('names the first altered event after a direct SQL edit, and exits 1', async () => {
    const target = item.events[1]!;
    await h.db.exec(`ALTER TABLE custody_events DISABLE TRIGGER custody_events_no_update;
      UPDATE custody_events SET at = at - interval '1 hour' WHERE id = '${target.id}';
      ALTER TABLE custody_events ENABLE TRIGGER custody_events_no_update;`);
    const printed = await cordon(h.db, 'custody', 'verify');
    expect(printed).toBe(`BROKEN: item ${item.code} (${item.id}), event 2 (${target.id}): hash_mismatch; 1 events before it verified`);
    expect(process.exitCode).toBe(1);
  });
});
