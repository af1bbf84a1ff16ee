// The comparators and blocking were rewritten for speed (issue 7: a million records). Each fast path is
// checked here against the plain definition it replaces, on random inputs shaped like the real ones.
import { describe, expect, it } from 'vitest';
import { candidatePairs, DEFAULT_BLOCKING } from './blocking.js';
import { bigramCodes, dateSimilarity, diceCodes, diceSorted, jaroWinkler, levenshtein, qgramSimilarity, sameCharacters, sortedQgrams, withinOneEdit } from './compare.js';
import type { KindModel, PreparedRecord } from './model.js';
import { codeNames, editLevel, KIND_MODELS, prepareRecord } from './model.js';
import { mulberry32 } from '../prng.js';

const r = mulberry32(42);
const int = (n: number) => Math.floor(r() * n);
/** A string from `alphabet`, and a copy damaged by 0–3 random edits (so near misses are common). */
function randomPair(alphabet: string, length: number): [string, string] {
  const a = Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');
  let b = a;
  for (let e = int(4); e > 0; e--) {
    const i = int(b.length + 1);
    const c = alphabet[int(alphabet.length)]!;
    const kind = int(4);
    if (kind === 0) b = b.slice(0, i) + c + b.slice(i);
    else if (kind === 1) b = b.slice(0, i) + b.slice(i + 1);
    else if (kind === 2) b = b.slice(0, i) + c + b.slice(i + 1);
    else if (i + 1 < b.length) b = b.slice(0, i) + b[i + 1] + b[i] + b.slice(i + 2);
  }
  return [a, b];
}
const pairs = (alphabet: string, length: number, count = 3000) => Array.from({ length: count }, () => randomPair(alphabet, 1 + int(length)));

describe('comparators on their fast paths', () => {
  it('tells "at most one edit apart" exactly as the edit distance does', () => {
    for (const [a, b] of pairs('0123456789', 12)) expect(withinOneEdit(a, b), `${a} ${b}`).toBe(levenshtein(a, b) <= 1);
  });

  it('recognises anagrams as sorting the characters does', () => {
    for (const [a, b] of [...pairs('0123456789', 12), ...pairs('abcđ', 6), ['0912345678', '0912345687'] as [string, string]]) {
      expect(sameCharacters(a, b), `${a} ${b}`).toBe([...a].sort().join() === [...b].sort().join());
    }
  });

  it('rates identifiers and phones as before: exact, one typo or two digits swapped, different', () => {
    // the level as it was defined before the fast path
    const reference = (a: string, b: string) => {
      if (a === b) return 0;
      if (Math.abs(a.length - b.length) > 1) return 2;
      const d = levenshtein(a, b);
      if (d <= 1) return 1;
      return d === 2 && a.length === b.length && [...a].sort().join() === [...b].sort().join() ? 1 : 2;
    };
    for (const [a, b] of pairs('0123456789', 12)) expect(editLevel(a, b), `${a} ${b}`).toBe(reference(a, b));
    expect(editLevel('001089012345', '001089012354')).toBe(1); // last two digits swapped
  });

  it('scores dates as the definition says, without substrings', () => {
    const reference = (a: string, b: string) => {
      if (a === b) return 1;
      if (a.length !== 8 || b.length !== 8) return levenshtein(a, b) <= 1 ? 0.8 : 0;
      const [ya, ma, da] = [a.slice(0, 4), a.slice(4, 6), a.slice(6, 8)];
      const [yb, mb, db] = [b.slice(0, 4), b.slice(4, 6), b.slice(6, 8)];
      if (ya === yb && ma === db && da === mb) return 0.8;
      if (levenshtein(a, b) <= 1) return 0.8;
      return (ya === yb ? 1 : 0) + (ma === mb ? 1 : 0) + (da === db ? 1 : 0) >= 2 ? 0.6 : 0;
    };
    const dates = Array.from({ length: 3000 }, () => {
      const d = `${1950 + int(60)}${String(1 + int(12)).padStart(2, '0')}${String(1 + int(28)).padStart(2, '0')}`;
      const k = int(4);
      // the same, day and month swapped, one part changed, or a random other date / a damaged string
      const e = k === 0 ? d : k === 1 ? d.slice(0, 4) + d.slice(6, 8) + d.slice(4, 6) : k === 2 ? d.slice(0, 6) + String(1 + int(28)).padStart(2, '0') : randomPair('0123456789', 8)[1];
      return [d, e] as const;
    });
    for (const [a, b] of dates) expect(dateSimilarity(a, b), `${a} ${b}`).toBe(reference(a, b));
  });

  it('gives the same bigram overlap on coded bigrams as on bigram strings', () => {
    for (const [a, b] of pairs('abc dđ12', 30)) expect(diceCodes(bigramCodes(a), bigramCodes(b))).toBe(diceSorted(sortedQgrams(a), sortedQgrams(b)));
  });
});

describe('the person comparator', () => {
  /** Levels as first written: every similarity computed, strings everywhere (see model.ts for the rules). */
  function referenceLevels(a: PreparedRecord, b: PreparedRecord): number[] {
    const sim = (x?: string, y?: string) => (x && y ? jaroWinkler(x, y) : -1);
    const level = (s: number) => (s < 0 ? -1 : s >= 1 ? 0 : s >= 0.92 ? 1 : s >= 0.8 ? 2 : 3);
    let [f, g] = [sim(a.family, b.family), sim(a.given, b.given)];
    const [fx, gx] = [sim(a.family, b.given), sim(a.given, b.family)];
    if (fx >= 0 && gx >= 0 && fx + gx > Math.max(0, f) + Math.max(0, g) + 0.1) [f, g] = [fx, gx];
    else if (f < 0 && g < 0 && Math.max(fx, gx) >= 0.92) {
      if (fx >= 0) f = fx;
      else g = gx;
    }
    const date = a.dob && b.dob ? dateSimilarity(a.dob, b.dob) : -1;
    const edit = (x?: string, y?: string) => (x && y ? editLevel(x, y) : -1);
    const address = a.address && b.address ? qgramSimilarity([...a.address.split(' ')].sort().join(' '), [...b.address.split(' ')].sort().join(' ')) : -1;
    return [
      level(f),
      level(g),
      a.middle && b.middle ? (a.middle === b.middle ? 0 : jaroWinkler(a.middle, b.middle) >= 0.85 ? 1 : 2) : -1,
      date < 0 ? -1 : date >= 1 ? 0 : date >= 0.8 ? 1 : date >= 0.6 ? 2 : 3,
      edit(a.idNumber, b.idNumber),
      edit(a.phone, b.phone),
      address < 0 ? -1 : a.address === b.address ? 0 : address >= 0.75 ? 1 : address >= 0.55 ? 2 : 3,
    ];
  }

  it('gives the levels of the plain definition on random pairs of damaged records', () => {
    const words = ['nguyen', 'nguyn', 'tran', 'le', 'hung', 'hugn', 'van', 'thi', 'mai', 'an', 'binh'];
    const record = (k: number) =>
      prepareRecord('person', {
        id: String(k),
        source: 0,
        values: {
          ...(r() < 0.9 ? { fullName: Array.from({ length: 1 + int(3) }, () => words[int(words.length)]).join(' ') } : {}),
          ...(r() < 0.8 ? { dob: `${String(1 + int(13)).padStart(2, '0')}/${String(1 + int(12)).padStart(2, '0')}/${1980 + int(3)}` } : {}),
          ...(r() < 0.5 ? { idNumber: randomPair('0123', 12)[int(2)] } : {}),
          ...(r() < 0.5 ? { phone: `09${randomPair('01', 8)[int(2)]}` } : {}),
          ...(r() < 0.6 ? { address: `${1 + int(3)} Lê Lợi, ${r() < 0.5 ? 'P.' : 'Phường'} ${1 + int(2)}, Hà Nội` } : {}),
        },
      }, 'dd/MM/yyyy');
    const out = new Int8Array(7);
    for (let k = 0; k < 3000; k++) {
      const [a, b] = [record(k), record(k + 1)];
      KIND_MODELS.person.compare(a, b, out);
      expect(Array.from(out), JSON.stringify([a, b])).toEqual(referenceLevels(a, b));
    }
  });

  it('gives the same levels with names coded as integers (Jaro–Winkler remembered per code pair)', () => {
    const words = ['nguyen', 'nguyn', 'ngyuen', 'tran', 'le', 'hung', 'hugn', 'van', 'thi', 'mai', 'an', 'binh', 'mia', 'ahn'];
    const records = Array.from({ length: 400 }, (_, k) =>
      prepareRecord('person', { id: String(k), source: 0, values: r() < 0.95 ? { fullName: Array.from({ length: 1 + int(3) }, () => words[int(words.length)]).join(' ') } : { dob: '01/01/1980' } }, 'dd/MM/yyyy'),
    );
    const plain = records.map((x) => ({ ...x }));
    codeNames(records);
    const coded = new Int8Array(7);
    const out = new Int8Array(7);
    for (let k = 0; k < 4000; k++) {
      const [i, j] = [int(records.length), int(records.length)];
      KIND_MODELS.person.compare(records[i]!, records[j]!, coded);
      KIND_MODELS.person.compare(plain[i]!, plain[j]!, out);
      expect(Array.from(coded), JSON.stringify([plain[i], plain[j]])).toEqual(Array.from(out));
    }
  });
});

describe('blocking', () => {
  /** The rule as first written: every key as one `group\0sort` string, all sorted together. */
  function referencePairs(records: readonly PreparedRecord[], model: KindModel, maxBlockSize: number, window: number): string[] {
    const entries = records.flatMap((rec, i) => model.blockingKeys(rec).map((k) => ({ key: `${k.group}\u0000${k.sort}`, group: k.group, i })));
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
    const out = new Set<string>();
    for (let start = 0; start < entries.length; ) {
      let end = start + 1;
      while (end < entries.length && entries[end]!.group === entries[start]!.group) end++;
      const reach = end - start <= maxBlockSize ? Infinity : window;
      for (let a = start; a < end; a++) {
        for (let b = a + 1; b < Math.min(end, a + 1 + reach); b++) {
          const [i, j] = [entries[a]!.i, entries[b]!.i];
          if (i !== j) out.add(`${Math.min(i, j)} ${Math.max(i, j)}`);
        }
      }
      start = end;
    }
    return [...out].sort();
  }

  it('proposes exactly the pairs of the plain sort, with groups large enough to need the window', () => {
    // few names and birth years: the name and name+year groups grow past the block size
    const names = ['Nguyễn Văn An', 'Nguyen Van An', 'Trần Thị Bình', 'Lê Minh Châu', 'An Nguyễn', 'Phạm Đức Dũng'];
    const records = Array.from({ length: 300 }, (_, k) =>
      prepareRecord('person', {
        id: `r${k}`,
        source: 0,
        values: {
          fullName: names[int(names.length)]!,
          dob: `${String(1 + int(3)).padStart(2, '0')}/01/${1980 + int(3)}`,
          ...(r() < 0.5 ? { idNumber: `00108901${String(int(10_000)).padStart(4, '0')}` } : {}),
          ...(r() < 0.3 ? { phone: `0912${String(int(100)).padStart(6, '0')}` } : {}),
        },
      }, 'dd/MM/yyyy'),
    );
    const model = KIND_MODELS.person;
    const got = candidatePairs(records, model, DEFAULT_BLOCKING);
    const found = Array.from(got.left, (i, k) => `${i} ${got.right[k]}`).sort();
    expect(found).toEqual(referencePairs(records, model, DEFAULT_BLOCKING.maxBlockSize, DEFAULT_BLOCKING.window));
    expect(found.length).toBeGreaterThan(1000);
  });
});
