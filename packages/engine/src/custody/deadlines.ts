/**
 * Legal handling deadlines for seized goods. An item still in custody (not auctioned, destroyed or
 * released) after its deadline is flagged overdue.
 *
 * Default (documented in the README and docs/custody.md): 30 calendar days from the seizure for goods
 * that spoil or live — food and milk, livestock and poultry, wildlife — and 90 days for everything else.
 * Each category can be given its own number of days (CUSTODY_HANDLING_DAYS, e.g.
 * "MILK_FOOD=15,LIVESTOCK_POULTRY=7,*=60"; `*` changes the default for every other category).
 */
import { isFinalCustodyState, type CustodyState } from './lifecycle.js';

export const PERISHABLE_CATEGORIES: readonly string[] = ['MILK_FOOD', 'LIVESTOCK_POULTRY', 'WILDLIFE'];
export const PERISHABLE_HANDLING_DAYS = 30;
export const DEFAULT_HANDLING_DAYS = 90;

export interface HandlingRules {
  /** Days for categories not listed in `byCategory`. */
  defaultDays: number;
  byCategory: Readonly<Record<string, number>>;
}

export const DEFAULT_HANDLING_RULES: HandlingRules = Object.freeze({
  defaultDays: DEFAULT_HANDLING_DAYS,
  byCategory: Object.freeze(Object.fromEntries(PERISHABLE_CATEGORIES.map((c) => [c, PERISHABLE_HANDLING_DAYS]))),
});

/**
 * Parses "CODE=days,CODE=days,*=days" over the defaults. Throws with a message naming the bad part, so
 * start-up stops on a typo rather than flagging with the wrong deadline.
 */
export function parseHandlingRules(spec: string, base: HandlingRules = DEFAULT_HANDLING_RULES): HandlingRules {
  const byCategory: Record<string, number> = { ...base.byCategory };
  let defaultDays = base.defaultDays;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Z_]+|\*)\s*=\s*(\d{1,4})$/.exec(part);
    if (!m) throw new Error(`"${part}" is not CATEGORY=days (e.g. MILK_FOOD=30 or *=90)`);
    const days = Number(m[2]);
    if (days < 1) throw new Error(`"${part}": a deadline is at least 1 day`);
    if (m[1] === '*') defaultDays = days;
    else byCategory[m[1]!] = days;
  }
  return { defaultDays, byCategory };
}

export function handlingDays(category: string, rules: HandlingRules = DEFAULT_HANDLING_RULES): number {
  return rules.byCategory[category] ?? rules.defaultDays;
}

/** 'yyyy-MM-dd' plus n calendar days (UTC arithmetic on the calendar date; no time zone enters). */
function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The last day on which the item may still be held: seizure date + the category's days. */
export function handlingDeadline(seizedOn: string, category: string, rules: HandlingRules = DEFAULT_HANDLING_RULES): string {
  return addCalendarDays(seizedOn, handlingDays(category, rules));
}

/** Overdue: still in custody (not final) and today (Vietnam's calendar date) is after the deadline. */
export function isCustodyOverdue(item: { seizedOn: string; category: string; state: CustodyState }, today: string, rules: HandlingRules = DEFAULT_HANDLING_RULES): boolean {
  return !isFinalCustodyState(item.state) && today > handlingDeadline(item.seizedOn, item.category, rules);
}
