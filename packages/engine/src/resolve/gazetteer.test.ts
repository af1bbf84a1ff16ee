import { describe, expect, it } from 'vitest';
import { buildGazetteer, type GazetteerInput } from './gazetteer.js';
import { resolveEntities } from './resolve.js';

// A few real units (GSO codes) in the shape of the reference data: enough to read the cases below.
const INPUT: GazetteerInput = {
  provinces: [
    { code: '79', name: 'Hồ Chí Minh', aliases: ['TPHCM', 'Sài Gòn'] },
    { code: '20', name: 'Lạng Sơn' },
    { code: '01', name: 'Hà Nội' },
    { code: '48', name: 'Đà Nẵng' },
  ],
  formerProvinces: [
    { code: '79', name: 'Hồ Chí Minh', successorCode: '79' },
    { code: '77', name: 'Bà Rịa - Vũng Tàu', successorCode: '79' },
    { code: '20', name: 'Lạng Sơn', successorCode: '20' },
    { code: '01', name: 'Hà Nội', successorCode: '01' },
    { code: '48', name: 'Đà Nẵng', successorCode: '48' },
  ],
  wards: [
    { code: '26743', name: 'Phường Bến Thành', provinceCode: '79' },
    { code: '26734', name: 'Phường Sài Gòn', provinceCode: '79' },
    { code: '06445', name: 'Xã Tân Thành', provinceCode: '20' },
    { code: '06154', name: 'Xã Văn Lãng', provinceCode: '20' },
    { code: '00004', name: 'Phường Ba Đình', provinceCode: '01' },
  ],
  formerWards: [
    { code: '26743', name: 'Phường Bến Thành', provinceCode: '79' },
    { code: '26749', name: 'Phường Phạm Ngũ Lão', provinceCode: '79' },
    { code: '26746', name: 'Phường Nguyễn Thái Bình', provinceCode: '79' },
    { code: '27001', name: 'Phường 6', provinceCode: '79' },
    { code: '27002', name: 'Phường 6', provinceCode: '79' },
    { code: '06250', name: 'Xã Tân Thành', provinceCode: '20' },
    { code: '00001', name: 'Phường Phúc Xá', provinceCode: '01' },
  ],
  wardCrosswalk: [
    { oldCode: '26743', newCode: '26743' },
    { oldCode: '26749', newCode: '26743' },
    // split between two new wards: the province only
    { oldCode: '26746', newCode: '26743' },
    { oldCode: '26746', newCode: '26734' },
    { oldCode: '27001', newCode: '26743' },
    { oldCode: '27002', newCode: '26734' },
    { oldCode: '06250', newCode: '06316' },
    { oldCode: '00001', newCode: '00097' },
  ],
};

const gazetteer = buildGazetteer(INPUT);

describe('addresses read into province and ward', () => {
  it.each([
    ['Số 12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh', '79', '26743', 'so 12 le loi'],
    ['SO 12 LE LOI, P. BEN THANH, TP.HCM', '79', '26743', 'so 12 le loi'],
    ['Số 12 Lê Lợi phường Bến Thành Hồ Chí Minh', '79', '26743', 'so 12 le loi'],
    // district (no such tier since 2025) dropped; a 2025 ward of the name wins over the former ones
    ['xa Tan Thanh, huyen Van Lang, Lang Son', '20', '06445', ''],
    ['Thôn 3, xã Tân Thành, tỉnh Lạng Sơn, Việt Nam', '20', '06445', 'thon 3'],
    // a pre-2025 ward through the crosswalk; its pre-2025 district dropped
    ['45 Đề Thám, P. Phạm Ngũ Lão, Q.1, TP.HCM', '79', '26743', '45 de tham'],
    // a ward without its type word, as its own segment
    ['12 Lê Lợi, Bến Thành, Quận 1, Sài Gòn', '79', '26743', '12 le loi'],
    // a former province: the 2025 province that took it over
    ['Ấp 2, Bà Rịa - Vũng Tàu', '79', undefined, 'ap 2'],
    // ambiguous old names give the province only, and stay in the rest
    ['10 Nguyễn Trãi, Phường 6, Quận 5, TP.HCM', '79', undefined, '10 nguyen trai phuong 6'],
    ['3 Hàm Nghi, phường Nguyễn Thái Bình, TP.HCM', '79', undefined, '3 ham nghi phuong nguyen thai binh'],
    // a street named after a province is not the province
    ['45 đường Hải Phòng, Đà Nẵng', '48', undefined, '45 duong hai phong'],
    ['15 phố Hà Nội', undefined, undefined, '15 pho ha noi'],
    // no province written: a 2025 ward name found in one province only gives both
    ['Số 12 Lê Lợi, phường Bến Thành', '79', '26743', 'so 12 le loi'],
    ['12 Baker Street, London', undefined, undefined, '12 baker street london'],
  ])('%s', (address, province, ward, rest) => {
    const parts = gazetteer.parse(address);
    expect(parts.province).toBe(province);
    expect(parts.ward).toBe(ward);
    expect(parts.rest.join(' ')).toBe(rest);
  });
});

describe('province and ward as evidence', () => {
  const rec = (id: string, fullName: string, address: string, dob = '1980-05-06') => ({ id, source: 0, values: { fullName, dob, address } });
  // namesakes born the same day: only where they live tells them apart
  const records = [
    rec('a', 'Nguyễn Văn Hùng', 'Số 12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh'),
    rec('b', 'NGUYEN VAN HUNG', '12 Le Loi, P. Pham Ngu Lao, Q.1, TPHCM'),
    rec('c', 'Nguyễn Văn Hùng', 'Thôn 3, xã Tân Thành, Lạng Sơn'),
    ...Array.from({ length: 40 }, (_, k) => rec(`x${k}`, `Trần Thị ${['Lan', 'Mai', 'Hoa', 'Cúc'][k % 4]} ${k}`, `${k} Hàm Nghi, ${['phường Bến Thành, TP.HCM', 'xã Tân Thành, Lạng Sơn', 'phường Ba Đình, Hà Nội'][k % 3]}`, `19${50 + k}-01-0${1 + (k % 9)}`)),
  ];

  it('explains the area per pair: same ward for, different province against', () => {
    const r = resolveEntities('person', records, { dobFormat: 'yyyy-MM-dd', gazetteer });
    expect(r.fields).toContain('area');
    const same = r.explain(0, 1).fields.find((f) => f.field === 'area')!;
    const other = r.explain(0, 2).fields.find((f) => f.field === 'area')!;
    expect(same).toMatchObject({ level: 'same ward', outcome: 'agreed', left: '79/26743', right: '79/26743' });
    expect(other).toMatchObject({ level: 'different province', outcome: 'disagreed' });
    expect(same.weight).toBeGreaterThan(0);
    expect(other.weight).toBeLessThan(0);
    // the rest of the address ("so 12 le loi" / "12 le loi") is compared on its own
    expect(r.explain(0, 1).fields.find((f) => f.field === 'address')).toMatchObject({ left: 'so 12 le loi', right: '12 le loi' });
  });

  it('without a gazetteer compares addresses as text, with the fields as before', () => {
    const r = resolveEntities('person', records, { dobFormat: 'yyyy-MM-dd' });
    expect(r.fields).not.toContain('area');
    expect(r.explain(0, 1).fields.find((f) => f.field === 'address')!.left).toBe('so 12 le loi phuong ben thanh thanhpho ho chi minh');
  });

  it('reads company addresses too', () => {
    const companies = [
      { id: 'c1', source: 0, values: { name: 'Công ty TNHH Hoàng Long', address: '5 Hàm Nghi, phường Bến Thành, TP.HCM' } },
      { id: 'c2', source: 0, values: { name: 'CTY TNHH HOANG LONG', address: 'Thôn 3, xã Tân Thành, Lạng Sơn' } },
      ...Array.from({ length: 20 }, (_, k) => ({ id: `o${k}`, source: 0, values: { name: `Công ty CP Thương mại ${k}`, address: `${k} Lê Lợi, ${k % 2 ? 'TP.HCM' : 'Hà Nội'}` } })),
    ];
    const r = resolveEntities('company', companies, { gazetteer });
    expect(r.fields).toEqual(['name', 'legalForm', 'taxCode', 'address', 'area']);
    expect(r.explain(0, 1).fields.find((f) => f.field === 'area')).toMatchObject({ level: 'different province', left: '79/26743', right: '20/06445' });
  });
});
