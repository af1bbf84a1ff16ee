// Every command, loaded up front: what the tests and the bench drive. The `cordon` command itself
// (main.ts) loads only the module of the command it runs.
import type { Command } from 'commander';
import { newProgram, type CliContext } from './context.js';
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
  const program = newProgram();
  for (const command of [serveCommand, dbCommand, auditCommand, userCommand, referenceCommand, reportCommand, importCommand, entitiesCommand, riskCommand, custodyCommand]) {
    program.addCommand(command(ctx));
  }
  return program;
}
