import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@cordon/db';
import { createTestDb } from '@cordon/db/testing';
import type { CliContext } from '../context.js';
import { referenceCommand } from './reference.js';

async function cordon(db: Db, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = { openDb: async () => ({ ...db, close: async () => {} }), out: (l) => out.push(l), err: (l) => err.push(l) };
  const program = new Command('cordon').exitOverride().addCommand(referenceCommand(ctx));
  await program.parseAsync(['node', 'cordon', ...args]);
  return { out: out.join('\n'), err: err.join('\n'), exitCode: process.exitCode };
}

describe('cordon reference import', () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDb('pglite');
    dir = mkdtempSync(join(tmpdir(), 'cordon-ref-cli-'));
    writeFileSync(
      join(dir, 'wards_2025.csv'),
      'code,name,type,name_ascii,province_code,province_name,merged_from_count\n00004,Phường Ba Đình,Phường,Phuong Ba Dinh,01,Hà Nội,10\n00008,Phường Ngọc Hà,Phường,Phuong Ngoc Ha,99,Hà Nội,8\n',
    );
    writeFileSync(join(dir, 'countries.csv'), 'alpha2,alpha3\nVN,VNM\n');
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  });

  it('imports the known files of a directory and prints every problem with its line', async () => {
    const r = await cordon(db, 'reference', 'import', '--dir', dir);
    expect(r.out).toMatch(/wards_2025\s+1 imported\s+1 rejected\s+with problems/);
    expect(r.err).toContain('wards_2025 line 3 [province_code]: "99" is not a 2025 province code');
    expect(r.exitCode).toBeUndefined();
  });

  it('exits 1 when a file could not be loaded at all', async () => {
    const r = await cordon(db, 'reference', 'import', '--kind', 'countries', join(dir, 'countries.csv'));
    expect(r.out).toMatch(/countries\s+0 imported.*FAILED/);
    expect(r.err).toContain('countries line 1 [numeric]: missing column');
    expect(r.exitCode).toBe(1);
  });

  it('explains itself when given neither --dir nor --kind', async () => {
    const r = await cordon(db, 'reference', 'import');
    expect(r.err).toMatch(/Give --dir DIR, or --kind KIND FILE/);
    expect(r.exitCode).toBe(2);
  });

  it('lists the kinds and their file names in --help', () => {
    const help = referenceCommand({} as CliContext).commands.find((c) => c.name() === 'import')!;
    let text = '';
    help.configureOutput({ writeOut: (s) => (text += s) });
    help.outputHelp();
    expect(text).toContain('vn_tariff_nomenclature_bilingual.csv');
    expect(text).toContain('--kind <kind>');
  });
});
