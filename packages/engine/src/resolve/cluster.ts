import { mulberry32 } from '../prng.js';
/**
 * Clustering that does not chain. Exact shared identifiers join records outright. Fuzzy links are then
 * taken strongest first, and two groups join only when
 *  - they hold no conflicting identifiers of one kind (two different CCCDs are two people; cannot-link),
 *  - the joined group stays within `maxClusterSize` (a guard: a runaway group is a bug, not a person),
 *  - the *average* evidence over their cross pairs (each clamped, see `clampBits`) still says "same
 *    entity" — one weak link between two otherwise different groups is outvoted, where transitive
 *    closure would have merged them (A~B, B~C ⇒ A~C). Large groups average a sample of cross pairs drawn
 *    from *both* groups' members, not the first members of one.
 */

export interface ClusterEdge {
  i: number;
  j: number;
  /** Match weight in bits. */
  weight: number;
}

export interface ClusterOptions {
  /** Weight (bits) a fuzzy link and a group's average cross-pair weight must reach. */
  thresholdBits: number;
  /**
   * Each pair's weight counts at most this much for, and 1.5 times this much against, in the average:
   * a record that agrees with one member and strongly disagrees with another must not tie (a name-only
   * hub agreeing with two namesakes who disagree with each other).
   */
  clampBits: number;
  /** Above this many cross pairs, a deterministic sample of this many (from both groups) is averaged. */
  maxCrossPairs: number;
  /** Fuzzy links never grow a group past this many records (identifier links still join). */
  maxClusterSize: number;
}

export const DEFAULT_CLUSTERING: ClusterOptions = { thresholdBits: 0, clampBits: 12, maxCrossPairs: 400, maxClusterSize: 500 };

export class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[i] !== r) {
      const next = this.parent[i]!;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): number {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[rb] = ra;
    return ra;
  }
}

/** One accepted join: the link that brought two groups together (a spanning tree of each cluster). */
export interface ClusterJoin {
  i: number;
  j: number;
  /** Bits of the link itself; undefined for an identifier link. */
  weight?: number;
  /** Average clamped weight over the cross pairs checked (fuzzy joins only). */
  groupAverage?: number;
  decision: 'identifier' | 'match';
}

export interface ClusterResult {
  /** Cluster number per record (the smallest record index in its cluster). */
  clusters: Int32Array;
  joins: ClusterJoin[];
  refused: { conflict: number; size: number; average: number };
}

/**
 * Identifiers that tell two entities apart, per record: `"KIND:value"` (e.g. `"CCCD:001089012345"`).
 * Two groups holding different values of one kind are never joined by a fuzzy link.
 */
export type DistinctKeys = readonly (readonly string[] | undefined)[];

/**
 * Clusters `n` records. `forced` pairs (shared exact identifiers) are joined first; `pairWeight(i, j)`
 * scores any pair on demand for the group average; `distinct` gives each record's identifiers for the
 * cannot-link rule.
 */
export function clusterWithJoins(
  n: number,
  forced: readonly [number, number][],
  edges: readonly ClusterEdge[],
  pairWeight: (i: number, j: number) => number,
  options: ClusterOptions = DEFAULT_CLUSTERING,
  distinct: DistinctKeys = [],
): ClusterResult {
  const uf = new UnionFind(n);
  const members = new Map<number, number[]>();
  const membersOf = (r: number) => members.get(r) ?? [r];
  /** kind → value per group root, for groups holding any distinct identifier. */
  const idsOf = new Map<number, Map<string, string>>();
  const ownIds = (i: number) => {
    const keys = distinct[i];
    if (!keys?.length) return undefined;
    const m = new Map<string, string>();
    for (const k of keys) {
      const c = k.indexOf(':');
      m.set(k.slice(0, c), k.slice(c + 1));
    }
    return m;
  };
  const groupIds = (r: number) => idsOf.get(r) ?? (members.has(r) ? undefined : ownIds(r));
  const conflict = (ra: number, rb: number) => {
    const a = groupIds(ra);
    const b = groupIds(rb);
    if (!a || !b) return false;
    for (const [kind, v] of a) {
      const w = b.get(kind);
      if (w !== undefined && w !== v) return true;
    }
    return false;
  };
  const joins: ClusterJoin[] = [];
  const join = (ra: number, rb: number) => {
    // A's members then B's, appended in place: a big group absorbing small ones is not copied each time.
    const merged = members.get(ra) ?? [ra];
    for (const y of membersOf(rb)) merged.push(y);
    const ia = groupIds(ra);
    const ib = groupIds(rb);
    const ids = ia || ib ? new Map([...(ib ?? []), ...(ia ?? [])]) : undefined;
    members.delete(ra);
    members.delete(rb);
    idsOf.delete(ra);
    idsOf.delete(rb);
    const root = uf.union(ra, rb);
    members.set(root, merged);
    if (ids) idsOf.set(root, ids);
  };
  for (const [i, j] of forced) {
    const ra = uf.find(i);
    const rb = uf.find(j);
    if (ra === rb) continue;
    join(ra, rb);
    joins.push({ i, j, decision: 'identifier' });
  }
  const sorted = edges.filter((e) => e.weight >= options.thresholdBits).sort((a, b) => b.weight - a.weight || a.i - b.i || a.j - b.j);
  const clamp = (w: number) => Math.max(-1.5 * options.clampBits, Math.min(options.clampBits, w));
  const next = mulberry32(1);
  const refused = { conflict: 0, size: 0, average: 0 };
  for (const e of sorted) {
    const ra = uf.find(e.i);
    const rb = uf.find(e.j);
    if (ra === rb) continue;
    if (conflict(ra, rb)) {
      refused.conflict++;
      continue;
    }
    const A = membersOf(ra);
    const B = membersOf(rb);
    if (A.length + B.length > options.maxClusterSize) {
      refused.size++;
      continue;
    }
    let sum = clamp(e.weight);
    let count = 1;
    if (A.length * B.length <= options.maxCrossPairs) {
      for (const x of A) {
        for (const y of B) {
          if ((x === e.i && y === e.j) || (x === e.j && y === e.i)) continue;
          sum += clamp(pairWeight(x, y));
          count++;
        }
      }
    } else {
      // a sample spread over both groups: every member of the smaller one, random partners in the other
      const [S, L] = A.length <= B.length ? [A, B] : [B, A];
      for (let k = 0; k < options.maxCrossPairs - 1; k++) {
        const x = S[k % S.length]!;
        const y = L[Math.floor(next() * L.length)]!;
        sum += clamp(pairWeight(x, y));
        count++;
      }
    }
    const average = sum / count;
    // strictly above: no evidence either way (a tie) is not a reason to join
    if (average > options.thresholdBits) {
      join(ra, rb);
      joins.push({ i: e.i, j: e.j, weight: e.weight, groupAverage: average, decision: 'match' });
    } else refused.average++;
  }
  const clusters = new Int32Array(n);
  const smallest = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (!smallest.has(r)) smallest.set(r, i);
    clusters[i] = smallest.get(r)!;
  }
  return { clusters, joins, refused };
}

/** Cluster number per record (the smallest record index in its cluster); see `clusterWithJoins`. */
export function clusterRecords(
  n: number,
  forced: readonly [number, number][],
  edges: readonly ClusterEdge[],
  pairWeight: (i: number, j: number) => number,
  options: ClusterOptions = DEFAULT_CLUSTERING,
  distinct: DistinctKeys = [],
): Int32Array {
  return clusterWithJoins(n, forced, edges, pairWeight, options, distinct).clusters;
}
