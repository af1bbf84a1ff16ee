import { Command } from 'commander';
import { createServices, loadConfig } from '@cordon/server';
import type { CliContext } from '../context.js';

export function custodyCommand(ctx: CliContext): Command {
  const custody = new Command('custody').description('Seized goods in custody');
  custody
    .command('verify')
    .description("Re-compute every custody item's hash chain; exits 1 and names the first altered event if anything was changed")
    .action(async () => {
      const db = await ctx.openDb();
      try {
        const r = await createServices(db, loadConfig()).custody.verify();
        if (r.ok) {
          ctx.out(`OK: ${r.eventsChecked} custody events of ${r.itemsChecked} items verified`);
        } else {
          const b = r.firstBroken!;
          ctx.err(`BROKEN: item ${b.itemCode} (${b.itemId}), event ${b.seq}${b.eventId ? ` (${b.eventId})` : ''}: ${b.reason}; ${r.eventsChecked} events before it verified`);
          process.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
  return custody;
}
