import type { CaseLinkView } from '../../contracts.js';

type LinkedCase = CaseLinkView['cases'][number];

/** The trailing number of a Cordon case code (VV-2026-000123 → 123): one sequence for every year, so it orders cases as recorded. */
const caseNumber = (code: string) => {
  const m = /(\d+)$/.exec(code);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
};

/** Detected first; on the same day, recorded first (the lower case number); then by code and id, so the order is total. */
export function detectedFirst(a: LinkedCase, b: LinkedCase): number {
  if (a.detectedOn !== b.detectedOn) return a.detectedOn < b.detectedOn ? -1 : 1;
  const n = caseNumber(a.code) - caseNumber(b.code);
  if (n !== 0 && !Number.isNaN(n)) return n;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The lead unit offered when confirming a joint-case proposal, by one rule on the proposals queue and on a
 * case page (which list the two cases in different orders: the user's side first, the page's case first):
 * - a lead already agreed to: while a proposal waits only one side has agreed, the user's own or the
 *   other one — and the server refuses the other side's lead being changed (both sides must agree on it);
 *   with more than one agreement, the one for the first listed case (the user's side);
 * - else the lead unit of the case detected first (the first to detect leads), on the same day the one
 *   recorded first.
 * Only a unit that is one of the cases' lead units (the choices shown) is returned; '' for no cases.
 */
export function defaultLeadUnitId(link: Pick<CaseLinkView, 'cases' | 'agreements'>): string {
  const leads = new Set(link.cases.map((c) => c.leadUnit.id));
  const agreed = [...link.agreements].sort((a, b) => Number(b.caseId === link.cases[0].id) - Number(a.caseId === link.cases[0].id)).find((a) => leads.has(a.leadUnitId));
  if (agreed) return agreed.leadUnitId;
  return [...link.cases].sort(detectedFirst)[0]?.leadUnit.id ?? '';
}
