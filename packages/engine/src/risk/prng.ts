import { mulberry32 } from '../prng.js';

/** Row/feature subsampling and the random quality-control share use the engine's one generator. */
export const riskRng = mulberry32;

/** Fisher–Yates on a copy's first k positions: k distinct indices of [0, n), in draw order. */
export function sampleIndices(n: number, k: number, rand: () => number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.slice(0, m);
}
