import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '@cordon/db/testing';
import { testEngines } from '@cordon/db/testing';
import type { Db } from '@cordon/db';
import { arrayLiteral, copyIn, copyText, copyValue } from './copy-in.js';

describe('COPY text encoding', () => {
  it('escapes what the text format reserves and writes NULL as \\N', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(undefined)).toBe('\\N');
    expect(copyValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyValue('\\N')).toBe('\\\\N');
    expect(copyValue(false)).toBe('f');
    expect(copyValue(new Date('2026-10-05T01:02:03.004Z'))).toBe('2026-10-05T01:02:03.004Z');
    expect(() => copyValue(Number.NaN)).toThrow(/not a finite number/);
    expect(arrayLiteral(['a,b', 'NULL', null])).toBe('{"a,b","NULL",NULL}');
  });
});

// Only PostgreSQL takes COPY FROM STDIN from a client (the import uses it there; PGlite keeps JSON).
describe.each(testEngines().filter((e) => e === 'postgres'))('COPY FROM STDIN on %s', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(engine);
  });
  afterAll(() => db.close());

  it('stores every value as written, inside the caller\'s transaction, and rolls back with it', async () => {
    const rows = [
      { t: 'tab\there, line\nbreak, cr\r, back\\slash, "quoted", {brace}, \\N', n: 12.5, a: ['a,b', 'x"y', 'back\\slash', 'NULL', '', '{br}', 'sp ace'], d: '2026-10-05', b: true },
      { t: '', n: null, a: [], d: null, b: false },
      { t: null, n: -3, a: ['Nguyễn Văn Hùng'], d: '1999-01-31', b: null },
    ];
    const cols = ['t', 'n', 'a', 'd', 'b'];
    const read = async () => db.query<{ t: string | null; n: string | null; a: string[]; d: string | null; b: boolean | null }>('SELECT t, n, a, d, b FROM copy_probe ORDER BY i');
    await db.exec('CREATE TABLE copy_probe (i serial, t text, n numeric, a text[], d date, b boolean)');
    try {
      const copied = await db.kysely.transaction().execute((trx) => copyIn(trx, 'COPY copy_probe (t, n, a, d, b) FROM STDIN', copyText(cols, rows)));
      expect(copied).toBe(3);
      expect(await read()).toEqual(rows.map((r) => ({ ...r, n: r.n === null ? null : String(r.n) })));

      await expect(db.kysely.transaction().execute(async (trx) => {
        await copyIn(trx, 'COPY copy_probe (t, n, a, d, b) FROM STDIN', copyText(cols, rows));
        throw new Error('abandoned');
      })).rejects.toThrow('abandoned');
      expect(await read()).toHaveLength(3);

      // A value the column refuses fails the COPY with PostgreSQL's message, and the transaction with it.
      await expect(db.kysely.transaction().execute((trx) => copyIn(trx, 'COPY copy_probe (t, n) FROM STDIN', copyText(['t', 'n'], [{ t: 'x', n: 'douze' }]))))
        .rejects.toThrow(/invalid input syntax for type numeric/);
      expect(await read()).toHaveLength(3);
      // The pooled connection is usable afterwards.
      expect(await db.kysely.transaction().execute((trx) => copyIn(trx, 'COPY copy_probe (t) FROM STDIN', copyText(['t'], [{ t: 'after' }])))).toBe(1);
    } finally {
      await db.exec('DROP TABLE copy_probe');
    }
  });
});
