import { describe, expect, it } from 'vitest';
import { resolveEntities } from './resolve.js';
import { assignSubjects, groupSubjectRecords, modelForFile, subjectBlockingKeys, type SubjectRecordInput } from './subjects.js';
import { buildGazetteer } from './gazetteer.js';
import type { EntityRecord } from './mapping.js';

const person = (id: string, values: EntityRecord['values']): EntityRecord => ({ id, source: 0, values });

describe('term-frequency adjusted name weights', () => {
  // 30 Nguyễn Văn Hùng-like records of different people and two records of a rare name
  const common = Array.from({ length: 30 }, (_, k) => person(`n${k}`, { fullName: `Nguyễn Văn ${['Hùng', 'Nam', 'An'][k % 3]}`, dob: `19${60 + k}-0${1 + (k % 9)}-1${k % 10}` }));
  const rare = [person('r1', { fullName: 'Đàm Quang Khải', dob: '1971-02-03' }), person('r2', { fullName: 'Dam Quang Khai', dob: '1971-02-03' })];
  const records = [...common, ...rare, person('n-dup', { fullName: 'Nguyen Van Hung', dob: '1960-01-10' })];

  it('counts agreeing on a common family name for less than on a rare one', () => {
    const r = resolveEntities('person', records, { dobFormat: 'yyyy-MM-dd' });
    const rareFamily = r.explain(30, 31).fields.find((f) => f.field === 'familyName')!;
    const commonFamily = r.explain(0, 32).fields.find((f) => f.field === 'familyName')!;
    expect(rareFamily.outcome).toBe('agreed');
    expect(commonFamily.outcome).toBe('agreed');
    expect(commonFamily.termFrequency).toBeLessThan(0);
    expect(rareFamily.weight).toBeGreaterThan(commonFamily.weight);
    const off = resolveEntities('person', records, { dobFormat: 'yyyy-MM-dd', termFrequency: false });
    expect(off.explain(0, 32).fields.find((f) => f.field === 'familyName')!.termFrequency).toBeUndefined();
  });
});

describe('scoring part of a file with the whole file\'s model', () => {
  const common = Array.from({ length: 30 }, (_, k) => person(`n${k}`, { fullName: `Nguyễn Văn ${['Hùng', 'Nam', 'An'][k % 3]}`, dob: `19${60 + k}-0${1 + (k % 9)}-1${k % 10}`, idNumber: `0200890${String(10000 + k)}` }));
  const copies = common.slice(0, 10).map((r, k) => person(`c${k}`, { fullName: r.values.fullName!.toUpperCase(), dob: r.values.dob!, idNumber: r.values.idNumber! }));
  const records = [...common, ...copies, person('x', { fullName: 'Nguyen Van Hung', dob: '1960-01-10' })];
  const options = { dobFormat: 'yyyy-MM-dd', termFrequency: false } as const;
  const whole = resolveEntities('person', records, options);
  // the new record and the few it shares keys with, as an incremental run would take them
  const part = [records[0]!, records[30]!, records[3]!, records[40]!];

  it('weighs a pair as the run over the whole file did, where the part\'s own estimate does not', () => {
    const fixed = resolveEntities('person', part, { ...options, model: whole.model });
    expect(fixed.explain(0, 3).weight).toBeCloseTo(whole.explain(0, 40).weight, 9);
    expect(fixed.explain(0, 3).fields).toEqual(whole.explain(0, 40).fields);
    const own = resolveEntities('person', part, options);
    expect(Math.abs(own.explain(0, 3).weight - whole.explain(0, 40).weight)).toBeGreaterThan(0.5);
  });

  it('refuses a model of other fields, and the subject grouping then estimates its own', () => {
    const gazetteer = buildGazetteer({ provinces: [{ code: '20', name: 'Lạng Sơn' }] });
    expect(() => resolveEntities('person', part, { ...options, model: whole.model, gazetteer })).toThrow(/fields of person with a gazetteer/);
    const rows: SubjectRecordInput[] = [
      { id: 'a', kind: 'person', name: 'Nguyễn Văn Hùng', idNumber: '020089001234', dateOfBirth: '1989-03-12' },
      { id: 'b', kind: 'person', name: 'NGUYEN VAN HUNG', idNumber: '020089001234' },
    ];
    const r = groupSubjectRecords(rows, { gazetteer, models: { person: whole.model } });
    expect(r.group).toEqual([0, 0]);
    expect(r.models.person!.model).not.toBe(whole.model);
    expect(groupSubjectRecords(rows, { models: { person: whole.model } }).models.person!.model).toBe(whole.model);
  });

  it('lowers the prior by one bit for a file twice as large as the one the model was estimated on', () => {
    const fit = { model: { ...whole.model, lambda: 1e-4 }, records: 1000 }; // ≈ 50 expected matches
    expect(modelForFile(fit, 2000)!.priorWeight).toBeCloseTo(whole.model.priorWeight - 1, 9);
    expect(modelForFile(fit, 2000)!.weights).toBe(whole.model.weights);
  });

  it('gives no model from a run whose EM found (almost) no matches to learn from', () => {
    expect(modelForFile({ model: { ...whole.model, lambda: 1e-12 }, records: 65 }, 70)).toBeUndefined();
    expect(modelForFile({ model: { ...whole.model, lambda: 1e-6 }, records: 1000 }, 1000)).toBeUndefined(); // 0.5 expected
  });
});

describe('grouping case subject records into subjects', () => {
  const rows: SubjectRecordInput[] = [
    { id: 'a', kind: 'person', name: 'Nguyễn Văn Hùng', idNumber: '020089001234', phone: '0912345678', dateOfBirth: '1989-03-12' },
    { id: 'b', kind: 'person', name: 'NGUYEN VAN HUNG', idNumber: '020089001234' },
    { id: 'c', kind: 'person', name: 'Hùng Nguyễn', phone: '+84912345678', dateOfBirth: '1989-03-12' },
    { id: 'd', kind: 'person', name: 'Nguyễn Văn Hùng', idNumber: '001075009999', dateOfBirth: '1975-01-01' },
    { id: 'e', kind: 'vehicle', name: 'Xe tải', plate: '12C-045.67' },
    { id: 'f', kind: 'vehicle', name: 'Xe tải Hino', plate: '12C04567' },
    { id: 'g', kind: 'phone', name: '0912 345 678' },
    { id: 'h', kind: 'phone', name: '+84 912345678' },
    { id: 'i', kind: 'company', name: 'Công ty TNHH Hoàng Long', taxCode: '0101234567' },
  ];
  const { group, provenance } = groupSubjectRecords(rows);

  it('puts the same person, vehicle and phone together, and a namesake with another CCCD apart', () => {
    expect(group.slice(0, 4)).toEqual([0, 0, 0, 3]);
    expect(group.slice(4, 9)).toEqual([4, 4, 6, 6, 8]);
  });

  it('says why each record joined: the same CCCD, a scored match with reasons, or first of its subject', () => {
    expect(provenance[0]).toEqual({ rule: 'first' });
    expect(provenance[1]).toMatchObject({ rule: 'identifier', linkedTo: 0, score: 1 });
    expect(provenance[2]).toMatchObject({ rule: 'match', linkedTo: 0 });
    expect(provenance[2]!.score).toBeGreaterThan(0.5);
    expect(provenance[2]!.reasons!.find((f) => f.field === 'phone')).toMatchObject({ outcome: 'agreed' });
    expect(provenance[7]).toMatchObject({ rule: 'identifier', linkedTo: 6 });
  });
});

describe('blocking keys of a subject record', () => {
  const gazetteer = buildGazetteer({
    provinces: [{ code: '79', name: 'Hồ Chí Minh', aliases: ['TPHCM'] }],
    formerProvinces: [{ code: '77', name: 'Bà Rịa - Vũng Tàu', successorCode: '79' }],
    wards: [{ code: '26506', name: 'Phường Vũng Tàu', provinceCode: '79' }],
    formerWards: [{ code: '26530', name: 'Phường Thắng Tam', provinceCode: '77' }],
    wardCrosswalk: [{ oldCode: '26530', newCode: '26506' }],
  });
  const old: SubjectRecordInput = { id: 'a', kind: 'person', name: 'Lê Thị Mai', address: '45 Thùy Vân, P. Thắng Tam, Bà Rịa - Vũng Tàu' };
  const now: SubjectRecordInput = { id: 'b', kind: 'person', name: 'LE THI MAI', address: '45 Thùy Vân, phường Vũng Tàu, TP. Hồ Chí Minh' };
  const addressKey = (r: SubjectRecordInput, options = {}) => subjectBlockingKeys(r, options).find((k) => k.group === 'sn:addr')?.sort;

  it('sorts the address neighbourhood on the street once a gazetteer took out the ward and province', () => {
    expect(addressKey(old, { gazetteer })).toBe('45 thuy van');
    expect(addressKey(now, { gazetteer })).toBe('45 thuy van');
    // without one, the two writings sort apart
    expect(addressKey(old)).not.toBe(addressKey(now));
  });
});

describe('assigning groups to subjects', () => {
  let n = 0;
  const fresh = () => `new-${++n}`;

  it('keeps the subject most records already had, so a second run changes nothing', () => {
    const out = assignSubjects([0, 0, 0, 3], [{ subjectId: 'S1', pinned: false }, { subjectId: 'S1', pinned: false }, undefined, { subjectId: 'S2', pinned: false }], new Set(), fresh);
    expect(out).toEqual(['S1', 'S1', 'S1', 'S2']);
  });

  it('leaves records an analyst placed where they are, and never reuses a merged-away subject', () => {
    const out = assignSubjects([0, 0, 0], [{ subjectId: 'S1', pinned: false }, { subjectId: 'S9', pinned: true }, { subjectId: 'S1', pinned: false }], new Set(), fresh);
    expect(out).toEqual(['S1', 'S9', 'S1']);
    const retired = assignSubjects([0], [{ subjectId: 'OLD', pinned: false }], new Set(['OLD']), fresh);
    expect(retired[0]).toMatch(/^new-/);
  });

  it('gives a group split off by the resolver a new subject rather than the one the larger group keeps', () => {
    const out = assignSubjects([0, 0, 2], [{ subjectId: 'S1', pinned: false }, { subjectId: 'S1', pinned: false }, { subjectId: 'S1', pinned: false }], new Set(), fresh);
    expect(out.slice(0, 2)).toEqual(['S1', 'S1']);
    expect(out[2]).toMatch(/^new-/);
  });
});
