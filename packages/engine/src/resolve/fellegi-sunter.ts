/**
 * Fellegi–Sunter scoring with its m and u probabilities estimated by EM on the data being resolved —
 * no labelled pairs, no per-file tuning. A comparison pattern is one level per field (or missing);
 * patterns are counted first, so EM runs over a few hundred distinct patterns, not millions of pairs.
 */

/** Levels per field; `pattern` codes a comparison as Σ (level + 1) · 8^field, 0 meaning missing. */
export const encodePattern = (levels: Int8Array): number => {
  let code = 0;
  for (let f = levels.length - 1; f >= 0; f--) code = code * 8 + (levels[f]! + 1);
  return code;
};

export const decodePattern = (code: number, fields: number): number[] => {
  const out: number[] = [];
  for (let f = 0; f < fields; f++) {
    out.push((code % 8) - 1);
    code = Math.floor(code / 8);
  }
  return out;
};

export interface FsModel {
  /** m[field][level]: P(level | same entity). */
  m: number[][];
  /** u[field][level]: P(level | different entities). */
  u: number[][];
  /** Share of candidate pairs that are matches. */
  lambda: number;
  /** log2(m/u) per field and level: the evidence each agreement or disagreement carries, in bits. */
  weights: number[][];
  /** log2(λ / (1 − λ)): where every pair starts. */
  priorWeight: number;
  iterations: number;
}

export interface EmOptions {
  maxIterations: number;
  /** Stop when no parameter moves more than this. */
  tolerance: number;
  /**
   * The largest share of candidate pairs that may be matches. Without it, on a large file where
   * blocking puts many same-name strangers together, EM can settle on "same family and middle name"
   * as its match class (measured at 100,000 generated records: λ 0.58, dates and addresses carrying no
   * evidence). Blocking yields tens of candidates per record and a record has few duplicates, so the
   * true share is a few percent.
   */
  maxLambda?: number;
}

/**
 * Pairs whose answer the data already gives: the same valid identifier (a match) or two different valid
 * identifiers of one kind (two CCCDs: not a match). EM keeps their posterior fixed, so they teach m and
 * u what a match and a stranger with the same name look like, and the unlabelled pairs are judged by that.
 */
export interface AnchoredPatterns {
  matches: ReadonlyMap<number, number>;
  nonMatches: ReadonlyMap<number, number>;
}

/**
 * What the whole file says about each field, for u and the prior to describe *all* record pairs rather
 * than the candidate pairs blocking chose. Blocking brings together pairs that agree on a name, a date
 * or an address, so among candidates these agreements are common and — worse — no longer independent
 * of each other among non-matches (a pair is there because it agrees on one of them). Estimated on the
 * candidates, u made "same address" worth 5.5 bits at 100,000 generated records (1 pair in 40 of the
 * candidates agreed) where it is 1 pair in 400,000 of the file; at 1,000,000 EM settled on a candidate
 * match share of 0.073 (true: about 0.01) and namesakes became matches. With u from the whole file and
 * the prior as matches over all pairs, the prior falls as the file grows (more namesakes per name), and
 * each agreement is worth what it is worth in the file.
 */
export interface PopulationCounts {
  /** Record pairs the file holds: n(n−1)/2, or n₀·n₁ when linking two inputs. */
  pairs: number;
  /** Per field: pairs with the field on both sides. */
  present: readonly number[];
  /** Per field: pairs with the same value (the exact level; true matches included, EM takes them out). */
  agree: readonly number[];
  /**
   * Per field: share of random pairs at the exact level although their values differ (a comparator's
   * exact level may be wider than equality, e.g. company names with their words in another order).
   */
  looseExact?: readonly number[];
}

const normalise = (xs: number[]) => {
  const s = xs.reduce((a, b) => a + b, 0);
  return xs.map((x) => x / s);
};

/**
 * EM over pattern counts. `u` starts from the level frequencies of random pairs (almost all of them
 * different entities); `m` starts believing agreement. Both are then re-estimated on the candidate
 * pairs, so the weights describe the pairs actually compared (blocking makes non-matches look alike
 * more often than random pairs do). Levels are ordered best first; m/u is kept non-increasing across
 * levels so a worse agreement never counts as more evidence than a better one.
 */
export function estimateFellegiSunter(
  patterns: ReadonlyMap<number, number>,
  levelsPerField: readonly number[],
  randomLevelCounts: readonly number[][],
  options: EmOptions = { maxIterations: 100, tolerance: 1e-5 },
  anchored?: AnchoredPatterns,
  population?: PopulationCounts,
): FsModel {
  const F = levelsPerField.length;
  const entry = (fixed: number | undefined) => ([code, count]: [number, number]) => ({ levels: decodePattern(code, F), count, fixed });
  const entries = [
    ...[...patterns.entries()].map(entry(undefined)),
    ...[...(anchored?.matches ?? new Map<number, number>()).entries()].map(entry(1)),
    ...[...(anchored?.nonMatches ?? new Map<number, number>()).entries()].map(entry(0)),
  ];
  let u = levelsPerField.map((L, f) => normalise(Array.from({ length: L }, (_, l) => (randomLevelCounts[f]?.[l] ?? 0) + 1)));
  let m = levelsPerField.map((L) => normalise(Array.from({ length: L }, (_, l) => (l === 0 ? 8 : l === L - 1 ? 0.5 : 1))));
  let candidates = 0;
  for (const e of entries) candidates += e.count;
  // population: λ is the match share of all pairs; start as if a tenth of the candidates were matches
  let lambda = population ? Math.min(0.5, (0.1 * candidates) / Math.max(1, population.pairs)) : Math.min(0.1, options.maxLambda ?? 1);
  /**
   * u from the whole file: the exact level from the pairs with the same value, less the matches EM
   * expects among them; the other levels share the rest as the random pairs do (0.5 added to each so
   * a level no random pair reached is rare, not impossible).
   */
  const populationU = (exactMatches: readonly number[], presentMatches: readonly number[]) =>
    levelsPerField.map((L, f) => {
      const present = Math.max(1, population!.present[f]! - presentMatches[f]!);
      const loose = population!.looseExact?.[f] ?? 0;
      const exact = Math.min(1 - 1e-9, Math.max(0.5 / present, (population!.agree[f]! - exactMatches[f]!) / present) + loose);
      const rest = Array.from({ length: L - 1 }, (_, l) => (randomLevelCounts[f]?.[l + 1] ?? 0) + 0.5);
      const restSum = rest.reduce((a, b) => a + b, 0);
      return [exact, ...rest.map((x) => ((1 - exact) * x) / restSum)];
    });
  if (population) u = populationU(new Array<number>(F).fill(0), new Array<number>(F).fill(0));
  let it = 0;
  for (; it < options.maxIterations; it++) {
    const mAcc = levelsPerField.map((L) => new Array<number>(L).fill(0.01));
    const uAcc = levelsPerField.map((L) => new Array<number>(L).fill(0.01));
    let matchMass = 0;
    let total = 0;
    const exactMatches = new Array<number>(F).fill(0);
    const presentMatches = new Array<number>(F).fill(0);
    for (const { levels, count, fixed } of entries) {
      let pm = lambda;
      let pu = 1 - lambda;
      for (let f = 0; f < F; f++) {
        const l = levels[f]!;
        if (l < 0) continue;
        pm *= m[f]![l]!;
        pu *= u[f]![l]!;
      }
      const g = fixed ?? pm / (pm + pu);
      matchMass += g * count;
      total += count;
      for (let f = 0; f < F; f++) {
        const l = levels[f]!;
        if (l < 0) continue;
        mAcc[f]![l]! += g * count;
        uAcc[f]![l]! += (1 - g) * count;
        presentMatches[f]! += g * count;
        if (l === 0) exactMatches[f]! += g * count;
      }
    }
    const nextM = mAcc.map(normalise);
    const nextU = population ? populationU(exactMatches, presentMatches) : uAcc.map(normalise);
    const nextLambda = population
      ? Math.min(0.5, Math.max(1e-12, matchMass / Math.max(1, population.pairs)))
      : Math.min(options.maxLambda ?? 0.999, Math.max(1e-6, matchMass / total));
    let delta = population ? Math.abs(nextLambda - lambda) / lambda : Math.abs(nextLambda - lambda);
    for (let f = 0; f < F; f++)
      for (let l = 0; l < levelsPerField[f]!; l++) delta = Math.max(delta, Math.abs(nextM[f]![l]! - m[f]![l]!), Math.abs(nextU[f]![l]! - u[f]![l]!));
    m = nextM;
    u = nextU;
    lambda = nextLambda;
    if (delta < options.tolerance) break;
  }
  const weights = m.map((mf, f) => {
    const w = mf.map((x, l) => Math.log2(x / u[f]![l]!));
    for (let l = 1; l < w.length; l++) w[l] = Math.min(w[l]!, w[l - 1]!);
    return w;
  });
  return { m, u, lambda, weights, priorWeight: Math.log2(lambda / (1 - lambda)), iterations: it };
}

/** Match weight in bits of one comparison (prior included). */
export function patternWeight(model: FsModel, levels: ArrayLike<number>): number {
  let w = model.priorWeight;
  for (let f = 0; f < levels.length; f++) {
    const l = levels[f]!;
    if (l >= 0) w += model.weights[f]![l]!;
  }
  return w;
}

/** Posterior probability of a match from a weight in bits. */
export const probabilityOf = (weightBits: number): number => 1 / (1 + 2 ** -weightBits);
