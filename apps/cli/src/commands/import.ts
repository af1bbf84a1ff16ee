import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { sql } from '@cordon/db';
import { createCasesImportService, createServices, loadConfig } from '@cordon/server';
import type { CliContext } from '../context.js';

/** Shown at most this often when stderr is not a terminal (a log file gets a line, not a flood). */
const PROGRESS_EVERY_MS = 2000;

export function importCommand(ctx: CliContext): Command {
  const cmd = new Command('import').description('Bulk imports');
  cmd
    .command('cases')
    .description('Import cases from a CSV or XLSX file in the case template (docs/case-import-template.md). Rerunning the same file creates no duplicates.')
    .argument('<file>', 'CSV or XLSX file')
    .requiredOption('--unit <code>', 'the unit the cases are recorded for (its code, e.g. CUSTOMS-LS)')
    .option('--as <username>', 'the user recorded as importing them (default: the first active administrator)')
    .option('--all-or-nothing', 'import nothing if any row is bad')
    .option('--defer-index', 'leave the new cases to a running server\'s text indexer instead of indexing them before exiting (search finds them either way)')
    .addHelpText('after', '\nPrints every problem with its line. Exits 1 if any row was rejected.\n\nExample:\n  cordon import cases thang10.xlsx --unit CUSTOMS-LS')
    .action(async (file: string, opts: { unit: string; as?: string; allOrNothing?: boolean; deferIndex?: boolean }) => {
      const bytes = await readFile(resolve(file));
      const db = await ctx.openDb();
      try {
        const s = createServices(db, loadConfig());
        const unit = await db.kysely.selectFrom('org_units').select(['id', 'active']).where('code', '=', opts.unit).executeTakeFirst();
        if (!unit?.active) throw new Error(`No active unit with code "${opts.unit}"`);
        let q = db.kysely.selectFrom('users').select(['id', 'username']).where('disabled', '=', false);
        q = opts.as ? q.where('username', '=', opts.as) : q.where(sql<boolean>`'admin' = ANY(roles)`).orderBy('created_at').orderBy('username');
        const user = await q.executeTakeFirst();
        if (!user) throw new Error(opts.as ? `No active user "${opts.as}"` : 'No active administrator: pass --as USERNAME');
        const base = await s.auth.principalFor(user.id, 'token');
        if (!base) throw new Error(`User "${user.username}" cannot sign in (disabled, or unit inactive)`);
        // An administrator imports on behalf of the unit: the cases are that unit's.
        const principal = { ...base, unitId: unit.id, unitIds: await s.auth.unitSubtree(unit.id) };

        const started = Date.now();
        const tty = process.stderr.isTTY === true;
        let lastShown = 0;
        const line = (p: { done: number; total: number; rejected: number }) => {
          const secs = (Date.now() - started) / 1000;
          const rate = secs > 0 ? Math.round(p.done / secs) : 0;
          return `${p.done.toLocaleString('en')} / ~${p.total.toLocaleString('en')} rows  ${rate.toLocaleString('en')} rows/s  ${p.rejected} rejected`;
        };
        const report = await createCasesImportService(s).importCases(principal, { fileName: basename(file), bytes, mode: opts.allOrNothing ? 'all_or_nothing' : 'partial' }, (p) => {
          if (tty) process.stderr.write(`\r${line(p)}   `);
          else if (Date.now() - lastShown >= PROGRESS_EVERY_MS) {
            lastShown = Date.now();
            ctx.err(line(p));
          }
        });
        if (tty) process.stderr.write('\n');
        const secs = (Date.now() - started) / 1000;
        for (const p of report.problems) ctx.err(`  line ${p.line} [${p.field || 'row'}] ${p.reason}: ${p.message}`);
        if (report.problemsTruncated) ctx.err(`  … more problems not listed (the first ${report.problems.length} are shown)`);
        if (report.ignoredColumns.length) ctx.err(`Ignored columns: ${report.ignoredColumns.join(', ')}`);
        ctx.out(`${report.totalRows} rows: ${report.imported} imported, ${report.duplicates} duplicates, ${report.rejected} rejected (${secs.toFixed(1)} s, ${Math.round(report.totalRows / Math.max(secs, 0.001))} rows/s; import ${report.importId})`);
        if (report.mode === 'all_or_nothing' && report.rejected > 0) ctx.out('Nothing was imported (--all-or-nothing).');
        // Imported cases are stored outside the trigram index (migration 0006): index them now, timed apart.
        if (!opts.deferIndex) {
          const t0 = Date.now();
          const indexed = await s.searchIndexer.drain();
          if (indexed) ctx.out(`Text index: ${indexed} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        } else if (report.imported) ctx.out(`Text index deferred: ${await s.searchIndexer.pending()} cases wait for the server's indexer (search finds them meanwhile)`);
        if (report.rejected > 0) process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
  return cmd;
}
