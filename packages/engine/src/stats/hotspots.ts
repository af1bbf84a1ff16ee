/**
 * Hot spots: keys (provinces, goods categories, routes) whose count in the period rises well beyond
 * their own baseline. The baseline is the mean count of the same key in comparable earlier periods
 * (e.g. the same period of the previous years); the test is a one-sided Poisson test: how likely is a
 * count at least this high if the key behaved as it did before?
 */
export interface HotSpotInput {
  key: string;
  observed: number;
  /** Counts of the same key in earlier comparable periods. */
  baseline: number[];
}

export interface HotSpot {
  key: string;
  observed: number;
  expected: number;
  /** observed / expected */
  ratio: number;
  /** P(X ≥ observed) for X ~ Poisson(expected) */
  pValue: number;
  test: 'poisson-upper-tail';
}

export interface HotSpotRules {
  /** Significance level of the one-sided test. */
  alpha: number;
  /** Minimum rise over the baseline, so tiny relative changes on big counts are not listed. */
  minRatio: number;
  /** Minimum count, so 3 cases against 1 expected is not a hot spot. */
  minObserved: number;
  /** Used as the expected count when the baseline is zero (a key appearing for the first time). */
  floorExpected: number;
}

export const DEFAULT_HOTSPOT_RULES: HotSpotRules = { alpha: 0.01, minRatio: 1.5, minObserved: 5, floorExpected: 0.5 };

/** P(X ≥ k) for X ~ Poisson(λ), summed in log space so large counts neither overflow nor underflow. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // P(X ≥ k) = 1 − Σ_{i<k} e^{−λ} λ^i / i!
  let logTerm = -lambda; // log P(X = 0)
  let below = 0;
  for (let i = 0; i < k; i++) {
    if (i > 0) logTerm += Math.log(lambda) - Math.log(i);
    below += Math.exp(logTerm);
  }
  // For k far above λ the sum is ~1 and the subtraction loses precision: sum the upper tail instead.
  if (below > 0.999) {
    let upper = 0;
    let t = logTerm + Math.log(lambda) - Math.log(k); // log P(X = k)
    for (let i = k; i < k + 1000; i++) {
      if (i > k) t += Math.log(lambda) - Math.log(i);
      upper += Math.exp(t);
      if (Math.exp(t) < upper * 1e-12) break;
    }
    return Math.min(1, upper);
  }
  return Math.max(0, 1 - below);
}

export function findHotSpots(inputs: HotSpotInput[], rules: HotSpotRules = DEFAULT_HOTSPOT_RULES): HotSpot[] {
  const spots: HotSpot[] = [];
  for (const x of inputs) {
    const mean = x.baseline.length ? x.baseline.reduce((a, b) => a + b, 0) / x.baseline.length : 0;
    const expected = Math.max(mean, rules.floorExpected);
    const ratio = x.observed / expected;
    if (x.observed < rules.minObserved || ratio < rules.minRatio) continue;
    const pValue = poissonUpperTail(x.observed, expected);
    if (pValue < rules.alpha) spots.push({ key: x.key, observed: x.observed, expected, ratio, pValue, test: 'poisson-upper-tail' });
  }
  return spots.sort((a, b) => a.pValue - b.pValue || b.ratio - a.ratio);
}
