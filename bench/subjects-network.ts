// The network 2-hop expansion API on the demo data (issue 7 goal: p95 < 300 ms). Loads what the first
// `npm start` loads (3,000 generated cases with the review copies, subjects synced) into a PGlite data
// dir under .tmp, signs in as `customs.analyst` (sees every Customs case in full) and asks
// GET /api/subjects/:id/network?depth=2 for the most connected subjects. Prints wall p50/p95 and the
// process CPU per request (the figure that survives a loaded machine).
//   node --import tsx bench/subjects-network.ts [--subjects 20] [--rounds 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, migrate } from '@cordon/db';
import { buildApp, createServices, seedDemo, seedDemoCases, testConfig } from '@cordon/server';
import { DEMO_REVIEW_DUPLICATES } from '../apps/server/src/features/demo/demo-review.seed.js';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const dir = mkdtempSync(join(process.cwd(), '.tmp', 'bench-network-'));
const db = await createDb({ dataDir: dir });
try {
  await migrate(db);
  const config = testConfig();
  const services = createServices(db, config);
  await seedDemo(db, services.audit, services.clock, 'cordon-demo');
  await seedDemoCases(db, services.audit, services.clock, { count: 3000, reviewDuplicates: DEMO_REVIEW_DUPLICATES });
  const t0 = performance.now();
  const sync = await services.subjects.sync();
  console.log(`sync: ${JSON.stringify(sync)} in ${Math.round(performance.now() - t0)} ms`);
  const app = await buildApp(services);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'customs.analyst', password: 'cordon-demo' } });
  const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
  const top = await db.query<{ subject_id: string; n: number }>(
    `SELECT m.subject_id, count(DISTINCT m.case_id)::int AS n FROM subject_members m JOIN cases c ON c.id = m.case_id
      WHERE c.force_code = 'CUSTOMS' GROUP BY m.subject_id ORDER BY n DESC, m.subject_id LIMIT $1`, [arg('subjects', 20)]);
  const wall: number[] = [];
  const cpu: number[] = [];
  let nodes = 0;
  for (let round = 0; round < arg('rounds', 5); round++) {
    for (const t of top) {
      const c0 = process.cpuUsage();
      const s = performance.now();
      const res = await app.inject({ method: 'GET', url: `/api/subjects/${t.subject_id}/network?depth=2`, headers: { cookie } });
      wall.push(performance.now() - s);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
      nodes = Math.max(nodes, (res.json() as { nodes: unknown[] }).nodes.length);
    }
  }
  console.log(`2-hop network API, ${wall.length} requests over ${top.length} subjects (largest ${top[0]?.n} cases, up to ${nodes} nodes):`);
  console.log(`  wall p50 ${quantile(wall, 0.5).toFixed(0)} ms, p95 ${quantile(wall, 0.95).toFixed(0)} ms; CPU p50 ${quantile(cpu, 0.5).toFixed(0)} ms, p95 ${quantile(cpu, 0.95).toFixed(0)} ms`);
  await app.close();
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
