// The fast path of `cordon risk score` (risk-score.ts): a slice of the file's bytes → bins →
// trees and explanations → reasons, without building a string or an object per cell. It gives the
// same file, byte for byte, as the reading path it stands in for (`scoreSlice` / `formatSlice`:
// the case import's CSV reader, `readDeclarations`, `binRows`, `explainBinned`); a test compares
// them on awkward files, the bench on customs-kcs.
//
// How: each line is cut at commas in the bytes; a categorical cell is looked up by its bytes in a
// hash table of the model's categories (UTF-8; ids and packed bins as fast-score.ts `categoryBins`);
// numbers are read from the bytes (Clinger's exact fast path, `Number()` beyond it); dates and
// offices are interned by their bytes, parsed once each. A cell holding a non-ASCII byte is
// decoded and trimmed as a string first (JavaScript's trim knows Unicode spaces). Strings are made
// only for what is printed: ids and the values named in the reasons (per row, the top ones).
//
// The kernel refuses what it does not read the same way, and the caller then reads the slice the old
// way (which reports every problem with its line): a row whose cell count differs from the header, an
// empty id, a date, number, label or revenue that does not parse, a `"` (quoted files are never
// cut into slices, risk-score.ts reads them the old way) or a lone CR. So it never has to produce an
// error message itself, and the old path stays the reference for everything unusual.
//
// `riskCsvKernel` is self-contained (no imported or module-level names): worker threads run its
// source text (`KERNEL_WORKER_SOURCE`), so they need no TypeScript loader and start in ~30 ms instead
// of ~0.5 CPU s with tsx, and run exactly the code the calling thread runs for small files.
import { applyRules, CHANNEL_RANK, compileRules, compileWasm, dateParser, foldModuleBytes, runForest, type CompiledScorer, type RiskMapping, type RiskModel, type SelectivityRule, type WasmModule } from '@cordon/engine';
import { contributionColumns } from '@cordon/engine';

/** A byte-keyed hash table (open addressing, FNV-1a): key k is bytes[start[k] .. start[k + 1]). */
export interface ByteTable {
  mask: number;
  /** id + 1 per slot, 0 = empty. */
  slots: Int32Array;
  bytes: Uint8Array;
  start: Int32Array;
  count: number;
}

/** Everything the kernel needs, structured-cloneable (posted to the workers once). */
export interface KernelInit {
  width: number;
  idCol: number;
  dateCol: number;
  labelCol: number;
  revenueCol: number;
  officeCol: number;
  catCols: Int32Array;
  numCols: Int32Array;
  dateFormat: string;
  /** Per categorical column: its categories by bytes, their packed bins, an unseen value's bins, the values by id. */
  cats: { table: ByteTable; packed: Int32Array; unseen: number; keys: string[] }[];
  pairs: { a: number; b: number; stride: number; dense: Int32Array | null; byIds: Map<number, number> | null; unseen: number }[];
  ratios: Int32Array;
  numEdges: Float64Array[];
  module: WasmModule;
  /** The column sums and top reasons of a row's contributions (wasm-forest.ts `foldModuleBytes`). */
  fold: WasmModule;
  f: number;
  groups: number;
  baseScore: number;
  bias: number;
  colA: Int32Array;
  colB: Int32Array;
  columns: string[];
  reasons: number;
  per: 'file' | 'office-day';
  rules: SelectivityRule[];
  mapping: RiskMapping;
}

/** Phase 1's answer for a slice: raw scores, forced channels (0 none, 1 red, 2 yellow, 3 green), office-day keys; or `fallback`. */
export interface KernelScored {
  raw: Float64Array;
  forced: Uint8Array;
  keyIds?: Int32Array;
  keyNames?: string[];
  fallback?: boolean;
  /**
   * When no rule hit a row of the slice: its output lines written already as if every row were green
   * by default (line i is lines[lineAt[i], lineAt[i + 1]), its channel starts at chanAt[i]), so the
   * main thread only rewrites the rows allocation puts elsewhere and phase 2 is not needed.
   */
  lines?: Uint8Array;
  lineAt?: Int32Array;
  chanAt?: Int32Array;
}

/** FNV-1a of bytes[s, e) (same function in the kernel). */
function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}

/** The model's categories of one column as a byte table (ids as in `binRows`). */
function byteTable(keys: string[]): ByteTable {
  const enc = new TextEncoder();
  const encoded = keys.map((k) => enc.encode(k));
  const total = encoded.reduce((s, b) => s + b.length, 0);
  const bytes = new Uint8Array(total);
  const start = new Int32Array(keys.length + 1);
  let at = 0;
  encoded.forEach((b, k) => {
    start[k] = at;
    bytes.set(b, at);
    at += b.length;
  });
  start[keys.length] = at;
  let size = 16;
  while (size < 2 * keys.length) size *= 2;
  const slots = new Int32Array(size);
  const mask = size - 1;
  for (let k = 0; k < keys.length; k++) {
    let h = hashBytes(bytes, start[k]!, start[k + 1]!) & mask;
    while (slots[h] !== 0) h = (h + 1) & mask;
    slots[h] = k + 1;
  }
  return { mask, slots, bytes, start, count: keys.length };
}

/**
 * The kernel's tables for a model, mapping and header, or undefined when the kernel cannot stand in
 * for the old path (a pair table keyed by strings, a category that is not well-formed UTF-16).
 */
export function kernelInit(
  model: RiskModel,
  scorer: CompiledScorer,
  mapping: RiskMapping,
  header: string[],
  o: { reasons: number; per: 'file' | 'office-day'; rules: SelectivityRule[] },
): KernelInit | undefined {
  const { tables, forest } = scorer;
  if (tables.pairs.some((p) => p.byKey)) return undefined;
  const wellFormed = (s: string) => !/[\uD800-\uDFFF]/.test(s) || (s as unknown as { isWellFormed?: () => boolean }).isWellFormed?.() === true;
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const at = (name: string | null) => (name === null ? -1 : (index.get(name) ?? -1));
  const cats: KernelInit['cats'] = [];
  for (const c of tables.columns) {
    const keys = [...c.ids.keys()];
    if (!keys.every(wellFormed)) return undefined;
    cats.push({ table: byteTable(keys), packed: c.packed, unseen: c.unseen, keys });
  }
  const { columns, colA, colB } = contributionColumns(model);
  return {
    width: header.length,
    idCol: at(mapping.id),
    dateCol: at(mapping.date),
    labelCol: at(mapping.label),
    revenueCol: at(mapping.revenue),
    officeCol: at(mapping.office),
    catCols: Int32Array.from(mapping.categorical, (c) => at(c)),
    numCols: Int32Array.from(mapping.numeric, (c) => at(c)),
    dateFormat: mapping.dateFormat,
    cats,
    pairs: tables.pairs.map((p) => ({ a: p.a, b: p.b, stride: p.stride, dense: p.dense ?? null, byIds: p.dense ? null : p.byIds, unseen: p.unseen })),
    ratios: Int32Array.from(model.encoder.ratios.flat()),
    numEdges: tables.numEdges,
    module: forest.module,
    fold: compileWasm(foldModuleBytes(forest.numFeatures, colA, colB, columns.length)),
    f: forest.numFeatures,
    groups: forest.groups,
    baseScore: forest.baseScore,
    bias: forest.bias,
    colA,
    colB,
    columns,
    reasons: o.reasons,
    per: o.per,
    rules: o.rules,
    mapping,
  };
}

/** What the kernel takes from the engine (passed in, so that its source text stays self-contained). */
export interface KernelDeps {
  runForest: typeof runForest;
  dateParser: typeof dateParser;
  compileRules: typeof compileRules;
  applyRules: typeof applyRules;
}

/**
 * The kernel: `score(k, bytes, start, end, skipHeader)` (phase 1 of slice k) and `format(k, codes)`
 * (phase 2: its output lines as UTF-8). Self-contained: see the file's comment.
 */
export function riskCsvKernel(T: KernelInit, deps: KernelDeps) {
  const { width, idCol, dateCol, labelCol, revenueCol, officeCol, catCols, numCols, f, reasons } = T;
  const nc = catCols.length;
  const nnum = numCols.length;
  const np = T.pairs.length;
  const nt = nc + np;
  const nratio = T.ratios.length / 2;
  const ncol = T.columns.length;
  const run = deps.runForest(T.module, f, T.groups, T.baseScore, T.bias, { module: T.fold, ncol });
  const rules = T.rules.length ? deps.compileRules(T.rules, T.mapping) : [];
  const ruleCats = new Set<number>();
  for (const r of T.rules) for (const c of r.when) if (T.mapping.categorical.indexOf(c.column) >= 0) ruleCats.add(T.mapping.categorical.indexOf(c.column));
  const parseDate = deps.dateParser(T.dateFormat);
  const FORCED: Record<string, number> = { green: 3, yellow: 2, red: 1 };
  const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let scratch = new Uint8Array(256);

  // (An int32, not `>>> 0`: a value above 2^31 would be a heap number per call.)
  const hash = (b: Uint8Array, s: number, e: number) => {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    return h;
  };
  const find = (t: ByteTable, b: Uint8Array, s: number, e: number) => {
    const len = e - s;
    const tb = t.bytes;
    const ts = t.start;
    for (let h = hash(b, s, e) & t.mask; ; h = (h + 1) & t.mask) {
      const id = t.slots[h]! - 1;
      if (id < 0) return -1;
      const ks = ts[id]!;
      if (ts[id + 1]! - ks !== len) continue;
      let i = 0;
      while (i < len && tb[ks + i] === b[s + i]) i++;
      if (i === len) return id;
    }
  };
  /** A growing byte table (dates, offices) with a value per key. */
  // Sized for a few thousand keys: growing a table replaces its arrays, which makes V8 drop the code that read them.
  const interner = () => ({ table: { mask: 8191, slots: new Int32Array(8192), bytes: new Uint8Array(1 << 16), start: new Int32Array(4097), count: 0 } as ByteTable });
  const intern = (t: ByteTable, b: Uint8Array, s: number, e: number) => {
    const id = find(t, b, s, e);
    if (id >= 0) return id;
    const k = t.count;
    const len = e - s;
    const at = t.start[k]!;
    if (at + len > t.bytes.length) {
      const grown = new Uint8Array(2 * (at + len));
      grown.set(t.bytes);
      t.bytes = grown;
    }
    t.bytes.set(b.subarray(s, e), at);
    if (k + 2 > t.start.length) {
      const grown = new Int32Array(2 * t.start.length);
      grown.set(t.start);
      t.start = grown;
    }
    t.start[k + 1] = at + len;
    t.count = k + 1;
    if (2 * t.count > t.slots.length) {
      const size = 2 * t.slots.length;
      t.slots = new Int32Array(size);
      t.mask = size - 1;
      for (let q = 0; q < t.count; q++) {
        let h = hash(t.bytes, t.start[q]!, t.start[q + 1]!) & t.mask;
        while (t.slots[h] !== 0) h = (h + 1) & t.mask;
        t.slots[h] = q + 1;
      }
    } else {
      let h = hash(b, s, e) & t.mask;
      while (t.slots[h] !== 0) h = (h + 1) & t.mask;
      t.slots[h] = k + 1;
    }
    return k;
  };
  const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
  /** A string's UTF-8 bytes in `scratch` (its length returned). */
  const toScratch = (s: string) => {
    if (scratch.length < 3 * s.length) scratch = new Uint8Array(3 * s.length + 64);
    return enc.encodeInto(s, scratch).written!;
  };
  // Numbers are handed back in NUM[0] with a status (1 = read, 0 = not a number): returning a double
  // from a call that is not inlined would allocate a heap number per cell.
  const NUM = new Float64Array(1);
  /** A plain decimal from bytes[s, e) (trimmed, ASCII) into NUM[0]: NaN when empty; 0 when not a number. As Number(text). */
  const numberAt = (b: Uint8Array, s: number, e: number): number => {
    while (s < e && isSpace(b[s]!)) s++;
    while (e > s && isSpace(b[e - 1]!)) e--;
    if (s === e) {
      NUM[0] = NaN;
      return 1;
    }
    let i = s;
    let neg = false;
    if (b[i] === 43 || b[i] === 45) {
      neg = b[i] === 45;
      i++;
    }
    let m = 0;
    let digits = 0; // significant digits taken into m
    let intDigits = 0;
    let fracDigits = 0;
    let exact = true;
    while (i < e && b[i]! >= 48 && b[i]! <= 57) {
      if (m !== 0 || b[i] !== 48) digits++;
      m = m * 10 + (b[i]! - 48);
      intDigits++;
      i++;
    }
    if (i < e && b[i] === 46) {
      i++;
      while (i < e && b[i]! >= 48 && b[i]! <= 57) {
        if (m !== 0 || b[i] !== 48) digits++;
        m = m * 10 + (b[i]! - 48);
        fracDigits++;
        i++;
      }
    }
    if (intDigits + fracDigits === 0) return 0;
    let exp = 0;
    if (i < e && (b[i] === 101 || b[i] === 69)) {
      i++;
      let eneg = false;
      if (i < e && (b[i] === 43 || b[i] === 45)) {
        eneg = b[i] === 45;
        i++;
      }
      if (i >= e || b[i]! < 48 || b[i]! > 57) return 0;
      while (i < e && b[i]! >= 48 && b[i]! <= 57) {
        exp = exp * 10 + (b[i]! - 48);
        if (exp > 1e6) exact = false;
        i++;
      }
      if (eneg) exp = -exp;
    }
    if (i !== e) return 0;
    const e10 = exp - fracDigits;
    if (exact && digits <= 15 && e10 >= -22 && e10 <= 22) {
      // m < 10^15 < 2^53 and 10^|e10| are exact doubles: one correctly rounded operation, as Number() gives.
      const v = e10 < 0 ? m / POW10[-e10]! : m * POW10[e10]!;
      NUM[0] = neg ? -v : v;
      return 1;
    }
    let text = '';
    for (let q = s; q < e; q++) text += String.fromCharCode(b[q]!);
    NUM[0] = Number(text);
    return 1;
  };
  /** As mapping.ts parseNumberCell, on a string, into NUM[0]. */
  const numberOf = (text: string): number => {
    const t = text.trim();
    if (t === '') {
      NUM[0] = NaN;
      return 1;
    }
    if (!NUMBER.test(t)) return 0;
    NUM[0] = Number(t);
    return 1;
  };

  // A growing byte buffer: the reasons of a slice (phase 1), its output lines (phase 2). Strings
  // are made only for numbers (toFixed, toPrecision); the rest is copied as bytes.
  let ob = new Uint8Array(1 << 22); // a slice's lines fit (growing it makes V8 drop optimised code)
  let ol = 0;
  const room = (k: number) => {
    if (ol + k > ob.length) {
      const grown = new Uint8Array(Math.max(2 * ob.length, ol + k));
      grown.set(ob.subarray(0, ol));
      ob = grown;
    }
  };
  const putBytes = (b: Uint8Array, s: number, e: number) => {
    room(e - s);
    for (let q = s; q < e; q++) ob[ol++] = b[q]!;
  };
  /** An ASCII string (numbers). */
  const putAscii = (t: string) => {
    room(t.length);
    for (let q = 0; q < t.length; q++) ob[ol++] = t.charCodeAt(q);
  };
  /** A non-negative integer below 2^31 in decimal (int32 arithmetic: `%` on a double is a call to fmod). */
  const putInt = (v: number) => {
    v = v | 0;
    let len = 1;
    for (let p = 10; p <= v && len < 10; p *= 10) len++;
    room(len);
    for (let q = ol + len - 1; q >= ol; q--) {
      const next = (v / 10) | 0;
      ob[q] = 48 + v - 10 * next;
      v = next;
    }
    ol += len;
  };
  /**
   * v.toFixed(2) for v ≥ 0, without a string: the integer nearest to 100·v (the larger of two equally
   * near), from v · 100 rounded once (error < 2^-22 below 2^30); `toFixed` when that is too close to
   * halfway to be sure.
   */
  const putFixed2 = (v: number) => {
    const y = v * 100;
    const fl = Math.floor(y);
    const fr = y - fl;
    if (!(y < 1073741824 && (fr < 0.4999 || fr > 0.5001))) return putAscii(v.toFixed(2));
    const m = (fr > 0.5 ? fl + 1 : fl) | 0;
    const units = (m / 100) | 0;
    const cents = m - 100 * units;
    putInt(units);
    room(3);
    ob[ol++] = 46;
    const tens = (cents / 10) | 0;
    ob[ol++] = 48 + tens;
    ob[ol++] = 48 + cents - 10 * tens;
  };
  /** Five digits of v (0 ≤ v < 100,000), leading zeros included. */
  const put5 = (v: number) => {
    for (let q = ol + 4; q >= ol; q--) {
      const next = (v / 10) | 0;
      ob[q] = 48 + v - 10 * next;
      v = next;
    }
    ol += 5;
  };
  /**
   * String(Number(p.toPrecision(10))) for a probability p, without a string: for 1e-6 ≤ p < 1 the ten
   * significant digits are the integer nearest to p · 10^q (one rounding, error < 2^-19, q = 9 − the
   * exponent), written as 0.000ddd without trailing zeros; the strings otherwise or near a halfway point.
   */
  const putProbability = (p: number) => {
    if (p >= 1e-6 && p < 1) {
      let q = 10;
      let y = p * 1e10;
      while (y < 1e9 && q < 15) {
        q++;
        y = p * POW10[q]!;
      }
      const fl = Math.floor(y);
      const fr = y - fl;
      if (y >= 1e9 + 1 && y < 1e10 - 1 && (fr < 0.4999 || fr > 0.5001)) {
        const m = fr > 0.5 ? fl + 1 : fl; // ten digits, the first not 0
        const hi = Math.floor(m / 100000);
        room(12 + q - 10);
        ob[ol++] = 48;
        ob[ol++] = 46;
        for (let z = 10; z < q; z++) ob[ol++] = 48; // zeros after the point: p < 10^(10 − q)
        put5(hi | 0);
        put5((m - hi * 100000) | 0);
        while (ob[ol - 1] === 48) ol--;
        return;
      }
    }
    putAscii(String(Number(p.toPrecision(10))));
  };
  const putText = (t: string) => {
    const b = enc.encode(t);
    putBytes(b, 0, b.length);
  };
  const SEP = enc.encode('; ');
  const OPEN = enc.encode(' (+');
  const nameBytes = T.columns.map((c) => enc.encode(`${c}=`));
  const channelBytes = ['green', 'yellow', 'red'].map((c) => enc.encode(`,${c},`));
  const RANDOM = enc.encode('random selection');

  interface State {
    n: number;
    bytes: Uint8Array;
    idS: Int32Array;
    idE: Int32Array;
    /** Rows whose id holds a non-ASCII byte: the id as the old path has it (decoded, trimmed). */
    idText: Map<number, string>;
    raw: Float64Array;
    /** Per row, the reasons from the model ("Column=value (+0.84); …") as UTF-8: fb[fo[i], fo[i + 1]). */
    fb: Uint8Array;
    fo: Int32Array;
    hits: Map<number, { hits: string[]; forcedBy?: string }>;
  }
  const states = new Map<number, State>();
  const dates = interner();
  const dateInfo: ({ time: number; day: string } | null)[] = [];
  const offices = interner();
  const officeNames: string[] = [];

  // The slice being read (set by `score`, read by `readRow`).
  let bytes: Uint8Array = new Uint8Array(0);
  let end = 0;
  let bins = new Uint8Array(0);
  let idS = new Int32Array(0);
  let idE = new Int32Array(0);
  let idText = new Map<number, string>();
  let catIds = new Int32Array(0);
  let cellS = new Int32Array(0);
  let cellE = new Int32Array(0);
  let nums = new Float64Array(0);
  let dayOf = new Int32Array(0);
  let officeOf = new Int32Array(0);
  const cs = new Int32Array(width + 1); // cell c of the row is bytes[cs[c], cs[c + 1] − 1)
  const ids = new Int32Array(nc);
  let rowAscii = true;

  function cellAscii(col: number): boolean {
    if (rowAscii) return true;
    for (let p = cs[col]!; p < cs[col + 1]! - 1; p++) if (bytes[p]! >= 128) return false;
    return true;
  }
  /** A number cell into NUM[0] (NaN when empty); 0 when not a number. */
  function numberCell(col: number): number {
    return cellAscii(col) ? numberAt(bytes, cs[col]!, cs[col + 1]! - 1) : numberOf(dec.decode(bytes.subarray(cs[col]!, cs[col + 1]! - 1)));
  }
  /** The office's id among the offices seen (trimmed text, as `readDeclarations`). */
  function officeCell(): number {
    let a = cs[officeCol]!;
    let z = cs[officeCol + 1]! - 1;
    if (cellAscii(officeCol)) {
      while (a < z && isSpace(bytes[a]!)) a++;
      while (z > a && isSpace(bytes[z - 1]!)) z--;
      const before = offices.table.count;
      const id = intern(offices.table, bytes, a, z);
      if (id === before) officeNames[id] = dec.decode(bytes.subarray(a, z));
      return id;
    }
    const t = dec.decode(bytes.subarray(a, z)).trim();
    const len = toScratch(t);
    const before = offices.table.count;
    const id = intern(offices.table, scratch, 0, len);
    if (id === before) officeNames[id] = t;
    return id;
  }

  /** Reads row i (a line starting at s) into the slice's arrays; false when the old path must read the slice. */
  function readRow(i: number, s: number): boolean {
    const b = bytes;
    const stop = end;
    let c = 0;
    cs[0] = s;
    let q = s;
    let ascii = true;
    for (;;) {
      const ch = q < stop ? b[q]! : 10;
      if (ch === 44) {
        if (++c >= width) return false;
        cs[c] = q + 1;
      } else if (ch === 10) break;
      else if (ch === 13) {
        if (q + 1 === stop || b[q + 1] === 10) break;
        return false; // a lone CR
      } else if (ch === 34) return false;
      else if (ch >= 128) ascii = false;
      q++;
    }
    rowAscii = ascii;
    if (c !== width - 1) return false;
    cs[width] = q + 1;
    // id
    let a = cs[idCol]!;
    let z = cs[idCol + 1]! - 1;
    if (cellAscii(idCol)) {
      while (a < z && isSpace(bytes[a]!)) a++;
      while (z > a && isSpace(bytes[z - 1]!)) z--;
      if (a === z) return false;
    } else {
      const t = dec.decode(bytes.subarray(a, z)).trim();
      if (t === '') return false;
      idText.set(i, t);
    }
    idS[i] = a;
    idE[i] = z;
    if (dateCol >= 0) {
      const before = dates.table.count;
      const d = intern(dates.table, bytes, cs[dateCol]!, cs[dateCol + 1]! - 1);
      if (d === before) {
        const t = parseDate(dec.decode(bytes.subarray(cs[dateCol]!, cs[dateCol + 1]! - 1)));
        dateInfo[d] = t === undefined ? null : { time: t, day: new Date(t).toISOString().slice(0, 10) };
      }
      if (dateInfo[d] === null) return false;
      dayOf[i] = d;
    }
    if (labelCol >= 0 && (!numberCell(labelCol) || NUM[0] !== NUM[0])) return false;
    if (revenueCol >= 0 && !numberCell(revenueCol)) return false;
    for (let j = 0; j < nnum; j++) {
      if (!numberCell(numCols[j]!)) return false;
      nums[i * nnum + j] = NUM[0]!;
    }
    if (officeCol >= 0 && T.per === 'office-day') officeOf[i] = officeCell();
    // Bins: categorical columns (rate bin, count bin), pairs, numbers and ratios.
    const o = i * f;
    for (let cc = 0; cc < nc; cc++) {
      const col = catCols[cc]!;
      const cat = T.cats[cc]!;
      a = cs[col]!;
      z = cs[col + 1]! - 1;
      cellS[i * nc + cc] = a;
      cellE[i * nc + cc] = z;
      let id: number;
      if (cellAscii(col)) {
        while (a < z && isSpace(bytes[a]!)) a++;
        while (z > a && isSpace(bytes[z - 1]!)) z--;
        id = find(cat.table, bytes, a, z);
      } else id = find(cat.table, scratch, 0, toScratch(dec.decode(bytes.subarray(a, z)).trim()));
      const packed = id < 0 ? cat.unseen : cat.packed[id]!;
      ids[cc] = id;
      catIds[i * nc + cc] = id;
      bins[o + 2 * cc] = packed & 255;
      bins[o + 2 * cc + 1] = packed >>> 8;
    }
    for (let p = 0; p < np; p++) {
      const pr = T.pairs[p]!;
      const ia = ids[pr.a]!;
      const ib = ids[pr.b]!;
      let packed = pr.unseen;
      if (ia >= 0 && ib >= 0) {
        if (pr.dense) packed = pr.dense[ia * pr.stride + ib]!;
        else {
          const v = pr.byIds!.get(ia * pr.stride + ib);
          if (v !== undefined) packed = v;
        }
      }
      bins[o + 2 * (nc + p)] = packed & 255;
      bins[o + 2 * (nc + p) + 1] = packed >>> 8;
    }
    for (let j = 0; j < nnum + nratio; j++) {
      let v: number;
      if (j < nnum) v = nums[i * nnum + j]!;
      else {
        const d = nums[i * nnum + T.ratios[2 * (j - nnum) + 1]!]!;
        v = d === 0 ? NaN : nums[i * nnum + T.ratios[2 * (j - nnum)]!]! / d;
      }
      // binOf (gbdt.ts): 0 = missing, else 1 + the number of edges below v.
      let bin = 0;
      if (v === v) {
        const edges = T.numEdges[j]!;
        let lo = 0;
        let hi = edges.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (edges[mid]! < v) lo = mid + 1;
          else hi = mid;
        }
        bin = lo + 1;
      }
      bins[o + 2 * nt + j] = bin;
    }
    return true;
  }

  // Line starts of the slice being read (grown as needed).
  let lineStarts = new Int32Array(1 << 14);
  /** Cuts bytes[start, end) into lines: their starts into lineStarts (header and empty lines skipped); their count. */
  function cutLines(start: number, skipHeader: boolean): number {
    const b = bytes;
    const stop = end;
    let pos = start;
    if (stop - start >= 3 && b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf) pos += 3;
    let header = skipHeader;
    let n = 0;
    while (pos < stop) {
      let e = b.indexOf(10, pos);
      if (e < 0 || e >= stop) e = stop;
      const next = e + 1;
      if (e > pos && b[e - 1] === 13) e--;
      if (e > pos) {
        if (header) header = false;
        else {
          if (n === lineStarts.length) {
            const grown = new Int32Array(2 * n);
            grown.set(lineStarts);
            lineStarts = grown;
          }
          lineStarts[n++] = pos;
        }
      }
      pos = next;
    }
    return n;
  }
  /** Reads rows [0, n) of the slice; false when the old path must read it. */
  function readRows(n: number): boolean {
    for (let i = 0; i < n; i++) if (!readRow(i, lineStarts[i]!)) return false;
    return true;
  }
  const catText = (i: number, cc: number) => {
    const id = catIds[i * nc + cc]!;
    return id >= 0 ? T.cats[cc]!.keys[id]! : dec.decode(bytes.subarray(cellS[i * nc + cc]!, cellE[i * nc + cc]!)).trim();
  };
  /** A categorical value as the old path has it (the trimmed cell), into the buffer. */
  const putCat = (i: number, cc: number) => {
    const id = catIds[i * nc + cc]!;
    if (id >= 0) {
      const t = T.cats[cc]!.table;
      putBytes(t.bytes, t.start[id]!, t.start[id + 1]!);
      return;
    }
    let a = cellS[i * nc + cc]!;
    let z = cellE[i * nc + cc]!;
    let ascii = true;
    for (let q = a; q < z; q++) if (bytes[q]! >= 128) ascii = false;
    if (!ascii) return putText(dec.decode(bytes.subarray(a, z)).trim());
    while (a < z && isSpace(bytes[a]!)) a++;
    while (z > a && isSpace(bytes[z - 1]!)) z--;
    putBytes(bytes, a, z);
  };
  /** Rules (on what they read: the categorical columns they name, the numbers, the day). */
  function applyAll(n: number, forced: Uint8Array, hits: Map<number, { hits: string[]; forcedBy?: string }>) {
    for (let i = 0; i < n; i++) {
      const cat: string[] = new Array(nc);
      for (const cc of ruleCats) cat[cc] = catText(i, cc);
      const num = Array.from(nums.subarray(i * nnum, (i + 1) * nnum));
      const day = dateCol >= 0 ? dateInfo[dayOf[i]!]!.day : '';
      const h = deps.applyRules(rules, { line: 0, id: '', time: 0, day, office: '', revenue: 0, cat, num });
      if (h.forced) forced[i] = FORCED[h.forced]!;
      if (h.hits.length) hits.set(i, h);
    }
  }
  /** The reasons text of rows [from, to) from their top columns (top: 2k per row, row `from` first), into the buffer; fo[i] = where row i's starts. */
  function writeReasons(from: number, to: number, top: Float64Array, k: number, fo: Int32Array) {
    for (let i = from; i < to; i++) {
      fo[i] = ol;
      const o = (i - from) * 2 * k;
      for (let r = 0; r < k; r++) {
        const best = top[o + 2 * r]!;
        if (best < 0) break;
        if (r > 0) putBytes(SEP, 0, 2);
        putBytes(nameBytes[best]!, 0, nameBytes[best]!.length);
        if (best < nc) putCat(i, best);
        else putAscii(String(nums[i * nnum + best - nc]));
        putBytes(OPEN, 0, 3);
        putFixed2(top[o + 2 * r + 1]!);
        room(1);
        ob[ol++] = 41; // )
      }
    }
  }
  /** Allocation batches per office and day: an id per row, and each id's "office \0 day". */
  function officeDayKeys(n: number, out: KernelScored) {
    const keyIds = new Int32Array(n);
    const keyNames: string[] = [];
    const local = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = (officeCol >= 0 ? officeOf[i]! : 0) * (dates.table.count + 1) + (dateCol >= 0 ? dayOf[i]! + 1 : 0);
      let id = local.get(key);
      if (id === undefined) {
        id = keyNames.length;
        local.set(key, id);
        keyNames.push(`${officeCol >= 0 ? officeNames[officeOf[i]!] : ''}\u0000${dateCol >= 0 ? dateInfo[dayOf[i]!]!.day : ''}`);
      }
      keyIds[i] = id;
    }
    out.keyIds = keyIds;
    out.keyNames = keyNames;
  }

  /**
   * Phase 1 of slice k: buf[start, stop) → raw scores, forced channels, office-day keys; or fallback.
   * (Small functions: V8 optimises each with its own feedback, instead of one big function on-stack.)
   */
  function score(k: number, buf: Uint8Array, start: number, stop: number, skipHeader: boolean): KernelScored {
    bytes = buf;
    end = stop;
    // Rows of the slice: line starts, so the row count is known before anything is allocated.
    const n = cutLines(start, skipHeader);
    idS = new Int32Array(n);
    idE = new Int32Array(n);
    idText = new Map<number, string>();
    // Phase 1's own arrays are reused from slice to slice (every cell read is written first): new
    // ones per slice made V8 collect garbage for their memory outside the heap (~6% of a worker's time).
    if (dayOf.length < n) {
      const cap = Math.max(n, 2 * dayOf.length);
      bins = new Uint8Array(cap * f);
      catIds = new Int32Array(cap * nc);
      cellS = new Int32Array(cap * nc);
      cellE = new Int32Array(cap * nc);
      nums = new Float64Array(cap * nnum);
      dayOf = new Int32Array(cap);
      officeOf = new Int32Array(cap);
    }
    if (!readRows(n)) return { raw: new Float64Array(0), forced: new Uint8Array(0), fallback: true };
    const forced = new Uint8Array(n);
    const hits = new Map<number, { hits: string[]; forcedBy?: string }>();
    if (rules.length) applyAll(n, forced, hits);
    // Trees, explanations, and per row the reasons (as scoreSlice), written as bytes.
    const raw = new Float64Array(n);
    const fo = new Int32Array(n + 1);
    ol = 0;
    if (reasons > 0) {
      // The WebAssembly sums the contributions per column and picks the top k; this writes the text.
      const k = Math.min(reasons, ncol);
      const top = new Float64Array(512 * 2 * k);
      for (let from = 0; from < n; from += 512) {
        const to = Math.min(n, from + 512);
        run.top(bins, from, to, raw, k, top);
        writeReasons(from, to, top, k, fo);
      }
      fo[n] = ol;
    } else run(bins, 0, n, raw, null);
    const fb = ob.slice(0, ol);
    const out: KernelScored = { raw, forced };
    if (T.per === 'office-day') officeDayKeys(n, out);
    if (hits.size === 0) greenLines(n, idText, raw, fb, fo, out);
    else states.set(k, { n, bytes, idS, idE, idText, raw, fb, fo, hits });
    return out;
  }

  /** The slice's output lines as `format` writes them for channel code 0 (green, by default), with where each line and its channel start. */
  function greenLines(n: number, ids: Map<number, string>, raw: Float64Array, fb: Uint8Array, fo: Int32Array, out: KernelScored) {
    const lineAt = new Int32Array(n + 1);
    const chanAt = new Int32Array(n);
    const green = channelBytes[0]!;
    const anyText = ids.size > 0;
    ol = 0;
    for (let i = 0; i < n; i++) {
      lineAt[i] = ol;
      const t = anyText ? ids.get(i) : undefined;
      if (t === undefined) putBytes(bytes, idS[i]!, idE[i]!);
      else putText(t);
      room(1);
      ob[ol++] = 44;
      putProbability(1 / (1 + Math.exp(-raw[i]!)));
      chanAt[i] = ol; // ",green," starts here
      putBytes(green, 0, green.length);
      putBytes(fb, fo[i]!, fo[i + 1]!);
      room(1);
      ob[ol++] = 10;
    }
    lineAt[n] = ol;
    out.lines = ob.slice(0, ol);
    out.lineAt = lineAt;
    out.chanAt = chanAt;
  }

  const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

  /**
   * Phase 2 of slice k: its output lines (as formatSlice), UTF-8. codes: channel | why << 2. No cell
   * of a slice the kernel read holds `"`, `,` or a line break, so only a rule's id can need quoting.
   */
  function format(k: number, codes: Uint8Array): Uint8Array {
    const st = states.get(k)!;
    states.delete(k);
    ol = 0;
    const anyText = st.idText.size > 0;
    const anyHits = st.hits.size > 0;
    for (let i = 0; i < st.n; i++) {
      const code = codes[i]!;
      const why = code >> 2;
      const t = anyText ? st.idText.get(i) : undefined;
      if (t === undefined) putBytes(st.bytes, st.idS[i]!, st.idE[i]!);
      else putText(t);
      room(1);
      ob[ol++] = 44;
      putProbability(1 / (1 + Math.exp(-st.raw[i]!)));
      const ch = channelBytes[code & 3]!;
      putBytes(ch, 0, ch.length);
      const h = anyHits ? st.hits.get(i) : undefined;
      const fs = st.fo[i]!;
      const fe = st.fo[i + 1]!;
      if (h) {
        let text = why === 1 ? `rule ${h.forcedBy}` : why === 2 ? 'random selection' : '';
        for (const id of h.hits) if (id !== h.forcedBy) text += `${text ? '; ' : ''}rule ${id} hit`;
        if (fe > fs) text += `${text ? '; ' : ''}${dec.decode(st.fb.subarray(fs, fe))}`;
        putText(csvCell(text));
      } else {
        if (why === 2) {
          putBytes(RANDOM, 0, RANDOM.length);
          if (fe > fs) putBytes(SEP, 0, 2);
        }
        putBytes(st.fb, fs, fe);
      }
      room(1);
      ob[ol++] = 10;
    }
    return ob.slice(0, ol);
  }

  /** The number writers' text (tests: they must print exactly what `toFixed(2)` and String(Number(p.toPrecision(10))) print). */
  const numberText = (kind: 'fixed2' | 'probability', v: number) => {
    ol = 0;
    if (kind === 'fixed2') putFixed2(v);
    else putProbability(v);
    return dec.decode(ob.subarray(0, ol));
  };

  return { score, format, numberText };
}

/** The source text a scoring worker runs (plain JavaScript: no loader). */
export const KERNEL_WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
var __name = (fn) => fn;
const CHANNEL_RANK = ${JSON.stringify(CHANNEL_RANK)};
const deps = {
  runForest: ${runForest.toString()},
  dateParser: ${dateParser.toString()},
  compileRules: ${compileRules.toString()},
  applyRules: ${applyRules.toString()},
};
const riskCsvKernel = ${riskCsvKernel.toString()};
const bytes = workerData.bytes;
let kernel;
parentPort.on('message', (m) => {
  try {
    if (m.op === 'init') {
      kernel = riskCsvKernel(m.init, deps);
      return;
    }
    if (m.op === 'score') {
      const r = kernel.score(m.k, bytes, m.start, m.end, m.header);
      parentPort.postMessage({ id: m.id, ok: true, value: r }, r.lines ? [r.forced.buffer, r.lines.buffer] : [r.forced.buffer]);
    } else {
      const out = kernel.format(m.k, m.codes);
      parentPort.postMessage({ id: m.id, ok: true, value: out }, [out.buffer]);
    }
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, error: String(err && err.stack || err) });
  }
});
`;
