import { describe, expect, it } from 'vitest';
import { findHotSpots, poissonUpperTail } from './hotspots.js';

describe('hot spots', () => {
  it('computes the Poisson upper tail', () => {
    // P(X ≥ 1 | λ=1) = 1 − e^−1
    expect(poissonUpperTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 12);
    // P(X ≥ 3 | λ=2) = 1 − e^−2 (1 + 2 + 2)
    expect(poissonUpperTail(3, 2)).toBeCloseTo(1 - 5 * Math.exp(-2), 12);
    // Far in the tail the value stays positive and tiny rather than 0 or negative.
    const tiny = poissonUpperTail(60, 10);
    expect(tiny).toBeGreaterThan(0);
    expect(tiny).toBeLessThan(1e-15);
  });

  it('lists a province whose cases doubled against its own past, not one that moved with noise', () => {
    const spots = findHotSpots([
      { key: '20', observed: 84, baseline: [40, 44] }, // Lạng Sơn: 84 against 42 expected
      { key: '01', observed: 530, baseline: [500, 520] }, // Hà Nội: large but ordinary
      { key: '79', observed: 4, baseline: [0, 1] }, // too few to say
    ]);
    expect(spots.map((s) => s.key)).toEqual(['20']);
    expect(spots[0]).toMatchObject({ observed: 84, expected: 42, ratio: 2, test: 'poisson-upper-tail' });
    expect(spots[0]!.pValue).toBeLessThan(1e-6);
  });

  it('treats a key with no history against a small floor, and orders by strength', () => {
    const spots = findHotSpots([
      { key: 'ECOMMERCE', observed: 12, baseline: [] },
      { key: 'SEA', observed: 30, baseline: [12, 14] },
    ]);
    expect(spots.map((s) => s.key)).toEqual(['ECOMMERCE', 'SEA']);
  });
});
