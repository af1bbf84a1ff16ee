/**
 * What is compared for each kind of subject: the prepared (normalised) record, its comparison fields
 * with their agreement levels, its blocking keys and its exact identifiers.
 */
import { bigramCodes, dateSimilarity, diceCodes, jaroWinkler, levenshtein, sameCharacters, withinOneEdit, WordSimilarities } from './compare.js';
import type { Gazetteer } from './gazetteer.js';
import type { EntityKind, EntityRecord } from './mapping.js';
import {
  addressTokens,
  canonicalFamily,
  canonicalGiven,
  normalizeCompanyName,
  normalizeIdNumber,
  normalizePersonName,
  normalizeTaxCodeValue,
  normalizeVesselName,
  parseDate,
  phoneSignificant,
  soundex,
} from './normalize.js';
import { normalizeImo, normalizePlate } from './identifiers.js';
import { digitsOf, foldText } from './text.js';

export interface PreparedRecord {
  id: string;
  source: number;
  family?: string;
  given?: string;
  middle?: string;
  /**
   * `family`, `given` and `middle` as codes of `words` (−1: missing), set by `codeNames` for a whole
   * file: the comparator then compares integers and remembers Jaro–Winkler per code pair.
   */
  familyCode?: number;
  givenCode?: number;
  middleCode?: number;
  words?: WordSimilarities;
  /** Full name or company name, folded. */
  name?: string;
  legalForm?: string;
  /** `yyyymmdd` when the date parsed, else its digits (still compared, by edits). */
  dob?: string;
  /** `dob` as an integer when it has 8 digits (compared by arithmetic, see `dateLevelOf`); −1 none, −2 other. */
  dobCode?: number;
  idNumber?: string;
  phone?: string;
  taxCode?: string;
  taxEnterprise?: string;
  plate?: string;
  /** Vessels: the IMO number's digits as written (a linking key only with a valid check digit). */
  imo?: string;
  /** Vessels: the national registration number, letters and digits ("QN90123TS"). */
  registration?: string;
  address?: string;
  /** With a gazetteer: the address's province (2025 GSO code) and ward (2025 ward code), when named. */
  province?: string;
  ward?: string;
  /** Bigrams of the address words in sorted order, coded and sorted (`bigramCodes`). */
  addressGrams?: Int32Array;
  /** `address` as an integer (equal addresses, equal codes; −1 none or not coded), set by `codeRecords`. */
  addressCode?: number;
  /**
   * `exactKeys` as integers, and `distinctKeys` as integers with the code of their kind (the text before
   * ':'), set by `codeRecords`: the identifier check on every candidate pair compares numbers.
   */
  exactCodes?: number[];
  distinctCodes?: number[];
  distinctKinds?: number[];
  /**
   * The first of each held in the record itself (−1: none), and whether there are more: persons and
   * companies hold at most one of each, so the check reads no array.
   */
  exact0?: number;
  distinct0?: number;
  distinctKind0?: number;
  manyKeys?: boolean;
  /** Identifiers valid enough to link on sight ("ID:001089012345", "TAX:0101234567"). */
  exactKeys: string[];
  /**
   * Identifiers one entity has only one of ("CCCD:…", "CMND:…", "TAX:<enterprise>", "PLATE:…"): two
   * records with different values of one kind are different entities (cannot-link).
   */
  distinctKeys: string[];
}

/** One comparison field: its agreement levels, best first ("exact", "close", …, "different"). */
export interface FieldSpec {
  name: string;
  levels: readonly string[];
  show(r: PreparedRecord): string | undefined;
  /**
   * The value whose equality is the exact level, when that is not `show` (default: `show`): u of the
   * exact level is counted from pairs with equal values (see `PopulationCounts`), while `show` says
   * which pairs hold the field at all.
   */
  exactValue?(r: PreparedRecord): string | undefined;
}

export interface BlockingKey {
  /** Records sharing `group` are compared (all pairs in small groups, a sliding window in large ones). */
  group: string;
  /** Order inside a group for the sliding window. */
  sort: string;
}

/**
 * A blocking key as `candidatePairs` takes it when the model can give it coded: the key type ("n",
 * "gy", …) apart, and the group as an integer where the value allows — no string built per record,
 * faster hashing (a million records give ~9 million keys). One-to-one with `blockingKeys`' strings
 * within a type, so both give the same groups (the stored keys of the subjects sync are the strings).
 */
export interface CodedBlockingKey {
  type: string;
  group: string | number;
  sort: string;
}

/** Soundex "N250" as an integer (letter · 1000 + digits), 0 for none: one-to-one on Soundex codes. */
function soundexCode(word: string): number {
  const s = soundex(word);
  return s ? (s.charCodeAt(0) - 64) * 1000 + Number(s.slice(1)) : 0;
}

/** A string of up to 15 digits as an integer, one-to-one ("0123" ≠ "123"); else undefined. */
function digitsCode(s: string): number | undefined {
  if (s.length > 15) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number('1' + s);
}

export interface KindModel {
  kind: EntityKind;
  fields: readonly FieldSpec[];
  /** Writes each field's level (0 = best) or −1 (missing on either side) into `out`. */
  compare(a: PreparedRecord, b: PreparedRecord, out: Int8Array): void;
  blockingKeys(r: PreparedRecord): BlockingKey[];
  /** The same keys coded (see `CodedBlockingKey`); `candidatePairs` prefers these when present. */
  codedBlockingKeys?(r: PreparedRecord): CodedBlockingKey[];
  /**
   * Fields whose exact agreement is worth more for rare values than for common ones (term-frequency
   * adjustment): agreeing on "Nguyễn" says less than agreeing on "Đàm".
   */
  termFrequencyFields?: readonly { field: number; value(r: PreparedRecord): string | undefined }[];
  /**
   * Pairs of term-frequency fields (indexes into `termFrequencyFields`) whose values go together: when
   * both agree exactly, the evidence is corrected by log2(p(a)·p(b) / p(a, b)) — a middle and a given
   * name chosen as one ("Lan Khuê") are one name's worth of evidence, not two.
   */
  termFrequencyJoint?: readonly (readonly [number, number])[];
}

export function prepareRecord(kind: EntityKind, r: EntityRecord, dobFormat?: string, gazetteer?: Gazetteer): PreparedRecord {
  const v = r.values;
  // Every property set here, in one order, on every record: records then share one hidden class and
  // the comparator's property reads stay monomorphic (with properties added only when present, the
  // records of a file took dozens of shapes and every read in the compare loop went megamorphic).
  const p: PreparedRecord = {
    id: r.id,
    source: r.source,
    family: undefined,
    given: undefined,
    middle: undefined,
    familyCode: -1,
    givenCode: -1,
    middleCode: -1,
    words: undefined,
    name: undefined,
    legalForm: undefined,
    dob: undefined,
    dobCode: -1,
    idNumber: undefined,
    phone: undefined,
    taxCode: undefined,
    taxEnterprise: undefined,
    plate: undefined,
    imo: undefined,
    registration: undefined,
    address: undefined,
    province: undefined,
    ward: undefined,
    addressGrams: undefined,
    addressCode: -1,
    exactKeys: [],
    distinctKeys: [],
    exactCodes: undefined,
    distinctCodes: undefined,
    distinctKinds: undefined,
    exact0: -1,
    distinct0: -1,
    distinctKind0: -1,
    manyKeys: false,
  };
  if (kind === 'person') {
    const name = normalizePersonName({ givenName: v.givenName, familyName: v.familyName, fullName: v.fullName });
    if (name) {
      if (name.family) p.family = canonicalFamily(name.family);
      if (name.given) p.given = canonicalGiven(name.given);
      if (name.middle) p.middle = name.middle;
      p.name = name.full;
    }
    if (v.dob) {
      const d = parseDate(v.dob, dobFormat) ?? parseMonthFirst(v.dob, dobFormat) ?? digitsOf(v.dob);
      if (d) {
        p.dob = d;
        p.dobCode = d.length === 8 ? Number(d) : -2;
      }
    }
    if (v.idNumber) {
      const id = normalizeIdNumber(v.idNumber);
      if (id) {
        p.idNumber = id.value;
        if (id.valid) {
          p.exactKeys.push(`ID:${id.value}`);
          // a person may hold an old 9-digit CMND and a 12-digit CCCD: one of each kind
          p.distinctKeys.push(`${id.value.length === 12 ? 'CCCD' : 'CMND'}:${id.value}`);
        }
      }
    }
    if (v.phone) p.phone = phoneSignificant(v.phone);
  } else if (kind === 'company') {
    const c = v.name ? normalizeCompanyName(v.name) : undefined;
    if (c) {
      p.name = c.name;
      if (c.legalForm) p.legalForm = c.legalForm;
    }
    if (v.taxCode) {
      const t = normalizeTaxCodeValue(v.taxCode);
      if (t) {
        p.taxCode = t.code;
        p.taxEnterprise = t.enterprise;
        if (t.valid) {
          p.exactKeys.push(`TAX:${t.code}`);
          // branches (13 digits) of one enterprise are not in conflict with it or with each other
          p.distinctKeys.push(`TAX:${t.enterprise}`);
        }
      }
    }
  } else if (kind === 'vessel') {
    if (v.name) {
      const name = normalizeVesselName(v.name);
      if (name) p.name = name;
    }
    if (v.imo) {
      // kept as written (digits, else folded text) so a mistyped IMO still counts as a near match
      const imo = digitsOf(v.imo) || foldText(v.imo);
      if (imo) p.imo = imo;
      const valid = normalizeImo(v.imo);
      if (valid) {
        p.exactKeys.push(`IMO:${valid}`);
        p.distinctKeys.push(`IMO:${valid}`);
      }
    }
    if (v.registration) {
      const reg = normalizePlate(v.registration);
      if (reg) {
        p.registration = reg;
        if (reg.length >= 6) {
          p.exactKeys.push(`REG:${reg}`);
          p.distinctKeys.push(`REG:${reg}`);
        }
      }
    }
  } else if (v.plate) {
    const plate = normalizePlate(v.plate);
    if (plate) {
      p.plate = plate;
      if (plate.length >= 6) {
        p.exactKeys.push(`PLATE:${plate}`);
        p.distinctKeys.push(`PLATE:${plate}`);
      }
    }
  }
  if (v.address) {
    let t: string[];
    if (gazetteer) {
      // province and ward are compared on their own (field "area"); the address field compares the rest
      const parts = gazetteer.parse(v.address);
      if (parts.province) p.province = parts.province;
      if (parts.ward) p.ward = parts.ward;
      t = parts.rest;
    } else t = addressTokens(v.address);
    if (t.length) {
      p.address = t.join(' ');
      // Bigrams of the words in sorted order: the same address with its parts in another order compares equal.
      p.addressGrams = bigramCodes([...t].sort().join(' '));
    }
  }
  return p;
}

/**
 * A date the mapping's format cannot read because it was written month first ("11/17/1957" where
 * dd/MM/yyyy was expected: month 17). Read the other way round it is the same date as the agency that
 * wrote it meant; kept as raw digits instead, it disagreed with every copy (measured on generated data:
 * a tenth of the damaged copies, each then weighted −13 bits against).
 */
function parseMonthFirst(raw: string, format: string | undefined): string | undefined {
  const swapped = format ? format.replace(/dd|d|MM|M/g, (t) => ({ dd: 'MM', d: 'M', MM: 'dd', M: 'd' })[t]!) : 'M/d/yyyy';
  return parseDate(raw, swapped);
}

// ------------------------------------------------------------------ level helpers

/** exact, ≥0.92, ≥0.80, below (Jaro–Winkler). */
function nameLevel(sim: number): number {
  return sim >= 1 ? 0 : sim >= 0.92 ? 1 : sim >= 0.8 ? 2 : 3;
}

/** exact, one typo (one edit, or two characters swapped), different. */
export function editLevel(a: string, b: string): number {
  if (a === b) return 0;
  if (withinOneEdit(a, b)) return 1;
  // two adjacent digits swapped is one typing slip too (the full distance only for anagrams: rare)
  return sameCharacters(a, b) && levenshtein(a, b) === 2 ? 1 : 2;
}

function addressLevel(a: PreparedRecord, b: PreparedRecord): number {
  if (!a.addressGrams || !b.addressGrams) return -1;
  // "same" is the same address: u of this level is counted from equal values over the whole file, and
  // "64 Hai Bà Trưng, Phường 16" against "123 Hai Bà Trưng, Phường 6" (Dice 0.9) is another house
  if (a.addressCode! >= 0 && b.addressCode! >= 0 ? a.addressCode === b.addressCode : a.address === b.address) return 0;
  const s = diceCodes(a.addressGrams, b.addressGrams);
  return s >= 0.75 ? 1 : s >= 0.55 ? 2 : 3;
}

function dateLevel(a?: string, b?: string): number {
  if (!a || !b) return -1;
  const s = dateSimilarity(a, b);
  return s >= 1 ? 0 : s >= 0.8 ? 1 : s >= 0.6 ? 2 : 3;
}

/**
 * `dateLevel` of two records, on the integer codes when both dates have 8 digits: the same rule
 * (`dateSimilarity`) digit by digit, without reading the strings — on a large file the compare loop
 * waits on memory, and the date is the field present on most pairs.
 */
function dateLevelOf(a: PreparedRecord, b: PreparedRecord): number {
  const x = a.dobCode!;
  const y = b.dobCode!;
  if (x === -1 || y === -1) return -1;
  if (x < 0 || y < 0) return dateLevel(a.dob, b.dob);
  if (x === y) return 0;
  const yearSame = Math.floor(x / 10000) === Math.floor(y / 10000);
  const mx = Math.floor(x / 100) % 100;
  const my = Math.floor(y / 100) % 100;
  const dx = x % 100;
  const dy = y % 100;
  // day and month swapped, digit for digit (yyyy mm dd against yyyy dd mm)
  if (yearSame && mx === dy && dx === my) return 1;
  let diff = 0;
  for (let u = x, v = y, k = 0; k < 8; k++, u = Math.floor(u / 10), v = Math.floor(v / 10)) if (u % 10 !== v % 10) diff++;
  if (diff <= 1) return 1;
  return (yearSame ? 1 : 0) + (mx === my ? 1 : 0) + (dx === dy ? 1 : 0) >= 2 ? 2 : 3;
}

const sim = (a: string | undefined, b: string | undefined) => (a && b ? jaroWinkler(a, b) : -1);
const lvl = (s: number) => (s < 0 ? -1 : nameLevel(s));
/** `sim` over codes (−1 missing), when both records were coded by one `codeNames`. */
const simCoded = (w: WordSimilarities, x: number, y: number) => (x < 0 || y < 0 ? -1 : w.similarity(x, y));

/**
 * Codes every person's family, given and middle name with one vocabulary shared by the records (one
 * for all three parts: crossed name order compares a family name with a given name).
 */
export function codeNames(records: readonly PreparedRecord[]): WordSimilarities {
  const words = new WordSimilarities();
  for (const r of records) {
    r.familyCode = r.family ? words.code(r.family) : -1;
    r.givenCode = r.given ? words.code(r.given) : -1;
    r.middleCode = r.middle ? words.code(r.middle) : -1;
    r.words = words;
  }
  return words;
}

/**
 * Integer codes for what the compare loop tests for equality on every candidate pair — names (persons),
 * the address, the identifier keys — so it compares numbers held in the record instead of following
 * pointers to strings elsewhere in memory (on a large file the loop waits on memory more than it
 * computes).
 */
export function codeRecords(kind: EntityKind, records: readonly PreparedRecord[]): void {
  if (kind === 'person') codeNames(records);
  // one map per kind of value, so no prefixed string is built per record
  const coder = () => {
    const codes = new Map<string, number>();
    return (s: string) => {
      let c = codes.get(s);
      if (c === undefined) codes.set(s, (c = codes.size));
      return c;
    };
  };
  const address = coder();
  const key = coder();
  const kinds = coder();
  for (const r of records) {
    r.addressCode = r.address !== undefined ? address(r.address) : -1;
    r.exactCodes = r.exactKeys.map(key);
    r.distinctCodes = r.distinctKeys.map(key);
    r.distinctKinds = r.distinctKeys.map((k) => kinds(k.slice(0, k.indexOf(':'))));
    r.exact0 = r.exactCodes[0] ?? -1;
    r.distinct0 = r.distinctCodes[0] ?? -1;
    r.distinctKind0 = r.distinctKinds[0] ?? -1;
    r.manyKeys = r.exactCodes.length > 1 || r.distinctCodes.length > 1;
  }
}

// ------------------------------------------------------------------ persons

const NAME_LEVELS = ['exact', 'close', 'similar', 'different'] as const;
const EDIT_LEVELS = ['exact', 'one typo', 'different'] as const;
const DATE_LEVELS = ['exact', 'one typo or day/month swapped', 'two of three parts', 'different'] as const;
const ADDRESS_LEVELS = ['same', 'close', 'similar', 'different'] as const;

const PERSON: KindModel = {
  kind: 'person',
  fields: [
    { name: 'familyName', levels: NAME_LEVELS, show: (r) => r.family },
    { name: 'givenName', levels: NAME_LEVELS, show: (r) => r.given },
    { name: 'middleName', levels: ['exact', 'close', 'different'], show: (r) => r.middle },
    { name: 'dob', levels: DATE_LEVELS, show: (r) => r.dob },
    { name: 'idNumber', levels: EDIT_LEVELS, show: (r) => r.idNumber },
    { name: 'phone', levels: EDIT_LEVELS, show: (r) => r.phone },
    { name: 'address', levels: ADDRESS_LEVELS, show: (r) => r.address },
  ],
  compare(a, b, out) {
    const w = a.words !== undefined && a.words === b.words ? a.words : undefined;
    let f = w ? simCoded(w, a.familyCode!, b.familyCode!) : sim(a.family, b.family);
    let g = w ? simCoded(w, a.givenCode!, b.givenCode!) : sim(a.given, b.given);
    // Name order: "given family" written where "family given" was expected (or columns swapped).
    // Crossed similarities are at most 1 each, so names agreeing this well in order need no crossing.
    const crossed = Math.max(0, f) + Math.max(0, g) + 0.1 < 2;
    const fx = !crossed ? -1 : w ? simCoded(w, a.familyCode!, b.givenCode!) : sim(a.family, b.given);
    const gx = !crossed ? -1 : w ? simCoded(w, a.givenCode!, b.familyCode!) : sim(a.given, b.family);
    if (fx >= 0 && gx >= 0 && fx + gx > Math.max(0, f) + Math.max(0, g) + 0.1) {
      f = fx;
      g = gx;
    } else if (f < 0 && g < 0 && Math.max(fx, gx) >= 0.92) {
      // one side has only a family name, the other only a given name, and they are the same word
      if (fx >= 0) f = fx;
      else g = gx;
    }
    out[0] = lvl(f);
    out[1] = lvl(g);
    if (w) out[2] = a.middleCode! < 0 || b.middleCode! < 0 ? -1 : a.middleCode === b.middleCode ? 0 : w.similarity(a.middleCode!, b.middleCode!) >= 0.85 ? 1 : 2;
    else out[2] = a.middle && b.middle ? (a.middle === b.middle ? 0 : jaroWinkler(a.middle, b.middle) >= 0.85 ? 1 : 2) : -1;
    out[3] = dateLevelOf(a, b);
    out[4] = a.idNumber && b.idNumber ? editLevel(a.idNumber, b.idNumber) : -1;
    out[5] = a.phone && b.phone ? editLevel(a.phone, b.phone) : -1;
    out[6] = addressLevel(a, b);
  },
  blockingKeys(r) {
    const keys: BlockingKey[] = [];
    const sf = r.family ? soundex(r.family) : '';
    const sg = r.given ? soundex(r.given) : '';
    const name = r.name ?? '';
    const year = r.dob && r.dob.length === 8 ? r.dob.slice(0, 4) : '';
    if (sf && sg) keys.push({ group: `n:${sf < sg ? sf + sg : sg + sf}`, sort: name + (r.dob ?? '') });
    // No family + birth year key and no address-number key: measured on 100,000 generated records they
    // proposed 20% of the pairs and 6 of 43,000 true pairs no other key found (Febrl: none).
    if (sg && year) keys.push({ group: `gy:${sg}${year}`, sort: name });
    if (r.dob) keys.push({ group: `d:${r.dob}`, sort: name });
    if (r.idNumber) keys.push({ group: `i:${r.idNumber}`, sort: name });
    if (r.phone) keys.push({ group: `p:${r.phone}`, sort: name });
    // sorted neighbourhoods: one group each, the window slides over the whole file in this order
    if (name) keys.push({ group: 'sn:name', sort: name });
    if (r.given || r.family) keys.push({ group: 'sn:gf', sort: `${r.given ?? ''} ${r.family ?? ''}` });
    if (r.idNumber) keys.push({ group: 'sn:id', sort: r.idNumber });
    if (r.address) keys.push({ group: 'sn:addr', sort: r.address });
    return keys;
  },
  codedBlockingKeys(r) {
    const keys: CodedBlockingKey[] = [];
    // Soundex codes < 26,000 (ordered as the strings are), so a pair fits in 31 bits
    const sf = r.family ? soundexCode(r.family) : 0;
    const sg = r.given ? soundexCode(r.given) : 0;
    const name = r.name ?? '';
    const year = r.dob && r.dob.length === 8 ? digitsCode(r.dob.slice(0, 4)) : undefined;
    if (sf && sg) keys.push({ type: 'n', group: sf < sg ? sf * 32768 + sg : sg * 32768 + sf, sort: name + (r.dob ?? '') });
    if (sg && year !== undefined) keys.push({ type: 'gy', group: sg * 100000 + year, sort: name });
    const digitKey = (type: string, v: string) => keys.push({ type, group: digitsCode(v) ?? v, sort: name });
    if (r.dob) digitKey('d', r.dob);
    if (r.idNumber) digitKey('i', r.idNumber);
    if (r.phone) digitKey('p', r.phone);
    if (name) keys.push({ type: 'sn', group: 'sn:name', sort: name });
    if (r.given || r.family) keys.push({ type: 'sn', group: 'sn:gf', sort: `${r.given ?? ''} ${r.family ?? ''}` });
    if (r.idNumber) keys.push({ type: 'sn', group: 'sn:id', sort: r.idNumber });
    if (r.address) keys.push({ type: 'sn', group: 'sn:addr', sort: r.address });
    return keys;
  },
  termFrequencyFields: [
    { field: 0, value: (r) => r.family },
    { field: 1, value: (r) => r.given },
    { field: 2, value: (r) => r.middle },
  ],
  termFrequencyJoint: [[2, 1]],
};

// ------------------------------------------------------------------ companies

const COMPANY: KindModel = {
  kind: 'company',
  fields: [
    { name: 'name', levels: NAME_LEVELS, show: (r) => r.name },
    { name: 'legalForm', levels: ['same', 'different'], show: (r) => r.legalForm },
    { name: 'taxCode', levels: ['exact', 'same enterprise (branch)', 'one typo', 'different'], show: (r) => r.taxCode },
    { name: 'address', levels: ADDRESS_LEVELS, show: (r) => r.address },
  ],
  compare(a, b, out) {
    if (a.name && b.name) {
      const jw = jaroWinkler(a.name, b.name);
      const words = (s: string) => s.split(' ').sort().join(' ');
      out[0] = a.name === b.name || words(a.name) === words(b.name) ? 0 : nameLevel(Math.max(jw, jaroWinkler(words(a.name), words(b.name))));
    } else out[0] = -1;
    out[1] = a.legalForm && b.legalForm ? (a.legalForm.includes(b.legalForm) || b.legalForm.includes(a.legalForm) ? 0 : 1) : -1;
    if (a.taxCode && b.taxCode) {
      out[2] = a.taxCode === b.taxCode ? 0 : a.taxEnterprise === b.taxEnterprise && a.taxEnterprise!.length === 10 ? 1 : editLevel(a.taxCode, b.taxCode) === 1 ? 2 : 3;
    } else out[2] = -1;
    out[3] = addressLevel(a, b);
  },
  blockingKeys(r) {
    const keys: BlockingKey[] = [];
    const name = r.name ?? '';
    const words = name.split(' ').filter((w) => w.length > 1);
    for (const w of words.slice(0, 4)) keys.push({ group: `w:${soundex(w)}`, sort: name });
    if (r.taxEnterprise) keys.push({ group: `t:${r.taxEnterprise}`, sort: name });
    if (name) keys.push({ group: 'sn:name', sort: name });
    if (name) keys.push({ group: 'sn:sorted', sort: [...words].sort().join(' ') });
    if (r.taxCode) keys.push({ group: 'sn:tax', sort: r.taxCode });
    return keys;
  },
  termFrequencyFields: [{ field: 0, value: (r) => r.name }],
};

// ------------------------------------------------------------------ vehicles

const VEHICLE: KindModel = {
  kind: 'vehicle',
  fields: [{ name: 'plate', levels: EDIT_LEVELS, show: (r) => r.plate }],
  compare(a, b, out) {
    out[0] = a.plate && b.plate ? editLevel(a.plate, b.plate) : -1;
  },
  blockingKeys(r) {
    if (!r.plate) return [];
    return [
      { group: 'sn:plate', sort: r.plate },
      { group: 'sn:rev', sort: [...r.plate].reverse().join('') },
    ];
  },
};

// ------------------------------------------------------------------ province and ward (with a gazetteer)

/**
 * Where an address lies, as one field with four levels: the same ward; the same province (a ward
 * missing or unclear on either side); the same province but different wards; different provinces.
 * One field rather than two (province, ward): a same ward is always a same province, and EM takes
 * fields as independent — two fields would count the province twice. Each level has its own weight,
 * estimated like every other (a different province: strong evidence against; a same ward: some for).
 */
export const AREA_FIELD: FieldSpec = {
  name: 'area',
  levels: ['same ward', 'same province', 'same province, other ward', 'different province'],
  show: (r) => (r.province ? (r.ward ? `${r.province}/${r.ward}` : r.province) : undefined),
  // only a same ward is the exact level: two addresses naming just the province are level 1
  exactValue: (r) => (r.province && r.ward ? r.ward : undefined),
};

export function areaLevel(a: PreparedRecord, b: PreparedRecord): number {
  if (!a.province || !b.province) return -1;
  if (a.province !== b.province) return 3;
  if (!a.ward || !b.ward) return 1;
  return a.ward === b.ward ? 0 : 2;
}

const hasAddress: Readonly<Record<EntityKind, boolean>> = { person: true, company: true, vehicle: false, vessel: false };

/** The kind's model, with the `area` field added when a gazetteer reads addresses into province and ward. */
export function kindModel(kind: EntityKind, options: { gazetteer?: Gazetteer } = {}): KindModel {
  const base = KIND_MODELS[kind];
  if (!options.gazetteer || !hasAddress[kind]) return base;
  const F = base.fields.length;
  return {
    ...base,
    fields: [...base.fields, AREA_FIELD],
    compare(a, b, out) {
      base.compare(a, b, out);
      out[F] = areaLevel(a, b);
    },
  };
}

// ------------------------------------------------------------------ vessels

const VESSEL: KindModel = {
  kind: 'vessel',
  fields: [
    { name: 'imo', levels: EDIT_LEVELS, show: (r) => r.imo },
    { name: 'registration', levels: EDIT_LEVELS, show: (r) => r.registration },
    { name: 'name', levels: NAME_LEVELS, show: (r) => r.name },
  ],
  compare(a, b, out) {
    out[0] = a.imo && b.imo ? editLevel(a.imo, b.imo) : -1;
    out[1] = a.registration && b.registration ? editLevel(a.registration, b.registration) : -1;
    out[2] = a.name && b.name ? nameLevel(jaroWinkler(a.name, b.name)) : -1;
  },
  blockingKeys(r) {
    const keys: BlockingKey[] = [];
    const name = r.name ?? '';
    if (r.imo) keys.push({ group: `i:${r.imo}`, sort: name }, { group: 'sn:imo', sort: r.imo });
    if (r.registration) keys.push({ group: 'sn:reg', sort: r.registration }, { group: 'sn:regrev', sort: [...r.registration].reverse().join('') });
    // name words of 3+ letters (registration fragments such as "qn", "97459" or "ts" would block every ship together)
    for (const w of name.split(' ').filter((x) => x.length > 2 && /^[a-z]+$/.test(x)).slice(0, 3)) keys.push({ group: `w:${soundex(w)}`, sort: name });
    if (name) keys.push({ group: 'sn:name', sort: name });
    return keys;
  },
  termFrequencyFields: [{ field: 2, value: (r) => r.name }],
};

export const KIND_MODELS: Readonly<Record<EntityKind, KindModel>> = { person: PERSON, company: COMPANY, vehicle: VEHICLE, vessel: VESSEL };
