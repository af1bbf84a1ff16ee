import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { REFERENCE_FILE_TYPES, isReferenceFileKind } from '@cordon/reference';
import type { CliContext } from '../context.js';
// The service needs only the database; @cordon/server does not re-export it (yet).
import { createReferenceService } from '@cordon/server';

interface ReportLike {
  kind: string;
  file: string;
  imported: number;
  rejected: number;
  problems: { line: number; field: string; reason: string }[];
  failed: boolean;
}

const KINDS_HELP = REFERENCE_FILE_TYPES.map((t) => `  ${t.kind.padEnd(16)} ${t.fileName} — ${t.description}`).join('\n');

export function referenceCommand(ctx: CliContext): Command {
  const reference = new Command('reference').description('Reference data loaded from official files (wards, HS codes, border gates, ports, countries, province outlines)');
  reference
    .command('import')
    .description('Load official reference files into the database. Rerunning is safe: rows are upserted by their codes.')
    .addOption(new Option('--dir <dir>', 'import every known file found under this directory (laid out like the published data set, or flat)'))
    .addOption(new Option('--kind <kind>', 'import one file of this kind (needs FILE)').choices(REFERENCE_FILE_TYPES.map((t) => t.kind)))
    .argument('[file]', 'the file to import with --kind')
    .addHelpText('after', `\nKinds and the file names --dir looks for:\n${KINDS_HELP}\n\nBad rows are skipped and listed with their line numbers; good rows are kept.\nExits 1 when a file could not be loaded at all (unreadable, missing columns, no good row).\n\nExamples:\n  cordon reference import --dir ../shared/data\n  cordon reference import --kind wards_2025 wards_2025.csv`)
    .action(async (file: string | undefined, opts: { dir?: string; kind?: string }) => {
      if (!opts.dir && !opts.kind) {
        ctx.err('Give --dir DIR, or --kind KIND FILE (see cordon reference import --help)');
        process.exitCode = 2;
        return;
      }
      if (opts.kind && !file) {
        ctx.err(`--kind ${opts.kind} needs the file to import`);
        process.exitCode = 2;
        return;
      }
      if (opts.kind && !isReferenceFileKind(opts.kind)) {
        ctx.err(`Unknown kind "${opts.kind}"`);
        process.exitCode = 2;
        return;
      }
      const db = await ctx.openDb();
      try {
        const service = createReferenceService({ db });
        const reports: ReportLike[] = [];
        if (opts.dir) {
          const found = await service.importDirectory(resolve(opts.dir));
          if (found.length === 0) ctx.err(`No known reference file under ${opts.dir} (looked for: ${REFERENCE_FILE_TYPES.map((t) => t.fileName).join(', ')})`);
          reports.push(...found);
        }
        if (opts.kind && file) reports.push(await service.importFile(opts.kind, resolve(file)));
        for (const r of reports) printReport(ctx, r);
        const failed = reports.filter((r) => r.failed);
        const imported = reports.reduce((n, r) => n + r.imported, 0);
        ctx.out(`${reports.length} file(s), ${imported} row(s) imported, ${failed.length} file(s) failed`);
        if (failed.length > 0 || (opts.dir && reports.length === 0)) process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
  return reference;
}

function printReport(ctx: CliContext, r: ReportLike) {
  const status = r.failed ? 'FAILED' : r.problems.length ? 'with problems' : 'ok';
  ctx.out(`${r.kind.padEnd(16)} ${String(r.imported).padStart(6)} imported  ${String(r.rejected).padStart(5)} rejected  ${status}  ${r.file}`);
  for (const p of r.problems) {
    const where = p.line > 0 ? `line ${p.line}` : 'file';
    ctx.err(`  ${r.kind} ${where}${p.field ? ` [${p.field}]` : ''}: ${p.reason}`);
  }
}
