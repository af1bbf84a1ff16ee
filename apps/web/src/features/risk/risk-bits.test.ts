import { describe, expect, it } from 'vitest';
import { typedRevenue } from './risk-bits.js';

describe('typedRevenue (the outcome form\'s revenue in dong)', () => {
  it('reads the Vietnamese grouping an officer types, not a decimal point', () => {
    // A number input read "25.000.000" as 25 and recorded 25 ₫.
    expect(typedRevenue('25.000.000')).toBe(25_000_000);
    expect(typedRevenue('25000000')).toBe(25_000_000);
    expect(typedRevenue('25 000 000 ₫')).toBe(25_000_000);
    expect(typedRevenue('25,000,000')).toBe(25_000_000);
  });
  it('is 0 when left empty', () => {
    expect(typedRevenue('')).toBe(0);
    expect(typedRevenue('  ')).toBe(0);
  });
  it('refuses what is not a whole amount instead of guessing', () => {
    expect(typedRevenue('-5')).toBeNull();
    expect(typedRevenue('25,5')).toBeNull();
    expect(typedRevenue('12.50')).toBeNull();
    expect(typedRevenue('25tr')).toBeNull();
    expect(typedRevenue('99999999999999999999')).toBeNull();
  });
});
