import { describe, expect, it } from 'vitest';
import { GOODS_CATEGORIES, PROVINCES } from '@cordon/reference';
import { PUBLIC_GOODS, PUBLIC_PROVINCES } from './public-reference.js';

describe('the catalogues embedded in the public tip form', () => {
  it('list the same 34 provinces as the reference package, in its order', () => {
    expect(PUBLIC_PROVINCES).toEqual(PROVINCES.map((p) => [p.code, p.name, p.nameEn]));
  });

  it('list the same goods categories as the reference package', () => {
    expect(PUBLIC_GOODS).toEqual(GOODS_CATEGORIES.map((g) => [g.code, g.nameVi, g.nameEn]));
  });
});
