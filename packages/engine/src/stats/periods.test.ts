import { describe, expect, it } from 'vitest';
import { compare, countedPeriods, dayCount, describeCountedPeriod, describePeriod, monthsOf, periodOf, previousPeriod, samePeriodLastYear } from './periods.js';

describe('report periods', () => {
  it('builds months, quarters, halves, first N months and years', () => {
    expect(periodOf({ kind: 'month', year: 2024, month: 2 })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodOf({ kind: 'quarter', year: 2025, quarter: 3 })).toEqual({ from: '2025-07-01', to: '2025-09-30' });
    expect(periodOf({ kind: 'half', year: 2025, half: 2 })).toEqual({ from: '2025-07-01', to: '2025-12-31' });
    expect(periodOf({ kind: 'first-months', year: 2020, months: 10 })).toEqual({ from: '2020-01-01', to: '2020-10-31' });
    expect(periodOf({ kind: 'year', year: 2025 })).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(() => periodOf({ kind: 'range', from: '2025-02-30', to: '2025-03-01' })).toThrow(/not a date/);
    expect(() => periodOf({ kind: 'range', from: '2025-03-02', to: '2025-03-01' })).toThrow(/ends before/);
  });

  it('compares with the same period of the previous year, across leap days', () => {
    expect(samePeriodLastYear({ from: '2020-01-01', to: '2020-10-31' })).toEqual({ from: '2019-01-01', to: '2019-10-31' });
    // February 2025 (28 days) against all of February 2024 (29 days), and back.
    expect(samePeriodLastYear({ from: '2025-02-01', to: '2025-02-28' })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(samePeriodLastYear({ from: '2024-02-01', to: '2024-02-29' })).toEqual({ from: '2023-02-01', to: '2023-02-28' });
    // A range ending on a leap day that is not a month end is impossible; one starting on it moves to the 28th.
    expect(samePeriodLastYear({ from: '2024-02-29', to: '2024-03-10' })).toEqual({ from: '2023-02-28', to: '2023-03-10' });
  });

  it('finds the previous period of the same shape', () => {
    expect(previousPeriod({ from: '2025-07-01', to: '2025-09-30' })).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    expect(previousPeriod({ from: '2025-01-01', to: '2025-01-31' })).toEqual({ from: '2024-12-01', to: '2024-12-31' });
    expect(previousPeriod({ from: '2025-03-10', to: '2025-03-19' })).toEqual({ from: '2025-02-28', to: '2025-03-09' });
    expect(dayCount({ from: '2024-02-01', to: '2024-02-29' })).toBe(29);
  });

  it('says "81.27% of the same period" and has no ratio when last year had nothing', () => {
    const c = compare(4365, 5371);
    expect(c.ratio!.toFixed(4)).toBe('0.8127');
    expect(c.change).toBe(-1006);
    expect(compare(12, 0)).toEqual({ value: 12, compareValue: 0, ratio: null, change: 12 });
  });

  it('names periods the way the committees write them', () => {
    expect(describePeriod({ from: '2020-01-01', to: '2020-10-31' }, 'vi')).toBe('10 tháng đầu năm 2020');
    expect(describePeriod({ from: '2025-07-01', to: '2025-09-30' }, 'vi')).toBe('quý III/2025');
    expect(describePeriod({ from: '2025-01-01', to: '2025-06-30' }, 'en')).toBe('the first half of 2025');
    expect(describePeriod({ from: '2025-03-05', to: '2025-03-20' }, 'vi')).toBe('từ ngày 05/03/2025 đến ngày 20/03/2025');
    expect(monthsOf({ from: '2024-11-15', to: '2025-02-01' })).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });

  it('compares a period not over yet only over the days already past, in both kinds of comparison', () => {
    const year = { from: '2026-01-01', to: '2026-12-31' };
    // On 1 December 2026 "năm 2026" is 335 days: last year is counted to 1 December as well, not to 31 December.
    expect(countedPeriods(year, 'same-period', '2026-12-01')).toEqual({ counted: { from: '2026-01-01', to: '2026-12-01' }, compare: { from: '2025-01-01', to: '2025-12-01' }, countedTo: '2026-12-01' });
    // The previous period of a month in progress: as many days from the start of the month before.
    expect(countedPeriods({ from: '2026-12-01', to: '2026-12-31' }, 'previous-period', '2026-12-10')).toEqual({ counted: { from: '2026-12-01', to: '2026-12-10' }, compare: { from: '2026-11-01', to: '2026-11-10' }, countedTo: '2026-12-10' });
    // A month of 31 days in progress against a shorter one: never past the end of that month.
    expect(countedPeriods({ from: '2026-03-01', to: '2026-03-31' }, 'previous-period', '2026-03-30').compare).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    // A year in progress against the year before, in a leap year: the same calendar day, not the same day count.
    expect(countedPeriods({ from: '2025-01-01', to: '2025-12-31' }, 'previous-period', '2025-08-31').compare).toEqual({ from: '2024-01-01', to: '2024-08-31' });
    // A year in progress on the last day of February: cut at 28 February a year back too, in both kinds (59 days each).
    expect(countedPeriods({ from: '2025-01-01', to: '2025-12-31' }, 'same-period', '2025-02-28').compare).toEqual({ from: '2024-01-01', to: '2024-02-28' });
    expect(countedPeriods({ from: '2025-01-01', to: '2025-12-31' }, 'previous-period', '2025-02-28').compare).toEqual({ from: '2024-01-01', to: '2024-02-28' });
    // A range that is not whole months: as many days.
    expect(countedPeriods({ from: '2026-03-10', to: '2026-03-19' }, 'previous-period', '2026-03-12').compare).toEqual({ from: '2026-02-28', to: '2026-03-02' });
    // Over (or on its last day), or not begun: the usual comparison.
    expect(countedPeriods(year, 'same-period', '2027-01-05')).toEqual({ counted: year, compare: { from: '2025-01-01', to: '2025-12-31' }, countedTo: null });
    expect(countedPeriods(year, 'same-period', '2026-12-31').countedTo).toBeNull();
    expect(countedPeriods(year, 'previous-period', '2025-06-01')).toEqual({ counted: year, compare: { from: '2025-01-01', to: '2025-12-31' }, countedTo: null });
    expect(describeCountedPeriod(year, '2026-12-01', 'vi')).toBe('năm 2026 (đến ngày 01/12/2026)');
    expect(describeCountedPeriod(year, '2026-12-01', 'en')).toBe('2026 (to 01/12/2026)');
    expect(describeCountedPeriod(year, null, 'vi')).toBe('năm 2026');
  });
});
