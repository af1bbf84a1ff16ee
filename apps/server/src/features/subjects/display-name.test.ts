import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, postCase } from './subjects.fixtures.js';
import { displayName } from './display-name.js';

describe('displayName', () => {
  const both = (names: string[]) => [displayName(names), displayName([...names].reverse())];

  it('prefers the form with diacritics and proper case of the spelling most records give, in any order', () => {
    expect(both(['PHAM THANH CHI', 'Phạm Thanh Chi'])).toEqual(['Phạm Thanh Chi', 'Phạm Thanh Chi']);
    // one spelling written three ways: the best-written form wins over the most frequent one
    expect(both(['PHAM THANH CHI', 'PHAM THANH CHI', 'Pham Thanh Chi', 'Phạm Thanh Chi'])).toEqual(['Phạm Thanh Chi', 'Phạm Thanh Chi']);
    // diacritics say more than case
    expect(both(['PHẠM THANH CHI', 'Pham Thanh Chi'])).toEqual(['PHẠM THANH CHI', 'PHẠM THANH CHI']);
  });

  it('takes the spelling most records give, then the fuller name', () => {
    expect(both(['NGUYEN VAN HUNG', 'Nguyễn Văn Hùng', 'Hùng Nguyễn'])).toEqual(['Nguyễn Văn Hùng', 'Nguyễn Văn Hùng']);
    expect(both(['Hùng Nguyễn', 'Hùng Nguyễn', 'Nguyễn Văn Hùng'])).toEqual(['Hùng Nguyễn', 'Hùng Nguyễn']);
    expect(both(['Hùng Nguyễn', 'Nguyễn Văn Hùng'])).toEqual(['Nguyễn Văn Hùng', 'Nguyễn Văn Hùng']);
    expect(displayName([])).toBe('');
  });
});

describe.each(testEngines())('one display name everywhere on %s', (engine) => {
  let h: Harness;
  let ls: Client;
  let analyst: Client;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'analyst', roles: ['analyst'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    ls = await h.login('ls');
    analyst = await h.login('analyst');
    // the same woman recorded in capitals without diacritics (as the director of a company) and,
    // earlier, properly; two CCCDs keep the resolver from joining them: an analyst merges them
    const caps = await postCase(ls, { title: 'Vàng miếng không hóa đơn', detectedOn: '2026-10-08', subjects: [{ kind: 'person', role: 'director', name: 'PHAM THANH CHI', idNumber: '079192451766' }, { kind: 'company', role: 'owner', name: 'Công ty Cổ phần Trường Sơn', taxCode: '0101234567' }] });
    const proper = await postCase(ls, { title: 'Vận chuyển vàng qua sân bay', detectedOn: '2026-10-01', subjects: [{ kind: 'person', role: 'transporter', name: 'Phạm Thanh Chi', idNumber: '079192451799' }] });
    // one subject recorded four ways (one CCCD): the stored name follows the same rule
    for (const name of ['NGUYEN VAN HUNG', 'Nguyễn Văn Hùng', 'Hùng Nguyễn', 'NGUYEN VAN HUNG']) await postCase(ls, { title: `Vụ của ${name}`, subjects: [{ kind: 'person', role: 'owner', name, idNumber: '020089001234' }] });
    expect((await (await h.login('admin')).request('POST', '/api/admin/subjects/sync')).statusCode).toBe(200);
    const subjectOf = async (caseSubjectId: string) => (await h.db.kysely.selectFrom('subject_members').select('subject_id').where('case_subject_id', '=', caseSubjectId).executeTakeFirstOrThrow()).subject_id;
    ids.caps = await subjectOf(caps.subjects[0]!.id);
    ids.proper = await subjectOf(proper.subjects[0]!.id);
    ids.company = await subjectOf(caps.subjects[1]!.id);
  });
  afterAll(() => h.close());

  const storedName = async (id: string) => (await h.db.kysely.selectFrom('subjects').select('display_name').where('id', '=', id).executeTakeFirstOrThrow()).display_name;

  it('after a merge, the search list, the subject page, the network, the company and a watch all show the name with diacritics', async () => {
    expect(ids.caps).not.toBe(ids.proper);
    const merged = await analyst.request('POST', `/api/subjects/${ids.caps}/merge`, { otherId: ids.proper, reason: 'Cùng một người, đã xác minh' });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ id: ids.caps, name: 'Phạm Thanh Chi', otherNames: ['PHAM THANH CHI'] });
    const found = (await analyst.request('GET', '/api/subjects?q=pham%20thanh%20chi')).json().items;
    expect(found.map((s: { name: string }) => s.name)).toEqual(['Phạm Thanh Chi']);
    const net = (await analyst.request('GET', `/api/subjects/${ids.company}/network?depth=1`)).json();
    expect(net.nodes.find((n: { id: string }) => n.id === ids.caps).name).toBe('Phạm Thanh Chi');
    const company = (await analyst.request('GET', `/api/subjects/${ids.company}`)).json();
    expect(company.directors.map((d: { name: string }) => d.name)).toEqual(['Phạm Thanh Chi']);
    const watch = await analyst.request('POST', '/api/watchlists', { subjectId: ids.caps });
    expect(watch.statusCode, watch.body).toBe(201);
    expect(watch.json().label).toBe('Phạm Thanh Chi');
    expect(await storedName(ids.caps!)).toBe('Phạm Thanh Chi');
  });

  it('stores the same name as the views show (the SQL and the TypeScript rule agree)', async () => {
    const hung = (await analyst.request('GET', '/api/subjects?q=020089001234')).json().items[0];
    // three records of four spell it so (twice in capitals): the stored name is the best-written form, not the most frequent
    expect(hung.name).toBe('Nguyễn Văn Hùng');
    expect(await storedName(hung.id)).toBe(hung.name);
  });

  it('after an undo, the decision still says how many records it moved and from whom', async () => {
    const before = (await analyst.request('GET', `/api/subjects/${ids.caps}`)).json();
    const merge = before.decisions[0];
    expect(merge).toMatchObject({ action: 'merge', records: 1, counterpartName: 'Phạm Thanh Chi', revertedAt: null });
    const undone = await analyst.request('POST', `/api/subjects/decisions/${merge.id}/revert`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json().name).toBe('PHAM THANH CHI');
    expect(undone.json().decisions[0]).toMatchObject({ id: merge.id, records: 1, counterpartName: 'Phạm Thanh Chi', revertedBy: 'analyst' });
    // the other side sees the same decision, naming this one
    const other = (await analyst.request('GET', `/api/subjects/${ids.proper}`)).json();
    expect(other.decisions[0]).toMatchObject({ id: merge.id, records: 1, counterpartName: 'PHAM THANH CHI' });
    expect(await storedName(ids.caps!)).toBe('PHAM THANH CHI');
  });
});
