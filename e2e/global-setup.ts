// Once per browser-test run: one real first start of Cordon on an empty embedded database (migrations,
// demo seed, demo cases, subject sync, custody, tips, and the risk demo that trains a model in the
// background), stopped gracefully once the risk demo is done. Each test file's server then starts on
// a copy of that data directory (support.ts `startServer`) instead of seeding its own: a restart of a
// demo installation, as `npm start` a second time. Figures and the decision: docs/development.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { templateFor, vietnamDay } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the seeded templates live, one directory per Vietnam day (server.ts `templateFor`). */
    e2eTemplates: string;
  }
}

export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'cordon-e2e-template-'));
  // Today's, seeded now (a failure fails the run with the server's output). A file starting after midnight
  // in Vietnam seeds the new day's once, for the rest of the run (support.ts `startServer`).
  await templateFor(root, vietnamDay());
  project.provide('e2eTemplates', root);
  return () => rmSync(root, { recursive: true, force: true });
}
