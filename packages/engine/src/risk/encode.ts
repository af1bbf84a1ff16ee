// Categorical columns become numbers without target leakage, by time-ordered target statistics
// (CatBoost's "ordered TS" with time as the order): a training declaration sees the outcome rate of
// its category among declarations of *earlier days* only, shrunk towards the window's base rate:
//   rate = (positives before + prior · w) / (count before + w),  count = declarations before.
// Same-day declarations do not see each other (their outcomes are not known when they are scored).
// Scoring sees the whole history the model was given, i.e. it stands where the last training day
// ends, which is exactly what the latest training rows saw. Unseen categories get the prior and
// count 0, the same as a category's first appearance in training. Numeric columns pass through
// (NaN = missing; the trees learn where missing values go).
// Derived features (chosen by the training parameters, stored with the model): pairs of categorical
// columns become one more category each (CatBoost-style combinations: "this HS code from this
// origin"), with the same time-ordered statistics; ratios of numeric columns (a unit price = price /
// mass) are one more number each, missing when either side is missing or the divisor is 0.
import type { Declaration } from './mapping.js';
import type { Matrix } from './gbdt.js';

export interface CategoryTable {
  /** value → [declarations, positives] over the history. */
  counts: Map<string, [number, number]>;
}

export interface FeatureEncoder {
  categorical: string[];
  numeric: string[];
  /** Pairs of categorical columns (indices) encoded as one combined category each; tables follow the columns'. */
  pairs: [number, number][];
  /** Ratios of numeric columns (indices): numeric[a] / numeric[b]. */
  ratios: [number, number][];
  /** Base rate of the history and the weight (in declarations) of the prior. */
  prior: number;
  priorWeight: number;
  tables: CategoryTable[];
}

export interface DerivedColumns {
  /** Pairs of categorical column names to combine. */
  pairs: [string, string][];
  /** [numerator, divisor] numeric column names. */
  ratios: [string, string][];
}

export const NO_DERIVED: DerivedColumns = { pairs: [], ratios: [] };

/**
 * Names of the matrix columns, in order, and the source columns each comes from (one, or two for a
 * derived feature; explanations share a derived feature's contribution between them).
 */
export function featureNames(e: Pick<FeatureEncoder, 'categorical' | 'numeric' | 'pairs' | 'ratios'>): { name: string; columns: string[] }[] {
  const stat = (name: string, columns: string[]) => [
    { name: `${name} (outcome rate)`, columns },
    { name: `${name} (count)`, columns },
  ];
  return [
    ...e.categorical.flatMap((c) => stat(c, [c])),
    ...e.pairs.flatMap(([a, b]) => stat(`${e.categorical[a]} × ${e.categorical[b]}`, [e.categorical[a]!, e.categorical[b]!])),
    ...e.numeric.map((c) => ({ name: c, columns: [c] })),
    ...e.ratios.map(([a, b]) => ({ name: `${e.numeric[a]} / ${e.numeric[b]}`, columns: [e.numeric[a]!, e.numeric[b]!] })),
  ];
}

/** Number of matrix columns the encoder writes. */
export const featureCount = (e: Pick<FeatureEncoder, 'categorical' | 'numeric' | 'pairs' | 'ratios'>) =>
  2 * (e.categorical.length + e.pairs.length) + e.numeric.length + e.ratios.length;

function resolveDerived(columns: { categorical: string[]; numeric: string[] }, d: DerivedColumns): Pick<FeatureEncoder, 'pairs' | 'ratios'> {
  const index = (list: string[], name: string, kind: string) => {
    const i = list.indexOf(name);
    if (i < 0) throw new Error(`derived feature: ${JSON.stringify(name)} is not a ${kind} column of the mapping`);
    return i;
  };
  return {
    pairs: d.pairs.map(([a, b]) => [index(columns.categorical, a, 'categorical'), index(columns.categorical, b, 'categorical')]),
    ratios: d.ratios.map(([a, b]) => [index(columns.numeric, a, 'numeric'), index(columns.numeric, b, 'numeric')]),
  };
}

/** The category a declaration has in statistics table t (a column, then the pairs). */
export function categoryKey(e: Pick<FeatureEncoder, 'categorical' | 'pairs'>, r: Declaration, t: number): string {
  const nc = e.categorical.length;
  if (t < nc) return r.cat[t]!;
  const [a, b] = e.pairs[t - nc]!;
  return `${r.cat[a]!}\u0001${r.cat[b]!}`;
}

/** Numeric feature j of a declaration (the columns, then the ratios). */
export function numericValue(e: Pick<FeatureEncoder, 'numeric' | 'ratios'>, r: Declaration, j: number): number {
  const nn = e.numeric.length;
  if (j < nn) return r.num[j]!;
  const [a, b] = e.ratios[j - nn]!;
  const d = r.num[b]!;
  return d === 0 ? NaN : r.num[a]! / d; // NaN on either side stays NaN
}

/** Outcome rate of a category seen `n` times with `p` found, shrunk to the prior. */
export const shrunkRate = (p: number, n: number, prior: number, w: number) => (p + prior * w) / (n + w);

// Changes of history since an encoder was built: compiled scorers (fast-score.ts) check it.
const revisions = new WeakMap<FeatureEncoder, number>();
export const historyRevision = (e: FeatureEncoder) => revisions.get(e) ?? 0;

const byTime = (rows: Declaration[]) => rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.time - b.r.time || a.i - b.i);

/**
 * Encodes the training window in time order and returns the encoder holding the window's full
 * statistics. Rows of the matrix are in the input order (labels line up with `rows`).
 */
export function fitEncoder(
  rows: Declaration[],
  columns: { categorical: string[]; numeric: string[] },
  priorWeight = 1,
  derived: DerivedColumns = NO_DERIVED,
): { encoder: FeatureEncoder; matrix: Matrix } {
  const { pairs, ratios } = resolveDerived(columns, derived);
  let pos = 0;
  for (const r of rows) pos += r.label ?? 0;
  const prior = rows.length ? pos / rows.length : 0;
  const tables: CategoryTable[] = Array.from({ length: columns.categorical.length + pairs.length }, () => ({ counts: new Map() }));
  const encoder: FeatureEncoder = { categorical: columns.categorical, numeric: columns.numeric, pairs, ratios, prior, priorWeight, tables };
  const f = featureCount(encoder);
  const x = new Float64Array(rows.length * f);
  const ordered = byTime(rows);
  for (let s = 0; s < ordered.length; ) {
    // One day (or, without dates, one row) at a time: encode all of it, then learn from it.
    let e = s;
    while (e < ordered.length && ordered[e]!.r.time === ordered[s]!.r.time) e++;
    for (let k = s; k < e; k++) writeRow(x, f, ordered[k]!.i, ordered[k]!.r, encoder);
    for (let k = s; k < e; k++) learn(encoder, ordered[k]!.r);
    s = e;
  }
  return { encoder, matrix: { n: rows.length, f, x } };
}

/** Adds later declarations with known outcomes to the history (e.g. the validation window after training). */
export function extendHistory(e: FeatureEncoder, rows: Declaration[]): void {
  for (const r of rows) learn(e, r);
  revisions.set(e, historyRevision(e) + 1);
}

function learn(e: FeatureEncoder, r: Declaration) {
  for (let c = 0; c < e.tables.length; c++) {
    const m = e.tables[c]!.counts;
    const v = categoryKey(e, r, c);
    const cur = m.get(v);
    if (cur) {
      cur[0]++;
      cur[1] += r.label ?? 0;
    } else m.set(v, [1, r.label ?? 0]);
  }
}

function writeRow(x: Float64Array, f: number, i: number, r: Declaration, e: FeatureEncoder) {
  const o = i * f;
  const nt = e.tables.length;
  for (let c = 0; c < nt; c++) {
    const cur = e.tables[c]!.counts.get(categoryKey(e, r, c));
    const n = cur ? cur[0] : 0;
    x[o + 2 * c] = shrunkRate(cur ? cur[1] : 0, n, e.prior, e.priorWeight);
    x[o + 2 * c + 1] = n;
  }
  const nn = e.numeric.length + e.ratios.length;
  for (let j = 0; j < nn; j++) x[o + 2 * nt + j] = numericValue(e, r, j);
}

/** Encodes declarations to score against the encoder's whole history. */
export function encodeRows(e: FeatureEncoder, rows: Declaration[]): Matrix {
  const f = featureCount(e);
  const x = new Float64Array(rows.length * f);
  for (let i = 0; i < rows.length; i++) writeRow(x, f, i, rows[i]!, e);
  return { n: rows.length, f, x };
}

export interface EncoderJson {
  categorical: string[];
  numeric: string[];
  prior: number;
  priorWeight: number;
  /** Absent in models saved before derived features existed (= none). */
  pairs?: [number, number][];
  ratios?: [number, number][];
  /** Per categorical column, then per pair: value → [declarations, positives]. */
  tables: Record<string, [number, number]>[];
}

export const encoderToJson = (e: FeatureEncoder): EncoderJson => ({
  categorical: e.categorical,
  numeric: e.numeric,
  prior: e.prior,
  priorWeight: e.priorWeight,
  ...(e.pairs.length ? { pairs: e.pairs } : {}),
  ...(e.ratios.length ? { ratios: e.ratios } : {}),
  tables: e.tables.map((t) => Object.fromEntries(t.counts)),
});

export const encoderFromJson = (j: EncoderJson): FeatureEncoder => ({
  categorical: j.categorical,
  numeric: j.numeric,
  pairs: j.pairs ?? [],
  ratios: j.ratios ?? [],
  prior: j.prior,
  priorWeight: j.priorWeight,
  tables: j.tables.map((t) => ({ counts: new Map(Object.entries(t).map(([k, v]) => [k, [v[0], v[1]] as [number, number]])) })),
});
