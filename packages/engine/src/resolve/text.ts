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

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** The fold in one pass over ASCII, Latin letters with marks and combining marks; undefined for anything else. */
function foldFast(s: string): string | undefined {
  let out = '';
  let space = false; // a space is owed before the next kept character
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let piece: string | undefined;
    if (c < 128) {
      if (isSpace(c)) {
        space = out.length > 0;
        continue;
      }
      piece = c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
    } else if (c >= 0x300 && c <= 0x36f) continue; // combining marks (text typed decomposed)
    else {
      piece = FOLD_TABLE.get(c);
      if (piece === undefined) return undefined;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += piece;
  }
  return out;
}

export function foldTokens(s: string): string[] {
  const f = foldText(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return f ? f.split(' ') : [];
}

export const digitsOf = (s: string): string => s.replace(/\D/g, '');
