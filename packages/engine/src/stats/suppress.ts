/**
 * Small-cell rule for statistics. A figure in a report is a cell: a set of cases (those detected, or
 * penalised, or prosecuted… in the period, in one breakdown row or month) and a number computed from
 * them. Every staff user can count the internal cases of a cell in the case list, so the number of
 * restricted and secret cases in a shown cell can always be worked out; with fewer than k of them the
 * cell could single one out (its unit, border gate, day, fine). Such a cell is not shown ("<k").
 *
 * Primary: a cell whose sensitive (restricted or secret) cases number 1 … k−1 is suppressed, for every
 * user (also those who may open the cases: they find them in the case list).
 * Secondary: when the parts of a shown whole (rows of a breakdown against the total, months against
 * the period, the three 389 groups against the cases) are suppressed, the whole minus the shown parts
 * gives the suppressed parts' sum; more parts are suppressed, fewest sensitive cases first, until the
 * suppressed parts together hold at least k sensitive cases.
 * Pure: numbers in, decisions out.
 */
export const DEFAULT_SMALL_CELL_THRESHOLD = 3;

export interface Cell {
  /** Restricted and secret cases in the cell. */
  sensitive: number;
}

export function isSmallCell(c: Cell, k: number): boolean {
  return c.sensitive > 0 && c.sensitive < k;
}

/**
 * Which parts of a partition to suppress, given which are suppressed already (primary) and whether the
 * whole is shown. Returns a new array of flags.
 */
export function protectPartition(parts: readonly Cell[], suppressed: readonly boolean[], wholeShown: boolean, k: number): boolean[] {
  const out = parts.map((p, i) => suppressed[i] === true || isSmallCell(p, k));
  if (!wholeShown) return out;
  const hidden = () => parts.reduce((s, p, i) => s + (out[i] ? p.sensitive : 0), 0);
  if (!out.some(Boolean) || hidden() >= k) return out;
  // Suppressed parts with no sensitive case at all reveal nothing; those with some need company.
  const candidates = parts.map((p, i) => ({ i, s: p.sensitive })).filter((x) => !out[x.i] && x.s > 0).sort((a, b) => a.s - b.s || a.i - b.i);
  for (const c of candidates) {
    if (hidden() >= k || hidden() === 0) break;
    out[c.i] = true;
  }
  return out;
}
