import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './csv-reader.js';

const read = (text: string, delimiter = ',', chunkBytes?: number) => [...readCsvRecords(Buffer.from(text, 'utf8'), delimiter, chunkBytes)];

/** A small seeded generator (mulberry32): the same random files on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random file and what it holds: each record's cells and the line it ends on. */
function randomFile(seed: number, delimiter: string) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const eol = pick(['\n', '\r\n']);
  const pieces = ['a', 'Vụ', 'thuốc lá', 'Lạng Sơn', ' ', '0123', 'x', delimiter, '"', '\n', 'đ', '😀', 'ệ'];
  const records: { cells: string[]; line: number }[] = [];
  const out: string[] = [];
  let line = 1;
  const rows = 1 + Math.floor(r() * 60);
  for (let n = 0; n < rows; n++) {
    const width = 1 + Math.floor(r() * 8);
    const cells = Array.from({ length: width }, () => Array.from({ length: Math.floor(r() * 6) }, () => pick(pieces)).join(''));
    if (width === 1 && cells[0] === '') cells[0] = 'z';
    const written = cells.map((c) => (/["\n\r,;\t]/.test(c) || r() < 0.2 ? `"${c.replace(/"/g, '""')}"` : c));
    line += cells.reduce((k, c) => k + c.split('\n').length - 1, 0);
    records.push({ cells, line });
    out.push(written.join(delimiter));
    line++;
  }
  const text = (r() < 0.5 ? '\uFEFF' : '') + out.join(eol) + (r() < 0.7 ? eol : '');
  return { text, records };
}

describe('readCsvRecords', () => {
  it('reads quoted cells with delimiters, doubled quotes and line breaks, and counts lines as an editor does', () => {
    expect(read('\uFEFFa,b\r\n"x, ""y""\r\nz",2\r\n\r\nc,\r\n')).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['x, "y"\r\nz', '2'], line: 3 },
      { cells: ['c', ''], line: 5 },
    ]);
  });

  it('keeps stray quotes as typed, reads a last line without a line break and a lone CR as a line break', () => {
    expect(read('q"r,"u"v,w\rlast;x', ',')).toEqual([
      { cells: ['q"r', '"u"v', 'w'], line: 1 },
      { cells: ['last;x'], line: 2 },
    ]);
    expect(read('a;"b;c";d\n', ';')).toEqual([{ cells: ['a', 'b;c', 'd'], line: 1 }]);
  });

  it('refuses a quoted cell that is never closed, naming the line', () => {
    expect(() => read('a,b\n1,"open\n2,3\n')).toThrowError(/line 2: a quoted cell is never closed/);
  });

  it('reads random files as written, whatever the chunk size, and the same records as csv-parse', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const delimiter = [',', ';', '\t'][seed % 3]!;
      const { text, records } = randomFile(seed, delimiter);
      for (const chunk of [7, 64, 1 << 20]) expect(read(text, delimiter, chunk), `seed ${seed}, chunk ${chunk}`).toEqual(records);
      const theirs = parse(text, { bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
      expect(read(text, delimiter).map((x) => x.cells), `seed ${seed}`).toEqual(theirs);
    }
  });
});
