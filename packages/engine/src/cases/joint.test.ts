import { describe, expect, it } from 'vitest';
import { isJointCandidate, JOINT_RULE, scoreJointPair, type JointCaseFacts } from './joint.js';

const customs: JointCaseFacts = {
  id: 'a',
  sourceUnitId: 'customs-ls',
  detectedOn: '2026-10-05',
  provinceCode: '20',
  subjectKeys: ['ID:020089001234', 'PHONE:0912345678', 'PLATE:12C04567'],
  goods: [{ category: 'CIGARETTES', hsCode: '240220', description: 'Thuốc lá điếu Jet' }],
};
const border = (over: Partial<JointCaseFacts> = {}): JointCaseFacts => ({
  id: 'b',
  sourceUnitId: 'border-guard',
  detectedOn: '2026-10-06',
  provinceCode: '20',
  subjectKeys: ['PLATE:12C04567'],
  goods: [{ category: 'CIGARETTES', hsCode: '240290', description: 'Thuốc lá Jet' }],
  ...over,
});
const reason = (r: ReturnType<typeof scoreJointPair>, field: string) => r.reasons.find((x) => x.field === field)!;

describe('joint case scoring', () => {
  it('scores the same truck a day apart at 1: adjacent day 0.15 + shared plate 0.5 + same HS heading 0.35', () => {
    const r = scoreJointPair(customs, border());
    expect(r.score).toBe(1);
    expect(isJointCandidate(r)).toBe(true);
    expect(reason(r, 'detectedOn')).toEqual({ field: 'detectedOn', agreed: true, detail: 'detected 1 day apart' });
    expect(reason(r, 'subjects')).toMatchObject({ agreed: true, detail: '1 shared subject identifier (PLATE)' });
    expect(reason(r, 'goods')).toMatchObject({ agreed: true, detail: 'same goods category CIGARETTES with the same 4-digit HS heading' });
  });

  it('proposes on a shared identifier alone: adjacent day 0.15 + shared phone 0.5 = 0.65', () => {
    const r = scoreJointPair(customs, border({ subjectKeys: ['PHONE:0912345678'], goods: [{ category: 'SUGAR', description: 'Đường cát' }] }));
    expect(r.score).toBe(0.65);
    expect(isJointCandidate(r)).toBe(true);
    expect(reason(r, 'goods')).toMatchObject({ agreed: false, detail: 'no goods category in common' });
  });

  it('adds 0.1 for a second shared identifier and never says which identifiers they are', () => {
    const r = scoreJointPair(customs, border({ subjectKeys: ['PHONE:0912345678', 'PLATE:12C04567'], goods: [] }));
    expect(r.score).toBe(0.75); // 0.15 + 0.5 + 0.1
    expect(reason(r, 'subjects').detail).toBe('2 shared subject identifiers (PHONE, PLATE)');
    expect(JSON.stringify(r)).not.toContain('12C04567');
  });

  it('proposes on goods alone at the threshold: adjacent day 0.15 + same HS heading 0.35 = 0.5', () => {
    const r = scoreJointPair(customs, border({ subjectKeys: [] }));
    expect(r.score).toBe(JOINT_RULE.threshold);
    expect(isJointCandidate(r)).toBe(true);
  });

  it('matches goods without HS codes by similar descriptions, ignoring diacritics', () => {
    const r = scoreJointPair(customs, border({ subjectKeys: [], detectedOn: '2026-10-05', goods: [{ category: 'CIGARETTES', description: 'thuoc la dieu JET' }] }));
    expect(r.score).toBe(0.55); // same day 0.2 + similar description 0.35
    expect(reason(r, 'goods').detail).toBe('same goods category CIGARETTES with similar descriptions');
  });

  it('does not propose two seizures sharing only a goods category on the same day (0.2 + 0.1 = 0.3)', () => {
    const r = scoreJointPair(customs, border({ subjectKeys: [], detectedOn: '2026-10-05', goods: [{ category: 'CIGARETTES', hsCode: '2403', description: 'Thuốc lào' }] }));
    expect(r.score).toBe(0.3);
    expect(isJointCandidate(r)).toBe(false);
    expect(reason(r, 'goods')).toMatchObject({ agreed: false });
  });

  it('gives 0 for another province, however much else agrees', () => {
    const r = scoreJointPair(customs, border({ provinceCode: '31' }));
    expect(r.score).toBe(0);
    expect(reason(r, 'provinceCode')).toEqual({ field: 'provinceCode', agreed: false, detail: 'provinces 20 and 31' });
  });

  it('gives 0 for dates two days apart, and across a month end counts days correctly', () => {
    expect(scoreJointPair(customs, border({ detectedOn: '2026-10-07' })).score).toBe(0);
    expect(scoreJointPair(customs, border({ detectedOn: '2026-10-03' })).score).toBe(0);
    expect(scoreJointPair({ ...customs, detectedOn: '2026-10-31' }, border({ detectedOn: '2026-11-01' })).score).toBe(1);
  });

  it('gives 0 for two cases of the same unit: that is a duplicate, not a joint case', () => {
    const r = scoreJointPair(customs, border({ sourceUnitId: 'customs-ls' }));
    expect(r.score).toBe(0);
    expect(reason(r, 'sourceUnit').agreed).toBe(false);
  });

  it('is symmetric', () => {
    const b = border({ subjectKeys: ['PHONE:0912345678'] });
    expect(scoreJointPair(b, customs).score).toBe(scoreJointPair(customs, b).score);
  });

  it('takes its threshold and weights from the rule it is given', () => {
    const strict = { ...JOINT_RULE, threshold: 0.9 };
    expect(isJointCandidate(scoreJointPair(customs, border({ subjectKeys: [] })), strict)).toBe(false);
  });
});
