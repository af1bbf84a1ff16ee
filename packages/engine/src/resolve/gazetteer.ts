/**
 * Vietnamese addresses read against the reference data: which province (2025 GSO code) and which ward
 * (2025 ward code) an address names, and what is left (house number, street, hamlet…) once they are
 * taken out. The engine reads no database and no file: the caller builds the gazetteer from the
 * reference tables (`ref_wards`, `ref_wards_pre2025`, `ref_ward_crosswalk` and the 34 / 63 provinces
 * of `@cordon/reference`) or from the published CSV files, and passes it in (`ResolveOptions.gazetteer`).
 *
 *   "Số 12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh" → province 79, ward 26743, rest "so 12 le loi"
 *   "xa Tan Thanh, huyen Van Lang, Lang Son"           → province 20, ward 06445 (district dropped)
 *   "P. Phạm Ngũ Lão, Q.1, TP.HCM" (a pre-2025 ward)   → province 79, ward 26743 (through the crosswalk)
 *
 * Names before 1 July 2025 are read too: a former province becomes the 2025 province that took it over;
 * a former ward becomes its 2025 ward when the crosswalk gives one (a ward split between several new
 * ones, or a name several former wards of the province shared, gives the province only). When a 2025
 * ward of the province has the name, it wins over former wards of that name.
 */
import { addressTokens } from './normalize.js';
import { foldTokens } from './text.js';

export interface GazetteerInput {
  /** The 34 provinces (2025): GSO code and name ("79", "Hồ Chí Minh"); `aliases` such as "TPHCM", "Sài Gòn". */
  provinces: readonly { code: string; name: string; aliases?: readonly string[] }[];
  /** The 63 provinces before 2025 with the 2025 province that took each over. */
  formerProvinces?: readonly { code: string; name: string; successorCode: string }[];
  /** Wards, communes and special zones from 1 July 2025, names with their type ("Phường Bến Thành"). */
  wards?: readonly { code: string; name: string; provinceCode: string }[];
  /** Commune-level units before 2025 (province codes are pre-2025 codes). */
  formerWards?: readonly { code: string; name: string; provinceCode: string }[];
  /** Former ward → 2025 ward (one row per new ward when a former ward was split). */
  wardCrosswalk?: readonly { oldCode: string; newCode: string }[];
}

export interface AddressParts {
  /** 2025 GSO province code. */
  province?: string;
  /** 2025 ward code, when the address names one ward unambiguously. */
  ward?: string;
  /** The other words of the address (folded, abbreviations expanded), in order. */
  rest: string[];
}

export interface Gazetteer {
  parse(address: string): AddressParts;
  /** What it knows (for messages): provinces and ward names indexed. */
  readonly size: { provinces: number; wards: number; formerWards: number };
}

/** Words that name a ward's type, folded and as `addressTokens` writes them (longest first). */
const WARD_TYPES: readonly (readonly [string[], string])[] = [
  [['thi', 'tran'], 'thitran'],
  [['dac', 'khu'], 'dackhu'],
  [['thitran'], 'thitran'],
  [['phuong'], 'phuong'],
  [['xa'], 'xa'],
];
/** District-level words (no such tier since 2025): the district is dropped from the rest. */
const DISTRICT_TYPES: readonly string[][] = [['thi', 'xa'], ['thixa'], ['quan'], ['huyen'], ['thanhpho']];
/** Words that, just before a name, say it is not the province (a street "Hải Phòng", a ward "Phường Hà Nội"). */
const NOT_PROVINCE_BEFORE = new Set(['phuong', 'xa', 'quan', 'huyen', 'thitran', 'thixa', 'duong', 'pho', 'ap', 'khupho', 'thon', 'to', 'so', 'street', 'road', 'ngo', 'hem', 'kiet']);
const PROVINCE_PREFIX = new Set(['tinh', 'thanhpho']);
const COUNTRY = new Set(['viet nam', 'vietnam', 'vn']);
const BUILT_IN_ALIASES: Readonly<Record<string, string>> = { hcm: '79', tphcm: '79', 'sai gon': '79', saigon: '79', 'hn': '01', 'tp hn': '01' };

const startsWith = (tokens: readonly string[], at: number, words: readonly string[]) => words.every((w, k) => tokens[at + k] === w);

/** Ward type and base name: "Phường 01" → ['phuong', '1'], "Xã Tân Thành" → ['xa', 'tan thanh']. */
function splitWardName(name: string): [string | undefined, string] {
  const t = foldTokens(name);
  for (const [words, type] of WARD_TYPES) if (startsWith(t, 0, words) && t.length > words.length) return [type, baseOf(t.slice(words.length))];
  return [undefined, baseOf(t)];
}

/** Numbers without leading zeros ("Phường 01" and "P.1" are one ward). */
const baseOf = (tokens: readonly string[]) => tokens.map((w) => (/^\d+$/.test(w) ? String(Number(w)) : w)).join(' ');

interface WardEntry {
  type: string | undefined;
  /** 2025 ward codes this name may mean. */
  codes: string[];
  current: boolean;
}

export function buildGazetteer(input: GazetteerInput): Gazetteer {
  const provinceByName = new Map<string, string>();
  const addProvince = (name: string, code: string) => {
    const key = foldTokens(name).join(' ');
    if (key && !provinceByName.has(key)) provinceByName.set(key, code);
  };
  for (const p of input.provinces) {
    addProvince(p.name, p.code);
    for (const a of p.aliases ?? []) addProvince(a, p.code);
  }
  for (const p of input.formerProvinces ?? []) addProvince(p.name, p.successorCode);
  const known = new Set(input.provinces.map((p) => p.code));
  for (const [alias, code] of Object.entries(BUILT_IN_ALIASES)) if (known.has(code) && !provinceByName.has(alias)) provinceByName.set(alias, code);
  const longestProvince = Math.max(1, ...[...provinceByName.keys()].map((k) => k.split(' ').length));

  // ward names per 2025 province ("79|ben thanh"), and nationwide (2025 names only) for addresses without a province
  const wards = new Map<string, WardEntry[]>();
  const national = new Map<string, { province: string; code: string; type: string | undefined }[]>();
  const add = (key: string, e: WardEntry) => {
    const list = wards.get(key);
    if (list) list.push(e);
    else wards.set(key, [e]);
  };
  const provinceOfWard = new Map<string, string>();
  for (const w of input.wards ?? []) {
    const [type, base] = splitWardName(w.name);
    if (!base) continue;
    provinceOfWard.set(w.code, w.provinceCode);
    add(`${w.provinceCode}|${base}`, { type, codes: [w.code], current: true });
    const list = national.get(base) ?? [];
    list.push({ province: w.provinceCode, code: w.code, type });
    national.set(base, list);
  }
  const successor = new Map((input.formerProvinces ?? []).map((p) => [p.code, p.successorCode]));
  const newCodes = new Map<string, string[]>();
  for (const { oldCode, newCode } of input.wardCrosswalk ?? []) {
    const list = newCodes.get(oldCode);
    if (list) list.push(newCode);
    else newCodes.set(oldCode, [newCode]);
  }
  let formerCount = 0;
  for (const w of input.formerWards ?? []) {
    const [type, base] = splitWardName(w.name);
    const province = successor.get(w.provinceCode) ?? w.provinceCode;
    const codes = newCodes.get(w.code) ?? (provinceOfWard.has(w.code) ? [w.code] : []);
    if (!base || !codes.length) continue;
    formerCount++;
    add(`${province}|${base}`, { type, codes, current: false });
  }

  /** The one 2025 ward a name means in a province, or undefined (unknown or ambiguous). */
  const wardIn = (province: string, base: string, type: string | undefined): string | undefined => {
    const entries = wards.get(`${province}|${base}`);
    if (!entries) return undefined;
    for (const current of [true, false]) {
      const tier = entries.filter((e) => e.current === current);
      if (!tier.length) continue;
      const typed = type ? tier.filter((e) => e.type === type) : [];
      const codes = new Set((typed.length ? typed : tier).flatMap((e) => e.codes));
      return codes.size === 1 ? [...codes][0] : undefined;
    }
    return undefined;
  };

  const provinceAt = (tokens: readonly string[], from: number, to: number): string | undefined => provinceByName.get(tokens.slice(from, to).join(' '));

  function parse(address: string): AddressParts {
    // segments as written (commas, semicolons; not " - ": "Bà Rịa - Vũng Tàu" is one name), each as address words
    const segments = address
      .split(/[,;\n]/)
      .map((s) => addressTokens(s))
      .filter((t) => t.length > 0);
    while (segments.length && COUNTRY.has(segments[segments.length - 1]!.join(' '))) segments.pop();
    const used = segments.map((s) => new Array<boolean>(s.length).fill(false));
    let province: string | undefined;

    // 1. the province: the last segment that is one ("Lạng Sơn", "Tỉnh Lạng Sơn", "TP.HCM"), else the
    //    last words of the last segment ("… Bến Thành Hồ Chí Minh")
    const last = segments.length - 1;
    if (last >= 0) {
      const t = segments[last]!;
      const from = PROVINCE_PREFIX.has(t[0]!) && t.length > 1 ? 1 : 0;
      const code = provinceAt(t, from, t.length);
      if (code) {
        province = code;
        used[last]!.fill(true);
      }
      for (let len = Math.min(longestProvince, t.length - 1); len >= 1 && !province; len--) {
        const start = t.length - len;
        const c = provinceAt(t, start, t.length);
        if (!c || NOT_PROVINCE_BEFORE.has(t[start - 1]!)) continue;
        province = c;
        used[last]!.fill(true, start);
        if (PROVINCE_PREFIX.has(t[start - 1]!)) used[last]![start - 1] = true;
      }
    }

    // 2. districts (no such tier since 2025): a segment after the first that starts with quận / huyện /
    //    thị xã / thành phố is dropped from the rest
    for (let s = 1; s < segments.length; s++) {
      const t = segments[s]!;
      if (!used[s]!.some(Boolean) && DISTRICT_TYPES.some((d) => startsWith(t, 0, d) && t.length > d.length)) used[s]!.fill(true);
    }

    // 3. the ward: a ward-type word followed by a ward's name (longest first), else a whole segment
    //    after the first that is a ward's name
    let ward: string | undefined;
    let wardProvince: string | undefined;
    const lookup = (base: string, type: string | undefined): [string, string] | undefined => {
      if (province) {
        const code = wardIn(province, base, type);
        return code ? [code, province] : undefined;
      }
      // no province written: a 2025 ward name (with its type) found in one province only
      const hits = (national.get(base) ?? []).filter((h) => !type || h.type === type);
      return hits.length === 1 ? [hits[0]!.code, hits[0]!.province] : undefined;
    };
    for (let s = 0; s < segments.length && !ward; s++) {
      const t = segments[s]!;
      for (let i = 0; i < t.length && !ward; i++) {
        if (used[s]![i]) continue;
        const typeHit = WARD_TYPES.find(([words]) => startsWith(t, i, words));
        if (!typeHit) continue;
        const after = i + typeHit[0].length;
        for (let end = t.length; end > after && !ward; end--) {
          if (used[s]!.slice(after, end).some(Boolean)) continue;
          const hit = lookup(baseOf(t.slice(after, end)), typeHit[1]);
          if (hit) {
            [ward, wardProvince] = hit;
            used[s]!.fill(true, i, end);
          }
        }
      }
    }
    for (let s = 1; s < segments.length && !ward && province; s++) {
      if (used[s]!.some(Boolean)) continue;
      const hit = lookup(baseOf(segments[s]!), undefined);
      if (hit) {
        [ward, wardProvince] = hit;
        used[s]!.fill(true);
      }
    }

    const rest: string[] = [];
    segments.forEach((t, s) => t.forEach((w, i) => !used[s]![i] && rest.push(w)));
    const p = province ?? wardProvince;
    return { ...(p ? { province: p } : {}), ...(ward ? { ward } : {}), rest };
  }

  return { parse, size: { provinces: provinceByName.size, wards: input.wards?.length ?? 0, formerWards: formerCount } };
}
