import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type DatabaseConnection } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Engine = 'pglite' | 'postgres';

export interface Db {
  readonly engine: Engine;
  /** Typed query builder. Use `db.kysely.transaction().execute(...)` for transactions. */
  readonly kysely: Kysely<Database>;
  /** Raw SQL with $1.. parameters, for the few places a builder hides more than it helps. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements without parameters (migrations, DDL). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (test templates). */
  dumpDataDir?(): Promise<Blob>;
}

export interface DbOptions {
  /** postgres://… — when set, PostgreSQL is used. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; `undefined` or 'memory://' keeps it in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-dir tarball to start from (tests load a migrated template this way). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

// Type OIDs whose default parsing differs between node-postgres and PGlite; we pin one behaviour.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

/** int8 → number: VND amounts and counts stay far below 2^53; refuse silently wrong values. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} is beyond the safe integer range`);
  return n;
}

export async function createDb(options: DbOptions = {}): Promise<Db> {
  return options.databaseUrl ? createPostgres(options.databaseUrl, options.poolSize ?? 10) : createPglite(options);
}

async function createPostgres(url: string, max: number): Promise<Db> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8) return parseInt8;
      if (oid === DATE || oid === NUMERIC) return (v: string) => v;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({ connectionString: url, max, types: types as pg.CustomTypesConfig });
  pool.on('error', () => {
    // An idle client lost its connection (server restart); the pool replaces it on next use.
  });
  const client = await pool.connect(); // fail fast when the server is unreachable
  client.release();
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    kysely,
    async query<R>(text: string, params: readonly unknown[] = []) {
      const r = await pool.query(text, params as unknown[]);
      return r.rows as R[];
    },
    async exec(text: string) {
      await pool.query(text);
    },
    async close() {
      await kysely.destroy(); // ends the pool
    },
  };
}

async function createPglite(options: DbOptions): Promise<Db> {
  const dataDir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined;
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const pgl = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pg_trgm },
    parsers: {
      [INT8]: parseInt8,
      [DATE]: (v: string) => v,
      [NUMERIC]: (v: string) => v,
    },
  });
  const acquire = connectionLock();
  // query() and exec() take the same turn as Kysely: run between another holder's BEGIN and COMMIT,
  // they would become part of that transaction (see its uncommitted rows, abort it on error, roll back with it).
  const exclusive = async <T>(f: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await f();
    } finally {
      release();
    }
  };
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pgl, acquire) }) });
  return {
    engine: 'pglite',
    kysely,
    query<R>(text: string, params: readonly unknown[] = []) {
      return exclusive(async () => (await pgl.query<R>(text, params as unknown[])).rows);
    },
    exec(text: string) {
      return exclusive(async () => {
        await pgl.exec(text);
      });
    },
    async close() {
      await pgl.close();
    },
    async dumpDataDir() {
      return (await pgl.dumpDataDir('gzip')) as Blob;
    },
  };
}

/** One holder at a time: resolves with the function that hands the connection to the next in line. */
function connectionLock(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return async () => {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => next);
    await previous;
    return release;
  };
}

/**
 * PGlite is one connection. Kysely's PostgresDialect asks a pool for connections; this pool hands out
 * the single connection to one holder at a time, so a transaction never interleaves with other
 * queries. (Written here because it is 30 lines; the published dialects do the same.)
 */
function pglitePool(pgl: PGlite, acquire: () => Promise<() => void>) {
  const client = {
    async query(sql: string, params: unknown[]) {
      // Without parameters use the simple protocol, which accepts several statements (migrations).
      const r = params.length ? await pgl.query(sql, params) : (await pgl.exec(sql)).at(-1)!;
      const command = sql.trimStart().slice(0, 6).toUpperCase();
      return { command, rowCount: r.affectedRows ?? r.rows.length, rows: r.rows };
    },
    release: () => {},
  };
  return {
    async connect() {
      const release = await acquire();
      return { ...client, release } as unknown as DatabaseConnection & { release(): void };
    },
    async end() {},
  } as unknown as pg.Pool;
}
