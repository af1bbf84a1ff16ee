import { describe, expect, it } from 'vitest';
import { isSmallCell, protectPartition } from './suppress.js';

describe('small-cell rule', () => {
  it('hides a cell with one or two restricted cases, never one with none or with three', () => {
    expect([0, 1, 2, 3, 40].map((s) => isSmallCell({ sensitive: s }, 3))).toEqual([false, true, true, false, false]);
  });

  it('hides a second row when the total would give away the only hidden one', () => {
    // rows hold 1, 0, 4, 2 sensitive cases; the total (7) is shown
    const out = protectPartition([{ sensitive: 1 }, { sensitive: 0 }, { sensitive: 4 }, { sensitive: 2 }], [], true, 3);
    // row 0 (1) and row 3 (2) are small: together 3, enough
    expect(out).toEqual([true, false, false, true]);
    // one small row (1) next to a large one (5): the large one is hidden with it, the clean row stays
    expect(protectPartition([{ sensitive: 1 }, { sensitive: 0 }, { sensitive: 5 }], [], true, 3)).toEqual([true, false, true]);
  });

  it('needs no company when the whole is itself hidden', () => {
    expect(protectPartition([{ sensitive: 1 }, { sensitive: 0 }], [], false, 3)).toEqual([true, false]);
  });
});
