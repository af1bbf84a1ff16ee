import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { riskRng } from '@cordon/engine';
import { createHarness, type Harness } from '../../../server/src/testing/harness.js';
import { buildProgram } from '../program.js';
import type { CliContext } from '../context.js';

/** 300 declarations over 15 days; origin "XX" is usually found. */
function csv(): Buffer {
  const rand = riskRng(4);
  const lines = ['id,day,hs,origin,value,found'];
  for (let i = 0; i < 300; i++) {
    const origin = ['CN', 'KR', 'XX'][Math.floor(rand() * 3)]!;
    const found = rand() < (origin === 'XX' ? 0.8 : 0.1) ? 1 : 0;
    lines.push(`D${i},2026-03-${String(1 + Math.floor(i / 20)).padStart(2, '0')},${['2402', '8541'][Math.floor(rand() * 2)]},${origin},${Math.round(rand() * 1000)},${found}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

describe.each(testEngines())('cordon risk train --db on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  }, 180_000);
  afterAll(() => h.close());

  async function cordon(...args: string[]) {
    const out: string[] = [];
    const ctx: CliContext = { openDb: async () => ({ ...h.db, close: async () => {} }), out: (l) => out.push(l), err: (l) => out.push(l) };
    await buildProgram(ctx).parseAsync(['node', 'cordon', ...args]);
    return out.join('\n');
  }

  it('trains a candidate model of a saved mapping on the outcomes in the database', async () => {
    const u = await h.makeUser({ username: 'risk.cli', roles: ['risk_analyst'], unit: 'CUSTOMS' });
    const p = (await h.services.auth.principalFor(u.id, 'session'))!;
    const m = await h.services.risk.createMapping(p, { name: 'cli-set', mapping: { id: 'id', date: 'day', label: 'found', categorical: ['hs', 'origin'], numeric: ['value'] } });
    const report = await h.services.risk.importDeclarations(p, { mappingId: m.id, fileName: 'd.csv', bytes: csv(), mode: 'partial' });
    expect(report).toMatchObject({ imported: 300, outcomes: 300, rejected: 0 });

    const out = await cordon('risk', 'train', '--db', '--mapping', 'cli-set', '--rounds', '20', '--valid-from', '2026-03-13');
    expect(out).toContain('model 1 of "cli-set"');
    expect(out).toContain('at 5%');
    const models = (await h.services.risk.listModels(p, m.id)).items;
    expect(models).toMatchObject([{ seq: 1, status: 'candidate', trainedBy: 'risk.cli', validFrom: '2026-03-13', trainTo: '2026-03-12', validRows: 60, trainRows: 240 }]);
    await expect(cordon('risk', 'train', '--db', '--mapping', 'no-such')).rejects.toThrow('No saved mapping named "no-such"');

    // Hand-picked derived features, checked against the saved mapping.
    await cordon('risk', 'train', '--db', '--mapping', 'cli-set', '--rounds', '5', '--pairs', 'hs*origin', '--ratios', 'none');
    const second = (await h.services.risk.listModels(p, m.id)).items.find((x) => x.seq === 2)!;
    expect(second.params).toMatchObject({ pairs: [['hs', 'origin']], ratios: [] });
    await expect(cordon('risk', 'train', '--db', '--mapping', 'cli-set', '--pairs', 'hs*value')).rejects.toThrow('--pairs: "value" is not a categorical column of the mapping (categorical: hs, origin)');
  }, 300_000); // three trainings in a worker thread: slow on a loaded 2-core machine
});
