// `npm run bench -- cases [--n 100000] [--import-n 20000] [--no-pglite-import] [--no-index] [--keep] [--no-import] [--no-search] [--baseline] [--queries 200] [--replicate R] [--load-only] [--plans 3] [--no-http] [--no-words]`: the case registry's figures.
//  (a) import N generated cases through `cordon import cases FILE` into PostgreSQL and into PGlite on
//      disk; in the same run COPY the same CSV into a bare table as the floor (goal: import ≥ 30% of COPY
//      on PostgreSQL; --no-pglite-import: PostgreSQL only; --no-index: skip timing the text index catch-up);
//  (b) search over N cases on PostgreSQL through `cases.list`: text + two filters, p50/p95/p99 for the
//      earlier mix of common words and for each kind of query (common, rare, absent, two-letter words)
//      (goal: p95 < 150 ms at 1,000,000); `--baseline` also times each kind with PostgreSQL choosing the
//      plan alone (no trigram statistics: the behaviour before migration 0017); `--queries` timed per
//      figure (a quarter per kind, an eighth for the baseline);
//      Every timed query's plan (and the `--plans` slowest of each figure under EXPLAIN (ANALYZE, BUFFERS))
//      goes to bench/results/cases-search-plans.json, the slowest summarised on stderr; --no-words: choose
//      plans as before the word index (migration 0023), for before/after on one data set;
//  (c) GET /api/cases/:id and a filtered list under load (autocannon, loopback, a real server; --no-http: skip).
// The search data set is loaded with the demo seed (`seedDemoCases`) into schema bench_search; --keep
// leaves it there so a second run skips the load.
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import { createDb, migrate, sql, type Db } from '@cordon/db';
import { generateCases, type SynthCase } from '@cordon/engine';
import { buildApp, createServices, seedDemo, seedDemoCases, testConfig } from '@cordon/server';
import { buildProgram } from '../apps/cli/src/program.js';
import type { CaseQuery } from '@cordon/contracts';
import { TEMPLATE_COLUMNS } from '../apps/server/src/features/cases/import/template.js';
import type { SearchPlan } from '../apps/server/src/features/cases/search-plan.js';
import type { Principal } from '../apps/server/src/features/auth/principal.js';

export interface Figure {
  suite: string;
  name: string;
  n: number;
  unit: string;
  perSecond?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  value?: number;
}

const arg = (argv: string[], name: string, dflt: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const today = () => new Date().toISOString().slice(0, 10);
const log = (s: string) => process.stderr.write(s + '\n');

/**
 * The import template's CSV for generated cases (one goods line, two subjects: what the template holds),
 * written to `file` 10,000 lines at a time: a million cases are ~600 MB, beyond a JavaScript string.
 */
function writeCasesCsv(file: string, cases: Iterable<SynthCase>): { rows: number; bytes: number } {
  const keys = TEMPLATE_COLUMNS.map((c) => c.key);
  const q = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
  const fd = openSync(file, 'w');
  let lines = [keys.join(',')];
  let rows = 0;
  let bytes = 0;
  const flush = () => {
    const chunk = Buffer.from(lines.join('\n') + '\n');
    writeSync(fd, chunk);
    bytes += chunk.length;
    lines = [];
  };
  for (const c of cases) {
    const b = c.body;
    const g = b.goods[0];
    const row: Record<string, unknown> = {
      source_ref: b.sourceRef, title: b.title, summary: b.summary, violation_type: b.violationType, detected_on: b.detectedOn, province: b.provinceCode,
      border_gate: b.borderGate, place: b.place, route: b.route, goods_category: g?.category, hs_code: g?.hsCode, goods_description: g?.description,
      quantity: g?.quantity, unit: g?.unit, value_vnd: g?.valueVnd, sensitivity: b.sensitivity,
    };
    b.subjects.slice(0, 2).forEach((s, i) => {
      const p = `subject${i + 1}_`;
      Object.assign(row, { [p + 'kind']: s.kind, [p + 'role']: s.role, [p + 'name']: s.name, [p + 'id_number']: s.idNumber, [p + 'tax_code']: s.taxCode, [p + 'plate']: s.plate, [p + 'phone']: s.phone });
    });
    lines.push(keys.map((k) => q(row[k])).join(','));
    rows++;
    if (lines.length >= 10_000) flush();
  }
  if (lines.length) flush();
  closeSync(fd);
  return { rows, bytes };
}

const BARE_TABLE = `(${TEMPLATE_COLUMNS.map((c) => `"${c.key}" text`).join(', ')})`;

async function pgSchemaDb(url: string, schema: string, fresh: boolean): Promise<{ db: Db; url: string }> {
  const admin = await createDb({ databaseUrl: url, poolSize: 1 });
  // pg_trgm in public, before any bench schema: created first inside a schema on the search path, it
  // would vanish from every other schema's view (migration 0003 says IF NOT EXISTS).
  await admin.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public');
  if (fresh) await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin.close();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  const db = await createDb({ databaseUrl: u.toString() });
  await migrate(db);
  return { db, url: u.toString() };
}

/**
 * CPU seconds (utime + stime from /proc) of the PostgreSQL backends named `app` (application_name): the
 * server must run on this machine; undefined when it does not (or /proc is unreadable). Wall figures on a
 * shared box swing with the load; CPU per row does much less, so the import and catch-up report both.
 */
async function backendCpu(db: Db, app: string): Promise<number | undefined> {
  try {
    const pids = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [app]);
    let secs = 0;
    for (const { pid } of pids) {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      secs += (Number(f[11]) + Number(f[12])) / 100; // clock ticks (USER_HZ = 100 on Linux)
    }
    return pids.length ? secs : undefined;
  } catch {
    return undefined;
  }
}

interface CliImportResult { secs: number; indexSecs: number; indexBatchSecs: number; output: string[]; nodeCpu: number; indexNodeCpu: number; backendCpu?: number | undefined; indexBackendCpu?: number | undefined }

/**
 * Runs the real command (`cordon import cases FILE --unit …`) in this process against the given database.
 * `named` opens it with an application_name (PostgreSQL) so its backends' CPU can be read before it closes.
 */
async function cliImport(open: () => Promise<Db>, file: string, unit: string, index = true, named?: (app: string) => Promise<Db>): Promise<CliImportResult> {
  const output: string[] = [];
  let backend: number | undefined;
  const app = `cordon_bench_import_${process.pid}`;
  const tracked = async (name: string): Promise<Db> => {
    if (!named) return open();
    const db = await named(name);
    return { ...db, close: async () => {
      backend = (backend ?? 0) + ((await backendCpu(db, name)) ?? Number.NaN);
      await db.close();
    } };
  };
  const program = buildProgram({ openDb: () => tracked(app), out: (l) => output.push(l), err: () => {} });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // --defer-index: the command ends when the cases are committed; the text index is timed apart below
  await program.parseAsync(['node', 'cordon', 'import', 'cases', file, '--unit', unit, '--defer-index']);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const result: CliImportResult = { secs, indexSecs: 0, indexBatchSecs: 0, output, nodeCpu: (cpu.user + cpu.system) / 1e6, indexNodeCpu: 0, backendCpu: Number.isNaN(backend) ? undefined : backend };
  if (!index) return result;
  backend = undefined;
  const db = await tracked(`${app}_index`);
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  // the batches alone: after the last one the drain counts the search statistics again (and vacuums after a large one)
  await createServices(db, testConfig()).searchIndexer.drain(() => {
    result.indexBatchSecs = (performance.now() - t1) / 1000;
  });
  result.indexSecs = (performance.now() - t1) / 1000;
  const icpu = process.cpuUsage(cpu1);
  result.indexNodeCpu = (icpu.user + icpu.system) / 1e6;
  await db.close();
  result.indexBackendCpu = Number.isNaN(backend) ? undefined : backend;
  return result;
}

async function importSuite(n: number, dir: string, pglite: boolean, index = true): Promise<Figure[]> {
  const figures: Figure[] = [];
  const file = join(dir, 'cases.csv');
  const { rows, bytes } = writeCasesCsv(file, generateCases({ count: n, seed: 389, years: 3, until: today() }));
  chmodSync(file, 0o644); // the PostgreSQL server reads it for the COPY floor
  log(`import: ${rows} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB CSV`);

  const engines: { engine: string; open: () => Promise<Db>; named?: (app: string) => Promise<Db>; copy: () => Promise<number>; bound?: () => Promise<{ cases: number; all: number }>; cleanup: () => Promise<void> }[] = [];
  const url = process.env.DATABASE_URL;
  if (url) {
    const { db, url: schemaUrl } = await pgSchemaDb(url, 'import_bench', true);
    const s = createServices(db, testConfig({ demo: true }));
    await seedDemo(db, s.audit, s.clock, 'cordon-demo');
    await db.close();
    engines.push({
      engine: 'postgres',
      open: () => createDb({ databaseUrl: schemaUrl }),
      named: (app) => {
        const u = new URL(schemaUrl);
        u.searchParams.set('application_name', app);
        return createDb({ databaseUrl: u.toString() });
      },
      copy: async () => {
        const d = await createDb({ databaseUrl: schemaUrl, poolSize: 1 });
        await d.exec(`CREATE TABLE copy_floor ${BARE_TABLE}`);
        const t0 = performance.now();
        // server-side COPY of the same file: the floor without any client in the way
        await d.exec(`COPY copy_floor FROM '${file}' WITH (FORMAT csv, HEADER true)`);
        const secs = (performance.now() - t0) / 1000;
        await d.close();
        return secs;
      },
      bound: () => boundCopy(schemaUrl, dir),
      cleanup: async () => {
        const d = await createDb({ databaseUrl: url, poolSize: 1 });
        await d.exec('DROP SCHEMA import_bench CASCADE');
        await d.close();
      },
    });
  }
  const pgliteDir = join(dir, 'pglite');
  if (pglite) {
    const db = await createDb({ dataDir: pgliteDir });
    await migrate(db);
    const s = createServices(db, testConfig({ demo: true }));
    await seedDemo(db, s.audit, s.clock, 'cordon-demo');
    await db.close();
    engines.push({
      engine: 'pglite',
      open: () => createDb({ dataDir: pgliteDir }),
      copy: async () => {
        const pgl = await PGlite.create({ dataDir: join(dir, 'pglite-floor') });
        await pgl.exec(`CREATE TABLE copy_floor ${BARE_TABLE}`);
        const t0 = performance.now();
        await pgl.query(`COPY copy_floor FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob: new Blob([readFileSync(file)]) });
        const secs = (performance.now() - t0) / 1000;
        await pgl.close();
        return secs;
      },
      cleanup: async () => {},
    });
  }
  for (const e of engines) {
    const suite = `cases-import/${e.engine}`;
    const copySecs = await e.copy();
    const imp = await cliImport(e.open, file, 'CUSTOMS-LS', index, e.named);
    log(`${e.engine}: ${imp.output.join(' | ')}`);
    const copyRate = rows / copySecs;
    const importRate = rows / imp.secs;
    figures.push({ suite, name: 'COPY into a bare table (floor)', n: rows, unit: 'rows/s', value: copyRate });
    figures.push({ suite, name: 'cordon import cases (CSV)', n: rows, unit: 'rows/s', value: importRate });
    figures.push({ suite, name: 'import ÷ COPY (goal ≥ 0.30 on pg)', n: rows, unit: 'ratio', value: importRate / copyRate });
    // CPU per row: Node.js (the whole import on PGlite, which runs in this process) and the PostgreSQL backends
    figures.push({ suite, name: e.engine === 'pglite' ? 'import: process CPU per row (PGlite in process)' : 'import: Node.js CPU per row', n: rows, unit: 'µs', value: (imp.nodeCpu / rows) * 1e6 });
    if (imp.backendCpu !== undefined) figures.push({ suite, name: 'import: PostgreSQL backend CPU per row', n: rows, unit: 'µs', value: (imp.backendCpu / rows) * 1e6 });
    if (e.bound) {
      // What the tables themselves allow: the import's own rows COPYed into copies of them with every index.
      const b = await e.bound();
      figures.push({ suite, name: 'bound: COPY into cases copy + indexes, no triggers', n: rows, unit: 'rows/s', value: rows / b.cases });
      figures.push({ suite, name: 'bound (cases) ÷ COPY floor', n: rows, unit: 'ratio', value: copySecs / b.cases });
      figures.push({ suite, name: 'bound: cases + goods, subjects, history copies', n: rows, unit: 'rows/s', value: rows / b.all });
      figures.push({ suite, name: 'bound (all four) ÷ COPY floor', n: rows, unit: 'ratio', value: copySecs / b.all });
      figures.push({ suite, name: 'import ÷ bound (all four)', n: rows, unit: 'ratio', value: b.all / imp.secs });
    }
    if (index) {
      figures.push({ suite, name: 'text index catch-up after the import', n: rows, unit: 'rows/s', value: rows / imp.indexSecs });
      figures.push({ suite, name: 'catch-up: the batches alone (no statistics count)', n: rows, unit: 'rows/s', value: rows / imp.indexBatchSecs });
      if (imp.indexBackendCpu !== undefined) figures.push({ suite, name: 'catch-up: PostgreSQL backend CPU per case', n: rows, unit: 'µs', value: (imp.indexBackendCpu / rows) * 1e6 });
      figures.push({ suite, name: 'import + text index, end to end ÷ COPY', n: rows, unit: 'ratio', value: rows / (imp.secs + imp.indexSecs) / copyRate });
    }
    await e.cleanup();
  }
  return figures;
}

/**
 * The honest bound for the import (issue 3): the rows the import just wrote (its cases, their goods,
 * subjects and first history rows) dumped by the server and COPYed back into `LIKE … INCLUDING ALL`
 * copies of the four tables: every index, expression and partial one included (the text indexes get
 * nothing, as for the import: the cases are `search_pending`), no triggers, no foreign keys. What COPY
 * into these tables costs, however the import is written. Seconds for cases alone and for all four.
 */
async function boundCopy(schemaUrl: string, dir: string): Promise<{ cases: number; all: number }> {
  const out = join(dir, 'bound');
  mkdirSync(out, { recursive: true });
  chmodSync(out, 0o777); // the server writes the dumps
  const d = await createDb({ databaseUrl: schemaUrl, poolSize: 1 });
  const tables = ['cases', 'case_goods', 'case_subjects', 'case_status_history'];
  const cols: Record<string, string> = {};
  for (const t of tables) {
    await d.exec(`CREATE TABLE bound_${t} (LIKE ${t} INCLUDING ALL)`);
    cols[t] = (await d.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, [t])).map((r) => `"${r.c}"`).join(', ');
    const where = t === 'cases' ? 'import_id IS NOT NULL' : 'case_id IN (SELECT id FROM cases WHERE import_id IS NOT NULL)';
    // as the import leaves them: pending for the text indexes (the catch-up may have run since)
    const select = cols[t]!.replace('"search_pending"', 'true AS search_pending');
    await d.exec(`COPY (SELECT ${select} FROM ${t} WHERE ${where}) TO '${join(out, t)}'`);
  }
  const secs: number[] = [];
  for (const t of tables) {
    const t0 = performance.now();
    await d.exec(`COPY bound_${t} (${cols[t]}) FROM '${join(out, t)}'`);
    secs.push((performance.now() - t0) / 1000);
  }
  for (const t of tables) await d.exec(`DROP TABLE bound_${t}`);
  await d.close();
  return { cases: secs[0]!, all: secs.reduce((a, b) => a + b, 0) };
}

interface PlanNode { [k: string]: unknown; Plans?: PlanNode[] }
/**
 * One line from EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON): execution time, the statement's buffers, then
 * the plan tree with each node's actual rows (× loops), rows a filter or recheck removed and lossy
 * bitmap pages — enough to see why a query was slow without the whole plan.
 */
export function planSummary(explain: unknown): string {
  const top = (explain as { Plan: PlanNode; 'Execution Time': number }[])[0]!;
  const node = (n: PlanNode): string => {
    const name = [n['Node Type'], n['Index Name'] ?? n['Relation Name']].filter(Boolean).join(' ');
    const notes = [`${n['Actual Rows']}${Number(n['Actual Loops']) > 1 ? `×${n['Actual Loops']}` : ''}`];
    if (n['Rows Removed by Filter']) notes.push(`filtered ${n['Rows Removed by Filter']}`);
    if (n['Rows Removed by Index Recheck']) notes.push(`rechecked away ${n['Rows Removed by Index Recheck']}`);
    if (n['Lossy Heap Blocks']) notes.push(`lossy ${n['Lossy Heap Blocks']}`);
    if (n['Exact Heap Blocks']) notes.push(`heap ${n['Exact Heap Blocks']}`);
    const kids = (n.Plans ?? []).map(node);
    return `${name}(${notes.join(', ')})${kids.length ? ` > ${kids.length > 1 ? `[${kids.join('; ')}]` : kids[0]}` : ''}`;
  };
  const p = top.Plan;
  return `${top['Execution Time'].toFixed(1)} ms, buffers hit ${p['Shared Hit Blocks']} read ${p['Shared Read Blocks']}: ${node(p)}`;
}

/** Where the search figures' plan log goes (see `time` in searchAndLoadSuite). */
const PLAN_LOG = 'bench/results/cases-search-plans.json';

const WORDS = ['thuoc la', 'duong cat', 'my pham', 'sua bot', 'dau do', 'phao no', 'hoa don', 'vang', 'giay dep', 'ruou', 'ga giong', 'dien thoai', 'ma tuy', 'nhap lau', 'gia mao', 'khong ro nguon goc'];
/**
 * Queries by kind, for the figures per kind (counts at 1,000,000 generated cases, seed 389, in
 * docs/development.md). Rare: a few hundred to a few thousand cases, or a handful (codes, references);
 * absent: no case; two-letter: only Vietnamese syllables without a trigram of their own.
 */
const QUERY_KINDS: Record<string, string[]> = {
  common: WORDS,
  rare: ['tra linh', 'hoang thi', 'ngoai te', 'macallan', 'mong cai', 'converse', 'vv-2025-0001', 'bb-00001'],
  absent: ['zqxw', 'hinh su', 'ho tieu', 'thuoc la zqxw', 'nguyen van zzz', 'qqq'],
  'two-letter': ['la', 'ga', 'my', 'ma', 'la ga', 'my ga', 'ao', 'xe'],
};
const PROVINCES = ['01', '79', '31', '22', '20', '91', '80', '44', '48', '40'];
const FORCES = ['MARKET_SURVEILLANCE', 'POLICE', 'CUSTOMS', 'BORDER_GUARD', 'TAX'];

/**
 * Copies of the seeded cases (`--replicate R`): new ids, codes and source references, every date moved
 * by one random shift of up to a month; no child rows (goods, subjects, history), so filters on goods
 * or subjects find only the originals. Written as already indexed: the text indexes are dropped, the
 * copies inserted without triggers (`session_replication_role = replica`: the monthly sums are then
 * wrong in this schema), and the indexes built again from their own definitions.
 */
async function replicateCasesIndexed(db: Db, copies: number): Promise<void> {
  const cols = (await db.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'cases' AND is_generated = 'NEVER' ORDER BY ordinal_position`)).map((r) => r.c);
  const indexes = await db.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = 'cases' AND (indexdef ILIKE '%gin_trgm_ops%' OR indexdef ILIKE '%case_search_keys%')`);
  const t0 = performance.now();
  await db.kysely.connection().execute(async (conn) => {
    await sql`SET session_replication_role = replica`.execute(conn);
    for (const ix of indexes) await sql.raw(`DROP INDEX ${ix.name}`).execute(conn);
    for (let i = 1; i <= copies; i++) {
      const expr: Record<string, string> = {
        id: 'gen_random_uuid()', code: `c.code || '~${i}'`, source_ref: `c.source_ref || '~${i}'`, search_pending: 'false',
        detected_on: 'c.detected_on + c.shift', penalty_decided_on: 'c.penalty_decided_on + c.shift',
        transferred_on: 'c.transferred_on + c.shift', prosecuted_on: 'c.prosecuted_on + c.shift',
      };
      await sql.raw(`INSERT INTO cases (${cols.join(', ')})
        SELECT ${cols.map((c) => expr[c] ?? `c.${c}`).join(', ')}
        FROM (SELECT *, (floor(random() * 61) - 30)::int AS shift FROM cases WHERE code NOT LIKE '%~%') c`).execute(conn);
      log(`  copy ${i}/${copies}: ${Math.round(performance.now() - t0)} ms`);
    }
    await sql`SET maintenance_work_mem = '256MB'`.execute(conn);
    for (const ix of indexes) {
      await sql.raw(ix.def).execute(conn);
      log(`  ${ix.name} built: ${Math.round(performance.now() - t0)} ms`);
    }
    await sql`RESET session_replication_role`.execute(conn);
  });
}

async function searchAndLoadSuite(n: number, keep: boolean, baseline: boolean, queries: number, replicate = 1, loadOnly = false, explainSlowest = 3, http = true, words = true): Promise<Figure[]> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    log('cases search/load: set DATABASE_URL (the search figures are for PostgreSQL)');
    return [];
  }
  const figures: Figure[] = [];
  const suite = 'cases-search/postgres';
  const { db } = await pgSchemaDb(url, 'bench_search', false);
  const s = createServices(db, testConfig({ demo: true, loginRatePerMinute: 1_000_000 }));
  await seedDemo(db, s.audit, s.clock, 'cordon-demo');
  const have = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;
  if (have < n && replicate > 1) {
    // Fast path for 1,000,000: seed n / R cases (a whole, smaller three-year data set), index them,
    // then copy them R - 1 times in SQL (see replicateCasesIndexed).
    const seeded = Math.ceil(n / replicate);
    if (have < seeded) {
      const r = await seedDemoCases(db, s.audit, s.clock, { count: seeded - have, seed: 389, years: 3, until: today(), batchSize: 2000 });
      figures.push({ suite, name: 'demo seed load (cases + children)', n: r.inserted, unit: 'cases/s', value: r.inserted / (r.ms / 1000) });
    }
    await s.searchIndexer.drain();
    await replicateCasesIndexed(db, replicate - 1);
  } else if (have < n) {
    let shown = 0;
    const r = await seedDemoCases(db, s.audit, s.clock, {
      count: n, seed: 389, years: 3, until: today(), batchSize: 2000,
      onProgress: (done) => {
        if (done - shown >= 50_000) {
          shown = done;
          log(`  loaded ${done}`);
        }
      },
    });
    figures.push({ suite, name: 'demo seed load (cases + children)', n: r.inserted, unit: 'cases/s', value: r.inserted / (r.ms / 1000) });
  }
  // The seed leaves its cases to the text indexer, as a server would after a load: index them first.
  const t0 = performance.now();
  const indexed = await s.searchIndexer.drain();
  if (indexed) figures.push({ suite, name: 'text index catch-up after the load', n: indexed, unit: 'cases/s', value: indexed / ((performance.now() - t0) / 1000) });
  // a migration that made the derived key sample again (0026) leaves it empty until the next count
  const unsampled = !(await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM case_search_key_sample) AS any'))[0]!.any;
  if (indexed || have < n) await db.exec('VACUUM ANALYZE cases');
  if (indexed || have < n || unsampled) await db.exec(`SELECT refresh_case_search_trigrams(30000)`);
  const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;
  if (loadOnly) {
    log(`cases search: ${total} cases in schema bench_search, loaded and indexed`);
    await db.close();
    return []; // no figures: a load alone must not replace the search figures in latest.json
  }
  const admin = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
  const analyst = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'customs.officer').executeTakeFirstOrThrow()).id;
  const pAdmin = (await s.auth.principalFor(admin, 'token'))!;
  const pOfficer = (await s.auth.principalFor(analyst, 'token'))!;

  // deterministic query mix: text + two filters (province and a period, or force and status)
  const withFilters = (q: string, i: number) =>
    i % 2 === 0
      ? { q, province: PROVINCES[(i >> 1) % PROVINCES.length]!, from: `${2024 + (i % 3)}-01-01`, limit: 50 }
      : { q, force: FORCES[(i >> 1) % FORCES.length]!, status: 'closed' as const, limit: 50 };
  // The plan log: every timed query with the plan it took; the slowest of each figure run once more
  // under EXPLAIN (ANALYZE, BUFFERS), summarised on stderr and written whole to bench/results.
  const planLog: { figure: string; query: CaseQuery; ms: number; plan?: string; split?: boolean; andFilters?: string | false; keys?: unknown; summary?: string; explain?: unknown }[] = [];
  // The plan `list` takes for a query (the same choice in its own snapshot, after the timed run), and
  // with `analyze` the page under that plan once more with EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON).
  const planOf = (p: Principal, q: CaseQuery, opts: { plan?: SearchPlan; wordIndex?: boolean }, analyze = false) =>
    db.kysely.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
      const chosen = await s.cases.planPage(trx, p, q, opts);
      const explain = analyze
        ? (await trx.executeQuery<{ 'QUERY PLAN': unknown }>({ ...chosen.compiled, sql: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${chosen.compiled.sql}` })).rows[0]!['QUERY PLAN']
        : undefined;
      return { plan: chosen.plan, split: chosen.split, andFilters: chosen.andFilters, keys: chosen.keys, explain };
    });
  const time = async (p: Principal, n: number, query: (i: number) => CaseQuery, given: { plan?: SearchPlan } = {}, figure = '') => {
    const opts = { ...given, wordIndex: words };
    for (let i = 0; i < Math.min(10, n); i++) await s.cases.list(p, query(i), opts); // warm-up
    const times: number[] = [];
    const runs: (typeof planLog)[number][] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await s.cases.list(p, query(i), opts); // an empty page is a legitimate answer (sugar in Hà Nội)
      const ms = performance.now() - t0;
      times.push(ms);
      const chosen = query(i).q ? await planOf(p, query(i), opts) : undefined;
      runs.push({ figure, query: query(i), ms, plan: chosen?.plan, split: chosen?.split, andFilters: chosen?.andFilters, keys: chosen?.keys });
    }
    for (const r of [...runs].sort((a, b) => b.ms - a.ms).slice(0, explainSlowest)) {
      r.explain = r.query.q ? (await planOf(p, r.query, opts, true)).explain : undefined;
      r.summary = r.explain ? planSummary(r.explain) : 'no text: no plan chosen';
      log(`  slow: ${Math.round(r.ms)} ms ${JSON.stringify(r.query)} ${r.plan}${r.split ? '+split' : ''}${r.andFilters ? `+and ${r.andFilters}` : ''} ${JSON.stringify(r.keys)}; again under EXPLAIN: ${r.summary}`);
    }
    planLog.push(...runs);
    times.sort((a, b) => a - b);
    return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99) };
  };
  for (const [who, p] of [['admin', pAdmin], ['customs officer (need-to-know)', pOfficer]] as const) {
    const name = `list: text + 2 filters as ${who}`;
    figures.push({ suite, name, n: total, unit: 'ms', ...(await time(p, queries, (i) => withFilters(WORDS[i % WORDS.length]!, i), {}, name)) });
  }
  const kinds = Object.entries(QUERY_KINDS);
  // all kinds interleaved, as the customs officer: the figure the goal is about
  const mixed = (i: number) => {
    const words = kinds[i % kinds.length]![1];
    return withFilters(words[Math.floor(i / kinds.length) % words.length]!, Math.floor(i / kinds.length));
  };
  const mixName = 'list: common/rare/absent/two-letter + 2 filters, officer';
  figures.push({ suite, name: mixName, n: total, unit: 'ms', ...(await time(pOfficer, queries, mixed, {}, mixName)) });
  for (const [kind, words] of kinds) {
    const query = (i: number) => withFilters(words[i % words.length]!, i);
    const name = `list: ${kind} words + 2 filters, officer`;
    figures.push({ suite, name, n: total, unit: 'ms', ...(await time(pOfficer, Math.ceil(queries / 4), query, {}, name)) });
    if (baseline) figures.push({ suite, name: `${name}, planner alone (before)`, n: total, unit: 'ms', ...(await time(pOfficer, Math.ceil(queries / 8), query, { plan: 'planner' }, `${name}, planner alone (before)`)) });
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(PLAN_LOG, JSON.stringify({ cases: total, at: new Date().toISOString(), queries: planLog }, null, 1));
  log(`plan log (every timed query's plan; the slowest of each figure under EXPLAIN): ${PLAN_LOG}`);
  if (!http) {
    await db.close();
    if (!keep) await dropSearchSchema(url);
    return figures;
  }

  // (c) under load: a real server on loopback
  const app = await buildApp(s);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${addr.port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'cordon-demo' }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const ids = (await db.query<{ id: string }>("SELECT id FROM cases TABLESAMPLE SYSTEM (1) WHERE sensitivity = 'internal' LIMIT 2000")).map((r) => r.id);
  const run = (title: string, path: () => string) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon({ url: base, connections: 10, duration: 10, headers: { cookie }, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }] }, (err, res) => (err ? reject(err) : resolve(res)));
    }).then((r) => {
      figures.push({ suite: 'cases-http/postgres', name: title, n: total, unit: 'req/s', perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, value: r.requests.average });
      if (r.non2xx) log(`${title}: ${r.non2xx} non-2xx responses`);
    });
  let j = 0;
  await run('GET /api/cases/:id (10 connections)', () => `/api/cases/${ids[j++ % ids.length]}`);
  let m = 0;
  await run('GET /api/cases?q&province&status (10 conn.)', () => {
    const i = m++;
    return `/api/cases?q=${encodeURIComponent(WORDS[i % WORDS.length]!)}&province=${PROVINCES[i % PROVINCES.length]}&status=closed&limit=50`;
  });
  await app.close();
  await db.close();
  if (!keep) await dropSearchSchema(url);
  return figures;
}

async function dropSearchSchema(url: string): Promise<void> {
  const d = await createDb({ databaseUrl: url, poolSize: 1 });
  await d.exec('DROP SCHEMA bench_search CASCADE');
  await d.close();
}

export async function casesSuite(argv: string[]): Promise<Figure[]> {
  const n = arg(argv, '--n', 100_000);
  const importN = arg(argv, '--import-n', Math.min(n, 20_000));
  const keep = argv.includes('--keep');
  const dir = join(tmpdir(), `cordon-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  try {
    const figures: Figure[] = [];
    if (!argv.includes('--no-import')) figures.push(...(await importSuite(importN, dir, !argv.includes('--no-pglite-import'), !argv.includes('--no-index'))));
    if (!argv.includes('--no-search')) {
      figures.push(...(await searchAndLoadSuite(n, keep, argv.includes('--baseline'), arg(argv, '--queries', 200), arg(argv, '--replicate', 1), argv.includes('--load-only'), arg(argv, '--plans', 3), !argv.includes('--no-http'), !argv.includes('--no-words'))));
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
