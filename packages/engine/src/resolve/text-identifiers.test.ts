import { describe, expect, it } from 'vitest';
import { isValidImo } from './identifiers.js';
import { identifierKeysInText } from './text-identifiers.js';

describe('identifiers named in free text', () => {
  it.each([
    ['Gọi cho anh Hùng số 0912 345 678 để lấy hàng', ['PHONE:0912345678']],
    ['SĐT: +84 912.345.678', ['PHONE:0912345678']],
    ['liên hệ 84912345678', ['PHONE:0912345678']],
    ['điện thoại bàn 024 3826 1234', ['PHONE:02438261234']],
    ['Xe tải biển số 29A-123.45 chở thuốc lá', ['PLATE:29A12345']],
    ['xe 51f 12345 và xe 29LD-12345, xe cũ 30E-1234', ['PLATE:29LD12345', 'PLATE:30E1234', 'PLATE:51F12345']],
    ['chủ hàng CCCD 001089012345', ['ID:001089012345']],
    ['CMND cũ 271234567', ['ID:271234567']],
    ['Công ty có MST 0101234567, chi nhánh 0101234567-001', ['TAX:0101234567', 'TAX:0101234567001']],
    // a 10-digit number with a mobile prefix is a phone, unless the text says it is a tax code
    ['mã số thuế: 0312345678', ['TAX:0312345678']],
    ['tàu cá IMO 9074729 cập cảng', ['IMO:9074729']],
  ])('reads %s', (text, keys) => {
    expect(identifierKeysInText(text)).toEqual(keys);
  });

  it('checks the IMO check digit', () => {
    expect(isValidImo('9074729')).toBe(true);
    expect(isValidImo('9074728')).toBe(false);
    expect(identifierKeysInText('tàu IMO 9074728')).toEqual([]);
  });

  it('ignores dates, sums of money and short numbers', () => {
    expect(identifierKeysInText('Ngày 12.03.2026 lúc 21:30, khoảng 1.200.000.000 đồng, 300 thùng, kho số 12')).toEqual([]);
  });

  it('reads several identifiers of one text once each', () => {
    expect(identifierKeysInText('Hùng (0912345678, 0912 345 678) lái xe 29A-123.45; CCCD 001089012345')).toEqual(['ID:001089012345', 'PHONE:0912345678', 'PLATE:29A12345']);
  });
});
