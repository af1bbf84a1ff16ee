import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from './db.js';
import { createTestDb, testEngines } from './testing/index.js';

describe.each(testEngines())('createDb on %s', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(engine);
    await db.exec('CREATE TABLE isolation_probe (n integer)');
  });
  afterAll(() => db.close());

  it('keeps raw queries out of a transaction another caller holds open', async () => {
    let inside!: () => void;
    const wrote = new Promise<void>((r) => (inside = r));
    let finish!: () => void;
    const hold = new Promise<void>((r) => (finish = r));
    const trx = db.kysely.transaction().execute(async (t) => {
      await sql`INSERT INTO isolation_probe VALUES (1)`.execute(t);
      inside();
      await hold;
      throw new Error('roll back');
    });
    await wrote;
    // On PGlite's one connection, a query sent now would run inside the open transaction and see its row.
    const seen = db.query<{ n: number }>('SELECT count(*)::int AS n FROM isolation_probe');
    finish();
    await expect(trx).rejects.toThrow('roll back');
    expect((await seen)[0]!.n).toBe(0);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM isolation_probe'))[0]!.n).toBe(0);
  });
});
