// `npm run bench -- reports [--n N[,N…]] [--pglite-n N] [--keep] [--replicate R] [--import-n N]`: the
// situation report with one breakdown, p50/p95, against the single hand-written SQL aggregate for the same
// figures in the same run (the floor; goal ≤ 1.5× the floor, p95 < 1 s at 2,000,000 cases on PostgreSQL),
// for whole-month periods and for periods with edge days, and p50/p95 on PGlite.
// Each size has its own schema (bench_reports_200k, bench_reports_2m): with --keep a later run reuses the
// loaded cases, so `--n 200000,2000000 --keep` measures both sizes in one run once they are loaded.
// --replicate R (PostgreSQL, sizes of 1,000,000 and more): load N/R cases through the demo seed (the first N/R of the N-case data set),
// then copy them R−1 times in SQL with all their dates shifted by the same random −30…+30 days: ~10× faster
// to load on a busy machine, same spread over days, provinces, units and goods.
// --import-n N (PostgreSQL): the write cost of the report sums: N cases through the bulk insert path of
// imports and the seed (`insertRows`), in a fresh schema migrated up to 0013 (monthly sums only), up to
// 0014 (monthly + daily sums), and the latter with the sum triggers off; µs per case.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, listMigrations, migrate, type Db } from '@cordon/db';
import { createServices, seedDemo, seedDemoCases, testConfig } from '@cordon/server';
import { loadSituationFacts } from '../apps/server/src/features/reports/reports.queries.js';

interface Figure { suite: string; name: string; n: number; unit: string; p50?: number; p95?: number; p99?: number; value?: number }

const log = (s: string) => process.stderr.write(s + '\n');
const arg = (argv: string[], name: string, dflt: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function timeRuns(runs: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn(i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99) };
}

// Report periods the committees ask for: first 10 months, a quarter, a half-year, a year.
const PERIODS = [
  { from: '2025-01-01', to: '2025-10-31' },
  { from: '2025-07-01', to: '2025-09-30' },
  { from: '2025-01-01', to: '2025-06-30' },
  { from: '2024-01-01', to: '2024-12-31' },
];
// The same lengths, starting and ending mid-month: the edge days are read from the cases.
const EDGE_PERIODS = [
  { from: '2025-01-15', to: '2025-10-20' },
  { from: '2025-07-10', to: '2025-09-25' },
];
const sameLastYear = (d: string) => `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`;

/** The floor: one hand-written aggregate for the same totals and the province breakdown, both periods. */
function floorSql(p: { from: string; to: string }): string {
  const c = { from: sameLastYear(p.from), to: sameLastYear(p.to) };
  const f = (col: string, a: { from: string; to: string }) => `${col} BETWEEN '${a.from}' AND '${a.to}'`;
  const cols = [p, c].flatMap((x, i) => [
    `count(*) FILTER (WHERE ${f('detected_on', x)}) AS cases${i}`,
    `count(*) FILTER (WHERE ${f('penalty_decided_on', x)}) AS penalties${i}`,
    `sum(fine_vnd) FILTER (WHERE ${f('penalty_decided_on', x)}) AS fines${i}`,
    `count(*) FILTER (WHERE ${f('prosecuted_on', x)}) AS prosecuted${i}`,
  ]);
  return `SELECT province_code, ${cols.join(', ')} FROM cases WHERE counts_in_statistics AND detected_on BETWEEN '${c.from}' AND '${p.to}' GROUP BY ROLLUP (province_code)`;
}

/** Copies of the seeded cases (see --replicate): new ids and codes, every date moved by one random shift. */
async function replicateCases(db: Db, copies: number): Promise<void> {
  const cols = (await db.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'cases' ORDER BY ordinal_position`)).map((r) => r.c);
  for (let i = 1; i <= copies; i++) {
    const expr: Record<string, string> = {
      id: 'gen_random_uuid()', code: `c.code || '~${i}'`, source_ref: `c.source_ref || '~${i}'`, search_pending: 'true',
      detected_on: 'c.detected_on + c.shift', penalty_decided_on: 'c.penalty_decided_on + c.shift',
      transferred_on: 'c.transferred_on + c.shift', prosecuted_on: 'c.prosecuted_on + c.shift',
    };
    const t0 = performance.now();
    await db.exec(`INSERT INTO cases (${cols.join(', ')})
      SELECT ${cols.map((c) => expr[c] ?? `c.${c}`).join(', ')}
      FROM (SELECT *, (floor(random() * 61) - 30)::int AS shift FROM cases WHERE code NOT LIKE '%~%') c`);
    log(`  copy ${i}/${copies}: ${Math.round(performance.now() - t0)} ms`);
  }
}

async function measure(db: Db, engine: string, n: number, replicate = 1): Promise<Figure[]> {
  const s = createServices(db, testConfig({ demo: true }));
  await seedDemo(db, s.audit, s.clock, 'cordon-demo');
  const have = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;
  if (have < n) {
    const seeded = Math.ceil(n / replicate);
    log(`reports/${engine}: loading ${Math.max(0, seeded - have)} generated cases${replicate > 1 ? `, then ${replicate - 1} copies` : ''}…`);
    let shown = 0;
    // The seed has no "first K of N": its progress callback (after each committed batch) stops it.
    const enough = new Error('seeded enough');
    try {
      if (have < seeded) {
        await seedDemoCases(db, s.audit, s.clock, {
          count: n, seed: 389, years: 3, until: '2025-12-31', batchSize: 2000,
          onProgress: (done) => {
            if (done - shown >= 100_000) {
              shown = done;
              log(`  ${done}`);
            }
            if (replicate > 1 && done >= seeded) throw enough;
          },
        });
      }
    } catch (e) {
      if (e !== enough) throw e;
    }
    if (replicate > 1) await replicateCases(db, replicate - 1);
  }
  // What autovacuum does in production after a big load: statistics, and the visibility map that
  // lets report scans read the covering index alone.
  await db.exec('VACUUM ANALYZE cases');
  await db.exec('VACUUM ANALYZE case_stats_monthly');
  const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;
  const adminId = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
  const admin = (await s.auth.principalFor(adminId, 'token'))!;
  const suite = `reports/${engine}`;
  const query = (p: { from: string; to: string }) => ({ ...p, compare: 'same-period' as const, groupBy: 'province' as const, locale: 'vi' as const });
  const report = await timeRuns(20, (i) => s.reports.situation(admin, query(PERIODS[i % PERIODS.length]!)));
  const floor = await timeRuns(20, (i) => db.query(floorSql(PERIODS[i % PERIODS.length]!)));
  // The case figures alone (totals, breakdown, hot spots, trend: one statement over the monthly sums),
  // without the report's other sections (tips, directives).
  const y = (d: string, k: number) => `${Number(d.slice(0, 4)) - k}${d.slice(4)}`;
  const facts = await timeRuns(20, (i) => {
    const p = PERIODS[i % PERIODS.length]!;
    return loadSituationFacts(db, [p, { from: y(p.from, 1), to: y(p.to, 1) }, { from: y(p.from, 1), to: y(p.to, 1) }, { from: y(p.from, 2), to: y(p.to, 2) }], { province: null, force: null }, 'province');
  });
  await db.exec('VACUUM ANALYZE case_stats_daily');
  const edges = await timeRuns(20, (i) => s.reports.situation(admin, query(EDGE_PERIODS[i % EDGE_PERIODS.length]!)));
  const edgeFloor = await timeRuns(20, (i) => db.query(floorSql(EDGE_PERIODS[i % EDGE_PERIODS.length]!)));
  return [
    { suite, name: 'situation report + province breakdown', n: total, unit: 'ms', ...report },
    { suite, name: 'hand-written aggregate (floor)', n: total, unit: 'ms', ...floor },
    { suite, name: 'report p50 ÷ floor p50 (goal ≤ 1.5)', n: total, unit: 'ratio', value: report.p50 / floor.p50 },
    { suite, name: 'case figures only (monthly sums)', n: total, unit: 'ms', ...facts },
    { suite, name: 'report, mid-month period (edge days)', n: total, unit: 'ms', ...edges },
    { suite, name: 'floor, mid-month period', n: total, unit: 'ms', ...edgeFloor },
    { suite, name: 'mid-month report p50 ÷ floor p50 (goal ≤ 1.5)', n: total, unit: 'ratio', value: edges.p50 / edgeFloor.p50 },
  ];
}

/** See --import-n: µs per case through the bulk insert path, with the sums of 0011 only, of 0014, and none. */
async function importCost(url: string, n: number): Promise<Figure[]> {
  const variants = [
    { name: 'monthly sums only (migrations up to 0013)', upTo: '0013', triggers: true },
    { name: 'monthly + daily sums (0014)', upTo: '9999', triggers: true },
    { name: 'no sum triggers (0014, triggers off)', upTo: '9999', triggers: false },
  ];
  const figures: Figure[] = [];
  for (const v of variants) {
    const admin = await createDb({ databaseUrl: url, poolSize: 1 });
    await admin.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public; DROP SCHEMA IF EXISTS bench_reports_import CASCADE; CREATE SCHEMA bench_reports_import');
    const u = new URL(url);
    u.searchParams.set('options', '-c search_path=bench_reports_import,public');
    const db = await createDb({ databaseUrl: u.toString() });
    try {
      await migrate(db, listMigrations().filter((m) => m.name.slice(0, 4) <= v.upTo));
      const s = createServices(db, testConfig({ demo: true }));
      await seedDemo(db, s.audit, s.clock, 'cordon-demo');
      if (!v.triggers) await db.exec('ALTER TABLE cases DISABLE TRIGGER case_stats_insert');
      const t0 = performance.now();
      await seedDemoCases(db, s.audit, s.clock, { count: n, seed: 11, years: 3, until: '2025-12-31', batchSize: 2000 });
      const us = ((performance.now() - t0) * 1000) / n;
      log(`import cost, ${v.name}: ${us.toFixed(0)} µs per case`);
      figures.push({ suite: 'reports-import/postgres', name: `bulk insert, ${v.name}`, n, unit: 'µs/case', value: us });
    } finally {
      await db.close();
      await admin.exec('DROP SCHEMA bench_reports_import CASCADE');
      await admin.close();
    }
  }
  return figures;
}

export async function reportsSuite(argv: string[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const url = process.env.DATABASE_URL;
  if (url) {
    const i = argv.indexOf('--n');
    // `--n 0` measures no PostgreSQL size (e.g. with --import-n alone); `--pglite-n 0` skips PGlite.
    const sizes = (i >= 0 ? argv[i + 1]! : '200000').split(',').map(Number).filter((n) => n > 0);
    const importN = arg(argv, '--import-n', 0);
    if (importN > 0) figures.push(...(await importCost(url, importN)));
    for (const n of sizes) {
      const schema = `bench_reports_${n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : n}`;
      const admin = await createDb({ databaseUrl: url, poolSize: 1 });
      // Extensions belong to the database, not a schema: keep pg_trgm in public, on every size's search path.
      await admin.exec(`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public; CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await admin.close();
      const u = new URL(url);
      u.searchParams.set('options', `-c search_path=${schema},public`);
      const db = await createDb({ databaseUrl: u.toString() });
      await migrate(db);
      const measured = await measure(db, 'postgres', n, n >= 1_000_000 ? arg(argv, '--replicate', 1) : 1);
      for (const f of measured) log(`  ${f.name}: ${f.value !== undefined ? f.value.toFixed(2) : `p50 ${f.p50?.toFixed(0)} / p95 ${f.p95?.toFixed(0)}`} ${f.unit}`);
      figures.push(...measured);
      await db.close();
      if (!argv.includes('--keep')) {
        const d = await createDb({ databaseUrl: url, poolSize: 1 });
        await d.exec(`DROP SCHEMA ${schema} CASCADE`);
        await d.close();
      }
    }
  } else log('reports: set DATABASE_URL for the PostgreSQL figures');
  if (arg(argv, '--pglite-n', 50_000) <= 0) return figures;
  const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-reports-'));
  try {
    const db = await createDb({ dataDir: dir }); // on disk: in-memory PGlite slows down on big loads
    await migrate(db);
    figures.push(...(await measure(db, 'pglite', arg(argv, '--pglite-n', 50_000))));
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
