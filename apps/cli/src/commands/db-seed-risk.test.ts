import { afterAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../../server/src/testing/harness.js';
import { buildProgram } from '../program.js';
import type { CliContext } from '../context.js';

// `cordon db seed --demo` also seeds the declaration risk demo (what `npm start` does in the background),
// unless `--no-risk`. (That a second run finds the risk demo done is tested in risk-demo.test.ts; a second
// `db seed --demo --cases 0` stops earlier, at the custody demo's warehouses.)
describe.each(testEngines())('cordon db seed --demo and the risk demo on %s', (engine) => {
  const opened: Harness[] = [];
  afterAll(async () => {
    for (const h of opened) {
      await h.services.risk.idle();
      await h.close();
    }
  });

  async function seed(...args: string[]) {
    const h = await createHarness(engine);
    opened.push(h);
    const out: string[] = [];
    const ctx: CliContext = { openDb: async () => ({ ...h.db, close: async () => {} }), out: (l) => out.push(l), err: () => {} };
    await buildProgram(ctx).parseAsync(['node', 'cordon', 'db', 'seed', '--demo', '--cases', '0', ...args]);
    const mappings = (await h.db.query<{ name: string }>('SELECT name FROM risk_mappings')).map((r) => r.name);
    return { h, out: out.join('\n'), mappings };
  }

  it('skips the risk demo with --no-risk', async () => {
    const { out, mappings } = await seed('--no-risk');
    expect(out).toContain('Demo seed:');
    expect(out).not.toContain('Demo risk');
    expect(mappings).toEqual([]);
  }, 300_000);

  it('seeds the risk demo by default, with the demo offices assigned to the demo Customs units', async () => {
    const { h, out, mappings } = await seed();
    expect(out).toMatch(/Demo risk: imported \d+ declarations/);
    expect(out).toContain('assigned offices 20BC, 20BD, 03CE');
    expect(mappings).toEqual(['Tờ khai nhập khẩu (dữ liệu mẫu)']);
    const offices = await h.db.query<{ office_code: string; code: string }>('SELECT r.office_code, o.code FROM risk_office_units r JOIN org_units o ON o.id = r.unit_id ORDER BY r.office_code');
    expect(offices.map((r) => [r.office_code, r.code])).toEqual([['03CE', 'CUSTOMS-HP'], ['20BC', 'CUSTOMS-LS'], ['20BD', 'CUSTOMS-LS']]);
    const active = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM risk_models WHERE status = 'active'");
    expect(active[0]!.n).toBe(1);
  }, 600_000);
});
