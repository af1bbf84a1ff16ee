// Amounts in dong as officers type them (25.000.000, 25000000, "25 000 000 ₫"): one reading for every
// form (cases, penalties, payments, custody auctions, risk outcomes). Never `type="number"` for dong: it
// reads the Vietnamese grouping dot as a decimal point (25.000.000 became 25).

/**
 * Whether a typed amount ends in a decimal part ("25,5", "12.50"): dong are whole, and stripping the
 * separator would read it as 255 or 1250. Groups of three ("25.000") are a grouping, not decimals.
 */
export function hasDecimalTail(typed: string): boolean {
  return /\d[.,]\d{1,2}\s*₫?$/.test(typed.trim());
}

/**
 * The amount typed: grouping dots, commas, spaces and ₫ stripped. undefined when nothing was typed; NaN
 * when it is not a whole number (a decimal part, letters). A minus sign is kept: the server names it.
 */
export function typedVnd(typed: string): number | undefined {
  const t = typed.trim();
  if (!t) return undefined;
  if (hasDecimalTail(t) || !/^-?[\d.,\s₫]+$/.test(t)) return NaN;
  const n = Number(t.replace(/[.,\s₫]/g, ''));
  return Number.isSafeInteger(n) ? n : NaN;
}

/**
 * An amount in dong as typed, regrouped the Vietnamese way when the field is left (360000000 →
 * 360.000.000). Only plain whole amounts are touched; anything else (a minus sign, letters) is left for
 * the server to name, exactly as typed.
 */
export function groupVnd(typed: string): string {
  if (hasDecimalTail(typed)) return typed;
  const digits = typed.replace(/[.,\s₫]/g, '').replace(/^0+(?=\d)/, '');
  if (!/^\d+$/.test(digits) || !/^[\d.,\s₫]+$/.test(typed)) return typed;
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
