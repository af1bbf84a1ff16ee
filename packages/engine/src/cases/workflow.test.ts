import { describe, expect, it } from 'vitest';
import { checkTransition, TRANSITIONS, type CaseStatus } from './workflow.js';

const penalty = { decisionNo: '12/QĐ-XPHC', decidedOn: '2026-03-10', fineVnd: 50_000_000, confiscatedValueVnd: 120_000_000, collectedVnd: 50_000_000 };

describe('case workflow', () => {
  it('walks the administrative path from detection to closing', () => {
    const path: [CaseStatus, CaseStatus, object][] = [
      ['detected', 'verifying', {}],
      ['verifying', 'handling', {}],
      ['handling', 'penalized', { penalty }],
      ['penalized', 'closed', {}],
    ];
    for (const [from, to, payload] of path) expect(checkTransition(from, to, payload, '2026-03-01'), `${from}→${to}`).toEqual([]);
  });

  it('walks the criminal path: transferred, then prosecuted with defendants', () => {
    expect(checkTransition('handling', 'transferred', { transferredOn: '2026-04-01' }, '2026-03-01')).toEqual([]);
    expect(checkTransition('transferred', 'prosecuted', { prosecution: { prosecutedOn: '2026-05-01', defendants: 3 } }, '2026-03-01')).toEqual([]);
  });

  it('refuses a skipped step and says where the case can go', () => {
    const [p] = checkTransition('detected', 'penalized', { penalty }, '2026-03-01');
    expect(p).toMatchObject({ field: 'to', reason: 'invalid_transition' });
    expect(p!.message).toContain('"verifying", "handling", "dropped"');
  });

  it('treats closed and dropped as final', () => {
    for (const from of ['closed', 'dropped'] as const) {
      expect(TRANSITIONS[from]).toEqual([]);
      expect(checkTransition(from, 'handling', {}, '2026-01-01')[0]!.message).toMatch(/final/);
    }
  });

  it('requires the data each step records', () => {
    expect(checkTransition('handling', 'penalized', {}, '2026-03-01')[0]).toMatchObject({ field: 'penalty', reason: 'required' });
    expect(checkTransition('handling', 'transferred', {}, '2026-03-01')[0]).toMatchObject({ field: 'transferredOn', reason: 'required' });
    expect(checkTransition('transferred', 'prosecuted', {}, '2026-03-01')[0]).toMatchObject({ field: 'prosecution', reason: 'required' });
    expect(checkTransition('verifying', 'dropped', { reason: '  ' }, '2026-03-01')[0]).toMatchObject({ field: 'reason', reason: 'required' });
  });

  it('refuses dates before detection and collections above fine plus confiscation', () => {
    expect(checkTransition('handling', 'penalized', { penalty: { ...penalty, decidedOn: '2026-02-01' } }, '2026-03-01')[0]).toMatchObject({ field: 'penalty.decidedOn' });
    expect(checkTransition('handling', 'penalized', { penalty: { ...penalty, collectedVnd: 500_000_000 } }, '2026-03-01')[0]).toMatchObject({ field: 'penalty.collectedVnd' });
  });
});
