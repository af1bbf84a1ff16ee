// Gradient-boosted decision trees for a 0/1 outcome (logistic loss), written here because no
// well-kept trainer exists for Node: on the npm registry `ml-xgboost` (an Emscripten build of XGBoost
// 0.x, unmaintained) crashes at 100k rows, `ml-cart`/`decision-tree` grow exact trees in quadratic
// time, and `xgboost-scorer` only scores. This is the LightGBM recipe at our scale:
//   - features are binned once into at most 255 quantile bins; bin 0 is "missing";
//   - second-order boosting (gradient p − y, hessian p(1 − p)) with L2 on leaf values;
//   - leaf-wise growth (split the leaf with the largest gain next) up to maxLeaves, with
//     minDataInLeaf / minSumHessian guards; histograms built for the smaller child and the larger
//     child's obtained by subtraction from its parent;
//   - each split learns where missing values go (tries both sides);
//   - row and feature subsampling per tree from a seeded generator: same data + params + seed = same model;
//   - early stopping on a validation window's log loss.
// Pure: takes numbers, returns numbers. Categorical columns are encoded before they get here (encode.ts).
import { riskRng, sampleIndices } from './prng.js';

export interface GbdtParams {
  numRounds: number;
  learningRate: number;
  maxLeaves: number;
  /** 0 = no limit (leaf-wise growth is bounded by maxLeaves). */
  maxDepth: number;
  minDataInLeaf: number;
  minSumHessian: number;
  lambdaL2: number;
  minGainToSplit: number;
  /** ≤ 255: bin 0 is kept for missing values, so at most 255 value bins fit a byte. */
  maxBins: number;
  /** Share of features each tree may use (drawn per tree). */
  featureFraction: number;
  /** Share of rows each tree learns from (drawn per tree, without replacement). */
  baggingFraction: number;
  /** Stop when the validation log loss has not improved for this many rounds (0 = never). */
  earlyStoppingRounds: number;
  seed: number;
}

export const DEFAULT_GBDT_PARAMS: GbdtParams = {
  numRounds: 500,
  learningRate: 0.05,
  maxLeaves: 31,
  maxDepth: 0,
  minDataInLeaf: 20,
  minSumHessian: 1e-3,
  lambdaL2: 1,
  minGainToSplit: 0,
  maxBins: 255,
  featureFraction: 0.8,
  baggingFraction: 0.8,
  earlyStoppingRounds: 50,
  seed: 1,
};

/** Row-major matrix: x[i * f + j] is feature j of row i; NaN = missing. */
export interface Matrix {
  n: number;
  f: number;
  x: Float64Array;
}

/**
 * The trained ensemble, flattened: node k of any tree lives at index k of every array. A leaf has
 * feature −1. `value` is the node's own Newton step (×learning rate) for internal nodes too: the
 * path attribution in `contributions` reads it.
 */
export interface Booster {
  numFeatures: number;
  baseScore: number;
  treeRoots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** Same split in bin space: left when 1 ≤ bin ≤ binThreshold. */
  binThreshold: Int32Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Per feature: upper bin edges (bin k + 1 holds values ≤ edges[k]; above the last edge is the last bin). */
  binEdges: Float64Array[];
  /** Total split gain per feature (a global importance). */
  gain: Float64Array;
}

export interface TrainLog {
  rounds: number;
  bestRound: number;
  trainLogLoss: number[];
  validLogLoss: number[];
}

const BIN_STRIDE = 256;

/** Quantile bin edges of one column: heavy ties stay in one bin; at most maxBins value bins. */
export function quantileEdges(values: Float64Array | number[], maxBins: number): Float64Array {
  const v = Float64Array.from(values).filter((x) => !Number.isNaN(x)).sort();
  if (v.length === 0) return new Float64Array(0);
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (i === 0 || v[i] !== v[i - 1]) {
      distinct.push(v[i]!);
      counts.push(1);
    } else counts[counts.length - 1]!++;
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let k = 0; k + 1 < distinct.length; k++) edges.push((distinct[k]! + distinct[k + 1]!) / 2);
  } else {
    const target = v.length / maxBins;
    let acc = 0;
    for (let k = 0; k + 1 < distinct.length && edges.length < maxBins - 1; k++) {
      acc += counts[k]!;
      if (acc >= target) {
        edges.push((distinct[k]! + distinct[k + 1]!) / 2);
        acc = 0;
      }
    }
  }
  return Float64Array.from(edges);
}

/** 0 for missing, else 1 + the number of edges below the value. */
export function binOf(edges: Float64Array, v: number): number {
  if (v !== v) return 0;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

function binMatrix(m: Matrix, edges: Float64Array[]): Uint8Array {
  const out = new Uint8Array(m.n * m.f);
  for (let i = 0; i < m.n; i++) for (let j = 0; j < m.f; j++) out[i * m.f + j] = binOf(edges[j]!, m.x[i * m.f + j]!);
  return out;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function logLoss(raw: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(raw[i]!)));
    s -= y[i] ? Math.log(p) : Math.log(1 - p);
  }
  return s / Math.max(1, raw.length);
}

interface Leaf {
  begin: number;
  end: number;
  g: number;
  h: number;
  depth: number;
  node: number;
  hist: Float64Array;
  split?: { gain: number; feature: number; bin: number; defaultLeft: boolean; gl: number; hl: number; nl: number };
}

/** Trains on x/y, stopping early on (vx, vy) when given. */
export function trainGbdt(
  train: Matrix,
  y: Uint8Array,
  valid: { m: Matrix; y: Uint8Array } | undefined,
  params: Partial<GbdtParams> = {},
): { booster: Booster; log: TrainLog } {
  const p: GbdtParams = { ...DEFAULT_GBDT_PARAMS, ...params };
  if (p.maxBins > 255 || p.maxBins < 2) throw new Error('maxBins must be within 2..255');
  if (p.maxLeaves < 2) throw new Error('maxLeaves must be at least 2');
  const { n, f } = train;
  if (y.length !== n) throw new Error('labels and rows differ in number');
  const rand = riskRng(p.seed);

  const edges: Float64Array[] = [];
  for (let j = 0; j < f; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = train.x[i * f + j]!;
    edges.push(quantileEdges(col, p.maxBins));
  }
  const numBins = Int32Array.from(edges, (e) => e.length + 2); // missing + value bins
  const bins = binMatrix(train, edges);
  const vbins = valid ? binMatrix(valid.m, edges) : undefined;

  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, pos / Math.max(1, n)));
  const baseScore = Math.log(rate / (1 - rate));

  const raw = new Float64Array(n).fill(baseScore);
  const vraw = valid ? new Float64Array(valid.m.n).fill(baseScore) : undefined;
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);

  // Growing node storage (all trees).
  const feature: number[] = [];
  const threshold: number[] = [];
  const binThreshold: number[] = [];
  const defaultLeft: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const roots: number[] = [];
  const treeGain: Float64Array[] = [];
  const newNode = (v: number) => {
    feature.push(-1);
    threshold.push(0);
    binThreshold.push(0);
    defaultLeft.push(0);
    left.push(-1);
    right.push(-1);
    value.push(v);
    return feature.length - 1;
  };

  const log: TrainLog = { rounds: 0, bestRound: 0, trainLogLoss: [], validLogLoss: [] };
  let best = Infinity;
  const idx = new Int32Array(n);
  const scratch = new Int32Array(n);
  const nBag = p.baggingFraction < 1 ? Math.max(1, Math.round(n * p.baggingFraction)) : n;
  const nFeat = Math.max(1, Math.round(f * Math.min(1, p.featureFraction)));
  const leafValue = (g: number, h: number) => (-g / (h + p.lambdaL2)) * p.learningRate;

  const buildHist = (lf: Leaf, feats: Int32Array) => {
    const hist = lf.hist;
    for (let k = lf.begin; k < lf.end; k++) {
      const r = idx[k]!;
      const gi = grad[r]!;
      const hi = hess[r]!;
      const base = r * f;
      for (let q = 0; q < feats.length; q++) {
        const j = feats[q]!;
        const o = (j * BIN_STRIDE + bins[base + j]!) * 3;
        hist[o] = hist[o]! + gi;
        hist[o + 1] = hist[o + 1]! + hi;
        hist[o + 2] = hist[o + 2]! + 1;
      }
    }
  };

  const findSplit = (lf: Leaf, feats: Int32Array) => {
    lf.split = undefined;
    const cnt = lf.end - lf.begin;
    if (cnt < 2 * p.minDataInLeaf || (p.maxDepth > 0 && lf.depth >= p.maxDepth)) return;
    const parentScore = (lf.g * lf.g) / (lf.h + p.lambdaL2);
    let bestGain = p.minGainToSplit;
    const hist = lf.hist;
    for (let q = 0; q < feats.length; q++) {
      const j = feats[q]!;
      const o0 = j * BIN_STRIDE * 3;
      const mg = hist[o0]!;
      const mh = hist[o0 + 1]!;
      const mn = hist[o0 + 2]!;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      const nb = numBins[j]!;
      for (let b = 1; b < nb - 1; b++) {
        const o = o0 + b * 3;
        gl += hist[o]!;
        hl += hist[o + 1]!;
        nl += hist[o + 2]!;
        // Missing values to the right, then to the left (only if there are any).
        for (let side = 0; side < (mn > 0 ? 2 : 1); side++) {
          const GL = side ? gl + mg : gl;
          const HL = side ? hl + mh : hl;
          const NL = side ? nl + mn : nl;
          const NR = cnt - NL;
          if (NL < p.minDataInLeaf || NR < p.minDataInLeaf) continue;
          const HR = lf.h - HL;
          if (HL < p.minSumHessian || HR < p.minSumHessian) continue;
          const GR = lf.g - GL;
          const gain = (GL * GL) / (HL + p.lambdaL2) + (GR * GR) / (HR + p.lambdaL2) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            // Without missing values in training, unseen missing values follow the larger side.
            lf.split = { gain, feature: j, bin: b, defaultLeft: mn > 0 ? side === 1 : NL >= NR, gl: GL, hl: HL, nl: NL };
          }
        }
      }
    }
  };

  for (let round = 0; round < p.numRounds; round++) {
    for (let i = 0; i < n; i++) {
      const pr = sigmoid(raw[i]!);
      grad[i] = pr - y[i]!;
      hess[i] = Math.max(pr * (1 - pr), 1e-16);
    }
    // Rows and features for this tree.
    if (nBag < n) {
      const s = sampleIndices(n, nBag, rand).sort();
      idx.set(s);
    } else for (let i = 0; i < n; i++) idx[i] = i;
    const feats = nFeat < f ? sampleIndices(f, nFeat, rand).sort() : Int32Array.from({ length: f }, (_, j) => j);
    let G = 0;
    let H = 0;
    for (let k = 0; k < nBag; k++) {
      G += grad[idx[k]!]!;
      H += hess[idx[k]!]!;
    }
    const rootNode = newNode(leafValue(G, H));
    roots.push(rootNode);
    const gainByFeature = new Float64Array(f);
    const root: Leaf = { begin: 0, end: nBag, g: G, h: H, depth: 0, node: rootNode, hist: new Float64Array(f * BIN_STRIDE * 3) };
    buildHist(root, feats);
    findSplit(root, feats);
    const leaves: Leaf[] = [root];
    while (leaves.length < p.maxLeaves) {
      let bi = -1;
      for (let k = 0; k < leaves.length; k++) if (leaves[k]!.split && (bi < 0 || leaves[k]!.split!.gain > leaves[bi]!.split!.gain)) bi = k;
      if (bi < 0) break;
      const lf = leaves[bi]!;
      const s = lf.split!;
      // Partition lf's rows: left first.
      let a = lf.begin;
      let z = 0;
      for (let k = lf.begin; k < lf.end; k++) {
        const r = idx[k]!;
        const b = bins[r * f + s.feature]!;
        const goLeft = b === 0 ? s.defaultLeft : b <= s.bin;
        if (goLeft) idx[a++] = r;
        else scratch[z++] = r;
      }
      idx.set(scratch.subarray(0, z), a);
      const nodeL = newNode(leafValue(s.gl, s.hl));
      const nodeR = newNode(leafValue(lf.g - s.gl, lf.h - s.hl));
      const nd = lf.node;
      feature[nd] = s.feature;
      binThreshold[nd] = s.bin;
      threshold[nd] = edges[s.feature]![s.bin - 1]!;
      defaultLeft[nd] = s.defaultLeft ? 1 : 0;
      left[nd] = nodeL;
      right[nd] = nodeR;
      gainByFeature[s.feature] = gainByFeature[s.feature]! + s.gain;
      const L: Leaf = { begin: lf.begin, end: a, g: s.gl, h: s.hl, depth: lf.depth + 1, node: nodeL, hist: lf.hist };
      const R: Leaf = { begin: a, end: lf.end, g: lf.g - s.gl, h: lf.h - s.hl, depth: lf.depth + 1, node: nodeR, hist: lf.hist };
      // Smaller child gets a fresh histogram; the larger one is parent − smaller, in place.
      const small = L.end - L.begin <= R.end - R.begin ? L : R;
      const large = small === L ? R : L;
      small.hist = new Float64Array(f * BIN_STRIDE * 3);
      buildHist(small, feats);
      const ph = large.hist;
      const sh = small.hist;
      for (let q = 0; q < feats.length; q++) {
        const o0 = feats[q]! * BIN_STRIDE * 3;
        for (let o = o0; o < o0 + numBins[feats[q]!]! * 3; o++) ph[o] = ph[o]! - sh[o]!;
      }
      findSplit(L, feats);
      findSplit(R, feats);
      leaves[bi] = L;
      leaves.push(R);
    }
    treeGain.push(gainByFeature);
    // Update scores of every training row and the validation rows with the new tree (bin space).
    const walk = (bm: Uint8Array, i: number) => {
      let k = rootNode;
      while (feature[k]! >= 0) {
        const b = bm[i * f + feature[k]!]!;
        k = (b === 0 ? defaultLeft[k] === 1 : b <= binThreshold[k]!) ? left[k]! : right[k]!;
      }
      return value[k]!;
    };
    for (let i = 0; i < n; i++) raw[i] = raw[i]! + walk(bins, i);
    log.rounds = round + 1;
    log.trainLogLoss.push(logLoss(raw, y));
    if (valid && vraw && vbins) {
      for (let i = 0; i < valid.m.n; i++) vraw[i] = vraw[i]! + walk(vbins, i);
      const vl = logLoss(vraw, valid.y);
      log.validLogLoss.push(vl);
      if (vl < best - 1e-12) {
        best = vl;
        log.bestRound = round + 1;
      } else if (p.earlyStoppingRounds > 0 && round + 1 - log.bestRound >= p.earlyStoppingRounds) break;
    } else log.bestRound = round + 1;
  }

  // Keep the trees up to the best round: nodes are appended tree by tree, so a prefix.
  const keepTrees = log.bestRound;
  const keepNodes = keepTrees < roots.length ? roots[keepTrees]! : feature.length;
  const gain = new Float64Array(f);
  for (let t = 0; t < keepTrees; t++) for (let j = 0; j < f; j++) gain[j] = gain[j]! + treeGain[t]![j]!;
  const booster: Booster = {
    numFeatures: f,
    baseScore,
    treeRoots: Int32Array.from(roots.slice(0, keepTrees)),
    feature: Int32Array.from(feature.slice(0, keepNodes)),
    threshold: Float64Array.from(threshold.slice(0, keepNodes)),
    binThreshold: Int32Array.from(binThreshold.slice(0, keepNodes)),
    defaultLeft: Uint8Array.from(defaultLeft.slice(0, keepNodes)),
    left: Int32Array.from(left.slice(0, keepNodes)),
    right: Int32Array.from(right.slice(0, keepNodes)),
    value: Float64Array.from(value.slice(0, keepNodes)),
    binEdges: edges,
    gain,
  };
  return { booster, log };
}

/** Raw scores (log-odds) of every row of m. */
export function predictRaw(b: Booster, m: Matrix, out = new Float64Array(m.n)): Float64Array {
  if (m.f !== b.numFeatures) throw new Error(`model expects ${b.numFeatures} features, got ${m.f}`);
  const { feature, threshold, defaultLeft, left, right, value, treeRoots } = b;
  const f = m.f;
  const x = m.x;
  const T = treeRoots.length;
  for (let i = 0; i < m.n; i++) {
    const base = i * f;
    let s = b.baseScore;
    for (let t = 0; t < T; t++) {
      let k = treeRoots[t]!;
      let j = feature[k]!;
      while (j >= 0) {
        const v = x[base + j]!;
        k = (v !== v ? defaultLeft[k] === 1 : v <= threshold[k]!) ? left[k]! : right[k]!;
        j = feature[k]!;
      }
      s += value[k]!;
    }
    out[i] = s;
  }
  return out;
}

/**
 * Saabas path attribution: walking each tree from root to leaf, the change of node value at every
 * split is credited to the split's feature. Per row, bias + Σ contributions = raw score exactly (the
 * sum telescopes to the leaf values). Chosen over TreeSHAP because it costs one walk per tree
 * (TreeSHAP is O(leaves · depth²) per tree and row) and the reasons shown to an officer only need the
 * features that pushed this declaration's score most; it is not "consistent" in Shapley's sense
 * (credit tends to go to splits near the leaves).
 * Returns, per row, f contributions followed by the bias (the same for every row).
 */
export function contributions(b: Booster, m: Matrix): Float64Array {
  const f = m.f;
  const out = new Float64Array(m.n * (f + 1));
  let bias = b.baseScore;
  for (let t = 0; t < b.treeRoots.length; t++) bias += b.value[b.treeRoots[t]!]!;
  for (let i = 0; i < m.n; i++) {
    const base = i * f;
    const o = i * (f + 1);
    for (let t = 0; t < b.treeRoots.length; t++) {
      let k = b.treeRoots[t]!;
      while (b.feature[k]! >= 0) {
        const j = b.feature[k]!;
        const v = m.x[base + j]!;
        const next = (v !== v ? b.defaultLeft[k] === 1 : v <= b.threshold[k]!) ? b.left[k]! : b.right[k]!;
        out[o + j] = out[o + j]! + b.value[next]! - b.value[k]!;
        k = next;
      }
    }
    out[o + f] = bias;
  }
  return out;
}

export interface BoosterJson {
  numFeatures: number;
  baseScore: number;
  treeRoots: number[];
  feature: number[];
  threshold: number[];
  binThreshold: number[];
  defaultLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  binEdges: number[][];
  gain: number[];
}

export const boosterToJson = (b: Booster): BoosterJson => ({
  numFeatures: b.numFeatures,
  baseScore: b.baseScore,
  treeRoots: Array.from(b.treeRoots),
  feature: Array.from(b.feature),
  threshold: Array.from(b.threshold),
  binThreshold: Array.from(b.binThreshold),
  defaultLeft: Array.from(b.defaultLeft),
  left: Array.from(b.left),
  right: Array.from(b.right),
  value: Array.from(b.value),
  binEdges: b.binEdges.map((e) => Array.from(e)),
  gain: Array.from(b.gain),
});

export function boosterFromJson(j: BoosterJson): Booster {
  const n = j.feature.length;
  for (const k of ['threshold', 'binThreshold', 'defaultLeft', 'left', 'right', 'value'] as const)
    if (!Array.isArray(j[k]) || j[k].length !== n) throw new Error(`model: trees.${k} has the wrong length`);
  for (let k = 0; k < n; k++) {
    if (j.feature[k]! >= j.numFeatures) throw new Error('model: a split names a feature the model does not have');
    if (j.feature[k]! >= 0 && (j.left[k]! <= k || j.right[k]! <= k || j.left[k]! >= n || j.right[k]! >= n)) throw new Error('model: a split points outside the trees');
  }
  return {
    numFeatures: j.numFeatures,
    baseScore: j.baseScore,
    treeRoots: Int32Array.from(j.treeRoots),
    feature: Int32Array.from(j.feature),
    threshold: Float64Array.from(j.threshold),
    binThreshold: Int32Array.from(j.binThreshold),
    defaultLeft: Uint8Array.from(j.defaultLeft),
    left: Int32Array.from(j.left),
    right: Int32Array.from(j.right),
    value: Float64Array.from(j.value),
    binEdges: j.binEdges.map((e) => Float64Array.from(e)),
    gain: Float64Array.from(j.gain),
  };
}
