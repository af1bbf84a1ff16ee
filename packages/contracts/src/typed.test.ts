import { describe, expect, it } from 'vitest';
import { compactPhone, readTypedNumber } from './typed.js';

describe('numbers as people type them', () => {
  it('reads Vietnamese and English grouping and decimals the same way in the form and the import', () => {
    expect(readTypedNumber('1.500')).toBe(1500);
    expect(readTypedNumber('1.234.567')).toBe(1_234_567);
    expect(readTypedNumber('1.234,5')).toBe(1234.5);
    expect(readTypedNumber('1,234,567.5')).toBe(1_234_567.5);
    expect(readTypedNumber('12,5')).toBe(12.5);
    expect(readTypedNumber('1.5')).toBe(1.5);
    expect(readTypedNumber(' 3 000 ')).toBe(3000);
    expect(readTypedNumber('25.000.000 VNĐ')).toBe(25_000_000);
    expect(readTypedNumber('-7')).toBe(-7);
  });
  it('reads with the typist\'s locale in a form: only that locale\'s grouping mark groups', () => {
    expect(readTypedNumber('2,125', 'vi')).toBe(2.125);
    expect(readTypedNumber('1.500', 'vi')).toBe(1500);
    expect(readTypedNumber('1.234,5', 'vi')).toBe(1234.5);
    expect(readTypedNumber('12.5', 'vi')).toBe(12.5);
    expect(readTypedNumber('1,234.5', 'vi')).toBeUndefined(); // an English grouping in a Vietnamese form: refused, not guessed
    expect(readTypedNumber('2.125', 'en')).toBe(2.125);
    expect(readTypedNumber('1,500', 'en')).toBe(1500);
    expect(readTypedNumber('2,5', 'en')).toBe(2.5);
    // A first group of 0 is never a grouping, in a file or a form.
    expect(readTypedNumber('0.250')).toBe(0.25);
    expect(readTypedNumber('0,250', 'vi')).toBe(0.25);
  });
  it('says empty and unreadable apart', () => {
    expect(readTypedNumber('  ')).toBeNull();
    expect(readTypedNumber('ba nghìn')).toBeUndefined();
    expect(readTypedNumber('1.2.3')).toBeUndefined();
    expect(readTypedNumber('1e5')).toBeUndefined();
  });
});

describe('phones as written', () => {
  it('keeps the digits and the leading plus', () => {
    expect(compactPhone('0912 345 678')).toBe('0912345678');
    expect(compactPhone('091.234.5678')).toBe('0912345678');
    expect(compactPhone('(+84) 912-345-678')).toBe('+84912345678');
  });
});
