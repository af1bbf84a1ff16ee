import { describe, expect, it } from 'vitest';
import { formatHsCode, groupVnd, hasDecimalTail } from './reference.js';

describe('formatHsCode', () => {
  it('writes a stored HS code with dots after the heading, as officers type it', () => {
    expect(formatHsCode('170199')).toBe('1701.99');
    expect(formatHsCode('24022090')).toBe('2402.20.90');
    expect(formatHsCode('2402209010')).toBe('2402.20.90.10');
  });
  it('leaves a heading alone and anything that is not all digits as it was', () => {
    expect(formatHsCode('2402')).toBe('2402');
    expect(formatHsCode('2402.20')).toBe('2402.20');
    expect(formatHsCode('')).toBe('');
  });
});

describe('groupVnd', () => {
  it('groups a whole amount in dong with dots, whatever grouping was typed', () => {
    expect(groupVnd('360000000')).toBe('360.000.000');
    expect(groupVnd('90,000,000')).toBe('90.000.000');
    expect(groupVnd(' 75 000 000 ₫')).toBe('75.000.000');
    expect(groupVnd('999')).toBe('999');
    expect(groupVnd('0')).toBe('0');
  });
  it('leaves what is not a plain amount as typed, for the server to name', () => {
    expect(groupVnd('-5')).toBe('-5');
    expect(groupVnd('12abc')).toBe('12abc');
    expect(groupVnd('')).toBe('');
  });
  it('leaves a decimal part as typed rather than reading 25,5 as 255', () => {
    expect(groupVnd('25,5')).toBe('25,5');
    expect(groupVnd('12.50')).toBe('12.50');
    expect(groupVnd('25.000')).toBe('25.000');
    expect(hasDecimalTail('25,5')).toBe(true);
    expect(hasDecimalTail('1.000.00 ₫')).toBe(true);
    expect(hasDecimalTail('25.000.000')).toBe(false);
    expect(hasDecimalTail('255')).toBe(false);
  });
});
