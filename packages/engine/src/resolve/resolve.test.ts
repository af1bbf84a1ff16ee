import { describe, expect, it } from 'vitest';
import { dateSimilarity, jaroWinkler, levenshtein, qgramSimilarity } from './compare.js';
import { clusterRecords, clusterWithJoins, DEFAULT_CLUSTERING } from './cluster.js';
import { evaluatePairs } from './evaluate.js';
import { estimateFellegiSunter, encodePattern, decodePattern } from './fellegi-sunter.js';
import { MappingError, missingColumns, parseMapping, recordFromRow, type EntityRecord } from './mapping.js';
import { resolveEntities } from './resolve.js';
import { mulberry32 } from '../prng.js';

describe('comparators', () => {
  it.each([
    ['martha', 'marhta', 0.961],
    ['dwayne', 'duane', 0.84],
    ['nguyen', 'nguyen', 1],
    ['nguyen', '', 0],
  ])('Jaro–Winkler of %s and %s is %d', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });

  it('counts edits and bigram overlap', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('001089012345', '001089012354')).toBe(2);
    expect(qgramSimilarity('le loi', 'le loi')).toBe(1);
    expect(qgramSimilarity('abc', 'xyz')).toBe(0);
  });

  it.each([
    ['19750518', '19750518', 1],
    ['19750518', '19751805', 0.8], // the swap is seen in the digits even when it makes no valid date
    ['19750512', '19751205', 0.8], // day and month swapped
    ['19750518', '19750519', 0.8], // one typo
    ['19750518', '19760518', 0.8],
    ['19750518', '19750527', 0.6], // two of three parts agree
    ['19750518', '19801201', 0],
  ])('date %s vs %s scores %d', (a, b, s) => {
    expect(dateSimilarity(a, b)).toBe(s);
  });
});

describe('the mapping', () => {
  const febrl = { kind: 'person', id: 'rec_id', separator: ',', fields: { givenName: 'given_name', familyName: 'surname', fullName: null, dob: 'date_of_birth', dobFormat: 'yyyyMMdd', address: ['suburb', 'state'] } };

  it('reads the issue\'s example and turns rows into trimmed records', () => {
    const m = parseMapping(febrl);
    expect(m.columns).toEqual({ givenName: ['given_name'], familyName: ['surname'], dob: ['date_of_birth'], address: ['suburb', 'state'] });
    expect(m.dobFormat).toBe('yyyyMMdd');
    expect(missingColumns(m, ['rec_id', ' given_name', 'surname', 'date_of_birth', 'suburb'])).toEqual(['state']);
    expect(recordFromRow(m, { rec_id: ' r1 ', given_name: ' ', surname: ' berry ', date_of_birth: '19990219', suburb: 'bittern', state: ' qld' })).toEqual({
      id: 'r1',
      source: 0,
      values: { familyName: 'berry', dob: '19990219', address: 'bittern qld' },
    });
  });

  it.each([
    [{ ...febrl, extra: 1 }, /unknown key "extra"/],
    [{ ...febrl, fields: { ...febrl.fields, nickname: 'x' } }, /unknown field "nickname"/],
    [{ ...febrl, kind: 'boat' }, /"kind"/],
    [{ kind: 'company', id: 'id', fields: { name: 'n', plate: 'p' } }, /unknown field "plate" for kind company/],
    [{ ...febrl, separator: ';;' }, /one character/],
    [{ ...febrl, fields: { givenName: 3 } }, /column name/],
  ])('refuses %j', (json, message) => {
    expect(() => parseMapping(json)).toThrow(MappingError);
    expect(() => parseMapping(json)).toThrow(message);
  });
});

describe('Fellegi–Sunter by EM', () => {
  it('learns that agreement on a field is evidence from unlabelled patterns', () => {
    // two fields, two levels each: 90 pairs disagree on both, 10 agree on both, a few mixed
    const patterns = new Map<number, number>([
      [encodePattern(Int8Array.from([1, 1])), 90],
      [encodePattern(Int8Array.from([0, 0])), 10],
      [encodePattern(Int8Array.from([0, 1])), 3],
      [encodePattern(Int8Array.from([1, 0])), 3],
    ]);
    const model = estimateFellegiSunter(patterns, [2, 2], [[5, 95], [5, 95]]);
    expect(model.lambda).toBeGreaterThan(0.05);
    expect(model.lambda).toBeLessThan(0.2);
    for (const w of model.weights) {
      expect(w[0]).toBeGreaterThan(2); // agreeing counts for
      expect(w[1]).toBeLessThan(0); // disagreeing counts against
    }
    expect(decodePattern(encodePattern(Int8Array.from([2, -1, 0])), 3)).toEqual([2, -1, 0]);
  });
});

describe('Fellegi–Sunter over the whole file (u and the prior from all record pairs)', () => {
  // 10,000 records (49,995,000 pairs). Blocking proposed 1,000 pairs that agree on the family name:
  // 100 share the birth date too, 900 are namesakes with other dates. One pair in 20 of the file shares
  // the family name, 300 pairs share a birth date: by chance, 0.05 × 200 ≈ 10 pairs share both.
  const patterns = new Map<number, number>([
    [encodePattern(Int8Array.from([0, 0])), 100],
    [encodePattern(Int8Array.from([0, 1])), 900],
  ]);
  const random = [[1_000, 19_000], [1, 19_999]];
  const population = { pairs: 49_995_000, present: [49_995_000, 49_995_000], agree: [2_500_000, 300] };

  it('counts the prior over all pairs and u from the file, so agreeing with namesakes is weak and a shared date strong', () => {
    const model = estimateFellegiSunter(patterns, [2, 2], random, undefined, undefined, population);
    const matches = model.lambda * population.pairs; // the ≈ 90 matches, not a tenth of the candidates
    expect(matches).toBeGreaterThan(85);
    expect(matches).toBeLessThan(100);
    expect(model.u[0]![0]).toBeCloseTo(0.05, 3); // one pair in 20 of the file shares a family name
    expect(model.u[1]![0]! * population.pairs).toBeCloseTo(300 - matches, 0); // the file's shared birth dates, less the matches
    const probability = (levels: number[]) => 1 / (1 + 2 ** -(model.priorWeight + levels.reduce((w, l, f) => w + model.weights[f]![l]!, 0)));
    expect(probability([0, 1])).toBeLessThan(0.01); // a namesake
    expect(probability([0, 0])).toBeGreaterThan(0.8); // name and date (one in ten of these shares both by chance)
  });

  it('describes only the candidates when told to (the model before): the family name then counts against', () => {
    const model = estimateFellegiSunter(patterns, [2, 2], random);
    // among the candidates every pair agrees on the name, so agreeing on it says nothing either way
    expect(Math.abs(model.weights[0]![0]!)).toBeLessThan(0.5);
  });
});

describe('clustering', () => {
  it('does not chain two groups through one weak link', () => {
    // 0-1 and 2-3 are strong pairs; 1-2 is a weak positive link; every other cross pair is strongly against
    const w = (i: number, j: number) => {
      const k = [Math.min(i, j), Math.max(i, j)].join('-');
      return ({ '0-1': 20, '2-3': 20, '1-2': 2 } as Record<string, number>)[k] ?? -15;
    };
    const edges = [{ i: 0, j: 1, weight: 20 }, { i: 2, j: 3, weight: 20 }, { i: 1, j: 2, weight: 2 }];
    expect([...clusterRecords(4, [], edges, w)]).toEqual([0, 0, 2, 2]);
  });

  it('keeps a record whose links to a group are strong on average, even if one pair inside is weak', () => {
    // 0 is the original, 1 and 2 two damaged copies: each close to 0, less close to each other
    const table: Record<string, number> = { '0-1': 15, '0-2': 14, '1-2': -4 };
    const w = (i: number, j: number) => table[`${Math.min(i, j)}-${Math.max(i, j)}`] ?? -20;
    const edges = [{ i: 0, j: 1, weight: 15 }, { i: 0, j: 2, weight: 14 }];
    expect([...clusterRecords(3, [], edges, w)]).toEqual([0, 0, 0]);
  });

  it('joins records sharing an identifier without asking', () => {
    expect([...clusterRecords(3, [[0, 2]], [], () => -30)]).toEqual([0, 1, 0]);
  });

  it('never joins two groups holding different CCCDs, however strong the link (cannot-link)', () => {
    // a name-only record (2) looks like both 0 and 1; 0 and 1 carry different CCCDs
    const w = () => 14;
    const edges = [{ i: 0, j: 2, weight: 14 }, { i: 1, j: 2, weight: 13 }, { i: 0, j: 1, weight: 12 }];
    const distinct = [['CCCD:001089012345'], ['CCCD:001089099999'], undefined];
    const r = clusterWithJoins(3, [], edges, w, DEFAULT_CLUSTERING, distinct);
    expect([...r.clusters]).toEqual([0, 1, 0]);
    expect(r.refused.conflict).toBe(2);
    // a CMND and a CCCD are different kinds: one person may hold both
    expect([...clusterRecords(2, [], [{ i: 0, j: 1, weight: 14 }], w, DEFAULT_CLUSTERING, [['CMND:012345678'], ['CCCD:001089012345']])]).toEqual([0, 0]);
  });

  it('does not let a name-only hub chain strangers: the average over both groups decides', () => {
    // hub 0 is +12 with everyone; 1..4 are four different people (strongly against each other)
    const w = (i: number, j: number) => (i === 0 || j === 0 ? 12 : -15);
    const edges = [1, 2, 3, 4].map((j) => ({ i: 0, j, weight: 12 }));
    const clusters = [...clusterRecords(5, [], edges, w)];
    expect(new Set(clusters).size).toBe(4); // the hub joins one of them, the others stay apart
  });

  it('samples cross pairs from both groups when the groups are large', () => {
    // group A = 0..29 (one entity), group B = 30..59 (another); only the members late in A agree with B
    const n = 60;
    const inA = (x: number) => x < 30;
    const w = (i: number, j: number) => (inA(i) === inA(j) ? 20 : Math.max(i, j) >= 30 && Math.min(i, j) < 5 ? 12 : -12);
    const forced: [number, number][] = [];
    for (let k = 1; k < 30; k++) forced.push([0, k], [30, 30 + k]);
    const r = clusterWithJoins(n, forced, [{ i: 0, j: 30, weight: 12 }], w, { ...DEFAULT_CLUSTERING, maxCrossPairs: 100 });
    // the first members of A alone would have said "join"; a sample over all of A says no
    expect(r.clusters[0]).not.toBe(r.clusters[30]);
  });

  it('stops a group from growing past the size guard through fuzzy links', () => {
    const edges = Array.from({ length: 9 }, (_, k) => ({ i: k, j: k + 1, weight: 10 }));
    const r = clusterWithJoins(10, [], edges, () => 10, { ...DEFAULT_CLUSTERING, maxClusterSize: 4 });
    expect(Math.max(...[...r.clusters].map((c) => [...r.clusters].filter((x) => x === c).length))).toBe(4);
    expect(r.refused.size).toBeGreaterThan(0);
  });
});

const person = (id: string, values: EntityRecord['values'], source = 0): EntityRecord => ({ id, source, values });

describe('resolving persons', () => {
  // A small hand-made file: three people recorded by several agencies, plus strangers who share a
  // family name (Nguyễn is a third of Vietnam) or a birthday with them.
  const records: EntityRecord[] = [
    person('customs-1', { fullName: 'Nguyễn Văn Hùng', dob: '12/03/1985', phone: '0912345678', address: '12 Lê Lợi, Phường Bến Nghé, TP. Hồ Chí Minh' }),
    person('border-7', { fullName: 'NGUYEN VAN HUNG', dob: '12/03/1985', phone: '+84 912 345 678' }),
    person('tip-3', { fullName: 'Hùng Nguyễn', phone: '0912.345.678', address: '12 Le Loi, P. Ben Nghe, TP HCM' }),
    person('police-2', { fullName: 'Trần Thị Mai', dob: '01/07/1990', idNumber: '001190012345' }),
    person('customs-9', { fullName: 'Tran Thi Mai', dob: '07/01/1990', idNumber: '001 190 012 345' }),
    person('market-4', { fullName: 'Lê Quang Vinh', dob: '30/11/1978', address: '5 Hùng Vương, Lạng Sơn' }),
    person('border-5', { fullName: 'Lê Quang Vinh', dob: '30/11/1978', address: '5 Hung Vuong, Lang Son' }),
    ...Array.from({ length: 40 }, (_, k) =>
      person(`other-${k}`, {
        fullName: `${['Nguyễn', 'Trần', 'Lê', 'Phạm'][k % 4]} ${['Văn', 'Thị', 'Đức', 'Minh'][(k >> 2) % 4]} ${['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Khánh', 'Lan', 'Nam', 'Phúc'][k % 10]}`,
        dob: `${String(1 + (k % 28)).padStart(2, '0')}/${String(1 + (k % 12)).padStart(2, '0')}/${1960 + k}`,
        phone: `09${String(10_000_000 + k * 7919).padStart(8, '0')}`,
      }),
    ),
  ];

  const result = resolveEntities('person', records, { dobFormat: 'dd/MM/yyyy' });
  const found = result.pairs.map((p) => [p.leftId, p.rightId].sort().join(' ')).sort();

  it('finds the same person across agencies and nothing else', () => {
    expect(found).toEqual(['border-5 market-4', 'border-7 customs-1', 'border-7 tip-3', 'customs-1 tip-3', 'customs-9 police-2']);
  });

  it('links a shared CCCD without asking, and proposes the fuzzy matches', () => {
    const byPair = new Map(result.pairs.map((p) => [[p.leftId, p.rightId].sort().join(' '), p]));
    expect(byPair.get('customs-9 police-2')!.decision).toBe('identifier');
    expect(byPair.get('customs-9 police-2')!.score).toBe(1);
    expect(byPair.get('border-7 customs-1')!.decision).toBe('match');
  });

  it('explains every score field by field', () => {
    const p = result.pairs.find((x) => [x.leftId, x.rightId].sort().join(' ') === 'border-7 customs-1')!;
    const e = result.explain(p.left, p.right);
    const by = Object.fromEntries(e.fields.map((f) => [f.field, f]));
    expect(by.familyName).toMatchObject({ outcome: 'agreed', left: 'nguyen', right: 'nguyen' });
    expect(by.phone).toMatchObject({ outcome: 'agreed' });
    expect(by.idNumber).toMatchObject({ outcome: 'missing', weight: 0 });
    expect(by.address).toMatchObject({ outcome: 'missing' });
    expect(e.weight).toBeCloseTo(e.priorWeight + e.fields.reduce((s, f) => s + f.weight, 0), 6);
    expect(e.score).toBeGreaterThan(0.5);
  });

  it('links across two inputs only', () => {
    const a = [person('a1', { givenName: 'Mai', familyName: 'Trần', dob: '1990-07-01' }), person('a2', { givenName: 'Hùng', familyName: 'Nguyễn', dob: '1985-03-12' })];
    const b = [person('b1', { givenName: 'Mai', familyName: 'Tran', dob: '1990-07-01' }, 1), person('b2', { givenName: 'Mai', familyName: 'Tran', dob: '1990-07-01' }, 1)];
    const others = Array.from({ length: 20 }, (_, k) => person(`x${k}`, { givenName: `Name${k}`, familyName: `Fam${k}`, dob: `19${50 + k}-01-0${1 + (k % 9)}` }, k % 2));
    const r = resolveEntities('person', [...a, ...b, ...others]);
    expect(r.pairs.every((p) => r.records[p.left]!.source === 0 && r.records[p.right]!.source === 1)).toBe(true);
    expect(r.pairs.map((p) => `${p.leftId} ${p.rightId}`).sort()).toEqual(['a1 b1', 'a1 b2']);
  });
});

describe('resolving persons in a file with many namesakes', () => {
  // 2,000 people with independently drawn names (Nguyễn a sixth, 80 of them called Nguyễn Văn Hùng),
  // dates, phones, addresses and CCCDs; a third recorded again without marks, each field kept or not
  const r = mulberry32(5);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const fams = ['Nguyễn', 'Nguyễn', 'Nguyễn', 'Trần', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
  const middles = ['Văn', 'Thị', 'Minh', 'Đức', 'Ngọc', 'Quốc', 'Thanh', 'Hữu', 'Kim'];
  const givens = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Khánh', 'Lan', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Uyên', 'Vinh', 'Xuân', 'Yến', 'Thảo', 'Trung', 'Tuấn', 'Long', 'Hải', 'Hiếu', 'Hùng'];
  const streets = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Quang Trung', 'Hùng Vương'];
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const records: EntityRecord[] = [];
  const truth: [string, string][] = [];
  for (let k = 0; k < 2000; k++) {
    const v: EntityRecord['values'] = {
      fullName: k < 80 ? 'Nguyễn Văn Hùng' : `${pick(fams)} ${pick(middles)} ${pick(givens)}`,
      dob: `${1 + Math.floor(r() * 28)}/${1 + Math.floor(r() * 12)}/${1960 + Math.floor(r() * 40)}`,
      ...(r() < 0.6 ? { phone: `09${String(Math.floor(r() * 1e8)).padStart(8, '0')}` } : {}),
      ...(r() < 0.6 ? { address: `${1 + Math.floor(r() * 300)} ${pick(streets)}, Phường ${1 + Math.floor(r() * 20)}, Lạng Sơn` } : {}),
      ...(r() < 0.5 ? { idNumber: String(Math.floor(r() * 1e12)).padStart(12, '0') } : {}),
    };
    records.push(person(`p${k}`, v));
    if (r() < 0.3) {
      const copy: EntityRecord['values'] = { fullName: fold(v.fullName!).toUpperCase() };
      for (const f of ['dob', 'phone', 'address', 'idNumber'] as const) if (v[f] && r() < 0.6) copy[f] = f === 'address' ? fold(v[f]!) : v[f]!;
      records.push(person(`p${k}-copy`, copy));
      truth.push([`p${k}`, `p${k}-copy`]);
    }
  }
  records.push(person('a1', { fullName: 'Nguyễn Văn Hùng', address: '77 Lê Lợi, Phường 3, Lạng Sơn' }));
  records.push(person('a2', { fullName: 'NGUYEN VAN HUNG', address: '77 Le Loi, P. 3, Lang Son', phone: '0977000111' }));
  records.push(person('b1', { fullName: 'Nguyễn Văn Hùng' }));
  records.push(person('b2', { fullName: 'Nguyen Van Hung', phone: '0977000222' }));
  const result = resolveEntities('person', records, { dobFormat: 'd/M/yyyy' });
  const at = new Map(result.records.map((x, i) => [x.id, i]));
  const linked = (a: string, b: string) => result.clusters[at.get(a)!] === result.clusters[at.get(b)!];

  it('links a common name at one address, and not a common name alone', () => {
    expect(linked('a1', 'a2')).toBe(true); // one address of the file's 2,000
    expect(result.explain(at.get('a1')!, at.get('a2')!).fields.find((f) => f.field === 'address')!.weight).toBeGreaterThan(10);
    expect(linked('b1', 'b2')).toBe(false); // 80 other people carry this name
  });

  it('finds the copies without linking strangers', () => {
    const e = evaluatePairs(result.pairs.filter((p) => !/^[ab]\d/.test(p.leftId)).map((p) => [p.leftId, p.rightId] as const), truth);
    expect(e.precision).toBeGreaterThan(0.98);
    expect(e.recall).toBeGreaterThan(0.88); // the rest are copies left with a name alone (and a common one)
  });

  it('counts another house in the same street as close, not as the same address', () => {
    const two = resolveEntities('person', [
      person('x', { fullName: 'Lê Văn Tám', address: '64 Hai Bà Trưng, Phường 16, TP. Hồ Chí Minh' }),
      person('y', { fullName: 'Lê Văn Tám', address: '123 Hai Bà Trưng, Phường 6, TP. Hồ Chí Minh' }),
      ...records.slice(0, 200),
    ]);
    expect(two.explain(0, 1).fields.find((f) => f.field === 'address')!.level).toBe('close');
  });

  it('counts a middle and a given name that always come together once, not twice', () => {
    // "Lan Khuê" is chosen as one name: whoever has the middle name Lan has the given name Khuê
    const pairs = [
      ...Array.from({ length: 30 }, (_, k) => person(`lk${k}`, { fullName: 'Trần Lan Khuê', dob: `${1 + k}/1/1990` })),
      ...records.slice(0, 400),
    ];
    const res = resolveEntities('person', pairs, { dobFormat: 'd/M/yyyy' });
    const given = res.explain(0, 1).fields.find((f) => f.field === 'givenName')!;
    const off = resolveEntities('person', pairs, { dobFormat: 'd/M/yyyy', termFrequency: false }).explain(0, 1).fields.find((f) => f.field === 'givenName')!;
    // the given name's own frequency adjustment plus the joint one: less than the given name alone says
    expect(given.termFrequency).toBeLessThan(-2);
    expect(given.weight).toBeLessThan(off.weight);
  });
});

describe('resolving companies and vehicles', () => {
  it('matches company names across legal forms and links the same tax code', () => {
    const rows = [
      { id: 'c1', values: { name: 'CÔNG TY TNHH MTV Thương mại Hoàng Long', taxCode: '0101234567' } },
      { id: 'c2', values: { name: 'Hoang Long Trading Co., Ltd', taxCode: '0101234567' } },
      { id: 'c3', values: { name: 'Cty TNHH Thương Mại Hoàng Long', address: 'Lạng Sơn' } },
      { id: 'c4', values: { name: 'Công ty CP Vận tải Biển Đông', taxCode: '0309876543' } },
      { id: 'c5', values: { name: 'Cty CP Van Tai Bien Dong', taxCode: '0309876543-001' } },
      ...Array.from({ length: 20 }, (_, k) => ({ id: `o${k}`, values: { name: `Công ty TNHH ${['An', 'Bình', 'Cát', 'Đông', 'Hải'][k % 5]} ${['Phát', 'Thịnh', 'Lợi', 'Vượng'][k % 4]} ${k}`, taxCode: String(100000000 + k * 97).padStart(10, '0') } })),
    ].map((r) => ({ ...r, source: 0 }));
    const r = resolveEntities('company', rows);
    const pairs = r.pairs.map((p) => [p.leftId, p.rightId].sort().join(' ')).sort();
    expect(pairs).toContain('c1 c2');
    expect(pairs).toContain('c4 c5');
    expect(r.pairs.find((p) => [p.leftId, p.rightId].sort().join(' ') === 'c1 c2')!.decision).toBe('identifier');
    expect(pairs.some((p) => p.startsWith('o') || p.includes(' o'))).toBe(false);
  });

  it('links plates written in different forms', () => {
    const rows = ['29A-123.45', '29a 12345', '29A12345', '51F-678.90', '30E-111.22'].map((plate, k) => ({ id: `v${k}`, source: 0, values: { plate } }));
    const r = resolveEntities('vehicle', rows);
    expect(r.pairs.map((p) => `${p.leftId} ${p.rightId}`).sort()).toEqual(['v0 v1', 'v0 v2', 'v1 v2']);
  });
});

describe('evaluation', () => {
  it('counts pairs regardless of order', () => {
    const e = evaluatePairs([['a', 'b'], ['c', 'd'], ['e', 'f']], [['b', 'a'], ['c', 'd'], ['g', 'h'], ['i', 'j']]);
    expect(e).toMatchObject({ truePositives: 2, precision: 2 / 3, recall: 0.5 });
    expect(e.f1).toBeCloseTo(4 / 7, 10);
  });
});
