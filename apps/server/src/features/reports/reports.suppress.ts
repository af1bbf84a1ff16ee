import type { ReportFigureKey } from '@cordon/contracts';
import { isSmallCell, protectPartition } from '@cordon/engine';
import { BASIS_KEYS, FIGURE_KEYS, SUPPRESSION_BASIS, type FactRow } from './reports.queries.js';

/** Per figure: hidden in the period (0) and in the comparison period (1). */
export type Hidden = [Record<ReportFigureKey, boolean>, Record<ReportFigureKey, boolean>];
type Basis = (typeof BASIS_KEYS)[number];
type BasisHidden = [Record<Basis, boolean>, Record<Basis, boolean>];

/** Restricted and secret cases behind a basis count that this viewer may not open (reports.queries.ts). */
const unopenable = (row: FactRow | undefined, key: Basis, i: number) => Number(row?.[`s_${key}__${i}`] ?? 0);

function primary(row: FactRow, k: number): BasisHidden {
  return [0, 1].map((i) => Object.fromEntries(BASIS_KEYS.map((b) => [b, isSmallCell({ sensitive: unopenable(row, b, i) }, k)]))) as BasisHidden;
}

/** Each amount follows its basis (fines … the penalties, defendants the prosecutions); counts are shown. */
function toFigures(h: BasisHidden): Hidden {
  return [0, 1].map((i) => Object.fromEntries(FIGURE_KEYS.map((key) => {
    const basis = SUPPRESSION_BASIS[key];
    return [key, basis ? h[i]![basis] : false];
  }))) as Hidden;
}

/**
 * The small-cell rule (packages/engine/src/stats/suppress.ts) over a report, for one viewer: the amounts
 * of the totals and of the breakdown rows, the rows being parts of the totals (total − shown rows must
 * not give a withheld row away). Returns what to hide; the caller zeroes those numbers before they leave
 * the server.
 */
export function hiddenCells(total: FactRow | undefined, rows: FactRow[], k: number): { total: Hidden; rows: Hidden[] } {
  const t = total ?? ({ part: 'total', key: null } as FactRow);
  const totalHidden = primary(t, k);
  const rowHidden = rows.map((r) => primary(r, k));
  for (const i of [0, 1]) {
    for (const b of BASIS_KEYS) {
      const out = protectPartition(rows.map((r) => ({ sensitive: unopenable(r, b, i) })), rowHidden.map((h) => h[i]![b]), !totalHidden[i]![b], k);
      out.forEach((x, j) => (rowHidden[j]![i]![b] = x));
    }
  }
  return { total: toFigures(totalHidden), rows: rowHidden.map(toFigures) };
}
