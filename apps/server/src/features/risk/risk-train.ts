// Training a model from declarations with known outcomes: the pure part, shared by the server's
// worker thread (risk-train.worker.ts) and `cordon risk train --db` (which trains in its own process).
import {
  extendHistory, probability, saveModel, scoreRaw, scoreReference, trainRiskModel,
  type Declaration, type RiskModel, type RiskTrainParams, type ScoreReference, type WindowInfo, type Evaluation,
} from '@cordon/engine';

export interface TrainInput {
  train: Declaration[];
  valid: Declaration[];
  columns: { categorical: string[]; numeric: string[] };
  params: Partial<RiskTrainParams>;
}

export interface TrainOutput {
  modelJson: string;
  reference: ScoreReference;
  train: WindowInfo;
  valid?: WindowInfo;
  trees: number;
  validation?: Evaluation;
  params: RiskTrainParams;
}

/**
 * Trains on `train`, stopping early on `valid`; the reference score distribution (for drift and the
 * one-by-one threshold channels) is the validation window scored with the training history only —
 * what the model would have said about those declarations — and only then are the validation
 * outcomes added to the history (docs/risk-engine.md: do not score a window against its own outcomes).
 */
export function trainWithReference(input: TrainInput): TrainOutput {
  const model: RiskModel = trainRiskModel(input.train, input.valid.length ? input.valid : undefined, input.columns, { ...input.params, historyIncludesValidation: false });
  const window = input.valid.length ? input.valid : input.train;
  const reference = scoreReference(Array.from(scoreRaw(model, window), probability));
  if (input.valid.length) {
    extendHistory(model.encoder, input.valid);
    model.params = { ...model.params, historyIncludesValidation: true };
  }
  return { modelJson: saveModel(model), reference, train: model.train, valid: model.valid, trees: model.bestRound, validation: model.validation, params: model.params };
}

/** Splits declarations (in time order) into training and validation windows. */
export function splitWindows(rows: Declaration[], w: { trainFrom?: string; trainTo?: string; validFrom?: string; validTo?: string }): { train: Declaration[]; valid: Declaration[] } {
  const inRange = (d: Declaration, from?: string, to?: string) => (!from || (d.day !== '' && d.day >= from)) && (!to || (d.day !== '' && d.day <= to));
  if (w.validFrom || w.validTo) {
    const valid = rows.filter((d) => inRange(d, w.validFrom, w.validTo));
    const inValid = new Set(valid);
    const before = (d: Declaration) => !w.validFrom || (d.day !== '' && d.day < w.validFrom);
    const train = rows.filter((d) => before(d) && inRange(d, w.trainFrom, w.trainTo) && !inValid.has(d));
    return { train, valid };
  }
  const pool = rows.filter((d) => inRange(d, w.trainFrom, w.trainTo));
  const days = [...new Set(pool.map((d) => d.day).filter(Boolean))].sort();
  if (days.length >= 5) {
    // The last fifth of the days (at least one) validates.
    const first = days[days.length - Math.max(1, Math.round(days.length / 5))]!;
    return { train: pool.filter((d) => d.day < first), valid: pool.filter((d) => d.day >= first) };
  }
  // Without enough dates, the last fifth of the rows in import order.
  const cut = Math.floor(pool.length * 0.8);
  return { train: pool.slice(0, cut), valid: pool.slice(cut) };
}
