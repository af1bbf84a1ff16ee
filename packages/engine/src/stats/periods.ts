/**
 * Period arithmetic for situation reports. Dates are calendar dates ('yyyy-MM-dd', inclusive on both
 * ends): reports count events by the day they happened in Vietnam, so no time zones enter here.
 */
export interface Period {
  from: string;
  to: string;
}

export type PeriodSpec =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'quarter'; year: number; quarter: 1 | 2 | 3 | 4 }
  | { kind: 'half'; year: number; half: 1 | 2 }
  | { kind: 'first-months'; year: number; months: number }
  | { kind: 'year'; year: number }
  | { kind: 'range'; from: string; to: string };

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function parse(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new Error(`not a date: ${date}`);
  return [y, mo, d];
}

export function periodOf(spec: PeriodSpec): Period {
  switch (spec.kind) {
    case 'month':
      return { from: isoDate(spec.year, spec.month, 1), to: isoDate(spec.year, spec.month, daysInMonth(spec.year, spec.month)) };
    case 'quarter': {
      const first = (spec.quarter - 1) * 3 + 1;
      return { from: isoDate(spec.year, first, 1), to: isoDate(spec.year, first + 2, daysInMonth(spec.year, first + 2)) };
    }
    case 'half': {
      const first = spec.half === 1 ? 1 : 7;
      return { from: isoDate(spec.year, first, 1), to: isoDate(spec.year, first + 5, daysInMonth(spec.year, first + 5)) };
    }
    case 'first-months':
      if (spec.months < 1 || spec.months > 12) throw new Error('months must be 1–12');
      return { from: isoDate(spec.year, 1, 1), to: isoDate(spec.year, spec.months, daysInMonth(spec.year, spec.months)) };
    case 'year':
      return { from: isoDate(spec.year, 1, 1), to: isoDate(spec.year, 12, 31) };
    case 'range':
      parse(spec.from);
      parse(spec.to);
      if (spec.to < spec.from) throw new Error('the period ends before it starts');
      return { from: spec.from, to: spec.to };
  }
}

/** The same dates one year earlier; 29 February becomes 28 February. */
export function shiftYears(date: string, years: number): string {
  const [y, m, d] = parse(date);
  const ty = y + years;
  return isoDate(ty, m, Math.min(d, daysInMonth(ty, m)));
}

/**
 * "Cùng kỳ": the same period of the previous year. A period that ends on the last day of a month
 * ends on the last day of that month a year earlier (so "Feb 2025" compares with all of Feb 2024,
 * 29 days, and "Feb 2024" with Feb 2023).
 */
export function samePeriodLastYear(p: Period): Period {
  const [ty, tm, td] = parse(p.to);
  const endsMonth = td === daysInMonth(ty, tm);
  return { from: shiftYears(p.from, -1), to: endsMonth ? isoDate(ty - 1, tm, daysInMonth(ty - 1, tm)) : shiftYears(p.to, -1) };
}

export function dayCount(p: Period): number {
  return Math.round((Date.parse(p.to + 'T00:00:00Z') - Date.parse(p.from + 'T00:00:00Z')) / 86_400_000) + 1;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The period just before, of the same shape: the previous month for a whole month, the previous
 * quarter for a quarter, else the same number of days ending the day before.
 */
export function previousPeriod(p: Period): Period {
  const [fy, fm, fd] = parse(p.from);
  const [ty, tm, td] = parse(p.to);
  if (fd === 1 && td === daysInMonth(ty, tm)) {
    const months = (ty - fy) * 12 + (tm - fm) + 1;
    const startIndex = fy * 12 + (fm - 1) - months;
    const endIndex = startIndex + months - 1;
    const sy = Math.floor(startIndex / 12), sm = (startIndex % 12) + 1;
    const ey = Math.floor(endIndex / 12), em = (endIndex % 12) + 1;
    return { from: isoDate(sy, sm, 1), to: isoDate(ey, em, daysInMonth(ey, em)) };
  }
  const n = dayCount(p);
  return { from: addDays(p.from, -n), to: addDays(p.from, -1) };
}

/**
 * What a report counts for a period that has not ended yet (today falls inside it, before its last
 * day): the days up to today, and a comparison period cut to the same days — "năm 2026" on 1 December
 * 2026 compares 1/1–1/12/2026 with 1/1–1/12/2025, not with the whole of 2025 (which made every figure
 * look like a fall). The same period last year is cut at the same date a year earlier; the previous
 * period at the same day as many months back (whole months), else at as many days from its start. `countedTo` is null when the period is over (or not begun):
 * then both periods are the usual ones.
 */
export function countedPeriods(p: Period, compareWith: 'same-period' | 'previous-period', today: string): { counted: Period; compare: Period; countedTo: string | null } {
  parse(today);
  const unfinished = p.from <= today && today < p.to;
  const counted = unfinished ? { from: p.from, to: today } : p;
  // Cut at the same date a year back (28 Feb 2025 → 28 Feb 2024), not at a month's end: a cut period is
  // not a whole month even when today is the last day of one.
  if (compareWith === 'same-period') return { counted, compare: unfinished ? { from: shiftYears(p.from, -1), to: shiftYears(today, -1) } : samePeriodLastYear(p), countedTo: unfinished ? today : null };
  const prev = previousPeriod(p);
  if (!unfinished) return { counted, compare: prev, countedTo: null };
  // Whole months move back by whole months (to the same day of the month, or that month's last day);
  // any other range by as many days.
  const [fy, fm, fd] = parse(p.from);
  const [py, pm, pd] = parse(prev.from);
  const [ty, tm, td] = parse(today);
  const back = fy * 12 + fm - (py * 12 + pm);
  const monthIndex = ty * 12 + (tm - 1) - back;
  const [ey, em] = [Math.floor(monthIndex / 12), (monthIndex % 12) + 1];
  const end = fd === 1 && pd === 1 ? isoDate(ey, em, Math.min(td, daysInMonth(ey, em))) : addDays(prev.from, dayCount(counted) - 1);
  return { counted, compare: { from: prev.from, to: end < prev.to ? end : prev.to }, countedTo: today };
}

/** A period's name with the last day counted, for a period not over yet: "năm 2026 (đến ngày 01/12/2026)". */
export function describeCountedPeriod(p: Period, countedTo: string | null, locale: 'vi' | 'en'): string {
  const name = describePeriod(p, locale);
  if (!countedTo) return name;
  const d = countedTo.split('-').reverse().join('/');
  return locale === 'vi' ? `${name} (đến ngày ${d})` : `${name} (to ${d})`;
}

/** The months a period touches, as 'yyyy-MM', for monthly trends. */
export function monthsOf(p: Period): string[] {
  const [fy, fm] = parse(p.from);
  const [ty, tm] = parse(p.to);
  const out: string[] = [];
  for (let i = fy * 12 + fm - 1; i <= ty * 12 + tm - 1; i++) out.push(`${Math.floor(i / 12)}-${pad((i % 12) + 1)}`);
  return out;
}

export interface Comparison {
  value: number;
  compareValue: number;
  /** value / compareValue, e.g. 0.8127 for "81.27% of the same period"; null when there is nothing to compare with. */
  ratio: number | null;
  /** value − compareValue */
  change: number;
}

export function compare(value: number, compareValue: number): Comparison {
  return { value, compareValue, ratio: compareValue === 0 ? null : value / compareValue, change: value - compareValue };
}

/** Describes a period the way the committees write it: "10 tháng đầu năm 2020", "quý III/2025". */
export function describePeriod(p: Period, locale: 'vi' | 'en'): string {
  const [fy, fm, fd] = parse(p.from);
  const [ty, tm, td] = parse(p.to);
  const wholeMonths = fd === 1 && td === daysInMonth(ty, tm);
  const roman = ['I', 'II', 'III', 'IV'];
  const monthsEn = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  if (wholeMonths && fy === ty) {
    const n = tm - fm + 1;
    if (fm === 1 && tm === 12) return locale === 'vi' ? `năm ${fy}` : `${fy}`;
    if (n === 1) return locale === 'vi' ? `tháng ${fm}/${fy}` : `${monthsEn[fm - 1]} ${fy}`;
    if (n === 3 && (fm - 1) % 3 === 0) return locale === 'vi' ? `quý ${roman[(fm - 1) / 3]}/${fy}` : `Q${(fm - 1) / 3 + 1} ${fy}`;
    if (n === 6 && (fm === 1 || fm === 7)) return locale === 'vi' ? `6 tháng ${fm === 1 ? 'đầu' : 'cuối'} năm ${fy}` : `the ${fm === 1 ? 'first' : 'second'} half of ${fy}`;
    if (fm === 1) return locale === 'vi' ? `${n} tháng đầu năm ${fy}` : `the first ${n} months of ${fy}`;
  }
  const d = (x: string) => x.split('-').reverse().join('/');
  return locale === 'vi' ? `từ ngày ${d(p.from)} đến ngày ${d(p.to)}` : `${d(p.from)} to ${d(p.to)}`;
}
