import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseWardCrosswalk, parseWards2025 } from './admin-units.js';
import { parseHsHeadings, parseVnTariff } from './hs.js';
import { parseBorderGates, parseProvinceShapes } from './places.js';
import { REFERENCE_FILE_TYPES } from './index.js';

const WARDS_HEADER = 'code,name,type,name_ascii,province_code,province_name,merged_from_count';

describe('CSV importers', () => {
  it('keeps good rows and reports each bad field with its line number', async () => {
    const text = [
      WARDS_HEADER,
      '00004,Phường Ba Đình,Phường,Phuong Ba Dinh,01,Hà Nội,10',
      '0008,Phường Ngọc Hà,Phường,Phuong Ngoc Ha,01,Hà Nội,8', // line 3: code too short
      '00025,Phường Giảng Võ,Quận,Phuong Giang Vo,02,Hà Nội,x', // line 4: type, province, count
      '00031,Xã Minh Châu,Xã,Xa Minh Chau,01,Hà Nội,',
    ].join('\n');
    const { rows, problems } = await parseWards2025(text);
    expect(rows.map((r) => r.code)).toEqual(['00004', '00031']);
    expect(rows[1]).toEqual({ code: '00031', name: 'Xã Minh Châu', type: 'commune', nameAscii: 'Xa Minh Chau', provinceCode: '01', mergedFromCount: null });
    expect(problems).toEqual([
      { line: 3, field: 'code', reason: 'expected 5 digits, got "0008"' },
      { line: 4, field: 'type', reason: expect.stringContaining('unknown value "Quận"') },
      { line: 4, field: 'province_code', reason: '"02" is not a 2025 province code' },
      { line: 4, field: 'merged_from_count', reason: 'expected a whole number, got "x"' },
    ]);
  });

  it('reports a row with the wrong number of fields and an unclosed quote', async () => {
    const text = [WARDS_HEADER, '00004,Phường Ba Đình,Phường', '00008,"Phường Ngọc Hà,Phường,Phuong Ngoc Ha,01,Hà Nội,8'].join('\n');
    const { rows, problems } = await parseWards2025(text + '\n00025,Phường Giảng Võ,Phường,Phuong Giang Vo,01,Hà Nội,7\n');
    // An unclosed quote runs to the end of the file, as CSV says: the rows after it are lost too.
    expect(problems).toEqual([
      { line: 2, field: '', reason: 'expected 7 fields, got 3' },
      { line: 4, field: '', reason: expect.stringMatching(/^unreadable CSV: Quote Not Closed/) },
    ]);
    expect(rows).toEqual([]);
  });

  it('fails the whole file when a required column is missing', async () => {
    const { rows, problems } = await parseWards2025('code,name,type\n00004,Phường Ba Đình,Phường\n');
    expect(rows).toEqual([]);
    expect(problems).toEqual([
      { line: 1, field: 'name_ascii', reason: 'missing column' },
      { line: 1, field: 'province_code', reason: 'missing column' },
    ]);
  });

  it('reports a repeated key with the line of its first occurrence', async () => {
    const line = '00004,Phường Ba Đình,Phường,Phuong Ba Dinh,01,Hà Nội,10';
    const { rows, problems } = await parseWards2025([WARDS_HEADER, line, line].join('\r\n'));
    expect(rows).toHaveLength(1);
    expect(problems).toEqual([{ line: 3, field: 'code', reason: 'duplicate "00004" (first on line 2)' }]);
  });

  it('reads a byte-order mark, quoted commas, and a stream of chunks', async () => {
    const text = '\uFEFF' + WARDS_HEADER + '\n00004,"Phường Ba Đình, Hà Nội",Phường,Phuong Ba Dinh,01,Hà Nội,10\n';
    const bytes = Buffer.from(text);
    const chunks = Readable.from([bytes.subarray(0, 13), bytes.subarray(13, 70), bytes.subarray(70)]);
    const { rows, problems } = await parseWards2025(chunks);
    expect(problems).toEqual([]);
    expect(rows[0]?.name).toBe('Phường Ba Đình, Hà Nội');
  });

  it('reads the ward crosswalk, with split wards as one link per new ward', async () => {
    const text = [
      'old_code,old_name,old_province_code,new_code,new_name,new_province_code,is_split,merge_type',
      '00001,Phường Phúc Xá,01,00097,Phường Hồng Hà,01,0,full',
      '00640,Xã A,02,01000,Xã B,08,1,partial',
      '00640,Xã A,02,01003,Xã C,08,1,partial',
      '00700,Xã D,02,01004,Xã E,08,2,merged',
    ].join('\n');
    const { rows, problems } = await parseWardCrosswalk(text);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ oldCode: '00640', newCode: '01000', oldProvinceCode: '02', newProvinceCode: '08', isSplit: true, mergeType: 'partial' });
    expect(problems.map((p) => [p.line, p.field])).toEqual([[5, 'is_split'], [5, 'merge_type']]);
  });

  it('prefers the tariff English for headings and checks the heading is in its chapter', async () => {
    const text = [
      'heading,chapter,description_vi,description_en_vn_tariff,description_en_un_comtrade,vn_tariff_code_if_unsplit',
      '2402,24,"Xì gà, thuốc lá điếu",Cigars and cigarettes,"Cigars, cheroots",',
      '2403,24,Lá thuốc lá đã chế biến,,Other manufactured tobacco,',
      '2501,24,Muối,Salt,Salt,',
    ].join('\n');
    const { rows, problems } = await parseHsHeadings(text);
    expect(rows.map((r) => [r.code, r.parent, r.nameEn])).toEqual([
      ['2402', '24', 'Cigars and cigarettes'],
      ['2403', '24', 'Other manufactured tobacco'],
    ]);
    expect(rows[0]!.searchText).toBe('2402 xi ga, thuoc la dieu cigars and cigarettes');
    expect(problems).toEqual([{ line: 4, field: 'chapter', reason: 'heading 2501 is not in chapter 24' }]);
  });

  it('names tariff lines by the groups above them and links each to its nearest coded parent', async () => {
    const text = [
      'seq,indent_level,hs_code,description_vi,description_en',
      '1,0,0101,"Ngựa, lừa, la sống","Live horses, asses, mules and hinnies"',
      '2,1,,- Ngựa:,- Horses:',
      '3,2,01012100,- - Loại thuần chủng để nhân giống,- - Pure-bred breeding animals',
      '5,1,010130,- Lừa:,- Asses:',
      '6,2,01013010,- - Loại thuần chủng để nhân giống,- - Pure-bred breeding animals',
      '8,1,01019000,- Loại khác,- Other',
      '9,1,9849170,- - Gương chiếu hậu,',
    ].join('\n');
    const { rows, problems } = await parseVnTariff(text);
    expect(rows.map((r) => [r.code, r.level, r.parent, r.nameVi])).toEqual([
      ['0101', 'heading', '01', 'Ngựa, lừa, la sống'],
      ['01012100', 'tariff_line', '0101', 'Ngựa — Loại thuần chủng để nhân giống'],
      ['010130', 'subheading', '0101', 'Lừa'],
      ['01013010', 'tariff_line', '010130', 'Lừa — Loại thuần chủng để nhân giống'],
      ['01019000', 'tariff_line', '0101', 'Loại khác'],
    ]);
    expect(rows[4]!.nameEn).toBe('Other');
    // the heading's name makes "Loại khác" findable by what it is
    expect(rows[4]!.searchText).toContain('ngua, lua, la song');
    expect(problems).toEqual([{ line: 8, field: 'hs_code', reason: 'expected 4, 6 or 8 digits, got "9849170"' }]);
  });

  it('turns border gate levels into codes and builds a stable code from province and name', async () => {
    const text = [
      'gate_name,gate_level,neighbor_country,counterpart_gate,counterpart_province,province_pre2025,province_code_63,province_code_34,province_name_34,latitude,longitude,source_url,provenance_note',
      'Tây Trang,quốc tế,LA,Pang Hốc,Phông Sa Lỳ,Điện Biên,11,11,Điện Biên,,,https://example.org,source',
      'Hữu Nghị,quốc tế,CN,Hữu Nghị Quan,Quảng Tây,Lạng Sơn,20,20,Lạng Sơn,21.97,106.70,,',
      'Nowhere,cửa sau,Laos,,,,,77,,91,200,,',
    ].join('\n');
    const { rows, problems } = await parseBorderGates(text);
    expect(rows.map((r) => [r.code, r.level, r.neighborCountry, r.latitude])).toEqual([
      ['11-tay-trang', 'international', 'LA', null],
      ['20-huu-nghi', 'international', 'CN', 21.97],
    ]);
    expect(problems.map((p) => p.field)).toEqual(['province_code_34', 'gate_level', 'neighbor_country', 'latitude', 'longitude']);
    expect(problems.every((p) => p.line === 4)).toBe(true);
  });

  it('reads province outlines from GeoJSON and numbers bad features', async () => {
    const square = { type: 'Polygon', coordinates: [[[105, 21], [106, 21], [106, 22], [105, 21]]] };
    const doc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '08', name: 'Tuyên Quang' }, geometry: square },
        { type: 'Feature', properties: { code: '02', name: 'Hà Giang' }, geometry: square },
        { type: 'Feature', properties: { code: '20', name: 'Lạng Sơn' }, geometry: { type: 'Point', coordinates: [106, 21] } },
      ],
    };
    const { rows, problems } = await parseProvinceShapes(JSON.stringify(doc));
    expect(rows.map((r) => r.provinceCode)).toEqual(['08']);
    expect(problems).toEqual([
      { line: 2, field: 'properties.code', reason: '"02" is not a 2025 province code' },
      { line: 3, field: 'geometry', reason: 'expected a Polygon or MultiPolygon' },
    ]);
    expect((await parseProvinceShapes('{"type":')).problems[0]).toMatchObject({ line: 0, reason: expect.stringMatching(/^not JSON/) });
  });
});

// The published files, when the shared data folder is present (not in a clean clone).
const dataDir = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const expected: Record<string, { rows: number; problems: number }> = {
  countries: { rows: 250, problems: 0 },
  wards_2025: { rows: 3321, problems: 0 },
  wards_pre2025: { rows: 10047, problems: 0 },
  ward_crosswalk: { rows: 10599, problems: 0 },
  hs_chapters: { rows: 98, problems: 0 },
  hs_headings: { rows: 1228, problems: 0 },
  // 135 lines of the tariff's Vietnam-only chapter 98 repeat a code or carry a 7-digit one
  vn_tariff: { rows: 14984, problems: 135 },
  province_shapes: { rows: 34, problems: 0 },
  province_labels: { rows: 34, problems: 0 },
  border_gates: { rows: 28, problems: 0 },
  seaports: { rows: 13, problems: 0 },
  airports: { rows: 21, problems: 0 },
};

describe.skipIf(!existsSync(dataDir))('importers on the published files', () => {
  it.each(REFERENCE_FILE_TYPES.map((t) => [t.kind, t] as const))('parses %s', async (kind, t) => {
    const { rows, problems } = await t.parse(readFileSync(dataDir + t.path));
    expect({ rows: rows.length, problems: problems.length }).toEqual(expected[kind]);
  });

  it('finds cigarettes under heading 2402 in the Vietnamese tariff', async () => {
    const t = REFERENCE_FILE_TYPES.find((x) => x.kind === 'vn_tariff')!;
    const { rows } = await t.parse(readFileSync(dataDir + t.path));
    const lines = (rows as { code: string; level: string; searchText: string }[]).filter((r) => r.code.startsWith('2402') && r.level === 'tariff_line');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((r) => r.searchText.includes('thuoc la'))).toBe(true);
  });
});
