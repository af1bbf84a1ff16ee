import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, tablesInDependencyOrder, type Db, type Engine } from '@cordon/db';
import { createTestDb, testEngines } from '@cordon/db/testing';
import { createServices, testConfig } from '@cordon/server';
import { createHarness, type Harness } from '../../../server/src/testing/harness.js';
import { buildProgram } from '../program.js';
import type { CliContext } from '../context.js';

/** Runs `cordon …` against the given database, collecting what it prints. */
async function cordon(db: Db, ...args: string[]) {
  const out: string[] = [];
  const ctx: CliContext = {
    openDb: async () => ({ ...db, close: async () => {} }),
    out: (l) => out.push(l),
    err: (l) => out.push(l),
  };
  await buildProgram(ctx).parseAsync(['node', 'cordon', ...args]);
  return out.join('\n');
}

/** A fingerprint of every row of every table. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const t of await tablesInDependencyOrder(db)) {
    const [r] = await db.query<{ n: number; h: string | null }>(
      `SELECT count(*)::int AS n, md5(string_agg(to_jsonb(x)::text, E'\\n' ORDER BY to_jsonb(x)::text)) AS h FROM "${t}" x`,
    );
    result[t] = `${r!.n}:${r!.h}`;
  }
  return result;
}

const freshDb = (engine: Engine) => (engine === 'pglite' ? createDb() : createTestDb('postgres'));

describe.each(testEngines())('cordon db backup / restore on %s', (engine) => {
  let h: Harness;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'root', roles: ['admin'] });
    await h.makeUser({ username: 'ha.noi', roles: ['viewer'] });
    const admin = await h.login('root');
    await admin.request('PATCH', '/api/me', { displayName: 'Quản trị viên Đặng' });
    dir = mkdtempSync(join(tmpdir(), 'cordon-backup-'));
    file = join(dir, 'cordon.backup.gz');
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips every row of every table, and the audit chain still verifies', async () => {
    const printed = await cordon(h.db, 'db', 'backup', file);
    expect(printed).toMatch(/Backed up \d+ rows from \d+ tables/);
    const target = await freshDb(engine);
    try {
      expect(await cordon(target, 'db', 'restore', file)).toMatch(/Restored \d+ rows/);
      expect(await fingerprint(target)).toEqual(await fingerprint(h.db));
      const s = createServices(target, testConfig(), h.clock);
      expect((await s.audit.verify()).ok).toBe(true);
      // The restored database works: users sign in, new audit rows extend the chain.
      const { principal } = await s.auth.login('root', 'correct horse battery');
      expect(principal.username).toBe('root');
      expect((await s.audit.verify()).ok).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('refuses to restore over data unless told to replace it', async () => {
    const target = await freshDb(engine);
    try {
      await cordon(target, 'db', 'restore', file);
      await expect(cordon(target, 'db', 'restore', file)).rejects.toThrow(/already holds data/);
      expect(await cordon(target, 'db', 'restore', file, '--replace')).toMatch(/Restored/);
      expect(await fingerprint(target)).toEqual(await fingerprint(h.db));
    } finally {
      await target.close();
    }
  });

  it.runIf(engine === 'pglite' && testEngines().includes('postgres'))('moves an embedded database to PostgreSQL', async () => {
    const target = await createTestDb('postgres');
    try {
      await cordon(target, 'db', 'restore', file);
      expect(await fingerprint(target)).toEqual(await fingerprint(h.db));
    } finally {
      await target.close();
    }
  });
});
