import { VN_TIME_ZONE } from '../../contracts.js';

/**
 * The period picker's choices and their dates. Pure: the page keeps the choice in the address bar
 * (`?p=firstN&y=2025&n=10`), so a report can be shared and reloaded, and derives `from`/`to` here.
 */
export const PERIOD_KINDS = ['firstN', 'month', 'quarter', 'half', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface PeriodChoice {
  kind: PeriodKind;
  year: number;
  /** month 1–12, quarter 1–4, half 1–2, or N months 1–12; unused for year and range */
  n: number;
  /** ISO dates, only for `range` */
  from: string;
  to: string;
}

export interface Period {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's year and month in Vietnam, whatever the browser's own zone. */
export function vietnamToday(now = new Date()): { year: number; month: number; date: string } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: VN_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const year = get('year');
  const month = get('month');
  return { year, month, date: iso(year, month, get('day')) };
}

/**
 * The default: the first N months of this year up to last month (the way committees report); in
 * January, when no month of the year has closed, the whole of last year.
 */
export function defaultChoice(now = new Date()): PeriodChoice {
  const { year, month } = vietnamToday(now);
  if (month === 1) return { kind: 'year', year: year - 1, n: 12, from: '', to: '' };
  return { kind: 'firstN', year, n: month - 1, from: '', to: '' };
}

const N_MAX: Record<PeriodKind, number> = { firstN: 12, month: 12, quarter: 4, half: 2, year: 12, range: 12 };

export function periodOf(c: PeriodChoice): Period {
  const y = c.year;
  switch (c.kind) {
    case 'firstN':
      return { from: iso(y, 1, 1), to: iso(y, c.n, lastDay(y, c.n)) };
    case 'month':
      return { from: iso(y, c.n, 1), to: iso(y, c.n, lastDay(y, c.n)) };
    case 'quarter': {
      const m = (c.n - 1) * 3 + 1;
      return { from: iso(y, m, 1), to: iso(y, m + 2, lastDay(y, m + 2)) };
    }
    case 'half': {
      const m = c.n === 1 ? 1 : 7;
      return { from: iso(y, m, 1), to: iso(y, m + 5, lastDay(y, m + 5)) };
    }
    case 'year':
      return { from: iso(y, 1, 1), to: iso(y, 12, 31) };
    case 'range':
      return { from: c.from, to: c.to };
  }
}

/** The choice in the address bar, falling back to the default for anything missing or malformed. */
export function choiceFrom(params: URLSearchParams, now = new Date()): PeriodChoice {
  const fallback = defaultChoice(now);
  const kind = params.get('p') as PeriodKind | null;
  if (!kind || !PERIOD_KINDS.includes(kind)) return fallback;
  const year = Number(params.get('y'));
  const n = Number(params.get('n'));
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (kind === 'range') {
    if (!ISO_DATE.test(from) || !ISO_DATE.test(to)) return fallback;
    return { kind, year: Number(from.slice(0, 4)), n: 1, from, to };
  }
  const okYear = Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : fallback.year;
  const okN = Number.isInteger(n) && n >= 1 && n <= N_MAX[kind] ? n : 1;
  return { kind, year: okYear, n: kind === 'year' ? 12 : okN, from: '', to: '' };
}

/** The address-bar form of a choice (only the fields that kind uses). */
export function choiceParams(c: PeriodChoice): Record<string, string> {
  if (c.kind === 'range') return { p: c.kind, from: c.from, to: c.to };
  if (c.kind === 'year') return { p: c.kind, y: String(c.year) };
  return { p: c.kind, y: String(c.year), n: String(c.n) };
}

/** How many values the second selector offers for a kind (months, quarters, halves, N). */
export function countFor(kind: PeriodKind): number {
  return N_MAX[kind];
}

/** "2025-03" → 3 */
export function monthNumber(month: string): number {
  return Number(month.slice(5, 7));
}
