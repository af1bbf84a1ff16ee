/**
 * What is compared for each kind of subject: the prepared (normalised) record, its comparison fields
 * with their agreement levels, its blocking keys and its exact identifiers.
 */
import { bigramCodes, dateSimilarity, diceCodes, jaroWinkler, levenshtein, sameCharacters, withinOneEdit } from './compare.js';
import type { EntityKind, EntityRecord } from './mapping.js';
import {
  addressTokens,
  canonicalFamily,
  canonicalGiven,
  normalizeCompanyName,
  normalizeIdNumber,
  normalizePersonName,
  normalizeTaxCodeValue,
  parseDate,
  phoneSignificant,
  soundex,
} from './normalize.js';
import { normalizePlate } from './identifiers.js';
import { digitsOf } from './text.js';

export interface PreparedRecord {
  id: string;
  source: number;
  family?: string;
  given?: string;
  middle?: string;
  /** Full name or company name, folded. */
  name?: string;
  legalForm?: string;
  /** `yyyymmdd` when the date parsed, else its digits (still compared, by edits). */
  dob?: string;
  idNumber?: string;
  phone?: string;
  taxCode?: string;
  taxEnterprise?: string;
  plate?: string;
  address?: string;
  /** Bigrams of the address words in sorted order, coded and sorted (`bigramCodes`). */
  addressGrams?: Int32Array;
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
}

export interface BlockingKey {
  /** Records sharing `group` are compared (all pairs in small groups, a sliding window in large ones). */
  group: string;
  /** Order inside a group for the sliding window. */
  sort: string;
}

export interface KindModel {
  kind: EntityKind;
  fields: readonly FieldSpec[];
  /** Writes each field's level (0 = best) or −1 (missing on either side) into `out`. */
  compare(a: PreparedRecord, b: PreparedRecord, out: Int8Array): void;
  blockingKeys(r: PreparedRecord): BlockingKey[];
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

export function prepareRecord(kind: EntityKind, r: EntityRecord, dobFormat?: string): PreparedRecord {
  const v = r.values;
  const p: PreparedRecord = { id: r.id, source: r.source, exactKeys: [], distinctKeys: [] };
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
      if (d) p.dob = d;
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
    const t = addressTokens(v.address);
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
  if (a.address === b.address) return 0;
  const s = diceCodes(a.addressGrams, b.addressGrams);
  return s >= 0.75 ? 1 : s >= 0.55 ? 2 : 3;
}

function dateLevel(a?: string, b?: string): number {
  if (!a || !b) return -1;
  const s = dateSimilarity(a, b);
  return s >= 1 ? 0 : s >= 0.8 ? 1 : s >= 0.6 ? 2 : 3;
}

const sim = (a: string | undefined, b: string | undefined) => (a && b ? jaroWinkler(a, b) : -1);
const lvl = (s: number) => (s < 0 ? -1 : nameLevel(s));

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
    let f = sim(a.family, b.family);
    let g = sim(a.given, b.given);
    // Name order: "given family" written where "family given" was expected (or columns swapped).
    // Crossed similarities are at most 1 each, so names agreeing this well in order need no crossing.
    const crossed = Math.max(0, f) + Math.max(0, g) + 0.1 < 2;
    const fx = crossed ? sim(a.family, b.given) : -1;
    const gx = crossed ? sim(a.given, b.family) : -1;
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
    out[2] = a.middle && b.middle ? (a.middle === b.middle ? 0 : jaroWinkler(a.middle, b.middle) >= 0.85 ? 1 : 2) : -1;
    out[3] = dateLevel(a.dob, b.dob);
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

export const KIND_MODELS: Readonly<Record<EntityKind, KindModel>> = { person: PERSON, company: COMPANY, vehicle: VEHICLE };
