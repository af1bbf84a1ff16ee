import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db, type Engine } from '../db.js';
import { adminUrlFor, databaseUrlFor } from './urls.js';

/** PGlite always; PostgreSQL as well when DATABASE_URL is set (CI sets it). */
export function testEngines(): Engine[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

let templateBlob: Blob | undefined;

/** A fresh, migrated, empty database of its own for one test file or one test. */
export async function createTestDb(engine: Engine = 'pglite'): Promise<Db> {
  if (engine === 'pglite') {
    templateBlob ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
    return createDb({ loadDataDir: templateBlob });
  }
  const url = process.env.DATABASE_URL;
  const template = inject('pgTemplate');
  if (!url || !template) throw new Error('PostgreSQL tests need DATABASE_URL');
  const name = `cordon_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrlFor(url) });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err) {
        // Two workers copying the template at the same instant: PostgreSQL asks one to wait.
        if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const db = await createDb({ databaseUrl: databaseUrlFor(url, name), poolSize: 4 });
  return {
    ...db,
    engine: db.engine,
    kysely: db.kysely,
    query: db.query,
    exec: db.exec,
    async close() {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrlFor(url) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => a.end());
    },
  };
}
