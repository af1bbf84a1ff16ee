// The `cordon` command (bin/cordon.js). It loads only the module of the command it runs: `cordon risk
// score` needs the engine and a CSV reader, not the server, the database driver or the other commands,
// and loading everything through tsx cost ≈ 2 CPU s per run (session 6, issue 6). Help, or a name that
// is not a command, loads them all (program.ts) so the help lists every command.
import { CommanderError, type Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { newProgram, type CliContext } from './context.js';

const COMMANDS: Record<string, (ctx: CliContext) => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.js')).serveCommand(),
  db: async (ctx) => (await import('./commands/db.js')).dbCommand(ctx),
  audit: async (ctx) => (await import('./commands/audit.js')).auditCommand(ctx),
  user: async (ctx) => (await import('./commands/user.js')).userCommand(ctx),
  reference: async (ctx) => (await import('./commands/reference.js')).referenceCommand(ctx),
  report: async (ctx) => (await import('./commands/report.js')).reportCommand(ctx),
  import: async (ctx) => (await import('./commands/import.js')).importCommand(ctx),
  entities: async (ctx) => (await import('./commands/entities.js')).entitiesCommand(ctx),
  risk: async (ctx) => (await import('./commands/risk.js')).riskCommand(ctx),
  custody: async (ctx) => (await import('./commands/custody.js')).custodyCommand(ctx),
};

/** The program for this command line: only its command when it names one, else every command. */
export async function programFor(ctx: CliContext, argv: readonly string[]): Promise<Command> {
  const load = Object.hasOwn(COMMANDS, argv[2] ?? '') ? COMMANDS[argv[2]!] : undefined;
  if (!load) return (await import('./program.js')).buildProgram(ctx);
  return newProgram().addCommand(await load(ctx));
}

export function defaultContext(): CliContext {
  return {
    async openDb({ migrate: doMigrate = true } = {}) {
      const [{ createDb, migrate }, { loadConfig }] = await Promise.all([import('@cordon/db'), import('@cordon/server')]);
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
    await (await programFor(defaultContext(), process.argv)).parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    const { ConfigError } = await import('@cordon/server');
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    console.error(`cordon: ${(err as Error).message}`);
    process.exit(1);
  }
}
