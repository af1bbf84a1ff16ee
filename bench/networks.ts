// `node --import tsx bench/networks.ts [--n 40000]`: network analysis against the planted rings (issue 7).
// Generates cases, treats each identifier as one subject (the generator copies identifiers exactly; entity
// resolution has its own figures), builds the co-occurrence + shared-phone graph, runs Louvain and the
// key-player ranking, and prints ring member detection precision/recall and organiser-in-top-3.
import { analyseNetwork, buildNetwork, evaluateRings, generateCases, planRings, type HeldIdentifier, type Occurrence } from '@cordon/engine';

const i = process.argv.indexOf('--n');
const n = i >= 0 ? Number(process.argv[i + 1]) : 40_000;
const options = { count: n, seed: 389, until: '2026-11-01' };
const t0 = performance.now();
const occ: Occurrence[] = [];
const held: HeldIdentifier[] = [];
for (const c of generateCases(options)) {
  for (const s of c.body.subjects) {
    const subjectId = s.idNumber ? `ID:${s.idNumber}` : s.taxCode ? `TAX:${s.taxCode}` : s.plate ? `PLATE:${s.plate}` : `${s.kind}:${s.name}`;
    occ.push({ subjectId, caseId: String(c.index), role: s.role, kind: s.kind });
    if (s.phone) held.push({ subjectId, key: `PHONE:${s.phone}` });
  }
}
const t1 = performance.now();
const net = buildNetwork(occ, held);
const groups = analyseNetwork(net);
const t2 = performance.now();
const rings = planRings(options).map((r) => ({
  members: [...r.members.map((m) => `ID:${m.idNumber}`), ...r.plates.map((p) => `PLATE:${p}`)].filter((k) => net.casesOf.has(k)),
  organiser: `ID:${r.members[0]!.idNumber}`,
}));
const e = evaluateRings(groups, rings);
console.log(JSON.stringify({ cases: n, subjects: net.nodes.length, edges: net.edges.length, groups: groups.length, generateSeconds: +((t1 - t0) / 1000).toFixed(1), analyseSeconds: +((t2 - t1) / 1000).toFixed(1), ...e }));
