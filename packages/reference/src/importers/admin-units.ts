import { findFormerProvince, isProvinceCode } from '../provinces.js';
import { parseCsv, type Fields, type ParseResult, type TextSource } from './source.js';

/** A ward, commune or special zone as of 1 July 2025 (one tier below the province; districts are gone). */
export interface Ward2025Row {
  /** 5-digit GSO code. */
  code: string;
  /** Full name with its type: "Phường Ba Đình". */
  name: string;
  type: WardType;
  nameAscii: string;
  provinceCode: string;
  /** How many pre-2025 units were merged into it; null when the file does not say. */
  mergedFromCount: number | null;
}

export type WardType = 'ward' | 'commune' | 'special_zone';
const WARD_TYPES: Readonly<Record<string, WardType>> = { 'Phường': 'ward', 'Xã': 'commune', 'Đặc khu': 'special_zone' };

/** A commune-level unit before 1 July 2025 (under the 63 provinces). */
export interface WardPre2025Row {
  code: string;
  name: string;
  nameAscii: string;
  /** Pre-2025 GSO province code. */
  provinceCode: string;
}

/** One link of the old→new ward crosswalk; an old ward split between several new ones has one link each. */
export interface WardCrosswalkRow {
  oldCode: string;
  oldName: string;
  oldProvinceCode: string;
  newCode: string;
  newName: string;
  newProvinceCode: string;
  /** The old ward was divided between several new wards. */
  isSplit: boolean;
  /** 'full': the whole old ward went into the new one; 'partial': part of it did. */
  mergeType: 'full' | 'partial';
}

const WARD_CODE = /^\d{5}$/;

function province2025(f: Fields, field: string): string {
  const code = f.code(field, /^\d{2}$/, '2-digit GSO province code');
  if (f.raw(field) && /^\d{2}$/.test(code) && !isProvinceCode(code)) f.problem(field, `"${code}" is not a 2025 province code`);
  return code;
}

function provincePre2025(f: Fields, field: string): string {
  const code = f.code(field, /^\d{2}$/, '2-digit GSO province code');
  if (/^\d{2}$/.test(code) && !findFormerProvince(code)) f.problem(field, `"${code}" is not a pre-2025 province code`);
  return code;
}

/** `wards_2025.csv`: code,name,type,name_ascii,province_code,province_name,merged_from_count */
export function parseWards2025(source: TextSource): Promise<ParseResult<Ward2025Row>> {
  return parseCsv(source, {
    columns: ['code', 'name', 'type', 'name_ascii', 'province_code'],
    keyField: 'code',
    key: (r) => r.code,
    row: (f) => ({
      code: f.code('code', WARD_CODE, '5 digits'),
      name: f.text('name'),
      type: f.oneOf('type', WARD_TYPES),
      nameAscii: f.text('name_ascii'),
      provinceCode: province2025(f, 'province_code'),
      mergedFromCount: f.integer('merged_from_count', { min: 0, optional: true }),
    }),
  });
}

/** `wards_pre2025.csv`: code,name,name_ascii,province_code,province_name */
export function parseWardsPre2025(source: TextSource): Promise<ParseResult<WardPre2025Row>> {
  return parseCsv(source, {
    columns: ['code', 'name', 'name_ascii', 'province_code'],
    keyField: 'code',
    key: (r) => r.code,
    row: (f) => ({
      code: f.code('code', WARD_CODE, '5 digits'),
      name: f.text('name'),
      nameAscii: f.text('name_ascii'),
      provinceCode: provincePre2025(f, 'province_code'),
    }),
  });
}

/** `ward_mapping_old_to_new.csv`: old_code,old_name,old_province_code,new_code,new_name,new_province_code,is_split,merge_type */
export function parseWardCrosswalk(source: TextSource): Promise<ParseResult<WardCrosswalkRow>> {
  return parseCsv(source, {
    columns: ['old_code', 'old_name', 'old_province_code', 'new_code', 'new_name', 'new_province_code', 'merge_type'],
    keyField: 'new_code',
    key: (r) => `${r.oldCode}→${r.newCode}`,
    row: (f) => ({
      oldCode: f.code('old_code', WARD_CODE, '5 digits'),
      oldName: f.text('old_name'),
      oldProvinceCode: provincePre2025(f, 'old_province_code'),
      newCode: f.code('new_code', WARD_CODE, '5 digits'),
      newName: f.text('new_name'),
      newProvinceCode: province2025(f, 'new_province_code'),
      isSplit: f.flag('is_split'),
      mergeType: f.oneOf('merge_type', { full: 'full', partial: 'partial' }),
    }),
  });
}
