/**
 * Clustering that does not chain. Exact shared identifiers join records outright. Fuzzy links are then
 * taken strongest first, and two groups join only when the *average* evidence over all their cross
 * pairs (each clamped to ±`clampBits`) still says "same entity" — one weak link between two otherwise
 * different groups is outvoted, where transitive closure would have merged them (A~B, B~C ⇒ A~C).
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
  /** Each pair's weight counts at most this much either way in the average. */
  clampBits: number;
  /** Above this many cross pairs, only the first ones are averaged (groups that big are rare). */
  maxCrossPairs: number;
}

export const DEFAULT_CLUSTERING: ClusterOptions = { thresholdBits: 0, clampBits: 12, maxCrossPairs: 400 };

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

/**
 * Returns a cluster number per record (the smallest record index in its cluster).
 * `forced` pairs are joined first; `pairWeight(i, j)` scores any pair on demand for the average.
 */
export function clusterRecords(
  n: number,
  forced: readonly [number, number][],
  edges: readonly ClusterEdge[],
  pairWeight: (i: number, j: number) => number,
  options: ClusterOptions = DEFAULT_CLUSTERING,
): Int32Array {
  const uf = new UnionFind(n);
  const members = new Map<number, number[]>();
  const membersOf = (r: number) => members.get(r) ?? [r];
  const join = (ra: number, rb: number) => {
    // A's members then B's, as before, but appended in place: a big group absorbing small ones is
    // not copied on every join.
    const merged = members.get(ra) ?? [ra];
    for (const y of membersOf(rb)) merged.push(y);
    members.delete(ra);
    members.delete(rb);
    members.set(uf.union(ra, rb), merged);
  };
  for (const [i, j] of forced) {
    const ra = uf.find(i);
    const rb = uf.find(j);
    if (ra !== rb) join(ra, rb);
  }
  const sorted = edges.filter((e) => e.weight >= options.thresholdBits).sort((a, b) => b.weight - a.weight);
  const clamp = (w: number) => Math.max(-options.clampBits, Math.min(options.clampBits, w));
  for (const e of sorted) {
    const ra = uf.find(e.i);
    const rb = uf.find(e.j);
    if (ra === rb) continue;
    const A = membersOf(ra);
    const B = membersOf(rb);
    let sum = 0;
    let count = 0;
    outer: for (const x of A) {
      for (const y of B) {
        sum += x === e.i && y === e.j ? clamp(e.weight) : clamp(pairWeight(x, y));
        if (++count >= options.maxCrossPairs) break outer;
      }
    }
    if (sum / count >= options.thresholdBits) join(ra, rb);
  }
  const out = new Int32Array(n);
  const smallest = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (!smallest.has(r)) smallest.set(r, i);
    out[i] = smallest.get(r)!;
  }
  return out;
}
