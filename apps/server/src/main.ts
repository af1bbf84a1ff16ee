import { SyncDeclined } from './features/subjects/subjects.service.js';
import { mkdirSync } from 'node:fs';
import { createDb, migrate } from '@cordon/db';
import { ConfigError, loadConfig } from './config.js';
import { createServices } from './services.js';
import { buildApp } from './app.js';
import { DEMO_USERS, seedDemo, seedOrganisation } from './features/demo/demo.seed.js';
import { DEMO_START_CASES, seedDemoCases } from './features/demo/demo-cases.seed.js';
import { seedDemoCustody } from './features/demo/demo-custody.seed.js';
import { DEMO_REVIEW_DUPLICATES } from './features/demo/demo-review.seed.js';
import { seedDemoTips } from './features/demo/demo-tips.seed.js';
import { seedDemoRisk } from './features/demo/demo-risk.seed.js';
import { createTipsSmtpServer } from './features/tips/tips-smtp.js';

const started = performance.now();
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
const db = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const ran = await migrate(db);
const services = createServices(db, config);
if (config.demo) {
  await seedDemo(db, services.audit, services.clock, config.demoPassword);
  // First start on an empty database: a small set of generated cases (3 years, 3,000 cases) so the
  // registry has something to show; `cordon db seed --demo` loads the national volume.
  const empty = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n === 0;
  if (empty) {
    await seedDemoCases(db, services.audit, services.clock, { count: DEMO_START_CASES, reviewDuplicates: DEMO_REVIEW_DUPLICATES });
    // ...and their subjects resolved, so the subjects and networks screens have something to show
    // (`cordon entities sync` does this for any other data); the damaged copies become merge proposals.
    await services.subjects.sync();
  }
  // A few seized goods in warehouses (skipped once any custody item exists).
  await seedDemoCustody(services);
  // Tips in the triage queue, two of them overdue, and two routing rules (skipped once any tip exists).
  await seedDemoTips(services);
} else await seedOrganisation(db, services.audit, services.clock);
await services.auth.purgeExpiredSessions();
const purge = setInterval(() => void services.auth.purgeExpiredSessions().catch(() => {}), 3_600_000);
purge.unref();

const app = await buildApp(services, { logger: true });
await app.listen({ port: config.port, host: config.host });
// Cases bulk writes left out of the text index (the demo seed, imports): indexed in the background.
services.searchIndexer.start();
// Subjects recorded or imported are resolved into people, companies and vehicles a few seconds later.
services.subjectSync.start({ onError: (e) => (e instanceof SyncDeclined ? app.log.warn(`subject sync declined: ${e.message}`) : app.log.error(e, 'subject sync failed')) });
// Declaration risk demo (mapping, declarations, a trained model, rules, scores): in the background,
// since training takes seconds; each step is skipped once done (features/demo/demo-risk.seed.ts).
if (config.demo) void seedDemoRisk(services).then((done) => done.length && app.log.info(`risk demo: ${done.join('; ')}`), (e: unknown) => app.log.error(e, 'risk demo seed failed'));
// The tip inbox (SMTP_PORT=0 turns it off).
const smtp = config.smtpPort ? createTipsSmtpServer({ tips: services.tips, maxMessageBytes: config.smtpMaxMessageBytes, log: (msg, err) => app.log.error(err, msg) }) : undefined;
const smtpPort = smtp ? await smtp.listen(config.smtpPort, config.smtpHost) : undefined;

const url = `http://${['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.host) ? 'localhost' : config.host}:${config.port}`;
const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
const lines = [
  '',
  `  Cordon is running at ${url}   (API docs: ${url}/api/docs)`,
  `  Database: ${where}${ran.length ? `, applied ${ran.length} migration(s)` : ''}`,
  `  Tip inbox (SMTP): ${smtpPort ? `${config.smtpHost}:${smtpPort}` : 'off'}`,
  `  Ready in ${Math.round(performance.now() - started)} ms`,
];
if (config.demo) {
  lines.push(`  Demo mode. Accounts (password "${config.demoPassword === 'cordon-demo' ? 'cordon-demo' : 'from CORDON_DEMO_PASSWORD'}"):`);
  lines.push('    ' + DEMO_USERS.map((u) => u.username).join(', '));
}
console.log(lines.join('\n') + '\n');

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info(`${signal}: closing`);
  await smtp?.close(); // no new e-mail; messages being recorded finish first
  await app.close(); // stop accepting, let in-flight requests finish
  await db.close(); // PGlite flushes its data dir here
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
