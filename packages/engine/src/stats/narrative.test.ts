import { describe, expect, it } from 'vitest';
import { compare } from './periods.js';
import { moneyPhrase, situationNarrative, type NarrativeFigures } from './narrative.js';

// The figures of the committee's report for the first 10 months of 2020.
const figures: NarrativeFigures = {
  cases: compare(4365, 5371),
  smuggling: compare(1200, 1300),
  tradeFraud: compare(2500, 2900),
  counterfeit: compare(665, 1171),
  penalties: compare(3593, 4242),
  finesVnd: compare(66_400_000_000, 70_000_000_000),
  confiscatedVnd: compare(27_000_000_000, 20_000_000_000),
  collectedVnd: compare(60_000_000_000, 65_000_000_000),
  prosecutedCases: compare(328, 338),
  defendants: compare(482, 500),
};

describe('situation narrative', () => {
  it('writes the Vietnamese paragraph in the committee\'s style', () => {
    const text = situationNarrative(figures, { periodName: '10 tháng đầu năm 2020', comparePeriodName: 'cùng kỳ năm 2019', scopeName: null }, 'vi');
    expect(text).toContain('Trong 10 tháng đầu năm 2020, các lực lượng chức năng đã phát hiện, xử lý 4.365 vụ (bằng 81,27% so với cùng kỳ năm 2019)');
    expect(text).toContain('phạt tiền 66,4 tỷ đồng');
    expect(text).toContain('Khởi tố 328 vụ với 482 bị can (bằng 97,04% so với cùng kỳ năm 2019)');
  });

  it('names withheld amounts as withheld instead of quoting them, and still gives the counts', () => {
    const ctx = { periodName: 'tháng 8 năm 2025', comparePeriodName: 'cùng kỳ năm 2024', scopeName: null, withheld: ['finesVnd', 'defendants'] as const };
    const vi = situationNarrative(figures, ctx, 'vi');
    expect(vi).toContain('phạt tiền không công bố số cụ thể;');
    expect(vi).toContain('hàng tịch thu trị giá 27 tỷ đồng');
    expect(vi).toContain('Khởi tố 328 vụ (bằng 97,04% so với cùng kỳ năm 2024); số bị can không công bố số cụ thể.');
    expect(vi).not.toMatch(/66,4|482/);
    const en = situationNarrative(figures, { ...ctx, periodName: 'August 2025', comparePeriodName: 'the same period of 2024' }, 'en');
    expect(en).toContain('with fines (not given exactly), confiscated goods worth VND 27 billion');
    expect(en).not.toMatch(/66\.4|482/);
  });

  it('writes English, and says so when there is nothing to compare with', () => {
    const text = situationNarrative({ ...figures, cases: compare(12, 0) }, { periodName: 'Q3 2025', comparePeriodName: 'Q3 2024', scopeName: 'Lang Son' }, 'en');
    expect(text).toMatch(/^In Q3 2025 in Lang Son, the forces detected and handled 12 cases \(nothing to compare with in Q3 2024\)/);
  });

  it('names a force as who detected the cases, not as a place', () => {
    const vi = situationNarrative(figures, { periodName: '11 tháng đầu năm 2026', comparePeriodName: 'cùng kỳ năm 2025', scopeName: null, forceName: 'Hải quan' }, 'vi');
    expect(vi).toContain('Trong 11 tháng đầu năm 2026, Hải quan đã phát hiện, xử lý 4.365 vụ');
    expect(vi).not.toContain('địa bàn');
    const both = situationNarrative(figures, { periodName: 'quý III/2025', comparePeriodName: 'cùng kỳ năm 2024', scopeName: 'tỉnh Lạng Sơn', forceName: 'Hải quan' }, 'vi');
    expect(both).toContain('Trong quý III/2025 trên địa bàn tỉnh Lạng Sơn, Hải quan đã phát hiện');
    const en = situationNarrative(figures, { periodName: 'Q3 2025', comparePeriodName: 'Q3 2024', scopeName: null, forceName: 'Customs' }, 'en');
    expect(en).toContain('In Q3 2025, Customs detected and handled 4,365 cases');
  });

  it('says plainly when a period has no cases', () => {
    const zero = compare(0, 0);
    const empty = Object.fromEntries(Object.keys(figures).map((k) => [k, zero])) as unknown as NarrativeFigures;
    expect(situationNarrative(empty, { periodName: 'tháng 1/2021', comparePeriodName: 'cùng kỳ năm 2020', scopeName: null }, 'vi')).toBe('Trong tháng 1/2021, chưa ghi nhận vụ việc nào.');
  });

  it('rounds money the way reports do', () => {
    expect(moneyPhrase(27_049_000_000, 'vi')).toBe('27 tỷ đồng');
    expect(moneyPhrase(1_250_000_000_000, 'en')).toBe('VND 1.3 trillion');
    expect(moneyPhrase(850_000, 'vi')).toBe('850.000 đồng');
  });
});
