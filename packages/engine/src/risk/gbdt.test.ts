import { describe, expect, it } from 'vitest';
import { contributions, predictRaw, trainGbdt, quantileEdges, binOf, type Matrix } from './gbdt.js';
import { riskRng } from './prng.js';

function matrix(n: number, f: number, fill: (i: number, j: number) => number): Matrix {
  const x = new Float64Array(n * f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) x[i * f + j] = fill(i, j);
  return { n, f, x };
}
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('histogram binning', () => {
  it('puts each distinct value in its own bin when there are few, with edges halfway between them', () => {
    expect(Array.from(quantileEdges([3, 1, 2, 2, NaN, 1], 255))).toEqual([1.5, 2.5]);
    const e = quantileEdges([1, 2, 3], 255);
    // bin 0 is missing; value bins start at 1
    expect([binOf(e, NaN), binOf(e, 1), binOf(e, 1.5), binOf(e, 2), binOf(e, 3), binOf(e, 99)]).toEqual([0, 1, 1, 2, 3, 3]);
  });

  it('never makes more than maxBins value bins and keeps ties together', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i < 5000 ? 0 : i));
    const e = quantileEdges(values, 16);
    expect(e.length).toBeLessThanOrEqual(15);
    expect(binOf(e, 0)).toBe(1); // the 5,000 zeros share the first bin
    expect(binOf(e, 1e9)).toBe(e.length + 1);
  });
});

describe('gradient-boosted trees', () => {
  it('fits a step: the first split lands on the step and the two sides get opposite probabilities', () => {
    // y = 1 exactly when x0 > 0.6; x1 is noise the trees should ignore.
    const rand = riskRng(7);
    const m = matrix(2000, 2, () => rand());
    const y = Uint8Array.from({ length: m.n }, (_, i) => (m.x[i * 2]! > 0.6 ? 1 : 0));
    const { booster } = trainGbdt(m, y, undefined, { numRounds: 60, learningRate: 0.3, maxLeaves: 4, featureFraction: 1, baggingFraction: 1 });
    const root = booster.treeRoots[0]!;
    expect(booster.feature[root]).toBe(0);
    expect(Math.abs(booster.threshold[root]! - 0.6)).toBeLessThan(0.01);
    const probe = matrix(4, 2, (i, j) => (j === 0 ? [0.1, 0.55, 0.65, 0.95][i]! : 0.5));
    const p = Array.from(predictRaw(booster, probe), sigmoid);
    expect(p[0]).toBeLessThan(0.02);
    expect(p[1]).toBeLessThan(0.02);
    expect(p[2]).toBeGreaterThan(0.98);
    expect(p[3]).toBeGreaterThan(0.98);
    // Split gain goes to the step feature.
    expect(booster.gain[0]!).toBeGreaterThan(100 * booster.gain[1]!);
  });

  it('fits an interaction no single feature explains (XOR of two halves)', () => {
    // Neither x0 nor x1 alone says anything about y; together they decide it.
    const rand = riskRng(11);
    const m = matrix(3000, 3, () => rand());
    const y = Uint8Array.from({ length: m.n }, (_, i) => ((m.x[i * 3]! > 0.5) !== (m.x[i * 3 + 1]! > 0.5) ? 1 : 0));
    const { booster } = trainGbdt(m, y, undefined, { numRounds: 150, learningRate: 0.2, maxLeaves: 8, featureFraction: 1, baggingFraction: 1 });
    const test = matrix(1000, 3, () => rand());
    const raw = predictRaw(booster, test);
    let right = 0;
    for (let i = 0; i < test.n; i++) right += (raw[i]! > 0) === ((test.x[i * 3]! > 0.5) !== (test.x[i * 3 + 1]! > 0.5)) ? 1 : 0;
    expect(right / test.n).toBeGreaterThan(0.97);
  });

  it('learns where missing values go', () => {
    // y = 1 exactly when x0 is missing: only the missing bin can tell.
    const rand = riskRng(3);
    const m = matrix(1000, 1, () => (rand() < 0.3 ? NaN : rand()));
    const y = Uint8Array.from({ length: m.n }, (_, i) => (Number.isNaN(m.x[i]!) ? 1 : 0));
    const { booster } = trainGbdt(m, y, undefined, { numRounds: 40, learningRate: 0.3, maxLeaves: 4, featureFraction: 1, baggingFraction: 1 });
    const p = Array.from(predictRaw(booster, matrix(3, 1, (i) => [NaN, 0.01, 0.99][i]!)), sigmoid);
    expect(p[0]).toBeGreaterThan(0.98);
    expect(p[1]).toBeLessThan(0.02);
    expect(p[2]).toBeLessThan(0.02);
  });

  it('is deterministic by seed, and subsampling makes another seed give another model', () => {
    const rand = riskRng(5);
    const m = matrix(800, 4, () => rand());
    const y = Uint8Array.from({ length: m.n }, (_, i) => (m.x[i * 4]! + 0.5 * rand() > 0.8 ? 1 : 0));
    const opts = { numRounds: 30, featureFraction: 0.5, baggingFraction: 0.7 };
    const a = predictRaw(trainGbdt(m, y, undefined, { ...opts, seed: 42 }).booster, m);
    const b = predictRaw(trainGbdt(m, y, undefined, { ...opts, seed: 42 }).booster, m);
    const c = predictRaw(trainGbdt(m, y, undefined, { ...opts, seed: 43 }).booster, m);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('stops early when the validation window stops improving and keeps the best round', () => {
    // Training labels follow x0; validation labels are coin flips, so more trees soon stop helping.
    const rand = riskRng(9);
    const m = matrix(1000, 2, () => rand());
    const y = Uint8Array.from({ length: m.n }, (_, i) => (m.x[i * 2]! > 0.5 ? 1 : 0));
    const vm = matrix(500, 2, () => rand());
    const vy = Uint8Array.from({ length: vm.n }, () => (rand() < 0.5 ? 1 : 0));
    const { booster, log } = trainGbdt(m, y, { m: vm, y: vy }, { numRounds: 400, earlyStoppingRounds: 10 });
    expect(log.rounds).toBeLessThan(400);
    expect(log.rounds - log.bestRound).toBe(10);
    expect(booster.treeRoots.length).toBe(log.bestRound);
    expect(Math.min(...log.validLogLoss)).toBe(log.validLogLoss[log.bestRound - 1]);
  });

  it('gives per-feature contributions that add up to the raw score (Saabas path attribution)', () => {
    const rand = riskRng(13);
    const m = matrix(600, 3, () => (rand() < 0.1 ? NaN : rand()));
    const y = Uint8Array.from({ length: m.n }, (_, i) => ((m.x[i * 3]! || 0) + (m.x[i * 3 + 1]! || 0) > 1 ? 1 : 0));
    const { booster } = trainGbdt(m, y, undefined, { numRounds: 50 });
    const raw = predictRaw(booster, m);
    const c = contributions(booster, m);
    for (let i = 0; i < m.n; i++) {
      let s = c[i * 4 + 3]!; // bias
      for (let j = 0; j < 3; j++) s += c[i * 4 + j]!;
      expect(s).toBeCloseTo(raw[i]!, 9);
    }
    // x2 never decides y: its share of the attribution is small.
    let noise = 0;
    let all = 0;
    for (let i = 0; i < m.n; i++)
      for (let j = 0; j < 3; j++) {
        all += Math.abs(c[i * 4 + j]!);
        if (j === 2) noise += Math.abs(c[i * 4 + j]!);
      }
    expect(noise / all).toBeLessThan(0.1);
  });
});
