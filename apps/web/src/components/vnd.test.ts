import { describe, expect, it } from 'vitest';
import { typedVnd } from './vnd.js';

describe('typedVnd (every form that takes an amount in dong)', () => {
  it('reads the Vietnamese grouping, plain digits, spaces and ₫ as whole dong', () => {
    expect(typedVnd('25.000.000')).toBe(25_000_000);
    expect(typedVnd(' 25 000 000 ₫ ')).toBe(25_000_000);
    expect(typedVnd('25,000,000')).toBe(25_000_000);
  });
  it('says nothing was typed, and names a decimal, letters or an exponent as not a whole amount', () => {
    expect(typedVnd('  ')).toBeUndefined();
    for (const bad of ['25,5', '12.50', '25tr', '1e5', '99999999999999999999']) expect(typedVnd(bad), bad).toBeNaN();
  });
  it('keeps a minus sign for the server to name', () => {
    expect(typedVnd('-5')).toBe(-5);
  });
});
