// `npm run bench -- reports [--n N[,N…]] [--pglite-n N] [--keep]`: the situation report with one breakdown,
// p50/p95, against the single hand-written SQL aggregate for the same figures in the same run (the
// floor; goal ≤ 1.5× the floor, p95 < 1 s at 2,000,000 cases on PostgreSQL), and p50/p95 on PGlite.
// Each size has its own schema (bench_reports_200k, bench_reports_2m): with --keep a later run reuses the
// loaded cases, so `--n 200000,2000000 --keep` measures both sizes in one run once they are loaded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrate, type Db } from '@cordon/db';
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

async function measure(db: Db, engine: string, n: number): Promise<Figure[]> {
  const s = createServices(db, testConfig({ demo: true }));
  await seedDemo(db, s.audit, s.clock, 'cordon-demo');
  const have = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;
  if (have < n) {
    log(`reports/${engine}: loading ${n - have} generated cases…`);
    let shown = 0;
    await seedDemoCases(db, s.audit, s.clock, {
      count: n, seed: 389, years: 3, until: '2025-12-31', batchSize: 2000,
      onProgress: (done) => {
        if (done - shown >= 100_000) {
          shown = done;
          log(`  ${done}`);
        }
      },
    });
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
  const edges = await timeRuns(10, (i) => s.reports.situation(admin, query(EDGE_PERIODS[i % EDGE_PERIODS.length]!)));
  return [
    { suite, name: 'situation report + province breakdown', n: total, unit: 'ms', ...report },
    { suite, name: 'hand-written aggregate (floor)', n: total, unit: 'ms', ...floor },
    { suite, name: 'report p50 ÷ floor p50 (goal ≤ 1.5)', n: total, unit: 'ratio', value: report.p50 / floor.p50 },
    { suite, name: 'case figures only (monthly sums)', n: total, unit: 'ms', ...facts },
    { suite, name: 'report, period with edge days', n: total, unit: 'ms', ...edges },
  ];
}

export async function reportsSuite(argv: string[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const url = process.env.DATABASE_URL;
  if (url) {
    const i = argv.indexOf('--n');
    const sizes = (i >= 0 ? argv[i + 1]! : '200000').split(',').map(Number);
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
      figures.push(...(await measure(db, 'postgres', n)));
      await db.close();
      if (!argv.includes('--keep')) {
        const d = await createDb({ databaseUrl: url, poolSize: 1 });
        await d.exec(`DROP SCHEMA ${schema} CASCADE`);
        await d.close();
      }
    }
  } else log('reports: set DATABASE_URL for the PostgreSQL figures');
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
