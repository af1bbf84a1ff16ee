/**
 * Small-cell rule for statistics. A figure in a report is a cell: a set of cases (those penalised or
 * prosecuted in the period, in one breakdown row) and a number computed from them. What a viewer must
 * not learn from a cell is an amount (fine, confiscated value, amount collected, defendants) of a
 * restricted or secret case they may not open. They can learn the amounts of every other case: a cell
 * holding only cases they may open, or internal ones, is shown exactly, and narrow cells (one day, one
 * border gate) single those out. So a cell whose cases include 1 … k−1 that the viewer may NOT open
 * gives their amounts away, give or take the others' known amounts: it is withheld ("<k").
 *
 * Counts are shown: a withheld mark would itself tell that 1 … k−1 such cases lie in the cell (the
 * viewer counts the others in the case list), so withholding counts protected only "1 or 2", at the
 * price of most of a sparse report. A viewer who may open every case in a cell loses nothing.
 *
 * Secondary: when parts of a shown whole are withheld (rows of a breakdown against the total), the whole
 * minus the shown parts gives the withheld parts' sum; more parts are withheld, fewest hidden cases
 * first, until the withheld parts together hold at least k cases the viewer may not open.
 * Pure: numbers in, decisions out; the caller counts, per cell, the cases the viewer may not open.
 */
export const DEFAULT_SMALL_CELL_THRESHOLD = 3;

export interface Cell {
  /** Restricted and secret cases in the cell that the viewer may not open. */
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
