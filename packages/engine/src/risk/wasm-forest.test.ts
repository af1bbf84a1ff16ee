import { describe, expect, it } from 'vitest';
import { trainGbdt } from './gbdt.js';
import { binOf } from './gbdt.js';
import { explainBinned, flattenForest } from './fast-score.js';
import { riskRng } from './prng.js';
import { compileWasm, foldModuleBytes, runForest, type WasmApi } from './wasm-forest.js';

/** The CLI's reasons before session 7, in JavaScript: sums per column (a derived feature half to each), then the top k ≥ 0.01, first of equals. */
function reference(contrib: Float64Array, f: number, n: number, colA: Int32Array, colB: Int32Array, ncol: number, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const byColumn = new Float64Array(ncol);
    for (let j = 0; j < f; j++) {
      const b = colB[j]!;
      const share = contrib[i * (f + 1) + j]! / (b < 0 ? 1 : 2);
      byColumn[colA[j]!] = byColumn[colA[j]!]! + share;
      if (b >= 0) byColumn[b] = byColumn[b]! + share;
    }
    const picked = new Uint8Array(ncol);
    const row: number[] = [];
    for (let r = 0; r < k; r++) {
      let best = -1;
      for (let j = 0; j < ncol; j++) if (!picked[j] && byColumn[j]! >= 0.01 && (best < 0 || byColumn[j]! > byColumn[best]!)) best = j;
      if (best < 0) break;
      picked[best] = 1;
      row.push(best, byColumn[best]!);
    }
    out.push(row);
  }
  return out;
}

/** The fold module's answer for rows of contributions: (column, sum) pairs up to the first column −1. */
function folded(contrib: Float64Array, f: number, n: number, colA: Int32Array, colB: Int32Array, ncol: number, k: number): number[][] {
  const W = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const top = n * (f + 1) * 8;
  const memory = new W.Memory({ initial: Math.ceil((top + n * 16 * k) / 65536) + 1 });
  const r = new W.Instance(compileWasm(foldModuleBytes(f, colA, colB, ncol)), { m: { memory } }).exports.r as (c: number, n: number, top: number, k: number) => void;
  new Float64Array(memory.buffer, 0, n * (f + 1)).set(contrib);
  r(0, n, top, k);
  const t = new Float64Array(memory.buffer, top, n * 2 * k);
  return Array.from({ length: n }, (_, i) => {
    const row: number[] = [];
    for (let q = 0; q < k && t[i * 2 * k + 2 * q]! >= 0; q++) row.push(t[i * 2 * k + 2 * q]!, t[i * 2 * k + 2 * q + 1]!);
    return row;
  });
}

describe('reasons folded in WebAssembly', () => {
  it('sums contributions per column and picks the top k exactly as the JavaScript did: ties, the 0.01 floor, shared derived features', () => {
    // 7 features over 4 columns; features 5 and 6 are derived (half to each of two columns).
    const colA = Int32Array.from([0, 0, 1, 2, 3, 0, 1]);
    const colB = Int32Array.from([-1, -1, -1, -1, -1, 2, 3]);
    const f = 7;
    const ncol = 4;
    const rand = riskRng(3);
    const values = [0, 0.01, 0.005, 0.02, 0.3, -0.2, 0.3, 0.1 + 0.2, 0.15, 1e-300, -0.01, 0.009999999999999998];
    const n = 3000;
    const contrib = new Float64Array(n * (f + 1));
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) contrib[i * (f + 1) + j] = i % 3 ? values[Math.floor(rand() * values.length)]! : rand() - 0.3;
    let ties = 0;
    for (const k of [1, 3, 4]) {
      const want = reference(contrib, f, n, colA, colB, ncol, k);
      expect(folded(contrib, f, n, colA, colB, ncol, k)).toEqual(want);
      if (k === 4) ties = want.filter((row) => row.some((v, q) => q % 2 === 1 && row.some((w, p) => p % 2 === 1 && p !== q && w === v))).length;
    }
    expect(ties).toBeGreaterThan(100); // equal sums were chosen between, in column order
  });

  it('gives the raw scores and the top reasons of a trained forest without copying its contributions out', () => {
    const rand = riskRng(11);
    const f = 4;
    const n = 1500;
    const x = Float64Array.from({ length: n * f }, () => (rand() < 0.05 ? NaN : rand() * 100));
    const y = Uint8Array.from({ length: n }, (_, i) => (rand() < ((x[i * f]! || 50) + (x[i * f + 1]! || 0)) / 250 ? 1 : 0));
    const { booster } = trainGbdt({ n, f, x }, y, undefined, { numRounds: 20, maxLeaves: 15, minDataInLeaf: 5, featureFraction: 1, baggingFraction: 1 });
    const bins = Uint8Array.from(x, (v, i) => binOf(booster.binEdges[i % f]!, v));
    const forest = flattenForest(booster);
    const colA = Int32Array.from([0, 1, 2, 0]);
    const colB = Int32Array.from([-1, -1, -1, 1]);
    const ex = explainBinned(forest, bins, n);
    const run = runForest(forest.module, f, forest.groups, forest.baseScore, forest.bias, { module: compileWasm(foldModuleBytes(f, colA, colB, 3)), ncol: 3 });
    const raw = new Float64Array(n);
    const top = new Float64Array(n * 6);
    run.top(bins, 0, n, raw, 3, top);
    expect(Array.from(raw)).toEqual(Array.from(ex.raw));
    const want = reference(ex.contrib, f, n, colA, colB, 3, 3);
    const got = Array.from({ length: n }, (_, i) => {
      const row: number[] = [];
      for (let q = 0; q < 3 && top[i * 6 + 2 * q]! >= 0; q++) row.push(top[i * 6 + 2 * q]!, top[i * 6 + 2 * q + 1]!);
      return row;
    });
    expect(got).toEqual(want);
    expect(want.filter((r) => r.length > 0).length).toBeGreaterThan(n / 4);
  });
});
