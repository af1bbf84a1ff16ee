// Scoring big batches on every core. The calling thread encodes declarations into bins (a
// SharedArrayBuffer), chunk by chunk, and hands each chunk to a worker thread as soon as it is
// encoded; the workers walk the trees (and, with `explain`, fold the Saabas contributions into
// columns) into shared outputs. Same code as in-thread (the forest's WebAssembly module, posted to
// the workers, and `runForest`, `foldColumns`: the workers run their source text), so the results
// are bit-identical to `scoreRaw` / `explain`.
// The workers are started per call from that source (`eval`), not from a module file: a worker does
// not inherit tsx's loader (docs/development.md), and plain JavaScript needs none; they are
// terminated before the call returns, so a command line exits cleanly. Small batches stay in-thread
// (a worker costs ~30 ms to start).
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledScorer, foldColumns } from './fast-score.js';
import { runForest } from './wasm-forest.js';
import type { Declaration } from './mapping.js';
import { contributionColumns, explain, type RiskModel } from './model.js';

export interface ParallelOptions {
  /** Worker threads (default: one per core). ≤ 1 scores in-thread. */
  workers?: number;
  /** Batches smaller than this are scored in-thread (default 50,000). */
  minRows?: number;
  /** Declarations per chunk handed to a worker (default 8,192). */
  chunk?: number;
  /** Also the per-column contributions (as `explain`). */
  explain?: boolean;
}

export interface ParallelScores {
  raw: Float64Array;
  /** With `explain`: per declaration, `columns.length` contributions (row-major), and the bias. */
  byColumn?: Float64Array;
  columns?: string[];
  bias?: number;
  /** Worker threads used (0 = in-thread). */
  workers: number;
}

const WORKER_SOURCE = `'use strict';
const { parentPort, workerData: d } = require('node:worker_threads');
var __name = (fn) => fn;
const runForest = ${runForest.toString()};
const foldColumns = ${foldColumns.toString()};
const bins = new Uint8Array(d.bins);
const raw = new Float64Array(d.raw);
const cols = d.cols ? new Float64Array(d.cols) : null;
let scratch = null;
const run = runForest(d.module, d.f, d.groups, d.baseScore, d.bias);
parentPort.on('message', (m) => {
  if (cols) {
    const need = (m.to - m.from) * (d.f + 1);
    if (!scratch || scratch.length < need) scratch = new Float64Array(need);
    else scratch.fill(0, 0, need);
    const view = new Float64Array(scratch.buffer, 0, need);
    run(bins, m.from, m.to, raw, view);
    foldColumns(view, d.f, m.from, m.to, d.colA, d.colB, cols, d.ncol);
  } else run(bins, m.from, m.to, raw, null);
  parentPort.postMessage(m.to - m.from);
});
`;

/**
 * Raw scores (and, with `explain`, column contributions) of declarations, on worker threads when the
 * batch is big enough; identical to `scoreRaw(model, rows)` and `explain(model, rows)`.
 */
export async function scoreParallel(model: RiskModel, rows: Declaration[], opts: ParallelOptions = {}): Promise<ParallelScores> {
  const n = rows.length;
  const workers = Math.max(0, Math.floor(opts.workers ?? cpus().length));
  const chunk = Math.max(256, Math.floor(opts.chunk ?? 8192));
  if (workers <= 1 || n === 0 || n < (opts.minRows ?? 50_000)) return inThread(model, rows, opts.explain === true);

  const scorer = compiledScorer(model);
  const { forest } = scorer;
  const f = forest.numFeatures;
  const cc = opts.explain ? contributionColumns(model) : undefined;
  const ncol = cc ? cc.columns.length : 0;
  const bins = new SharedArrayBuffer(n * f);
  const raw = new SharedArrayBuffer(n * 8);
  const cols = cc ? new SharedArrayBuffer(n * ncol * 8) : undefined;
  const data = { module: forest.module, groups: forest.groups, f, baseScore: forest.baseScore, bias: forest.bias, bins, raw, cols, colA: cc?.colA, colB: cc?.colB, ncol };
  const pool = Array.from({ length: Math.min(workers, Math.ceil(n / chunk)) }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: data }));
  let done = 0;
  const finished = new Promise<void>((resolve, reject) => {
    for (const w of pool) {
      w.on('message', (count: number) => {
        done += count;
        if (done === n) resolve();
      });
      w.on('error', reject);
      w.on('exit', (code) => {
        if (done < n) reject(new Error(`a scoring worker stopped (exit code ${code}) before its rows were scored`));
      });
    }
  });
  finished.catch(() => undefined); // observed below; avoids an unhandled rejection while still encoding
  try {
    const binView = new Uint8Array(bins);
    for (let from = 0, c = 0; from < n; from += chunk, c++) {
      const to = Math.min(n, from + chunk);
      scorer.binRows(rows.slice(from, to), binView.subarray(from * f, to * f));
      pool[c % pool.length]!.postMessage({ from, to });
    }
    await finished;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const out: ParallelScores = { raw: new Float64Array(n), workers: pool.length };
  out.raw.set(new Float64Array(raw));
  if (cc && cols) {
    out.byColumn = new Float64Array(n * ncol);
    out.byColumn.set(new Float64Array(cols));
    out.columns = cc.columns;
    out.bias = biasOf(model);
  }
  return out;
}

function biasOf(model: RiskModel): number {
  return compiledScorer(model).forest.bias;
}

function inThread(model: RiskModel, rows: Declaration[], withReasons: boolean): ParallelScores {
  if (!withReasons) return { raw: compiledScorer(model).scoreRaw(rows), workers: 0 };
  const e = explain(model, rows);
  const ncol = e.columns.length;
  const byColumn = new Float64Array(rows.length * ncol);
  e.byColumn.forEach((c, i) => byColumn.set(c, i * ncol));
  return { raw: e.raw, byColumn, columns: e.columns, bias: e.bias, workers: 0 };
}
