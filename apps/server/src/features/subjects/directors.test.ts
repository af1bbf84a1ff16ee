import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, postCase } from './subjects.fixtures.js';

type Relation = { id: string; kind: string; name: string; roles: string[]; cases: number };
type Detail = { id: string; kind: string; directors: Relation[]; directorOf: Relation[] };
type Net = { nodes: { id: string; name: string }[]; links: { source: string; target: string; director: string | null }[] };

const HAI_LONG = { kind: 'company', name: 'Công ty TNHH Thương mại Hải Long', taxCode: '0101234567' };

describe.each(testEngines())('company directors on %s', (engine) => {
  let h: Harness;
  let ls: Client; // Customs, Lạng Sơn
  let bg: Client; // Border Guard: each sees the other's internal cases only in summary
  const ids: Record<string, string> = {};

  const subjectOf = async (record: string) => (await h.db.kysely.selectFrom('subject_members').select('subject_id').where('case_subject_id', '=', record).executeTakeFirstOrThrow()).subject_id;
  const detail = async (c: Client, id: string) => {
    const res = await c.request('GET', `/api/subjects/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Detail;
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'bg', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    ls = await h.login('ls');
    bg = await h.login('bg');
    // Hải Long in a Customs case with its owner (Đức) and a driver, and in a Border Guard case with another owner (Hạnh)
    const c1 = await postCase(ls, { title: 'Hải Long nhập lậu điện thoại', subjects: [{ ...HAI_LONG, role: 'buyer' }, { kind: 'person', role: 'owner', name: 'Lê Văn Đức', idNumber: '020080001111' }, { kind: 'person', role: 'driver', name: 'Phạm Văn Khoa', idNumber: '020085002222' }] });
    const c2 = await postCase(bg, { title: 'Biên phòng bắt hàng của Hải Long', subjects: [{ ...HAI_LONG, role: 'owner' }, { kind: 'person', role: 'owner', name: 'Ngô Thị Hạnh', idNumber: '020090003333' }] });
    const admin = await h.login('admin');
    expect((await admin.request('POST', '/api/admin/subjects/sync')).statusCode).toBe(200);
    ids.company = await subjectOf(c1.subjects[0]!.id);
    expect(await subjectOf(c2.subjects[0]!.id)).toBe(ids.company); // one tax code: one company
    ids.duc = await subjectOf(c1.subjects[1]!.id);
    ids.khoa = await subjectOf(c1.subjects[2]!.id);
    ids.hanh = await subjectOf(c2.subjects[1]!.id);
  }, 180_000);
  afterAll(() => h.close());

  it("shows a company's directors and a person's companies, from the cases the user sees in full only", async () => {
    const mine = await detail(ls, ids.company!);
    expect(mine.directors).toEqual([{ id: ids.duc, kind: 'person', name: 'Lê Văn Đức', roles: ['owner'], cases: 1 }]);
    expect(mine.directorOf).toEqual([]);
    // the Border Guard sees the same company with its own case's owner, not the Customs one
    const theirs = await detail(bg, ids.company!);
    expect(theirs.directors.map((d) => d.name)).toEqual(['Ngô Thị Hạnh']);
    // from the person's side
    expect((await detail(ls, ids.duc!)).directorOf).toEqual([{ id: ids.company, kind: 'company', name: HAI_LONG.name, roles: ['buyer'], cases: 1 }]);
    expect((await detail(ls, ids.khoa!)).directorOf).toEqual([]);
    // and Customs cannot open the Border Guard's director by id
    expect((await ls.request('GET', `/api/subjects/${ids.hanh}`)).statusCode).toBe(404);
  });

  it('draws a "director of" link in the network view, only between subjects the user sees', async () => {
    const net = (await ls.request('GET', `/api/subjects/${ids.company}/network?depth=2`)).json() as Net;
    expect(net.nodes.map((n) => n.id)).not.toContain(ids.hanh);
    const link = (a: string, b: string) => net.links.find((l) => (l.source === a && l.target === b) || (l.source === b && l.target === a));
    expect(link(ids.company!, ids.duc!)?.director).toBe(ids.duc);
    expect(link(ids.company!, ids.khoa!)?.director).toBeNull();
    const theirs = (await bg.request('GET', `/api/subjects/${ids.company}/network?depth=1`)).json() as Net;
    expect(theirs.links.filter((l) => l.director).map((l) => l.director)).toEqual([ids.hanh]);
  });
});
