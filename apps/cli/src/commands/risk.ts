// `cordon risk train | score | evaluate`: the declaration risk engine on CSV files. No database: the
// engine (@cordon/engine, pure) does the work; this file reads and writes files and checks options.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import {
  evaluateSelection,
  parseRiskMapping,
  readDeclarations,
  RiskInputError,
  saveModel,
  trainRiskModel,
  type Declaration,
  type Evaluation,
  type RiskMapping,
  type RiskTrainParams,
  type SelectivityRule,
  derivedColumns,
} from '@cordon/engine';
import type { RiskTrainBody } from '@cordon/contracts';
import type { CliContext } from '../context.js';
import { mappingAndActor, riskImportCommand } from './risk-import.js';
import { scoreCsvFile } from './risk-score.js';

/** Splits a CSV file into its header and rows, each row with the line it starts on (header = line 1). */
export function readCsv(file: string): { header: string[]; rows: { line: number; values: string[] }[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(readFileSync(file), { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const [head, ...body] = records;
  if (!head) throw new Error(`${file}: the file is empty`);
  const newlines = (r: string[]) => r.reduce((s, v) => s + (v.match(/\n/g)?.length ?? 0), 0);
  return {
    header: head.record.map((h) => h.trim()),
    rows: body.map(({ record, info }) => ({ line: info.lines - newlines(record), values: record })),
  };
}

export function readMapping(file: string): RiskMapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  try {
    return parseRiskMapping(json);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** Reads declarations through the mapping; every problem is reported with the file and line. */
export function readDeclarationsFile(file: string, mapping: RiskMapping, needLabel: boolean): Declaration[] {
  const { header, rows } = readCsv(file);
  try {
    return readDeclarations(mapping, header, rows, { needLabel });
  } catch (err) {
    if (err instanceof RiskInputError) throw new Error(`${file}: ${err.issues.length} problem(s), nothing read:\n${err.message}`);
    throw err;
  }
}

const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`);

export function formatEvaluation(e: Evaluation): string[] {
  const lines = [`declarations ${e.n}, found ${e.positives} (${pct(e.baseRate)}), AUC ${Number.isNaN(e.auc) ? 'n/a' : e.auc.toFixed(4)}`];
  for (const a of e.at)
    lines.push(
      `at ${a.percent}%: inspect ${a.k}, found ${a.found}, precision ${a.precision.toFixed(4)}, recall ${a.recall.toFixed(4)}` +
        (a.revenue !== undefined ? `, revenue ${Number.isNaN(a.revenue) ? 'n/a' : a.revenue.toFixed(4)}` : ''),
    );
  return lines;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const num = (name: string, min: number, max: number) => (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x) || x < min || x > max) throw new Error(`${name}: expected a number within ${min}..${max}, got "${v}"`);
  return x;
};


const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `--pairs` / `--ratios`: "auto", "none", or a hand-picked list checked against the mapping:
 * `--pairs "HS6 Code*Country of Origin,Importer ID*Declarant ID"` (categorical columns joined by *),
 * `--ratios "Item Price/Net Mass"` (numeric columns, numerator/divisor). Every problem names the
 * option and the column.
 */
export function derivedOption(option: '--pairs' | '--ratios', value: string, mapping: Pick<RiskMapping, 'categorical' | 'numeric'>): 'auto' | [string, string][] {
  const v = value.trim();
  if (v === 'auto') return 'auto';
  if (v === 'none' || v === '') return [];
  const [sep, kind, columns] = option === '--pairs' ? (['*', 'categorical', mapping.categorical] as const) : (['/', 'numeric', mapping.numeric] as const);
  const example = option === '--pairs' ? '"HS6 Code*Country of Origin,Importer ID*Declarant ID"' : '"Item Price/Net Mass"';
  const seen = new Set<string>();
  return v.split(',').map((item) => {
    const parts = item.split(sep).map((c) => c.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1])
      throw new Error(`${option}: "${item.trim()}" is not two columns joined by "${sep}"; expected auto, none or a list such as ${example}`);
    const [a, b] = parts as [string, string];
    for (const c of [a, b]) if (!columns.includes(c)) throw new Error(`${option}: "${c}" is not a ${kind} column of the mapping (${kind}: ${columns.length ? columns.join(', ') : 'none'})`);
    if (a === b) throw new Error(`${option}: "${item.trim()}" uses the column "${a}" twice`);
    const key = option === '--pairs' ? [a, b].sort().join('\u0000') : `${a}\u0000${b}`;
    if (seen.has(key)) throw new Error(`${option}: "${item.trim()}" is listed twice`);
    seen.add(key);
    return [a, b];
  });
}

/** `risk train --db`: a training job on the database's outcomes, run to its end in this process's worker. */
async function trainInDb(
  ctx: CliContext,
  opts: {
    mapping: string; as?: string; trainFrom?: string; trainTo?: string; validFrom?: string; validTo?: string; rounds?: number; leaves?: number; learningRate?: number; minDataInLeaf?: number; seed?: number;
    pairs?: string; pairColumns?: number; ratios?: string;
  },
): Promise<void> {
  for (const k of ['trainFrom', 'trainTo', 'validFrom', 'validTo'] as const) if (opts[k] && !DAY.test(opts[k])) throw new Error(`--${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: expected yyyy-MM-dd, got "${opts[k]}"`);
  const db = await ctx.openDb();
  try {
    const { createServices, loadConfig } = await import('@cordon/server'); // the file commands (score, evaluate) never load the server
    const s = createServices(db, loadConfig());
    const { mappingId, principal: p } = await mappingAndActor(db, s, opts);
    const params: NonNullable<RiskTrainBody['params']> = {};
    if (opts.pairs !== undefined || opts.ratios !== undefined) {
      const saved = (await s.risk.listMappings(p)).items.find((m) => m.id === mappingId)!.mapping;
      if (opts.pairs !== undefined) params.pairs = derivedOption('--pairs', opts.pairs, saved);
      if (opts.ratios !== undefined) params.ratios = derivedOption('--ratios', opts.ratios, saved);
    }
    if (opts.pairColumns !== undefined) params.pairColumns = opts.pairColumns;
    if (opts.rounds !== undefined) params.numRounds = opts.rounds;
    if (opts.leaves !== undefined) params.maxLeaves = opts.leaves;
    if (opts.learningRate !== undefined) params.learningRate = opts.learningRate;
    if (opts.minDataInLeaf !== undefined) params.minDataInLeaf = opts.minDataInLeaf;
    if (opts.seed !== undefined) params.seed = opts.seed;
    const window = Object.fromEntries(Object.entries({ trainFrom: opts.trainFrom, trainTo: opts.trainTo, validFrom: opts.validFrom, validTo: opts.validTo }).filter(([, v]) => v));
    const t0 = performance.now();
    const job = await s.risk.startTraining(p, { mappingId, ...window, params }, { wait: true });
    const secs = (performance.now() - t0) / 1000;
    if (job.status !== 'succeeded') throw new Error(`training failed: ${job.error}`);
    const model = (await s.risk.listModels(p, mappingId)).items.find((x) => x.id === job.modelId)!;
    ctx.out(`model ${model.seq} of "${opts.mapping}" trained in ${secs.toFixed(1)} s on ${model.trainRows} declarations (${model.trainFrom ?? '?'}..${model.trainTo ?? '?'}, ${model.trainPositives} found): ${model.trees} trees; status candidate (promote it in the app)`);
    if (model.metrics) {
      ctx.out(`validation window ${model.validFrom ?? '?'}..${model.validTo ?? '?'}:`);
      for (const a of model.metrics.at) ctx.out(`  at ${a.percent}%: inspect ${a.k}, found ${a.found}, precision ${(a.precision ?? NaN).toFixed(4)}, recall ${(a.recall ?? NaN).toFixed(4)}`);
      ctx.out(`  AUC ${(model.metrics.auc ?? NaN).toFixed(4)}`);
    }
  } finally {
    await db.close();
  }
}

export function riskCommand(ctx: CliContext): Command {
  const risk = new Command('risk').description('Declaration risk engine: train a model on inspection outcomes, score and allocate channels, evaluate (CSV files; no database)');

  risk
    .command('train')
    .description('Train a model. The last --data file (or --valid) is the validation window for early stopping. With --db: on the outcomes in the database, as a candidate model of a saved mapping.')
    .option('--data <file>', 'declarations with outcomes (CSV); repeat for several files', collect)
    .option('--valid <file>', 'validation window (then every --data file is training)')
    .requiredOption('--mapping <file>', 'column mapping (JSON); with --db, the name of a saved mapping')
    .option('--out <file>', 'model (JSON)')
    .option('--db', 'train on the declarations and outcomes in the database (DATABASE_URL / DATA_DIR); the model is stored as a candidate to promote')
    .option('--as <username>', 'with --db: the Customs user recorded as training it (default: the first active risk analyst)')
    .option('--train-from <day>', 'with --db: first day of the training window (yyyy-MM-dd)')
    .option('--train-to <day>', 'with --db: last day of the training window')
    .option('--valid-from <day>', 'with --db: first day of the validation window (default: the last fifth of the days)')
    .option('--valid-to <day>', 'with --db: last day of the validation window')
    .option('--rounds <n>', 'most trees', num('--rounds', 1, 100_000))
    .option('--leaves <n>', 'most leaves per tree', num('--leaves', 2, 4096))
    .option('--learning-rate <x>', 'shrinkage per tree', num('--learning-rate', 1e-6, 1))
    .option('--min-data-in-leaf <n>', 'fewest declarations in a leaf', num('--min-data-in-leaf', 1, 1e9))
    .option('--feature-fraction <x>', 'share of features per tree', num('--feature-fraction', 0.01, 1))
    .option('--bagging-fraction <x>', 'share of declarations per tree', num('--bagging-fraction', 0.01, 1))
    .option('--early-stopping <n>', 'rounds without improvement before stopping (0 = never)', num('--early-stopping', 0, 100_000))
    .option('--seed <n>', 'random seed', num('--seed', 0, 2 ** 32 - 1))
    .option('--pairs <auto|none|list>', 'combined categorical columns: auto (every pair of the --pair-columns columns that predict best in training), none, or a list such as "HS6 Code*Country of Origin,Importer ID*Declarant ID"')
    .option('--pair-columns <n>', 'with --pairs auto: how many columns to pair', num('--pair-columns', 0, 100))
    .option('--ratios <auto|none|list>', 'ratios of numeric columns: auto (every later column over every earlier one), none, or a list such as "Item Price/Net Mass"')
    .action(
      async (opts: {
        data?: string[];
        valid?: string;
        mapping: string;
        out?: string;
        db?: boolean;
        as?: string;
        trainFrom?: string;
        trainTo?: string;
        validFrom?: string;
        validTo?: string;
        rounds?: number;
        leaves?: number;
        learningRate?: number;
        minDataInLeaf?: number;
        featureFraction?: number;
        baggingFraction?: number;
        earlyStopping?: number;
        seed?: number;
        pairs?: string;
        pairColumns?: number;
        ratios?: string;
      }) => {
        if (opts.db) return trainInDb(ctx, opts);
        if (!opts.data?.length || !opts.out) throw new Error('risk train: --data and --out are required (or --db to train on the database)');
        const out = opts.out;
        const mapping = readMapping(opts.mapping);
        const trainFiles = opts.valid ? opts.data : opts.data.length > 1 ? opts.data.slice(0, -1) : opts.data;
        const validFile = opts.valid ?? (opts.data.length > 1 ? opts.data[opts.data.length - 1] : undefined);
        if (!validFile) ctx.err('risk train: one --data file and no --valid: no validation window, so no early stopping and no validation figures');
        // Checked before reading the data: a typo in a column name fails at once.
        if (opts.pairs !== undefined) derivedOption('--pairs', opts.pairs, mapping);
        if (opts.ratios !== undefined) derivedOption('--ratios', opts.ratios, mapping);
        const train = trainFiles.flatMap((f) => readDeclarationsFile(f, mapping, true));
        const valid = validFile ? readDeclarationsFile(validFile, mapping, true) : undefined;
        const params: Partial<RiskTrainParams> = {};
        if (opts.rounds !== undefined) params.numRounds = opts.rounds;
        if (opts.leaves !== undefined) params.maxLeaves = opts.leaves;
        if (opts.learningRate !== undefined) params.learningRate = opts.learningRate;
        if (opts.minDataInLeaf !== undefined) params.minDataInLeaf = opts.minDataInLeaf;
        if (opts.featureFraction !== undefined) params.featureFraction = opts.featureFraction;
        if (opts.baggingFraction !== undefined) params.baggingFraction = opts.baggingFraction;
        if (opts.earlyStopping !== undefined) params.earlyStoppingRounds = opts.earlyStopping;
        if (opts.seed !== undefined) params.seed = opts.seed;
        if (opts.pairs !== undefined) params.pairs = derivedOption('--pairs', opts.pairs, mapping);
        if (opts.pairColumns !== undefined) params.pairColumns = opts.pairColumns;
        if (opts.ratios !== undefined) params.ratios = derivedOption('--ratios', opts.ratios, mapping);
        const t0 = performance.now();
        const model = trainRiskModel(train, valid, mapping, params);
        const secs = (performance.now() - t0) / 1000;
        writeFileSync(out, saveModel(model));
        ctx.out(`trained on ${model.train.rows} declarations (${model.train.from || '?'}..${model.train.to || '?'}, ${model.train.positives} found) in ${secs.toFixed(1)} s: ${model.bestRound} trees (of ${model.rounds} grown)`);
        const derived = derivedColumns(model);
        if (derived.pairs.length || derived.ratios.length)
          ctx.out(`derived features: ${[...derived.pairs.map((p) => p.join(' × ')), ...derived.ratios.map((r) => r.join(' / '))].join('; ')}`);
        if (model.validation && model.valid) {
          ctx.out(`validation window ${model.valid.from || '?'}..${model.valid.to || '?'}:`);
          for (const l of formatEvaluation(model.validation)) ctx.out('  ' + l);
        }
        ctx.out(`model written to ${out}`);
      },
    );

  risk
    .command('score')
    .description('Score declarations, allocate channels (red/yellow budgets, random share, rules) and give reasons: id,score,channel,reasons')
    .requiredOption('--model <file>', 'model (JSON) from risk train')
    .requiredOption('--data <file>', 'declarations (CSV)')
    .requiredOption('--mapping <file>', 'column mapping (JSON); its feature columns must be the model\'s')
    .requiredOption('--out <file>', 'scores (CSV)')
    .option('--red <percent>', 'red channel budget, % of each batch', num('--red', 0, 100), 5)
    .option('--yellow <percent>', 'yellow channel budget, % of each batch', num('--yellow', 0, 100), 10)
    .option('--random <percent>', 'uniformly random share of red, % of each batch', num('--random', 0, 100), 0.5)
    .option('--per <batch>', 'allocate over the whole file ("file") or per office and day ("office-day")', 'file')
    .option('--rules <file>', 'selectivity rules (JSON list)')
    .option('--reasons <n>', 'features named per declaration', num('--reasons', 0, 100), 3)
    .option('--seed <n>', 'seed of the random share', num('--seed', 0, 2 ** 32 - 1), 1)
    .option('--workers <n>', 'threads scoring files of 50,000 declarations or more (0 = this thread only; default: one per core)', num('--workers', 0, 64))
    .action(async (opts: { model: string; data: string; mapping: string; out: string; red: number; yellow: number; random: number; per: string; rules?: string; reasons: number; seed: number; workers?: number }) => {
      if (opts.per !== 'file' && opts.per !== 'office-day') throw new Error('--per: "file" or "office-day"');
      const mapping = readMapping(opts.mapping);
      const rules = opts.rules ? (JSON.parse(readFileSync(opts.rules, 'utf8')) as SelectivityRule[]) : [];
      const t0 = performance.now();
      // Read, scored, allocated and written in one pass; big files on worker threads (same output, byte for byte).
      const r = await scoreCsvFile({ ...opts, per: opts.per, modelText: readFileSync(opts.model, 'utf8'), mapping, rules });
      const secs = (performance.now() - t0) / 1000;
      ctx.out(
        `scored ${r.rows} declarations in ${secs.toFixed(2)} s (${r.batches} batch(es)): red ${r.counts.red} (random ${r.counts.random}), yellow ${r.counts.yellow}, green ${r.counts.green}; written to ${opts.out}`,
      );
    });

  risk
    .command('evaluate')
    .description('Precision, recall and revenue at inspection rates, and AUC, of scores against known outcomes')
    .requiredOption('--scores <file>', 'scores (CSV with id,score) from risk score')
    .requiredOption('--data <file>', 'the same declarations with outcomes (CSV)')
    .requiredOption('--mapping <file>', 'column mapping (JSON)')
    .option('--at <percents>', 'inspection rates in %, comma-separated', '1,2,5,10')
    .option('--json <file>', 'where to write the figures (default: beside the scores, .evaluation.json)')
    .action((opts: { scores: string; data: string; mapping: string; at: string; json?: string }) => {
      const at = opts.at.split(',').map((s) => num('--at', 1e-9, 100)(s.trim()));
      const mapping = readMapping(opts.mapping);
      const rows = readDeclarationsFile(opts.data, mapping, true);
      const { header, rows: srows } = readCsv(opts.scores);
      const idCol = header.indexOf('id');
      const scoreCol = header.indexOf('score');
      if (idCol < 0 || scoreCol < 0) throw new Error(`${opts.scores}: needs columns id and score`);
      const scoreOf = new Map<string, number>();
      const problems: string[] = [];
      for (const { line, values } of srows) {
        const id = values[idCol]?.trim() ?? '';
        const s = Number(values[scoreCol]);
        if (!Number.isFinite(s) || values[scoreCol]?.trim() === '') problems.push(`${opts.scores}: line ${line}: score "${values[scoreCol]}" is not a number`);
        else if (scoreOf.has(id)) problems.push(`${opts.scores}: line ${line}: id ${id} scored twice`);
        else scoreOf.set(id, s);
      }
      const seen = new Set<string>();
      for (const r of rows) {
        if (seen.has(r.id)) problems.push(`${opts.data}: line ${r.line}: id ${r.id} appears twice`);
        seen.add(r.id);
        if (!scoreOf.has(r.id)) problems.push(`${opts.data}: line ${r.line}: id ${r.id} has no score`);
      }
      for (const id of scoreOf.keys()) if (!seen.has(id)) problems.push(`${opts.scores}: id ${id} is not in ${opts.data}`);
      if (problems.length) throw new Error(`${problems.length} problem(s), nothing evaluated:\n${problems.slice(0, 20).join('\n')}${problems.length > 20 ? `\n… and ${problems.length - 20} more` : ''}`);
      const ev = evaluateSelection(
        rows.map((r) => scoreOf.get(r.id)!),
        rows.map((r) => r.label!),
        at,
        mapping.revenue ? rows.map((r) => r.revenue) : undefined,
      );
      for (const l of formatEvaluation(ev)) ctx.out(l);
      const jsonFile = opts.json ?? opts.scores.replace(/(\.csv)?$/i, '.evaluation.json');
      writeFileSync(jsonFile, JSON.stringify({ scores: opts.scores, data: opts.data, ...ev }, null, 2) + '\n');
      ctx.out(`figures written to ${jsonFile}`);
    });

  // `risk import --db` (the server's import from the command line) lives in its own file.
  risk.addCommand(riskImportCommand(ctx));
  return risk;
}
