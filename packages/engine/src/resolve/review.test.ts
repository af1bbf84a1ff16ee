import { describe, expect, it } from 'vitest';
import { holdFuzzyLinks } from './review.js';
import { groupSubjectRecords, type RecordProvenance, type SubjectRecordInput } from './subjects.js';

describe('holding fuzzy links for an officer', () => {
  it('keeps identifier links and turns a scored match into a held link with its reasons', () => {
    const rows: SubjectRecordInput[] = [
      { id: 'a', kind: 'person', name: 'Nguyễn Văn Hùng', idNumber: '020089001234', phone: '0912345678', dateOfBirth: '1989-03-12' },
      { id: 'b', kind: 'person', name: 'NGUYEN VAN HUNG', idNumber: '020089001234' },
      // no CCCD: joins the first record only by a scored match on name, phone and date of birth
      { id: 'c', kind: 'person', name: 'Hùng Nguyễn', phone: '+84912345678', dateOfBirth: '1989-03-12' },
    ];
    const resolved = groupSubjectRecords(rows);
    expect(resolved.group).toEqual([0, 0, 0]);
    const { group, provenance, held } = holdFuzzyLinks(resolved.provenance);
    expect(group).toEqual([0, 0, 2]);
    expect(provenance[1]).toMatchObject({ rule: 'identifier', linkedTo: 0 });
    expect(provenance[2]).toEqual({ rule: 'first' });
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ a: 0, b: 2 });
    expect(held[0]!.score).toBeGreaterThan(0.5);
    expect(held[0]!.reasons.find((r) => r.field === 'phone')).toMatchObject({ outcome: 'agreed' });
  });

  it('cuts a group at the match in the middle, keeping both identifier-linked parts whole', () => {
    // 0 ←id─ 1 ←match─ 2 ←id─ 3 (a spanning tree as groupSubjectRecords writes it)
    const prov: RecordProvenance[] = [
      { rule: 'first' },
      { rule: 'identifier', linkedTo: 0, score: 1 },
      { rule: 'match', linkedTo: 1, score: 0.9, weightBits: 7, reasons: [] },
      { rule: 'identifier', linkedTo: 2, score: 1 },
    ];
    const out = holdFuzzyLinks(prov);
    expect(out.group).toEqual([0, 0, 2, 2]);
    expect(out.held).toEqual([{ a: 1, b: 2, score: 0.9, weightBits: 7, reasons: [] }]);
  });
});
