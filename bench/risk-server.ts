// The server side of the risk engine on customs-kcs, measured through the real HTTP API on loopback:
// import (the CLI's file, through the service), training in the server's worker, and
// POST /api/risk/score — declarations/s in batches (each stored with its score and reasons), and one
// declaration per request under load (autocannon, threshold mode). On PGlite (a temporary directory),
// and on PostgreSQL too when DATABASE_URL is set (schema bench_risk or $RISK_BENCH_SCHEMA, dropped afterwards unless --keep);
// `--server-engine pglite|postgres` runs one of them. `--server-demo` measures only the one-declaration
// latency, on the demo's mapping and model (features/demo/demo-risk.seed.ts) instead of customs-kcs:
// seconds instead of minutes, for trying a change. `--trace` (PostgreSQL) first sends 50 requests one
// after another and prints every SQL statement a request sends, with its mean time (queries per request).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createDb, migrate, type Db } from '@cordon/db';
import { buildApp, createServices, seedDemo, systemClock, testConfig } from '@cordon/server';
import { DEMO_RISK_MAPPING, DEMO_RISK_MAPPING_NAME, demoRiskDeclarations, demoRiskRecord, seedDemoRisk } from '../apps/server/src/features/demo/demo-risk.seed.js';
import { readCsv } from '../apps/cli/src/commands/risk.js';

interface Figure {
  suite: string;
  name: string;
  n: number;
  unit: string;
  perSecond?: number;
  value?: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function openDb(engine: 'pglite' | 'postgres', keep: boolean): Promise<{ db: Db; engine: string; done: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (engine === 'postgres' && url) {
    const admin = await createDb({ databaseUrl: url, poolSize: 1 });
    await admin.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public');
    // RISK_BENCH_SCHEMA: another schema name, so two benches can share a database.
    const schema = process.env.RISK_BENCH_SCHEMA ?? 'bench_risk';
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('RISK_BENCH_SCHEMA: letters, digits and _ only');
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await admin.close();
    const u = new URL(url);
    u.searchParams.set('options', `-c search_path=${schema},public`);
    const db = await createDb({ databaseUrl: u.toString() });
    await migrate(db);
    return {
      db, engine: 'postgres',
      done: async () => {
        if (!keep) await db.exec(`DROP SCHEMA ${schema} CASCADE`);
        await db.close();
      },
    };
  }
  // On disk: in-memory PGlite slows down badly on large loads (docs ARCHITECTURE "Traps").
  const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-risk-'));
  const db = await createDb({ dataDir: dir });
  await migrate(db);
  return { db, engine: 'pglite', done: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function riskServerFigures(dataDir: string, mapping: Record<string, unknown>, argv: string[]): Promise<Figure[]> {
  const pick = argv[argv.indexOf('--server-engine') + 1];
  const engines = argv.includes('--server-engine') ? [pick as 'pglite' | 'postgres'] : process.env.DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
  const figures: Figure[] = [];
  for (const e of engines) figures.push(...(await serverFigures(e, dataDir, mapping, argv.includes('--keep'), argv.includes('--server-demo'), argv.includes('--trace'))));
  return figures;
}

async function serverFigures(which: 'pglite' | 'postgres', dataDir: string, mapping: Record<string, unknown>, keep: boolean, demo: boolean, trace: boolean): Promise<Figure[]> {
  const { db, engine, done } = await openDb(which, keep);
  const suite = demo ? `risk-http/${engine}-demo` : `risk-http/${engine}`;
  const figures: Figure[] = [];
  const s = createServices(db, testConfig({ loginRatePerMinute: 10_000 }), systemClock);
  await seedDemo(db, s.audit, systemClock, 'cordon-demo');
  const app = await buildApp(s);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  try {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'risk', password: 'cordon-demo' }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const r = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<Record<string, unknown>>;
    };
    if (demo) {
      await seedDemoRisk(s);
      const [m] = await db.query<{ id: string }>('SELECT id FROM risk_mappings WHERE name = $1', [DEMO_RISK_MAPPING_NAME]);
      const records = demoRiskDeclarations(new Date().toISOString().slice(0, 10)).map(demoRiskRecord);
      figures.push(...(await oneByOne(base, headers, m!.id, records, DEMO_RISK_MAPPING.id, suite, trace && engine === 'postgres')));
      return figures;
    }
    const m = await post('/api/risk/mappings', { name: 'customs-kcs', mapping });
    const mappingId = m.id as string;
    const [userId] = (await db.query<{ id: string }>("SELECT id FROM users WHERE username = 'risk'")).map((r) => r.id);
    const p = (await s.auth.principalFor(userId!, 'token'))!;

    // Import: both windows with their outcomes, through the same service the upload route calls.
    let imported = 0;
    let t = performance.now();
    for (const f of ['df_syn_train_eng.csv', 'df_syn_valid_eng.csv']) {
      const r = await s.risk.importDeclarations(p, { mappingId, fileName: f, bytes: readFileSync(dataDir + f), mode: 'partial' });
      imported += r.imported;
    }
    figures.push({ suite, name: 'import declarations + outcomes', n: imported, unit: 'rows/s', value: imported / ((performance.now() - t) / 1000) });

    // Training in the server's worker thread, windows as the paper's protocol.
    t = performance.now();
    const job = await s.risk.startTraining(p, { mappingId, trainFrom: '2020-01-01', trainTo: '2020-12-31', validFrom: '2021-01-01', validTo: '2021-03-31', params: {} }, { wait: true });
    if (job.status !== 'succeeded') throw new Error(`training failed: ${job.error}`);
    figures.push({ suite, name: 'train from the database (worker)', n: imported, unit: 's', value: (performance.now() - t) / 1000 });
    const model = (await s.risk.listModels(p, mappingId)).items[0]!;
    await s.risk.promote(p, model.id, model.version);
    figures.push({ suite, name: 'stored model: valid precision@5%', n: model.validRows, unit: 'share', value: model.metrics?.at.find((a) => a.percent === 5)?.precision ?? undefined });

    // New declarations to score: the validation rows under fresh ids (each request stores them).
    const { header, rows } = readCsv(dataDir + 'df_syn_valid_eng.csv');
    const cols = [...new Set([mapping.id, mapping.date, mapping.office, ...(mapping.categorical as string[]), ...(mapping.numeric as string[])] as string[])];
    const idx = cols.map((c) => header.indexOf(c));
    const records = rows.map((r) => Object.fromEntries(cols.map((c, j) => [c, r.values[idx[j]!] ?? ''])));
    let serial = 0;
    const fresh = (rec: Record<string, string>) => ({ ...rec, [mapping.id as string]: `S${serial++}` });

    for (const size of [100, 1000, 5000]) {
      const total = size >= 1000 ? 20_000 : 5_000;
      const lat: number[] = [];
      const t0 = performance.now();
      for (let done = 0; done < total; done += size) {
        const batch = Array.from({ length: size }, (_, k) => fresh(records[(done + k) % records.length]!));
        const t1 = performance.now();
        const out = await post('/api/risk/score', { mappingId, rows: batch });
        lat.push(performance.now() - t1);
        if ((out.results as unknown[]).length !== size) throw new Error('short answer');
      }
      lat.sort((a, b) => a - b);
      const secs = (performance.now() - t0) / 1000;
      figures.push({ suite, name: `POST /api/risk/score, batches of ${size}`, n: total, unit: 'decl/s', perSecond: total / secs, value: total / secs, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), p99: quantile(lat, 0.99) });
    }

    figures.push(...(await oneByOne(base, headers, mappingId, records, mapping.id as string, suite, trace && engine === 'postgres')));
  } finally {
    await app.close();
    // autocannon drops its connections at the end of a run with requests still in flight: their scores
    // are still being written. Dropping the schema under them deadlocked (end of session 4); wait first.
    await s.risk.idle();
    await done();
  }
  return figures;
}

type Cb = (e: unknown, r: unknown) => void;
/** Records every statement sent through node-postgres (text, milliseconds to its answer) until stop(). */
function tracePg() {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const orig = proto.query;
  const log: { text: string; ms: number }[] = [];
  proto.query = function (this: unknown, config: unknown, values?: unknown, cb?: unknown) {
    const text = typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '');
    const t0 = performance.now();
    const note = () => log.push({ text, ms: performance.now() - t0 });
    if (typeof values === 'function') return orig.call(this, config, (e: unknown, r: unknown) => (note(), (values as Cb)(e, r)));
    if (typeof cb === 'function') return orig.call(this, config, values, (e: unknown, r: unknown) => (note(), (cb as Cb)(e, r)));
    const r = orig.call(this, config, values) as Promise<unknown> | undefined;
    return r && typeof r.then === 'function' ? r.then((x) => (note(), x), (e: unknown) => { note(); throw e; }) : r;
  };
  return { log, stop: () => { proto.query = orig; } };
}

/** Statements grouped by their text: how many per request, mean and 99th percentile milliseconds. */
function printStatements(log: { text: string; ms: number }[], requests: number) {
  const kinds = new Map<string, number[]>();
  for (const q of log) {
    const key = q.text.replace(/\s+/g, ' ').trim().slice(0, 80);
    kinds.set(key, [...(kinds.get(key) ?? []), q.ms]);
  }
  console.table([...kinds].map(([text, ms]) => {
    ms.sort((a, b) => a - b);
    return { perRequest: Number((ms.length / requests).toFixed(3)), meanMs: Number((ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2)), p99Ms: Number(quantile(ms, 0.99).toFixed(2)), text };
  }));
}

/** `--trace`: n requests one after another; prints the statements per request and their mean time. */
async function traceRequests(base: string, headers: Record<string, string>, body: (k: number) => string, suite: string, n = 50): Promise<Figure[]> {
  const t = tracePg();
  const lat: number[] = [];
  const per: number[] = [];
  try {
    for (let k = 0; k < n; k++) {
      const before = t.log.length;
      const t0 = performance.now();
      const r = await fetch(base + '/api/risk/score', { method: 'POST', headers, body: body(k) });
      if (!r.ok) throw new Error(`trace: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
      lat.push(performance.now() - t0);
      per.push(t.log.length - before);
    }
  } finally {
    t.stop();
  }
  console.error(`--trace: ${n} requests one after another, ${t.log.length / n} statements per request`);
  printStatements(t.log, n);
  lat.sort((a, b) => a - b);
  return [
    { suite, name: 'score 1 decl., one request at a time: SQL statements per request', n, unit: 'queries', value: t.log.length / n },
    { suite, name: 'score 1 decl., one request at a time', n, unit: 'ms', p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), value: quantile(lat, 0.5) },
  ];
}

/**
 * One declaration per request (threshold channels), each under a fresh id: saturated (10 connections
 * for 10 s, as fast as they go), then at a fixed realistic rate (200 req/s over 10 connections, 10 s).
 */
async function oneByOne(base: string, headers: Record<string, string>, mappingId: string, records: Record<string, string | number>[], idColumn: string, suite: string, trace = false): Promise<Figure[]> {
  let k = 0;
  const body = () => JSON.stringify({ mappingId, rows: [{ ...records[k % records.length]!, [idColumn]: `L${k++}` }], allocate: 'threshold' });
  const traced = trace ? await traceRequests(base, headers, body, suite) : [];
  const run = async (overallRate?: number) => {
    // CPU time of this process (server, embedded database if any, and autocannon) per request: unlike
    // latency it hardly depends on how many other programs share the two cores.
    const cpu0 = process.cpuUsage();
    const t = trace ? tracePg() : null;
    const r = await new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(
        {
          url: base, connections: 10, duration: 10, headers, ...(overallRate ? { overallRate } : {}),
          requests: [{ method: 'POST', path: '/api/risk/score', setupRequest: (req) => ({ ...req, body: body() }) }],
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
    });
    const cpu = process.cpuUsage(cpu0);
    if (t) {
      t.stop();
      console.error(`--trace: ${overallRate ? `${overallRate} req/s` : 'saturated'}, ${r.requests.total} requests`);
      printStatements(t.log, Math.max(1, r.requests.total));
    }
    if (r.non2xx) console.error(`score under load: ${r.non2xx} non-2xx responses`);
    const what = overallRate ? `at ${overallRate} req/s` : '10 conn., saturated';
    return [
      { suite, name: `POST /api/risk/score, 1 decl. (${what})`, n: r.requests.total, unit: 'req/s', perSecond: r.requests.average, value: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 },
      { suite, name: `score 1 decl. (${what}): CPU ms per request`, n: r.requests.total, unit: 'ms', value: (cpu.user + cpu.system) / 1000 / Math.max(1, r.requests.total) },
      { suite, name: `load average (1 min) after the run ${what}`, n: cpus().length, unit: 'load', value: loadavg()[0]! },
    ];
  };
  return [...traced, ...(await run()), ...(await run(200))];
}

// The one-declaration latency alone, on the demo's model: `node --import tsx bench/risk-server.ts
// [--server-engine pglite|postgres]` (add --cpu-prof to see where a request's time goes). Not the
// customs-kcs part: that needs bench/risk.ts, which imports this file (a cycle under top-level await).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await riskServerFigures('', {}, [...process.argv.slice(2), '--server-demo']);
  console.table(figures.map((f) => ({ suite: f.suite, name: f.name, n: f.n, value: f.value === undefined ? '' : Number(f.value.toPrecision(4)), unit: f.unit, p50: f.p50 ?? '', p99: f.p99 ?? '' })));
}
