// Starting Cordon for the browser tests: used by the tests (support.ts) and by the run's global set-up
// (global-setup.ts), which has no vitest test context, hence this module imports nothing from vitest.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

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
