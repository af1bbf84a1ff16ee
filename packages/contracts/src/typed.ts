// Numbers and identifiers as people type them, read one way by the web forms and the bulk import, so
// a quantity typed in the case form means what the same text means in an imported file.

/**
 * A number as people type it: 1234567, "1.234.567" (Vietnamese grouping), "1.234,5", "1,234,567.5",
 * "12,5"; a trailing "đ", "VNĐ" or "VND" is allowed. undefined when unreadable, null when empty.
 *
 * Without a locale (a file's cell: the import), groups of exactly three after a dot or a comma are a
 * grouping ("1.500" and "1,500" are fifteen hundred). With the typist's locale (a form) only that
 * locale's grouping mark groups: in Vietnamese "2,125" is two and an eighth and "1.500" fifteen
 * hundred; in English the other way round. A first group of 0 never groups ("0.250" is a quarter).
 * Not for coordinates, whose decimals may be three digits.
 */
export function readTypedNumber(typed: string, locale?: 'vi' | 'en'): number | undefined | null {
  let s = typed.replace(/\s+/g, '').replace(/(vnđ|vnd|đ|d)$/i, '');
  if (!s) return null;
  if (locale !== 'en' && /^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (locale !== 'vi' && /^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^-?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** A phone number as written ("0912 345 678", "091.234.5678", "(+84) 912-345-678") without its separators. */
export function compactPhone(typed: string): string {
  return typed.replace(/[\s.\-()]/g, '');
}
