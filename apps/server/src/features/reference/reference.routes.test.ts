import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

describe('reference routes', () => {
  let h: Harness;
  let viewer: Client;
  let admin: Client;
  let tmp: string;
  const get = (url: string, as: 'viewer' | 'admin' | null = 'viewer') =>
    as === null ? h.app.inject({ method: 'GET', url }) : (as === 'admin' ? admin : viewer).request('GET', url);

  beforeAll(async () => {
    h = await createHarness('pglite');
    await h.makeUser({ username: 'viewer', roles: ['viewer'] });
    await h.makeUser({ username: 'root', roles: ['admin'] });
    viewer = await h.login('viewer');
    admin = await h.login('root');
    tmp = mkdtempSync(join(tmpdir(), 'cordon-ref-routes-'));
    writeFileSync(
      join(tmp, 'wards_2025.csv'),
      'code,name,type,name_ascii,province_code,province_name,merged_from_count\n00004,Phường Ba Đình,Phường,Phuong Ba Dinh,01,Hà Nội,10\n00008,Phường Ngọc Hà,Phường,Phuong Ngoc Ha,01,Hà Nội,8\n',
    );
    writeFileSync(join(tmp, 'hs_headings_vi_en.csv'), 'heading,chapter,description_vi,description_en_vn_tariff\n2402,24,"Xì gà, thuốc lá điếu",Cigars and cigarettes\n');
    const square = { type: 'Polygon', coordinates: [[[105, 21], [106, 21], [106, 22], [105, 21]]] };
    writeFileSync(join(tmp, 'vn_provinces_34_2025.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '08' }, geometry: square }] }));
    await h.services.reference.importDirectory(tmp);
  });
  afterAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await h.close();
  });

  it('asks who is calling before answering', async () => {
    expect((await get('/api/reference/provinces', null)).statusCode).toBe(401);
  });

  it('serves the built-in catalogues to any signed-in user', async () => {
    const provinces = (await get('/api/reference/provinces')).json();
    expect(provinces.items).toHaveLength(34);
    expect(provinces.former).toHaveLength(63);
    expect(provinces.items.find((p: { code: string }) => p.code === '08').mergedFrom).toEqual(['02', '08']);
    expect((await get('/api/reference/forces')).json().items[0]).toMatchObject({ code: 'CUSTOMS', nameVi: 'Hải quan' });
    expect((await get('/api/reference/goods')).json().items.length).toBe(17);
    const violations = (await get('/api/reference/violation-types')).json();
    expect(violations.groups.map((g: { code: string }) => g.code)).toEqual(['smuggling', 'trade_fraud', 'counterfeit']);
    expect((await get('/api/reference/routes')).json().items.map((r: { code: string }) => r.code)).toContain('ECOMMERCE');
  });

  it('lists the wards of a province, searching without diacritics, and rejects a malformed province code', async () => {
    const res = await get('/api/reference/wards?province=01&q=ngoc%20ha');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [{ code: '00008', name: 'Phường Ngọc Hà', type: 'ward', provinceCode: '01' }] });
    expect((await get('/api/reference/wards?province=1a')).statusCode).toBe(400);
  });

  it('finds HS codes by words and by code, and answers 404 for an unknown code', async () => {
    expect((await get('/api/reference/hs?q=thuoc%20la')).json().items.map((h: { code: string }) => h.code)).toEqual(['2402']);
    expect((await get('/api/reference/hs/2402')).json()).toEqual({ code: '2402', level: 'heading', parent: '24', nameVi: 'Xì gà, thuốc lá điếu', nameEn: 'Cigars and cigarettes' });
    expect((await get('/api/reference/hs/9999')).statusCode).toBe(404);
  });

  it('serves province outlines as GeoJSON, and empty lists before anything is imported', async () => {
    const shapes = (await get('/api/reference/province-shapes')).json();
    expect(shapes.type).toBe('FeatureCollection');
    expect(shapes.features[0].properties).toEqual({ code: '08', name: 'Tuyên Quang', nameEn: 'Tuyen Quang', labelPoint: null });
    expect((await get('/api/reference/border-gates?province=11')).json()).toEqual({ items: [] });
    expect((await get('/api/reference/ports?kind=airport')).json()).toEqual({ items: [] });
    expect((await get('/api/reference/countries')).json()).toEqual({ items: [] });
  });

  it('shows the import history to admins only', async () => {
    expect((await get('/api/reference/imports')).statusCode).toBe(403);
    const res = await get('/api/reference/imports', 'admin');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { kind: string }) => i.kind).sort()).toEqual(['hs_headings', 'province_shapes', 'wards_2025']);
  });
});
