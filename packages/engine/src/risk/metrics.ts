// Selection metrics at an inspection rate: inspect the top n% by score and count what is found.
// k = floor(n% · N), at least 1; ties in score keep input order (a stable sort), so the figures are
// reproducible. AUC counts tied scores as half a win (the Mann–Whitney statistic).

export interface AtRate {
  /** Inspection rate in percent, as asked (e.g. 5). */
  percent: number;
  /** Declarations inspected. */
  k: number;
  found: number;
  precision: number;
  recall: number;
  /** Share of all revenue recovered that lies in the top k (only when revenue is given). */
  revenue?: number;
}

export interface Evaluation {
  n: number;
  positives: number;
  baseRate: number;
  auc: number;
  at: AtRate[];
}

/** Indices by score, highest first; equal scores keep input order. */
export function rankByScore(scores: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

export const inspectedCount = (n: number, percent: number) => Math.max(1, Math.floor((n * percent) / 100 + 1e-9));

export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e < n && scores[idx[e]!] === scores[idx[s]!]) e++;
    const avgRank = (s + 1 + e) / 2; // ranks s+1..e share their average
    for (let k = s; k < e; k++)
      if (labels[idx[k]!]) {
        pos++;
        rankSum += avgRank;
      }
    s = e;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function evaluateSelection(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  percents: number[],
  revenue?: ArrayLike<number>,
): Evaluation {
  const n = scores.length;
  if (labels.length !== n || (revenue && revenue.length !== n)) throw new Error('scores, labels and revenue differ in length');
  const order = rankByScore(scores);
  let positives = 0;
  let totalRevenue = 0;
  for (let i = 0; i < n; i++) {
    positives += labels[i] ? 1 : 0;
    if (revenue) totalRevenue += revenue[i]!;
  }
  const at = percents.map((percent) => {
    if (!(percent > 0 && percent <= 100)) throw new Error(`inspection rate ${percent}% is not within (0, 100]`);
    const k = Math.min(n, inspectedCount(n, percent));
    let found = 0;
    let rev = 0;
    for (let r = 0; r < k; r++) {
      const i = order[r]!;
      found += labels[i] ? 1 : 0;
      if (revenue) rev += revenue[i]!;
    }
    const row: AtRate = { percent, k, found, precision: k ? found / k : NaN, recall: positives ? found / positives : NaN };
    if (revenue) row.revenue = totalRevenue ? rev / totalRevenue : NaN;
    return row;
  });
  return { n, positives, baseRate: n ? positives / n : NaN, auc: auc(scores, labels), at };
}
