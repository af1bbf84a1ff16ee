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
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐÐ]/g, 'd') // Ð (U+00D0) stands in for Đ in some legacy files
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function foldTokens(s: string): string[] {
  const f = foldText(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return f ? f.split(' ') : [];
}

export const digitsOf = (s: string): string => s.replace(/\D/g, '');
