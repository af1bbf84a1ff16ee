import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@cordon/db';
import { createTestDb, testEngines } from '@cordon/db/testing';
import { createReferenceService, type ReferenceService } from './reference.service.js';

const dataDir = fileURLToPath(new URL('../../../../../../shared/data/', import.meta.url));
const hasData = existsSync(dataDir);

const WARDS_HEADER = 'code,name,type,name_ascii,province_code,province_name,merged_from_count';

describe.each(testEngines())('reference import on %s', (engine) => {
  let db: Db;
  let reference: ReferenceService;
  let tmp: string;
  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  beforeAll(async () => {
    db = await createTestDb(engine);
    reference = createReferenceService({ db });
    tmp = mkdtempSync(join(tmpdir(), 'cordon-ref-'));
  });
  afterAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await db.close();
  });

  it('keeps the good rows of a file with a bad row and reports the bad row by line', async () => {
    const file = join(tmp, 'wards_2025.csv');
    writeFileSync(
      file,
      [
        WARDS_HEADER,
        '90001,Phường Thử Nghiệm,Phường,Phuong Thu Nghiem,96,Cà Mau,2',
        '90002,Xã Sai Tỉnh,Xã,Xa Sai Tinh,95,Bạc Liêu,1',
        '90003,Xã Đất Mũi,Xã,Xa Dat Mui,96,Cà Mau,3',
      ].join('\n'),
    );
    const report = await reference.importFile('wards_2025', file);
    expect(report).toMatchObject({ kind: 'wards_2025', imported: 2, rejected: 1, failed: false });
    expect(report.problems).toEqual([{ line: 3, field: 'province_code', reason: '"95" is not a 2025 province code' }]);
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    const wards = await reference.listWards({ provinceCode: '96', q: 'dat mui' });
    expect(wards).toEqual([{ code: '90003', name: 'Xã Đất Mũi', type: 'commune', provinceCode: '96' }]);
    const [log] = await reference.listImports();
    expect(log).toMatchObject({ kind: 'wards_2025', fileName: 'wards_2025.csv', rowsImported: 2, rowsRejected: 1, sha256: report.sha256 });
    expect(log!.problems).toEqual(report.problems);
  });

  it('updates rows in place when a file is imported again with new content, never duplicating them', async () => {
    const file = join(tmp, 'wards_again.csv');
    writeFileSync(file, [WARDS_HEADER, '90001,Phường Thử Nghiệm Mới,Phường,Phuong Thu Nghiem Moi,96,Cà Mau,2'].join('\n'));
    const before = await count('ref_wards');
    await reference.importFile('wards_2025', file);
    await reference.importFile('wards_2025', file);
    expect(await count('ref_wards')).toBe(before);
    expect((await reference.listWards({ provinceCode: '96', q: 'THỬ NGHIỆM MỚI' })).map((w) => w.name)).toEqual(['Phường Thử Nghiệm Mới']);
  });

  it('fails a file wholly when its columns are wrong, and one it cannot read', async () => {
    const file = join(tmp, 'not-wards.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const bad = await reference.importFile('wards_2025', file);
    expect(bad).toMatchObject({ imported: 0, failed: true });
    expect(bad.problems.map((p) => p.field)).toContain('province_code');
    const missing = await reference.importFile('wards_2025', join(tmp, 'nope.csv'));
    expect(missing).toMatchObject({ imported: 0, failed: true, sha256: null });
    expect(missing.problems[0]!.reason).toMatch(/cannot read file: ENOENT/);
  });

  it('refuses an unknown kind', async () => {
    await expect(reference.importFile('planets', join(tmp, 'x.csv'))).rejects.toThrow(/Unknown reference file kind "planets"/);
  });

  it('loads HS codes from small files and finds them by code, prefix and words without diacritics', async () => {
    writeFileSync(join(tmp, 'hs_chapters_vi_en.csv'), 'chapter,section,name_vi,name_en\n24,IV,"Thuốc lá và nguyên liệu thay thế lá thuốc lá đã chế biến","Tobacco and manufactured tobacco substitutes"\n');
    writeFileSync(
      join(tmp, 'vn_tariff_nomenclature_bilingual.csv'),
      [
        'seq,indent_level,hs_code,description_vi,description_en',
        '1,0,2402,"Xì gà, xì gà xén hai đầu, xì gà nhỏ và thuốc lá điếu","Cigars, cheroots, cigarillos and cigarettes"',
        '2,1,24022000,- Thuốc lá điếu có chứa lá thuốc lá,- Cigarettes containing tobacco',
      ].join('\n'),
    );
    const reports = await reference.importDirectory(tmp);
    expect(reports.map((r) => [r.kind, r.imported])).toEqual([
      ['wards_2025', 2],
      ['hs_chapters', 1],
      ['vn_tariff', 2],
    ]);
    expect(await reference.findHsCode('2402')).toMatchObject({ level: 'heading', parent: '24', nameEn: 'Cigars, cheroots, cigarillos and cigarettes' });
    expect(await reference.getHsCode('2402.20.00')).toMatchObject({ code: '24022000', level: 'tariff_line', parent: '2402' });
    await expect(reference.getHsCode('2403')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await reference.searchHs({ q: '24' })).map((h) => h.code)).toEqual(['24', '2402', '24022000']);
    expect((await reference.searchHs({ q: 'thuoc la dieu' })).map((h) => h.code)).toEqual(['2402', '24022000']);
    expect(await reference.searchHs({ q: '100%_' })).toEqual([]);
  });
});

describe.skipIf(!hasData).each(testEngines())('reference import of the published data set on %s', (engine) => {
  let db: Db;
  let reference: ReferenceService;
  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  beforeAll(async () => {
    db = await createTestDb(engine);
    reference = createReferenceService({ db });
  });
  afterAll(() => db.close());

  it('loads the 3,321 wards of 2025, and a second import adds no duplicates', async () => {
    const file = join(dataDir, 'vn/admin-units/wards_2025.csv');
    const first = await reference.importFile('wards_2025', file);
    expect(first).toMatchObject({ imported: 3321, problems: [], failed: false });
    expect(await count('ref_wards')).toBe(3321);
    const second = await reference.importFile('wards_2025', file);
    expect(second.sha256).toBe(first.sha256);
    expect(await count('ref_wards')).toBe(3321);
    // Tuyên Quang (08) absorbed Hà Giang: 124 wards and communes after 1 July 2025
    expect(await reference.listWards({ provinceCode: '08', limit: 500 })).toHaveLength(124);
    expect((await reference.listWards({ provinceCode: '01', q: 'ba dinh' })).map((w) => w.name)).toContain('Phường Ba Đình');
  });

  it('imports the whole directory, then serves HS headings, border gates, ports and province shapes', async () => {
    const reports = await reference.importDirectory(dataDir);
    expect(reports.map((r) => r.kind)).toEqual([
      'countries', 'wards_2025', 'wards_pre2025', 'ward_crosswalk', 'hs_chapters', 'hs_headings', 'vn_tariff',
      'province_shapes', 'province_labels', 'border_gates', 'seaports', 'airports',
    ]);
    expect(reports.filter((r) => r.failed)).toEqual([]);
    expect(await count('ref_wards')).toBe(3321);
    expect(await count('ref_wards_pre2025')).toBe(10047);
    expect(await count('ref_ward_crosswalk')).toBe(10599);
    expect(await count('ref_countries')).toBe(250);
    expect(await reference.getHsCode('8471')).toMatchObject({ level: 'heading', parent: '84' });
    expect((await reference.searchHs({ q: '2402' })).length).toBeGreaterThan(1);
    const gates = await reference.listBorderGates({ provinceCode: '11' });
    expect(gates.map((g) => g.name)).toContain('Tây Trang');
    expect((await reference.listPorts({ kind: 'airport' })).length).toBe(21);
    const shapes = await reference.getProvinceShapes();
    expect(shapes.features).toHaveLength(34);
    expect(shapes.features.every((f) => f.properties.labelPoint !== null)).toBe(true);
  }, 120_000);
});
