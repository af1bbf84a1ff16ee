/**
 * The column mapping of `cordon entities resolve` (issue 7): which CSV columns hold which subject
 * fields. Pure: the CLI reads the JSON and the header; this checks both and turns rows into records.
 *
 *   {"kind": "person", "id": "rec_id", "separator": ",", "fields": {"givenName": "given_name",
 *    "familyName": "surname", "dob": "date_of_birth", "dobFormat": "yyyyMMdd", "address": ["suburb", "state"]}}
 */
export type EntityKind = 'person' | 'company' | 'vehicle' | 'vessel';

export const ENTITY_FIELDS = {
  person: ['givenName', 'familyName', 'fullName', 'dob', 'idNumber', 'phone', 'address'],
  company: ['name', 'taxCode', 'address'],
  vehicle: ['plate'],
  // `registration`: the national registration number ("QN-90123-TS"); `imo`: the IMO number
  vessel: ['name', 'imo', 'registration'],
} as const satisfies Record<EntityKind, readonly string[]>;

export type EntityField = (typeof ENTITY_FIELDS)[EntityKind][number];

/** Fields of the mapping that are settings, not columns. */
const SETTINGS = { person: ['dobFormat'], company: [], vehicle: [], vessel: [] } as const satisfies Record<EntityKind, readonly string[]>;

export interface EntityMapping {
  kind: EntityKind;
  id: string;
  separator: string;
  /** Field → the column(s) it is read from; several columns are joined with a space. */
  columns: Partial<Record<EntityField, string[]>>;
  dobFormat?: string;
}

/** One input row brought to subject fields (trimmed; empty values left out). */
export interface EntityRecord {
  id: string;
  /** Which input the record came from (0 or 1): links are only looked for across inputs when there are two. */
  source: number;
  values: Partial<Record<EntityField, string>>;
}

export class MappingError extends Error {}

const isKind = (k: unknown): k is EntityKind => k === 'person' || k === 'company' || k === 'vehicle' || k === 'vessel';

/** Checks a parsed mapping JSON; throws `MappingError` naming the offending key. */
export function parseMapping(json: unknown): EntityMapping {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new MappingError('the mapping must be a JSON object');
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['kind', 'id', 'separator', 'fields'].includes(k)) throw new MappingError(`unknown key "${k}" (expected kind, id, separator, fields)`);
  if (!isKind(o.kind)) throw new MappingError(`"kind" must be person, company, vehicle or vessel (got ${JSON.stringify(o.kind)})`);
  const kind = o.kind;
  if (typeof o.id !== 'string' || !o.id.trim()) throw new MappingError('"id" must name the column holding each record\'s id');
  const separator = o.separator === undefined || o.separator === null ? ',' : o.separator;
  if (typeof separator !== 'string' || separator.length !== 1) throw new MappingError('"separator" must be one character');
  const fields = o.fields ?? {};
  if (typeof fields !== 'object' || Array.isArray(fields) || fields === null) throw new MappingError('"fields" must be an object');
  const allowedFields: readonly string[] = ENTITY_FIELDS[kind];
  const allowedSettings: readonly string[] = SETTINGS[kind];
  const columns: Partial<Record<EntityField, string[]>> = {};
  let dobFormat: string | undefined;
  for (const [k, v] of Object.entries(fields as Record<string, unknown>)) {
    if (allowedSettings.includes(k)) {
      if (v === null || v === undefined) continue;
      if (typeof v !== 'string' || !v.trim()) throw new MappingError(`fields.${k} must be a format such as "yyyyMMdd" or null`);
      dobFormat = v.trim();
      continue;
    }
    if (!allowedFields.includes(k)) throw new MappingError(`unknown field "${k}" for kind ${kind} (expected ${[...allowedFields, ...allowedSettings].join(', ')})`);
    if (v === null || v === undefined) continue;
    const cols = typeof v === 'string' ? [v] : Array.isArray(v) && v.every((c) => typeof c === 'string') ? (v as string[]) : undefined;
    if (!cols || cols.some((c) => !c.trim())) throw new MappingError(`fields.${k} must be a column name, an array of column names, or null`);
    if (cols.length) columns[k as EntityField] = cols.map((c) => c.trim());
  }
  if (!Object.keys(columns).length) throw new MappingError('"fields" maps no column');
  return { kind, id: o.id.trim(), separator, columns, ...(dobFormat ? { dobFormat } : {}) };
}

/** Every column the mapping reads, id first. */
export function mappingColumns(m: EntityMapping): string[] {
  return [...new Set([m.id, ...Object.values(m.columns).flat()])];
}

/** The mapped columns a file's header lacks (header names are compared trimmed). */
export function missingColumns(m: EntityMapping, header: readonly string[]): string[] {
  const have = new Set(header.map((h) => h.trim()));
  return mappingColumns(m).filter((c) => !have.has(c));
}

/** A row (column → value) to a record; values trimmed, empty ones left out. Undefined when the id is empty. */
export function recordFromRow(m: EntityMapping, row: Readonly<Record<string, string | undefined>>, source = 0): EntityRecord | undefined {
  const id = row[m.id]?.trim();
  if (!id) return undefined;
  const values: Partial<Record<EntityField, string>> = {};
  for (const [field, cols] of Object.entries(m.columns) as [EntityField, string[]][]) {
    const v = cols
      .map((c) => row[c]?.trim() ?? '')
      .filter(Boolean)
      .join(' ');
    if (v) values[field] = v;
  }
  return { id, source, values };
}
