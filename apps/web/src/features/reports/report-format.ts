import { formatNumber, formatPercent, formatVnd, type Locale, type ReportFigureKey } from '../../contracts.js';
import type { Translate } from '../../i18n/i18n.js';

/** Figures that are VND amounts (integer dong); the rest are counts. */
export const MONEY_FIGURES: ReadonlySet<ReportFigureKey> = new Set(['finesVnd', 'confiscatedVnd', 'collectedVnd']);

/**
 * VND where space is short: "66,4 tỷ" / "VND 66.4 bn". One decimal from a billion down to a million,
 * the full amount below that (a few hundred thousand dong is read exactly).
 */
export function formatVndCompact(amount: number, t: Translate, locale: Locale): string {
  const abs = Math.abs(amount);
  const sign = amount < 0 ? '−' : '';
  if (abs >= 1e9) return sign + t('reports.vnd.billion', { n: formatNumber(abs / 1e9, locale, 1) });
  if (abs >= 1e6) return sign + t('reports.vnd.million', { n: formatNumber(abs / 1e6, locale, 1) });
  return sign + formatVnd(abs);
}

/** A figure's value as shown on a card or in a table. */
export function formatFigure(key: ReportFigureKey, value: number, t: Translate, locale: Locale, compact = false): string {
  if (MONEY_FIGURES.has(key)) return compact ? formatVndCompact(value, t, locale) : formatVnd(value);
  return formatNumber(value, locale, 0);
}

/** "+6", "−1,6 tỷ", "0": the change with its sign (a real minus sign, read correctly by screen readers). */
export function formatChange(key: ReportFigureKey, change: number, t: Translate, locale: Locale): string {
  const abs = Math.abs(change);
  const body = MONEY_FIGURES.has(key) ? formatVndCompact(abs, t, locale) : formatNumber(abs, locale, 0);
  return change > 0 ? `+${body}` : change < 0 ? `−${body}` : body;
}

/** "% of the same period": "100,77%", or "—" when the comparison period had none. */
export function formatRatio(ratio: number | null, locale: Locale): string {
  return ratio === null ? '—' : formatPercent(ratio, locale);
}

/** An amount withheld by the small-cell rule: "<3" (it includes 1 or 2 restricted cases the user may not open). */
export function hiddenMark(k: number | undefined): string {
  return `<${k ?? 3}`;
}
