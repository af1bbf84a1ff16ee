import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@cordon/db';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../../server/src/testing/harness.js';
import { buildProgram } from '../program.js';
import type { CliContext } from '../context.js';

async function cordon(db: Db, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = { openDb: async () => ({ ...db, close: async () => {} }), out: (l) => out.push(l), err: (l) => err.push(l) };
  process.exitCode = undefined;
  await buildProgram(ctx).parseAsync(['node', 'cordon', ...args]);
  const exitCode = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { out: out.join('\n'), err: err.join('\n'), exitCode };
}

const FILE = [
  'source_ref;title;violation_type;detected_on;province;goods_category;value_vnd',
  'CLI-1;Vụ phân bón giả tại kho;Sản xuất, buôn bán hàng giả;12/03/2025;Hà Nội;Phân bón, thuốc bảo vệ thực vật;1.500.000',
  'CLI-2;Vụ mỹ phẩm không rõ nguồn gốc;OTHER;2025-03-13;01;COSMETICS;2.000.000',
  'CLI-3;Vụ có ngày sai;SMUGGLING;32/13/2025;01;SUGAR;1',
].join('\n');

describe.each(testEngines())('cordon import cases on %s', (engine) => {
  let h: Harness;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'root', roles: ['admin'] });
    dir = mkdtempSync(join(tmpdir(), 'cordon-import-'));
    file = join(dir, 'cases.csv');
    writeFileSync(file, FILE);
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the good rows for the unit, lists each problem with its line and exits 1', async () => {
    const r = await cordon(h.db, 'import', 'cases', file, '--unit', 'MARKET_SURVEILLANCE');
    expect(r.out).toMatch(/3 rows: 2 imported, 0 duplicates, 1 rejected/);
    expect(r.err).toMatch(/line 4 \[detected_on\] invalid_format/);
    expect(r.exitCode).toBe(1);
    const rows = await h.db.query<{ source_ref: string; code: string; username: string }>(
      `SELECT c.source_ref, u.code, us.username FROM cases c JOIN org_units u ON u.id = c.source_unit_id JOIN users us ON us.id = c.created_by ORDER BY c.source_ref`,
    );
    expect(rows).toEqual([
      { source_ref: 'CLI-1', code: 'MARKET_SURVEILLANCE', username: 'root' },
      { source_ref: 'CLI-2', code: 'MARKET_SURVEILLANCE', username: 'root' },
    ]);
  });

  it('imports nothing with --all-or-nothing, and a rerun of the fixed file adds only the missing row', async () => {
    const r = await cordon(h.db, 'import', 'cases', file, '--unit', 'MARKET_SURVEILLANCE', '--all-or-nothing');
    expect(r.out).toContain('Nothing was imported');
    expect(r.exitCode).toBe(1);
    writeFileSync(file, FILE.replace('32/13/2025', '14/03/2025'));
    const fixed = await cordon(h.db, 'import', 'cases', file, '--unit', 'MARKET_SURVEILLANCE', '--as', 'root');
    expect(fixed.out).toMatch(/3 rows: 1 imported, 2 duplicates, 0 rejected/);
    expect(fixed.exitCode).toBe(0);
  });

  it('names an unknown unit', async () => {
    await expect(cordon(h.db, 'import', 'cases', file, '--unit', 'NOPE')).rejects.toThrow(/No active unit with code "NOPE"/);
  });
});
