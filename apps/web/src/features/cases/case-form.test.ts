import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../contracts.js';
import { bodyOf, draftOf, emptyDraft } from './case-form.js';

function draftWith(goods: { quantity: string; valueVnd: string }, phone: string, latitude = '') {
  const d = emptyDraft('unit-1');
  d.latitude = latitude;
  d.goods = [{ key: 1, category: 'CIGARETTES', hsCode: '', description: 'Thuốc lá', unit: 'bao', brand: '', ...goods }];
  d.subjects = [{ key: 2, kind: 'person', role: 'owner', name: 'Nguyễn Văn Hùng', idNumber: '', taxCode: '', plate: '', imo: '', phone, dateOfBirth: '', address: '', nationality: '' }];
  return d;
}

describe('the case form reads what an officer types', () => {
  it('reads a quantity with Vietnamese grouping as the import does (1.500 bao is fifteen hundred)', () => {
    const body = bodyOf(draftWith({ quantity: '1.500', valueVnd: '360.000.000' }, ''));
    expect(body.goods[0]).toMatchObject({ quantity: 1500, valueVnd: 360_000_000 });
    expect(bodyOf(draftWith({ quantity: '2,5', valueVnd: '' }, '')).goods[0]!.quantity).toBe(2.5);
    expect(bodyOf(draftWith({ quantity: '1.234,5', valueVnd: '' }, '')).goods[0]!.quantity).toBe(1234.5);
  });
  it('keeps a coordinate\'s three decimals as decimals', () => {
    expect(bodyOf(draftWith({ quantity: '', valueVnd: '' }, '', '21.028')).latitude).toBe(21.028);
    expect(bodyOf(draftWith({ quantity: '', valueVnd: '' }, '', '21,028')).latitude).toBe(21.028);
  });
  it('takes a phone written with spaces or dots', () => {
    expect(bodyOf(draftWith({ quantity: '', valueVnd: '' }, '0912 345 678')).subjects[0]!.phone).toBe('0912345678');
    expect(bodyOf(draftWith({ quantity: '', valueVnd: '' }, '091.234.5678')).subjects[0]!.phone).toBe('0912345678');
  });
  it('names the field of a quantity it cannot read', () => {
    expect(() => bodyOf(draftWith({ quantity: 'ba nghìn', valueVnd: '' }, ''))).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ field: 'goods.0.quantity' })] }));
  });
  it('saves a case opened for editing and left unchanged with the same quantities, in either language', () => {
    const stored = { goods: [{ lineNo: 1, category: 'SUGAR', hsCode: null, description: 'Đường cát', quantity: 2.125, unit: 'tấn', valueVnd: 36_000_000, brand: null }, { lineNo: 2, category: 'CIGARETTES', hsCode: '24022090', description: 'Thuốc lá', quantity: 1500, unit: 'bao', valueVnd: null, brand: null }, { lineNo: 3, category: 'OTHER', hsCode: null, description: 'Khác', quantity: 0.25, unit: 'kg', valueVnd: null, brand: null }], subjects: [], coordinatingUnits: [], namedUsers: [], leadUnit: { id: 'u' }, sourceUnit: { id: 'u' } } as unknown as CaseDetail;
    for (const locale of ['vi', 'en'] as const) {
      expect(bodyOf(draftOf(stored, locale), locale).goods.map((g) => g.quantity)).toEqual([2.125, 1500, 0.25]);
    }
    // What an officer types in a Vietnamese form means the Vietnamese thing.
    expect(bodyOf(draftWith({ quantity: '2,125', valueVnd: '' }, ''), 'vi').goods[0]!.quantity).toBe(2.125);
  });
});
