import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../db.js';
import { migrate } from '../migrate.js';
import { adminUrlFor, databaseUrlFor } from './urls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string | null;
    runId: string;
  }
}

/**
 * Migrates one template database per test run (PGlite start-up costs seconds, loading a saved data dir
 * well under one), and on PostgreSQL one template database that each test file copies.
 */
export default async function setup(project: TestProject) {
  const runId = randomBytes(4).toString('hex');
  const dir = join(process.cwd(), '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pglite-template-${runId}.tar.gz`);
  const db = await createDb();
  await migrate(db);
  const blob = await db.dumpDataDir?.();
  if (!blob) throw new Error('PGlite dumpDataDir is unavailable');
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplate', file);
  project.provide('runId', runId);

  let pgTemplate: string | null = null;
  const url = process.env.DATABASE_URL;
  if (url) {
    pgTemplate = `cordon_tpl_${runId}`;
    const admin = new pg.Client({ connectionString: adminUrlFor(url) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pgTemplate}`);
    await admin.end();
    const tpl = await createDb({ databaseUrl: databaseUrlFor(url, pgTemplate), poolSize: 1 });
    await migrate(tpl);
    await tpl.close();
  }
  project.provide('pgTemplate', pgTemplate);

  return async () => {
    rmSync(file, { force: true });
    if (url) {
      const admin = new pg.Client({ connectionString: adminUrlFor(url) });
      await admin.connect();
      const left = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'cordon_t%${runId}%'`,
      );
      for (const { datname } of left.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.end();
    }
  };
}
