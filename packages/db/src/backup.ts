import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db.js';
import { listMigrations, migrate } from './migrate.js';

/**
 * Whole-database backup in an engine-neutral form: gzip'd JSON lines, one header, then for each table
 * its rows as JSON objects (`to_jsonb`, which keeps timestamps to the microsecond, bytea as hex, arrays
 * and jsonb as they are). Restore rebuilds the schema with the migrations and loads the rows with
 * `jsonb_populate_recordset`, so a PGlite backup restores into PostgreSQL and back. We do not use
 * pg_dump: PGlite has none, and its data-dir tarball does not load into PostgreSQL.
 */
export const BACKUP_FORMAT = 'cordon-backup/1';
const BATCH = 1000;

interface Header {
  format: string;
  createdAt: string;
  migrations: string[];
  tables: string[];
}

/** User tables in an order that satisfies foreign keys (parents first). */
export async function tablesInDependencyOrder(db: Db): Promise<string[]> {
  const tables = (
    await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND c.relname NOT IN ('schema_migrations') ORDER BY c.relname`,
    )
  ).map((r) => r.name);
  const deps = await db.query<{ child: string; parent: string }>(
    `SELECT cl.relname AS child, pl.relname AS parent FROM pg_constraint k
       JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pl ON pl.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE k.contype = 'f' AND n.nspname = current_schema()`,
  );
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (seen.has(t) || path.has(t)) return;
    path.add(t);
    for (const d of deps) if (d.child === t && d.parent !== t) visit(d.parent, path);
    seen.add(t);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

export async function backupDb(db: Db, file: string): Promise<{ tables: number; rows: number }> {
  const tables = await tablesInDependencyOrder(db);
  const migrations = (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version')).map(
    (r) => r.name,
  );
  let rows = 0;
  async function* lines() {
    const header: Header = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), migrations, tables };
    yield JSON.stringify(header) + '\n';
    for (const table of tables) {
      yield JSON.stringify({ table }) + '\n';
      // Page by ctid-free keyset: every table has a primary key; order by it for stable output.
      let offset = 0;
      for (;;) {
        const batch = await db.query<{ r: string }>(
          `SELECT to_jsonb(t)::text AS r FROM ${quoteIdent(table)} t ORDER BY 1 LIMIT ${BATCH} OFFSET ${offset}`,
        );
        for (const b of batch) yield b.r + '\n';
        rows += batch.length;
        offset += batch.length;
        if (batch.length < BATCH) break;
      }
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
  return { tables: tables.length, rows };
}

/**
 * Loads a backup into an empty database (migrating it first). With `replace`, drops everything in the
 * current schema before loading. All rows load in one transaction: a failed restore leaves nothing.
 */
export async function restoreDb(db: Db, file: string, opts: { replace?: boolean } = {}) {
  const input = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new Error(`${file} is empty`);
  const header = JSON.parse(first.value) as Header;
  if (header.format !== BACKUP_FORMAT) throw new Error(`${file} is not a Cordon backup (format ${header.format})`);
  const known = new Set(listMigrations().map((m) => m.name));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length) throw new Error(`The backup needs a newer Cordon (unknown migrations: ${unknown.join(', ')})`);

  if (opts.replace) {
    const schema = (await db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s;
    await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE; CREATE SCHEMA ${quoteIdent(schema)};`);
  }
  const existing = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> 'schema_migrations'`,
  );
  if (existing[0]!.n > 0) {
    const any = await anyRows(db);
    if (any) throw new Error('The target database already holds data; restore into an empty one or pass --replace');
  }
  const all = listMigrations();
  await migrate(db, all.filter((m) => header.migrations.includes(m.name)));

  let rows = 0;
  await db.kysely.connection().execute(async (conn) => {
    const run = async (q: RawBuilder<unknown>) => (await q.execute(conn)).rows as Record<string, unknown>[];
    await run(sql.raw('BEGIN'));
    try {
      // Triggers stay on: the audit trail refuses updates, not inserts.
      let table: string | undefined;
      let batch: string[] = [];
      const flush = async () => {
        if (!table || batch.length === 0) return;
        const json = `[${batch.join(',')}]`;
        await run(sql`INSERT INTO ${sql.id(table)} SELECT * FROM jsonb_populate_recordset(NULL::${sql.id(table)}, ${json}::jsonb)`);
        rows += batch.length;
        batch = [];
      };
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        const line = next.value;
        if (!line) continue;
        if (line.startsWith('{"table":')) {
          await flush();
          table = (JSON.parse(line) as { table: string }).table;
          continue;
        }
        batch.push(line);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      await resetSequences((text) => run(sql.raw(text)));
      await run(sql.raw('COMMIT'));
    } catch (err) {
      await run(sql.raw('ROLLBACK'));
      throw err;
    }
  });
  // Bring the schema up to this version of Cordon.
  await migrate(db);
  return { tables: header.tables.length, rows };
}

async function anyRows(db: Db): Promise<boolean> {
  for (const t of await tablesInDependencyOrder(db)) {
    const r = await db.query(`SELECT 1 FROM ${quoteIdent(t)} LIMIT 1`);
    if (r.length) return true;
  }
  return false;
}

/** After loading explicit ids, move every owned sequence past the largest value in its column. */
async function resetSequences(run: (text: string) => Promise<Record<string, unknown>[]>) {
  const seqs = (await run(
    `SELECT s.relname AS seq, t.relname AS tbl, a.attname AS col
       FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
       JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
       JOIN pg_namespace n ON n.oid = s.relnamespace
      WHERE s.relkind = 'S' AND n.nspname = current_schema()`,
  )) as { seq: string; tbl: string; col: string }[];
  for (const s of seqs) {
    await run(
      `SELECT setval('${quoteIdent(s.seq)}', COALESCE((SELECT max(${quoteIdent(s.col)}) FROM ${quoteIdent(s.tbl)}), 0) + 1, false)`,
    );
  }
}

export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
