/**
 * Fuzzy matches wait for an officer (issue 7): of the links that built each group, identifier links
 * (same valid CCCD, tax code, plate…) stand, and scored links (`match`) are held back as merge
 * proposals. Kept apart from `subjects.ts` so the resolver itself stays unchanged: this takes its
 * output and returns the grouping an analyst has not yet been asked about.
 */
import type { FieldReason } from './resolve.js';
import type { RecordProvenance } from './subjects.js';

/** A scored link held for review: records `a` and `b` (input indexes) may be one subject. */
export interface HeldLink {
  a: number;
  b: number;
  score: number;
  weightBits: number;
  reasons: FieldReason[];
}

export interface ReviewedGrouping {
  /** Group number per record (the smallest index of its group), over identifier links only. */
  group: number[];
  provenance: RecordProvenance[];
  held: HeldLink[];
}

/**
 * Splits every group at its scored links. Each record's provenance is the spanning-tree link that
 * attached it (see `groupSubjectRecords`), so cutting the `match` links leaves exactly the parts joined
 * by identifiers; a record cut off founds its part (`first`) and its link becomes a `HeldLink`.
 */
export function holdFuzzyLinks(provenance: readonly RecordProvenance[]): ReviewedGrouping {
  const parent = provenance.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const held: HeldLink[] = [];
  const out: RecordProvenance[] = provenance.map((p, i) => {
    if (p.linkedTo === undefined || p.rule === 'first') return { rule: 'first' };
    if (p.rule === 'identifier') {
      // the smaller index stays the root, so group numbers are each part's first record
      const [x, y] = [find(i), find(p.linkedTo)];
      if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
      return p;
    }
    held.push({ a: Math.min(i, p.linkedTo), b: Math.max(i, p.linkedTo), score: p.score ?? 0, weightBits: p.weightBits ?? 0, reasons: p.reasons ?? [] });
    return { rule: 'first' };
  });
  return { group: provenance.map((_, i) => find(i)), provenance: out, held };
}
