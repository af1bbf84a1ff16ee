// Batch scoring in bin space. The reference scorer (gbdt.ts `predictRaw` on the Float64 matrix of
// encode.ts) walks ~1,700 nodes per declaration through five separate arrays; this one gives the same
// scores, bit for bit, with:
//   - features as Uint8 bins (the trees' own training bins): a split "value ≤ threshold" is exactly
//     "bin ≤ binThreshold" since threshold = binEdges[binThreshold − 1] and binOf counts edges < value;
//   - per categorical column, a dense id → (rate bin, count bin) table, and per pair of columns a
//     (id, id) → bins map keyed by a number, so a declaration costs one string Map lookup per column
//     and no string building for the pairs;
//   - the trees compiled to WebAssembly (wasm-forest.ts): each split an `if` on one byte of the row
//     with the threshold in the code, each leaf an add; rows in blocks of 512, 8 trees per function.
//     The array walk it replaces (2 Int32 words per node, four rows through a tree at once) ran at
//     ~130,000 rows per CPU second on model A of the bench; this one ~450,000 (score + explain
//     ~90,000 → ~230,000), compiled in ~0.1 s.
// Leaves add their value in tree order, the same order as predictRaw, hence identical sums. The same
// code also yields the Saabas contributions (`explainBinned`), equal to gbdt.ts `contributions`.
import { binOf, type Booster } from './gbdt.js';
import { compileWasm, forestModuleBytes, runForest, TREES_PER_FUNCTION, type WasmModule } from './wasm-forest.js';
import { categoryKey, featureCount, historyRevision, numericValue, shrunkRate, type FeatureEncoder } from './encode.js';
import type { Declaration } from './mapping.js';

export interface FlatForest {
  numFeatures: number;
  baseScore: number;
  /** What every row starts from in the Saabas attribution: the base score plus each tree's root value. */
  bias: number;
  /** The trees as WebAssembly (wasm-forest.ts), compiled once; a Module can be posted to worker threads. */
  module: WasmModule;
  /** Functions of each kind in the module (score `s0…`, explain `e0…`). */
  groups: number;
}

/**
 * Compiles the booster's trees to WebAssembly (~0.1 s for model A; bit-identical to predictRaw).
 * `module`: this booster's module compiled elsewhere (e.g. by the thread that starts the workers).
 */
export function flattenForest(b: Booster, module?: WasmModule): FlatForest {
  let bias = b.baseScore;
  for (let t = 0; t < b.treeRoots.length; t++) bias += b.value[b.treeRoots[t]!]!;
  const groups = Math.max(1, Math.ceil(b.treeRoots.length / TREES_PER_FUNCTION));
  return { numFeatures: b.numFeatures, baseScore: b.baseScore, bias, module: module ?? compileWasm(forestModuleBytes(b, TREES_PER_FUNCTION)), groups };
}

// One instance (and its scratch memory) per forest in this thread.
const runners = new WeakMap<FlatForest, ReturnType<typeof runForest>>();
function runnerOf(forest: FlatForest) {
  let run = runners.get(forest);
  if (!run) {
    run = runForest(forest.module, forest.numFeatures, forest.groups, forest.baseScore, forest.bias);
    runners.set(forest, run);
  }
  return run;
}

/** Raw scores of rows given as bins (n × numFeatures, row-major). */
export function predictBinned(forest: FlatForest, bins: Uint8Array, n: number, out = new Float64Array(n)): Float64Array {
  runnerOf(forest)(bins, 0, n, out, null);
  return out;
}

/**
 * Raw scores and Saabas contributions of binned rows: per row, numFeatures contributions then the
 * bias — the same numbers, bit for bit, as gbdt.ts `contributions` (same additions in the same order).
 */
export function explainBinned(forest: FlatForest, bins: Uint8Array, n: number): { raw: Float64Array; contrib: Float64Array } {
  const raw = new Float64Array(n);
  const contrib = new Float64Array(n * (forest.numFeatures + 1));
  runnerOf(forest)(bins, 0, n, raw, contrib);
  return { raw, contrib };
}

/**
 * Sums feature contributions into column contributions: feature j goes to column colA[j] and, for a
 * derived feature, half to each of colA[j] and colB[j] (colB[j] = −1 otherwise). contrib holds rows
 * [from, to) from offset 0 (numFeatures + 1 per row); out is ncol per row, indexed by global row.
 * Self-contained (the worker pool runs its source text).
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

/** The lookup tables behind `binRows` (for a caller that bins rows itself, e.g. straight from a file's bytes). */
export interface BinTables {
  /** Per categorical column: value → id, id → packed bins (rate bin | count bin << 8), and an unseen value's bins. */
  columns: { ids: Map<string, number>; packed: Int32Array; unseen: number }[];
  /** Per pair (columns a, b): (id a · stride + id b) → packed bins, dense or a map; byKey when ids cannot be used. */
  pairs: { a: number; b: number; stride: number; byIds: Map<number, number>; byKey?: Map<string, number>; dense?: Int32Array; unseen: number }[];
  /** Bin edges of the numeric features (the columns, then the ratios). */
  numEdges: Float64Array[];
}

export interface CompiledScorer {
  forest: FlatForest;
  tables: BinTables;
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
    // Up to 2^20 (id, id) cells (4 MiB), a dense table: an array read instead of a Map lookup.
    let dense: Int32Array | undefined;
    if (usable && ia.size * stride <= 1 << 20) {
      dense = new Int32Array(ia.size * stride).fill(unseen);
      for (const [k, v] of byIds) dense[k] = v;
    }
    return { a, b: bb, stride, byIds, byKey, dense, unseen };
  });
  return { columns, pairs };
}

export function compileScorer(e: FeatureEncoder, b: Booster, module?: WasmModule): CompiledScorer {
  const f = featureCount(e);
  if (f !== b.numFeatures) throw new Error(`model expects ${b.numFeatures} features, the encoder writes ${f}`);
  const forest = flattenForest(b, module);
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
        if (p.dense) {
          const a = ids[p.a]!;
          const bb = ids[p.b]!;
          packed = a >= 0 && bb >= 0 ? p.dense[a * p.stride + bb]! : p.unseen;
        } else if (p.byKey) packed = p.byKey.get(categoryKey(e, r, nc + q));
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
  return { forest, tables: { columns, pairs, numEdges }, binRows, scoreRaw: (rows) => predictBinned(forest, binRows(rows), rows.length) };
}

// One compiled scorer per model, rebuilt when the model's trees, encoder or history change
// (extendHistory after compiling, e.g. the server scoring a reference window then extending).
const compiled = new WeakMap<object, { booster: Booster; encoder: FeatureEncoder; revision: number; scorer: CompiledScorer }>();

/** `module`: the trees' WebAssembly module when another thread compiled it already (FlatForest.module). */
export function compiledScorer(model: { encoder: FeatureEncoder; booster: Booster }, module?: WasmModule): CompiledScorer {
  const hit = compiled.get(model);
  const revision = historyRevision(model.encoder);
  if (hit && hit.booster === model.booster && hit.encoder === model.encoder && hit.revision === revision) return hit.scorer;
  const scorer = compileScorer(model.encoder, model.booster, module);
  compiled.set(model, { booster: model.booster, encoder: model.encoder, revision, scorer });
  return scorer;
}
