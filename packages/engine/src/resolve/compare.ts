/**
 * String and value comparators, each returning a similarity in [0, 1] (1 = identical). Pure and
 * allocation-light: they run once per candidate pair, millions of times on a large file.
 */

let scratchA = new Uint8Array(64);
let scratchB = new Uint8Array(64);

/** Jaro–Winkler similarity (prefix scale 0.1, up to 4 prefix characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  const la = a.length;
  const lb = b.length;
  if (!la || !lb) return 0;
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  // scratch space reused across calls: this runs millions of times and allocation dominated it
  if (scratchA.length < la || scratchB.length < lb) {
    scratchA = new Uint8Array(Math.max(la, 2 * scratchA.length));
    scratchB = new Uint8Array(Math.max(lb, 2 * scratchB.length));
  }
  const matchedA = scratchA.fill(0, 0, la);
  const matchedB = scratchB.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    const c = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (!matchedB[j] && b.charCodeAt(j) === c) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (!matches) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < la; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Levenshtein edit distance (insert, delete, substitute each cost 1). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(2 * (b.length + 1));
    rowB = new Int32Array(2 * (b.length + 1));
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** 1 − distance / longer length. */
export function levenshteinSimilarity(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  return n ? 1 - levenshtein(a, b) / n : 0;
}

/** The q-grams of a string padded with q−1 spaces each side, so short strings still have some. */
export function qgrams(s: string, q = 2): string[] {
  const p = ' '.repeat(q - 1) + s + ' '.repeat(q - 1);
  const out: string[] = [];
  for (let i = 0; i + q <= p.length; i++) out.push(p.slice(i, i + q));
  return out;
}

/** Dice coefficient of two q-gram multisets given as sorted arrays (see `sortedQgrams`). */
export function diceSorted(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

export const sortedQgrams = (s: string, q = 2): string[] => qgrams(s, q).sort();

/** Dice coefficient of the bigrams of two strings. */
export function qgramSimilarity(a: string, b: string, q = 2): number {
  if (a === b) return a.length ? 1 : 0;
  return diceSorted(sortedQgrams(a, q), sortedQgrams(b, q));
}

/**
 * At most one edit apart (one substitution, insertion or deletion): `levenshtein(a, b) <= 1` without the
 * table. Dates, CCCDs and phones are compared on every candidate pair; the full distance was a fifth of
 * the compare stage.
 */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let diff = 0;
    for (let i = 0; i < la; i++) if (a.charCodeAt(i) !== b.charCodeAt(i) && ++diff > 1) return false;
    return true;
  }
  if (la - lb === 1 || lb - la === 1) {
    const [s, l] = la < lb ? [a, b] : [b, a];
    let i = 0;
    while (i < s.length && s.charCodeAt(i) === l.charCodeAt(i)) i++;
    // one character of the longer string skipped; the rest must agree
    for (; i < s.length; i++) if (s.charCodeAt(i) !== l.charCodeAt(i + 1)) return false;
    return true;
  }
  return false;
}

let charCounts = new Int32Array(128);

/** Same characters, each as often, in any order (an anagram). */
export function sameCharacters(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  // the sums of the codes and of their squares differ for almost all strings that are not anagrams:
  // two CCCDs of strangers are told apart here without touching the table
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    sum += x - y;
    squares += x * x - y * y;
  }
  if (sum !== 0 || squares !== 0) return false;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, a.charCodeAt(i), b.charCodeAt(i));
  if (max >= charCounts.length) charCounts = new Int32Array(max + 1);
  // counts up for a, down for b; all back at zero means the same characters (the table is left clean)
  for (let i = 0; i < a.length; i++) charCounts[a.charCodeAt(i)]!++;
  for (let i = 0; i < b.length; i++) charCounts[b.charCodeAt(i)]!--;
  let same = true;
  for (let i = 0; i < a.length; i++) {
    if (charCounts[a.charCodeAt(i)] !== 0) same = false;
    charCounts[a.charCodeAt(i)] = 0;
  }
  return same;
}

/**
 * Bigrams of a string (padded as `qgrams` does), each coded as one number (two UTF-16 units) and
 * sorted: `diceCodes` on these equals `diceSorted` on `sortedQgrams`, without millions of two-letter
 * strings in memory or string comparisons in the loop.
 */
export function bigramCodes(s: string): Int32Array {
  const p = ` ${s} `;
  const out = new Int32Array(p.length - 1);
  for (let i = 0; i + 1 < p.length; i++) out[i] = (p.charCodeAt(i) << 16) | p.charCodeAt(i + 1);
  return out.sort();
}

/** Dice coefficient of two sorted code arrays (see `bigramCodes`). */
export function diceCodes(a: Int32Array, b: Int32Array): number {
  const la = a.length;
  const lb = b.length;
  if (!la || !lb) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < la && j < lb) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (2 * common) / (la + lb);
}

/** Characters `from`..`to` of two strings agree. */
const same = (a: string, b: string, from: number, to: number) => {
  for (let i = from; i < to; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
};

/**
 * Dates as 8-digit `yyyymmdd` strings. 1 identical; 0.8 one typo or day and month swapped; 0.6 two of
 * year, month, day agree; 0 otherwise. Character by character: no substrings, no edit table.
 */
export function dateSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length !== 8 || b.length !== 8) return withinOneEdit(a, b) ? 0.8 : 0;
  const year = same(a, b, 0, 4);
  // day and month swapped (yyyy mm dd against yyyy dd mm)
  if (year && a.charCodeAt(4) === b.charCodeAt(6) && a.charCodeAt(5) === b.charCodeAt(7) && a.charCodeAt(6) === b.charCodeAt(4) && a.charCodeAt(7) === b.charCodeAt(5)) return 0.8;
  if (withinOneEdit(a, b)) return 0.8;
  const agree = (year ? 1 : 0) + (same(a, b, 4, 6) ? 1 : 0) + (same(a, b, 6, 8) ? 1 : 0);
  return agree >= 2 ? 0.6 : 0;
}

/** Numbers: 1 when equal, falling linearly to 0 at `scale` apart. */
export function numericSimilarity(a: number, b: number, scale: number): number {
  return Math.max(0, 1 - Math.abs(a - b) / scale);
}

/**
 * Similarities of pairs of small integers (word codes), remembered: an open-addressing table over typed
 * arrays, one probe per lookup in the usual case. Keyed by the two codes, not the two strings: a memo
 * keyed by strings (two map lookups) cost as much as the Jaro–Winkler it saved. Grows to `maxBits`
 * (2^22 pairs, 64 MB) and then stops remembering new pairs rather than growing further.
 */
export class PairMemo {
  private keys: Float64Array;
  private values: Float64Array;
  private mask: number;
  private size = 0;
  constructor(
    bits = 16,
    private readonly maxBits = 22,
  ) {
    this.keys = new Float64Array(1 << bits);
    this.values = new Float64Array(1 << bits);
    this.mask = (1 << bits) - 1;
  }
  /** The remembered value for codes (x, y) in this order, or NaN. Codes are below 2^26. */
  get(x: number, y: number): number {
    const key = x * 67108864 + y + 1;
    const { keys, mask } = this;
    for (let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca6b)) & mask; ; h = (h + 1) & mask) {
      const k = keys[h]!;
      if (k === key) return this.values[h]!;
      if (k === 0) return NaN;
    }
  }
  set(x: number, y: number, value: number): void {
    if (this.size * 2 >= this.keys.length) {
      if (this.keys.length >= 1 << this.maxBits) return;
      this.grow();
    }
    const key = x * 67108864 + y + 1;
    const { keys, mask } = this;
    let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca6b)) & mask;
    while (keys[h] !== 0 && keys[h] !== key) h = (h + 1) & mask;
    if (keys[h] === 0) this.size++;
    keys[h] = key;
    this.values[h] = value;
  }
  private grow() {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Float64Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    this.size = 0;
    for (let h = 0; h < keys.length; h++) {
      const k = keys[h]!;
      if (k === 0) continue;
      const x = Math.floor((k - 1) / 67108864);
      this.set(x, k - 1 - x * 67108864, values[h]!);
    }
  }
}

/**
 * Name words coded as integers, with their Jaro–Winkler similarities remembered per code pair: the same
 * few thousand family and given names meet millions of times in a large file.
 */
export class WordSimilarities {
  readonly words: string[] = [];
  private readonly codes = new Map<string, number>();
  private readonly memo = new PairMemo();
  /** The word's code (new words get the next one). */
  code(word: string): number {
    let c = this.codes.get(word);
    if (c === undefined) {
      c = this.words.length;
      this.codes.set(word, c);
      this.words.push(word);
    }
    return c;
  }
  /**
   * `jaroWinkler(words[x], words[y])`. Kept per ordered pair: the greedy matching is not symmetric in
   * every corner case, and the answer must be the one the strings give.
   */
  similarity(x: number, y: number): number {
    if (x === y) return this.words[x]!.length ? 1 : 0;
    let s = this.memo.get(x, y);
    if (s !== s) {
      s = jaroWinkler(this.words[x]!, this.words[y]!);
      this.memo.set(x, y, s);
    }
    return s;
  }
}
