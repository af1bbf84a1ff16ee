import { foldText } from '@cordon/engine';

/**
 * The one folding used for search without diacritics, everywhere in Cordon (stored `search_text`
 * columns, query strings, name matching): lower-case, decomposed so every tone and vowel mark can be
 * dropped, `đ`/`Đ` → `d` (it is a separate letter, not a d with a mark, so NFD leaves it alone),
 * whitespace collapsed to single spaces and trimmed.
 *
 *   foldVietnamese('  Nguyễn  Văn Hùng ') === 'nguyen van hung'
 *   foldVietnamese('ĐẮK LẮK') === 'dak lak'
 */
// One folding rule for the whole product. It lives in the engine (entity resolution needs it, and the
// engine imports nothing internal); search columns, filters and matching must fold alike.
export const foldVietnamese: (s: string) => string = foldText;

/**
 * Folding for matching names as keys: `foldVietnamese`, then every run of punctuation becomes one space,
 * so "Bà Rịa - Vũng Tàu", "Ba Ria–Vung Tau" and "ba ria vung tau" compare equal.
 */
export function foldKey(s: string): string {
  return foldVietnamese(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
