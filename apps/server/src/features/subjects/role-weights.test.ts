import { describe, expect, it } from 'vitest';
import { SUBJECT_ROLES } from '@cordon/contracts';
import { ROLE_WEIGHTS } from '@cordon/engine';

describe('key players', () => {
  it('weigh every role a case can give a subject (a new role is not silently worth nothing)', () => {
    expect(SUBJECT_ROLES.filter((r) => ROLE_WEIGHTS[r] === undefined)).toEqual([]);
    expect(ROLE_WEIGHTS.director).toBe(ROLE_WEIGHTS.owner);
  });
});
