/**
 * Normalisers: every raw value a record can carry, brought to one comparable form. Pure functions;
 * each returns `undefined` when nothing usable is left, so "missing" is never confused with "different".
 */
import { digitsOf, foldText, foldTokens } from './text.js';

// ---------------------------------------------------------------- person names

/**
 * The common Vietnamese family names (folded). Used only to tell name order: "Hùng Nguyễn" (given
 * family) from "Nguyễn Văn Hùng" (family middle given). Not exhaustive, and need not be.
 */
const VN_FAMILY = new Set([
  'nguyen', 'tran', 'le', 'pham', 'hoang', 'huynh', 'phan', 'vu', 'vo', 'dang', 'bui', 'do', 'ho', 'ngo',
  'duong', 'ly', 'dao', 'dinh', 'doan', 'lam', 'mai', 'trinh', 'truong', 'luong', 'luu', 'ha', 'cao',
  'chu', 'ta', 'thai', 'tong', 'quach', 'lai', 'kieu', 'khuc', 'la', 'lu', 'lo', 'trieu', 'vuong', 'tang',
  'thach', 'nong', 'hua', 'giang', 'au', 'dam', 'tat', 'to', 'mac', 'phung',
]);

/** Family names written two ways in different regions (Hoàng in the north is Huỳnh in the south). */
const FAMILY_VARIANTS: Readonly<Record<string, string>> = { huynh: 'hoang', vo: 'vu', vuong: 'vu', du: 'duong' };

/** Given-name spellings and nicknames that mean the same name (folded). */
const GIVEN_VARIANTS: Readonly<Record<string, string>> = {
  // Vietnamese: y/i spellings, common no-diacritic typing slips
  thuy: 'thuy', thuyy: 'thuy', huy: 'huy', ky: 'ki', ly: 'li', my: 'mi', sy: 'si', ty: 'ti', vy: 'vi', quy: 'qui',
  ngoc: 'ngoc', ngok: 'ngoc', phuong: 'phuong', fuong: 'phuong', duc: 'duc', dukc: 'duc',
  // English nicknames (held-out sets and foreign subjects)
  bill: 'william', will: 'william', liam: 'william', bob: 'robert', rob: 'robert', bobby: 'robert',
  dick: 'richard', rick: 'richard', rich: 'richard', jim: 'james', jimmy: 'james', jamie: 'james',
  mike: 'michael', mick: 'michael', tom: 'thomas', tommy: 'thomas', tony: 'anthony', dave: 'david',
  dan: 'daniel', danny: 'daniel', joe: 'joseph', joey: 'joseph', chris: 'christopher', matt: 'matthew',
  nick: 'nicholas', alex: 'alexander', sam: 'samuel', ben: 'benjamin', ted: 'edward', ed: 'edward',
  kate: 'katherine', katie: 'katherine', kathy: 'katherine', cathy: 'catherine', liz: 'elizabeth',
  beth: 'elizabeth', betty: 'elizabeth', jen: 'jennifer', jenny: 'jennifer', peggy: 'margaret',
  maggie: 'margaret', meg: 'margaret', sue: 'susan', susie: 'susan', becky: 'rebecca', abby: 'abigail',
};

/** Honorifics dropped from full names. Vietnamese ones ("ông", "bà") are also names, so only at the start of 3+ words. */
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir']);
const VN_TITLES = new Set(['ong', 'ba', 'anh', 'chi', 'co']);

export interface PersonName {
  family?: string;
  middle?: string;
  given?: string;
  /** Every name word, folded, in family-middle-given order. */
  full: string;
}

export const canonicalGiven = (g: string): string => GIVEN_VARIANTS[g] ?? g;
export const canonicalFamily = (f: string): string => FAMILY_VARIANTS[f] ?? f;

/**
 * Brings a name to family / middle / given parts. With separate columns they are used as given (a
 * multi-word given column such as "Văn Hùng" keeps its last word as the given name and the rest as
 * middle). A full name alone is read family-first ("Nguyễn Văn Hùng"), unless its last word is a
 * Vietnamese family name and its first is not ("Hùng Nguyễn").
 */
export function normalizePersonName(input: { givenName?: string; familyName?: string; fullName?: string }): PersonName | undefined {
  let family: string[] = input.familyName ? foldTokens(input.familyName) : [];
  let given: string[] = input.givenName ? foldTokens(input.givenName) : [];
  let middle: string[] = [];
  if (!family.length && !given.length && input.fullName) {
    let words = foldTokens(input.fullName).filter((w) => !TITLES.has(w));
    if (words.length >= 3 && VN_TITLES.has(words[0]!)) words = words.slice(1);
    if (!words.length) return undefined;
    if (words.length === 1) given = words;
    else {
      const lastIsFamily = VN_FAMILY.has(words[words.length - 1]!) && !VN_FAMILY.has(words[0]!);
      // "Hùng Văn Nguyễn" → family nguyen, middle van, given hung
      if (lastIsFamily) words = [words[words.length - 1]!, ...words.slice(1, -1), words[0]!];
      family = [words[0]!];
      given = [words[words.length - 1]!];
      middle = words.slice(1, -1);
    }
  } else {
    given = given.filter((w) => !TITLES.has(w));
    if (given.length > 1) {
      middle = given.slice(0, -1);
      given = given.slice(-1);
    }
  }
  const parts = [...family, ...middle, ...given];
  if (!parts.length) return undefined;
  return {
    ...(family.length ? { family: family.join(' ') } : {}),
    ...(middle.length ? { middle: middle.join(' ') } : {}),
    ...(given.length ? { given: given.join(' ') } : {}),
    full: parts.join(' '),
  };
}

/**
 * American Soundex over folded letters: first letter and three consonant classes ("nguyen" → N250).
 * Vietnamese regional family variants share a key.
 */
export function soundex(word: string): string {
  const w = canonicalFamily(word).replace(/[^a-z]/g, '');
  if (!w) return '';
  const code = (c: string) => 'abcdefghijklmnopqrstuvwxyz'.indexOf(c) >= 0 ? '01230120022455012623010202'[c.charCodeAt(0) - 97]! : '0';
  let out = w[0]!.toUpperCase();
  let last = code(w[0]!);
  for (let i = 1; i < w.length && out.length < 4; i++) {
    const c = w[i]!;
    const k = code(c);
    if (k !== '0' && k !== last) out += k;
    if (c !== 'h' && c !== 'w') last = k;
  }
  return out.padEnd(4, '0');
}

// ---------------------------------------------------------------- companies

/** Legal-form phrases (folded words) and the short form kept as a field. Longest phrases first. */
const LEGAL_FORMS: readonly [string[], string][] = (
  [
    ['cong ty trach nhiem huu han mot thanh vien', 'TNHH MTV'],
    ['cong ty tnhh mot thanh vien', 'TNHH MTV'],
    ['cong ty tnhh mtv', 'TNHH MTV'],
    ['cty tnhh mtv', 'TNHH MTV'],
    ['tnhh mtv', 'TNHH MTV'],
    ['cong ty trach nhiem huu han', 'TNHH'],
    ['trach nhiem huu han', 'TNHH'],
    ['cong ty tnhh', 'TNHH'],
    ['cty tnhh', 'TNHH'],
    ['tnhh', 'TNHH'],
    ['cong ty co phan', 'CP'],
    ['cty co phan', 'CP'],
    ['cong ty cp', 'CP'],
    ['cty cp', 'CP'],
    ['ctcp', 'CP'],
    ['co phan', 'CP'],
    ['cong ty hop danh', 'HD'],
    ['doanh nghiep tu nhan', 'DNTN'],
    ['dntn', 'DNTN'],
    ['hop tac xa', 'HTX'],
    ['htx', 'HTX'],
    ['joint stock company', 'JSC'],
    ['joint stock co', 'JSC'],
    ['jsc', 'JSC'],
    ['company limited', 'LTD'],
    ['co ltd', 'LTD'],
    ['limited', 'LTD'],
    ['ltd', 'LTD'],
    ['corporation', 'CORP'],
    ['corp', 'CORP'],
    ['incorporated', 'INC'],
    ['inc', 'INC'],
    ['llc', 'LLC'],
    ['plc', 'PLC'],
    ['gmbh', 'GMBH'],
    ['cong ty', ''],
    ['cty', ''],
    ['company', ''],
    ['mtv', 'MTV'],
    ['cp', 'CP'],
  ] as [string, string][]
).map(([p, f]) => [p.split(' '), f]);

const AMBIGUOUS_FORMS = new Set(['cp', 'mtv', 'company', 'limited']);

export interface CompanyName {
  /** The name without its legal-form words, folded. */
  name: string;
  /** "TNHH", "TNHH MTV", "CP", "JSC", "LTD", … or undefined when none was written. */
  legalForm?: string;
}

/**
 * "CÔNG TY TNHH MTV Thương mại Hoàng Long" → { name: 'thuong mai hoang long', legalForm: 'TNHH MTV' };
 * "Hoang Long Trading Co., Ltd" → { name: 'hoang long trading', legalForm: 'LTD' }.
 */
export function normalizeCompanyName(raw: string): CompanyName | undefined {
  const words = foldTokens(raw.replace(/&/g, ' and '));
  const kept: string[] = [];
  const forms: string[] = [];
  for (let i = 0; i < words.length; ) {
    const hit = LEGAL_FORMS.find(([p]) => p.every((w, k) => words[i + k] === w));
    // One-word forms that are also name words ("cp", "mtv", "company", "limited") count only at either end.
    const atEdge = kept.length === 0 || (hit !== undefined && i + hit[0].length === words.length);
    if (hit && (hit[0].length > 1 || atEdge || !AMBIGUOUS_FORMS.has(hit[0][0]!))) {
      if (hit[1] && !forms.includes(hit[1])) forms.push(hit[1]);
      i += hit[0].length;
    } else {
      kept.push(words[i]!);
      i++;
    }
  }
  const name = kept.join(' ');
  if (!name) return undefined;
  const legalForm = forms.includes('TNHH') && forms.includes('MTV') ? 'TNHH MTV' : forms.filter((f) => f !== 'MTV' || forms.length === 1).join(' ');
  return { name, ...(legalForm ? { legalForm } : {}) };
}

// ---------------------------------------------------------------- vessels

/** Words written before a ship's name that are not part of it (folded), longest first. */
const VESSEL_PREFIXES: readonly string[][] = [
  'tau ca', 'tau hang', 'tau cho hang', 'tau cho dau', 'tau dau', 'tau keo', 'tau', 'sa lan', 'xa lan', 'ghe',
  'm v', 'mv', 'm t', 'mt', 'm s', 'ms', 'f v', 'fv', 's s', 'ss',
]
  .map((p) => p.split(' '))
  .sort((a, b) => b.length - a.length);

/**
 * A vessel's name without the words that say it is a vessel: "Tàu cá BĐ-97459-TS" → "bd 97459 ts",
 * "M/V Hai Phong Star" → "hai phong star", "MV. PACIFIC EXPRESS" → "pacific express". Prefixes are
 * stripped only at the start (repeatedly: "Tàu MV …"), and never when nothing would be left.
 */
export function normalizeVesselName(raw: string): string | undefined {
  const words = foldTokens(raw);
  let i = 0;
  for (;;) {
    const hit = VESSEL_PREFIXES.find((p) => p.every((w, k) => words[i + k] === w));
    if (!hit || i + hit.length >= words.length) break;
    i += hit.length;
  }
  const name = words.slice(i).join(' ');
  return name || undefined;
}

// ---------------------------------------------------------------- identifiers

export interface TaxCode {
  /** 10 digits, or 13 for a branch ("0101234567-001" → "0101234567001"). */
  code: string;
  /** The enterprise's 10 digits (a branch shares them with its head office). */
  enterprise: string;
  valid: boolean;
}

export function normalizeTaxCodeValue(raw: string): TaxCode | undefined {
  const d = digitsOf(raw);
  if (!d) return undefined;
  return { code: d, enterprise: d.slice(0, 10), valid: d.length === 10 || d.length === 13 };
}

/** CCCD (12 digits) or the older CMND (9 digits); other lengths are kept but not `valid`. */
export function normalizeIdNumber(raw: string): { value: string; valid: boolean } | undefined {
  const compact = foldText(raw).replace(/[\s.\-/]/g, '');
  if (!compact) return undefined;
  const d = digitsOf(compact);
  if (d.length === compact.length) return { value: d, valid: d.length === 12 || d.length === 9 };
  return { value: compact.toUpperCase(), valid: false }; // passports: letters and digits
}

/**
 * The part of a phone number that survives every written form: extension dropped ("x8411", "ext 12"),
 * +84/0084/0 prefixes folded, then the last 9 digits (a Vietnamese subscriber number without its 0).
 */
export function phoneSignificant(raw: string): string | undefined {
  const main = raw.toLowerCase().split(/x|ext|#|máy lẻ|may le/)[0] ?? '';
  const d = digitsOf(main);
  if (d.length < 6) return undefined;
  return d.slice(-9);
}

// ---------------------------------------------------------------- dates

/**
 * Parses a date written in `format` (tokens yyyy, yy, MM, M, dd, d; anything else is a literal that
 * must match loosely: any non-digit). Without a format: yyyy-MM-dd, yyyyMMdd, then dd/MM/yyyy (the
 * Vietnamese order). Returns `yyyymmdd`, or undefined when the value is no valid date.
 */
export function parseDate(raw: string, format?: string): string | undefined {
  const s = raw.trim();
  if (!s) return undefined;
  if (!format) {
    return (
      parseDate(s, 'yyyy-MM-dd') ?? (/^\d{8}$/.test(s) ? parseDate(s, 'yyyyMMdd') : undefined) ?? parseDate(s, 'd/M/yyyy')
    );
  }
  const tokens = format.match(/yyyy|yy|MM|M|dd|d|[^yMd]+/g) ?? [];
  let rest = s;
  let y: number | undefined;
  let m: number | undefined;
  let d: number | undefined;
  for (const t of tokens) {
    let match: RegExpMatchArray | null;
    if (t === 'yyyy') match = rest.match(/^\d{4}/);
    else if (t === 'yy') match = rest.match(/^\d{2}/);
    else if (t === 'MM' || t === 'dd') match = rest.match(/^\d{2}/);
    else if (t === 'M' || t === 'd') match = rest.match(/^\d{1,2}/);
    else match = rest.match(/^\D+/);
    if (!match) return undefined;
    const v = Number(match[0]);
    if (t === 'yyyy') y = v;
    else if (t === 'yy') y = v + (v >= 30 ? 1900 : 2000);
    else if (t === 'MM' || t === 'M') m = v;
    else if (t === 'dd' || t === 'd') d = v;
    rest = rest.slice(match[0].length);
  }
  if (rest.trim() || y === undefined || m === undefined || d === undefined) return undefined;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000) return undefined;
  return `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- addresses

/** Abbreviations written in Vietnamese (and some English) addresses, expanded to one word each. */
const ADDRESS_ABBREVIATIONS: Readonly<Record<string, string>> = {
  p: 'phuong', ph: 'phuong', q: 'quan', tp: 'thanhpho', thanh_pho: 'thanhpho', tx: 'thixa', tt: 'thitran',
  h: 'huyen', x: 'xa', kp: 'khupho', 'to': 'to', ap: 'ap', st: 'street', rd: 'road', ave: 'avenue', av: 'avenue',
  dr: 'drive', cres: 'crescent', pl: 'place', ct: 'court', hwy: 'highway', apt: 'apartment', ste: 'suite',
};

/** Address words, folded, abbreviations expanded ("P. Bến Nghé, Q.1, TP.HCM" → phuong ben nghe quan 1 thanhpho hcm). */
export function addressTokens(raw: string): string[] {
  const words = foldTokens(raw.replace(/\b(tp|p|q|h|x|tx|tt)\.(?=\S)/gi, '$1 '));
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'thanh' && words[i + 1] === 'pho') {
      out.push('thanhpho');
      i++;
    } else out.push(ADDRESS_ABBREVIATIONS[w] ?? w);
  }
  return out;
}
