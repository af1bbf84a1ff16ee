import { isProvinceCode } from '../provinces.js';
import { foldKey, foldVietnamese } from '../text.js';
import { parseCsv, readAllText, type Fields, type ParseResult, type TextSource } from './source.js';

/** Land border gate classes (Decree 112/2014/ND-CP): international, main (bilateral), secondary. */
export type BorderGateLevel = 'international' | 'main' | 'secondary' | 'unknown';
const GATE_LEVELS: Readonly<Record<string, BorderGateLevel>> = {
  'quốc tế': 'international',
  chính: 'main',
  // "Cửa khẩu quốc gia" is the older name for what Decree 112/2014 calls a main gate.
  'quốc gia': 'main',
  phụ: 'secondary',
  'chưa rõ': 'unknown',
};

export interface BorderGateRow {
  /** Stable code made from the 2025 province and the folded name: "11-tay-trang". */
  code: string;
  name: string;
  level: BorderGateLevel;
  /** ISO 3166-1 alpha-2 of the neighbouring country (CN, LA, KH). */
  neighborCountry: string;
  counterpartGate: string | null;
  counterpartProvince: string | null;
  provinceCode: string;
  /** Degrees (WGS 84); null when the source gives none. */
  latitude: number | null;
  longitude: number | null;
  sourceUrl: string | null;
  /** How the row was compiled; the seed file is hand-made and unverified. */
  provenance: string | null;
  searchText: string;
}

const LAT = { min: 8, max: 24, optional: true }; // Viet Nam lies within about 8.2–23.4° N
const LON = { min: 102, max: 118, optional: true }; // and 102.1–117.8° E including the islands

function province2025(f: Fields, field: string): string | null {
  const code = f.raw(field);
  if (!code) return null;
  if (!isProvinceCode(code)) f.problem(field, `"${code}" is not a 2025 province code`);
  return code;
}

/** `vn_land_border_gates_seed_UNVERIFIED.csv`: gate_name,gate_level,neighbor_country,… */
export function parseBorderGates(source: TextSource): Promise<ParseResult<BorderGateRow>> {
  return parseCsv(source, {
    columns: ['gate_name', 'gate_level', 'neighbor_country', 'province_code_34'],
    keyField: 'gate_name',
    key: (r) => r.code,
    row: (f) => {
      const name = f.text('gate_name');
      const provinceCode = province2025(f, 'province_code_34');
      if (!provinceCode) f.problem('province_code_34', 'required');
      const counterpartGate = f.optionalText('counterpart_gate');
      return {
        code: `${provinceCode}-${foldKey(name).replace(/ /g, '-')}`,
        name,
        level: f.oneOf('gate_level', GATE_LEVELS),
        neighborCountry: f.code('neighbor_country', /^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code'),
        counterpartGate,
        counterpartProvince: f.optionalText('counterpart_province'),
        provinceCode: provinceCode ?? '',
        latitude: f.decimal('latitude', LAT),
        longitude: f.decimal('longitude', LON),
        sourceUrl: f.optionalText('source_url'),
        provenance: f.optionalText('provenance_note'),
        searchText: foldVietnamese(`${name} ${counterpartGate ?? ''}`),
      };
    },
  });
}

export type PortKind = 'seaport' | 'airport';

export interface PortRow {
  /** UN/LOCODE for seaports ("VNCLI"), ICAO code for airports ("VVNB"). */
  code: string;
  kind: PortKind;
  name: string;
  city: string | null;
  provinceCode: string | null;
  latitude: number;
  longitude: number;
  iataCode: string | null;
  note: string | null;
  searchText: string;
}

/** `vn_seaports_sea-ports.csv`: unlocode,name,city,…,latitude,longitude,…,province_code_34,…,coord_check */
export function parseSeaports(source: TextSource): Promise<ParseResult<PortRow>> {
  return parseCsv(source, {
    columns: ['unlocode', 'name', 'latitude', 'longitude'],
    keyField: 'unlocode',
    key: (r) => r.code,
    row: (f) => {
      const name = f.text('name');
      const city = f.optionalText('city');
      const check = f.raw('coord_check');
      return {
        code: f.code('unlocode', /^VN[A-Z0-9]{3}$/, 'a Vietnamese UN/LOCODE like VNCLI'),
        kind: 'seaport',
        name,
        city,
        provinceCode: province2025(f, 'province_code_34'),
        latitude: f.decimal('latitude', { min: -90, max: 90 }) ?? 0,
        longitude: f.decimal('longitude', { min: -180, max: 180 }) ?? 0,
        iataCode: null,
        note: check && check !== 'ok' ? check : null,
        searchText: foldVietnamese(`${name} ${city ?? ''}`),
      };
    },
  });
}

/** `vn_airports_ourairports.csv`: ident,iata_code,gps_code,type,name,municipality,latitude,longitude,… */
export function parseAirports(source: TextSource): Promise<ParseResult<PortRow>> {
  return parseCsv(source, {
    columns: ['ident', 'name', 'latitude', 'longitude'],
    keyField: 'gps_code',
    key: (r) => r.code,
    row: (f) => {
      const name = f.text('name');
      const city = f.optionalText('municipality');
      const iata = f.optionalText('iata_code');
      // ICAO code when the airport has one; OurAirports' own ident otherwise.
      const code = f.raw('gps_code') || f.text('ident');
      return {
        code,
        kind: 'airport',
        name,
        city,
        provinceCode: province2025(f, 'province_code_34'),
        latitude: f.decimal('latitude', { min: -90, max: 90 }) ?? 0,
        longitude: f.decimal('longitude', { min: -180, max: 180 }) ?? 0,
        iataCode: iata,
        note: null,
        searchText: foldVietnamese(`${name} ${city ?? ''} ${iata ?? ''} ${code}`),
      };
    },
  });
}

export interface CountryRow {
  alpha2: string;
  alpha3: string;
  numeric: string;
  nameEn: string;
  nameVi: string;
  /** AF, AN, AS, EU, NA, OC, SA; null when unknown. */
  continent: string | null;
  searchText: string;
}

/** `countries_iso3166.csv`: alpha2,alpha3,numeric,name_en,name_vi,…,continent */
export function parseCountries(source: TextSource): Promise<ParseResult<CountryRow>> {
  return parseCsv(source, {
    columns: ['alpha2', 'alpha3', 'numeric', 'name_en'],
    keyField: 'alpha2',
    key: (r) => r.alpha2,
    row: (f) => {
      const nameEn = f.text('name_en');
      const nameVi = f.raw('name_vi') || nameEn;
      return {
        alpha2: f.code('alpha2', /^[A-Z]{2}$/, '2 capital letters'),
        alpha3: f.code('alpha3', /^[A-Z]{3}$/, '3 capital letters'),
        numeric: f.code('numeric', /^\d{3}$/, '3 digits'),
        nameEn,
        nameVi,
        continent: f.optionalText('continent'),
        searchText: foldVietnamese(`${nameVi} ${nameEn} ${f.raw('name_en_alt')}`),
      };
    },
  });
}

/** A province outline (2025 provinces) for maps: a GeoJSON Polygon or MultiPolygon in WGS 84. */
export interface ProvinceShapeRow {
  provinceCode: string;
  name: string;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
}

/**
 * `vn_provinces_34_2025.geojson`: a FeatureCollection whose features carry `properties.code` (GSO).
 * Problems name the feature by its 1-based position in `line`.
 */
export async function parseProvinceShapes(source: TextSource): Promise<ParseResult<ProvinceShapeRow>> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readAllText(source));
  } catch (err) {
    return { rows: [], problems: [{ line: 0, field: '', reason: `not JSON: ${(err as Error).message}` }] };
  }
  const features = (doc as { type?: string; features?: unknown }).features;
  if ((doc as { type?: string }).type !== 'FeatureCollection' || !Array.isArray(features)) {
    return { rows: [], problems: [{ line: 0, field: 'type', reason: 'expected a GeoJSON FeatureCollection' }] };
  }
  const rows: ProvinceShapeRow[] = [];
  const problems: ParseResult<ProvinceShapeRow>['problems'] = [];
  const seen = new Set<string>();
  features.forEach((feature: unknown, i) => {
    const line = i + 1;
    const props = ((feature as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
    const geometry = (feature as { geometry?: { type?: unknown; coordinates?: unknown } }).geometry;
    const code = String(props.code ?? '').trim();
    const before = problems.length;
    if (!isProvinceCode(code)) problems.push({ line, field: 'properties.code', reason: `"${code}" is not a 2025 province code` });
    else if (seen.has(code)) problems.push({ line, field: 'properties.code', reason: `duplicate "${code}"` });
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') || !Array.isArray(geometry.coordinates)) {
      problems.push({ line, field: 'geometry', reason: 'expected a Polygon or MultiPolygon' });
    }
    if (problems.length > before) return;
    seen.add(code);
    rows.push({
      provinceCode: code,
      name: String(props.name ?? '').normalize('NFC'),
      geometry: geometry as ProvinceShapeRow['geometry'],
    });
  });
  return { rows, problems };
}

/** Where to write a province's name on a map. */
export interface ProvinceLabelRow {
  provinceCode: string;
  longitude: number;
  latitude: number;
}

/** `vn_provinces_34_2025_label_points.csv`: code,name,lon,lat */
export function parseProvinceLabels(source: TextSource): Promise<ParseResult<ProvinceLabelRow>> {
  return parseCsv(source, {
    columns: ['code', 'lon', 'lat'],
    keyField: 'code',
    key: (r) => r.provinceCode,
    row: (f) => {
      const provinceCode = f.code('code', /^\d{2}$/, '2-digit GSO province code');
      if (f.ok && !isProvinceCode(provinceCode)) f.problem('code', `"${provinceCode}" is not a 2025 province code`);
      return {
        provinceCode,
        longitude: f.decimal('lon', { min: 102, max: 118 }) ?? 0,
        latitude: f.decimal('lat', { min: 8, max: 24 }) ?? 0,
      };
    },
  });
}
