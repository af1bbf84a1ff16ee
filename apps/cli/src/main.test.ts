import { describe, expect, it } from 'vitest';
import { programFor } from './main.js';
import type { CliContext } from './context.js';

const ctx: CliContext = { openDb: () => Promise.reject(new Error('no database in this test')), out: () => {}, err: () => {} };
const names = async (...args: string[]) => (await programFor(ctx, ['node', 'cordon', ...args])).commands.map((c) => c.name());

describe('the cordon command line', () => {
  it('builds only the command it runs, and every command for help or an unknown name', async () => {
    expect(await names('risk', 'score', '--help')).toEqual(['risk']);
    expect(await names('import', 'cases', 'x.csv')).toEqual(['import']);
    const all = await names('--help');
    expect(all).toEqual(expect.arrayContaining(['serve', 'db', 'audit', 'user', 'reference', 'report', 'import', 'entities', 'risk', 'custody']));
    expect(await names('toString')).toEqual(all); // not a command, even if an object has such a key
    expect(await names()).toEqual(all);
  });
});
