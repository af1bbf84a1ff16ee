// Score drift: how the scores of a recent window compare with the window the model was checked on.
// The reference keeps the deciles of the reference scores (ten buckets of about a tenth each) and the
// cut-offs that would have sent the top 5% to red and the next 10% to yellow. A recent window is put
// in the same buckets: the population stability index (PSI) sums (recent − reference) · ln(recent /
// reference) over the buckets (rule of thumb: < 0.1 stable, 0.1–0.25 moving, > 0.25 shifted), and the
// share above the red cut-off says how far the red rate would move if channels followed the scores.
import { inspectedCount } from './metrics.js';

export interface ScoreReference {
  n: number;
  mean: number;
  /** Nine upper edges: bucket b holds scores ≤ edges[b] (and above edges[b − 1]); bucket 9 the rest. */
  edges: number[];
  /** Share of the reference scores in each of the ten buckets. */
  shares: number[];
  /** Lowest score of the top redShare (5%) and of the top redShare + yellowShare (15%). */
  redCut: number;
  yellowCut: number;
  redShare: number;
  yellowShare: number;
}

export interface Drift {
  n: number;
  mean: number;
  shares: number[];
  psi: number;
  /** Share of the recent scores at or above the reference red / yellow cut-offs. */
  aboveRedCut: number;
  aboveYellowCut: number;
}

const bucketOf = (edges: readonly number[], s: number) => {
  let b = 0;
  while (b < edges.length && s > edges[b]!) b++;
  return b;
};

function shares(edges: readonly number[], scores: ArrayLike<number>): number[] {
  const out = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < scores.length; i++) out[bucketOf(edges, scores[i]!)]!++;
  return out.map((c) => (scores.length ? c / scores.length : 0));
}

export function scoreReference(scores: ArrayLike<number>, redShare = 0.05, yellowShare = 0.1): ScoreReference {
  const n = scores.length;
  if (n === 0) throw new Error('no reference scores');
  const sorted = Float64Array.from(scores).sort();
  const edges = Array.from({ length: 9 }, (_, k) => sorted[Math.max(0, Math.floor(((k + 1) * n) / 10) - 1)]!);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  // The k-th highest score: declarations at or above it fill the budget (ties may add a few).
  const cut = (share: number) => (share > 0 ? sorted[n - inspectedCount(n, share * 100)]! : Infinity);
  return { n, mean: sum / n, edges, shares: shares(edges, scores), redCut: cut(redShare), yellowCut: cut(redShare + yellowShare), redShare, yellowShare };
}

/** PSI with empty buckets counted as 0.0001 so a bucket that empties out still counts (finitely). */
export function driftAgainst(ref: ScoreReference, scores: ArrayLike<number>): Drift {
  const n = scores.length;
  const s = shares(ref.edges, scores);
  const eps = 1e-4;
  let psi = 0;
  s.forEach((r, b) => {
    const e = Math.max(eps, ref.shares[b]!);
    const a = Math.max(eps, r);
    psi += (a - e) * Math.log(a / e);
  });
  let sum = 0;
  let red = 0;
  let yellow = 0;
  for (let i = 0; i < n; i++) {
    const x = scores[i]!;
    sum += x;
    if (x >= ref.redCut) red++;
    if (x >= ref.yellowCut) yellow++;
  }
  return { n, mean: n ? sum / n : NaN, shares: s, psi: n ? psi : NaN, aboveRedCut: n ? red / n : NaN, aboveYellowCut: n ? yellow / n : NaN };
}
