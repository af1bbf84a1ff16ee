// Incremental subject sync (issue 7): a sync after adding cases to a seeded database, incremental
// against full. Seeds `--cases N` generated cases (the demo generator; 30,000 cases ≈ 49,000 case
// subject records), runs the first (full) sync, then per round records `--add` new cases through the
// API as `customs.officer` (another generator seed: new people plus the generator's own repeat
// offenders) and times an incremental sync, then a full sync over the same records (whose `changed`
// and `proposed` say how far the incremental result is from a full run's).
//   npm run bench -- subjects-sync [--cases 30000] [--add 100] [--rounds 2] [--pg]
// --pg uses DATABASE_URL in a schema `sync_bench` (dropped afterwards); otherwise PGlite on disk under .tmp.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createDb, migrate, type Db } from '@cordon/db';
import { generateCases } from '@cordon/engine';
import { buildApp, createServices, seedDemo, seedDemoCases, testConfig } from '@cordon/server';

interface Figure {
  suite: string;
  name: string;
  n: number;
  unit: string;
  value?: number;
}

const arg = (argv: string[], name: string, d: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

async function open(pg: boolean): Promise<{ db: Db; done: () => Promise<void> }> {
  if (pg) {
    if (!process.env.DATABASE_URL) throw new Error('--pg needs DATABASE_URL');
    const admin = await createDb({ databaseUrl: process.env.DATABASE_URL });
    await admin.exec('DROP SCHEMA IF EXISTS sync_bench CASCADE; CREATE SCHEMA sync_bench');
    await admin.close();
    const url = new URL(process.env.DATABASE_URL);
    url.searchParams.set('options', '-c search_path=sync_bench,public');
    const db = await createDb({ databaseUrl: url.toString() });
    return {
      db,
      done: async () => {
        await db.exec('DROP SCHEMA sync_bench CASCADE');
        await db.close();
      },
    };
  }
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(process.cwd(), '.tmp', 'bench-sync-'));
  const db = await createDb({ dataDir: dir });
  return {
    db,
    done: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Seconds per stage of the last sync (kept in subject_sync_runs.stats). */
async function lastStages(db: Db) {
  const row = await db.kysely.selectFrom('subject_sync_runs').select('stats').orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
  return (row?.stats as { stages?: Record<string, number> } | undefined)?.stages ?? {};
}

export async function subjectsSyncSuite(argv: string[]): Promise<Figure[]> {
  const cases = arg(argv, '--cases', 30_000);
  const add = arg(argv, '--add', 100);
  const rounds = arg(argv, '--rounds', 2);
  const pg = argv.includes('--pg');
  const suite = `subjects-sync/${pg ? 'postgres' : 'pglite'}`;
  const { db, done } = await open(pg);
  const figures: Figure[] = [];
  try {
    await migrate(db);
    const services = createServices(db, testConfig({ demo: true, loginRatePerMinute: 100_000 }));
    await seedDemo(db, services.audit, services.clock, 'cordon-demo');
    let t = performance.now();
    const seeded = await seedDemoCases(db, services.audit, services.clock, { count: cases });
    console.log(`seeded ${seeded.inserted} cases in ${((performance.now() - t) / 1000).toFixed(1)} s (load ${load()})`);
    const first = await services.subjects.sync();
    console.log(`first sync: ${JSON.stringify(first)} (load ${load()})`);
    console.log(`  stages: ${JSON.stringify(await lastStages(db))}`);
    figures.push({ suite, name: `first sync (full, ${first.records} records)`, n: first.records, unit: 's', value: first.seconds });

    const app = await buildApp(services);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'customs.officer', password: 'cordon-demo' } });
    const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
    const csrf = (login.json() as { csrfToken: string }).csrfToken;
    const fresh = generateCases({ count: add * rounds, seed: 4242, years: 1, until: services.clock.now().toISOString().slice(0, 10) });
    for (let round = 1; round <= rounds; round++) {
      t = performance.now();
      for (let k = 0; k < add; k++) {
        const c = fresh.next();
        if (c.done) break;
        const b = c.value.body;
        const body = { ...b, sourceRef: `SYNC-${b.sourceRef}`, coordinatingUnitIds: [], namedUserIds: [], sensitivity: 'internal', subjects: b.subjects.map((s) => ({ ...s, imo: null })) };
        const res = await app.inject({ method: 'POST', url: '/api/cases', headers: { cookie, 'x-csrf-token': csrf }, payload: body });
        if (res.statusCode !== 201) throw new Error(`POST /api/cases: ${res.statusCode} ${res.body}`);
      }
      console.log(`round ${round}: recorded ${add} cases in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const loadInc = load();
      const inc = await services.subjects.sync();
      console.log(`  incremental: ${JSON.stringify(inc)} (load ${loadInc})`);
      console.log(`    stages: ${JSON.stringify(await lastStages(db))}`);
      const loadFull = load();
      const full = await services.subjects.sync(null, undefined, { full: true });
      console.log(`  full right after: ${JSON.stringify(full)} (load ${loadFull})`);
      console.log(`    stages: ${JSON.stringify(await lastStages(db))}`);
      figures.push({ suite, name: `incremental sync +${add} cases (round ${round}, resolved ${inc.resolved})`, n: inc.records, unit: 's', value: inc.seconds });
      figures.push({ suite, name: `full sync, same records (round ${round})`, n: full.records, unit: 's', value: full.seconds });
      figures.push({ suite, name: `full after incremental: changed (round ${round})`, n: full.records, unit: 'memberships', value: full.changed });
      figures.push({ suite, name: `full after incremental: new proposals (round ${round})`, n: full.records, unit: 'proposals', value: full.proposed });
    }
    await app.close();
  } finally {
    await done();
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await subjectsSyncSuite(process.argv.slice(2));
  console.table(figures);
}
