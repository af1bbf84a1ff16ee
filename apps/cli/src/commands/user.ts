import { Command } from 'commander';
import { CreateUserBody, ROLES, type Role } from '@cordon/contracts';
import { createServices, loadConfig } from '@cordon/server';
import type { CliContext } from '../context.js';

export function userCommand(ctx: CliContext): Command {
  const user = new Command('user').description('Users (for the first administrator of a new installation)');
  user
    .command('add')
    .description('Create a user. The password is read from CORDON_NEW_PASSWORD or the first line of standard input')
    .requiredOption('--username <name>', 'login name: lower-case letters, digits, dot, dash')
    .requiredOption('--unit <code>', 'org unit code, e.g. BCD389 or CUSTOMS')
    .requiredOption('--roles <list>', `comma-separated: ${ROLES.join(', ')}`)
    .option('--name <display>', 'display name (default: the username)')
    .action(async (opts: { username: string; unit: string; roles: string; name?: string }) => {
      const password = process.env.CORDON_NEW_PASSWORD ?? (await firstLine());
      const db = await ctx.openDb();
      try {
        const s = createServices(db, loadConfig());
        const unit = await db.kysely.selectFrom('org_units').select('id').where('code', '=', opts.unit).executeTakeFirst();
        if (!unit) throw new Error(`--unit: no unit with code ${opts.unit} (run \`cordon db seed\` for the base organisation)`);
        const roles = opts.roles.split(',').map((r) => r.trim()) as Role[];
        const bad = roles.filter((r) => !ROLES.includes(r));
        if (bad.length) throw new Error(`--roles: unknown role(s) ${bad.join(', ')}`);
        // The same rules as the API (username shape, password length): the service trusts its callers.
        const body = CreateUserBody.safeParse({ username: opts.username, displayName: opts.name ?? opts.username, unitId: unit.id, roles, locale: 'vi', password });
        if (!body.success) {
          const issue = body.error.issues[0]!;
          const flag = { username: '--username', displayName: '--name', password: 'the password' }[String(issue.path[0])] ?? String(issue.path[0]);
          throw new Error(`${flag}: ${issue.message}`);
        }
        const u = await s.users.create(null, body.data);
        ctx.out(`Created ${u.username} (${u.roles.join(', ')}) in ${u.unitCode}`);
      } finally {
        await db.close();
      }
    });
  return user;
}

async function firstLine(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) {
    data += chunk;
    if (data.includes('\n')) break;
  }
  return data.split('\n')[0]!.trim();
}
