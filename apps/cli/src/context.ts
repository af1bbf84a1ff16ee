import type { Db } from '@cordon/db';

/** What every command gets: a way to open the configured database, and where to print. */
export interface CliContext {
  /** Opens (and migrates) the database named by DATABASE_URL, else the embedded one in DATA_DIR. */
  openDb(opts?: { migrate?: boolean }): Promise<Db>;
  out(line: string): void;
  err(line: string): void;
}
