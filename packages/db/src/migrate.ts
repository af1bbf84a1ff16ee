import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './db.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Migrations on disk, in order. File names are NNNN_verb_object.sql and never change once merged. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(dir + file, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

const LOCK_KEY = 389_0001; // advisory lock id: one migrator at a time per database

async function ensureTable(db: Db) {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

export interface MigrationStatus {
  applied: number;
  expected: number;
  current: boolean;
  pending: string[];
}

export async function migrationStatus(db: Db, migrations = listMigrations()): Promise<MigrationStatus> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  const applied = exists[0]?.t ? await db.query<{ version: number }>('SELECT version FROM schema_migrations') : [];
  const done = new Set(applied.map((r) => r.version));
  const pending = migrations.filter((m) => !done.has(m.version)).map((m) => m.name);
  return { applied: done.size, expected: migrations.length, current: pending.length === 0, pending };
}

/**
 * Applies pending migrations, each in its own transaction, so a crash leaves the database at the last
 * complete migration. Holds an advisory lock on one connection so two processes never migrate at once.
 * Refuses to run when an applied migration's file has been edited.
 */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  await ensureTable(db);
  return db.kysely.connection().execute(async (conn) => {
    const run = async <R>(text: string) => (await sql.raw<R>(text).execute(conn)).rows;
    await run(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    try {
      const rows = await run<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
      );
      const applied = new Map(rows.map((r) => [r.version, r]));
      const ran: string[] = [];
      for (const m of migrations) {
        const prior = applied.get(m.version);
        if (prior) {
          if (prior.checksum !== m.checksum) {
            throw new Error(`Migration ${m.name} was changed after it was applied; add a new migration instead`);
          }
          continue;
        }
        try {
          await run(
            `BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, '${m.name}', '${m.checksum}');\nCOMMIT;`,
          );
        } catch (err) {
          await run('ROLLBACK').catch(() => {});
          throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
        ran.push(m.name);
      }
      return ran;
    } finally {
      await run(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
    }
  });
}
