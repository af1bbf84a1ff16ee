import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';

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

  it('reads addresses into province and ward with --gazetteer, and names a missing ward file', async () => {
    const gz = join(dir, 'admin-units');
    mkdirSync(gz, { recursive: true });
    writeFileSync(join(gz, 'wards_2025.csv'), 'code,name,type,name_ascii,province_code,province_name,merged_from_count\n26743,Phường Bến Thành,Phường,Phuong Ben Thanh,79,Hồ Chí Minh,4\n06445,Xã Tân Thành,Xã,Xa Tan Thanh,20,Lạng Sơn,3\n');
    writeFileSync(join(gz, 'wards_pre2025.csv'), 'code,name,name_ascii,province_code,province_name\n26749,Phường Phạm Ngũ Lão,Phuong Pham Ngu Lao,79,Hồ Chí Minh\n');
    writeFileSync(join(gz, 'ward_mapping_old_to_new.csv'), 'old_code,old_name,old_province_code,new_code,new_name,new_province_code,is_split,merge_type\n26749,Phường Phạm Ngũ Lão,79,26743,Phường Bến Thành,79,0,full\n');
    const addresses = file(
      'addresses.csv',
      'id;name;dob;address\n' +
        'a1;Nguyễn Văn Hùng;1985-03-12;Số 12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh\n' +
        'a2;NGUYEN VAN HUNG;1985-03-12;12 Le Loi, P. Pham Ngu Lao, Q.1, TPHCM\n' +
        'a3;Nguyễn Văn Hùng;1985-03-12;xa Tan Thanh, huyen Van Lang, Lang Son\n' +
        Array.from({ length: 30 }, (_, k) => `x${k};Trần Thị Mai ${k};19${60 + k}-0${1 + (k % 9)}-1${k % 10};${k} Hàm Nghi, ${k % 2 ? 'phường Bến Thành, TP.HCM' : 'Lạng Sơn'}\n`).join(''),
    );
    const map = file('addr.json', JSON.stringify({ kind: 'person', id: 'id', separator: ';', fields: { fullName: 'name', dob: 'dob', dobFormat: 'yyyy-MM-dd', address: 'address' } }));
    const why = join(dir, 'addr.jsonl');
    const r = await run('resolve', '--input', addresses, '--mapping', map, '--out', join(dir, 'addr.csv'), '--explain', why, '--threshold', '0.01', '--gazetteer', gz);
    expect(r.code).toBe(0);
    const pairs = readFileSync(why, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { left_id: string; right_id: string; fields: { field: string; level: string; left?: string }[] });
    const area = (a: string, b: string) => pairs.find((p) => [p.left_id, p.right_id].sort().join() === [a, b].join())?.fields.find((f) => f.field === 'area');
    expect(area('a1', 'a2')).toMatchObject({ level: 'same ward', left: '79/26743' });
    const missing = await run('resolve', '--input', addresses, '--mapping', map, '--out', join(dir, 'x.csv'), '--gazetteer', join(dir, 'nowhere'));
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/wards_2025\.csv not found/);
  });

  it('links vessels by a valid IMO number only', async () => {
    const ships = file('ships.csv', 'id,ship,imo\nv1,Tàu Pacific Express,IMO 9074729\nv2,M/V PACIFIC EXPRES,9074729\nv3,Tàu Hải Âu,9074728\nv4,MV Sông Hồng,9074728\n');
    const map = file('ships.json', JSON.stringify({ kind: 'vessel', id: 'id', fields: { name: 'ship', imo: 'imo' } }));
    const out = join(dir, 'ships.pairs.csv');
    const r = await run('resolve', '--input', ships, '--mapping', map, '--out', out, '--explain', join(dir, 'ships.jsonl'));
    expect(r.code).toBe(0);
    const why = readFileSync(join(dir, 'ships.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { left_id: string; right_id: string; decision: string });
    expect(why.find((w) => w.decision === 'identifier')).toMatchObject({ left_id: 'v1', right_id: 'v2' });
    expect(why.some((w) => w.decision === 'identifier' && w.left_id === 'v3')).toBe(false);
  });
});
