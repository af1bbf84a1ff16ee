import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'cordon-entities-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.exitCode = 0;
  await buildProgram({ openDb: () => Promise.reject(new Error('no database')), out: (l) => out.push(l), err: (l) => err.push(l) }).parseAsync(['node', 'cordon', 'entities', ...args]);
  const code = process.exitCode;
  process.exitCode = 0;
  return { out, err, code };
}

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const people = file(
  'people.csv',
  'rec_id, given_name, surname, date_of_birth, soc_sec_id, suburb\n' +
    'r1, Hùng, Nguyễn, 19850312, 001085012345, Lạng Sơn\n' +
    'r2, HUNG, NGUYEN, 19850312, , Lang Son\n' +
    'r3, Mai, Trần, 19900701, 001190012345, Hà Nội\n' +
    'r4, Lan, Phạm, 19700101, , Cao Bằng\n' +
    'r5, Mai, Tran, 19900107, 001190012345, \n' +
    Array.from({ length: 15 }, (_, k) => `x${k}, Name${k}, Fam${k}, 19${60 + k}0${1 + (k % 9)}1${k % 10}, , Place${k}\n`).join(''),
);
const mapping = file('map.json', JSON.stringify({ kind: 'person', id: 'rec_id', separator: ',', fields: { givenName: 'given_name', familyName: 'surname', dob: 'date_of_birth', dobFormat: 'yyyyMMdd', idNumber: 'soc_sec_id', address: ['suburb'] } }));

describe('cordon entities', () => {
  it('writes the duplicates within one file as left_id,right_id,score', async () => {
    const out = join(dir, 'pairs.csv');
    const r = await run('resolve', '--input', people, '--mapping', mapping, '--out', out, '--explain', join(dir, 'why.jsonl'));
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('left_id,right_id,score');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).sort().join(' ')).sort()).toEqual(['r1 r2', 'r3 r5']);
    const why = readFileSync(join(dir, 'why.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { decision: string; fields: { field: string }[] });
    expect(why.map((w) => w.decision).sort()).toEqual(['identifier', 'match']);
    expect(why[0]!.fields.map((f) => f.field)).toContain('dob');
  });

  it('evaluates found pairs against the truth, in text and JSON', async () => {
    const found = file('found.csv', 'left_id,right_id,score\nr2,r1,0.99\nr3,r4,0.6\n');
    const truth = file('truth.csv', 'rec_id_1,rec_id_2\nr1,r2\nr3,r5\n');
    const r = await run('evaluate', '--pairs', found, '--truth', truth, '--json');
    expect(JSON.parse(r.out[0]!)).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, truePositives: 1 });
    const text = await run('evaluate', '--pairs', found, '--truth', truth);
    expect(text.out[0]).toMatch(/precision 0\.5000 {2}recall 0\.5000 {2}F1 0\.5000/);
  });

  it('refuses unknown mapping keys and missing columns with exit code 2', async () => {
    const bad = file('bad.json', JSON.stringify({ kind: 'person', id: 'rec_id', fields: { givenName: 'given_name', nickname: 'x' } }));
    const r1 = await run('resolve', '--input', people, '--mapping', bad, '--out', join(dir, 'x.csv'));
    expect(r1.code).toBe(2);
    expect(r1.err[0]).toMatch(/unknown field "nickname"/);
    const missing = file('missing.json', JSON.stringify({ kind: 'person', id: 'rec_id', fields: { givenName: 'given_name', phone: 'mobile' } }));
    const r2 = await run('resolve', '--input', people, '--mapping', missing, '--out', join(dir, 'x.csv'));
    expect(r2.code).toBe(2);
    expect(r2.err[0]).toMatch(/column\(s\) "mobile" not in the header/);
  });
});
