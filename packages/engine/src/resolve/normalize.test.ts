import { describe, expect, it } from 'vitest';
import {
  addressTokens,
  normalizeCompanyName,
  normalizeIdNumber,
  normalizePersonName,
  normalizeTaxCodeValue,
  parseDate,
  phoneSignificant,
  soundex,
} from './normalize.js';
import { foldSlow, foldText, foldTokens } from './text.js';
import { normalizePlate } from './identifiers.js';

describe('folding', () => {
  it.each([
    ['  Nguyễn  Văn Hùng ', 'nguyen van hung'],
    ['ĐẮK LẮK', 'dak lak'],
    ['Ðặng Thị Ánh', 'dang thi anh'], // U+00D0 from legacy files
    ['NGUYỄN VĂN HÙNG', 'nguyen van hung'],
    ['Nguyễn Văn Hùng', 'nguyen van hung'], // decomposed input (NFD)
  ])('folds %j to %j', (raw, folded) => {
    expect(foldText(raw)).toBe(folded);
  });

  it('gives the same answer on its fast path as the rule written out, on random text', () => {
    const pool = [...'aAzZ09 .,-/\t\n\u00a0\u2003ĐđÐăâêôơưĂÂÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵÇçÑñÆæßØø×İıſǅ', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323', '\u1ab0', 'Σ', 'ς', '中', '😀'];
    let seed = 389;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const len = Math.floor(next() * 20);
      const text = Array.from({ length: len }, () => pool[Math.floor(next() * pool.length)]).join('');
      expect(foldText(text), JSON.stringify(text)).toBe(foldSlow(text));
    }
    for (let c = 0; c < 0x2000; c++) expect(foldText(` X${String.fromCharCode(c)}y `)).toBe(foldSlow(` X${String.fromCharCode(c)}y `));
    // Long texts (a case summary of thousands of letters) are built in chunks: the same answer, and
    // after them a short one is not polluted by the longer one's leftovers.
    const vietnamese = [...'Đđăâêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵǅ  \t'];
    for (const len of [4095, 4096, 4097, 12_345]) {
      const text = Array.from({ length: len }, () => vietnamese[Math.floor(next() * vietnamese.length)]).join('');
      expect(foldText(text)).toBe(foldSlow(text));
    }
    expect(foldText('Hùng')).toBe('hung');
  });

  it('splits on punctuation', () => {
    expect(foldTokens('Bà Rịa - Vũng Tàu')).toEqual(['ba', 'ria', 'vung', 'tau']);
  });
});

describe('person names', () => {
  it.each([
    [{ fullName: 'Nguyễn Văn Hùng' }, { family: 'nguyen', middle: 'van', given: 'hung', full: 'nguyen van hung' }],
    [{ fullName: 'NGUYEN VAN HUNG' }, { family: 'nguyen', middle: 'van', given: 'hung', full: 'nguyen van hung' }],
    [{ fullName: 'Hùng Nguyễn' }, { family: 'nguyen', given: 'hung', full: 'nguyen hung' }],
    [{ fullName: 'Hùng Văn Nguyễn' }, { family: 'nguyen', middle: 'van', given: 'hung', full: 'nguyen van hung' }],
    [{ fullName: 'Trần  Thị   Thu Hà' }, { family: 'tran', middle: 'thi thu', given: 'ha', full: 'tran thi thu ha' }],
    [{ fullName: 'Ông Lê Văn Tám' }, { family: 'le', middle: 'van', given: 'tam', full: 'le van tam' }],
    [{ fullName: 'Mr John Smith' }, { family: 'john', given: 'smith', full: 'john smith' }],
    [{ fullName: 'Hùng' }, { given: 'hung', full: 'hung' }],
    [{ givenName: 'Văn Hùng', familyName: 'Nguyễn' }, { family: 'nguyen', middle: 'van', given: 'hung', full: 'nguyen van hung' }],
    [{ givenName: 'lachlan', familyName: 'berry' }, { family: 'berry', given: 'lachlan', full: 'berry lachlan' }],
    [{ givenName: '', familyName: 'waller' }, { family: 'waller', full: 'waller' }],
  ])('reads %j', (input, expected) => {
    expect(normalizePersonName(input)).toEqual(expected);
  });

  it('has nothing to say about an empty name', () => {
    expect(normalizePersonName({ fullName: '  ' })).toBeUndefined();
  });

  it.each([
    ['nguyen', 'N250'],
    ['nguyn', 'N250'],
    ['huynh', soundex('hoang')], // regional variants share a key
    ['robert', 'R163'],
    ['rupert', 'R163'],
  ])('codes %s as %s', (w, code) => {
    expect(soundex(w)).toBe(code);
  });
});

describe('company names', () => {
  it.each([
    ['CÔNG TY TNHH MTV Thương mại Hoàng Long', { name: 'thuong mai hoang long', legalForm: 'TNHH MTV' }],
    ['Công ty trách nhiệm hữu hạn một thành viên Hoàng Long', { name: 'hoang long', legalForm: 'TNHH MTV' }],
    ['Cty CP Xuất nhập khẩu Lạng Sơn', { name: 'xuat nhap khau lang son', legalForm: 'CP' }],
    ['Công ty Cổ phần Đầu tư ABC', { name: 'dau tu abc', legalForm: 'CP' }],
    ['CTCP Vận tải Biển Đông', { name: 'van tai bien dong', legalForm: 'CP' }],
    ['Hoang Long Trading Co., Ltd', { name: 'hoang long trading', legalForm: 'LTD' }],
    ['Vinamilk JSC', { name: 'vinamilk', legalForm: 'JSC' }],
    ['Doanh nghiệp tư nhân Minh Phát', { name: 'minh phat', legalForm: 'DNTN' }],
    ['Hợp tác xã Nông nghiệp Tân Phú', { name: 'nong nghiep tan phu', legalForm: 'HTX' }],
    ['Hoàng Long', { name: 'hoang long' }],
  ])('reads %j', (raw, expected) => {
    expect(normalizeCompanyName(raw)).toEqual(expected);
  });
});

describe('identifiers', () => {
  it.each([
    ['0101234567', { code: '0101234567', enterprise: '0101234567', valid: true }],
    ['0101234567-001', { code: '0101234567001', enterprise: '0101234567', valid: true }],
    ['MST: 0101 234 567', { code: '0101234567', enterprise: '0101234567', valid: true }],
    ['12345', { code: '12345', enterprise: '12345', valid: false }],
  ])('reads tax code %j', (raw, expected) => {
    expect(normalizeTaxCodeValue(raw)).toEqual(expected);
  });

  it.each([
    ['001089012345', { value: '001089012345', valid: true }],
    ['001 089 012 345', { value: '001089012345', valid: true }],
    ['012345678', { value: '012345678', valid: true }], // CMND, 9 digits
    ['6988048', { value: '6988048', valid: false }],
    ['B1234567', { value: 'B1234567', valid: false }], // a passport
  ])('reads ID number %j', (raw, expected) => {
    expect(normalizeIdNumber(raw)).toEqual(expected);
  });

  it.each([
    ['+84 912 345 678', '912345678'],
    ['0912.345.678', '912345678'],
    ['0084912345678', '912345678'],
    ['1-002-603-2082x8411', '026032082'],
    ['(002)603-2082', '026032082'],
    ['12', undefined],
  ])('keeps the significant digits of phone %j', (raw, expected) => {
    expect(phoneSignificant(raw)).toBe(expected);
  });

  it.each([
    ['29A-123.45', '29A12345'],
    ['29a 123 45', '29A12345'],
    ['51F-678.90', '51F67890'],
  ])('writes plate %j as %j', (raw, expected) => {
    expect(normalizePlate(raw)).toBe(expected);
  });
});

describe('dates of birth', () => {
  it.each([
    ['19081209', 'yyyyMMdd', '19081209'],
    ['1975-05-18', 'yyyy-MM-dd', '19750518'],
    ['18/05/1975', 'dd/MM/yyyy', '19750518'],
    ['8/5/1975', 'd/M/yyyy', '19750508'],
    ['18.05.75', 'dd.MM.yy', '19750518'],
    ['1975-13-01', 'yyyy-MM-dd', undefined],
    ['18/05/1975', 'yyyy-MM-dd', undefined],
    ['1975-05-18', undefined, '19750518'],
    ['18/05/1975', undefined, '19750518'], // Vietnamese order by default
  ])('reads %j written %j', (raw, format, expected) => {
    expect(parseDate(raw, format)).toBe(expected);
  });
});

describe('addresses', () => {
  it('folds and expands Vietnamese abbreviations', () => {
    expect(addressTokens('12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM')).toEqual(['12', 'le', 'loi', 'phuong', 'ben', 'nghe', 'quan', '1', 'thanhpho', 'hcm']);
    expect(addressTokens('12 Le Loi, Phuong Ben Nghe, Quan 1, Thanh pho HCM')).toEqual(['12', 'le', 'loi', 'phuong', 'ben', 'nghe', 'quan', '1', 'thanhpho', 'hcm']);
  });
});
