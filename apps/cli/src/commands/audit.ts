import { Command } from 'commander';
import { createServices, loadConfig } from '@cordon/server';
import type { CliContext } from '../context.js';

export function auditCommand(ctx: CliContext): Command {
  const audit = new Command('audit').description('The audit trail');
  audit
    .command('verify')
    .description('Re-compute the hash chain; exits 1 and names the first broken row if anything was altered')
    .action(async () => {
      const db = await ctx.openDb();
      try {
        const r = await createServices(db, loadConfig()).audit.verify();
        if (r.ok) {
          ctx.out(`OK: ${r.checked} rows verified; head ${r.headHash ?? '(empty)'}`);
        } else {
          ctx.err(`BROKEN at row ${r.firstBroken!.seq} (${r.firstBroken!.reason}); ${r.checked} rows before it verified`);
          process.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
  return audit;
}
