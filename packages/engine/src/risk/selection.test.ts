import { describe, expect, it } from 'vitest';
import { allocateChannels } from './allocate.js';
import { auc, evaluateSelection } from './metrics.js';
import { applyRules, compileRules } from './rules.js';
import { riskRng } from './prng.js';
import type { Declaration, RiskMapping } from './mapping.js';

describe('selection metrics', () => {
  // Ten declarations by falling score; found at ranks 1, 3 and 6.
  const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0];
  const labels = [1, 0, 1, 0, 0, 1, 0, 0, 0, 0];
  const revenue = [100, 0, 50, 0, 0, 850, 0, 0, 0, 0];

  it('counts precision, recall and revenue in the top n%', () => {
    const e = evaluateSelection(scores, labels, [10, 20, 30, 60], revenue);
    expect(e.at.map((a) => [a.k, a.found])).toEqual([[1, 1], [2, 1], [3, 2], [6, 3]]);
    expect(e.at[1]).toMatchObject({ precision: 0.5, recall: 1 / 3, revenue: 0.1 });
    expect(e.at[2]).toMatchObject({ precision: 2 / 3, recall: 2 / 3, revenue: 0.15 });
    expect(e.at[3]).toMatchObject({ precision: 0.5, recall: 1, revenue: 1 });
    expect(e.baseRate).toBe(0.3);
  });

  it('computes AUC as the share of (found, not found) pairs ranked right', () => {
    // Found at ranks 1, 3, 6 beat 7, 6 and 4 of the 7 others: 17 of 21 pairs.
    expect(auc(scores, labels)).toBeCloseTo(17 / 21, 12);
    expect(auc([1, 1], [1, 0])).toBe(0.5); // a tie is half a win
    expect(auc([0.2, 0.1], [1, 1])).toBeNaN();
  });

  it('inspects at least one declaration and keeps ties in input order', () => {
    const e = evaluateSelection([0.5, 0.5, 0.5], [0, 1, 0], [1]);
    expect(e.at[0]).toMatchObject({ k: 1, found: 0 });
  });
});

describe('channel allocation', () => {
  const rand = riskRng(21);
  const scores = Array.from({ length: 1000 }, () => rand());

  it('fills red and yellow budgets exactly, the random share inside red, top risk first', () => {
    const a = allocateChannels(scores, undefined, { seed: 5 });
    expect(a.budget).toEqual({ red: 50, yellow: 100, random: 5 });
    expect(a.counts).toEqual({ red: 50, yellow: 100, green: 850, random: 5 });
    expect(a.channel.filter((c) => c === 'red').length).toBe(50);
    expect(a.why.every((w, i) => w !== 'random' || a.channel[i] === 'red')).toBe(true);
    // The 45 red-by-risk are the 45 highest scores among the rest, and every yellow scores below them.
    const notRandom = scores.map((s, i) => ({ s, i })).filter(({ i }) => a.why[i] !== 'random').sort((x, y) => y.s - x.s);
    expect(notRandom.slice(0, 45).every(({ i }) => a.channel[i] === 'red' && a.why[i] === 'risk')).toBe(true);
    expect(notRandom.slice(45, 145).every(({ i }) => a.channel[i] === 'yellow')).toBe(true);
  });

  it('breaks ties at the budget edge by input order, with rules and many equal scores', () => {
    // Scores on a coarse grid: dozens of declarations tie at the red and yellow cut-offs.
    const rand = riskRng(12);
    const n = 3000;
    const coarse = Array.from({ length: n }, () => Math.floor(rand() * 40) / 40);
    const forced = Array.from({ length: n }, () => (rand() < 0.01 ? ('red' as const) : rand() < 0.01 ? ('yellow' as const) : undefined));
    const a = allocateChannels(coarse, forced, { seed: 3 });
    // What sorting every remaining declaration by (score desc, index asc) gives.
    const rest = coarse.map((_, i) => i).filter((i) => a.why[i] !== 'rule' && a.why[i] !== 'random').sort((x, y) => coarse[y]! - coarse[x]! || x - y);
    const redLeft = a.budget.red - a.channel.filter((c, i) => c === 'red' && a.why[i] !== 'risk').length;
    const yellowLeft = a.budget.yellow - forced.filter((c) => c === 'yellow').length;
    expect(rest.slice(0, redLeft).every((i) => a.channel[i] === 'red' && a.why[i] === 'risk')).toBe(true);
    expect(rest.slice(redLeft, redLeft + yellowLeft).every((i) => a.channel[i] === 'yellow' && a.why[i] === 'risk')).toBe(true);
    expect(rest.slice(redLeft + yellowLeft).every((i) => a.channel[i] === 'green')).toBe(true);
    expect(a.counts).toEqual({ red: a.budget.red, yellow: a.budget.yellow, green: n - a.budget.red - a.budget.yellow, random: a.budget.random });
  });

  it('honours rules: forced channels stay, use their budget, and the model fills the rest', () => {
    const top = scores.map((s, i) => ({ s, i })).sort((x, y) => y.s - x.s);
    const forced: ('red' | 'yellow' | 'green' | undefined)[] = new Array(1000).fill(undefined);
    forced[top[999]!.i] = 'red'; // the lowest score, forced red by a rule
    forced[top[0]!.i] = 'green'; // the highest score, cleared by a rule
    forced[top[1]!.i] = 'yellow';
    const a = allocateChannels(scores, forced, { seed: 5 });
    expect(a.channel[top[999]!.i]).toBe('red');
    expect(a.channel[top[0]!.i]).toBe('green');
    expect(a.channel[top[1]!.i]).toBe('yellow');
    expect(a.counts).toMatchObject({ red: 50, yellow: 100, random: 5 });
    expect(a.overBudget).toEqual({ red: 0, yellow: 0 });
  });

  it('says so when rules alone force more than the budget', () => {
    const a = allocateChannels([1, 2, 3, 4], ['red', 'red', undefined, undefined], { redShare: 0.25, randomShare: 0 });
    expect(a.counts.red).toBe(2);
    expect(a.overBudget.red).toBe(1);
  });

  it('keeps the random share on average in small batches (stochastic rounding by seed)', () => {
    // 400 declarations × 0.5% = 2 exactly; 100 × 0.5% = 0.5: one random pick in about half the batches.
    expect(allocateChannels(new Array(400).fill(0), undefined, { seed: 1 }).counts.random).toBe(2);
    let picks = 0;
    for (let seed = 0; seed < 2000; seed++) picks += allocateChannels(scores.slice(0, 100), undefined, { seed }).counts.random;
    expect(picks / 2000).toBeGreaterThan(0.45);
    expect(picks / 2000).toBeLessThan(0.55);
  });

  it('draws the random share uniformly: every declaration is picked about as often', () => {
    const hits = new Array(100).fill(0);
    for (let seed = 0; seed < 4000; seed++) {
      const a = allocateChannels(scores.slice(0, 100), undefined, { seed, redShare: 0.05, randomShare: 0.05 });
      a.why.forEach((w, i) => (hits[i] += w === 'random' ? 1 : 0));
    }
    // 4000 batches × 5 picks / 100 declarations = 200 each; the top-scored ones are not favoured.
    expect(Math.min(...hits)).toBeGreaterThan(140);
    expect(Math.max(...hits)).toBeLessThan(260);
  });
});

describe('selectivity rules', () => {
  const mapping = { categorical: ['HS6 Code', 'Country of Origin'], numeric: ['Tax Rate'] } as RiskMapping;
  const decl = (hs: string, origin: string, tax: number, day = '2021-03-01'): Declaration => ({ line: 2, id: 'x', time: 0, day, office: '', revenue: 0, cat: [hs, origin], num: [tax] });
  const rules = compileRules(
    [
      { id: 'cigarettes', channel: 'red', when: [{ column: 'HS6 Code', op: 'prefix', value: '2402' }] },
      { id: 'high-tax-rare-origin', channel: 'yellow', when: [{ column: 'Tax Rate', op: 'gte', value: 20 }, { column: 'Country of Origin', op: 'notIn', value: ['CN', 'US'] }] },
      { id: 'trial', channel: 'red', mode: 'shadow', when: [{ column: 'Country of Origin', op: 'eq', value: 'KH' }], validFrom: '2021-01-01', validTo: '2021-06-30' },
    ],
    mapping,
  );

  it('forces the strongest channel among active rules and reports shadow hits without forcing', () => {
    expect(applyRules(rules, decl('240220', 'KH', 40))).toEqual({ hits: ['cigarettes', 'high-tax-rare-origin', 'trial'], forced: 'red', forcedBy: 'cigarettes' });
    expect(applyRules(rules, decl('851712', 'KH', 25))).toEqual({ hits: ['high-tax-rare-origin', 'trial'], forced: 'yellow', forcedBy: 'high-tax-rare-origin' });
    expect(applyRules(rules, decl('851712', 'KH', 5, '2022-01-01'))).toEqual({ hits: [] });
    expect(applyRules(rules, decl('851712', 'CN', NaN))).toEqual({ hits: [] }); // a missing tax rate never hits
  });

  it('refuses a rule on a column the mapping does not have', () => {
    expect(() => compileRules([{ id: 'r', channel: 'red', when: [{ column: 'Colour', op: 'eq', value: 'red' }] }], mapping)).toThrow(/Colour/);
  });
});
