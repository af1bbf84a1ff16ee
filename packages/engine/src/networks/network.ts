/**
 * Link analysis of subjects (issue 7): who appears with whom. Subjects are nodes; two subjects are
 * linked when they appear in the same case (weight: how many cases) or share an identifier such as a
 * phone number. Groups ("lines") are Louvain communities; within each, key players are ranked by
 * centrality combined with the roles the records give them (organiser, financier, owner…), with the
 * reason spelled out. Pure: data in, data out.
 */
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { mulberry32 } from '../prng.js';

/** A subject named in a case, in a role. */
export interface Occurrence {
  subjectId: string;
  caseId: string;
  role: string;
  /** person, company, vehicle, vessel, phone, bank_account, online_shop */
  kind?: string;
}

/** Things used by a group rather than people who run it: ranked below persons and companies. */
export const ASSET_KINDS: ReadonlySet<string> = new Set(['vehicle', 'vessel', 'phone', 'bank_account']);

/** A subject holding an identifier ("PHONE:0912345678"); subjects sharing one are linked. */
export interface HeldIdentifier {
  subjectId: string;
  key: string;
}

export interface NetworkEdge {
  source: string;
  target: string;
  /** Cases the two appear in together. */
  cases: number;
  /** Identifiers both hold. */
  shared: string[];
  weight: number;
}

export interface SubjectNetwork {
  nodes: string[];
  edges: NetworkEdge[];
  /** Roles per subject, with counts. */
  roles: Map<string, Map<string, number>>;
  /** Cases per subject. */
  casesOf: Map<string, string[]>;
  kindOf: Map<string, string>;
}

/**
 * Cases naming more subjects than this add no co-occurrence links (a port-wide sweep is not a ring), and
 * an identifier held by more subjects than this links none of them (a shared switchboard is not a ring).
 */
export const MAX_SUBJECTS_PER_LINK = 30;

export function buildNetwork(occurrences: readonly Occurrence[], identifiers: readonly HeldIdentifier[] = []): SubjectNetwork {
  const byCase = new Map<string, Set<string>>();
  const roles = new Map<string, Map<string, number>>();
  const caseSets = new Map<string, Set<string>>();
  const kindOf = new Map<string, string>();
  for (const o of occurrences) {
    if (o.kind) kindOf.set(o.subjectId, o.kind);
    (byCase.get(o.caseId) ?? byCase.set(o.caseId, new Set()).get(o.caseId)!).add(o.subjectId);
    const r = roles.get(o.subjectId) ?? roles.set(o.subjectId, new Map()).get(o.subjectId)!;
    r.set(o.role, (r.get(o.role) ?? 0) + 1);
    (caseSets.get(o.subjectId) ?? caseSets.set(o.subjectId, new Set()).get(o.subjectId)!).add(o.caseId);
  }
  // keyed "source target" (source < target), which is also the order edges are returned in
  const edges = new Map<string, NetworkEdge>();
  const edgeOf = (a: string, b: string) => {
    const [s, t] = a < b ? [a, b] : [b, a];
    const k = `${s} ${t}`;
    let e = edges.get(k);
    if (!e) edges.set(k, (e = { source: s, target: t, cases: 0, shared: [], weight: 0 }));
    return e;
  };
  for (const members of byCase.values()) {
    if (members.size > MAX_SUBJECTS_PER_LINK) continue;
    const list = [...members].sort();
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) edgeOf(list[i]!, list[j]!).cases++;
  }
  const holders = new Map<string, Set<string>>();
  for (const h of identifiers) (holders.get(h.key) ?? holders.set(h.key, new Set()).get(h.key)!).add(h.subjectId);
  for (const [key, set] of holders) {
    if (set.size < 2 || set.size > MAX_SUBJECTS_PER_LINK) continue;
    const list = [...set].sort();
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) edgeOf(list[i]!, list[j]!).shared.push(key);
  }
  // a shared identifier counts like a shared case: both say "these two act together"
  for (const e of edges.values()) e.weight = e.cases + e.shared.length;
  const nodes = new Set<string>([...roles.keys(), ...identifiers.map((h) => h.subjectId)]);
  return {
    nodes: [...nodes].sort(),
    // sorted on the map's keys: building two strings per comparison was most of the time on 1,000,000 links
    edges: [...edges.keys()].sort().map((k) => edges.get(k)!),
    roles,
    casesOf: new Map([...caseSets].map(([s, c]) => [s, [...c].sort()])),
    kindOf,
  };
}

/** How much a role says about leading a group (0..1); centrality says the rest. */
export const ROLE_WEIGHTS: Readonly<Record<string, number>> = {
  organiser: 1,
  financier: 0.8,
  owner: 0.6,
  // A company's director or legal representative answers for its goods as an owner does.
  director: 0.6,
  legal_representative: 0.6,
  seller: 0.4,
  accomplice: 0.3,
  transporter: 0.2,
  driver: 0.2,
  buyer: 0.1,
  witness: 0,
  other: 0,
};

export interface KeyPlayer {
  subjectId: string;
  /** 0..1: half centrality (degree and betweenness within the group), half the strongest role; halved for assets (vehicles, vessels, phones, accounts). */
  score: number;
  degree: number;
  /** Normalised betweenness within the group (0..1). */
  betweenness: number;
  /** The role of greatest weight the subject was recorded in, and how often. */
  role: string | null;
  roleCount: number;
  cases: number;
  kind: string | null;
  /** English, for logs and the API; the web builds its own sentence from the numbers. */
  reason: string;
}

export interface NetworkGroup {
  /** Stable within one analysis: the smallest subject id of the group. */
  id: string;
  size: number;
  /** Distinct cases linking its members. */
  cases: number;
  /** Share of possible links present. */
  density: number;
  members: KeyPlayer[];
}

export interface AnalyseOptions {
  /** Groups smaller than this are not reported (default 3). */
  minSize?: number;
  /** Groups whose links rest on fewer cases than this are not reported (default 2: one case is not a line). */
  minCases?: number;
  /** Communities larger than this are split again by Louvain on their own links (default 60). */
  maxGroupSize?: number;
  /** Louvain resolution (default 1). */
  resolution?: number;
  seed?: number;
  /**
   * Exact betweenness is O(n·m): groups above this size get it estimated from `betweennessSamples`
   * shortest-path sources spread over the group (default 2,000).
   */
  maxBetweennessSize?: number;
  /** Sources for the estimate in groups above `maxBetweennessSize` (default 200). */
  betweennessSamples?: number;
}

/** Each subject's linked subjects (from the network's edges, both directions). */
function linkIndex(net: SubjectNetwork): Map<string, string[]> {
  const adj = new Map<string, string[]>();
  const add = (a: string, b: string) => {
    const list = adj.get(a);
    if (list) list.push(b);
    else adj.set(a, [b]);
  };
  for (const e of net.edges) {
    add(e.source, e.target);
    add(e.target, e.source);
  }
  return adj;
}

/** The links inside one group, by position in `list`: neighbours of each member, and how many links. */
function groupLinks(list: readonly string[], adjacency: ReadonlyMap<string, readonly string[]>): { neighbours: Int32Array[]; links: number } {
  const position = new Map<string, number>();
  list.forEach((n, k) => position.set(n, k));
  let links = 0;
  const neighbours = list.map((n) => {
    const inside: number[] = [];
    for (const m of adjacency.get(n) ?? []) {
      const k = position.get(m);
      if (k !== undefined) inside.push(k);
    }
    links += inside.length;
    return Int32Array.from(inside);
  });
  return { neighbours, links: links / 2 };
}

/**
 * Betweenness (Brandes, unweighted) of each member within its group, in arbitrary units: callers use it
 * relative to the group's highest. With `sources` below the group's size, shortest paths are counted
 * from that many members spread evenly over the group (an estimate: exact betweenness costs
 * size × links, too much for a group of thousands).
 */
export function betweenness(neighbours: readonly Int32Array[], sources: number): Float64Array {
  const n = neighbours.length;
  const score = new Float64Array(n);
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const queue = new Int32Array(n);
  const step = Math.max(1, n / Math.max(1, sources));
  for (let x = 0; x < n; x += step) {
    const s = Math.floor(x);
    sigma.fill(0);
    dist.fill(-1);
    delta.fill(0);
    sigma[s] = 1;
    dist[s] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const v = queue[head++]!;
      for (const w of neighbours[v]!) {
        if (dist[w]! < 0) {
          dist[w] = dist[v]! + 1;
          queue[tail++] = w;
        }
        if (dist[w] === dist[v]! + 1) sigma[w]! += sigma[v]!;
      }
    }
    // dependencies, farthest first (the queue holds the order in which nodes were reached)
    for (let k = tail - 1; k > 0; k--) {
      const w = queue[k]!;
      for (const v of neighbours[w]!) if (dist[v] === dist[w]! - 1) delta[v]! += (sigma[v]! / sigma[w]!) * (1 + delta[w]!);
      score[w]! += delta[w]!;
    }
  }
  return score;
}

/** Groups by Louvain community detection, each with its members ranked as key players. */
export function analyseNetwork(net: SubjectNetwork, options: AnalyseOptions = {}): NetworkGroup[] {
  const minSize = options.minSize ?? 3;
  const minCases = options.minCases ?? 2;
  const g = new Graph({ type: 'undirected', multi: false });
  // Louvain sees association strength, not raw counts: a link to someone in 500 cases (a company
  // everyone buys from, a plate number that recurs by chance) says less than the same link between two
  // people seen only with each other. Raw counts would let hubs pull rings into one giant community.
  const activity = (n: string) => Math.max(1, net.casesOf.get(n)?.length ?? 0);
  const linked = new Set<string>();
  const addNode = (n: string) => {
    if (linked.has(n)) return;
    linked.add(n);
    g.addNode(n);
  };
  for (const e of net.edges) {
    addNode(e.source);
    addNode(e.target);
    g.addEdge(e.source, e.target, { weight: e.weight, strength: e.weight / Math.sqrt(activity(e.source) * activity(e.target)) });
  }
  if (g.order === 0) return [];
  const random = mulberry32(options.seed ?? 389);
  const maxGroup = options.maxGroupSize ?? 60;
  /** Louvain, then again inside any community still larger than `maxGroup` (modularity's resolution limit). */
  const communities = (graph: Graph, depth: number): string[][] => {
    const community = louvain(graph, { getEdgeWeight: 'strength', resolution: options.resolution ?? 1, rng: random });
    const byId = new Map<number, string[]>();
    for (const [node, c] of Object.entries(community)) (byId.get(c) ?? byId.set(c, []).get(c)!).push(node);
    return [...byId.values()].flatMap((list) => {
      if (list.length <= maxGroup || depth >= 3) return [list];
      const sub = new Graph({ type: 'undirected' });
      const inside = new Set(list);
      for (const n of list) sub.addNode(n);
      for (const n of list) graph.forEachEdge(n, (_e, attr, a, b) => {
        const other = a === n ? b : a;
        if (inside.has(other) && n < other) sub.addEdge(n, other, attr);
      });
      const parts = communities(sub, depth + 1);
      return parts.length > 1 ? parts : [list];
    });
  };
  const members = new Map<number, string[]>(communities(g, 0).map((list, k) => [k, list]));

  const groups: NetworkGroup[] = [];
  const adjacency = linkIndex(net);
  for (const list of members.values()) {
    if (list.length < minSize) continue;
    // cases naming at least two members: what holds the group together
    const membersPerCase = new Map<string, number>();
    for (const n of list) for (const c of net.casesOf.get(n) ?? []) membersPerCase.set(c, (membersPerCase.get(c) ?? 0) + 1);
    let cases = 0;
    for (const k of membersPerCase.values()) if (k >= 2) cases++;
    if (cases < minCases) continue;
    const sub = groupLinks(list, adjacency);
    const links = sub.links;
    const between = list.length > 2 ? betweenness(sub.neighbours, list.length > (options.maxBetweennessSize ?? 2000) ? (options.betweennessSamples ?? 200) : list.length) : new Float64Array(list.length);
    const degreeOf = (k: number) => sub.neighbours[k]!.length;
    let maxDegree = 1;
    let maxBetween = 1e-9;
    for (let k = 0; k < list.length; k++) {
      maxDegree = Math.max(maxDegree, degreeOf(k));
      maxBetween = Math.max(maxBetween, between[k]!);
    }
    const players = list.map((n, k): KeyPlayer => {
      const degree = degreeOf(k);
      const b = between[k]!;
      const roles = net.roles.get(n) ?? new Map<string, number>();
      let role: string | null = null;
      let roleWeight = 0;
      let roleCount = 0;
      for (const [r, c] of roles) {
        const w = ROLE_WEIGHTS[r] ?? 0;
        if (role === null || w > roleWeight || (w === roleWeight && c > roleCount)) [role, roleWeight, roleCount] = [r, w, c];
      }
      const centrality = 0.5 * (degree / maxDegree) + 0.5 * (b / maxBetween);
      // a truck or a phone at the centre is how the group works, not who runs it
      const asset = ASSET_KINDS.has(net.kindOf.get(n) ?? '');
      const score = (0.5 * centrality + 0.5 * roleWeight) * (asset ? 0.5 : 1);
      const caseN = net.casesOf.get(n)?.length ?? 0;
      return {
        subjectId: n,
        score: Math.round(score * 1000) / 1000,
        degree,
        betweenness: Math.round((b / maxBetween) * 1000) / 1000,
        role,
        roleCount,
        cases: caseN,
        kind: net.kindOf.get(n) ?? null,
        reason: `${asset ? 'an asset (ranked below people); ' : ''}linked to ${degree} of ${list.length - 1} in the group${b > 0 ? `, on ${Math.round((b / maxBetween) * 100)}% of the busiest member's shortest paths` : ''}${role ? `; recorded as ${role} ${roleCount}×` : ''}; in ${caseN} case${caseN === 1 ? '' : 's'}`,
      };
    });
    players.sort((a, b) => b.score - a.score || b.degree - a.degree || (a.subjectId < b.subjectId ? -1 : 1));
    const possible = (list.length * (list.length - 1)) / 2;
    groups.push({ id: [...list].sort()[0]!, size: list.length, cases, density: Math.round((links / possible) * 1000) / 1000, members: players });
  }
  return groups.sort((a, b) => b.cases - a.cases || b.size - a.size || (a.id < b.id ? -1 : 1));
}

/** The neighbourhood of a subject up to `depth` links (1 or 2), as a sub-network. */
export function neighbourhood(net: SubjectNetwork, start: string, depth: 1 | 2, maxNodes = 500): SubjectNetwork {
  const adj = new Map<string, string[]>();
  for (const e of net.edges) {
    (adj.get(e.source) ?? adj.set(e.source, []).get(e.source)!).push(e.target);
    (adj.get(e.target) ?? adj.set(e.target, []).get(e.target)!).push(e.source);
  }
  const keep = new Set([start]);
  let frontier = [start];
  for (let d = 0; d < depth && keep.size < maxNodes; d++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of adj.get(n) ?? []) {
        if (keep.has(m) || keep.size >= maxNodes) continue;
        keep.add(m);
        next.push(m);
      }
    }
    frontier = next;
  }
  return {
    nodes: [...keep].sort(),
    edges: net.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
    roles: new Map([...net.roles].filter(([s]) => keep.has(s))),
    casesOf: new Map([...net.casesOf].filter(([s]) => keep.has(s))),
    kindOf: new Map([...net.kindOf].filter(([s]) => keep.has(s))),
  };
}

export interface RingEvaluation {
  rings: number;
  /** Rings whose best group holds at least half of its members. */
  ringsFound: number;
  precision: number;
  recall: number;
  /** Rings whose planted organiser is among the best group's top 3 key players. */
  organiserTop3: number;
}

/**
 * Ring member detection against planted truth: each ring is matched to the group holding most of its
 * members; members in their ring's group count as found; everyone else in those groups is a false alarm.
 */
export function evaluateRings(groups: readonly NetworkGroup[], rings: readonly { members: readonly string[]; organiser: string }[]): RingEvaluation {
  let tp = 0;
  let predicted = 0;
  let truth = 0;
  let found = 0;
  let top3 = 0;
  const used = new Set<NetworkGroup>();
  for (const ring of rings) {
    truth += ring.members.length;
    const set = new Set(ring.members);
    let best: NetworkGroup | undefined;
    let overlap = 0;
    for (const g of groups) {
      const o = g.members.filter((m) => set.has(m.subjectId)).length;
      if (o > overlap) [best, overlap] = [g, o];
    }
    if (!best) continue;
    tp += overlap;
    if (!used.has(best)) {
      used.add(best);
      predicted += best.size;
    }
    if (overlap * 2 >= ring.members.length) found++;
    if (best.members.slice(0, 3).some((m) => m.subjectId === ring.organiser)) top3++;
  }
  return { rings: rings.length, ringsFound: found, precision: predicted ? tp / predicted : 0, recall: truth ? tp / truth : 0, organiserTop3: top3 };
}
