// `cordon risk score` on a CSV file, end to end: read, bins, trees and explanations, rules, channel
// allocation, and the id,score,channel,reasons file. The file is read once into shared memory and cut
// into slices at line feeds; each slice goes through the kernel (risk-score-kernel.ts: bins straight
// from the bytes, no declaration objects) on worker threads (plain JavaScript, started before the file
// is read) or, for small files, in this thread. Phase 1 scores a slice and sends back its raw scores
// and forced channels (and, when no rule hit the slice, its lines as if every row were green: this
// thread then rewrites only the rows allocation moves, `fromGreen`); this thread allocates (which needs
// every score); phase 2 writes the other slices' output lines as bytes; all written in file order.
// The output is the same, byte for byte, in one thread,
// on workers, and through the old reading path below (`scoreSlice` / `formatSlice`: the case import's
// CSV reader, `readDeclarations`, `binRows`), which reads every slice the kernel refuses (a bad row:
// it reports every problem with its line) and files with quotes. Tests hold it to that.
//
// Slices are cut at line feeds, so only a file without a `"` (no quoted cell can hold a line break)
// and without a lone CR line ending is split; any other file is read as one slice, the old way.
// The old path's reader is the case import's (apps/server/src/features/cases/import/csv-reader.ts).
import { closeSync, openSync, readSync, fstatSync, statSync, writeSync } from 'node:fs';
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import {
  allocateChannels,
  applyRules,
  checkMappingFits,
  compileRules,
  compiledScorer,
  contributionColumns,
  dateParser,
  runForest,
  loadModel,
  predictBinned,
  explainBinned,
  probability,
  readDeclarations,
  RiskInputError,
  type Channel,
  type CompiledRule,
  type Declaration,
  type RiskIssue,
  type RiskMapping,
  type RiskModel,
  type RuleHits,
  type SelectivityRule,
  type WasmModule,
} from '@cordon/engine';
import { readCsvRecords } from '../../../server/src/features/cases/import/csv-reader.js';
import { kernelInit, KERNEL_WORKER_SOURCE, riskCsvKernel, type KernelDeps, type KernelInit, type KernelScored } from './risk-score-kernel.js';

export interface ScoreFileOptions {
  model: string;
  /** The model file's text (read by the caller). */
  modelText: string;
  data: string;
  mapping: RiskMapping;
  rules: SelectivityRule[];
  out: string;
  red: number;
  yellow: number;
  random: number;
  per: 'file' | 'office-day';
  reasons: number;
  seed: number;
  /** Worker threads (default one per core); ≤ 1 = this thread only. */
  workers?: number;
  /** Files with fewer data lines are scored in this thread (default 50,000: below it, workers did not pay in session 6). */
  minRows?: number;
  /** Files of at least this many bytes start their workers before the file is read (default 4 MiB). */
  minBytes?: number;
  /** false: the old reading path only, in this thread (the reference the kernel is tested against). */
  kernel?: boolean;
  /** Bytes per slice (default 1 MiB, ~10,000 declarations: each slice's garbage dies young). */
  sliceBytes?: number;
}

export interface ScoreFileResult {
  rows: number;
  /** Slices read by the old path (the kernel refused them, or the file has quotes): 0 for a clean file. */
  oldPathSlices: number;
  batches: number;
  counts: { red: number; yellow: number; green: number; random: number };
  workers: number;
}

/** What a slice's scoring needs, built once per thread. */
export interface SliceContext {
  model: RiskModel;
  mapping: RiskMapping;
  rules: CompiledRule[];
  header: string[];
  reasons: number;
  per: 'file' | 'office-day';
}

export interface SliceInit {
  modelText: string;
  mapping: RiskMapping;
  rules: SelectivityRule[];
  header: string[];
  reasons: number;
  per: 'file' | 'office-day';
}

export function sliceContext(init: SliceInit, loaded?: RiskModel, module?: WasmModule): SliceContext {
  const model = loaded ?? loadModel(init.modelText);
  if (module) compiledScorer(model, module); // the trees compiled by the main thread
  return { model, mapping: init.mapping, rules: compileRules(init.rules, init.mapping), header: init.header, reasons: init.reasons, per: init.per };
}

/** A slice of the file: bytes [start, end), its first line's number, whether it starts with the header. */
export interface Slice {
  start: number;
  end: number;
  line: number;
  header: boolean;
  /** The file holds a `"`: a record's first line is its last minus the line breaks inside its cells. */
  quoted: boolean;
}

const FORCED: Record<Channel, number> = { green: 3, yellow: 2, red: 1 };
const CHANNELS: Channel[] = ['green', 'yellow', 'red'];

/** Phase 1's answer for a slice. */
export interface Scored {
  raw: Float64Array;
  /** 0 = no rule forced a channel, 1 red, 2 yellow, 3 green. */
  forced: Uint8Array;
  /** office \0 day per row (allocation per office and day only). */
  keys?: string[];
  /** Every problem of the slice's rows; when any, nothing else. */
  issues?: RiskIssue[];
  /** The kernel's output lines as if every row were green by default (no rule hit in the slice): see KernelScored. */
  green?: { lines: Uint8Array; lineAt: Int32Array; chanAt: Int32Array };
}

/** What phase 2 needs of phase 1 (kept by the thread that scored the slice). */
export interface SliceState {
  ids: string[];
  raw: Float64Array;
  /** Rows that hit a rule (few): their hits. */
  hits: Map<number, RuleHits>;
  /** Per row, the reasons from the model ("Column=value (+0.84)"), '' when none. */
  features: string[];
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Reads, checks and scores one slice (phase 1). */
export function scoreSlice(ctx: SliceContext, bytes: Uint8Array, slice: Slice): { scored: Scored; state?: SliceState } {
  const width = ctx.header.length;
  const issues: RiskIssue[] = [];
  // Records are turned into declarations as they are read (no array of every row's cells).
  function* records() {
    let first = slice.header;
    for (const rec of readCsvRecords(bytes.subarray(slice.start, slice.end), ',')) {
      if (first) {
        first = false;
        continue;
      }
      let line = slice.line + rec.line - 1;
      if (slice.quoted) for (const v of rec.cells) for (let k = v.indexOf('\n'); k !== -1; k = v.indexOf('\n', k + 1)) line--;
      if (rec.cells.length !== width) issues.push({ line, message: `${rec.cells.length} cells, the header has ${width}` });
      yield { line, values: rec.cells };
    }
  }
  let rows: Declaration[];
  try {
    rows = readDeclarations(ctx.mapping, ctx.header, records(), { needLabel: false });
  } catch (err) {
    if (!(err instanceof RiskInputError)) throw err;
    issues.push(...err.issues);
    rows = [];
  }
  if (issues.length) return { scored: { raw: new Float64Array(0), forced: new Uint8Array(0), issues: issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) } };
  const n = rows.length;
  const scorer = compiledScorer(ctx.model);
  const bins = scorer.binRows(rows);
  const forced = new Uint8Array(n);
  const hits = new Map<number, RuleHits>();
  if (ctx.rules.length)
    for (let i = 0; i < n; i++) {
      const h = applyRules(ctx.rules, rows[i]!);
      if (h.forced) forced[i] = FORCED[h.forced];
      if (h.hits.length) hits.set(i, h);
    }
  let raw: Float64Array;
  const features: string[] = new Array(n).fill('');
  if (ctx.reasons > 0) {
    const ex = explainBinned(scorer.forest, bins, n);
    raw = ex.raw;
    const { columns, colA, colB } = contributionColumns(ctx.model);
    const f = scorer.forest.numFeatures;
    const ncol = columns.length;
    const nc = ctx.model.encoder.categorical.length;
    const byColumn = new Float64Array(ncol);
    const picked = new Uint8Array(ncol);
    for (let i = 0; i < n; i++) {
      // Fold the row's feature contributions into columns (as foldColumns), then the top ones (as topReasons).
      byColumn.fill(0);
      const o = i * (f + 1);
      for (let j = 0; j < f; j++) {
        const b = colB[j]!;
        const share = ex.contrib[o + j]! / (b < 0 ? 1 : 2);
        byColumn[colA[j]!] = byColumn[colA[j]!]! + share;
        if (b >= 0) byColumn[b] = byColumn[b]! + share;
      }
      picked.fill(0);
      let text = '';
      for (let k = 0; k < ctx.reasons; k++) {
        let best = -1;
        for (let j = 0; j < ncol; j++) if (!picked[j] && byColumn[j]! >= 0.01 && (best < 0 || byColumn[j]! > byColumn[best]!)) best = j;
        if (best < 0) break;
        picked[best] = 1;
        const r = rows[i]!;
        const value = best < nc ? r.cat[best]! : String(r.num[best - nc]);
        text += `${text ? '; ' : ''}${columns[best]}=${value} (+${byColumn[best]!.toFixed(2)})`;
      }
      features[i] = text;
    }
  } else raw = predictBinned(scorer.forest, bins, n);
  const scored: Scored = { raw, forced };
  if (ctx.per === 'office-day') scored.keys = rows.map((r) => `${r.office}\u0000${r.day}`);
  // Phase 2 needs only the ids, the rules hit and the reasons: the declarations can go.
  return { scored, state: { ids: rows.map((r) => r.id), raw, hits, features } };
}

/** Channel codes for phase 2: channel (0 green, 1 yellow, 2 red) | why << 2 (0 risk/default, 1 rule, 2 random). */
export function formatSlice(state: SliceState, codes: Uint8Array): string {
  let out = '';
  const { ids, raw, hits, features } = state;
  for (let i = 0; i < ids.length; i++) {
    const code = codes[i]!;
    const why = code >> 2;
    const h = hits.get(i);
    let reasons = why === 1 ? `rule ${h!.forcedBy}` : why === 2 ? 'random selection' : '';
    if (h) for (const id of h.hits) if (id !== h.forcedBy) reasons += `${reasons ? '; ' : ''}rule ${id} hit`;
    if (features[i]) reasons += `${reasons ? '; ' : ''}${features[i]}`;
    out += `${csvCell(ids[i]!)},${Number(probability(raw[i]!).toPrecision(10))},${CHANNELS[code & 3]},${csvCell(reasons)}\n`;
  }
  return out;
}

/** Cuts the file into slices at line feeds (see the file's comment), counting lines as it goes. */
function slicesOf(bytes: Uint8Array, sliceBytes: number): { slices: Slice[]; lines: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const quoted = buf.indexOf(34) !== -1;
  let loneCr = false;
  for (let k = buf.indexOf(13); k !== -1; k = buf.indexOf(13, k + 1))
    if (buf[k + 1] !== 10) {
      loneCr = true;
      break;
    }
  if (quoted || loneCr || bytes.length <= sliceBytes) {
    let lines = 0;
    for (let k = buf.indexOf(10); k !== -1; k = buf.indexOf(10, k + 1)) lines++;
    return { slices: [{ start: 0, end: bytes.length, line: 1, header: true, quoted }], lines };
  }
  const slices: Slice[] = [];
  let start = 0;
  let line = 1;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + sliceBytes);
    if (end < bytes.length) {
      const nl = buf.indexOf(10, end - 1);
      end = nl === -1 ? bytes.length : nl + 1;
    }
    slices.push({ start, end, line, header: start === 0, quoted: false });
    for (let k = buf.indexOf(10, start); k !== -1 && k < end; k = buf.indexOf(10, k + 1)) line++;
    start = end;
  }
  return { slices, lines: line - 1 }; // line feeds counted once, slice by slice
}

/** The file's header (its first record, cells trimmed). */
function headerOf(file: string, bytes: Uint8Array): string[] {
  const first = readCsvRecords(bytes, ',').next();
  if (first.done) throw new Error(`${file}: the file is empty`);
  return first.value.cells.map((h) => h.trim());
}

function readAll(file: string, buffer?: Uint8Array): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    // Shared, so every worker reads the same bytes without a copy (the workers may hold `buffer` already).
    const bytes = buffer && buffer.length === size ? buffer : new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size; ) {
      const got = readSync(fd, bytes, at, size - at, at);
      if (got === 0) break;
      at += got;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** How slices are scored: the kernel (in this thread or on workers), the old reading path for what it refuses. */
interface Runner {
  /** Slices read by the old path so far. */
  oldPathSlices(): number;
  score(slice: Slice, k: number): Promise<Scored>;
  format(k: number, codes: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** The old reading path (scoreSlice / formatSlice) in this thread: for what the kernel refuses, and files with quotes. */
function oldPath(getCtx: () => SliceContext, bytes: Uint8Array) {
  const states = new Map<number, SliceState>();
  const enc = new TextEncoder();
  const self = {
    slices: 0,
    score: (slice: Slice, k: number): Scored => {
      self.slices++;
      const { scored, state } = scoreSlice(getCtx(), bytes, slice);
      if (state) states.set(k, state);
      return scored;
    },
    has: (k: number) => states.has(k),
    format: (k: number, codes: Uint8Array) => {
      const text = formatSlice(states.get(k)!, codes);
      states.delete(k);
      return enc.encode(text);
    },
  };
  return self;
}

const fromKernel = (r: KernelScored): Scored => {
  const out: Scored = { raw: r.raw, forced: r.forced };
  if (r.keyIds) out.keys = Array.from(r.keyIds, (id) => r.keyNames![id]!);
  if (r.lines) out.green = { lines: r.lines, lineAt: r.lineAt!, chanAt: r.chanAt! };
  return out;
};

const CHANNEL_BYTES = CHANNELS.map((c) => new TextEncoder().encode(`,${c},`));
const RANDOM_BYTES = new TextEncoder().encode('random selection; ');

/**
 * A slice's output from its green lines (phase 1): the rows allocation put in another channel or
 * chose at random are rewritten (channel; `random selection` before the reasons), as formatSlice
 * and the kernel's `format` write them; the rest is copied. No rule hit these rows (why is 0 or 2).
 */
function fromGreen(g: NonNullable<Scored['green']>, codes: Uint8Array): Uint8Array {
  const { lines, lineAt, chanAt } = g;
  let extra = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]) extra += 1 + RANDOM_BYTES.length; // ',yellow,' is 1 byte longer than ',green,'
  if (extra === 0) return lines;
  const out = new Uint8Array(lines.length + extra);
  let o = 0;
  let from = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (!code) continue;
    out.set(lines.subarray(from, chanAt[i]!), o);
    o += chanAt[i]! - from;
    const ch = CHANNEL_BYTES[code & 3]!;
    out.set(ch, o);
    o += ch.length;
    from = chanAt[i]! + CHANNEL_BYTES[0]!.length; // the reasons and the line feed
    if (code >> 2 === 2) {
      const sep = lineAt[i + 1]! - from > 1 ? RANDOM_BYTES.length : RANDOM_BYTES.length - 2; // '; ' only before reasons
      out.set(RANDOM_BYTES.subarray(0, sep), o);
      o += sep;
    } else if (code >> 2 !== 0) throw new Error('a rule forced a row of a slice that no rule hit');
  }
  out.set(lines.subarray(from), o);
  o += lines.length - from;
  return out.subarray(0, o);
}

/** Everything in this thread: the kernel when it can, else (or for a slice it refuses) the old path. */
function inThreadRunner(init: KernelInit | undefined, getCtx: () => SliceContext, bytes: Uint8Array): Runner {
  const kernel = init ? riskCsvKernel(init, KERNEL_DEPS) : undefined;
  const old = oldPath(getCtx, bytes);
  return {
    oldPathSlices: () => old.slices,
    score: async (slice, k) => {
      if (kernel && !slice.quoted) {
        const r = kernel.score(k, bytes, slice.start, slice.end, slice.header);
        if (!r.fallback) return fromKernel(r);
      }
      return old.score(slice, k);
    },
    format: async (k, codes) => (old.has(k) ? old.format(k, codes) : kernel!.format(k, codes)),
    close: async () => undefined,
  };
}

const KERNEL_DEPS: KernelDeps = { runForest, dateParser, compileRules, applyRules };

/** Workers that failed or stopped, with why (recorded from their start: they may die before a runner listens). */
const deadWorkers = new WeakMap<Worker, Error>();

/** Starts scoring workers (plain JavaScript from KERNEL_WORKER_SOURCE: no loader, ~30 ms each). */
function startWorkers(count: number, bytes: Uint8Array): Worker[] {
  return Array.from({ length: count }, () => {
    const w = new Worker(KERNEL_WORKER_SOURCE, { eval: true, workerData: { bytes }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    w.on('error', (err) => deadWorkers.set(w, err));
    w.on('exit', (code) => {
      if (!deadWorkers.has(w)) deadWorkers.set(w, new Error(`a scoring worker stopped (exit code ${code}) before its slices were done`));
    });
    return w;
  });
}

/** The kernel on worker threads; each slice is scored and formatted by the same worker; refused slices go the old path here. */
function workerRunner(workers: Worker[], init: KernelInit, getCtx: () => SliceContext, bytes: Uint8Array): Runner {
  for (const w of workers) w.postMessage({ op: 'init', init });
  const old = oldPath(getCtx, bytes);
  const owner = new Map<number, number>();
  const waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  // Two slices in flight per worker, so that it never waits for this thread between slices.
  const idle: number[] = [...workers.keys(), ...workers.keys()];
  const queue: (() => void)[] = [];
  let failed: Error | undefined;
  const fail = (err: Error) => {
    failed ??= err;
    for (const p of waiting.values()) p.reject(err);
    waiting.clear();
  };
  for (const w of workers) if (deadWorkers.has(w)) fail(deadWorkers.get(w)!);
  workers.forEach((w) => {
    w.on('message', (m: { id: string; ok: boolean; value?: unknown; error?: string }) => {
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (waiting.size) fail(new Error(`a scoring worker stopped (exit code ${code}) before its slices were done`));
    });
  });
  const call = <T>(w: number, id: string, msg: object) =>
    new Promise<T>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      workers[w]!.postMessage({ id, ...msg });
    });
  const takeWorker = () =>
    new Promise<number>((resolve) => {
      const w = idle.shift();
      if (w !== undefined) resolve(w);
      else queue.push(() => resolve(idle.shift()!));
    });
  const release = (w: number) => {
    idle.push(w);
    queue.shift()?.();
  };
  return {
    oldPathSlices: () => old.slices,
    score: async (slice, k) => {
      const w = await takeWorker();
      let r: KernelScored;
      try {
        r = await call<KernelScored>(w, `s${k}`, { op: 'score', k, start: slice.start, end: slice.end, header: slice.header });
      } finally {
        release(w);
      }
      if (!r.fallback) {
        owner.set(k, w);
        return fromKernel(r);
      }
      return old.score(slice, k);
    },
    format: async (k, codes) => (old.has(k) ? old.format(k, codes) : call<Uint8Array>(owner.get(k)!, `f${k}`, { op: 'format', k, codes })),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Scores a declarations file and writes id,score,channel,reasons (see the file's comment). */
export async function scoreCsvFile(o: ScoreFileOptions): Promise<ScoreFileResult> {
  // Workers first (a big file, more than one wanted): they start while this thread loads the model,
  // reads the file and builds the kernel's tables.
  const sliceBytes = o.sliceBytes ?? 1 << 20;
  const want = Math.max(0, Math.floor(o.workers ?? cpus().length));
  let size = 0;
  try {
    size = statSync(o.data).size;
  } catch {
    // reported by readAll below, after the model and mapping checks (as before)
  }
  const bytes = size ? new Uint8Array(new SharedArrayBuffer(size)) : undefined;
  const started = want > 1 && o.kernel !== false && bytes && size >= (o.minBytes ?? EARLY_BYTES) ? startWorkers(Math.min(want, Math.ceil(size / sliceBytes)), bytes) : [];
  try {
    return await scoreWith(o, sliceBytes, want, bytes, started);
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}

/**
 * Below this many lines the trees' WebAssembly runs on V8's baseline compiler (Liftoff) only. By
 * default V8 recompiles every hot function with TurboFan: for model A's 0.9 MB module ~0.3 CPU s on
 * background threads, competing with the workers for the cores, to run the explaining code ~25%
 * faster (the scoring code no faster); on 200,000 rows that does not pay back (session 7).
 */
const TURBOFAN_LINES = 500_000;

/**
 * Runs fn (which compiles a WebAssembly module) with `--liftoff-only`: V8 fixes a module's tiering
 * when it compiles it, so the flag is set back at once (unless node was started with it) and other
 * modules are untouched. Only speed depends on it: if the flag cannot be set, fn runs as it is.
 */
function baselineWasm<T>(fn: () => T): T {
  const keep = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--liftoff-only');
  try {
    setFlagsFromString('--liftoff-only');
  } catch {
    return fn();
  }
  try {
    return fn();
  } finally {
    if (!keep) setFlagsFromString('--no-liftoff-only');
  }
}

/** Files of at least this many bytes start their workers before reading (~100 bytes per declaration: ~40,000 rows). */
const EARLY_BYTES = 4 << 20;

async function scoreWith(o: ScoreFileOptions, sliceBytes: number, want: number, buffer: Uint8Array | undefined, started: Worker[]): Promise<ScoreFileResult> {
  const model = loadModel(o.modelText);
  checkMappingFits(model, o.mapping);
  if (o.per === 'office-day' && !o.mapping.office) throw new Error('--per office-day: the mapping has no "office" column');
  compileRules(o.rules, o.mapping); // a bad rule fails before the data is read
  const bytes = readAll(o.data, buffer);
  const header = headerOf(o.data, bytes);
  try {
    readDeclarations(o.mapping, header, [], { needLabel: false }); // a mapped column missing from the header
  } catch (err) {
    if (err instanceof RiskInputError) throw new Error(`${o.data}: ${err.issues.length} problem(s), nothing read:\n${err.message}`);
    throw err;
  }
  const { slices, lines } = slicesOf(bytes, sliceBytes);
  const scorer = lines < TURBOFAN_LINES ? baselineWasm(() => compiledScorer(model)) : compiledScorer(model);
  const kinit = o.kernel === false ? undefined : kernelInit(model, scorer, o.mapping, header, o);
  // Workers only for a file cut into several slices that the kernel reads, with enough lines to pay for them.
  const workers = !kinit || want <= 1 || lines < (o.minRows ?? 50_000) ? 0 : Math.min(want, slices.length);
  const init: SliceInit = { modelText: o.modelText, mapping: o.mapping, rules: o.rules, header, reasons: o.reasons, per: o.per };
  let ctx: SliceContext | undefined;
  const getCtx = () => (ctx ??= sliceContext(init, model));
  let runner: Runner;
  if (workers) {
    const pool = started.slice(0, workers);
    for (const w of started.slice(workers)) void w.terminate();
    if (pool.length < workers) pool.push(...startWorkers(workers - pool.length, bytes));
    started.length = 0;
    started.push(...pool);
    runner = workerRunner(pool, kinit!, getCtx, bytes);
  } else {
    await Promise.all(started.map((w) => w.terminate()));
    started.length = 0;
    runner = inThreadRunner(kinit, getCtx, bytes);
  }
  try {
    const scored = await Promise.all(slices.map((s, k) => runner.score(s, k)));
    const issues = scored.flatMap((s) => s.issues ?? []);
    if (issues.length) throw new Error(`${o.data}: ${issues.length} problem(s), nothing read:\n${new RiskInputError(issues).message}`);
    const n = scored.reduce((s, x) => s + x.raw.length, 0);
    const raw = new Float64Array(n);
    // Channels forced by rules (none without rules: then no array of n undefined).
    const forced: (Channel | undefined)[] | undefined = scored.some((s) => s.forced.some((c) => c !== 0)) ? new Array(n) : undefined;
    const keys: string[] = [];
    let at = 0;
    for (const s of scored) {
      raw.set(s.raw, at);
      if (forced) for (let i = 0; i < s.forced.length; i++) forced[at + i] = s.forced[i] ? (['red', 'yellow', 'green'] as const)[s.forced[i]! - 1] : undefined;
      if (s.keys) for (const key of s.keys) keys.push(key);
      at += s.raw.length;
    }
    // Allocation per batch: the whole file, or each office and day (in order of first appearance).
    const groups = new Map<string, number[]>();
    if (o.per === 'file') {
      if (n) groups.set('', Array.from({ length: n }, (_, i) => i));
    } else
      keys.forEach((key, i) => {
        const g = groups.get(key);
        if (g) g.push(i);
        else groups.set(key, [i]);
      });
    const codes = new Uint8Array(n);
    const count = { red: 0, yellow: 0, green: 0, random: 0 };
    let g = 0;
    for (const idx of groups.values()) {
      const whole = o.per === 'file';
      const a = allocateChannels(
        whole ? raw : idx.map((i) => raw[i]!),
        whole || !forced ? forced : idx.map((i) => forced[i]),
        { redShare: o.red / 100, yellowShare: o.yellow / 100, randomShare: o.random / 100, seed: o.seed + g++ },
      );
      count.red += a.counts.red;
      count.yellow += a.counts.yellow;
      count.green += a.counts.green;
      count.random += a.counts.random;
      for (let k = 0; k < idx.length; k++) {
        const c = a.channel[k]!;
        const w = a.why[k]!;
        codes[idx[k]!] = (c === 'red' ? 2 : c === 'yellow' ? 1 : 0) | ((w === 'rule' ? 1 : w === 'random' ? 2 : 0) << 2);
      }
    }
    // Phase 2: every slice formats its lines; written in file order through one descriptor.
    const fd = openSync(o.out, 'w');
    try {
      writeSync(fd, 'id,score,channel,reasons\n');
      const parts: Promise<Uint8Array>[] = [];
      at = 0;
      for (let k = 0; k < slices.length; k++) {
        const len = scored[k]!.raw.length;
        const green = scored[k]!.green;
        parts.push(green ? Promise.resolve(fromGreen(green, codes.subarray(at, at + len))) : runner.format(k, codes.slice(at, at + len)));
        at += len;
      }
      for (const p of parts) {
        const chunk = await p;
        for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off, chunk.length - off);
      }
    } finally {
      closeSync(fd);
    }
    return { rows: n, oldPathSlices: runner.oldPathSlices(), batches: groups.size, counts: count, workers };
  } finally {
    await runner.close();
  }
}
