import { from as copyFrom } from 'pg-copy-streams';
import { sql, type Database, type Kysely } from '@cordon/db';

type Tx = Kysely<Database>;

/**
 * One value in COPY's text format: `\N` for NULL, backslash escapes for the four characters the format
 * reserves, arrays as PostgreSQL array literals (every element quoted), dates as ISO timestamps.
 */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeCopy(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`COPY: ${v} is not a finite number`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return escapeCopy(arrayLiteral(v));
  throw new Error(`COPY: cannot encode a ${typeof v}`);
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
export function escapeCopy(s: string): string {
  return COPY_SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;
}

/** `{"a","b"}`: every element quoted (so commas, braces, spaces and the word NULL stay text), NULL bare. */
export function arrayLiteral(items: readonly unknown[]): string {
  return `{${items.map((x) => (x === null || x === undefined ? 'NULL' : `"${String(x).replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}

/** Rows (objects keyed by column name) → COPY text, one line per row, columns in `columns` order. */
export function copyText(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines: string[] = new Array(rows.length);
  const cells: string[] = new Array(columns.length);
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j]!;
    for (let i = 0; i < columns.length; i++) {
      const v = r[columns[i]!];
      cells[i] = typeof v === 'string' ? escapeCopy(v) : copyValue(v);
    }
    lines[j] = cells.join('\t');
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * `COPY … FROM STDIN` on the connection of a Kysely transaction (PostgreSQL only). Kysely hands the
 * compiled query's `sql` to node-postgres' `client.query` untouched, and node-postgres runs any object
 * with a `submit` method as a query (that is how pg-copy-streams works with a plain client): the stream
 * travels as the query text, and a `then` on it lets Kysely's `await` wait until the server has
 * committed the rows to the statement (or failed it). Returns the number of rows copied.
 */
export async function copyIn(trx: Tx, statement: string, data: string): Promise<number> {
  const stream = copyFrom(statement);
  const done = new Promise<number>((resolve, reject) => {
    stream.on('finish', () => resolve(stream.rowCount));
    stream.on('error', reject);
  });
  done.catch(() => {}); // awaited below, through Kysely; this only keeps an early failure from going unhandled
  Object.assign(stream, {
    then: (ok: (v: unknown) => unknown, fail: (e: unknown) => unknown) => done.then(() => ({ command: 'COPY', rowCount: stream.rowCount, rows: [] })).then(ok, fail),
  });
  // The data waits in the stream (corked) until the server answers CopyInResponse.
  stream.end(Buffer.from(data, 'utf8'));
  const compiled = sql.raw(statement).compile(trx);
  await trx.executeQuery({ ...compiled, sql: stream as unknown as string });
  return done;
}
