// The trees compiled to WebAssembly: every split becomes `if (bin <= threshold) … else …` with the
// feature offset and the threshold as constants in the code, every leaf `s += value`. No node table
// is read while walking (the array walk did three dependent loads per step), and compiling takes
// milliseconds (the same trees generated as JavaScript ran ~3× faster than the array walk once
// optimised, but V8 spent ~1 CPU second optimising them per thread: a loss on 200,000 rows).
//
// Bit-identical to the reference (gbdt.ts `predictRaw`, `contributions`): per row, s starts at the
// base score and adds the leaves in tree order (IEEE f64 adds, the same in WebAssembly); the
// explaining functions add `contribution + value[child] − value[node]` at each split of the path,
// in path order, as `contributions` does. A split "value ≤ threshold" is "bin ≤ binThreshold"
// (fast-score.ts), a missing value is bin 0 and goes left only when the split's default is left.
//
// Functions: one per group of trees (`s0`, `s1`, … score; `e0`, `e1`, … score and explain), each
// looping over n rows: bins at x (f bytes per row), running sums at out (f64 per row, read then
// written), contributions at c ((f + 1) f64 per row; zeroed by the caller; the bias is written by
// the caller). Calling the groups in order over a block of rows keeps a group's code in cache.
// `runForest` is self-contained (no outer names): the scoring workers of `cordon risk score` run its
// source (apps/cli/src/commands/risk-score-kernel.ts).
import type { Booster } from './gbdt.js';

/** The parts of the WebAssembly global used here (the project's TypeScript libs declare no WebAssembly value). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
}
/** A compiled module (can be posted to worker threads). */
export type WasmModule = { readonly __wasmModule?: never };

/** Compiles module bytes. */
export const compileWasm = (bytes: Uint8Array): WasmModule => new (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly.Module(bytes);

/** Trees per generated function (a smaller group's code stays in the instruction cache). */
export const TREES_PER_FUNCTION = 8;

/**
 * A growing byte buffer. The module used to be built in number[] arrays (pushed, copied into
 * sections, then Uint8Array.from): ~100 ms of CPU for model A's 0.9 MB, on the critical path of every
 * `cordon risk score` (its workers wait for the module). Same bytes.
 */
class ByteSink {
  buf = new Uint8Array(1 << 12);
  view = new DataView(this.buf.buffer);
  length = 0;
  /** An f64.const instruction (one call: this runs cold, once per process, on ~40,000 constants). */
  f64(v: number): void {
    if (this.length + 9 > this.buf.length) this.grow(9);
    this.buf[this.length] = 0x44;
    this.view.setFloat64(this.length + 1, v, true);
    this.length += 9;
  }
  push(x: number): void {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = x;
  }
  append(b: ArrayLike<number>): void {
    if (this.length + b.length > this.buf.length) this.grow(b.length);
    if (b instanceof Uint8Array) this.buf.set(b, this.length);
    else for (let i = 0; i < b.length; i++) this.buf[this.length + i] = b[i]!;
    this.length += b.length;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
  private grow(k: number): void {
    const next = new Uint8Array(Math.max(2 * this.buf.length, this.length + k));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}
type Out = { push(x: number): void };

const uleb = (out: Out, v: number) => {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
};
const sleb = (out: Out, v: number) => {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
};
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f64Const = (out: Out, v: number) => {
  out.push(0x44);
  f64[0] = v;
  for (let i = 0; i < 8; i++) out.push(f64Bytes[i]!);
};
const bytes = (out: Out, b: number[]) => {
  for (let i = 0; i < b.length; i++) out.push(b[i]!);
};
const vec = (out: Out & { append?: (b: ArrayLike<number>) => void }, items: ArrayLike<number>[]) => {
  uleb(out, items.length);
  for (const it of items) {
    if (out.append) out.append(it);
    else for (let i = 0; i < it.length; i++) out.push(it[i]!);
  }
};
const section = (out: ByteSink, id: number, body: ArrayLike<number>) => {
  out.push(id);
  uleb(out, body.length);
  out.append(body);
};
const name = (s: string) => {
  const b = Array.from(s, (ch) => ch.charCodeAt(0)); // ASCII names
  const out: number[] = [];
  uleb(out, b.length);
  bytes(out, b);
  return out;
};

// Opcodes used.
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
const GET = 0x20, SET = 0x21, LOAD8U = 0x2d, F64LOAD = 0x2b, F64STORE = 0x39, I32CONST = 0x41;
const EQZ = 0x45, LTU = 0x49, LEU = 0x4d, ADD = 0x6a, SUB = 0x6b, FADD = 0xa0, FSUB = 0xa1;
// Parameters: x, n, f, out (, c); local s (f64).
const X = 0, N = 1, F = 2, OUT = 3, C = 4;

/** The WebAssembly module of a booster's trees (see the file's comment for its functions). */
export function forestModuleBytes(b: Booster, perFunction = TREES_PER_FUNCTION): Uint8Array {
  const groups = Math.max(1, Math.ceil(b.treeRoots.length / perFunction));
  const f = b.numFeatures;
  // Byte templates appended whole (this code runs cold, once per process: fewer calls per byte).
  const loadX = Uint8Array.of(GET, X, LOAD8U, 0);
  const notMissing = Uint8Array.of(I32CONST, 1, SUB, I32CONST);
  const ifVoid = Uint8Array.of(IF, VOID);
  const readC = Uint8Array.of(GET, C, GET, C, F64LOAD, 3);
  const tree = (code: ByteSink, k: number, explain: boolean, s: number) => {
    const j = b.feature[k]!;
    if (j < 0) {
      code.push(GET);
      code.push(s);
      code.f64(b.value[k]!);
      code.push(FADD);
      code.push(SET);
      code.push(s);
      return;
    }
    code.append(loadX);
    uleb(code, j);
    if (b.defaultLeft[k] === 1) {
      code.push(I32CONST);
      sleb(code, b.binThreshold[k]!);
      code.push(LEU); // bin ≤ threshold (missing = 0 goes left)
    } else {
      code.append(notMissing);
      sleb(code, b.binThreshold[k]!);
      code.push(LTU); // 1 ≤ bin ≤ threshold (missing: 0 − 1 wraps above any threshold)
    }
    code.append(ifVoid);
    const branch = (child: number) => {
      if (explain) {
        // c[j] = c[j] + value[child] − value[node]
        code.append(readC);
        uleb(code, 8 * j);
        code.f64(b.value[child]!);
        code.push(FADD);
        code.f64(b.value[k]!);
        code.push(FSUB);
        code.push(F64STORE);
        code.push(3);
        uleb(code, 8 * j);
      }
      tree(code, child, explain, s);
    };
    branch(b.left[k]!);
    code.push(ELSE);
    branch(b.right[k]!);
    code.push(END);
  };
  const body = (g: number, explain: boolean) => {
    const s = explain ? 5 : 4;
    const code = new ByteSink();
    vec(code, [[1, 0x7c]]); // one f64 local
    bytes(code, [BLOCK, VOID, LOOP, VOID, GET, N, EQZ, BR_IF, 1]);
    bytes(code, [GET, OUT, F64LOAD, 3, 0, SET, s]);
    for (let t = g * perFunction; t < Math.min(b.treeRoots.length, (g + 1) * perFunction); t++) tree(code, b.treeRoots[t]!, explain, s);
    bytes(code, [GET, OUT, GET, s, F64STORE, 3, 0]);
    bytes(code, [GET, X, GET, F, ADD, SET, X]);
    bytes(code, [GET, OUT, I32CONST, 8, ADD, SET, OUT]);
    if (explain) {
      bytes(code, [GET, C, I32CONST]);
      sleb(code, 8 * (f + 1));
      bytes(code, [ADD, SET, C]);
    }
    bytes(code, [GET, N, I32CONST, 1, SUB, SET, N, BR, 0, END, END, END]);
    const out = new ByteSink();
    uleb(out, code.length);
    out.append(code.bytes());
    return out.bytes();
  };
  const mod = new ByteSink();
  mod.append([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const i32 = 0x7f;
  const types: number[] = [];
  vec(types, [
    [0x60, 4, i32, i32, i32, i32, 0],
    [0x60, 5, i32, i32, i32, i32, i32, 0],
  ]);
  section(mod, 1, types);
  const imports: number[] = [];
  vec(imports, [[...name('m'), ...name('memory'), 0x02, 0x00, 0x01]]); // memory, min 1 page
  section(mod, 2, imports);
  const funcs: number[] = [];
  vec(funcs, [...Array.from({ length: groups }, () => [0]), ...Array.from({ length: groups }, () => [1])]);
  section(mod, 3, funcs);
  const exports: number[] = [];
  const ex = (nm: string, idx: number) => {
    const e = [...name(nm), 0x00];
    uleb(e, idx);
    return e;
  };
  vec(exports, [...Array.from({ length: groups }, (_, g) => ex(`s${g}`, g)), ...Array.from({ length: groups }, (_, g) => ex(`e${g}`, groups + g))]);
  section(mod, 7, exports);
  const code = new ByteSink();
  vec(code, [...Array.from({ length: groups }, (_, g) => body(g, false)), ...Array.from({ length: groups }, (_, g) => body(g, true))]);
  section(mod, 10, code.bytes());
  return mod.bytes().slice();
}

// More opcodes (the fold module).
const TEE = 0x22, SELECT = 0x1b, EQ = 0x46, LT_S = 0x48, GE_S = 0x4e, MUL = 0x6c, OR = 0x72;
const FGT = 0x64, FGE = 0x66, FMUL = 0xa2, F64_FROM_I32 = 0xb7, I32T = 0x7f, F64T = 0x7c;

/**
 * A small module over the forest's memory that exports `r(c, n, top, k)`: for each of n rows of
 * contributions at c ((f + 1) f64 per row, as the explaining functions leave them), the sums per
 * column (feature j adds to column colA[j], or half to each of colA[j] and colB[j] for a derived
 * feature: `foldColumns`'s additions in the same order, so the same numbers bit for bit), then the
 * k largest columns of at least 0.01, largest first, the lower column first among equals (as the
 * CLI's reasons and `topReasons`), written at top as (column, sum) f64 pairs, 2k per row; a column
 * of −1 ends a row's list early. The sums live in locals (no memory traffic per addition), so the
 * caller only writes the text. k must be ≤ ncol.
 */
export function foldModuleBytes(f: number, colA: Int32Array, colB: Int32Array, ncol: number): Uint8Array {
  const CP = 0, NP = 1, TOP = 2, K = 3; // parameters
  const col = (j: number) => 4 + j; // f64 locals: the column sums, then S, BV; i32 locals BEST, R, ADDR
  const S = 4 + ncol, BV = 5 + ncol, BEST = 6 + ncol, R = 7 + ncol, ADDR = 8 + ncol;
  const code = new ByteSink();
  const local = (op: number, i: number) => {
    code.push(op);
    uleb(code, i);
  };
  vec(code, [[ncol + 2, F64T], [3, I32T]]);
  bytes(code, [BLOCK, VOID, LOOP, VOID, GET, NP, EQZ, BR_IF, 1]);
  for (let j = 0; j < ncol; j++) {
    f64Const(code, 0);
    local(SET, col(j));
  }
  for (let j = 0; j < f; j++) {
    const a = colA[j]!;
    const b = colB[j]!;
    bytes(code, [GET, CP, F64LOAD, 3]);
    uleb(code, 8 * j);
    if (b >= 0) {
      f64Const(code, 0.5); // x / 2 and x · 0.5 are the same correctly rounded number
      code.push(FMUL);
      local(SET, S);
      for (const t of [a, b]) {
        local(GET, col(t));
        local(GET, S);
        code.push(FADD);
        local(SET, col(t));
      }
    } else {
      local(SET, S);
      local(GET, col(a));
      local(GET, S);
      code.push(FADD);
      local(SET, col(a));
    }
  }
  // k passes: the largest column ≥ 0.01 (the first of equals), written, then set to −∞.
  bytes(code, [I32CONST, 0]);
  local(SET, R);
  bytes(code, [BLOCK, VOID, LOOP, VOID]);
  local(GET, R);
  local(GET, K);
  bytes(code, [GE_S, BR_IF, 1, I32CONST, 0x7f]);
  local(SET, BEST);
  for (let j = 0; j < ncol; j++) {
    local(GET, col(j));
    f64Const(code, 0.01);
    bytes(code, [FGE, IF, VOID]);
    local(GET, BEST);
    bytes(code, [I32CONST, 0, LT_S]);
    local(GET, col(j));
    local(GET, BV);
    bytes(code, [FGT, OR, IF, VOID, I32CONST]);
    sleb(code, j);
    local(SET, BEST);
    local(GET, col(j));
    local(SET, BV);
    bytes(code, [END, END]);
  }
  local(GET, TOP);
  local(GET, R);
  bytes(code, [I32CONST, 16, MUL, ADD]);
  local(TEE, ADDR);
  local(GET, BEST);
  bytes(code, [F64_FROM_I32, F64STORE, 3, 0]);
  local(GET, BEST);
  bytes(code, [I32CONST, 0, LT_S, BR_IF, 1]);
  local(GET, ADDR);
  local(GET, BV);
  bytes(code, [F64STORE, 3, 8]);
  for (let j = 0; j < ncol; j++) {
    f64Const(code, -Infinity);
    local(GET, col(j));
    local(GET, BEST);
    code.push(I32CONST);
    sleb(code, j);
    bytes(code, [EQ, SELECT]);
    local(SET, col(j));
  }
  local(GET, R);
  bytes(code, [I32CONST, 1, ADD]);
  local(SET, R);
  bytes(code, [BR, 0, END, END]);
  // Next row.
  bytes(code, [GET, CP, I32CONST]);
  sleb(code, 8 * (f + 1));
  bytes(code, [ADD, SET, CP, GET, TOP, GET, K, I32CONST, 16, MUL, ADD, SET, TOP]);
  bytes(code, [GET, NP, I32CONST, 1, SUB, SET, NP, BR, 0, END, END, END]);
  const mod = new ByteSink();
  mod.append([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const types: number[] = [];
  vec(types, [[0x60, 4, I32T, I32T, I32T, I32T, 0]]);
  section(mod, 1, types);
  const imports: number[] = [];
  vec(imports, [[...name('m'), ...name('memory'), 0x02, 0x00, 0x01]]);
  section(mod, 2, imports);
  section(mod, 3, [1, 0]);
  const exports: number[] = [];
  vec(exports, [[...name('r'), 0x00, 0]]);
  section(mod, 7, exports);
  const body = new ByteSink();
  uleb(body, code.length);
  body.append(code.bytes());
  const sec = new ByteSink();
  vec(sec, [body.bytes()]);
  section(mod, 10, sec.bytes());
  return mod.bytes().slice();
}

/**
 * Instantiates a forest module and returns `run(bins, from, to, out, contrib)`: raw scores of rows
 * [from, to) of `bins` (f bytes per row) into out[from..to), starting from the base score; with
 * `contrib` ((f + 1) per row, row `from` at offset 0), also the Saabas contributions and the bias.
 * With `fold` (a `foldModuleBytes` module and its column count), also `run.top(bins, from, to, out,
 * k, top)`: the raw scores and, per row, the k largest column contributions as `r` writes them
 * (2k f64 per row, row `from` at offset 0; k ≤ ncol), without copying the contributions out.
 * Self-contained (the worker pool runs its source text).
 */
export function runForest(module: WasmModule, f: number, groups: number, baseScore: number, bias: number, fold?: { module: WasmModule; ncol: number }) {
  const W = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const ROWS = 512; // rows per call of each group: their bins, sums and contributions stay in cache
  const xBytes = ((ROWS * f + 7) >> 3) << 3;
  const outAt = xBytes;
  const cAt = outAt + ROWS * 8;
  const topAt = cAt + ROWS * (f + 1) * 8;
  const need = topAt + (fold ? ROWS * 16 * fold.ncol : 0);
  const memory = new W.Memory({ initial: Math.ceil(need / 65536) });
  const inst = new W.Instance(module, { m: { memory } });
  const ex = inst.exports as Record<string, (x: number, n: number, f: number, out: number, c?: number) => void>;
  const score = Array.from({ length: groups }, (_, g) => ex[`s${g}`]!);
  const explain = Array.from({ length: groups }, (_, g) => ex[`e${g}`]!);
  const x = new Uint8Array(memory.buffer, 0, ROWS * f);
  const out = new Float64Array(memory.buffer, outAt, ROWS);
  const c = new Float64Array(memory.buffer, cAt, ROWS * (f + 1));
  const run = (bins: Uint8Array, from: number, to: number, raw: Float64Array, contrib: Float64Array | null) => {
    for (let start = from; start < to; start += ROWS) {
      const n = Math.min(ROWS, to - start);
      x.set(bins.subarray(start * f, (start + n) * f));
      out.fill(baseScore, 0, n);
      if (contrib) {
        c.fill(0, 0, n * (f + 1));
        for (let g = 0; g < groups; g++) explain[g]!(0, n, f, outAt, cAt);
        for (let i = 0; i < n; i++) c[i * (f + 1) + f] = bias;
        contrib.set(c.subarray(0, n * (f + 1)), (start - from) * (f + 1));
      } else for (let g = 0; g < groups; g++) score[g]!(0, n, f, outAt);
      raw.set(out.subarray(0, n), start);
    }
  };
  const r = fold ? (new W.Instance(fold.module, { m: { memory } }).exports as Record<string, (c: number, n: number, top: number, k: number) => void>).r! : undefined;
  const tops = new Float64Array(memory.buffer, topAt, fold ? ROWS * 2 * fold.ncol : 0);
  const top = (bins: Uint8Array, from: number, to: number, raw: Float64Array, k: number, into: Float64Array) => {
    for (let start = from; start < to; start += ROWS) {
      const n = Math.min(ROWS, to - start);
      x.set(bins.subarray(start * f, (start + n) * f));
      out.fill(baseScore, 0, n);
      c.fill(0, 0, n * (f + 1));
      for (let g = 0; g < groups; g++) explain[g]!(0, n, f, outAt, cAt);
      r!(cAt, n, topAt, k);
      into.set(tops.subarray(0, n * 2 * k), (start - from) * 2 * k);
      raw.set(out.subarray(0, n), start);
    }
  };
  return Object.assign(run, { top });
}
