/**
 * From case subject records to subjects: which records are one subject (entity resolution per kind),
 * why each record joined (provenance), and which existing subject each group keeps, so a second run
 * over unchanged data changes nothing and an analyst's decisions (pinned records) stand.
 */
import { foldText } from './text.js';
import { normalizePhone } from './identifiers.js';
import { modelFits, resolveEntities, type FieldReason } from './resolve.js';
import type { FsModel } from './fellegi-sunter.js';
import type { Gazetteer } from './gazetteer.js';
import type { EntityKind, EntityRecord } from './mapping.js';
import { KIND_MODELS, prepareRecord } from './model.js';

/** One case subject record as the database holds it. */
export interface SubjectRecordInput {
  id: string;
  kind: string;
  name: string;
  idNumber?: string | null;
  taxCode?: string | null;
  plate?: string | null;
  imo?: string | null;
  phone?: string | null;
  /** yyyy-MM-dd */
  dateOfBirth?: string | null;
  address?: string | null;
}

export interface RecordProvenance {
  rule: 'first' | 'identifier' | 'match';
  /** Index (into the input) of the record it was linked to; undefined for the first of a group. */
  linkedTo?: number;
  /** Probability of that link (1 for an identifier). */
  score?: number;
  weightBits?: number;
  reasons?: FieldReason[];
}

export interface SubjectGrouping {
  /** Group number per record (the smallest input index of its group). */
  group: number[];
  provenance: RecordProvenance[];
  /** Per scored kind, the model its records were scored with and how many records it was estimated on. */
  models: Partial<Record<EntityKind, KindFit>>;
}

/** A kind's Fellegi–Sunter model and the number of records of the run that estimated it. */
export interface KindFit {
  model: FsModel;
  records: number;
}

/**
 * A model estimated on `fit.records` records, for a file of `records`: the prior is expected matches
 * over all pairs, and a record's duplicates do not grow with the file while its pairs do, so the prior
 * falls by log2(records / fit.records). The weights stay (u of the exact levels moves little).
 * Undefined when EM expected fewer than `minMatches` matches in that run (λ × pairs): with no
 * duplicates to learn from, λ sits at its floor (1e-12, a prior of −40 bits) and m is noise — measured
 * on a first sync of 65 persons without duplicates, such a model proposed none of the 3 fuzzy pairs a
 * full run proposed later. The caller then estimates on the records it has, as before.
 */
export function modelForFile(fit: KindFit, records: number, minMatches = 20): FsModel | undefined {
  const expected = fit.model.lambda * ((fit.records * (fit.records - 1)) / 2);
  if (!(expected >= minMatches)) return undefined;
  if (!(records > 0) || !(fit.records > 0)) return fit.model;
  return { ...fit.model, priorWeight: fit.model.priorWeight - Math.log2(records / fit.records) };
}

const ENGINE_KIND: Partial<Record<string, EntityKind>> = { person: 'person', company: 'company', vehicle: 'vehicle', vessel: 'vessel' };

function toEntity(r: SubjectRecordInput, i: number): EntityRecord {
  const v: EntityRecord['values'] = {};
  const put = (k: keyof EntityRecord['values'], x: string | null | undefined) => {
    if (x && x.trim()) v[k] = x.trim();
  };
  if (r.kind === 'person') {
    put('fullName', r.name);
    put('dob', r.dateOfBirth);
    put('idNumber', r.idNumber);
    put('phone', r.phone);
    put('address', r.address);
  } else if (r.kind === 'company') {
    put('name', r.name);
    put('taxCode', r.taxCode);
    put('address', r.address);
  } else if (r.kind === 'vessel') {
    // a vessel's registration number is held in `plate`; the IMO number links only with a valid check digit
    put('name', r.name);
    put('imo', r.imo);
    put('registration', r.plate);
  } else {
    put('plate', r.plate ?? r.name);
  }
  return { id: String(i), source: 0, values: v };
}

/** Kinds without a scoring model (phones, bank accounts, online shops) are one subject per exact key. */
function exactKey(r: SubjectRecordInput): string {
  if (r.kind === 'phone') return `PHONE:${normalizePhone(r.phone ?? r.name)}`;
  if (r.kind === 'bank_account') return `ACC:${r.name.replace(/\D/g, '') || foldText(r.name)}`;
  return `NAME:${foldText(r.name)}|${r.phone ? normalizePhone(r.phone) : ''}`;
}

/**
 * The blocking keys `groupSubjectRecords` gives one record with the same options: the model's keys for
 * scored kinds, one exact key (`x:` group) for the others. The server's incremental sync stores them to
 * find which records a new one would be compared with, so they come from the same `toEntity` here. With
 * a gazetteer an address's province and ward are taken out of it (the `sn:addr` key sorts on the rest),
 * so pass the same gazetteer as to `groupSubjectRecords`.
 */
export function subjectBlockingKeys(r: SubjectRecordInput, options: { gazetteer?: Gazetteer } = {}): { group: string; sort: string }[] {
  const engineKind = ENGINE_KIND[r.kind];
  if (!engineKind) return [{ group: `x:${exactKey(r)}`, sort: '' }];
  return KIND_MODELS[engineKind].blockingKeys(prepareRecord(engineKind, toEntity(r, 0), 'yyyy-MM-dd', options.gazetteer)).map((k) => ({ group: k.group, sort: k.sort }));
}

/**
 * Groups records of every kind (records of different kinds never group). Scored kinds go through
 * `resolveEntities` (with `gazetteer`, persons' and companies' addresses are read into province and
 * ward: see `buildGazetteer`); each record's provenance is the link that attached it to its group, read from the
 * group's spanning tree walked from its first record.
 */
export interface GroupSubjectOptions {
  gazetteer?: Gazetteer;
  /**
   * Score a kind with this model instead of estimating one on these records (an incremental run: the
   * model of the last run over every record, see `modelForFile`). A model whose fields are not the
   * kind's (another gazetteer setting, an older engine) is not used: that kind is estimated as before.
   */
  models?: Partial<Record<EntityKind, FsModel>>;
}

export function groupSubjectRecords(records: readonly SubjectRecordInput[], options: GroupSubjectOptions = {}): SubjectGrouping {
  const group = records.map((_, i) => i);
  const provenance: RecordProvenance[] = records.map(() => ({ rule: 'first' }));
  const models: SubjectGrouping['models'] = {};
  const byKind = new Map<string, number[]>();
  records.forEach((r, i) => {
    const list = byKind.get(r.kind);
    if (list) list.push(i);
    else byKind.set(r.kind, [i]);
  });
  for (const [kind, idx] of byKind) {
    const engineKind = ENGINE_KIND[kind];
    if (!engineKind) {
      const first = new Map<string, number>();
      for (const i of idx) {
        const key = exactKey(records[i]!);
        const f = first.get(key);
        if (f === undefined) first.set(key, i);
        else {
          group[i] = f;
          provenance[i] = { rule: 'identifier', linkedTo: f, score: 1 };
        }
      }
      continue;
    }
    if (idx.length < 2) continue;
    const gazetteer = options.gazetteer ? { gazetteer: options.gazetteer } : {};
    const given = options.models?.[engineKind];
    const fixed = given && modelFits(engineKind, given, gazetteer) ? { model: given } : {};
    const res = resolveEntities(engineKind, idx.map((i, k) => toEntity(records[i]!, k)), { dobFormat: 'yyyy-MM-dd', listPairs: false, ...gazetteer, ...fixed });
    models[engineKind] = { model: res.model, records: idx.length };
    // the spanning tree of each cluster, walked breadth-first from its smallest index
    const adj = new Map<number, { other: number; join: (typeof res.joins)[number] }[]>();
    for (const j of res.joins) {
      (adj.get(j.i) ?? adj.set(j.i, []).get(j.i)!).push({ other: j.j, join: j });
      (adj.get(j.j) ?? adj.set(j.j, []).get(j.j)!).push({ other: j.i, join: j });
    }
    const seen = new Uint8Array(idx.length);
    for (let root = 0; root < idx.length; root++) {
      if (seen[root] || res.clusters[root] !== root) continue;
      seen[root] = 1;
      const queue = [root];
      while (queue.length) {
        const a = queue.shift()!;
        for (const { other: b, join } of adj.get(a) ?? []) {
          if (seen[b]) continue;
          seen[b] = 1;
          queue.push(b);
          const ib = idx[b]!;
          group[ib] = idx[root]!;
          if (join.decision === 'identifier') provenance[ib] = { rule: 'identifier', linkedTo: idx[a]!, score: 1 };
          else {
            const e = res.explain(a, b);
            provenance[ib] = { rule: 'match', linkedTo: idx[a]!, score: e.score, weightBits: e.weight, reasons: e.fields };
          }
        }
      }
    }
  }
  return { group, provenance, models };
}

export interface CurrentMembership {
  subjectId: string;
  /** Placed by an analyst: stays where it is. */
  pinned: boolean;
}

/**
 * Which subject each record belongs to. Pinned records keep theirs. Each group keeps the existing
 * subject most of its records already belong to (ties: the smaller id), unless another group claimed it
 * or it was merged away (`retired`); otherwise it gets a new subject from `newId`.
 */
export function assignSubjects(
  group: readonly number[],
  current: readonly (CurrentMembership | undefined)[],
  retired: ReadonlySet<string>,
  newId: () => string,
): string[] {
  const members = new Map<number, number[]>();
  group.forEach((g, i) => {
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  });
  // larger groups choose first, so a group that split off a few records does not take the subject
  const order = [...members.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  const claimed = new Set<string>();
  const out: string[] = new Array<string>(group.length);
  for (const [, idx] of order) {
    const votes = new Map<string, number>();
    for (const i of idx) {
      const c = current[i];
      if (c && !retired.has(c.subjectId)) votes.set(c.subjectId, (votes.get(c.subjectId) ?? 0) + (c.pinned ? 1 : 2));
    }
    const ranked = [...votes.entries()].filter(([s]) => !claimed.has(s)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const subject = ranked[0]?.[0] ?? newId();
    claimed.add(subject);
    for (const i of idx) {
      const c = current[i];
      out[i] = c?.pinned ? c.subjectId : subject;
    }
  }
  return out;
}
