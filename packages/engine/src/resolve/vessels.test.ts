import { describe, expect, it } from 'vitest';
import { candidateKeys, identifierKey, isValidImo, normalizeImo, subjectKeys } from './identifiers.js';
import { normalizeVesselName } from './normalize.js';
import { resolveEntities } from './resolve.js';
import { groupSubjectRecords } from './subjects.js';
import { identifierKeysInText } from './text-identifiers.js';

describe('IMO numbers', () => {
  it.each([
    // 7 digits, the last = (7·d1 + 6·d2 + 5·d3 + 4·d4 + 3·d5 + 2·d6) mod 10
    ['9074729', '9074729'],
    ['IMO 9074729', '9074729'],
    ['imo:9074729', '9074729'],
    ['IMO 9176187', '9176187'],
    ['Số IMO 9321483', '9321483'],
    ['9074728', undefined], // check digit wrong
    ['9047429', undefined], // two digits swapped
    ['907472', undefined], // 6 digits
    ['90747290', undefined], // 8 digits
    ['', undefined],
  ])('%s → %s', (raw, imo) => {
    expect(normalizeImo(raw)).toBe(imo);
    expect(isValidImo(raw)).toBe(imo !== undefined);
    expect(identifierKey('IMO', raw)).toBe(imo === undefined ? undefined : `IMO:${imo}`);
  });

  it('keys a subject by its IMO only when the check digit holds', () => {
    expect(subjectKeys({ imo: 'IMO 9074729', plate: 'QN-90123-TS' })).toEqual(['PLATE:QN90123TS', 'IMO:9074729']);
    expect(subjectKeys({ imo: 'IMO 9074728', plate: 'QN-90123-TS' })).toEqual(['PLATE:QN90123TS']);
  });

  it('offers an IMO key for a typed number only when it is a valid IMO', () => {
    expect(candidateKeys('9074729')).toContain('IMO:9074729');
    expect(candidateKeys('IMO 9074729')).toContain('IMO:9074729');
    expect(candidateKeys('9074728').some((k) => k.startsWith('IMO:'))).toBe(false);
  });

  it('reads an IMO in a tip only with a valid check digit', () => {
    expect(identifierKeysInText('tàu dầu IMO 9074729 neo ở Hòn Gai')).toEqual(['IMO:9074729']);
    expect(identifierKeysInText('tàu dầu IMO 9074728 neo ở Hòn Gai')).toEqual([]);
  });
});

describe('vessel names', () => {
  it.each([
    ['Tàu cá BĐ-97459-TS', 'bd 97459 ts'],
    ['TAU CA BD 97459 TS', 'bd 97459 ts'],
    ['Tàu hàng Hải Phòng 08', 'hai phong 08'],
    ['Sà lan Phú Quý 18', 'phu quy 18'],
    ['M/V Pacific Express', 'pacific express'],
    ['MV. PACIFIC EXPRESS', 'pacific express'],
    ['m.v pacific express', 'pacific express'],
    ['MT Sea Star', 'sea star'],
    ['Tàu MV Hoàng Sa', 'hoang sa'],
    // a name that is only a prefix word keeps it (nothing else to compare)
    ['Tàu', 'tau'],
    ['Hoàng Sa', 'hoang sa'],
    ['  ', undefined],
  ])('%s → %s', (raw, name) => {
    expect(normalizeVesselName(raw)).toBe(name);
  });
});

describe('resolving vessels', () => {
  const rec = (id: string, values: Record<string, string>) => ({ id, source: 0, values });

  it('links records by a valid IMO, and never by an invalid one', () => {
    const r = resolveEntities('vessel', [
      rec('a', { name: 'Tàu Pacific Express', imo: 'IMO 9074729' }),
      rec('b', { name: 'M/V PACIFIC EXPRES', imo: '9074729' }),
      rec('c', { name: 'Tàu Hải Âu', imo: '9074728' }),
      rec('d', { name: 'MV Sông Hồng', imo: '9074728' }),
    ]);
    expect(r.clusters[1]).toBe(r.clusters[0]);
    expect(r.pairs.find((p) => p.leftId === 'a' && p.rightId === 'b')?.decision).toBe('identifier');
    // same (invalid) IMO text, different names: no identifier link
    expect(r.pairs.some((p) => p.decision === 'identifier' && [p.leftId, p.rightId].includes('c'))).toBe(false);
    expect(r.records[2]!.exactKeys).toEqual([]);
    expect(r.records[2]!.imo).toBe('9074728');
  });

  it('keeps two ships with different valid IMO numbers apart even with the same name', () => {
    const r = resolveEntities('vessel', [
      rec('a', { name: 'Tàu Hoàng Sa', imo: '9074729' }),
      rec('b', { name: 'Tàu Hoàng Sa', imo: '9176187' }),
    ]);
    expect(r.clusters[0]).not.toBe(r.clusters[1]);
  });

  it('groups case vessel records by registration number and valid IMO', () => {
    const { group } = groupSubjectRecords([
      { id: '1', kind: 'vessel', name: 'Tàu QN-90123-TS', plate: 'QN-90123-TS' },
      { id: '2', kind: 'vessel', name: 'Tàu cá QN 90123 TS', plate: 'QN90123TS' },
      { id: '3', kind: 'vessel', name: 'M/V Pacific Express', imo: 'IMO 9074729' },
      { id: '4', kind: 'vessel', name: 'Pacific Express', imo: '9074729' },
      { id: '5', kind: 'vessel', name: 'Tàu HP-11111-TS', plate: 'HP-11111-TS' },
    ]);
    expect(group).toEqual([0, 0, 2, 2, 4]);
  });
});
