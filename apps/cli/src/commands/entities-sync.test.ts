import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../../server/src/testing/harness.js';
import { makeCase } from '../../../server/src/testing/factories.js';
import { buildProgram } from '../program.js';

describe.each(testEngines())('cordon entities sync on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'officer', roles: ['officer'], unit: 'CUSTOMS' });
    const officer = await h.login('officer');
    await officer.request('POST', '/api/cases', makeCase());
    await officer.request('POST', '/api/cases', makeCase({ subjects: [{ kind: 'person', role: 'owner', name: 'NGUYEN VAN HUNG', idNumber: '020089001234' }] }));
  });
  afterAll(() => h.close());

  const sync = async (...flags: string[]) => {
    const out: string[] = [];
    await buildProgram({ openDb: async () => ({ ...h.db, close: async () => {} }), out: (l) => out.push(l), err: (l) => out.push(l) }).parseAsync(['node', 'cordon', 'entities', 'sync', '--json', ...flags]);
    return JSON.parse(out.join('')) as { mode: string; records: number; resolved: number; subjects: number; changed: number };
  };

  it('writes subjects from the case records once, and nothing on a second run', async () => {
    expect(await sync()).toMatchObject({ records: 3, subjects: 2, changed: 3 });
    expect(await sync()).toMatchObject({ records: 3, subjects: 2, changed: 0 });
    const members = await h.db.kysely.selectFrom('subject_members').select(['subject_id', 'rule']).execute();
    expect(new Set(members.map((m) => m.subject_id)).size).toBe(2);
    expect(members.map((m) => m.rule).sort()).toEqual(['first', 'first', 'identifier']);
  });

  it('resolves every record again with --full, where a run without it has nothing to do', async () => {
    expect(await sync()).toMatchObject({ mode: 'incremental', resolved: 0 });
    expect(await sync('--full')).toMatchObject({ mode: 'full', records: 3, resolved: 3, changed: 0 });
    expect(await sync()).toMatchObject({ mode: 'incremental', resolved: 0 });
  });
});
