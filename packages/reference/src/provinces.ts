import { PROVINCE_ROWS_2025, PROVINCE_ROWS_PRE2025 } from './provinces.data.js';
import { foldKey } from './text.js';

/** 'municipality' = thành phố trực thuộc trung ương; 'province' = tỉnh. */
export type ProvinceType = 'municipality' | 'province';

/** A province (or centrally-run city) as of 1 July 2025. `code` is the 2-digit GSO code. */
export interface Province {
  readonly code: string;
  /** Short Vietnamese name, as used in speech and on forms: "Hồ Chí Minh". */
  readonly name: string;
  /** Official name with its type: "Thành phố Hồ Chí Minh", "Tỉnh Tuyên Quang". */
  readonly fullName: string;
  readonly type: ProvinceType;
  /** Short name without diacritics: "Ho Chi Minh". */
  readonly nameAscii: string;
  /** Name in English text: "Ho Chi Minh City", "Hanoi", else the ASCII name. */
  readonly nameEn: string;
  /** GSO codes of the pre-2025 provinces merged into this one (itself included when it kept its code). */
  readonly mergedFrom: readonly string[];
}

/** One of the 63 provinces before 1 July 2025, with the 2025 province that took it over. */
export interface FormerProvince {
  readonly code: string;
  readonly name: string;
  readonly fullName: string;
  readonly type: ProvinceType;
  readonly nameAscii: string;
  /** GSO code of the 2025 province it became part of. */
  readonly successorCode: string;
}

function fullNameOf(name: string, type: ProvinceType): string {
  return (type === 'municipality' ? 'Thành phố ' : 'Tỉnh ') + name;
}

export const FORMER_PROVINCES: readonly FormerProvince[] = Object.freeze(
  PROVINCE_ROWS_PRE2025.map(([code, name, type, nameAscii, successorCode]) =>
    Object.freeze({ code, name, fullName: fullNameOf(name, type), type, nameAscii, successorCode }),
  ),
);

export const PROVINCES: readonly Province[] = Object.freeze(
  PROVINCE_ROWS_2025.map(([code, name, type, nameAscii, nameEn]) =>
    Object.freeze({
      code,
      name,
      fullName: fullNameOf(name, type),
      type,
      nameAscii,
      nameEn,
      mergedFrom: Object.freeze(FORMER_PROVINCES.filter((p) => p.successorCode === code).map((p) => p.code)),
    }),
  ),
);

const byCode = new Map(PROVINCES.map((p) => [p.code, p]));
const formerByCode = new Map(FORMER_PROVINCES.map((p) => [p.code, p]));

/** The 63→34 crosswalk as a plain map: pre-2025 GSO code → 2025 GSO code. */
export const PROVINCE_CROSSWALK: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(FORMER_PROVINCES.map((p) => [p.code, p.successorCode])),
);

/** The 2025 province with this GSO code, or undefined. Accepts "8" for "08". */
export function findProvince(code: string): Province | undefined {
  return byCode.get(normaliseCode(code));
}

/** The 2025 province with this GSO code; throws when there is none. */
export function getProvince(code: string): Province {
  const p = findProvince(code);
  if (!p) throw new RangeError(`No province has GSO code "${code}" (2025 codes: ${[...byCode.keys()].join(', ')})`);
  return p;
}

/** The pre-2025 province with this GSO code, or undefined. */
export function findFormerProvince(code: string): FormerProvince | undefined {
  return formerByCode.get(normaliseCode(code));
}

/** The 2025 province that a pre-2025 province code now belongs to ("02" Hà Giang → "08" Tuyên Quang). */
export function provinceFor2025(oldCode: string): Province | undefined {
  const former = findFormerProvince(oldCode);
  return former ? byCode.get(former.successorCode) : undefined;
}

export function isProvinceCode(code: string): boolean {
  return byCode.has(code);
}

function normaliseCode(code: string): string {
  const c = code.trim();
  return /^\d$/.test(c) ? '0' + c : c;
}

// Prefixes people put before a province's name, folded: "Tỉnh", "Thành phố", "TP.", "T.".
const PREFIX = /^(?:tinh|thanh pho|tp|t p|t)\s+/;

// Other names in common use, folded, for the names' own province (2025 codes).
const ALIASES: Readonly<Record<string, string>> = {
  hcm: '79',
  hcmc: '79',
  tphcm: '79',
  'sai gon': '79',
  saigon: '79',
  'ho chi minh city': '79',
  hanoi: '01',
  haiphong: '31',
  danang: '48',
  'thua thien hue': '46',
  'thua thien': '46',
};

function keysOf(...names: string[]): string[] {
  return names.map(foldKey);
}

const nameIndex = new Map<string, Province>();
for (const p of PROVINCES) for (const k of keysOf(p.name, p.nameAscii, p.nameEn, p.fullName)) nameIndex.set(k, p);
for (const [alias, code] of Object.entries(ALIASES)) nameIndex.set(alias, byCode.get(code)!);

const formerIndex = new Map<string, FormerProvince>();
for (const p of FORMER_PROVINCES) for (const k of keysOf(p.name, p.nameAscii, p.fullName)) formerIndex.set(k, p);
formerIndex.set('thua thien hue', formerByCode.get('46')!);

function candidates(text: string): string[] {
  const k = foldKey(text);
  const stripped = k.replace(PREFIX, '');
  return stripped === k ? [k] : [k, stripped];
}

/**
 * The 2025 province a name designates: with or without diacritics, any case, with or without
 * "Tỉnh"/"Thành phố"/"TP." in front ("tuyen quang", "TỈNH TUYÊN QUANG", "TP.HCM"). Names of the
 * pre-2025 provinces that no longer exist are not matched here (see `findFormerProvinceByName`).
 */
export function findProvinceByName(text: string): Province | undefined {
  for (const k of candidates(text)) {
    const p = nameIndex.get(k);
    if (p) return p;
  }
  return undefined;
}

/** The pre-2025 province a name designates ("Hà Giang", "ba ria vung tau"); same folding as above. */
export function findFormerProvinceByName(text: string): FormerProvince | undefined {
  for (const k of candidates(text)) {
    const p = formerIndex.get(k);
    if (p) return p;
  }
  return undefined;
}

/**
 * The 2025 province for a name that may be either current or pre-2025 ("Hà Giang" → Tuyên Quang):
 * what an importer of old records wants.
 */
export function resolveProvinceName(text: string): Province | undefined {
  const current = findProvinceByName(text);
  if (current) return current;
  const former = findFormerProvinceByName(text);
  return former ? byCode.get(former.successorCode) : undefined;
}
