import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  FORMER_PROVINCES,
  PROVINCES,
  PROVINCE_CROSSWALK,
  findFormerProvinceByName,
  findProvince,
  findProvinceByName,
  getProvince,
  provinceFor2025,
  resolveProvinceName,
} from './provinces.js';

describe('provinces', () => {
  it('has the 34 provinces of 1 July 2025 and the 63 before, each code unique and two digits', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(FORMER_PROVINCES).toHaveLength(63);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(34);
    expect(new Set(FORMER_PROVINCES.map((p) => p.code)).size).toBe(63);
    for (const p of [...PROVINCES, ...FORMER_PROVINCES]) expect(p.code).toMatch(/^\d{2}$/);
  });

  it('counts 6 centrally-run cities and 28 provinces after the merger', () => {
    expect(PROVINCES.filter((p) => p.type === 'municipality').map((p) => p.nameEn)).toEqual([
      'Hanoi', 'Hai Phong', 'Hue', 'Da Nang', 'Ho Chi Minh City', 'Can Tho',
    ]);
  });

  it('maps every pre-2025 code to exactly one 2025 province that exists', () => {
    for (const old of FORMER_PROVINCES) {
      const p = provinceFor2025(old.code);
      expect(p, old.name).toBeDefined();
      expect(PROVINCE_CROSSWALK[old.code]).toBe(p!.code);
    }
    // and every 2025 province receives at least one old province: none appears from nowhere
    const merged = PROVINCES.flatMap((p) => p.mergedFrom);
    expect(merged.sort()).toEqual(FORMER_PROVINCES.map((p) => p.code).sort());
  });

  it('maps Hà Giang (02) to Tuyên Quang (08), and Bà Rịa - Vũng Tàu (77) to Hồ Chí Minh (79)', () => {
    expect(provinceFor2025('02')?.name).toBe('Tuyên Quang');
    expect(provinceFor2025('02')?.code).toBe('08');
    expect(provinceFor2025('77')?.code).toBe('79');
    expect(getProvince('79').mergedFrom).toEqual(['74', '77', '79']);
    expect(provinceFor2025('99')).toBeUndefined();
  });

  it('looks provinces up by code, accepting a missing leading zero, and getProvince throws on unknown codes', () => {
    expect(findProvince('8')?.name).toBe('Tuyên Quang');
    expect(getProvince('01').fullName).toBe('Thành phố Hà Nội');
    expect(findProvince('02')).toBeUndefined(); // Hà Giang is no longer a province
    expect(() => getProvince('02')).toThrow(/No province has GSO code "02"/);
  });

  it('finds a province by name with or without diacritics, case or prefix', () => {
    expect(findProvinceByName('tuyen quang')?.code).toBe('08');
    expect(findProvinceByName('Tuyên Quang')?.code).toBe('08');
    expect(findProvinceByName('TỈNH TUYÊN QUANG')?.code).toBe('08');
    expect(findProvinceByName('Tinh Dak Lak')?.code).toBe('66');
    expect(findProvinceByName('Thành phố Hồ Chí Minh')?.code).toBe('79');
    expect(findProvinceByName('TP.HCM')?.code).toBe('79');
    expect(findProvinceByName('Hanoi')?.code).toBe('01');
    expect(findProvinceByName('  thanh pho   ha noi ')?.code).toBe('01');
    expect(findProvinceByName('Thừa Thiên Huế')?.code).toBe('46');
  });

  it('does not pass a former province off as a current one, but resolves it through the crosswalk on request', () => {
    expect(findProvinceByName('Hà Giang')).toBeUndefined();
    expect(findFormerProvinceByName('ha giang')?.code).toBe('02');
    expect(findFormerProvinceByName('Tỉnh Bà Rịa - Vũng Tàu')?.code).toBe('77');
    expect(resolveProvinceName('Hà Giang')?.code).toBe('08');
    expect(resolveProvinceName('Cao Bằng')?.code).toBe('04');
    expect(resolveProvinceName('Atlantis')).toBeUndefined();
  });
});

// Cross-check against the published GSO files when the shared data folder is present (not in a clean clone).
const dir = fileURLToPath(new URL('../../../../shared/data/vn/admin-units/', import.meta.url));
const csv = (name: string) => parse(readFileSync(dir + name), { columns: true, bom: true }) as Record<string, string>[];

describe.skipIf(!existsSync(dir))('provinces agree with the published GSO files', () => {
  it('has the same 34 provinces, names, full names and ASCII names', () => {
    const rows = csv('provinces_2025_34.csv');
    expect(rows).toHaveLength(34);
    for (const r of rows) {
      const p = getProvince(r.code!);
      expect(p.name).toBe(r.name);
      expect(p.fullName).toBe(r.full_name);
      expect(p.nameAscii).toBe(r.name_ascii);
      expect(p.type).toBe(r.type === 'Tỉnh' ? 'province' : 'municipality');
      expect([...p.mergedFrom].sort()).toEqual(r.merged_from_codes!.split('|').sort());
    }
  });

  it('has the same 63 former provinces and the same crosswalk', () => {
    const rows = csv('provinces_pre2025_63.csv');
    expect(rows).toHaveLength(63);
    for (const r of rows) {
      const p = FORMER_PROVINCES.find((f) => f.code === r.code);
      expect(p?.name).toBe(r.name);
      expect(p?.fullName).toBe(r.full_name);
      expect(p?.nameAscii).toBe(r.name_ascii);
    }
    for (const r of csv('province_mapping_63_to_34.csv')) {
      expect(provinceFor2025(r.old_code!)?.code, r.old_name).toBe(r.new_code);
    }
  });

  it('finds every province of the ISO 3166-2 crosswalk by its ISO name', () => {
    for (const r of csv('iso3166_2_vn_crosswalk.csv')) {
      expect(resolveProvinceName(r.iso_name!)?.code, r.iso_name).toBe(r.gso_code_34);
    }
  });
});
