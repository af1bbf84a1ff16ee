import { describe, expect, it } from 'vitest';
import { foldKey, foldVietnamese } from './text.js';

describe('foldVietnamese', () => {
  it('removes tone and vowel marks and lower-cases a personal name', () => {
    expect(foldVietnamese('Nguyễn Văn Hùng')).toBe('nguyen van hung');
  });

  it('turns Đ and đ into d, which decomposition alone leaves in place', () => {
    expect(foldVietnamese('ĐẮK LẮK')).toBe('dak lak');
    expect(foldVietnamese('Điện Biên Đông')).toBe('dien bien dong');
    expect(foldVietnamese('đường')).toBe('duong');
  });

  it('gives the same result for precomposed (NFC) and decomposed (NFD) input', () => {
    const nfc = 'Thừa Thiên Huế'.normalize('NFC');
    const nfd = 'Thừa Thiên Huế'.normalize('NFD');
    expect(nfc).not.toBe(nfd);
    expect(foldVietnamese(nfc)).toBe('thua thien hue');
    expect(foldVietnamese(nfd)).toBe('thua thien hue');
  });

  it('treats old and new tone placement alike (Hoà / Hòa)', () => {
    expect(foldVietnamese('Hoà Bình')).toBe(foldVietnamese('Hòa Bình'));
  });

  it('collapses runs of whitespace, tabs and newlines and trims the ends', () => {
    expect(foldVietnamese('  Trần \t Thị\n\nLan  ')).toBe('tran thi lan');
  });

  it('leaves ASCII text lower-cased and otherwise alone', () => {
    expect(foldVietnamese('Cat Lai Port 2024')).toBe('cat lai port 2024');
    expect(foldVietnamese('')).toBe('');
  });

  it('keeps punctuation, which foldKey turns into spaces', () => {
    expect(foldVietnamese('Bà Rịa - Vũng Tàu')).toBe('ba ria - vung tau');
    expect(foldKey('Bà Rịa - Vũng Tàu')).toBe('ba ria vung tau');
    expect(foldKey('TP.HCM')).toBe('tp hcm');
  });
});
