import { describe, expect, it } from 'vitest';
import { generateCases, planRings, type SynthOptions } from '../synth/cases.js';
import Graph from 'graphology';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness.js';
import { analyseNetwork, betweenness, buildNetwork, evaluateRings, neighbourhood, type HeldIdentifier, type Occurrence } from './network.js';

describe('a subject network', () => {
  // A ring of four around an organiser (B) who appears in every case, a driver (E) who also drove for an
  // unrelated one-off case with F, and a shop sharing the organiser's phone.
  const occ: Occurrence[] = [
    ...['c1', 'c2', 'c3'].flatMap((c, k) => [
      { subjectId: 'B', caseId: c, role: 'organiser' },
      { subjectId: ['A', 'C', 'D'][k]!, caseId: c, role: 'transporter' },
      { subjectId: 'E', caseId: c, role: 'driver' },
    ]),
    // all four caught together once
    ...['A', 'C', 'D', 'E'].map((subjectId) => ({ subjectId, caseId: 'c4', role: 'accomplice' })),
    { subjectId: 'B', caseId: 'c4', role: 'organiser' },
    { subjectId: 'E', caseId: 'c9', role: 'driver' },
    { subjectId: 'F', caseId: 'c9', role: 'owner' },
  ];
  const ids: HeldIdentifier[] = [{ subjectId: 'B', key: 'PHONE:0912345678' }, { subjectId: 'SHOP', key: 'PHONE:0912345678' }];
  const net = buildNetwork(occ, ids);

  it('links subjects that share cases (weighted by how many) and identifiers', () => {
    const edge = (a: string, b: string) => net.edges.find((e) => e.source === a && e.target === b);
    expect(edge('B', 'E')).toMatchObject({ cases: 4, weight: 4 });
    expect(edge('A', 'B')).toMatchObject({ cases: 2 });
    expect(edge('B', 'SHOP')).toMatchObject({ cases: 0, shared: ['PHONE:0912345678'], weight: 1 });
    expect(edge('A', 'F')).toBeUndefined();
  });

  it('finds the ring as a group and ranks its organiser first, saying why', () => {
    const groups = analyseNetwork(net);
    const ring = groups.find((g) => g.members.some((m) => m.subjectId === 'B'))!;
    expect(ring.members.map((m) => m.subjectId)).toEqual(expect.arrayContaining(['A', 'B', 'C', 'D', 'E']));
    expect(ring.members[0]).toMatchObject({ subjectId: 'B', role: 'organiser', roleCount: 4 });
    expect(ring.members[0]!.reason).toMatch(/organiser 4×/);
    expect(ring.cases).toBeGreaterThanOrEqual(3);
    // one case is not a line: E–F alone is never reported
    expect(groups.every((g) => !(g.size === 2))).toBe(true);
  });

  it('expands a neighbourhood one or two links out', () => {
    expect(neighbourhood(net, 'F', 1).nodes).toEqual(['E', 'F']);
    expect(neighbourhood(net, 'F', 2).nodes).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });
});

describe('planted rings in generated cases', () => {
  // 40,000 cases: 10 cases per ring, four rings of 5–12 people with 2–4 plates each
  const options: SynthOptions = { count: 40_000, seed: 389, until: '2026-11-01' };
  const rings = planRings(options);
  const occ: Occurrence[] = [];
  const held: HeldIdentifier[] = [];
  // the generator copies identifiers exactly, so a subject here is its identifier (resolution is tested elsewhere)
  const keyOf = (s: { kind: string; idNumber: string | null; taxCode: string | null; plate: string | null; name: string }) =>
    s.idNumber ? `ID:${s.idNumber}` : s.taxCode ? `TAX:${s.taxCode}` : s.plate ? `PLATE:${s.plate}` : `${s.kind}:${s.name}`;
  for (const c of generateCases(options)) {
    const caseId = String(c.index);
    for (const s of c.body.subjects) {
      const subjectId = keyOf(s);
      occ.push({ subjectId, caseId, role: s.role, kind: s.kind });
      if (s.phone) held.push({ subjectId, key: `PHONE:${s.phone}` });
    }
  }
  const groups = analyseNetwork(buildNetwork(occ, held));
  const truth = rings.map((r) => ({
    // members who appear in at least one case (a ring of 12 in 10 cases may leave someone out)
    members: [...r.members.map((m) => `ID:${m.idNumber}`), ...r.plates.map((p) => `PLATE:${p}`)].filter((k) => occ.some((o) => o.subjectId === k)),
    organiser: `ID:${r.members[0]!.idNumber}`,
  }));
  const e = evaluateRings(groups, truth);

  it('finds every ring as a group, with most of its members and few others', () => {
    expect(rings).toHaveLength(4);
    expect(e.ringsFound).toBe(4);
    expect(e.recall).toBeGreaterThanOrEqual(0.9);
    expect(e.precision).toBeGreaterThanOrEqual(0.8);
  });

  it("ranks each ring's organiser among its group's top three", () => {
    expect(e.organiserTop3).toBe(4);
  });
});

describe('betweenness within a group', () => {
  // a random sparse graph of 80 members (links drawn with a fixed seed), as neighbour lists
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const n = 80;
  const links = new Set<string>();
  for (let k = 1; k < n; k++) links.add(`${Math.floor(next() * k)} ${k}`); // a tree keeps it connected
  for (let k = 0; k < 60; k++) {
    const [a, b] = [Math.floor(next() * n), Math.floor(next() * n)];
    if (a !== b) links.add(`${Math.min(a, b)} ${Math.max(a, b)}`);
  }
  const lists: number[][] = Array.from({ length: n }, () => []);
  const g = new Graph({ type: 'undirected' });
  for (let k = 0; k < n; k++) g.addNode(String(k));
  for (const l of links) {
    const [a, b] = l.split(' ').map(Number) as [number, number];
    lists[a]!.push(b);
    lists[b]!.push(a);
    g.addEdge(String(a), String(b));
  }
  const neighbours = lists.map((l) => Int32Array.from(l));
  const relative = (xs: ArrayLike<number>) => {
    const max = Math.max(...Array.from(xs));
    return Array.from(xs, (x) => x / max);
  };

  it('ranks members as the library did (exact, relative to the busiest member)', () => {
    const library = betweennessCentrality(g, { normalized: true, getEdgeWeight: null });
    const ours = relative(betweenness(neighbours, n));
    const theirs = relative(Array.from({ length: n }, (_, k) => library[String(k)]!));
    ours.forEach((x, k) => expect(x).toBeCloseTo(theirs[k]!, 9));
  });

  it('estimates from a sample of sources in big groups, keeping the busiest members on top', () => {
    const exact = betweenness(neighbours, n);
    const sampled = betweenness(neighbours, 20);
    const top = (xs: Float64Array) => Array.from(xs.keys()).sort((a, b) => xs[b]! - xs[a]!)[0];
    expect(top(sampled)).toBe(top(exact));
    expect(Array.from(sampled).every((x, k) => x <= exact[k]! + 1e-9)).toBe(true); // fewer sources, never more paths
  });
});
