// Batch scoring in bin space. The reference scorer (gbdt.ts `predictRaw` on the Float64 matrix of
// encode.ts) walks ~1,700 nodes per declaration through five separate arrays; this one gives the same
// scores, bit for bit, with:
//   - features as Uint8 bins (the trees' own training bins): a split "value ≤ threshold" is exactly
//     "bin ≤ binThreshold" since threshold = binEdges[binThreshold − 1] and binOf counts edges < value;
//   - per categorical column, a dense id → (rate bin, count bin) table, and per pair of columns a
//     (id, id) → bins map keyed by a number, so a declaration costs one string Map lookup per column
//     and no string building for the pairs;
//   - nodes packed in 2 Int32 words (feature | lo << 16 | span << 24; left child, or ~node for a
//     leaf) with the two children of a split adjacent: the child is picked arithmetically,
//     left + (((bin − lo) & 255) > span), three loads per step instead of five;
//   - rows scored in blocks, trees outer (a tree's nodes stay in cache while the block walks it),
//     four rows walking the same tree at once (their chains of dependent loads interleave).
// Leaves add their value in tree order, the same order as predictRaw, hence identical sums. The same
// walk also yields the Saabas contributions (`explainBinned`), equal to gbdt.ts `contributions`.
// `walkForest` is self-contained on purpose: the worker pool (score-pool.ts) runs its source text.
import { binOf, type Booster } from './gbdt.js';
import { categoryKey, featureCount, historyRevision, numericValue, shrunkRate, type FeatureEncoder } from './encode.js';
import type { Declaration } from './mapping.js';

export interface FlatForest {
  numFeatures: number;
  baseScore: number;
  roots: Int32Array;
  /** 2 words per node: feature | lo << 16 | span << 24, then the left child (right = left + 1) or ~node for a leaf. */
  nodes: Int32Array;
  /** Value of every node (a leaf's is what it adds; a split's is what contributions subtract). */
  value: Float64Array;
}

/** Re-lays the booster's trees breadth-first with sibling children adjacent. */
export function flattenForest(b: Booster): FlatForest {
  const total = b.feature.length;
  if (b.numFeatures > 0xffff) throw new Error(`the compiled scorer handles up to 65,535 features, the model has ${b.numFeatures}`);
  const nodes = new Int32Array(total * 2);
  const value = new Float64Array(total);
  const roots = new Int32Array(b.treeRoots.length);
  const queue = new Int32Array(total); // old node ids, in new order
  let next = 0;
  for (let t = 0; t < b.treeRoots.length; t++) {
    let head = next;
    roots[t] = next;
    queue[next++] = b.treeRoots[t]!;
    for (; head < next; head++) {
      const old = queue[head]!;
      const j = b.feature[old]!;
      value[head] = b.value[old]!;
      if (j < 0) {
        nodes[2 * head + 1] = ~head;
        continue;
      }
      // Left when bin ∈ [lo, binThreshold]: bin 0 (missing) included only when missing goes left.
      // (bin − lo) & 255 maps a missing bin to 255 when lo = 1, above any span (≤ 254).
      const lo = b.defaultLeft[old] === 1 ? 0 : 1;
      nodes[2 * head] = j | (lo << 16) | ((b.binThreshold[old]! - lo) << 24);
      nodes[2 * head + 1] = next;
      queue[next++] = b.left[old]!;
      queue[next++] = b.right[old]!;
    }
  }
  return { numFeatures: b.numFeatures, baseScore: b.baseScore, roots, nodes, value };
}

/**
 * Raw scores of rows [from, to) given as bins (numFeatures per row, row-major) into out[from..to);
 * with `contrib` (numFeatures + 1 per row, zeroed, row `from` at offset 0), also each feature's Saabas
 * contribution and, last, the bias. Self-contained (no outer names): score-pool.ts sends its source to worker threads.
 */
export function walkForest(
  nodes: Int32Array,
  value: Float64Array,
  roots: Int32Array,
  f: number,
  baseScore: number,
  bins: Uint8Array,
  from: number,
  to: number,
  out: Float64Array,
  contrib: Float64Array | null,
): void {
  const BLOCK = 128;
  out.fill(baseScore, from, to);
  const nt = roots.length;
  if (contrib) {
    let bias = baseScore;
    for (let t = 0; t < nt; t++) bias += value[roots[t]!]!;
    for (let i = from; i < to; i++) {
      const base = i * f;
      const o = (i - from) * (f + 1);
      for (let t = 0; t < nt; t++) {
        let k = roots[t]!;
        let c = nodes[2 * k + 1]!;
        while (c >= 0) {
          const w = nodes[2 * k]!;
          const j = w & 0xffff;
          const next = c + (((bins[base + j]! - ((w >>> 16) & 1)) & 255) > w >>> 24 ? 1 : 0);
          contrib[o + j] = contrib[o + j]! + value[next]! - value[k]!;
          k = next;
          c = nodes[2 * k + 1]!;
        }
        out[i] = out[i]! + value[k]!;
      }
      contrib[o + f] = bias;
    }
    return;
  }
  for (let start = from; start < to; start += BLOCK) {
    const end = Math.min(to, start + BLOCK);
    for (let t = 0; t < nt; t++) {
      const root = roots[t]!;
      const c0 = nodes[2 * root + 1]!;
      let i = start;
      for (; i + 4 <= end; i += 4) {
        const b0 = i * f;
        const b1 = b0 + f;
        const b2 = b1 + f;
        const b3 = b2 + f;
        let k0 = root;
        let k1 = root;
        let k2 = root;
        let k3 = root;
        let d0 = c0;
        let d1 = c0;
        let d2 = c0;
        let d3 = c0;
        // Until all four reach a leaf (a leaf's word is negative; & keeps the sign only if all are).
        while ((d0 & d1 & d2 & d3) >= 0) {
          if (d0 >= 0) {
            const w = nodes[2 * k0]!;
            k0 = d0 + (((bins[b0 + (w & 0xffff)]! - ((w >>> 16) & 1)) & 255) > w >>> 24 ? 1 : 0);
            d0 = nodes[2 * k0 + 1]!;
          }
          if (d1 >= 0) {
            const w = nodes[2 * k1]!;
            k1 = d1 + (((bins[b1 + (w & 0xffff)]! - ((w >>> 16) & 1)) & 255) > w >>> 24 ? 1 : 0);
            d1 = nodes[2 * k1 + 1]!;
          }
          if (d2 >= 0) {
            const w = nodes[2 * k2]!;
            k2 = d2 + (((bins[b2 + (w & 0xffff)]! - ((w >>> 16) & 1)) & 255) > w >>> 24 ? 1 : 0);
            d2 = nodes[2 * k2 + 1]!;
          }
          if (d3 >= 0) {
            const w = nodes[2 * k3]!;
            k3 = d3 + (((bins[b3 + (w & 0xffff)]! - ((w >>> 16) & 1)) & 255) > w >>> 24 ? 1 : 0);
            d3 = nodes[2 * k3 + 1]!;
          }
        }
        out[i] = out[i]! + value[k0]!;
        out[i + 1] = out[i + 1]! + value[k1]!;
        out[i + 2] = out[i + 2]! + value[k2]!;
        out[i + 3] = out[i + 3]! + value[k3]!;
      }
      for (; i < end; i++) {
        const base = i * f;
        let k = root;
        let c = c0;
        while (c >= 0) {
          const w = nodes[2 * k]!;
          k = c + (((bins[base + (w & 0xffff)]! - ((w >>> 16) & 1)) & 255) > w >>> 24 ? 1 : 0);
          c = nodes[2 * k + 1]!;
        }
        out[i] = out[i]! + value[k]!;
      }
    }
  }
}

/** Raw scores of rows given as bins (n × numFeatures, row-major). */
export function predictBinned(forest: FlatForest, bins: Uint8Array, n: number, out = new Float64Array(n)): Float64Array {
  walkForest(forest.nodes, forest.value, forest.roots, forest.numFeatures, forest.baseScore, bins, 0, n, out, null);
  return out;
}

/**
 * Raw scores and Saabas contributions of binned rows: per row, numFeatures contributions then the
 * bias — the same numbers, bit for bit, as gbdt.ts `contributions` (same additions in the same order).
 */
export function explainBinned(forest: FlatForest, bins: Uint8Array, n: number): { raw: Float64Array; contrib: Float64Array } {
  const raw = new Float64Array(n);
  const contrib = new Float64Array(n * (forest.numFeatures + 1));
  walkForest(forest.nodes, forest.value, forest.roots, forest.numFeatures, forest.baseScore, bins, 0, n, raw, contrib);
  return { raw, contrib };
}

/**
 * Sums feature contributions into column contributions: feature j goes to column colA[j] and, for a
 * derived feature, half to each of colA[j] and colB[j] (colB[j] = −1 otherwise). contrib holds rows
 * [from, to) from offset 0 (numFeatures + 1 per row); out is ncol per row, indexed by global row.
 * Self-contained like walkForest (the worker pool runs it too).
 */
export function foldColumns(
  contrib: Float64Array,
  f: number,
  from: number,
  to: number,
  colA: Int32Array,
  colB: Int32Array,
  out: Float64Array,
  ncol: number,
): void {
  for (let i = from; i < to; i++) {
    const o = (i - from) * (f + 1);
    const q = i * ncol;
    for (let j = 0; j < f; j++) {
      const b = colB[j]!;
      const share = contrib[o + j]! / (b < 0 ? 1 : 2);
      const a = q + colA[j]!;
      out[a] = out[a]! + share;
      if (b >= 0) out[q + b] = out[q + b]! + share;
    }
  }
}

export interface CompiledScorer {
  forest: FlatForest;
  /** Declarations → bins, with the encoder's history as it was when compiled. */
  binRows(rows: Declaration[], out?: Uint8Array): Uint8Array;
  scoreRaw(rows: Declaration[]): Float64Array;
}

const pack = (e: FeatureEncoder, b: Booster, t: number, p: number, n: number) =>
  binOf(b.binEdges[2 * t]!, shrunkRate(p, n, e.prior, e.priorWeight)) | (binOf(b.binEdges[2 * t + 1]!, n) << 8);

/**
 * Per categorical column: value → id, and id → packed bins (rate bin | count bin << 8). Per pair:
 * (id a, id b) → packed bins, keyed by a number; unseen categories → (prior, 0) like encodeRows.
 * A pair falls back to its string keys when a pair key cannot be split unambiguously into two known
 * values (a value containing the separator).
 */
function categoryBins(e: FeatureEncoder, b: Booster) {
  const nc = e.categorical.length;
  const columns = e.tables.slice(0, nc).map((table, c) => {
    const ids = new Map<string, number>();
    const packed = new Int32Array(table.counts.size);
    for (const [key, [n, p]] of table.counts) {
      packed[ids.size] = pack(e, b, c, p, n);
      ids.set(key, ids.size);
    }
    return { ids, packed, unseen: pack(e, b, c, 0, 0) };
  });
  const pairs = e.pairs.map(([a, bb], q) => {
    const t = nc + q;
    const unseen = pack(e, b, t, 0, 0);
    const ia = columns[a]!.ids;
    const ib = columns[bb]!.ids;
    const stride = ib.size;
    const byIds = new Map<number, number>();
    let usable = true;
    for (const [key, [n, p]] of e.tables[t]!.counts) {
      const cut = key.indexOf('\u0001');
      const idA = ia.get(key.slice(0, cut));
      const idB = ib.get(key.slice(cut + 1));
      if (cut < 0 || key.indexOf('\u0001', cut + 1) >= 0 || idA === undefined || idB === undefined) {
        usable = false;
        break;
      }
      byIds.set(idA * stride + idB, pack(e, b, t, p, n));
    }
    const byKey = usable ? undefined : new Map([...e.tables[t]!.counts].map(([key, [n, p]]) => [key, pack(e, b, t, p, n)]));
    return { a, b: bb, stride, byIds, byKey, unseen };
  });
  return { columns, pairs };
}

export function compileScorer(e: FeatureEncoder, b: Booster): CompiledScorer {
  const f = featureCount(e);
  if (f !== b.numFeatures) throw new Error(`model expects ${b.numFeatures} features, the encoder writes ${f}`);
  const forest = flattenForest(b);
  const { columns, pairs } = categoryBins(e, b);
  const nc = columns.length;
  const nt = nc + pairs.length;
  const nn = f - 2 * nt;
  const numEdges = b.binEdges.slice(2 * nt);
  const ids = new Int32Array(nc);
  const binRows = (rows: Declaration[], out?: Uint8Array) => {
    const bins = out ?? new Uint8Array(rows.length * f);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const o = i * f;
      const cat = r.cat;
      for (let c = 0; c < nc; c++) {
        const col = columns[c]!;
        const id = col.ids.get(cat[c]!);
        const packed = id === undefined ? col.unseen : col.packed[id]!;
        ids[c] = id ?? -1;
        bins[o + 2 * c] = packed & 255;
        bins[o + 2 * c + 1] = packed >>> 8;
      }
      for (let q = 0; q < pairs.length; q++) {
        const p = pairs[q]!;
        let packed: number | undefined;
        if (p.byKey) packed = p.byKey.get(categoryKey(e, r, nc + q));
        else {
          const a = ids[p.a]!;
          const bb = ids[p.b]!;
          if (a >= 0 && bb >= 0) packed = p.byIds.get(a * p.stride + bb);
        }
        if (packed === undefined) packed = p.unseen;
        bins[o + 2 * (nc + q)] = packed & 255;
        bins[o + 2 * (nc + q) + 1] = packed >>> 8;
      }
      for (let j = 0; j < nn; j++) bins[o + 2 * nt + j] = binOf(numEdges[j]!, numericValue(e, r, j));
    }
    return bins;
  };
  return { forest, binRows, scoreRaw: (rows) => predictBinned(forest, binRows(rows), rows.length) };
}

// One compiled scorer per model, rebuilt when the model's trees, encoder or history change
// (extendHistory after compiling, e.g. the server scoring a reference window then extending).
const compiled = new WeakMap<object, { booster: Booster; encoder: FeatureEncoder; revision: number; scorer: CompiledScorer }>();

export function compiledScorer(model: { encoder: FeatureEncoder; booster: Booster }): CompiledScorer {
  const hit = compiled.get(model);
  const revision = historyRevision(model.encoder);
  if (hit && hit.booster === model.booster && hit.encoder === model.encoder && hit.revision === revision) return hit.scorer;
  const scorer = compileScorer(model.encoder, model.booster);
  compiled.set(model, { booster: model.booster, encoder: model.encoder, revision, scorer });
  return scorer;
}
