import { describe, expect, it } from 'vitest';
import type { CaseImportProblem } from '../../contracts.js';
import type { MessageKey, Translate } from '../../i18n/i18n.js';
import { en } from '../../i18n/en.js';
import { vi } from '../../i18n/vi.js';
import { problemsCsv } from './case-import-page.js';

const translator = (dict: Record<string, string>): Translate => (key: MessageKey, vars) => (dict[key] ?? key).replace(/\{(\w+)\}/g, (w, n: string) => String(vars?.[n] ?? w));

const problems: CaseImportProblem[] = [
  { line: 3, field: 'province', column: 'Tỉnh, thành phố', reason: 'invalid_value', message: '"77" is not a province code or name', value: '77' },
  { line: 4, field: 'value_vnd', column: 'Trị giá (VNĐ)', reason: 'too_small', message: 'Too small: expected number to be >=0', value: '-5.000', limit: 0 },
  { line: 5, field: 'detected_on', column: 'Ngày phát hiện', reason: 'invalid_format', message: 'not a date, "31/02/2024"', value: '31/02/2024' },
];

describe('the import problems file', () => {
  it('is in the page\'s language, line by line as the report lists them', () => {
    const lines = problemsCsv(translator(vi), problems).replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('Dòng,Cột,Trường,Lỗi,Giá trị trong tệp,Giải thích (tiếng Anh)');
    expect(lines[1]).toBe('3,"Tỉnh, thành phố",province,Giá trị không hợp lệ.,77,"""77"" is not a province code or name"');
    // A negative amount says so, not "below the minimum (length or count)".
    expect(lines[2]).toContain(',value_vnd,Không được là số âm.,-5.000,');
    expect(lines).toHaveLength(4);
    expect(problemsCsv(translator(en), problems).split('\r\n')[0]).toBe('\uFEFFLine,Column,Field,Problem,Value in the file,Explanation');
  });
});
