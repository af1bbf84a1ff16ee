import { describe, expect, it } from 'vitest';
import { dayMonthYear, parseDayMonthYear, vietnamMoment, withTypedSlashes } from './dates.js';
import { fold, groupByRoot, unitMatches } from './unit-tree.js';
import type { OrgUnitView } from '../contracts.js';

describe('dates typed as dd/mm/yyyy', () => {
  it('reads day first, whatever the separator, and digits only from a number pad', () => {
    expect(parseDayMonthYear('05/03/2026')).toBe('2026-03-05');
    expect(parseDayMonthYear('5/3/2026')).toBe('2026-03-05');
    expect(parseDayMonthYear('05-03-2026')).toBe('2026-03-05');
    expect(parseDayMonthYear('05.03.2026')).toBe('2026-03-05');
    expect(parseDayMonthYear(' 05032026 ')).toBe('2026-03-05');
  });

  it('accepts a pasted ISO date', () => {
    expect(parseDayMonthYear('2026-03-05')).toBe('2026-03-05');
  });

  it('refuses days that do not exist, months past 12, two-digit years and half-typed dates', () => {
    expect(parseDayMonthYear('31/02/2026')).toBeNull();
    expect(parseDayMonthYear('29/02/2025')).toBeNull();
    expect(parseDayMonthYear('29/02/2024')).toBe('2024-02-29');
    expect(parseDayMonthYear('03/13/2026')).toBeNull(); // mm/dd/yyyy is not guessed at
    expect(parseDayMonthYear('05/03/26')).toBeNull();
    expect(parseDayMonthYear('05/03/')).toBeNull();
    expect(parseDayMonthYear('')).toBeNull();
  });

  it('shows yyyy-MM-dd as dd/mm/yyyy and leaves other text as it is', () => {
    expect(dayMonthYear('2026-11-30')).toBe('30/11/2026');
    expect(dayMonthYear('30/11')).toBe('30/11');
    expect(dayMonthYear('')).toBe('');
  });

  it('adds the slashes while digits are typed, but not while deleting', () => {
    expect(withTypedSlashes('3', '30')).toBe('30/');
    expect(withTypedSlashes('30/1', '30/11')).toBe('30/11/');
    expect(withTypedSlashes('30/', '30')).toBe('30');
    expect(withTypedSlashes('30/11/202', '30/11/2026')).toBe('30/11/2026');
  });
});

describe('unit search and grouping', () => {
  let n = 0;
  const unit = (code: string, nameVi: string, kind: OrgUnitView['kind'], parentId: string | null = null): OrgUnitView => ({
    id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, code, kind, parentId, forceCode: null, provinceCode: null,
    nameVi, nameEn: nameVi, active: true, version: 1, createdAt: '2026-01-01T00:00:00Z',
  });
  const customs = unit('CUSTOMS', 'Hải quan', 'force');
  const hp = unit('CUSTOMS-HP', 'Chi cục Hải quan khu vực Hải Phòng', 'unit', customs.id);
  const office = unit('BCD389', 'Văn phòng Thường trực', 'national_office');
  const province = unit('BCD389-31', 'Ban Chỉ đạo 389 thành phố Hải Phòng', 'provincial_committee');
  const border = unit('BORDER_GUARD', 'Bộ đội Biên phòng', 'force');

  it('folds Vietnamese diacritics and đ', () => {
    expect(fold('Hải Phòng')).toBe('hai phong');
    expect(fold('Đắk Lắk')).toBe('dak lak');
  });

  it('finds a unit by words typed without diacritics, in its name, code or its force', () => {
    expect(unitMatches('hai phong', hp, customs)).toBe(true);
    expect(unitMatches('hai quan hp', hp, customs)).toBe(true);
    expect(unitMatches('customs-hp', hp, customs)).toBe(true);
    expect(unitMatches('bien phong hai phong', hp, customs)).toBe(false);
  });

  it('groups by tree root: the standing office, then forces, then provinces, each root before its units', () => {
    const groups = groupByRoot([province, hp, border, customs, office]);
    expect(groups.map((g) => g.root.code)).toEqual(['BCD389', 'BORDER_GUARD', 'CUSTOMS', 'BCD389-31']);
    expect(groups[2]!.rows.map((r) => [r.unit.code, r.depth])).toEqual([['CUSTOMS', 0], ['CUSTOMS-HP', 1]]);
  });
});

describe('a moment typed as a day and a time in Vietnam', () => {
  it('reads the time in UTC+7 whatever the browser zone, in the forms people type', () => {
    expect(vietnamMoment('2026-03-05', '10:30')).toEqual({ iso: '2026-03-05T03:30:00.000Z' });
    expect(vietnamMoment('2026-03-05', '10h30')).toEqual({ iso: '2026-03-05T03:30:00.000Z' });
    expect(vietnamMoment('2026-03-05', '1030')).toEqual({ iso: '2026-03-05T03:30:00.000Z' });
    expect(vietnamMoment('2026-03-05', '6')).toEqual({ iso: '2026-03-04T23:00:00.000Z' });
  });

  it('takes today in Vietnam for a time alone', () => {
    expect(vietnamMoment('', '08:00', '2026-11-30')).toEqual({ iso: '2026-11-30T01:00:00.000Z' });
  });

  it('names what is wrong: a missing time, a time that does not exist, a half-typed day', () => {
    expect(vietnamMoment('2026-03-05', '')).toEqual({ reason: 'required' });
    expect(vietnamMoment('2026-03-05', '24:00')).toEqual({ reason: 'invalid_format' });
    expect(vietnamMoment('2026-03-05', '10:75')).toEqual({ reason: 'invalid_format' });
    expect(vietnamMoment('05/03', '10:00')).toEqual({ reason: 'invalid_format' });
  });
});
