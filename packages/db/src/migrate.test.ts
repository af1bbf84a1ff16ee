import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from './db.js';
import { listMigrations, migrate, migrationStatus } from './migrate.js';
import { createTestDb, testEngines } from './testing/index.js';

/** The schema as text: tables, columns, constraints and indexes, in a stable order. */
async function describeSchema(db: Db): Promise<string> {
  const cols = await db.query<{ t: string; c: string; type: string; nullable: string; def: string | null }>(
    `SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS nullable, column_default AS def
       FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const cons = await db.query<{ t: string; name: string; def: string }>(
    `SELECT cl.relname AS t, k.conname AS name, pg_get_constraintdef(k.oid) AS def FROM pg_constraint k
       JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE n.nspname = current_schema() AND k.contype <> 'n' ORDER BY 1, 2`, // PostgreSQL 18 lists NOT NULL as constraints; 15 does not
  );
  const idx = await db.query<{ def: string }>(
    `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname`,
  );
  return [
    ...cols.map((r) => `column ${r.t}.${r.c} ${r.type}${r.nullable === 'NO' ? ' not null' : ''}${r.def ? ` default ${r.def}` : ''}`),
    ...cons.map((r) => `constraint ${r.t}.${r.name} ${r.def}`),
    ...idx.map((r) => `index ${r.def.replace(/ ON [\w.]*?(\w+) USING/, ' ON $1 USING')}`),
  ].join('\n') + '\n';
}

describe.each(testEngines())('migrations on %s', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = engine === 'pglite' ? await createDb() : await createTestDb('postgres');
    if (engine === 'postgres') await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  });
  afterAll(() => db.close());

  it('apply to an empty database, and a second run applies nothing', async () => {
    expect(await migrate(db)).toEqual(listMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual([]);
    expect(await migrationStatus(db)).toMatchObject({ current: true, pending: [] });
  });

  it('produce the committed schema snapshot', async () => {
    await expect(await describeSchema(db)).toMatchFileSnapshot('../schema.snapshot.txt');
  });

  it('refuse to run when an applied migration was edited', async () => {
    const edited = listMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m));
    await expect(migrate(db, edited)).rejects.toThrow(/was changed after it was applied/);
  });
});
