import { describe, expect, it } from 'vitest';
import { typedVnd } from './risk-bits.js';

describe('typedVnd (the outcome form\'s revenue in dong)', () => {
  it('reads the Vietnamese grouping an officer types, not a decimal point', () => {
    // A number input read "25.000.000" as 25 and recorded 25 ₫.
    expect(typedVnd('25.000.000')).toBe(25_000_000);
    expect(typedVnd('25000000')).toBe(25_000_000);
    expect(typedVnd('25 000 000 ₫')).toBe(25_000_000);
    expect(typedVnd('25,000,000')).toBe(25_000_000);
  });
  it('is 0 when left empty', () => {
    expect(typedVnd('')).toBe(0);
    expect(typedVnd('  ')).toBe(0);
  });
  it('refuses what is not a whole amount instead of guessing', () => {
    expect(typedVnd('-5')).toBeNull();
    expect(typedVnd('25,5')).toBeNull();
    expect(typedVnd('12.50')).toBeNull();
    expect(typedVnd('25tr')).toBeNull();
    expect(typedVnd('99999999999999999999')).toBeNull();
  });
});
