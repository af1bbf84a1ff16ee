import type { Db } from '@cordon/db';
import { Command } from 'commander';

/** What every command gets: a way to open the configured database, and where to print. */
export interface CliContext {
  /** Opens (and migrates) the database named by DATABASE_URL, else the embedded one in DATA_DIR. */
  openDb(opts?: { migrate?: boolean }): Promise<Db>;
  out(line: string): void;
  err(line: string): void;
}

/** The `cordon` program with no command yet (main.ts adds the one it runs, program.ts all of them). */
export function newProgram(): Command {
  return new Command('cordon')
    .description('Cordon command-line tool. Uses DATABASE_URL (PostgreSQL) when set, else the embedded database in DATA_DIR (./data).')
    .showHelpAfterError()
    .exitOverride();
}
