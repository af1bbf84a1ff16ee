import { describe, expect, it } from 'vitest';
import { fitEncoder, encodeRows } from './encode.js';
import { checkMappingFits, explain, loadModel, saveModel, scoreRaw, topReasons, trainRiskModel } from './model.js';
import { evaluateSelection } from './metrics.js';
import { riskRng } from './prng.js';
import type { Declaration } from './mapping.js';

const decl = (id: string, day: number, cat: string[], num: number[], label: 0 | 1): Declaration => ({
  line: Number(id) + 2,
  id,
  time: Date.UTC(2020, 0, 1 + day),
  day: new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10),
  office: 'O1',
  label,
  revenue: label * 1000,
  cat,
  num,
});

describe('categorical encoding without target leakage', () => {
  it('gives each declaration the outcome rate of its category over earlier days only, shrunk to the base rate', () => {
    // Category A: day 0 found, day 0 not, day 1 found, day 2 ?; base rate 3/5 with one B found.
    const rows = [decl('0', 0, ['A'], [], 1), decl('1', 0, ['A'], [], 0), decl('2', 1, ['A'], [], 1), decl('3', 2, ['A'], [], 0), decl('4', 0, ['B'], [], 1)];
    const { matrix, encoder } = fitEncoder(rows, { categorical: ['c'], numeric: [] }, 1);
    const prior = 3 / 5;
    const rate = (i: number) => matrix.x[i * 2]!;
    const count = (i: number) => matrix.x[i * 2 + 1]!;
    expect(rate(0)).toBeCloseTo(prior, 12); // nothing earlier: the prior (same-day row 1 not seen)
    expect(rate(1)).toBeCloseTo(prior, 12);
    expect(rate(2)).toBeCloseTo((1 + prior) / (2 + 1), 12); // day 0: one found of two
    expect(rate(3)).toBeCloseTo((2 + prior) / (3 + 1), 12);
    expect([count(0), count(2), count(3)]).toEqual([0, 2, 3]);
    // Scoring sees the whole history; an unseen category looks like a first appearance.
    const s = encodeRows(encoder, [decl('9', 9, ['A'], [], 0), decl('10', 9, ['Z'], [], 0)]);
    expect(s.x[0]).toBeCloseTo((2 + prior) / (4 + 1), 12);
    expect([s.x[1], s.x[2], s.x[3]]).toEqual([4, prior, 0]);
  });
});

function synthetic(n: number, seed: number, dayOffset: number): Declaration[] {
  // Importers BAD0..BAD4 are found 90% of the time, others 5%; heavy goods (mass > 800) add risk.
  const rand = riskRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const bad = rand() < 0.1;
    const importer = bad ? `BAD${Math.floor(rand() * 5)}` : `OK${Math.floor(rand() * 200)}`;
    const mass = rand() * 1000;
    const p = (bad ? 0.9 : 0.05) + (mass > 800 ? 0.3 : 0);
    return decl(String(i), dayOffset + Math.floor((i / n) * 60), [importer, `HS${Math.floor(rand() * 20)}`], [mass, rand() < 0.1 ? NaN : rand()], rand() < p ? 1 : 0);
  });
}

describe('risk model', () => {
  const train = synthetic(3000, 1, 0);
  const valid = synthetic(1000, 2, 60);
  const mapping = { categorical: ['Importer', 'HS'], numeric: ['Mass', 'Noise'] };
  const model = trainRiskModel(train, valid, mapping, { numRounds: 80, seed: 3 });

  it('learns risky importers and heavy goods from history and ranks them first', () => {
    const test = synthetic(1000, 3, 120);
    const e = evaluateSelection(scoreRaw(model, test), test.map((r) => r.label!), [5]);
    // The top 5% are almost all bad importers (90%+ found) against a base rate near 16%.
    expect(e.at[0]!.precision).toBeGreaterThan(0.85);
    expect(e.auc).toBeGreaterThan(0.8);
    expect(model.validation!.at.map((a) => a.percent)).toEqual([1, 2, 5, 10]);
    expect(model.bestRound).toBeLessThanOrEqual(80);
  });

  it('scores identically after save and load', () => {
    const again = loadModel(saveModel(model));
    expect(Array.from(scoreRaw(again, valid))).toEqual(Array.from(scoreRaw(model, valid)));
    expect(saveModel(again)).toBe(saveModel(model));
  });

  it('explains each score: column contributions add up to it and name the importer for a bad one', () => {
    const e = explain(model, valid);
    for (let i = 0; i < valid.length; i++) expect(e.bias + e.byColumn[i]!.reduce((s, c) => s + c, 0)).toBeCloseTo(e.raw[i]!, 9);
    const i = valid.findIndex((r) => r.cat[0]!.startsWith('BAD') && r.num[0]! < 500);
    expect(topReasons(model, e, valid, i)[0]).toMatchObject({ column: 'Importer', value: valid[i]!.cat[0] });
  });

  it('refuses a mapping whose feature columns differ from the model', () => {
    expect(() => checkMappingFits(model, { categorical: ['HS', 'Importer'], numeric: ['Mass', 'Noise'] })).toThrow(/differ/);
    expect(() => loadModel('{"format":"something-else"}')).toThrow(/format/);
  });
});
