// A risk model = the categorical history (encode.ts) + the boosted trees (gbdt.ts) + what it was
// trained on. Saved as one JSON document; `loadModel(saveModel(m))` scores identically.
import { boosterFromJson, boosterToJson, DEFAULT_GBDT_PARAMS, predictRaw, trainGbdt, type Booster, type BoosterJson, type GbdtParams } from './gbdt.js';
import { encodeRows, encoderFromJson, encoderToJson, extendHistory, featureCount, featureNames, fitEncoder, type DerivedColumns, type EncoderJson, type FeatureEncoder } from './encode.js';
import { compiledScorer, explainBinned, foldColumns } from './fast-score.js';
import type { Declaration, RiskMapping } from './mapping.js';
import { evaluateSelection, type Evaluation } from './metrics.js';

export interface RiskTrainParams extends GbdtParams {
  /** Weight of the base rate in the categories' outcome rates, in declarations. */
  priorWeight: number;
  /** After training, add the validation window's outcomes to the categories' history (they are known when the model is used). */
  historyIncludesValidation: boolean;
  /**
   * Pairs of categorical columns combined into one more category each (CatBoost-style), or 'auto':
   * every pair of the `pairColumns` columns whose own outcome rates predict best in training.
   */
  pairs: [string, string][] | 'auto';
  pairColumns: number;
  /** Ratios of numeric columns, [numerator, divisor] (e.g. a unit price); 'auto' = every later column over every earlier one. */
  ratios: [string, string][] | 'auto';
}

export const DEFAULT_RISK_PARAMS: RiskTrainParams = { ...DEFAULT_GBDT_PARAMS, priorWeight: 1, historyIncludesValidation: true, pairs: 'auto', pairColumns: 5, ratios: 'auto' };

/**
 * The pairs 'auto' stands for, chosen on the training window only: rank the categorical columns by
 * the log loss of their time-ordered outcome rate used alone as the prediction (each row's rate from
 * earlier days, so no row sees its own outcome), keep the best `k`, and pair each with each.
 */
export function resolvePairs(p: Pick<RiskTrainParams, 'pairs' | 'pairColumns' | 'priorWeight'>, train: Declaration[], categorical: readonly string[]): [string, string][] {
  if (p.pairs !== 'auto') return p.pairs;
  const { matrix } = fitEncoder(train, { categorical: [...categorical], numeric: [] }, p.priorWeight);
  const f = matrix.f;
  const loss = categorical.map((_, c) => {
    let s = 0;
    for (let i = 0; i < matrix.n; i++) {
      const r = Math.min(1 - 1e-9, Math.max(1e-9, matrix.x[i * f + 2 * c]!));
      s -= train[i]!.label ? Math.log(r) : Math.log(1 - r);
    }
    return s;
  });
  const best = categorical.map((_, c) => c).sort((a, b) => loss[a]! - loss[b]! || a - b).slice(0, Math.max(0, p.pairColumns)).sort((a, b) => a - b);
  return best.flatMap((a, i) => best.slice(i + 1).map((b): [string, string] => [categorical[a]!, categorical[b]!]));
}

/** The ratios 'auto' stands for: numeric[j] / numeric[i] for i < j (a tree does not need both directions). */
export function resolveRatios(ratios: RiskTrainParams['ratios'], numeric: readonly string[]): [string, string][] {
  if (ratios !== 'auto') return ratios;
  return numeric.flatMap((a, i) => numeric.slice(i + 1).map((b): [string, string] => [b, a]));
}

export interface WindowInfo {
  rows: number;
  positives: number;
  /** First and last day (yyyy-MM-dd), '' without a date column. */
  from: string;
  to: string;
}

export interface RiskModel {
  encoder: FeatureEncoder;
  booster: Booster;
  params: RiskTrainParams;
  train: WindowInfo;
  valid?: WindowInfo;
  rounds: number;
  bestRound: number;
  /** Validation figures at 1/2/5/10% with the training-window history (what early stopping saw). */
  validation?: Evaluation;
}

const MODEL_FORMAT = 'cordon-risk-model/1';

function windowInfo(rows: Declaration[]): WindowInfo {
  let from = '';
  let to = '';
  let positives = 0;
  for (const r of rows) {
    positives += r.label ?? 0;
    if (r.day && (from === '' || r.day < from)) from = r.day;
    if (r.day && r.day > to) to = r.day;
  }
  return { rows: rows.length, positives, from, to };
}

function labelsOf(rows: Declaration[], what: string): Uint8Array {
  return Uint8Array.from(rows, (r) => {
    if (r.label === undefined) throw new Error(`${what}: line ${r.line} has no label`);
    return r.label;
  });
}

export function trainRiskModel(
  train: Declaration[],
  valid: Declaration[] | undefined,
  mapping: Pick<RiskMapping, 'categorical' | 'numeric'>,
  params: Partial<RiskTrainParams> = {},
): RiskModel {
  const p: RiskTrainParams = { ...DEFAULT_RISK_PARAMS, ...params };
  if (train.length === 0) throw new Error('the training window is empty');
  const derived = { pairs: resolvePairs(p, train, mapping.categorical), ratios: resolveRatios(p.ratios, mapping.numeric) };
  const { encoder, matrix } = fitEncoder(train, { categorical: [...mapping.categorical], numeric: [...mapping.numeric] }, p.priorWeight, derived);
  const y = labelsOf(train, 'training');
  const v = valid?.length ? { m: encodeRows(encoder, valid), y: labelsOf(valid, 'validation') } : undefined;
  const { booster, log } = trainGbdt(matrix, y, v, p);
  const model: RiskModel = { encoder, booster, params: p, train: windowInfo(train), rounds: log.rounds, bestRound: log.bestRound };
  if (valid?.length && v) {
    model.valid = windowInfo(valid);
    model.validation = evaluateSelection(predictRaw(booster, v.m), v.y, [1, 2, 5, 10], valid.map((r) => r.revenue));
    if (p.historyIncludesValidation) extendHistory(encoder, valid);
  }
  return model;
}

/** Probability that inspection finds something: 1 / (1 + e^−raw). */
export const probability = (raw: number) => 1 / (1 + Math.exp(-raw));

/** The derived features a model was trained with, by column names (what 'auto' resolved to). */
export function derivedColumns(model: RiskModel): DerivedColumns {
  const { categorical, numeric, pairs, ratios } = model.encoder;
  return { pairs: pairs.map(([a, b]) => [categorical[a]!, categorical[b]!]), ratios: ratios.map(([a, b]) => [numeric[a]!, numeric[b]!]) };
}

/**
 * Raw scores (log-odds) of declarations: the compiled scorer (fast-score.ts, bin space, row blocks),
 * identical to `predictRaw(model.booster, encodeRows(model.encoder, rows))` (a test holds it to that).
 */
export function scoreRaw(model: RiskModel, rows: Declaration[]): Float64Array {
  return compiledScorer(model).scoreRaw(rows);
}

export interface Reason {
  column: string;
  value: string;
  /** Log-odds this column added to the score (Saabas attribution, summed over the column's features). */
  contribution: number;
}

export interface Explained {
  raw: Float64Array;
  /** Log-odds every declaration starts from (base rate + trees' root values). */
  bias: number;
  /** Per declaration: per mapped column (categorical then numeric), its contribution. Σ + bias = raw. */
  byColumn: Float64Array[];
  columns: string[];
}

const columnsCache = new WeakMap<FeatureEncoder, { columns: string[]; colA: Int32Array; colB: Int32Array }>();

/**
 * Per matrix column, the mapped column(s) its contribution goes to (a derived feature: two, halves).
 * Cached per encoder (its columns never change): one-declaration requests call explain constantly.
 */
export function contributionColumns(model: RiskModel): { columns: string[]; colA: Int32Array; colB: Int32Array } {
  const hit = columnsCache.get(model.encoder);
  if (hit) return { ...hit, columns: [...hit.columns] };
  const columns = [...model.encoder.categorical, ...model.encoder.numeric];
  const names = featureNames(model.encoder);
  const colsOf = names.map((nm) => nm.columns.map((c) => columns.indexOf(c)));
  const out = { columns, colA: Int32Array.from(colsOf, (c) => c[0]!), colB: Int32Array.from(colsOf, (c) => (c.length > 1 ? c[1]! : -1)) };
  columnsCache.set(model.encoder, out);
  return { ...out, columns: [...columns] };
}

/**
 * Raw scores and per-column Saabas contributions, through the compiled scorer: the same numbers, bit
 * for bit, as gbdt.ts `predictRaw` and `contributions` on `encodeRows` (a test holds it to that).
 */
export function explain(model: RiskModel, rows: Declaration[]): Explained {
  const scorer = compiledScorer(model);
  const n = rows.length;
  const f = scorer.forest.numFeatures;
  const { raw, contrib } = explainBinned(scorer.forest, scorer.binRows(rows), n);
  const { columns, colA, colB } = contributionColumns(model);
  const flat = new Float64Array(n * columns.length);
  foldColumns(contrib, f, 0, n, colA, colB, flat, columns.length);
  const byColumn = rows.map((_, i) => flat.subarray(i * columns.length, (i + 1) * columns.length));
  const bias = n ? contrib[f]! : model.booster.baseScore;
  return { raw, bias, byColumn, columns };
}

/** The columns that pushed a declaration's score up most (positive contributions only), largest first. */
export function topReasons(model: RiskModel, e: Explained, rows: Declaration[], i: number, k = 3, minContribution = 0.01): Reason[] {
  const nc = model.encoder.categorical.length;
  const row = rows[i]!;
  return Array.from(e.byColumn[i]!, (c, j) => ({ column: e.columns[j]!, value: j < nc ? row.cat[j]! : String(row.num[j - nc]), contribution: c }))
    .filter((r) => r.contribution >= minContribution)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, k);
}

interface RiskModelJson {
  format: typeof MODEL_FORMAT;
  params: RiskTrainParams;
  train: WindowInfo;
  valid?: WindowInfo;
  rounds: number;
  bestRound: number;
  validation?: Evaluation;
  /** Per matrix column: name and summed split gain (a global importance). */
  features: { name: string; gain: number }[];
  encoder: EncoderJson;
  trees: BoosterJson;
}

export function saveModel(m: RiskModel): string {
  const json: RiskModelJson = {
    format: MODEL_FORMAT,
    params: m.params,
    train: m.train,
    valid: m.valid,
    rounds: m.rounds,
    bestRound: m.bestRound,
    validation: m.validation,
    features: featureNames(m.encoder).map((f, j) => ({ name: f.name, gain: m.booster.gain[j]! })),
    encoder: encoderToJson(m.encoder),
    trees: boosterToJson(m.booster),
  };
  return JSON.stringify(json);
}

export function loadModel(text: string): RiskModel {
  let j: RiskModelJson;
  try {
    j = JSON.parse(text) as RiskModelJson;
  } catch (err) {
    throw new Error(`model: not JSON (${(err as Error).message})`);
  }
  if (j?.format !== MODEL_FORMAT) throw new Error(`model: expected format ${MODEL_FORMAT}, got ${String(j?.format)}`);
  const encoder = encoderFromJson(j.encoder);
  const booster = boosterFromJson(j.trees);
  if (encoder.tables.length !== encoder.categorical.length + encoder.pairs.length) throw new Error('model: the encoder has the wrong number of category tables');
  if (booster.numFeatures !== featureCount(encoder)) throw new Error('model: trees and encoder disagree on the number of features');
  return { encoder, booster, params: { ...DEFAULT_RISK_PARAMS, ...j.params }, train: j.train, valid: j.valid, rounds: j.rounds, bestRound: j.bestRound, validation: j.validation };
}

/** Checks that a mapping feeds the model the columns it was trained on, in the same order. */
export function checkMappingFits(model: RiskModel, mapping: Pick<RiskMapping, 'categorical' | 'numeric'>): void {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(model.encoder.categorical, mapping.categorical) || !same(model.encoder.numeric, mapping.numeric))
    throw new Error(
      `the mapping's feature columns differ from the model's (model: categorical ${JSON.stringify(model.encoder.categorical)}, numeric ${JSON.stringify(model.encoder.numeric)})`,
    );
}
