import type { Locale } from './common.js';

/**
 * Display formatting shared by the web app, the CLI and report exports. Pure functions over `Intl`
 * (Node 20 and browsers ship full ICU). Instants are always shown in Vietnam time, whatever the
 * machine's own zone, because the people reading them work in Vietnam.
 */
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const INTL_LOCALE: Record<Locale, string> = { vi: 'vi-VN', en: 'en-GB' };

const vndFormat = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 });

/** VND, integer dong: `12.345.678 ₫` (a non-breaking space before the symbol). Same in every locale. */
export function formatVnd(amount: number | bigint): string {
  return vndFormat.format(amount);
}

export function formatNumber(n: number | bigint, locale: Locale = 'vi', maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], { maximumFractionDigits }).format(n);
}

/** A ratio (0.8127) as a percentage with at most two decimals: `81,27%` (vi), `81.27%` (en). */
export function formatPercent(ratio: number, locale: Locale = 'vi', maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'percent', maximumFractionDigits }).format(ratio);
}

const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: VN_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function partsOf(value: string | Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> | undefined {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return undefined;
  const out = { year: '', month: '', day: '', hour: '', minute: '' };
  for (const p of dateTimeParts.formatToParts(date)) {
    if (p.type in out) out[p.type as keyof typeof out] = p.value;
  }
  return out;
}

/**
 * `dd/MM/yyyy` in Vietnam time, in both languages: the order Vietnamese documents use, and English
 * readers here expect the same (no US month-first). `_locale` is kept for a future per-locale order.
 * Returns '' for an invalid date rather than "Invalid Date".
 */
export function formatDate(value: string | Date, _locale: Locale = 'vi'): string {
  const p = partsOf(value);
  return p ? `${p.day}/${p.month}/${p.year}` : '';
}

/** `dd/MM/yyyy HH:mm` (24-hour) in Vietnam time. */
export function formatDateTime(value: string | Date, _locale: Locale = 'vi'): string {
  const p = partsOf(value);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : '';
}

/** An HS code as officers write it: 4-digit heading, then pairs (170199 → 1701.99, 24022090 → 2402.20.90). */
export function formatHsCode(code: string): string {
  if (!/^\d{6,10}$/.test(code)) return code;
  return [code.slice(0, 4), ...(code.slice(4).match(/\d{1,2}/g) ?? [])].join('.');
}
