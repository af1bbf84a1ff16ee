import { Command, CommanderError } from 'commander';
import { mkdirSync } from 'node:fs';
import { createDb, migrate } from '@cordon/db';
import { ConfigError, loadConfig } from '@cordon/server';
import type { CliContext } from './context.js';
import { dbCommand } from './commands/db.js';
import { auditCommand } from './commands/audit.js';
import { userCommand } from './commands/user.js';
import { serveCommand } from './commands/serve.js';
import { referenceCommand } from './commands/reference.js';
import { reportCommand } from './commands/report.js';
import { importCommand } from './commands/import.js';
import { entitiesCommand } from './commands/entities.js';
import { riskCommand } from './commands/risk.js';
import { custodyCommand } from './commands/custody.js';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('cordon')
    .description('Cordon command-line tool. Uses DATABASE_URL (PostgreSQL) when set, else the embedded database in DATA_DIR (./data).')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(serveCommand());
  program.addCommand(dbCommand(ctx));
  program.addCommand(auditCommand(ctx));
  program.addCommand(userCommand(ctx));
  program.addCommand(referenceCommand(ctx));
  program.addCommand(reportCommand(ctx));
  program.addCommand(importCommand(ctx));
  program.addCommand(entitiesCommand(ctx));
  program.addCommand(riskCommand(ctx));
  program.addCommand(custodyCommand(ctx));
  return program;
}

export function defaultContext(): CliContext {
  return {
    async openDb({ migrate: doMigrate = true } = {}) {
      const config = loadConfig();
      if (!config.databaseUrl && config.dataDir !== 'memory://') mkdirSync(config.dataDir, { recursive: true });
      const db = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      if (doMigrate) await migrate(db);
      return db;
    },
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
  };
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cordon') || process.argv[1]?.endsWith('cordon.js');
if (isMain) {
  try {
    await buildProgram(defaultContext()).parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    console.error(`cordon: ${(err as Error).message}`);
    process.exit(1);
  }
}
