import { describe, expect, it } from 'vitest';
import { binOf, contributions, predictRaw, trainGbdt, type Matrix } from './gbdt.js';
import { encodeRows, extendHistory, featureNames, fitEncoder } from './encode.js';
import { compiledScorer, explainBinned, flattenForest, predictBinned } from './fast-score.js';
import { explain, loadModel, saveModel, scoreRaw, trainRiskModel, type RiskModel } from './model.js';
import { riskRng } from './prng.js';
import type { Declaration } from './mapping.js';

const decl = (i: number, day: number, cat: string[], num: number[], label: 0 | 1): Declaration => ({
  line: i + 2,
  id: String(i),
  time: Date.UTC(2020, 0, 1 + day),
  day: new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10),
  office: 'O1',
  label,
  revenue: 0,
  cat,
  num,
});

/** Declarations where importer, the (HS, origin) pair and the price per kilogram carry the risk. */
function synthetic(n: number, seed: number, dayOffset: number): Declaration[] {
  const rand = riskRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const importer = `I${Math.floor(rand() * 40)}`;
    const hs = `HS${Math.floor(rand() * 6)}`;
    const origin = `C${Math.floor(rand() * 6)}`;
    const mass = rand() < 0.05 ? NaN : 1 + rand() * 100;
    const price = rand() < 0.05 ? 0 : mass * (rand() < 0.2 ? 0.5 : 5) * (0.8 + 0.4 * rand());
    const p = 0.05 + (importer < 'I1' ? 0.3 : 0) + (hs === origin.replace('C', 'HS') ? 0.4 : 0) + (price / mass < 2 ? 0.3 : 0);
    return decl(i, dayOffset + Math.floor((i / n) * 30), [importer, hs, origin], [mass, price], rand() < p ? 1 : 0);
  });
}

describe('compiled scorer', () => {
  it('gives bit-identical raw scores to the reference walk on random data, missing values and values on the thresholds', () => {
    const rand = riskRng(21);
    const f = 4;
    const n = 1500;
    const x = Float64Array.from({ length: n * f }, () => (rand() < 0.1 ? NaN : Math.round(rand() * 50) / 10));
    const m: Matrix = { n, f, x };
    const y = Uint8Array.from({ length: n }, (_, i) => (rand() < ((x[i * f]! || 3) + (x[i * f + 1]! || 0)) / 10 ? 1 : 0));
    const { booster } = trainGbdt(m, y, undefined, { numRounds: 40, maxLeaves: 15, minDataInLeaf: 5 });
    // Probe rows: fresh random values, exact thresholds, just above them, and missing.
    const probe: number[] = [];
    for (let i = 0; i < 500; i++) for (let j = 0; j < f; j++) probe.push(rand() < 0.15 ? NaN : rand() * 6 - 0.5);
    for (let k = 0; k < booster.feature.length; k++) {
      const j = booster.feature[k]!;
      if (j < 0) continue;
      for (const v of [booster.threshold[k]!, booster.threshold[k]! + 1e-9]) probe.push(...Array.from({ length: f }, (_, q) => (q === j ? v : rand() * 5)));
    }
    const pm: Matrix = { n: probe.length / f, f, x: Float64Array.from(probe) };
    const bins = Uint8Array.from(probe, (v, i) => binOf(booster.binEdges[i % f]!, v));
    const forest = flattenForest(booster);
    const fast = predictBinned(forest, bins, pm.n);
    expect(Array.from(fast)).toEqual(Array.from(predictRaw(booster, pm)));
    // Every row count around the compiled code's block of 512 rows.
    expect(pm.n).toBeGreaterThan(1100);
    for (const n of [1, 3, 511, 512, 513, 1025]) expect(Array.from(predictBinned(forest, bins, n))).toEqual(Array.from(fast.subarray(0, n)));
    // The explaining walk: the same raw scores and the reference's contributions, bit for bit.
    const ex = explainBinned(forest, bins, pm.n);
    expect(Array.from(ex.raw)).toEqual(Array.from(fast));
    expect(Array.from(ex.contrib)).toEqual(Array.from(contributions(booster, pm)));
  });

  it('stays bit-identical with 255 bins per feature, deep trees and more trees than one compiled function holds', () => {
    // Thresholds ≥ 64 take two bytes in the compiled code; 30 trees span several functions of 8.
    const rand = riskRng(33);
    const f = 3;
    const n = 4000;
    const x = Float64Array.from({ length: n * f }, () => (rand() < 0.05 ? NaN : rand() * 1000));
    const y = Uint8Array.from({ length: n }, (_, i) => (rand() < ((x[i * f]! || 500) % 97) / 97 ? 1 : 0));
    const { booster } = trainGbdt({ n, f, x }, y, undefined, { numRounds: 30, maxLeaves: 63, minDataInLeaf: 2, featureFraction: 1, baggingFraction: 1 });
    expect(Math.max(...booster.binThreshold)).toBeGreaterThan(200);
    const probe: Matrix = { n, f, x: Float64Array.from(x, (v) => (v === v ? v + (rand() - 0.5) : v)) };
    const bins = Uint8Array.from(probe.x, (v, i) => binOf(booster.binEdges[i % f]!, v));
    const forest = flattenForest(booster);
    expect(Array.from(predictBinned(forest, bins, n))).toEqual(Array.from(predictRaw(booster, probe)));
    expect(Array.from(explainBinned(forest, bins, n).contrib)).toEqual(Array.from(contributions(booster, probe)));
  });

  it('scores declarations (categories seen and unseen, pairs, ratios) exactly as encoding then walking the trees', () => {
    const train = synthetic(2000, 1, 0);
    const valid = synthetic(600, 2, 30);
    const later = [...synthetic(600, 3, 60), decl(9999, 90, ['NEW', 'HS99', 'C99'], [NaN, 5], 0)];
    const model = trainRiskModel(train, valid, { categorical: ['Importer', 'HS', 'Origin'], numeric: ['Mass', 'Price'] }, {
      numRounds: 60, pairs: [['HS', 'Origin']], ratios: 'auto', seed: 5,
    });
    const reference = (rows: Declaration[]) => Array.from(predictRaw(model.booster, encodeRows(model.encoder, rows)));
    expect(Array.from(scoreRaw(model, later))).toEqual(reference(later));
    // More history after compiling: the next scores use it (the compiled lookups are rebuilt).
    const before = Array.from(scoreRaw(model, later));
    extendHistory(model.encoder, later.slice(0, 300));
    const after = Array.from(scoreRaw(model, later));
    expect(after).toEqual(reference(later));
    expect(after).not.toEqual(before);
    expect(compiledScorer(model)).toBe(compiledScorer(model));
  });

  it('explains declarations exactly as the reference contributions summed per column', () => {
    const train = synthetic(2000, 7, 0);
    const valid = synthetic(600, 8, 30);
    const model = trainRiskModel(train, valid, { categorical: ['Importer', 'HS', 'Origin'], numeric: ['Mass', 'Price'] }, {
      numRounds: 40, pairs: [['HS', 'Origin']], ratios: 'auto', seed: 9,
    });
    const later = [...synthetic(300, 10, 60), decl(9999, 90, ['NEW', 'HS99', 'C99'], [NaN, 5], 0)];
    const e = explain(model, later);
    expect(Array.from(e.raw)).toEqual(Array.from(referenceExplain(model, later).raw));
    expect(e.byColumn.map((c) => Array.from(c))).toEqual(referenceExplain(model, later).byColumn);
    expect(e.bias).toBe(referenceExplain(model, later).bias);
  });
});

/** explain() as it was before the compiled path: encodeRows, predictRaw, contributions, shared per column. */
function referenceExplain(model: RiskModel, rows: Declaration[]) {
  const m = encodeRows(model.encoder, rows);
  const contrib = contributions(model.booster, m);
  const columns = [...model.encoder.categorical, ...model.encoder.numeric];
  const colsOf = featureNames(model.encoder).map((nm) => nm.columns.map((c) => columns.indexOf(c)));
  const byColumn = rows.map((_, i) => {
    const out = new Array<number>(columns.length).fill(0);
    for (let j = 0; j < m.f; j++) for (const c of colsOf[j]!) out[c] = out[c]! + contrib[i * (m.f + 1) + j]! / colsOf[j]!.length;
    return out;
  });
  return { raw: predictRaw(model.booster, m), byColumn, bias: contrib[m.f]! };
}

describe('derived features', () => {
  it('encodes a pair of columns with time-ordered statistics and a ratio that is missing when it cannot be computed', () => {
    const rows = [decl(0, 0, ['A', 'X'], [10, 0], 1), decl(1, 1, ['A', 'X'], [10, 5], 0), decl(2, 1, ['A', 'Y'], [NaN, 5], 1)];
    const { matrix, encoder } = fitEncoder(rows, { categorical: ['a', 'b'], numeric: ['price', 'mass'] }, 1, { pairs: [['a', 'b']], ratios: [['price', 'mass']] });
    const f = 2 * 3 + 2 + 1;
    expect(matrix.f).toBe(f);
    const prior = 2 / 3;
    // Row 1 (day 1) sees row 0's (A, X) outcome; row 2's pair (A, Y) is new.
    expect(matrix.x[1 * f + 4]).toBeCloseTo((1 + prior) / 2, 12);
    expect(matrix.x[1 * f + 5]).toBe(1);
    expect([matrix.x[2 * f + 4], matrix.x[2 * f + 5]]).toEqual([prior, 0]);
    expect(matrix.x[0 * f + 8]).toBeNaN(); // price / 0
    expect(matrix.x[1 * f + 8]).toBe(2);
    expect(matrix.x[2 * f + 8]).toBeNaN(); // missing price
    expect(encoder.tables).toHaveLength(3);
    expect(() => fitEncoder(rows, { categorical: ['a', 'b'], numeric: ['price', 'mass'] }, 1, { pairs: [['a', 'c']], ratios: [] })).toThrow(/"c" is not a categorical column/);
  });

  it('keeps explanations exact and save/load identical with derived features', () => {
    const train = synthetic(2000, 4, 0);
    const valid = synthetic(600, 5, 30);
    const model = trainRiskModel(train, valid, { categorical: ['Importer', 'HS', 'Origin'], numeric: ['Mass', 'Price'] }, {
      numRounds: 60, pairs: [['HS', 'Origin']], ratios: [['Price', 'Mass']], seed: 6,
    });
    const again = loadModel(saveModel(model));
    expect(Array.from(scoreRaw(again, valid))).toEqual(Array.from(scoreRaw(model, valid)));
    expect(saveModel(again)).toBe(saveModel(model));
    const e = explain(model, valid);
    expect(e.columns).toEqual(['Importer', 'HS', 'Origin', 'Mass', 'Price']);
    for (let i = 0; i < valid.length; i++) expect(e.bias + e.byColumn[i]!.reduce((s, c) => s + c, 0)).toBeCloseTo(e.raw[i]!, 9);
  });
});
