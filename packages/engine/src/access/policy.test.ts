import { describe, expect, it } from 'vitest';
import { decideAccess, readIsAudited, type Actor, type RecordAccessFacts } from './policy.js';

// A Customs officer in the Lang Son branch (below Customs HQ), a Border Guard officer, a Customs HQ
// analyst (the branch is below HQ), and an auditor.
const branchOfficer: Actor = { userId: 'u-branch', unitIds: ['customs-ls'], roles: ['officer'] };
const borderOfficer: Actor = { userId: 'u-border', unitIds: ['border-ls'], roles: ['officer'] };
const customsHq: Actor = { userId: 'u-hq', unitIds: ['customs', 'customs-ls', 'customs-hp'], roles: ['analyst'] };
const admin: Actor = { userId: 'u-admin', unitIds: ['office'], roles: ['admin'] };
const auditor: Actor = { userId: 'u-auditor', unitIds: ['office'], roles: ['auditor'] };

const record = (over: Partial<RecordAccessFacts>): RecordAccessFacts => ({
  sensitivity: 'internal',
  handlingUnitIds: ['customs-ls'],
  sharedUnitIds: [],
  sharedUserIds: [],
  namedUserIds: [],
  ...over,
});

describe('need-to-know access', () => {
  it('gives the handling unit everything of an internal record', () => {
    expect(decideAccess(branchOfficer, record({}))).toEqual({ level: 'full', rule: 'handling-unit' });
  });

  it('gives units above the handling unit everything (own unit includes sub-units)', () => {
    expect(decideAccess(customsHq, record({})).level).toBe('full');
  });

  it('gives other forces only the summary of an internal record', () => {
    expect(decideAccess(borderOfficer, record({}))).toEqual({ level: 'summary', rule: 'internal-summary' });
  });

  it('hides a restricted record from other forces and from an admin outside the case', () => {
    const r = record({ sensitivity: 'restricted' });
    expect(decideAccess(borderOfficer, r)).toEqual({ level: 'none', rule: 'restricted-no-need' });
    expect(decideAccess(admin, r).level).toBe('none');
  });

  it('opens a restricted record to a coordinating unit and to explicit shares', () => {
    expect(decideAccess(borderOfficer, record({ sensitivity: 'restricted', handlingUnitIds: ['customs-ls', 'border-ls'] })).level).toBe('full');
    expect(decideAccess(borderOfficer, record({ sensitivity: 'restricted', sharedUnitIds: ['border-ls'] }))).toEqual({ level: 'full', rule: 'shared-unit' });
    expect(decideAccess(borderOfficer, record({ sensitivity: 'restricted', sharedUserIds: ['u-border'] }))).toEqual({ level: 'full', rule: 'shared-user' });
  });

  it('does not open a restricted record to a sibling branch of the same force', () => {
    const sibling: Actor = { userId: 'u-hp', unitIds: ['customs-hp'], roles: ['officer'] };
    expect(decideAccess(sibling, record({ sensitivity: 'restricted' })).level).toBe('none');
  });

  it('shows a secret record only to the users named on it, not to the handling unit as a whole', () => {
    const r = record({ sensitivity: 'secret', namedUserIds: ['u-branch'] });
    expect(decideAccess(branchOfficer, r)).toEqual({ level: 'full', rule: 'secret-named' });
    expect(decideAccess(customsHq, r)).toEqual({ level: 'none', rule: 'secret-not-named' });
    expect(decideAccess(admin, r).level).toBe('none');
    expect(decideAccess(borderOfficer, record({ sensitivity: 'secret', sharedUnitIds: ['border-ls'] })).level).toBe('none');
  });

  it('gives an auditor no operational records at all', () => {
    expect(decideAccess(auditor, record({ handlingUnitIds: ['office'] }))).toEqual({ level: 'none', rule: 'no-staff-role' });
  });

  it('audits reads of restricted and secret records only', () => {
    expect(readIsAudited({ sensitivity: 'internal' })).toBe(false);
    expect(readIsAudited({ sensitivity: 'restricted' })).toBe(true);
    expect(readIsAudited({ sensitivity: 'secret' })).toBe(true);
  });
});
