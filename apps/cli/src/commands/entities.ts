import { Command, Option } from 'commander';
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  buildGazetteer,
  evaluatePairs,
  MappingError,
  missingColumns,
  parseMapping,
  recordFromRow,
  resolveEntities,
  type EntityMapping,
  type EntityRecord,
  type Gazetteer,
  type PairEvaluation,
  type ResolveResult,
} from '@cordon/engine';
import type { CliContext } from '../context.js';
import { createServices, loadConfig, provinceGazetteerInput } from '@cordon/server';

/** A problem with what the user gave us (exit code 2), as opposed to a failure while working. */
export class EntitiesInputError extends Error {}

export function readMapping(path: string): EntityMapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EntitiesInputError(`${path}: not readable JSON (${(err as Error).message})`);
  }
  try {
    return parseMapping(json);
  } catch (err) {
    if (err instanceof MappingError) throw new EntitiesInputError(`${path}: ${err.message}`);
    throw err;
  }
}

function parseCsv(text: string, delimiter: string): string[][] {
  return parse(text, { delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
}

/** Reads one input file through the mapping: header checked, values trimmed. */
export function readEntityFile(path: string, mapping: EntityMapping, source: number): { records: EntityRecord[]; skipped: number } {
  let rows: string[][];
  try {
    rows = parseCsv(readFileSync(path, 'utf8'), mapping.separator);
  } catch (err) {
    throw new EntitiesInputError(`${path}: ${(err as Error).message}`);
  }
  const header = (rows[0] ?? []).map((h) => h.trim());
  const missing = missingColumns(mapping, header);
  if (missing.length) {
    throw new EntitiesInputError(`${path}: column(s) ${missing.map((c) => `"${c}"`).join(', ')} not in the header (${header.join(', ')}); check "separator" (now "${mapping.separator}")`);
  }
  const records: EntityRecord[] = [];
  let skipped = 0;
  for (let r = 1; r < rows.length; r++) {
    const row: Record<string, string | undefined> = {};
    const cells = rows[r]!;
    for (let c = 0; c < header.length; c++) row[header[c]!] = cells[c];
    const rec = recordFromRow(mapping, row, source);
    if (rec) records.push(rec);
    else skipped++;
  }
  return { records, skipped };
}

const GAZETTEER_FILES = { wards: 'wards_2025.csv', formerWards: 'wards_pre2025.csv', crosswalk: 'ward_mapping_old_to_new.csv' } as const;

/**
 * A gazetteer from the published admin-unit files in `dir` (`wards_2025.csv`, and if present
 * `wards_pre2025.csv` and `ward_mapping_old_to_new.csv`, as in ../shared/data/vn/admin-units) plus the
 * provinces `@cordon/reference` knows (`provinceGazetteerInput`, the same the server's sync uses with
 * the ward tables). A missing ward file or column is an input error naming it.
 */
export function gazetteerFromDir(dir: string): Gazetteer {
  const read = (file: string, columns: readonly string[], required: boolean): Record<string, string>[] | undefined => {
    const path = join(dir, file);
    if (!existsSync(path)) {
      if (required) throw new EntitiesInputError(`--gazetteer ${dir}: ${file} not found (the 2025 wards: code,name,…,province_code)`);
      return undefined;
    }
    let rows: Record<string, string>[];
    try {
      rows = parse(readFileSync(path, 'utf8'), { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    } catch (err) {
      throw new EntitiesInputError(`${path}: ${(err as Error).message}`);
    }
    const missing = columns.filter((c) => rows.length && !(c in rows[0]!));
    if (missing.length) throw new EntitiesInputError(`${path}: column(s) ${missing.map((c) => `"${c}"`).join(', ')} missing`);
    return rows;
  };
  const wards = read(GAZETTEER_FILES.wards, ['code', 'name', 'province_code'], true)!;
  const former = read(GAZETTEER_FILES.formerWards, ['code', 'name', 'province_code'], false);
  const crosswalk = read(GAZETTEER_FILES.crosswalk, ['old_code', 'new_code'], false);
  return buildGazetteer({
    ...provinceGazetteerInput(),
    wards: wards.map((w) => ({ code: w.code!, name: w.name!, provinceCode: w.province_code! })),
    ...(former ? { formerWards: former.map((w) => ({ code: w.code!, name: w.name!, provinceCode: w.province_code! })) } : {}),
    ...(crosswalk ? { wardCrosswalk: crosswalk.map((c) => ({ oldCode: c.old_code!, newCode: c.new_code! })) } : {}),
  });
}

export interface ResolveFilesOptions {
  inputs: string[];
  mapping: EntityMapping;
  threshold?: number;
  gazetteer?: Gazetteer;
}

export function resolveFiles(opts: ResolveFilesOptions): ResolveResult {
  if (opts.inputs.length < 1 || opts.inputs.length > 2) throw new EntitiesInputError('give one --input (duplicates within it) or two (links across them)');
  const records = opts.inputs.flatMap((path, source) => readEntityFile(path, opts.mapping, source).records);
  return resolveEntities(opts.mapping.kind, records, {
    ...(opts.mapping.dobFormat ? { dobFormat: opts.mapping.dobFormat } : {}),
    ...(opts.threshold !== undefined ? { reviewThreshold: opts.threshold } : {}),
    ...(opts.gazetteer ? { gazetteer: opts.gazetteer } : {}),
  });
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function pairsCsv(result: ResolveResult): string {
  const lines = ['left_id,right_id,score'];
  for (const p of result.pairs) lines.push(`${csvCell(p.leftId)},${csvCell(p.rightId)},${p.score.toFixed(4)}`);
  return lines.join('\n') + '\n';
}

/** The first two columns of a pairs file (ours, or a truth file such as rec_id_1,rec_id_2), header skipped. */
export function readPairs(path: string): [string, string][] {
  let rows: string[][];
  try {
    const text = readFileSync(path, 'utf8');
    const firstLine = text.slice(0, text.indexOf('\n'));
    const delimiter = firstLine.includes(',') ? ',' : firstLine.includes(';') ? ';' : firstLine.includes('\t') ? '\t' : ',';
    rows = parseCsv(text, delimiter);
  } catch (err) {
    throw new EntitiesInputError(`${path}: ${(err as Error).message}`);
  }
  if (!rows.length || (rows[0]?.length ?? 0) < 2) throw new EntitiesInputError(`${path}: expected at least two columns (left id, right id)`);
  return rows.slice(1).map((r) => [r[0]!.trim(), (r[1] ?? '').trim()]);
}

export function evaluateFiles(pairsPath: string, truthPath: string): PairEvaluation {
  return evaluatePairs(readPairs(pairsPath), readPairs(truthPath));
}

function guard(ctx: CliContext, fn: () => void) {
  try {
    fn();
  } catch (err) {
    if (err instanceof EntitiesInputError) {
      ctx.err(err.message);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

export function entitiesCommand(ctx: CliContext): Command {
  const entities = new Command('entities').description('Entity resolution: on CSV files (resolve, evaluate; no database) and over the case records (sync)');
  entities
    .command('resolve')
    .description('Find duplicates within one input, or links across two, and write the matched pairs')
    .addOption(new Option('--input <file>', 'a CSV file (give twice to link two files)').argParser((v: string, prev: string[] = []) => [...prev, v]).makeOptionMandatory())
    .requiredOption('--mapping <file>', 'JSON mapping of columns to fields (see docs/entity-resolution.md)')
    .requiredOption('--out <file>', 'where to write left_id,right_id,score')
    .option('--threshold <p>', 'probability from which a fuzzy match is kept (default 0.5)', (v) => Number(v))
    .option('--explain <file>', 'also write every pair with its per-field reasons (JSON lines)')
    .option('--gazetteer <dir>', 'read Vietnamese addresses into province and ward with the admin-unit files in this directory (wards_2025.csv [, wards_pre2025.csv, ward_mapping_old_to_new.csv])')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nMapping example (persons; companies use name, taxCode, address; vehicles plate; vessels name, imo, registration):\n' +
        '  {"kind": "person", "id": "rec_id", "separator": ",", "fields": {"givenName": "given_name", "familyName": "surname",\n' +
        '   "fullName": null, "dob": "date_of_birth", "dobFormat": "yyyyMMdd", "idNumber": "soc_sec_id", "phone": null,\n' +
        '   "address": ["street_number", "address_1", "suburb", "postcode", "state"]}}\n\n' +
        'Exact shared identifiers (CCCD/CMND, tax code, plate, a valid IMO) link outright; other pairs are scored field by field\n' +
        '(Fellegi–Sunter, weights estimated from the data) and grouped without chaining.\n\n' +
        'Examples:\n  cordon entities resolve --input a.csv --mapping person.json --out pairs.csv\n' +
        '  cordon entities resolve --input a.csv --input b.csv --mapping person.json --out links.csv',
    )
    .action((opts: { input: string[]; mapping: string; out: string; threshold?: number; explain?: string; gazetteer?: string; json?: boolean }) =>
      guard(ctx, () => {
        if (opts.threshold !== undefined && !(opts.threshold > 0 && opts.threshold < 1)) throw new EntitiesInputError('--threshold must be a probability between 0 and 1');
        const mapping = readMapping(opts.mapping);
        const gazetteer = opts.gazetteer ? gazetteerFromDir(opts.gazetteer) : undefined;
        const started = performance.now();
        const result = resolveFiles({ inputs: opts.input, mapping, ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}), ...(gazetteer ? { gazetteer } : {}) });
        const seconds = (performance.now() - started) / 1000;
        writeFileSync(opts.out, pairsCsv(result));
        if (opts.explain) {
          const lines = result.pairs.map((p) => JSON.stringify({ left_id: p.leftId, right_id: p.rightId, decision: p.decision, ...result.explain(p.left, p.right) }));
          writeFileSync(opts.explain, lines.join('\n') + (lines.length ? '\n' : ''));
        }
        const byDecision = { identifier: 0, match: 0, group: 0 };
        for (const p of result.pairs) byDecision[p.decision]++;
        const summary = { ...result.stats, pairs: result.pairs.length, byDecision, seconds: Number(seconds.toFixed(2)), out: opts.out };
        if (opts.json) ctx.out(JSON.stringify(summary));
        else {
          ctx.out(`${result.stats.records} records (${opts.input.map((f) => basename(f)).join(' + ')}), ${result.stats.candidatePairs} pairs compared, ${summary.pairs} matched pairs → ${opts.out}`);
          ctx.out(`  ${byDecision.identifier} by identifier, ${byDecision.match} scored above the threshold, ${byDecision.group} through their group; ${result.stats.clusters} groups; ${seconds.toFixed(1)} s`);
        }
      }),
    );
  entities
    .command('evaluate')
    .description('Precision, recall and F1 of found pairs against true pairs (order within a pair ignored)')
    .requiredOption('--pairs <file>', 'pairs found (left_id,right_id[,score])')
    .requiredOption('--truth <file>', 'true pairs (first two columns, header line first)')
    .option('--json', 'print JSON')
    .action((opts: { pairs: string; truth: string; json?: boolean }) =>
      guard(ctx, () => {
        const e = evaluateFiles(opts.pairs, opts.truth);
        if (opts.json) ctx.out(JSON.stringify(e));
        else ctx.out(`precision ${e.precision.toFixed(4)}  recall ${e.recall.toFixed(4)}  F1 ${e.f1.toFixed(4)}  (${e.truePositives} of ${e.found} found pairs true; ${e.truth} true pairs)`);
      }),
    );
  entities
    .command('sync')
    .description('Resolve the case subject records in the database into subjects (persons, companies, vehicles, vessels, phones, shops): the records new or changed since the last run and their neighbours, or all with --full; idempotent: a second run writes nothing')
    .option('--full', 'resolve every record, not only what changed since the last run')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { full?: boolean; json?: boolean }) => {
      const db = await ctx.openDb();
      try {
        const r = await createServices(db, loadConfig()).subjects.sync(null, undefined, { full: !!opts.full });
        if (opts.json) ctx.out(JSON.stringify(r));
        else ctx.out(`${r.mode} run: ${r.records} case subject records (${r.resolved} resolved) → ${r.subjects} subjects (largest ${r.largestSubject} records); ${r.changed} memberships written, ${r.created} subjects created, ${r.removed} removed, ${r.proposed} proposed; ${r.seconds.toFixed(1)} s`);
      } finally {
        await db.close();
      }
    });
  return entities;
}
