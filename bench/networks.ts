// `node --import tsx bench/networks.ts [--n 40000] [--edges 1000000]`: network analysis against planted rings
// (issue 7), printed as JSON.
//  --n N       N generated cases (`generateCases`); each identifier taken as one subject (the generator
//              copies identifiers exactly; entity resolution has its own figures).
//  --edges N   a synthetic co-occurrence graph of about N links instead: background cases naming 2–5
//              subjects (many one-off people, some repeat offenders, hub companies and vehicles) and
//              planted rings whose organiser appears in most of the ring's cases. Built directly, so a
//              1,000,000-link graph costs seconds to make and the figure is the analysis alone.
// Both print ring member detection precision/recall and organiser-in-top-3, and the time of each stage.
import { analyseNetwork, buildNetwork, evaluateRings, generateCases, planRings, type HeldIdentifier, type Occurrence } from '@cordon/engine';
import { mulberry32 } from '@cordon/engine';

interface Workload {
  occ: Occurrence[];
  held: HeldIdentifier[];
  rings: { members: string[]; organiser: string }[];
}

function generatedCases(n: number): Workload {
  const options = { count: n, seed: 389, until: '2026-11-01' };
  const occ: Occurrence[] = [];
  const held: HeldIdentifier[] = [];
  for (const c of generateCases(options)) {
    for (const s of c.body.subjects) {
      const subjectId = s.idNumber ? `ID:${s.idNumber}` : s.taxCode ? `TAX:${s.taxCode}` : s.plate ? `PLATE:${s.plate}` : `${s.kind}:${s.name}`;
      occ.push({ subjectId, caseId: String(c.index), role: s.role, kind: s.kind });
      if (s.phone) held.push({ subjectId, key: `PHONE:${s.phone}` });
    }
  }
  const present = new Set(occ.map((o) => o.subjectId));
  const rings = planRings(options).map((r) => ({
    members: [...r.members.map((m) => `ID:${m.idNumber}`), ...r.plates.map((p) => `PLATE:${p}`)].filter((k) => present.has(k)),
    organiser: `ID:${r.members[0]!.idNumber}`,
  }));
  return { occ, held, rings };
}

const BACKGROUND_ROLES = ['transporter', 'driver', 'owner', 'seller', 'buyer', 'accomplice', 'other'] as const;
const RING_ROLES = ['transporter', 'driver', 'accomplice', 'seller'] as const;

/**
 * About `edges` co-occurrence links: background cases until their pairs reach the target, and `ringCount`
 * rings of 6–12 people and 2 vehicles, each in 8–15 cases of 3–6 members; each member keeps one role
 * (the first organises and is in most of the ring's cases, the second finances, the rest transport,
 * drive, help or sell), as in `generateCases`. A background case now and then names an organiser too
 * (organisers are not only in rings), and ring members turn up in background cases (they have other
 * lives), so neither role nor degree alone gives a ring away.
 */
function syntheticGraph(edges: number, ringCount = 20, seed = 389): Workload {
  const r = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const occ: Occurrence[] = [];
  const people = Math.round(edges / 2); // most people appear once or twice: a sparse background
  const repeaters = Math.round(people / 100);
  const companies = Math.round(people / 200);
  const vehicles = Math.round(people / 20);
  let caseNo = 0;
  const rings = Array.from({ length: ringCount }, (_, k) => {
    const members = Array.from({ length: int(6, 12) }, (_, m) => `R${k}P${m}`);
    const roleOf = new Map(members.map((m, i) => [m, i === 0 ? 'organiser' : i === 1 ? 'financier' : pick(RING_ROLES)]));
    const plates = [`R${k}V0`, `R${k}V1`];
    const cases = int(8, 15);
    for (let c = 0; c < cases; c++) {
      const caseId = `c${caseNo++}`;
      const named = new Set<string>();
      if (r() < 0.8) named.add(members[0]!);
      while (named.size < int(3, 6)) named.add(pick(members.slice(1)));
      for (const s of named) occ.push({ subjectId: s, caseId, role: roleOf.get(s)!, kind: 'person' });
      occ.push({ subjectId: pick(plates), caseId, role: 'other', kind: 'vehicle' });
    }
    return { members: [...members, ...plates], organiser: members[0]! };
  });
  const ringPeople = rings.flatMap((g) => g.members.filter((m) => !m.includes('V')));
  // each ring member in about two background cases, whatever the graph's size (a case of 2–5 names
  // gives 5 pairs and 3.5 names on average)
  const backgroundNames = ((edges * 1.1) / 5) * 3.5;
  const ringShare = (2 * ringPeople.length) / backgroundNames;
  let pairs = 0;
  while (pairs < edges * 1.1) {
    const caseId = `c${caseNo++}`;
    const named = new Map<string, { role: string; kind: string }>();
    const size = int(2, 5);
    while (named.size < size) {
      const x = r();
      if (x < 0.07) named.set(`C${Math.floor(companies * r() ** 2)}`, { role: pick(['owner', 'seller', 'buyer']), kind: 'company' });
      else if (x < 0.17) named.set(`V${int(0, vehicles - 1)}`, { role: 'other', kind: 'vehicle' });
      else if (x < 0.27) named.set(`Q${Math.floor(repeaters * r() ** 2)}`, { role: pick(BACKGROUND_ROLES), kind: 'person' });
      else if (x < 0.27 + ringShare) named.set(pick(ringPeople), { role: pick(BACKGROUND_ROLES), kind: 'person' });
      else named.set(`P${int(0, people - 1)}`, { role: r() < 0.02 ? 'organiser' : pick(BACKGROUND_ROLES), kind: 'person' });
    }
    for (const [subjectId, { role, kind }] of named) occ.push({ subjectId, caseId, role, kind });
    pairs += (size * (size - 1)) / 2;
  }
  return { occ, held: [], rings };
}

const argOf = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const edgesWanted = argOf('--edges');
const n = argOf('--n') ?? 40_000;
// wall and CPU seconds: on 2 cores shared with other work, CPU time is the figure that compares across runs
const cpu = () => process.cpuUsage().user / 1e6;
const stage = <T>(run: () => T): [T, { wall: number; cpu: number }] => {
  const w = performance.now();
  const c = cpu();
  const out = run();
  return [out, { wall: +((performance.now() - w) / 1000).toFixed(1), cpu: +(cpu() - c).toFixed(1) }];
};
const [{ occ, held, rings }, generate] = stage(() => (edgesWanted ? syntheticGraph(edgesWanted) : generatedCases(n)));
const [net, build] = stage(() => buildNetwork(occ, held));
const [groups, analyse] = stage(() => analyseNetwork(net));
const e = evaluateRings(groups, rings);
console.log(
  JSON.stringify({
    ...(edgesWanted ? { synthetic: true } : { cases: n }),
    occurrences: occ.length,
    subjects: net.nodes.length,
    edges: net.edges.length,
    groups: groups.length,
    seconds: { generate, build, analyse },
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...e,
  }),
);
