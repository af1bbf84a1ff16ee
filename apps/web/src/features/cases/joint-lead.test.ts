import { describe, expect, it } from 'vitest';
import type { CaseLinkView } from '../../contracts.js';
import { defaultLeadUnitId } from './joint-lead.js';

const unit = (id: string) => ({ id, code: id, nameVi: id, nameEn: id, forceCode: null });
const side = (id: string, code: string, detectedOn: string, lead: string): CaseLinkView['cases'][number] => ({
  id, code, title: code, detectedOn, provinceCode: '20', sourceUnit: unit(lead), leadUnit: unit(lead), jointGroupId: null, countsInStatistics: true,
});
const customs = side('00000000-0000-4000-8000-00000000000a', 'VV-2026-000120', '2026-10-05', 'CUSTOMS-LS');
const border = side('00000000-0000-4000-8000-00000000000b', 'VV-2026-000125', '2026-10-05', 'BORDER_GUARD-LS');
const agreement = (caseId: string, leadUnitId: string) => ({ caseId, leadUnitId, byUsername: 'someone', at: '2026-10-06T02:00:00.000Z' });

describe('the lead unit preselected when confirming a joint case', () => {
  it('is the lead of the case recorded first on the same day, whichever case the screen lists first', () => {
    // the queue lists the user's side first, a case page the page's case: both offer Customs (case 120)
    expect(defaultLeadUnitId({ cases: [customs, border], agreements: [] })).toBe('CUSTOMS-LS');
    expect(defaultLeadUnitId({ cases: [border, customs], agreements: [] })).toBe('CUSTOMS-LS');
  });

  it('is the lead of the case detected first, even when it was recorded later', () => {
    const earlier = { ...border, detectedOn: '2026-10-04' };
    expect(defaultLeadUnitId({ cases: [customs, earlier], agreements: [] })).toBe('BORDER_GUARD-LS');
    expect(defaultLeadUnitId({ cases: [earlier, customs], agreements: [] })).toBe('BORDER_GUARD-LS');
  });

  it('compares case numbers as numbers, across years', () => {
    const a = side('00000000-0000-4000-8000-00000000000c', 'VV-2026-000999', '2026-10-05', 'A');
    const b = side('00000000-0000-4000-8000-00000000000d', 'VV-2025-001000', '2026-10-05', 'B');
    expect(defaultLeadUnitId({ cases: [b, a], agreements: [] })).toBe('A');
  });

  it("is the lead a side already agreed to, the user's own or the other one", () => {
    expect(defaultLeadUnitId({ cases: [border, customs], agreements: [agreement(border.id, 'BORDER_GUARD-LS')] })).toBe('BORDER_GUARD-LS');
    expect(defaultLeadUnitId({ cases: [customs, border], agreements: [agreement(border.id, 'BORDER_GUARD-LS')] })).toBe('BORDER_GUARD-LS');
    // with agreements for both (not left waiting by the server, but): the first listed case's (the user's side)
    expect(defaultLeadUnitId({ cases: [customs, border], agreements: [agreement(border.id, 'BORDER_GUARD-LS'), agreement(customs.id, 'CUSTOMS-LS')] })).toBe('CUSTOMS-LS');
  });

  it('ignores an agreed lead that is neither case\'s lead unit', () => {
    expect(defaultLeadUnitId({ cases: [border, customs], agreements: [agreement(border.id, 'ELSEWHERE')] })).toBe('CUSTOMS-LS');
  });
});
