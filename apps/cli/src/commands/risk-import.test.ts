import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../../server/src/testing/harness.js';
import { buildProgram } from '../program.js';
import type { CliContext } from '../context.js';

describe.each(testEngines())('cordon risk import --db on %s', (engine) => {
  let h: Harness;
  const dir = mkdtempSync(join(tmpdir(), 'cordon-risk-import-'));
  beforeAll(async () => {
    h = await createHarness(engine);
    const u = await h.makeUser({ username: 'risk.imp', roles: ['risk_analyst'], unit: 'CUSTOMS' });
    const p = (await h.services.auth.principalFor(u.id, 'session'))!;
    await h.services.risk.createMapping(p, { name: 'tk', mapping: { id: 'so_tk', date: 'ngay', label: 'vi_pham', office: 'chi_cuc', categorical: ['ma_hs'], numeric: ['tri_gia'] } });
  });
  afterAll(() => h.close());

  async function cordon(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = { openDb: async () => ({ ...h.db, close: async () => {} }), out: (l) => out.push(l), err: (l) => err.push(l) };
    process.exitCode = 0;
    await buildProgram(ctx).parseAsync(['node', 'cordon', ...args]);
    const code = process.exitCode;
    process.exitCode = 0;
    return { out: out.join('\n'), err: err.join('\n'), code };
  }

  it('imports a file through a saved mapping with progress, reports each bad row by line and column, and skips known ids on a second run', async () => {
    const file = join(dir, 'thang10.csv');
    writeFileSync(file, ['so_tk,ngay,chi_cuc,ma_hs,tri_gia,vi_pham', 'A1,2026-10-01,HQ1,240220,100,1', 'A2,2026-10-01,HQ1,854140,abc,0', 'A3,01/10/2026,HQ2,610910,300,0', 'A4,2026-10-02,HQ2,610910,400,0'].join('\n') + '\n');
    const first = await cordon('risk', 'import', '--db', '--mapping', 'tk', file);
    expect(first.out).toContain('4 rows: 2 imported, 0 duplicates, 2 outcomes, 2 rejected');
    expect(first.err).toContain('line 3 [tri_gia] invalid_value');
    expect(first.err).toContain('line 4 [ngay] invalid_format');
    expect(first.err).toMatch(/2 \/ 2 rows written/);
    expect(first.code).toBe(1);
    const errors = readFileSync(join(dir, 'thang10.errors.csv'), 'utf8');
    expect(errors).toContain('line,field,reason,message');
    expect(errors).toContain('3,tri_gia,invalid_value');

    const again = await cordon('risk', 'import', '--db', '--mapping', 'tk', '--all-or-nothing', file);
    expect(again.out).toContain('0 imported');
    expect(again.out).toContain('Nothing was imported (--all-or-nothing).');
    const good = join(dir, 'good.csv');
    writeFileSync(good, ['so_tk,ngay,chi_cuc,ma_hs,tri_gia,vi_pham', 'A1,2026-10-01,HQ1,240220,100,1', 'A5,2026-10-03,HQ1,240220,500,1'].join('\n') + '\n');
    const third = await cordon('risk', 'import', '--db', '--mapping', 'tk', good);
    expect(third.out).toContain('2 rows: 1 imported, 1 duplicates, 1 outcomes, 0 rejected');
    expect(third.code).toBe(0);
    const audit = await h.db.query<{ actor_username: string }>("SELECT actor_username FROM audit_log WHERE action = 'risk.import' ORDER BY seq");
    expect(audit.map((a) => a.actor_username)).toEqual(['risk.imp', 'risk.imp', 'risk.imp']);
  });

  it('names the mapping or the column that is missing', async () => {
    const file = join(dir, 'thieu-cot.csv');
    writeFileSync(file, 'so_tk,ngay,chi_cuc,ma_hs\nB1,2026-10-01,HQ1,240220\n');
    await expect(cordon('risk', 'import', '--db', '--mapping', 'khong-co', file)).rejects.toThrow('No saved mapping named "khong-co"');
    await expect(cordon('risk', 'import', '--db', '--mapping', 'tk', file)).rejects.toThrow('tri_gia');
  });
});
