// Once per browser-test run: one real first start of Cordon on an empty embedded database (migrations,
// demo seed, demo cases, subject sync, custody, tips, and the risk demo that trains a model in the
// background), stopped gracefully once the risk demo is done. Each test file's server then starts on
// a copy of that data directory (support.ts `startServer`) instead of seeding its own: a restart of a
// demo installation, as `npm start` a second time. Figures and the decision: docs/development.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { spawnServer, vietnamDay } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The seeded template data directory. */
    e2eTemplate: string;
    /** The Vietnam day the template was seeded on: its demo dates follow that day. */
    e2eTemplateDay: string;
  }
}

export default async function setup(project: TestProject) {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'cordon-e2e-template-'));
  const day = vietnamDay();
  // info: the risk demo says when it is done ("risk demo: …" or "risk demo seed failed").
  const server = await spawnServer({ dataDir: dir, env: { LOG_LEVEL: 'info' }, startTimeout: 180_000 });
  const ready = performance.now();
  const deadline = Date.now() + 240_000;
  while (!/risk demo/.test(server.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const riskDone = /"msg":"risk demo: /.test(server.output());
  await server.stop(); // PGlite writes its data directory out on close
  console.log(
    `e2e template: seeded in ${Math.round((ready - started) / 1000)} s, risk demo ${riskDone ? 'done' : 'NOT done (each server resumes it)'} after ${Math.round((performance.now() - ready) / 1000)} s more (${dir})`,
  );
  project.provide('e2eTemplate', dir);
  project.provide('e2eTemplateDay', day);
  return () => rmSync(dir, { recursive: true, force: true });
}
