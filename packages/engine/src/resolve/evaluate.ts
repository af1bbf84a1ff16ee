/** Precision, recall and F1 of found pairs against true pairs (order inside a pair does not matter). */
export interface PairEvaluation {
  found: number;
  truth: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export function evaluatePairs(found: Iterable<readonly [string, string]>, truth: Iterable<readonly [string, string]>): PairEvaluation {
  const t = new Set<string>();
  for (const [a, b] of truth) if (a !== b) t.add(pairKey(a, b));
  const f = new Set<string>();
  for (const [a, b] of found) if (a !== b) f.add(pairKey(a, b));
  let tp = 0;
  for (const k of f) if (t.has(k)) tp++;
  const precision = f.size ? tp / f.size : 0;
  const recall = t.size ? tp / t.size : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { found: f.size, truth: t.size, truePositives: tp, precision, recall, f1 };
}
