// Numbers and identifiers as people type them, read one way by the web forms and the bulk import, so
// a quantity typed in the case form means what the same text means in an imported file.

/**
 * A number as people type it: 1234567, "1.234.567" (Vietnamese grouping), "1.234,5", "1,234,567.5",
 * "12,5"; a trailing "đ", "VNĐ" or "VND" is allowed. undefined when unreadable, null when empty.
 * Groups of exactly three after a dot are a grouping ("1.500" is fifteen hundred), so not for
 * coordinates, whose decimals may be three digits.
 */
export function readTypedNumber(typed: string): number | undefined | null {
  let s = typed.replace(/\s+/g, '').replace(/(vnđ|vnd|đ|d)$/i, '');
  if (!s) return null;
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^-?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** A phone number as written ("0912 345 678", "091.234.5678", "(+84) 912-345-678") without its separators. */
export function compactPhone(typed: string): string {
  return typed.replace(/[\s.\-()]/g, '');
}
