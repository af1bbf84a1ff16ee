import { parseWardCrosswalk, parseWards2025, parseWardsPre2025 } from './admin-units.js';
import { parseHsChapters, parseHsHeadings, parseVnTariff } from './hs.js';
import {
  parseAirports,
  parseBorderGates,
  parseCountries,
  parseProvinceLabels,
  parseProvinceShapes,
  parseSeaports,
} from './places.js';
import type { ParseResult, TextSource } from './source.js';

export * from './source.js';
export * from './admin-units.js';
export * from './hs.js';
export * from './places.js';

/** The official files an administrator can load, by kind. */
export const REFERENCE_FILE_KINDS = [
  'countries',
  'wards_2025',
  'wards_pre2025',
  'ward_crosswalk',
  'hs_chapters',
  'hs_headings',
  'vn_tariff',
  'province_shapes',
  'province_labels',
  'border_gates',
  'seaports',
  'airports',
] as const;
export type ReferenceFileKind = (typeof REFERENCE_FILE_KINDS)[number];

export interface ReferenceFileType {
  kind: ReferenceFileKind;
  /** The file's name as published (the data set's layout); `importDirectory` looks for these. */
  fileName: string;
  /** Where it sits in a directory laid out like the published data set. */
  path: string;
  description: string;
  parse(source: TextSource): Promise<ParseResult<unknown>>;
}

/**
 * In load order: HS chapters before headings before tariff lines, so that a tariff file's heading
 * wording (the legal text) is what stays.
 */
export const REFERENCE_FILE_TYPES: readonly ReferenceFileType[] = [
  { kind: 'countries', fileName: 'countries_iso3166.csv', path: 'countries/countries_iso3166.csv', description: 'Countries (ISO 3166-1) in English and Vietnamese', parse: parseCountries },
  { kind: 'wards_2025', fileName: 'wards_2025.csv', path: 'vn/admin-units/wards_2025.csv', description: 'Wards and communes from 1 July 2025', parse: parseWards2025 },
  { kind: 'wards_pre2025', fileName: 'wards_pre2025.csv', path: 'vn/admin-units/wards_pre2025.csv', description: 'Wards and communes before 1 July 2025', parse: parseWardsPre2025 },
  { kind: 'ward_crosswalk', fileName: 'ward_mapping_old_to_new.csv', path: 'vn/admin-units/ward_mapping_old_to_new.csv', description: 'Old ward → 2025 ward crosswalk', parse: parseWardCrosswalk },
  { kind: 'hs_chapters', fileName: 'hs_chapters_vi_en.csv', path: 'hs/hs_chapters_vi_en.csv', description: 'HS chapters in Vietnamese and English', parse: parseHsChapters },
  { kind: 'hs_headings', fileName: 'hs_headings_vi_en.csv', path: 'hs/hs_headings_vi_en.csv', description: 'HS headings in Vietnamese and English', parse: parseHsHeadings },
  { kind: 'vn_tariff', fileName: 'vn_tariff_nomenclature_bilingual.csv', path: 'hs/vn_tariff_nomenclature_bilingual.csv', description: 'Vietnamese 8-digit tariff nomenclature', parse: parseVnTariff },
  { kind: 'province_shapes', fileName: 'vn_provinces_34_2025.geojson', path: 'vn/boundaries/vn_provinces_34_2025.geojson', description: 'Province outlines (2025), GeoJSON', parse: parseProvinceShapes },
  { kind: 'province_labels', fileName: 'vn_provinces_34_2025_label_points.csv', path: 'vn/boundaries/vn_provinces_34_2025_label_points.csv', description: 'Province label points (2025)', parse: parseProvinceLabels },
  { kind: 'border_gates', fileName: 'vn_land_border_gates_seed_UNVERIFIED.csv', path: 'vn/ports-borders/vn_land_border_gates_seed_UNVERIFIED.csv', description: 'Land border gates', parse: parseBorderGates },
  { kind: 'seaports', fileName: 'vn_seaports_sea-ports.csv', path: 'vn/ports-borders/vn_seaports_sea-ports.csv', description: 'Seaports (UN/LOCODE)', parse: parseSeaports },
  { kind: 'airports', fileName: 'vn_airports_ourairports.csv', path: 'vn/ports-borders/vn_airports_ourairports.csv', description: 'Airports (ICAO)', parse: parseAirports },
];

export function isReferenceFileKind(kind: string): kind is ReferenceFileKind {
  return (REFERENCE_FILE_KINDS as readonly string[]).includes(kind);
}

export function referenceFileType(kind: ReferenceFileKind): ReferenceFileType {
  return REFERENCE_FILE_TYPES.find((t) => t.kind === kind)!;
}
