// `cordon risk import --db --mapping NAME FILE`: the server's declaration import (POST /api/risk/import)
// from the command line — the same service, so the same checks, the same bad-row report and the same
// audit trail — with progress on stderr. Kept apart from risk.ts (the engine's file commands).
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Command } from 'commander';
import type { Db } from '@cordon/db';
import type { Services } from '@cordon/server';
import type { CliContext } from '../context.js';

/** Shown at most this often when stderr is not a terminal (a log file gets a line, not a flood). */
const PROGRESS_EVERY_MS = 2000;

export function riskImportCommand(ctx: CliContext): Command {
  return new Command('import')
    .description('Import declarations (and outcomes, from the label column) from a CSV or XLSX file into the database, through a saved mapping. Rerunning the same file creates no duplicates.')
    .argument('<file>', 'CSV (, ; or tab) or XLSX file')
    .requiredOption('--mapping <name>', 'the name of a saved column mapping')
    .option('--db', 'import into the database (DATABASE_URL / DATA_DIR); the only place declarations are imported to, accepted for symmetry with train --db')
    .option('--as <username>', 'the Customs user recorded as importing them (default: the first active risk analyst)')
    .option('--all-or-nothing', 'import nothing if any row is bad')
    .option('--errors <file>', 'where to write the bad rows as CSV (default: FILE.errors.csv, only when there are any)')
    .addHelpText('after', '\nPrints every problem with its line and column, and writes them as CSV. Exits 1 if any row was rejected.\n\nExample:\n  cordon risk import --db --mapping "KCS" thang10.csv')
    .action(async (file: string, opts: { mapping: string; as?: string; allOrNothing?: boolean; errors?: string }) => {
      const bytes = await readFile(resolve(file));
      const db = await ctx.openDb();
      try {
        const { createServices, loadConfig } = await import('@cordon/server'); // loaded only by the commands that use it (see main.ts)
        const s = createServices(db, loadConfig());
        const { mappingId, principal: p } = await mappingAndActor(db, s, opts);

        const started = Date.now();
        const tty = process.stderr.isTTY === true;
        let lastShown = 0;
        const report = await s.risk.importDeclarations(p, { mappingId, fileName: basename(file), bytes, mode: opts.allOrNothing ? 'all_or_nothing' : 'partial' }, undefined, (x) => {
          const secs = (Date.now() - started) / 1000;
          const line = `${x.written.toLocaleString('en')} / ${x.toWrite.toLocaleString('en')} rows written  ${Math.round(x.written / Math.max(secs, 0.001)).toLocaleString('en')} rows/s  ${x.rejected} rejected of ${x.totalRows.toLocaleString('en')} read`;
          if (tty) process.stderr.write(`\r${line}   `);
          else if (Date.now() - lastShown >= PROGRESS_EVERY_MS || x.written === x.toWrite) {
            lastShown = Date.now();
            ctx.err(line);
          }
        });
        if (tty) process.stderr.write('\n');
        const secs = (Date.now() - started) / 1000;
        for (const x of report.problems) ctx.err(`  line ${x.line} [${x.field || 'row'}] ${x.reason}: ${x.message}`);
        if (report.problemsTruncated) ctx.err(`  … more problems not listed (the first ${report.problems.length} are kept)`);
        if (report.problems.length) {
          const out = opts.errors ?? `${file.replace(/\.[^./]+$/, '')}.errors.csv`;
          await writeFile(out, (await s.risk.importErrorsCsv(p, report.importId)).csv);
          ctx.err(`Problems written to ${out}`);
        }
        ctx.out(`${report.totalRows} rows: ${report.imported} imported, ${report.duplicates} duplicates, ${report.outcomes} outcomes, ${report.rejected} rejected (${secs.toFixed(1)} s; import ${report.importId})`);
        if (report.mode === 'all_or_nothing' && report.rejected > 0) ctx.out('Nothing was imported (--all-or-nothing).');
        if (report.rejected > 0) process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}

/**
 * The saved mapping named by `--mapping` and the user the command acts as (`--as`, or the first active
 * risk analyst), as a principal: what every `risk … --db` command needs before it calls the service.
 */
export async function mappingAndActor(
  db: Db,
  s: Services,
  opts: { mapping: string; as?: string },
) {
  const [m] = await db.query<{ id: string }>('SELECT id FROM risk_mappings WHERE name = $1', [opts.mapping]);
  if (!m) throw new Error(`No saved mapping named "${opts.mapping}" (save one in the app or with POST /api/risk/mappings)`);
  const [u] = opts.as
    ? await db.query<{ id: string; username: string }>('SELECT id, username FROM users WHERE username = $1 AND NOT disabled', [opts.as])
    : await db.query<{ id: string; username: string }>("SELECT id, username FROM users WHERE 'risk_analyst' = ANY(roles) AND NOT disabled ORDER BY created_at, username LIMIT 1");
  if (!u) throw new Error(opts.as ? `No active user "${opts.as}"` : 'No active risk analyst: pass --as USERNAME');
  const principal = await s.auth.principalFor(u.id, 'token');
  if (!principal) throw new Error(`User "${u.username}" cannot sign in (disabled, or unit inactive)`);
  return { mappingId: m.id, principal };
}
