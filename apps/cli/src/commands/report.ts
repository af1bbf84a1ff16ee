import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { REPORT_GROUP_BY, SituationQuery } from '@cordon/contracts';
import { createServices, loadConfig } from '@cordon/server';
import { situationPdf, situationXlsx } from '@cordon/server/reports-export';
import type { CliContext } from '../context.js';

export function reportCommand(ctx: CliContext): Command {
  const report = new Command('report').description('Situation reports from the case registry');
  report
    .command('situation')
    .description('Figures for a period against the same period last year (or the previous period), nationwide unless narrowed')
    .requiredOption('--from <date>', 'first day, yyyy-MM-dd')
    .requiredOption('--to <date>', 'last day, yyyy-MM-dd')
    .addOption(new Option('--compare <kind>', 'comparison').choices(['same-period', 'previous-period']).default('same-period'))
    .addOption(new Option('--group-by <dimension>', 'breakdown').choices([...REPORT_GROUP_BY]))
    .option('--province <code>', 'one 2025 province (two digits)')
    .option('--force <code>', 'one force, e.g. CUSTOMS')
    .addOption(new Option('--locale <locale>', 'language of the narrative and headings').choices(['vi', 'en']).default('vi'))
    .addOption(new Option('--format <format>', 'output').choices(['json', 'xlsx', 'pdf']).default('json'))
    .option('--out <file>', 'write to this file (json goes to standard output without it)')
    .option('--as <username>', 'whose scope to report in (default: the first active admin: nationwide)')
    .action(async (opts: { from: string; to: string; compare: string; groupBy?: string; province?: string; force?: string; locale: string; format: string; out?: string; as?: string }) => {
      const parsed = SituationQuery.safeParse({ from: opts.from, to: opts.to, compare: opts.compare, groupBy: opts.groupBy, province: opts.province, force: opts.force, locale: opts.locale });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
      if (opts.format !== 'json' && !opts.out) throw new Error(`--out: a ${opts.format} report needs a file`);
      const db = await ctx.openDb();
      try {
        const s = createServices(db, loadConfig());
        let user = db.kysely.selectFrom('users').select('id').where('disabled', '=', false);
        user = opts.as ? user.where('username', '=', opts.as) : user.where(({ eb, val }) => eb(val('admin'), '=', eb.fn.any('roles'))).orderBy('created_at');
        const u = await user.executeTakeFirst();
        if (!u) throw new Error(opts.as ? `--as: no active user ${opts.as}` : 'no active administrator to report as; pass --as USERNAME');
        const p = (await s.auth.principalFor(u.id, 'token'))!;
        const r = await s.reports.situation(p, parsed.data);
        const body = opts.format === 'xlsx' ? await situationXlsx(r, parsed.data.locale) : opts.format === 'pdf' ? await situationPdf(r, parsed.data.locale) : JSON.stringify(r, null, 2);
        await s.audit.record({ action: 'report.export', actor: { userId: p.userId, username: p.username, unitId: p.unitId }, detail: { format: opts.format, via: 'cli', from: opts.from, to: opts.to, scope: r.scope } });
        if (opts.out) {
          writeFileSync(opts.out, body);
          ctx.out(`${r.narrative}\nWritten to ${opts.out}`);
        } else ctx.out(String(body));
      } finally {
        await db.close();
      }
    });
  return report;
}
