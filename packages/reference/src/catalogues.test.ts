import { describe, expect, it } from 'vitest';
import { FORCES, FORCE_CODES, getForce, isForceCode } from './forces.js';
import { GOODS_CATEGORIES, GOODS_CATEGORY_CODES } from './goods.js';
import { TRANSPORT_ROUTES, TRANSPORT_ROUTE_CODES } from './routes.js';
import { REPORT_GROUPS, REPORT_GROUP_CODES, VIOLATION_TYPES, VIOLATION_TYPE_CODES, reportGroupOf } from './violations.js';
import * as reference from './index.js';

const catalogues = { FORCES, GOODS_CATEGORIES, TRANSPORT_ROUTES, VIOLATION_TYPES, REPORT_GROUPS };

describe('catalogues', () => {
  it.each(Object.entries(catalogues))('%s has unique codes and a Vietnamese and an English name for each entry', (_name, items) => {
    const list = items as readonly { code: string; nameVi: string; nameEn: string }[];
    expect(new Set(list.map((i) => i.code)).size).toBe(list.length);
    for (const i of list) {
      expect(i.nameVi.trim(), i.code).not.toBe('');
      expect(i.nameEn.trim(), i.code).not.toBe('');
    }
  });

  it('lists every declared code exactly once, in declaration order', () => {
    expect(FORCES.map((f) => f.code)).toEqual([...FORCE_CODES]);
    expect(GOODS_CATEGORIES.map((g) => g.code)).toEqual([...GOODS_CATEGORY_CODES]);
    expect(TRANSPORT_ROUTES.map((r) => r.code)).toEqual([...TRANSPORT_ROUTE_CODES]);
    expect(VIOLATION_TYPES.map((v) => v.code)).toEqual([...VIOLATION_TYPE_CODES]);
    expect(REPORT_GROUPS.map((g) => g.code)).toEqual([...REPORT_GROUP_CODES]);
  });

  it('has the member forces of the 389 committee, with Customs and the Border Guard by their Vietnamese names', () => {
    for (const code of ['CUSTOMS', 'BORDER_GUARD', 'POLICE', 'MARKET_SURVEILLANCE', 'COAST_GUARD', 'TAX', 'OTHER']) {
      expect(isForceCode(code), code).toBe(true);
    }
    expect(getForce('CUSTOMS').nameVi).toBe('Hải quan');
    expect(getForce('BORDER_GUARD').nameVi).toBe('Bộ đội Biên phòng');
    expect(getForce('COAST_GUARD').ministryEn).toBe('Ministry of National Defence');
    expect(() => getForce('NAVY')).toThrow(/Unknown force code/);
  });

  it('puts every violation type in one of the three 389 report groups', () => {
    for (const v of VIOLATION_TYPES) expect(REPORT_GROUP_CODES).toContain(v.group);
    expect(reportGroupOf('SMUGGLING')).toBe('smuggling');
    expect(reportGroupOf('PROHIBITED_GOODS')).toBe('smuggling');
    expect(reportGroupOf('TAX_FRAUD')).toBe('trade_fraud');
    expect(reportGroupOf('INVOICE_FRAUD')).toBe('trade_fraud');
    expect(reportGroupOf('COUNTERFEIT')).toBe('counterfeit');
    expect(reportGroupOf('IP_INFRINGEMENT')).toBe('counterfeit');
    expect(() => reportGroupOf('JAYWALKING')).toThrow(/Unknown violation type/);
  });

  it('leaves no report group empty', () => {
    for (const g of REPORT_GROUP_CODES) expect(VIOLATION_TYPES.some((v) => v.group === g), g).toBe(true);
  });

  it('gives goods categories HS chapter hints of two digits', () => {
    for (const g of GOODS_CATEGORIES) for (const c of g.hsChapters) expect(c).toMatch(/^\d{2}$/);
    expect(GOODS_CATEGORIES.find((g) => g.code === 'CIGARETTES')?.hsChapters).toEqual(['24']);
  });

  it('freezes the data so no caller can change a fact for everyone', () => {
    expect(Object.isFrozen(FORCES)).toBe(true);
    expect(Object.isFrozen(FORCES[0])).toBe(true);
    expect(Object.isFrozen(reference.PROVINCES[0]!.mergedFrom)).toBe(true);
  });

  it('re-exports everything from the package entry point', () => {
    expect(reference.foldVietnamese('Đà Nẵng')).toBe('da nang');
    expect(reference.provinceFor2025('49')?.name).toBe('Đà Nẵng');
    expect(reference.REFERENCE_FILE_TYPES.length).toBeGreaterThan(10);
  });
});
