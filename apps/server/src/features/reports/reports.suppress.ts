import type { ReportFigureKey } from '@cordon/contracts';
import { isSmallCell, protectPartition } from '@cordon/engine';
import { BASIS_KEYS, FIGURE_KEYS, SUPPRESSION_BASIS, type FactRow } from './reports.queries.js';

/** Per figure: hidden in the period (0) and in the comparison period (1). */
export type Hidden = [Record<ReportFigureKey, boolean>, Record<ReportFigureKey, boolean>];

const GROUPS: ReportFigureKey[] = ['smuggling', 'tradeFraud', 'counterfeit'];
const sens = (row: FactRow | undefined, key: ReportFigureKey, i: number) => Number(row?.[`s_${key}__${i}`] ?? 0);

function primary(row: FactRow, k: number): Hidden {
  return [0, 1].map((i) => Object.fromEntries(FIGURE_KEYS.map((key) => [key, isSmallCell({ sensitive: sens(row, SUPPRESSION_BASIS[key], i) }, k)]))) as Hidden;
}

/** The three 389 groups are parts of the cases figure: cases − the shown groups must not single one out. */
function withinRow(row: FactRow, h: Hidden, k: number): boolean {
  let changed = false;
  for (const i of [0, 1]) {
    const out = protectPartition(GROUPS.map((g) => ({ sensitive: sens(row, g, i) })), GROUPS.map((g) => h[i]![g]), !h[i]!.cases, k);
    GROUPS.forEach((g, j) => {
      if (out[j] && !h[i]![g]) {
        h[i]![g] = true;
        changed = true;
      }
    });
  }
  return changed;
}

/** Money follows the penalties it comes from, defendants the prosecutions. */
function propagate(h: Hidden): void {
  for (const i of [0, 1]) for (const key of FIGURE_KEYS) h[i]![key] = h[i]![SUPPRESSION_BASIS[key]];
}

/**
 * The small-cell rule (packages/engine/src/stats/suppress.ts) over a report: the totals, the breakdown
 * rows as parts of the totals, the 389 groups as parts of the cases, the months of the trend as parts
 * of the period. Returns what to hide; the caller zeroes those numbers before they leave the server.
 */
export function hiddenCells(total: FactRow | undefined, rows: FactRow[], months: { period?: FactRow; compare?: FactRow }[], k: number) {
  const empty = { part: 'total', key: null } as FactRow;
  const t = total ?? empty;
  const totalHidden = primary(t, k);
  withinRow(t, totalHidden, k);
  const rowHidden = rows.map((r) => primary(r, k));
  rows.forEach((r, j) => withinRow(r, rowHidden[j]!, k));
  // Rows against the total, then groups within rows again, until nothing changes (a few rounds at most).
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const i of [0, 1]) {
      for (const b of BASIS_KEYS) {
        const out = protectPartition(rows.map((r) => ({ sensitive: sens(r, b, i) })), rowHidden.map((h) => h[i]![b]), !totalHidden[i]![b], k);
        out.forEach((x, j) => {
          if (x && !rowHidden[j]![i]![b]) {
            rowHidden[j]![i]![b] = true;
            changed = true;
          }
        });
      }
    }
    rows.forEach((r, j) => (changed = withinRow(r, rowHidden[j]!, k) || changed));
    if (!changed) break;
  }
  propagate(totalHidden);
  rowHidden.forEach(propagate);

  const trendHidden = months.map(() => [false, false] as [boolean, boolean]);
  ([0, 1] as const).forEach((i) => {
    const cells = months.map((m) => ({ sensitive: sens(i === 0 ? m.period : m.compare, 'cases', i) }));
    protectPartition(cells, [], !totalHidden[i].cases, k).forEach((x, j) => (trendHidden[j]![i] = x));
  });
  return { total: totalHidden, rows: rowHidden, trend: trendHidden };
}
