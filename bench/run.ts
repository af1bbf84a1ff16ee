// `npm run bench`: prints a table of figures and writes bench/results/latest.json. Never pass/fail on
// time. Later issues add their own suites to SUITES (case search, report queries, risk scoring, ...).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createDb, migrate, type Db } from '@cordon/db';
import { buildApp, createServices, seedDemo, testConfig } from '@cordon/server';

interface Figure {
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

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function timeEach(n: number, fn: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    times.push(performance.now() - s);
  }
  const total = performance.now() - t0;
  times.sort((a, b) => a - b);
  return { perSecond: (n / total) * 1000, p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99) };
}

async function foundation(db: Db, engine: string): Promise<Figure[]> {
  const services = createServices(db, testConfig({ demo: true, loginRatePerMinute: 100_000 }));
  await seedDemo(db, services.audit, services.clock, 'cordon-demo');
  const app = await buildApp(services);
  const figures: Figure[] = [];
  const suite = `foundation/${engine}`;

  const login = await timeEach(100, () => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'cordon-demo' } }));
  figures.push({ suite, name: 'login (argon2id verify + session)', n: 100, unit: 'ms', ...login });

  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'cordon-demo' } });
  const cookie = res.cookies.find((c) => c.name === 'cordon_sid')!.value;
  const me = await timeEach(1000, () => app.inject({ method: 'GET', url: '/api/me', cookies: { cordon_sid: cookie } }));
  figures.push({ suite, name: 'GET /api/me (session lookup)', n: 1000, unit: 'ms', ...me });

  const append = await timeEach(2000, (i) => services.audit.record({ action: 'bench.append', detail: { i } }));
  figures.push({ suite, name: 'audit append (hash-chained)', n: 2000, unit: 'ms', ...append });

  const t0 = performance.now();
  const v = await services.audit.verify();
  const secs = (performance.now() - t0) / 1000;
  figures.push({ suite, name: 'audit verify', n: v.checked, unit: 'rows/s', value: v.checked / secs });
  await app.close();
  return figures;
}

// `npm run bench` runs the quick foundation suite; `npm run bench -- cases [--n N]` picks suites by name.
const argv = process.argv.slice(2);
const named = argv.filter((a, i) => !a.startsWith('-') && !(argv[i - 1] ?? '').startsWith('--'));
const want = (suite: string) => (named.length ? named.includes(suite) : suite === 'foundation');

const figures: Figure[] = [];
if (want('foundation')) {
const pgliteDb = await createDb();
await migrate(pgliteDb);
figures.push(...(await foundation(pgliteDb, 'pglite')));
await pgliteDb.close();

if (process.env.DATABASE_URL) {
  const pg = await createDb({ databaseUrl: process.env.DATABASE_URL });
  await pg.exec('DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench; SET search_path TO bench');
  await pg.close();
  const url = new URL(process.env.DATABASE_URL);
  url.searchParams.set('options', '-c search_path=bench');
  const db = await createDb({ databaseUrl: url.toString() });
  await migrate(db);
  figures.push(...(await foundation(db, 'postgres')));
  await db.exec('DROP SCHEMA bench CASCADE');
  await db.close();
}
}
if (want('cases')) figures.push(...(await (await import('./cases.js')).casesSuite(argv)));
if (want('reports')) figures.push(...(await (await import('./reports.js')).reportsSuite(argv)));
if (want('dashboard')) figures.push(...(await (await import('./dashboard.js')).dashboardSuite(argv)));
if (want('risk')) figures.push(...(await (await import('./risk.js')).riskSuite(argv)));
if (want('tips')) figures.push(...(await (await import('./tips.js')).tipsSuite()));
if (want('entities')) figures.push(...(await (await import('./entities.js')).entitiesSuite(argv)));
if (want('subjects-sync')) figures.push(...(await (await import('./subjects-sync.js')).subjectsSyncSuite(argv)));

const fmt = (x: number | undefined) => (x === undefined ? '' : x >= 100 ? x.toFixed(0) : x.toFixed(2));
console.log('\nsuite                 | figure                               |     n |  per s |   p50 |   p95 |   p99 | value');
for (const f of figures) {
  console.log(
    `${f.suite.padEnd(21)} | ${f.name.padEnd(36)} | ${String(f.n).padStart(5)} | ${fmt(f.perSecond).padStart(6)} | ${fmt(f.p50).padStart(5)} | ${fmt(f.p95).padStart(5)} | ${fmt(f.p99).padStart(5)} | ${f.value ? `${fmt(f.value)} ${f.unit}` : `(${f.unit})`}`,
  );
}
// Each suite replaces its own figures in latest.json and leaves the other suites' figures alone.
const suiteOf = (f: Figure) => f.suite.split('/')[0];
const ran = new Set(figures.map(suiteOf));
let previous: Figure[] = [];
try {
  previous = (JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as { figures: Figure[] }).figures.filter((f) => !ran.has(suiteOf(f)));
} catch {
  // no earlier results
}
const result = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  memoryMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  figures: [...previous, ...figures],
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify(result, null, 2));
console.log(`\nrss ${result.memoryMiB} MiB; written to bench/results/latest.json`);
