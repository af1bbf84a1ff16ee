import { describe, expect, it } from 'vitest';
import { sectionsFor } from './navigation.js';

const keys = (...args: Parameters<typeof sectionsFor>) => sectionsFor(...args).map((s) => s.key);

describe('the navigation', () => {
  it('offers declaration risk to a Customs officer, whom the server lets read and record outcomes, and not to another force\'s', () => {
    expect(keys(['officer'], { forceCode: 'CUSTOMS' })).toContain('risk');
    expect(keys(['officer'], { forceCode: 'BORDER_GUARD' })).not.toContain('risk');
    expect(keys(['officer'], { forceCode: null })).not.toContain('risk');
    expect(keys(['officer'])).not.toContain('risk');
    // The roles that always had it keep it, whatever the unit.
    expect(keys(['risk_analyst'], { forceCode: 'CUSTOMS' })).toContain('risk');
    expect(keys(['viewer'], { forceCode: 'CUSTOMS' })).not.toContain('risk');
  });
});
