/**
 * Entity resolution, end to end: prepare (normalise) → block → compare → estimate Fellegi–Sunter
 * weights by EM → cluster without chaining → pairs with scores and per-field reasons.
 *
 * One input (every record `source` 0): duplicates within it. Two inputs (sources 0 and 1): links
 * across them (records of one input still count as evidence against joining two groups).
 */
import { candidatePairs, DEFAULT_BLOCKING, type BlockingOptions } from './blocking.js';
import { clusterWithJoins, DEFAULT_CLUSTERING, type ClusterEdge, type ClusterJoin, type ClusterOptions } from './cluster.js';
import { decodePattern, encodePattern, estimateFellegiSunter, patternWeight, probabilityOf, type FsModel, type PopulationCounts } from './fellegi-sunter.js';
import type { EntityKind, EntityRecord } from './mapping.js';
import type { Gazetteer } from './gazetteer.js';
import { codeRecords, kindModel, prepareRecord, type KindModel, type PreparedRecord } from './model.js';
import { mulberry32 } from '../prng.js';

export interface ResolveOptions {
  /** How dates of birth are written (e.g. "yyyyMMdd", "dd/MM/yyyy"); tried in common forms when absent. */
  dobFormat?: string;
  /**
   * Reads Vietnamese addresses into province and ward (`buildGazetteer`): persons and companies then
   * compare a field `area` (same ward / same province / other ward / different province) and the address
   * field compares the rest. Without it addresses are compared as text, as before.
   */
  gazetteer?: Gazetteer;
  /** Probability from which a fuzzy match is proposed (default 0.5: more likely the same than not). */
  reviewThreshold?: number;
  blocking?: Partial<Omit<BlockingOptions, 'linkOnly'>>;
  clustering?: Partial<Omit<ClusterOptions, 'thresholdBits'>>;
  /**
   * Term-frequency adjustment of exact name agreement, in bits: at most `maxUp` more for a rare value,
   * at most `maxDown` less for a common one (defaults 2 and 6); `false` turns it off.
   */
  termFrequency?: false | { maxUp?: number; maxDown?: number };
  /** List the pairs inside each cluster (default true; the server's sync needs only clusters and joins). */
  listPairs?: boolean;
  /**
   * Where u and the prior describe (default `'file'`): every record pair of the file — u of the exact
   * level from value counts, the prior as matches over all pairs (see `PopulationCounts`); `'candidates'`:
   * the pairs blocking chose (the model before 30/11, kept to compare).
   */
  uFrom?: 'file' | 'candidates';
  /**
   * Score with this model (weights and prior) instead of estimating one by EM on these records: an
   * incremental run over a part of the file uses the model a run over the whole file estimated
   * (`ResolveResult.model`), so the part's own make-up (records chosen because they share keys with new
   * ones) does not set the weights. Its fields must be this kind's (with or without the gazetteer's
   * `area`): see `modelFits`. Term frequencies still come from the records given.
   */
  model?: FsModel;
  /** Random pairs drawn to start u (default 20,000) and the seed that draws them. */
  randomPairs?: number;
  seed?: number;
  /** Told as each stage starts (for progress on large files). */
  onStage?: (stage: 'prepare' | 'block' | 'compare' | 'estimate' | 'cluster' | 'pairs') => void;
}

export type PairDecision =
  /** the same valid identifier (CCCD, tax code, plate): linked without asking */
  | 'identifier'
  /** the pair itself scored above the review threshold: a proposal for an officer */
  | 'match'
  /** the pair is in one group through others (A~B, B~C) and the group's average evidence held */
  | 'group';

export interface ResolvedPair {
  left: number;
  right: number;
  leftId: string;
  rightId: string;
  /** Probability that the two are the same entity, from their own comparison. */
  score: number;
  /** Match weight in bits (prior included). */
  weight: number;
  decision: PairDecision;
}

export interface FieldReason {
  field: string;
  /** agreement level: "exact", "close", … "different"; "missing" when either side lacks the field */
  level: string;
  outcome: 'agreed' | 'partly agreed' | 'disagreed' | 'missing';
  /** Evidence in bits (log2 m/u): positive for, negative against, 0 when missing. */
  weight: number;
  /** Part of `weight` for how common the agreed value is (negative: a common name says less). */
  termFrequency?: number;
  left?: string;
  right?: string;
}

export interface PairExplanation {
  score: number;
  weight: number;
  priorWeight: number;
  fields: FieldReason[];
}

export interface ResolveResult {
  kind: EntityKind;
  /** Names of the compared fields, in the order of `model.weights` (with a gazetteer: `area` last). */
  fields: string[];
  records: PreparedRecord[];
  /** Cluster number per record (the smallest record index of its cluster). */
  clusters: Int32Array;
  pairs: ResolvedPair[];
  /** The links that built each cluster (identifier or scored match), with the bits that carried them. */
  joins: ClusterJoin[];
  model: FsModel;
  stats: {
    records: number;
    candidatePairs: number;
    candidatesPerKey: Record<string, number>;
    distinctPatterns: number;
    emIterations: number;
    identifierLinks: number;
    clusters: number;
    largestCluster: number;
    /** Fuzzy joins refused: conflicting identifiers, the size guard, the group average. */
    refused: { conflict: number; size: number; average: number };
  };
  /** Why two records (by index) are, or are not, the same. */
  explain(i: number, j: number): PairExplanation;
}

/** 1: the records share a valid identifier; 2: they hold different ones of one kind; 0: no answer. */
function identifierAnswer(a: PreparedRecord, b: PreparedRecord): number {
  // plain loops over one or two keys: this runs on every candidate pair
  const ea = a.exactCodes;
  const eb = b.exactCodes;
  if (ea && eb && !a.manyKeys && !b.manyKeys) {
    // at most one key of each on either side (persons, companies): no array read
    if (a.exact0! >= 0 && a.exact0 === b.exact0) return 1;
    return a.distinct0! >= 0 && b.distinct0! >= 0 && a.distinctKind0 === b.distinctKind0 && a.distinct0 !== b.distinct0 ? 2 : 0;
  }
  if (ea && eb) {
    for (let x = 0; x < ea.length; x++) for (let y = 0; y < eb.length; y++) if (ea[x] === eb[y]) return 1;
    const da = a.distinctCodes!;
    const db = b.distinctCodes!;
    const ka = a.distinctKinds!;
    const kb = b.distinctKinds!;
    for (let x = 0; x < da.length; x++) for (let y = 0; y < db.length; y++) if (ka[x] === kb[y] && da[x] !== db[y]) return 2;
    return 0;
  }
  for (const x of a.exactKeys) for (const y of b.exactKeys) if (x === y) return 1;
  for (const x of a.distinctKeys) for (const y of b.distinctKeys) if (x !== y && sameKind(x, y)) return 2;
  return 0;
}

/** "CCCD:1…" and "CCCD:2…" are of one kind; "CCCD:…" and "CMND:…" are not. */
function sameKind(x: string, y: string): boolean {
  const colon = x.indexOf(':');
  if (y.charCodeAt(colon) !== 58) return false;
  for (let c = 0; c < colon; c++) if (x.charCodeAt(c) !== y.charCodeAt(c)) return false;
  return true;
}

/**
 * Counts per pattern code: in a typed array (8^fields entries, 8 MB for persons) when there are many
 * pairs to count, so the compare loop does no map updates; in a map for small inputs.
 */
function patternCounter(fields: number, pairs: number) {
  const dense = fields <= 8 && pairs >= 8 ** fields / 8 ? new Uint32Array(8 ** fields) : undefined;
  const sparse = new Map<number, number>();
  return {
    add(code: number) {
      if (dense) dense[code]!++;
      else sparse.set(code, (sparse.get(code) ?? 0) + 1);
    },
    toMap(): Map<number, number> {
      if (dense) for (let c = 0; c < dense.length; c++) if (dense[c]) sparse.set(c, dense[c]!);
      return sparse;
    },
  };
}

/** Pairs of the file, and per field the pairs holding it on both sides and the pairs agreeing exactly. */
function populationCounts(model: KindModel, records: readonly PreparedRecord[], linkOnly: boolean): PopulationCounts {
  const bySource = [0, 0];
  for (const r of records) bySource[r.source === records[0]!.source ? 0 : 1]!++;
  const all = records.length;
  const pairs = linkOnly ? bySource[0]! * bySource[1]! : (all * (all - 1)) / 2;
  const present: number[] = [];
  const agree: number[] = [];
  for (const spec of model.fields) {
    // per value: records holding it in the first input and in the second (or all in the first)
    const counts = new Map<string, [number, number]>();
    const held = [0, 0];
    for (const r of records) {
      const shown = spec.show(r);
      if (shown === undefined || shown === '') continue;
      const s = linkOnly && r.source !== records[0]!.source ? 1 : 0;
      held[s]!++;
      const v = spec.exactValue ? spec.exactValue(r) : shown;
      if (v === undefined || v === '') continue;
      const c = counts.get(v);
      if (c) c[s]!++;
      else counts.set(v, s === 0 ? [1, 0] : [0, 1]);
    }
    let same = 0;
    for (const [a, b] of counts.values()) same += linkOnly ? a * b : (a * (a - 1)) / 2;
    present.push(linkOnly ? held[0]! * held[1]! : (held[0]! * (held[0]! - 1)) / 2);
    agree.push(same);
  }
  return { pairs, present, agree };
}

/** Whether `fs` was estimated for this kind's fields (their number and levels), so it can score them. */
export function modelFits(kind: EntityKind, fs: FsModel, options: { gazetteer?: Gazetteer } = {}): boolean {
  const fields = kindModel(kind, options).fields;
  // (a model read back from JSON has null where a weight was infinite)
  return fs.weights.length === fields.length && fields.every((f, i) => fs.weights[i]!.length === f.levels.length && fs.weights[i]!.every(Number.isFinite)) && Number.isFinite(fs.priorWeight);
}

export function resolveEntities(kind: EntityKind, input: readonly EntityRecord[], options: ResolveOptions = {}): ResolveResult {
  const model: KindModel = kindModel(kind, options);
  if (options.model && !modelFits(kind, options.model, options)) throw new Error(`resolveEntities: the given model does not have the fields of ${kind}${options.gazetteer ? ' with a gazetteer' : ''}`);
  const stage = options.onStage ?? (() => {});
  stage('prepare');
  const records = input.map((r) => prepareRecord(kind, r, options.dobFormat, options.gazetteer));
  codeRecords(kind, records);
  const n = records.length;
  const linkOnly = records.some((r) => r.source !== records[0]?.source);
  const F = model.fields.length;
  const levelsPerField = model.fields.map((f) => f.levels.length);
  const levels = new Int8Array(F);

  // 1. candidates and their comparison patterns
  stage('block');
  const cands = candidatePairs(records, model, { ...DEFAULT_BLOCKING, ...options.blocking, linkOnly });
  const m = cands.left.length;
  stage('compare');
  const patternOf = new Int32Array(m); // codes < 8^fields: 2^21 for persons
  const counters = [patternCounter(F, m), patternCounter(F, m), patternCounter(F, m)]; // unlabelled, anchored matches, anchored non-matches
  for (let k = 0; k < m; k++) {
    const a = records[cands.left[k]!]!;
    const b = records[cands.right[k]!]!;
    model.compare(a, b, levels);
    const code = encodePattern(levels);
    patternOf[k] = code;
    // pairs the identifiers already answer anchor EM (see AnchoredPatterns)
    counters[(a.distinct0! >= 0 || a.manyKeys) && (b.distinct0! >= 0 || b.manyKeys) ? identifierAnswer(a, b) : 0]!.add(code);
  }
  const [patternCounts, matches, nonMatches] = counters.map((c) => c.toMap()) as [Map<number, number>, Map<number, number>, Map<number, number>];
  const anchored = { matches, nonMatches };
  for (const code of [...anchored.matches.keys(), ...anchored.nonMatches.keys()]) if (!patternCounts.has(code)) patternCounts.set(code, 0);

  stage('estimate');
  // 2. u starts from random pairs (almost all different entities)
  const random = levelsPerField.map((L) => new Array<number>(L).fill(0));
  const next = mulberry32(options.seed ?? 7);
  const sources = [0, 1].map((s) => records.flatMap((r, i) => (r.source === s ? [i] : [])));
  const draws = n < 2 || options.model ? 0 : (options.randomPairs ?? 20_000);
  const looseExact = new Array<number>(F).fill(0); // random pairs at the exact level with different values
  for (let k = 0; k < draws; k++) {
    const i = linkOnly ? sources[0]![Math.floor(next() * sources[0]!.length)]! : Math.floor(next() * n);
    const j = linkOnly ? sources[1]![Math.floor(next() * sources[1]!.length)]! : Math.floor(next() * n);
    if (i === j) continue;
    model.compare(records[i]!, records[j]!, levels);
    for (let f = 0; f < F; f++) {
      if (levels[f]! < 0) continue;
      random[f]![levels[f]!]!++;
      const exact = model.fields[f]!.exactValue ?? model.fields[f]!.show;
      if (levels[f] === 0 && exact(records[i]!) !== exact(records[j]!)) looseExact[f]!++;
    }
  }

  // 3. EM → weights
  const population = options.model || options.uFrom === 'candidates' ? undefined : { ...populationCounts(model, records, linkOnly), looseExact: looseExact.map((x, f) => x / Math.max(1, random[f]!.reduce((a, b) => a + b, 0))) };
  const fs = options.model ?? estimateFellegiSunter(patternCounts, levelsPerField, random, undefined, anchored, population);
  const weightOfPattern = new Map<number, number>();
  for (const code of patternCounts.keys()) {
    const lv: number[] = [];
    let c = code;
    for (let f = 0; f < F; f++) {
      lv.push((c % 8) - 1);
      c = Math.floor(c / 8);
    }
    weightOfPattern.set(code, patternWeight(fs, lv));
  }
  // 3b. term frequencies: exact agreement on a value shared by many records says less (Winkler)
  const tfFields = options.termFrequency === false ? [] : (model.termFrequencyFields ?? []);
  const maxUp = (options.termFrequency || undefined)?.maxUp ?? 2;
  const maxDown = (options.termFrequency || undefined)?.maxDown ?? 6;
  const tfTables = tfFields.map(({ value }) => {
    const counts = new Map<string, number>();
    let present = 0;
    for (const r of records) {
      const v = value(r);
      if (v === undefined) continue;
      present++;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    // Σp²: the chance two random records agree, the baseline the average weight stands for
    let baseline = 0;
    for (const c of counts.values()) baseline += (c / present) ** 2;
    const adjust = new Map<string, number>();
    for (const [v, c] of counts) adjust.set(v, Math.max(-maxDown, Math.min(maxUp, Math.log2(baseline / (c / present)))));
    return adjust;
  });
  const tfOf = (a: PreparedRecord, b: PreparedRecord, lv: ArrayLike<number>, t: number): number => {
    const { field, value } = tfFields[t]!;
    if (lv[field] !== 0) return 0;
    const v = value(a);
    return v !== undefined && v === value(b) ? (tfTables[t]!.get(v) ?? 0) : 0;
  };
  // values that go together (a middle and a given name): log2(p(a)·p(b) / p(a, b)) when both agree
  const joints = options.termFrequency === false ? [] : (model.termFrequencyJoint ?? []);
  const jointTables = joints.map(([s, t]) => {
    const one = [new Map<string, number>(), new Map<string, number>()];
    const both = new Map<string, number>();
    let present = 0;
    for (const r of records) {
      const x = tfFields[s]!.value(r);
      const y = tfFields[t]!.value(r);
      if (x === undefined || y === undefined) continue;
      present++;
      one[0]!.set(x, (one[0]!.get(x) ?? 0) + 1);
      one[1]!.set(y, (one[1]!.get(y) ?? 0) + 1);
      both.set(`${x}\u0000${y}`, (both.get(`${x}\u0000${y}`) ?? 0) + 1);
    }
    const adjust = new Map<string, number>();
    for (const [key, c] of both) {
      const [x, y] = key.split('\u0000') as [string, string];
      const lift = Math.log2(((one[0]!.get(x)! / present) * (one[1]!.get(y)! / present)) / (c / present));
      adjust.set(key, Math.max(-maxDown, Math.min(maxUp, lift)));
    }
    return adjust;
  });
  const jointOf = (a: PreparedRecord, b: PreparedRecord, lv: ArrayLike<number>, k: number): number => {
    const [s, t] = joints[k]!;
    if (lv[tfFields[s]!.field] !== 0 || lv[tfFields[t]!.field] !== 0) return 0;
    const x = tfFields[s]!.value(a);
    const y = tfFields[t]!.value(a);
    if (x === undefined || y === undefined || x !== tfFields[s]!.value(b) || y !== tfFields[t]!.value(b)) return 0;
    return jointTables[k]!.get(`${x}\u0000${y}`) ?? 0;
  };
  const tfAdjust = (i: number, j: number, lv: ArrayLike<number>): number => {
    let w = 0;
    for (let t = 0; t < tfFields.length; t++) w += tfOf(records[i]!, records[j]!, lv, t);
    for (let k = 0; k < joints.length; k++) w += jointOf(records[i]!, records[j]!, lv, k);
    return w;
  };
  const maxTfUp = (tfFields.length + joints.length) * maxUp;
  const pairWeight = (i: number, j: number) => {
    model.compare(records[i]!, records[j]!, levels);
    return patternWeight(fs, levels) + tfAdjust(i, j, levels);
  };

  // 4. exact identifiers link outright
  stage('cluster');
  const firstWithKey = new Map<string, number>();
  const forced: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (const key of records[i]!.exactKeys) {
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, i);
      else forced.push([first, i]);
    }
  }

  // 5. fuzzy links above the review threshold, then clustering
  const threshold = options.reviewThreshold ?? 0.5;
  const thresholdBits = Math.log2(threshold / (1 - threshold));
  const edges: ClusterEdge[] = [];
  for (let k = 0; k < m; k++) {
    let w = weightOfPattern.get(patternOf[k]!)!;
    if (w + maxTfUp < thresholdBits) continue;
    const i = cands.left[k]!;
    const j = cands.right[k]!;
    if (tfFields.length) w += tfAdjust(i, j, decodePattern(patternOf[k]!, F));
    if (w >= thresholdBits) edges.push({ i, j, weight: w });
  }
  const clustered = clusterWithJoins(n, forced, edges, pairWeight, { ...DEFAULT_CLUSTERING, ...options.clustering, thresholdBits }, records.map((r) => r.distinctKeys));
  const clusters = clustered.clusters;

  stage('pairs');
  // 6. pairs inside each cluster (across inputs only, when there are two)
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = clusters[i]!;
    const g = groups.get(c);
    if (g) g.push(i);
    else groups.set(c, [i]);
  }
  const sameKey = (i: number, j: number) => records[i]!.exactKeys.some((k) => records[j]!.exactKeys.includes(k));
  const pairs: ResolvedPair[] = [];
  let clusterCount = 0;
  let largestCluster = 0;
  for (const g of groups.values()) {
    largestCluster = Math.max(largestCluster, g.length);
    if (g.length < 2) continue;
    clusterCount++;
    if (options.listPairs === false) continue;
    for (let a = 0; a < g.length; a++) {
      for (let b = a + 1; b < g.length; b++) {
        let i = g[a]!;
        let j = g[b]!;
        if (linkOnly) {
          if (records[i]!.source === records[j]!.source) continue;
          if (records[i]!.source > records[j]!.source) [i, j] = [j, i];
        }
        const w = pairWeight(i, j);
        const identifier = sameKey(i, j);
        pairs.push({
          left: i,
          right: j,
          leftId: records[i]!.id,
          rightId: records[j]!.id,
          score: identifier ? 1 : probabilityOf(w),
          weight: w,
          decision: identifier ? 'identifier' : w >= thresholdBits ? 'match' : 'group',
        });
      }
    }
  }

  const explain = (i: number, j: number): PairExplanation => {
    const a = records[i]!;
    const b = records[j]!;
    model.compare(a, b, levels);
    const fields = model.fields.map((spec, f): FieldReason => {
      const l = levels[f]!;
      const left = spec.show(a);
      const right = spec.show(b);
      const shown = { ...(left !== undefined ? { left } : {}), ...(right !== undefined ? { right } : {}) };
      if (l < 0) return { field: spec.name, level: 'missing', outcome: 'missing', weight: 0, ...shown };
      const last = spec.levels.length - 1;
      const t = tfFields.findIndex((x) => x.field === f);
      let tf = t >= 0 ? tfOf(a, b, levels, t) : 0;
      // a joint correction is shown on the pair's second field (the given name for middle + given)
      for (let k = 0; k < joints.length; k++) if (tfFields[joints[k]![1]]!.field === f) tf += jointOf(a, b, levels, k);
      return { field: spec.name, level: spec.levels[l]!, outcome: l === 0 ? 'agreed' : l === last ? 'disagreed' : 'partly agreed', weight: fs.weights[f]![l]! + tf, ...(tf ? { termFrequency: tf } : {}), ...shown };
    });
    const weight = patternWeight(fs, levels) + tfAdjust(i, j, levels);
    return { score: probabilityOf(weight), weight, priorWeight: fs.priorWeight, fields };
  };

  return {
    kind,
    fields: model.fields.map((f) => f.name),
    records,
    clusters,
    pairs,
    joins: clustered.joins,
    model: fs,
    stats: {
      records: n,
      candidatePairs: m,
      candidatesPerKey: cands.perKey,
      distinctPatterns: patternCounts.size,
      emIterations: fs.iterations,
      identifierLinks: forced.length,
      clusters: clusterCount,
      largestCluster,
      refused: clustered.refused,
    },
    explain,
  };
}
