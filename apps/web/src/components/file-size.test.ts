import { describe, expect, it } from 'vitest';
import { fileSizeText } from './file-size.js';

describe('file sizes beside a chosen file', () => {
  it('uses bytes, kilobytes or megabytes in the language\'s number format', () => {
    expect(fileSizeText(0, 'vi')).toBe('0 B');
    expect(fileSizeText(512, 'en')).toBe('512 B');
    expect(fileSizeText(84 * 1024 + 300, 'vi')).toBe('84 KB');
    expect(fileSizeText(1.25 * 1024 * 1024, 'vi')).toBe('1,3 MB');
    expect(fileSizeText(1.25 * 1024 * 1024, 'en')).toBe('1.3 MB');
    expect(fileSizeText(1536 * 1024 * 1024, 'vi')).toBe('1.536 MB');
  });
});
