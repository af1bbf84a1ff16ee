import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, formatPercent, formatVnd } from './format.js';

describe('formatVnd', () => {
  it('groups thousands with dots and puts the dong sign after a non-breaking space', () => {
    expect(formatVnd(12345678)).toBe('12.345.678\u00a0₫');
  });
  it('accepts bigint amounts beyond the safe integer range', () => {
    expect(formatVnd(12345678901234567890n)).toBe('12.345.678.901.234.567.890\u00a0₫');
  });
  it('shows zero and negative amounts', () => {
    expect(formatVnd(0)).toBe('0\u00a0₫');
    expect(formatVnd(-1500)).toBe('-1.500\u00a0₫');
  });
});

describe('formatNumber', () => {
  it('uses dot grouping and comma decimals in Vietnamese', () => {
    expect(formatNumber(1234567.5, 'vi')).toBe('1.234.567,5');
  });
  it('uses comma grouping and dot decimals in English', () => {
    expect(formatNumber(1234567.5, 'en')).toBe('1,234,567.5');
  });
});

describe('formatPercent', () => {
  it('shows a ratio as a percentage with a decimal comma in Vietnamese', () => {
    expect(formatPercent(0.8127, 'vi')).toBe('81,27%');
  });
  it('shows a ratio as a percentage with a decimal point in English', () => {
    expect(formatPercent(0.8127, 'en')).toBe('81.27%');
  });
});

describe('formatDate', () => {
  it('shows the calendar day in Vietnam, not UTC (18:30Z on 31 Jan is 1 Feb in Hanoi)', () => {
    expect(formatDate('2026-01-31T18:30:00Z', 'vi')).toBe('01/02/2026');
    expect(formatDate(new Date('2026-01-31T18:30:00Z'), 'en')).toBe('01/02/2026');
  });
  it('returns an empty string for an invalid date', () => {
    expect(formatDate('not a date')).toBe('');
  });
});

describe('formatDateTime', () => {
  it('shows day, month, year and 24-hour time in Vietnam (UTC+7)', () => {
    expect(formatDateTime('2026-01-31T18:30:00Z', 'vi')).toBe('01/02/2026 01:30');
    expect(formatDateTime('2026-06-15T10:05:00Z', 'en')).toBe('15/06/2026 17:05');
  });
});
