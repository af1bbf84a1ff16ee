// Selectivity rules as data: conditions on mapped columns → a channel, valid between two dates.
// A rule in "shadow" mode is evaluated and reported but forces nothing, so its hit rate can be seen
// before it is switched on.
import type { Declaration, RiskMapping } from './mapping.js';

export type Channel = 'red' | 'yellow' | 'green';
export const CHANNEL_RANK: Record<Channel, number> = { red: 2, yellow: 1, green: 0 };

export type Condition =
  | { column: string; op: 'eq' | 'ne' | 'prefix'; value: string }
  | { column: string; op: 'in' | 'notIn'; value: string[] }
  | { column: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number };

export interface SelectivityRule {
  id: string;
  channel: Channel;
  /** All must hold. */
  when: Condition[];
  mode?: 'active' | 'shadow';
  /** yyyy-MM-dd, inclusive; a declaration without a date is judged by the rule's mode alone. */
  validFrom?: string;
  validTo?: string;
}

export interface CompiledRule {
  rule: SelectivityRule;
  test: (d: Declaration) => boolean;
}

/** Resolves column names against the mapping once; an unknown column or a type mismatch is an error. */
export function compileRules(rules: SelectivityRule[], mapping: RiskMapping): CompiledRule[] {
  return rules.map((rule) => {
    if (!rule.id || !['red', 'yellow', 'green'].includes(rule.channel)) throw new Error(`rule ${rule.id ?? '?'}: needs an id and a channel red|yellow|green`);
    const tests = rule.when.map((c): ((d: Declaration) => boolean) => {
      const ci = mapping.categorical.indexOf(c.column);
      const ni = mapping.numeric.indexOf(c.column);
      if (ci < 0 && ni < 0) throw new Error(`rule ${rule.id}: column "${c.column}" is not a mapped categorical or numeric column`);
      if (c.op === 'gt' || c.op === 'gte' || c.op === 'lt' || c.op === 'lte') {
        if (ni < 0 || typeof c.value !== 'number') throw new Error(`rule ${rule.id}: ${c.op} needs a numeric column and a number`);
        const v = c.value;
        const cmp = { gt: (x: number) => x > v, gte: (x: number) => x >= v, lt: (x: number) => x < v, lte: (x: number) => x <= v }[c.op];
        return (d) => cmp(d.num[ni]!); // NaN (missing) compares false: a missing value never hits
      }
      const get = ci >= 0 ? (d: Declaration) => d.cat[ci]! : (d: Declaration) => String(d.num[ni]);
      if (c.op === 'in' || c.op === 'notIn') {
        const set = new Set(c.value);
        return c.op === 'in' ? (d) => set.has(get(d)) : (d) => !set.has(get(d));
      }
      const v = String(c.value);
      return c.op === 'eq' ? (d) => get(d) === v : c.op === 'ne' ? (d) => get(d) !== v : (d) => get(d).startsWith(v);
    });
    const from = rule.validFrom ?? '';
    const to = rule.validTo ?? '9999-12-31';
    return { rule, test: (d) => (d.day === '' || (d.day >= from && d.day <= to)) && tests.every((t) => t(d)) };
  });
}

export interface RuleHits {
  /** Ids of every rule hit, active and shadow. */
  hits: string[];
  /** The strongest channel among the active rules hit (red > yellow > green), if any. */
  forced?: Channel;
  /** The active rule that decided `forced`. */
  forcedBy?: string;
}

export function applyRules(rules: CompiledRule[], d: Declaration): RuleHits {
  const out: RuleHits = { hits: [] };
  for (const r of rules) {
    if (!r.test(d)) continue;
    out.hits.push(r.rule.id);
    if ((r.rule.mode ?? 'active') === 'active' && (out.forced === undefined || CHANNEL_RANK[r.rule.channel] > CHANNEL_RANK[out.forced])) {
      out.forced = r.rule.channel;
      out.forcedBy = r.rule.id;
    }
  }
  return out;
}
