/**
 * Text folding for matching. The engine imports nothing internal, so it keeps its own copy of the rule
 * `@cordon/reference`'s `foldVietnamese` documents (same behaviour, tested on the same cases): lower-case,
 * NFD so every tone and vowel mark can be dropped, `đ`/`Đ` → `d` (a letter of its own that NFD leaves
 * alone), whitespace collapsed. `foldTokens` also turns punctuation into spaces and splits.
 *
 *   foldText('  Nguyễn  Văn Hùng ') === 'nguyen van hung'
 *   foldTokens('Bà Rịa - Vũng Tàu') → ['ba', 'ria', 'vung', 'tau']
 */
export function foldText(s: string): string {
  return foldFast(s) ?? foldSlow(s);
}

/** The rule itself, as written above; `foldFast` gives the same answer quicker and falls back here. */
export function foldSlow(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐÐ]/g, 'd') // Ð (U+00D0) stands in for Đ in some legacy files
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Folded form of each Latin letter U+00C0–U+024F and U+1E00–U+1EFF (Vietnamese lives there), computed
 * once with `foldSlow`; whitespace and anything the slow rule maps to more than letters are left out.
 * Folding every stored search text and every imported name went through normalize() and three regular
 * expressions: a third of an import's JavaScript time. A test checks both paths agree on random text.
 */
const FOLD_TABLE: Map<number, string> = (() => {
  const m = new Map<number, string>();
  const add = (from: number, to: number) => {
    for (let c = from; c <= to; c++) {
      const f = foldSlow(String.fromCharCode(c));
      if (f.length > 0 && /^[a-z0-9]+$/.test(f)) m.set(c, f);
    }
  };
  add(0xc0, 0x24f);
  add(0x1e00, 0x1eff);
  return m;
})();

/**
 * The same table as char codes, indexed by code point - 0xc0 (0 = not foldable), for `foldFast`: a piece
 * is one code (`FOLD_ONE`) or, for the few letters that fold to two (ǆ → dz), an index into `FOLD_MORE`.
 */
const FOLD_FROM = 0xc0;
const FOLD_ONE = new Uint16Array(0x1eff - FOLD_FROM + 1);
const FOLD_MORE: string[] = [];
for (const [c, f] of FOLD_TABLE) {
  if (f.length === 1) FOLD_ONE[c - FOLD_FROM] = f.charCodeAt(0);
  else FOLD_ONE[c - FOLD_FROM] = 0x8000 | FOLD_MORE.push(f) - 1;
}
const MAX_PIECE = Math.max(1, ...[...FOLD_TABLE.values()].map((f) => f.length));

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

// The folded text is built as char codes in one reused buffer and made a string once: appending piece by
// piece (`out += piece`) left a rope of one small string per character, which a bulk import kept alive
// until its batch was written (half of its JavaScript time was then garbage collection).
let buf = new Uint16Array(1024);

/** The fold in one pass over ASCII, Latin letters with marks and combining marks; undefined for anything else. */
function foldFast(s: string): string | undefined {
  const need = s.length * (MAX_PIECE + 1) + 1;
  if (buf.length < need) buf = new Uint16Array(need);
  const b = buf;
  let n = 0;
  let space = false; // a space is owed before the next kept character
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let one: number;
    if (c < 128) {
      if (isSpace(c)) {
        space = n > 0;
        continue;
      }
      one = c >= 65 && c <= 90 ? c + 32 : c;
    } else if (c >= 0x300 && c <= 0x36f) continue; // combining marks (text typed decomposed)
    else {
      one = c >= FOLD_FROM && c - FOLD_FROM < FOLD_ONE.length ? FOLD_ONE[c - FOLD_FROM]! : 0;
      if (one === 0) return undefined;
    }
    if (space) {
      b[n++] = 32;
      space = false;
    }
    if (one & 0x8000) {
      const more = FOLD_MORE[one & 0x7fff]!;
      for (let k = 0; k < more.length; k++) b[n++] = more.charCodeAt(k);
    } else b[n++] = one;
  }
  return codesToString(b, n);
}

/** A string of the first n codes of b, in chunks (a call's arguments are limited). */
function codesToString(b: Uint16Array, n: number): string {
  if (n <= 4096) return String.fromCharCode.apply(null, b.subarray(0, n) as unknown as number[]);
  let out = '';
  for (let i = 0; i < n; i += 4096) out += String.fromCharCode.apply(null, b.subarray(i, Math.min(n, i + 4096)) as unknown as number[]);
  return out;
}

export function foldTokens(s: string): string[] {
  const f = foldText(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return f ? f.split(' ') : [];
}

export const digitsOf = (s: string): string => s.replace(/\D/g, '');
