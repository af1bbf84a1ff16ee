// Channel allocation for one batch (a file, or one office's day). Budgets are counts:
//   red    = floor(redShare · n)      — physical inspection, includes the random share;
//   yellow = floor(yellowShare · n)   — documents check;
//   random = floor(randomShare · n), plus one more with probability equal to the remainder (seeded),
//            so small batches still get their share on average; never more than the red budget.
// Order: rules first (a forced channel is always honoured and uses its channel's budget), then the
// random share (uniform over the declarations no rule forced: unbiased hit-rate measurement and
// training data the model did not choose), then red by risk, then yellow by risk; the rest green.
// Red and yellow are exact unless rules alone force more than the budget (then `overBudget` says so).
import { riskRng, sampleIndices } from './prng.js';
import type { Channel } from './rules.js';

export interface AllocationOptions {
  /** Shares of the batch, 0..1. Defaults: red 0.05, yellow 0.10, random 0.005. */
  redShare?: number;
  yellowShare?: number;
  randomShare?: number;
  seed?: number;
}

export type ChannelReason = 'rule' | 'random' | 'risk' | 'default';

export interface Allocation {
  channel: Channel[];
  why: ChannelReason[];
  counts: { red: number; yellow: number; green: number; random: number };
  budget: { red: number; yellow: number; random: number };
  /** Declarations forced by rules beyond a channel's budget. */
  overBudget: { red: number; yellow: number };
}

/**
 * The first `need` (at least) of `idx` ordered by score, highest first, ties in index order — the
 * same prefix as sorting all of them. Only the candidates at or above the need-th highest score
 * (found by sorting a typed copy of the scores, no comparator calls) are sorted with the comparator:
 * allocating 200,000 declarations took ~0.5 s sorting all of them, mostly comparator calls.
 */
function byRisk(idx: number[], scores: ArrayLike<number>, need: number): number[] {
  const cmp = (a: number, b: number) => scores[b]! - scores[a]! || a - b;
  if (need <= 0) return [];
  if (need >= idx.length) return idx.sort(cmp);
  const v = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const s = scores[idx[k]!]!;
    if (s !== s) return idx.sort(cmp); // NaN: keep the plain sort's behaviour
    v[k] = s;
  }
  v.sort();
  const cut = v[idx.length - need]!;
  return idx.filter((i) => scores[i]! >= cut).sort(cmp);
}

export function allocateChannels(scores: ArrayLike<number>, forced: ReadonlyArray<Channel | undefined> | undefined, opts: AllocationOptions = {}): Allocation {
  const n = scores.length;
  const redShare = opts.redShare ?? 0.05;
  const yellowShare = opts.yellowShare ?? 0.1;
  const randomShare = opts.randomShare ?? 0.005;
  for (const [k, v] of Object.entries({ redShare, yellowShare, randomShare })) if (!(v >= 0 && v <= 1)) throw new Error(`${k} must be within 0..1`);
  if (randomShare > redShare) throw new Error('randomShare is part of the red budget and cannot exceed redShare');
  if (redShare + yellowShare > 1) throw new Error('redShare + yellowShare cannot exceed 1');
  const rand = riskRng(opts.seed ?? 1);
  const redBudget = Math.floor(n * redShare + 1e-9);
  const yellowBudget = Math.floor(n * yellowShare + 1e-9);
  const exact = n * randomShare;
  let randomBudget = Math.floor(exact + 1e-9);
  if (rand() < exact - randomBudget - 1e-9) randomBudget++;
  randomBudget = Math.min(randomBudget, redBudget);

  const channel: Channel[] = new Array(n).fill('green');
  const why: ChannelReason[] = new Array(n).fill('default');
  let red = 0;
  let yellow = 0;
  const free: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = forced?.[i];
    if (c) {
      channel[i] = c;
      why[i] = 'rule';
      if (c === 'red') red++;
      else if (c === 'yellow') yellow++;
    } else free.push(i);
  }
  const overBudget = { red: Math.max(0, red - redBudget), yellow: Math.max(0, yellow - yellowBudget) };
  const randomCount = Math.max(0, Math.min(randomBudget, redBudget - red, free.length));
  for (const k of sampleIndices(free.length, randomCount, rand)) {
    channel[free[k]!] = 'red';
    why[free[k]!] = 'random';
  }
  red += randomCount;
  const rest = byRisk(
    free.filter((i) => why[i] === 'default'),
    scores,
    Math.max(0, redBudget - red) + Math.max(0, yellowBudget - yellow),
  );
  let r = 0;
  for (; r < rest.length && red < redBudget; r++, red++) {
    channel[rest[r]!] = 'red';
    why[rest[r]!] = 'risk';
  }
  for (; r < rest.length && yellow < yellowBudget; r++, yellow++) {
    channel[rest[r]!] = 'yellow';
    why[rest[r]!] = 'risk';
  }
  return {
    channel,
    why,
    counts: { red, yellow, green: n - red - yellow, random: randomCount },
    budget: { red: redBudget, yellow: yellowBudget, random: randomBudget },
    overBudget,
  };
}
