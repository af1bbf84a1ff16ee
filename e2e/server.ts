// Starting Cordon for the browser tests: used by the tests (support.ts) and by the run's global set-up
// (global-setup.ts), which has no vitest test context, hence this module imports nothing from vitest.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  /** The embedded database's directory (also when DATABASE_URL is used, though it stays empty then). */
  dataDir: string;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM: graceful close. Removes the data directory unless it was given in the options. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown hooks, no flush — a power cut as far as the process is concerned. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  dataDir: string;
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for /api/health (ms). */
  startTimeout?: number;
  /** Called after the process has ended on stop() (the caller's clean-up, e.g. removing its data directory). */
  afterStop?: () => void;
}

/** Runs `apps/server/src/main.ts` as `npm start` does (demo mode on, no SMTP) and waits for /api/health. */
export async function spawnServer(options: SpawnOptions): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: options.dataDir, CORDON_DEMO: 'true', LOG_LEVEL: 'warn', SMTP_PORT: '0', ...options.env };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeout ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    dataDir: options.dataDir,
    output: () => output,
    async stop() {
      await end('SIGTERM');
      options.afterStop?.();
    },
    kill: () => end('SIGKILL'),
  };
}

/** Today in Vietnam (UTC+7, no DST): the demo data's dates follow it. */
export const vietnamDay = (now = Date.now()) => new Date(now + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * One real first start of Cordon into `dir` (migrations, demo seed, subject sync, custody, tips, then in the
 * background the search index catch-up, the trigram statistics and the risk demo's training), stopped
 * gracefully once the risk demo says it is done, so that a copy of `dir` starts with nothing left to do.
 * That background work runs its SQL synchronously on the server's one thread (PGlite): a request arriving
 * meanwhile waits for the statement (at load 14–22: 11–16 s per indexing batch, 28–48 s for the statistics,
 * the event loop blocked 70–97 s in all), which is why no test should meet it.
 */
export async function seedTemplate(dir: string): Promise<{ seededMs: number; riskMs: number; riskDone: boolean }> {
  const started = performance.now();
  // info: the risk demo says when it is done ("risk demo: …" or "risk demo seed failed").
  const server = await spawnServer({ dataDir: dir, env: { LOG_LEVEL: 'info' }, startTimeout: 180_000 });
  const ready = performance.now();
  const deadline = Date.now() + 240_000;
  while (!/risk demo/.test(server.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const riskDone = /"msg":"risk demo: /.test(server.output());
  await server.stop(); // PGlite writes its data directory out on close
  return { seededMs: ready - started, riskMs: performance.now() - ready, riskDone };
}

/**
 * The seeded template for `day` under `root` (`root/<day>`), seeded once per run: the first caller seeds it
 * (under a lock directory, `root/<day>.lock`: the other file worker waits for it), later callers find it.
 */
export async function templateFor(root: string, day: string): Promise<string> {
  const dir = join(root, day);
  const done = join(root, `${day}.ready`);
  const lock = join(root, `${day}.lock`);
  for (;;) {
    if (existsSync(done)) return dir;
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((r) => setTimeout(r, 500)); // another file is seeding it
      continue;
    }
    try {
      if (existsSync(done)) return dir;
      rmSync(dir, { recursive: true, force: true });
      const { seededMs, riskMs, riskDone } = await seedTemplate(dir);
      writeFileSync(done, '');
      console.log(`e2e template for ${day}: seeded in ${Math.round(seededMs / 1000)} s, risk demo ${riskDone ? 'done' : 'NOT done (each server resumes it)'} after ${Math.round(riskMs / 1000)} s more`);
      return dir;
    } finally {
      rmdirSync(lock);
    }
  }
}
