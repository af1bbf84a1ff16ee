import { describe, expect, it } from 'vitest';
import { candidateKeys, normalizePhone, normalizePlate, subjectKeys } from './identifiers.js';

describe('identifier normalisation', () => {
  it('brings phone numbers in +84 and 0 forms together', () => {
    expect(normalizePhone('+84 912 345 678')).toBe('0912345678');
    expect(normalizePhone('0912.345.678')).toBe('0912345678');
  });

  it('writes plates without separators', () => {
    expect(normalizePlate('29A-123.45')).toBe('29A12345');
    expect(normalizePlate('29a 12345')).toBe('29A12345');
  });

  it('keys each identifier by its kind', () => {
    expect(subjectKeys({ idNumber: '001089012345', plate: '12C-045.67', phone: '+84987654321' })).toEqual(['ID:001089012345', 'PLATE:12C04567', 'PHONE:0987654321']);
  });

  it('offers every kind a typed identifier could be', () => {
    expect(candidateKeys('0312345678')).toEqual(expect.arrayContaining(['TAX:0312345678', 'PHONE:0312345678', 'ID:0312345678']));
    expect(candidateKeys('12C-045.67')).toEqual(['PLATE:12C04567']);
  });
});
