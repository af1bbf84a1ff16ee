// Categorical columns become numbers without target leakage, by time-ordered target statistics
// (CatBoost's "ordered TS" with time as the order): a training declaration sees the outcome rate of
// its category among declarations of *earlier days* only, shrunk towards the window's base rate:
//   rate = (positives before + prior · w) / (count before + w),  count = declarations before.
// Same-day declarations do not see each other (their outcomes are not known when they are scored).
// Scoring sees the whole history the model was given, i.e. it stands where the last training day
// ends, which is exactly what the latest training rows saw. Unseen categories get the prior and
// count 0, the same as a category's first appearance in training. Numeric columns pass through
// (NaN = missing; the trees learn where missing values go).
import type { Declaration } from './mapping.js';
import type { Matrix } from './gbdt.js';

export interface CategoryTable {
  /** value → [declarations, positives] over the history. */
  counts: Map<string, [number, number]>;
}

export interface FeatureEncoder {
  categorical: string[];
  numeric: string[];
  /** Base rate of the history and the weight (in declarations) of the prior. */
  prior: number;
  priorWeight: number;
  tables: CategoryTable[];
}

/** Names of the matrix columns, in order, and the source column each belongs to. */
export function featureNames(e: Pick<FeatureEncoder, 'categorical' | 'numeric'>): { name: string; column: string }[] {
  return [
    ...e.categorical.flatMap((c) => [
      { name: `${c} (outcome rate)`, column: c },
      { name: `${c} (count)`, column: c },
    ]),
    ...e.numeric.map((c) => ({ name: c, column: c })),
  ];
}

const byTime = (rows: Declaration[]) => rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.time - b.r.time || a.i - b.i);

/**
 * Encodes the training window in time order and returns the encoder holding the window's full
 * statistics. Rows of the matrix are in the input order (labels line up with `rows`).
 */
export function fitEncoder(
  rows: Declaration[],
  columns: { categorical: string[]; numeric: string[] },
  priorWeight = 1,
): { encoder: FeatureEncoder; matrix: Matrix } {
  const nc = columns.categorical.length;
  const f = 2 * nc + columns.numeric.length;
  const x = new Float64Array(rows.length * f);
  let pos = 0;
  for (const r of rows) pos += r.label ?? 0;
  const prior = rows.length ? pos / rows.length : 0;
  const tables: CategoryTable[] = columns.categorical.map(() => ({ counts: new Map() }));
  const ordered = byTime(rows);
  for (let s = 0; s < ordered.length; ) {
    // One day (or, without dates, one row) at a time: encode all of it, then learn from it.
    let e = s;
    while (e < ordered.length && ordered[e]!.r.time === ordered[s]!.r.time) e++;
    for (let k = s; k < e; k++) writeRow(x, f, ordered[k]!.i, ordered[k]!.r, tables, prior, priorWeight);
    for (let k = s; k < e; k++) learn(tables, ordered[k]!.r);
    s = e;
  }
  return { encoder: { categorical: columns.categorical, numeric: columns.numeric, prior, priorWeight, tables }, matrix: { n: rows.length, f, x } };
}

/** Adds later declarations with known outcomes to the history (e.g. the validation window after training). */
export function extendHistory(e: FeatureEncoder, rows: Declaration[]): void {
  for (const r of rows) learn(e.tables, r);
}

function learn(tables: CategoryTable[], r: Declaration) {
  for (let c = 0; c < tables.length; c++) {
    const m = tables[c]!.counts;
    const v = r.cat[c]!;
    const cur = m.get(v);
    if (cur) {
      cur[0]++;
      cur[1] += r.label ?? 0;
    } else m.set(v, [1, r.label ?? 0]);
  }
}

function writeRow(x: Float64Array, f: number, i: number, r: Declaration, tables: CategoryTable[], prior: number, w: number) {
  const o = i * f;
  const nc = tables.length;
  for (let c = 0; c < nc; c++) {
    const cur = tables[c]!.counts.get(r.cat[c]!);
    const n = cur ? cur[0] : 0;
    const p = cur ? cur[1] : 0;
    x[o + 2 * c] = (p + prior * w) / (n + w);
    x[o + 2 * c + 1] = n;
  }
  for (let j = 0; j < r.num.length; j++) x[o + 2 * nc + j] = r.num[j]!;
}

/** Encodes declarations to score against the encoder's whole history. */
export function encodeRows(e: FeatureEncoder, rows: Declaration[]): Matrix {
  const f = 2 * e.categorical.length + e.numeric.length;
  const x = new Float64Array(rows.length * f);
  for (let i = 0; i < rows.length; i++) writeRow(x, f, i, rows[i]!, e.tables, e.prior, e.priorWeight);
  return { n: rows.length, f, x };
}

export interface EncoderJson {
  categorical: string[];
  numeric: string[];
  prior: number;
  priorWeight: number;
  /** Per categorical column: value → [declarations, positives]. */
  tables: Record<string, [number, number]>[];
}

export const encoderToJson = (e: FeatureEncoder): EncoderJson => ({
  categorical: e.categorical,
  numeric: e.numeric,
  prior: e.prior,
  priorWeight: e.priorWeight,
  tables: e.tables.map((t) => Object.fromEntries(t.counts)),
});

export const encoderFromJson = (j: EncoderJson): FeatureEncoder => ({
  categorical: j.categorical,
  numeric: j.numeric,
  prior: j.prior,
  priorWeight: j.priorWeight,
  tables: j.tables.map((t) => ({ counts: new Map(Object.entries(t).map(([k, v]) => [k, [v[0], v[1]] as [number, number]])) })),
});
