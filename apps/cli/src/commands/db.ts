import { Command } from 'commander';
import { backupDb, migrate, migrationStatus, restoreDb } from '@cordon/db';
import { createServices, loadConfig, seedDemo, seedDemoCases, seedDemoCustody, seedDemoRisk, seedDemoTips, seedOrganisation } from '@cordon/server';
import type { CliContext } from '../context.js';

export function dbCommand(ctx: CliContext): Command {
  const db = new Command('db').description('Database: migrate, seed, back up and restore');

  db.command('migrate')
    .description('Apply pending migrations (each in its own transaction)')
    .action(async () => {
      const conn = await ctx.openDb({ migrate: false });
      try {
        const ran = await migrate(conn);
        const s = await migrationStatus(conn);
        ctx.out(ran.length ? `Applied: ${ran.join(', ')}` : 'Nothing to apply');
        ctx.out(`${s.applied}/${s.expected} migrations applied on ${conn.engine}`);
      } finally {
        await conn.close();
      }
    });

  db.command('status')
    .description('Show which migrations are applied')
    .action(async () => {
      const conn = await ctx.openDb({ migrate: false });
      try {
        const s = await migrationStatus(conn);
        ctx.out(`${conn.engine}: ${s.applied}/${s.expected} applied${s.pending.length ? `; pending: ${s.pending.join(', ')}` : ''}`);
      } finally {
        await conn.close();
      }
    });

  db.command('seed')
    .description('Add the base organisation (national office, forces, 34 provincial committees); with --demo also demo units and users')
    .option('--demo', 'also seed demo units and one user per role (password from CORDON_DEMO_PASSWORD), and generated cases')
    .option('--cases <n>', 'with --demo: how many generated cases (three years at national volume is 450000; 0 for none)', '450000')
    .option('--years <y>', 'with --demo: the years the cases span, up to today', '3')
    .option('--seed <s>', 'with --demo: the generator seed (same seed, same cases)', '389')
    .option('--no-risk', 'with --demo: skip the declaration risk demo (a mapping, ~4,000 declarations, a trained model, rules, scores; ~20 s)')
    .action(async (opts: { demo?: boolean; cases: string; years: string; seed: string; risk: boolean }) => {
      const conn = await ctx.openDb();
      try {
        const config = loadConfig();
        const s = createServices(conn, config);
        if (opts.demo) {
          const r = await seedDemo(conn, s.audit, s.clock, config.demoPassword);
          ctx.out(`Demo seed: ${r.units} units, ${r.users} users added`);
          const count = Number(opts.cases);
          if (!Number.isInteger(count) || count < 0) throw new Error(`--cases must be a whole number, got "${opts.cases}"`);
          if (count > 0) {
            if (count >= 100_000) ctx.err(`Generating ${count.toLocaleString('en')} cases takes a while (roughly a minute per 100,000 on PostgreSQL, longer embedded).`);
            let last = 0;
            const c = await seedDemoCases(conn, s.audit, s.clock, {
              count, years: Number(opts.years), seed: Number(opts.seed),
              onProgress: (done, total) => {
                if (done === total || done - last >= Math.max(10_000, total / 20)) {
                  last = done;
                  ctx.err(`  cases: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
                }
              },
            });
            ctx.out(`Demo cases: ${c.inserted} added, ${c.skipped} already there, ${c.unitsAdded} units added (${(c.ms / 1000).toFixed(1)} s)`);
          }
          const k = await seedDemoCustody(s);
          if (k.items) ctx.out(`Demo custody: ${k.warehouses} warehouses, ${k.items} items, ${k.events} events`);
          const tipCount = await seedDemoTips(s);
          if (tipCount) ctx.out(`Demo tips: ${tipCount} tips, 2 routing rules`);
          if (opts.risk) {
            // The same steps `npm start` runs in the background; each is skipped once done.
            const steps = await seedDemoRisk(s);
            await s.risk.idle();
            ctx.out(steps.length ? `Demo risk: ${steps.join('; ')}` : 'Demo risk: already there (or another mapping exists)');
          }
        } else {
          ctx.out(`Organisation seed: ${await seedOrganisation(conn, s.audit, s.clock)} units added`);
        }
      } finally {
        await conn.close();
      }
    });

  db.command('backup')
    .argument('<file>', 'where to write the backup (gzip JSON lines, e.g. cordon-2026-11-23.backup.gz)')
    .description('Write the whole database to a file that restores on either engine')
    .action(async (file: string) => {
      const conn = await ctx.openDb();
      try {
        const r = await backupDb(conn, file);
        ctx.out(`Backed up ${r.rows} rows from ${r.tables} tables to ${file}`);
      } finally {
        await conn.close();
      }
    });

  db.command('restore')
    .argument('<file>', 'a file written by `cordon db backup`')
    .option('--replace', 'drop everything in the target database first')
    .description('Load a backup into an empty database (or replace its contents with --replace), in one transaction')
    .action(async (file: string, opts: { replace?: boolean }) => {
      const conn = await ctx.openDb({ migrate: false });
      try {
        const r = await restoreDb(conn, file, { replace: !!opts.replace });
        ctx.out(`Restored ${r.rows} rows into ${r.tables} tables`);
      } finally {
        await conn.close();
      }
    });
  return db;
}
