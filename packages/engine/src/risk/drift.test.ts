import { describe, expect, it } from 'vitest';
import { driftAgainst, scoreReference } from './drift.js';

// Scores 0.01, 0.02, ..., 1.00: deciles at 0.10, 0.20, ..., 0.90; the top 5 (5%) start at 0.96.
const hundred = Array.from({ length: 100 }, (_, i) => (i + 1) / 100);

describe('score drift', () => {
  it('keeps the deciles and the red and yellow cut-offs of the reference window', () => {
    const ref = scoreReference(hundred);
    expect(ref.edges.map((e) => Number(e.toFixed(2)))).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(ref.shares.every((s) => Math.abs(s - 0.1) < 1e-12)).toBe(true);
    expect(ref.redCut).toBeCloseTo(0.96, 12); // 5 of 100 at or above
    expect(ref.yellowCut).toBeCloseTo(0.86, 12); // 15 of 100 at or above
    expect(ref.mean).toBeCloseTo(0.505, 12);
  });

  it('reads no drift when the recent scores are distributed like the reference', () => {
    const d = driftAgainst(scoreReference(hundred), hundred);
    expect(d.psi).toBeCloseTo(0, 12);
    expect(d.aboveRedCut).toBeCloseTo(0.05, 12);
  });

  it('reads a shift when recent scores pile up at the top, and says how much would go red', () => {
    const ref = scoreReference(hundred);
    // 50 scores 0.950 .. 0.999 (top bucket, 40 of them ≥ 0.96), 50 spread like the reference's lower half.
    const recent = [...Array.from({ length: 50 }, (_, i) => 0.95 + i / 1000), ...hundred.slice(0, 50)];
    const d = driftAgainst(ref, recent);
    // Buckets 0..4 get 0.1 each (no change), bucket 9 gets 0.5 instead of 0.1, buckets 5..8 get 0 (counted as 0.0001).
    const expected = (0.5 - 0.1) * Math.log(0.5 / 0.1) + 4 * (0.0001 - 0.1) * Math.log(0.0001 / 0.1);
    expect(d.psi).toBeCloseTo(expected, 10);
    expect(d.aboveRedCut).toBeCloseTo(0.4, 12); // 40 of 100 would go red at the reference cut-off
  });
});
