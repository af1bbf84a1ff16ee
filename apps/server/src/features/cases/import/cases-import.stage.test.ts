import { describe, expect, it } from 'vitest';
import { caseSearchText } from '../cases.rules.js';
import { caseCode } from '../cases.bulk.js';
import { searchTextWithCode } from './cases-import.stage.js';

/** Random text from pieces that fold in unusual ways: marks, sigma, dotted I, đ, CJK, every kind of space. */
const PIECES = ['a', 'Ă', 'ễ', 'Đ', 'đ', 'Ð', '\u0301', '\u0323', 'Σ', 'ς', 'ΑΣ', 'İ', 'ß', 'ﬁ', '中', '😀', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '-', '.', "'", '"', '\\', '0', '9', 'X', 'Ǆ'];
function randomText(rand: () => number, max = 12): string {
  let s = '';
  for (let n = Math.floor(rand() * max); n > 0; n--) s += PIECES[Math.floor(rand() * PIECES.length)];
  return s;
}
function seeded(seed: number) {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('search text of an imported case', () => {
  it('is caseSearchText with the code, built from the text folded without it (the code is known only when the batch is written)', () => {
    const rand = seeded(389);
    for (let i = 0; i < 3000; i++) {
      const code = caseCode(`20${10 + Math.floor(rand() * 20)}-01-01`, Math.floor(rand() * 2_000_000) + 1);
      const c = { title: randomText(rand), summary: rand() < 0.3 ? '' : randomText(rand, 30), place: rand() < 0.5 ? null : randomText(rand), borderGate: randomText(rand, 4), sourceRef: randomText(rand, 5) };
      const goods = rand() < 0.3 ? [] : [{ category: 'CIGARETTES', description: randomText(rand), brand: randomText(rand, 3), hsCode: null }];
      const subjects = rand() < 0.3 ? [] : [{ kind: 'person' as const, role: 'other' as const, name: randomText(rand), idNumber: randomText(rand, 3), address: randomText(rand, 6) }];
      const words = caseSearchText({ code: '', ...c }, goods, subjects);
      expect(searchTextWithCode(code, words)).toBe(caseSearchText({ code, ...c }, goods, subjects));
    }
  });

  it('is the code alone when nothing else folds to a letter', () => {
    const code = caseCode('2026-10-05', 42);
    for (const title of ['\u0301', ' \u0323 ', '\t\n']) {
      expect(searchTextWithCode(code, caseSearchText({ code: '', title }, [], []))).toBe(caseSearchText({ code, title }, [], []));
    }
    expect(searchTextWithCode(code, '')).toBe('vv-2026-000042');
  });
});
