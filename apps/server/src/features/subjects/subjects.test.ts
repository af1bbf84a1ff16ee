import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, postCase } from './subjects.fixtures.js';

const HUNG_CCCD = '020089001234';

describe.each(testEngines())('subjects on %s', (engine) => {
  let h: Harness;
  let ls: Client; // Customs, Lạng Sơn
  let hp: Client; // Customs, Hải Phòng
  let bg: Client; // Border Guard
  let analyst: Client; // Customs headquarters: sees both Customs branches
  let viewer: Client; // national office: sees other units' internal cases only in summary
  let admin: Client;
  const ids: Record<string, string> = {};

  const post = postCase;
  const search = async (c: Client, q: string) => (await c.request('GET', `/api/subjects?q=${encodeURIComponent(q)}`)).json().items as { id: string; name: string; caseCount: number; kind: string }[];

  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'hp', roles: ['officer'], unit: 'CUSTOMS-HP' });
    await h.makeUser({ username: 'bg', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'analyst', roles: ['analyst'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'viewer', roles: ['viewer'], unit: 'BCD389' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    ls = await h.login('ls');
    hp = await h.login('hp');
    bg = await h.login('bg');
    analyst = await h.login('analyst');
    viewer = await h.login('viewer');
    admin = await h.login('admin');

    // One man recorded by three agencies in three forms, a namesake with another CCCD, and a woman
    // named only in a restricted case.
    const c1 = await post(ls, { title: 'Xe tải chở thuốc lá lậu qua Tân Thanh' });
    const c2 = await post(bg, { title: 'Biên phòng bắt xe tải thuốc lá', subjects: [{ kind: 'person', role: 'driver', name: 'NGUYEN VAN HUNG', idNumber: HUNG_CCCD }, { kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C04567' }] });
    const c3 = await post(ls, {
      title: 'Chuyên án đường dây thuốc lá',
      sensitivity: 'restricted',
      subjects: [{ kind: 'person', role: 'organiser', name: 'Hùng Nguyễn', idNumber: HUNG_CCCD, phone: '0912345678' }, { kind: 'person', role: 'financier', name: 'Trần Thị Mai', idNumber: '001190012345' }],
    });
    const c4 = await post(hp, { title: 'Vụ ở Hải Phòng', provinceCode: '31', borderGate: null, subjects: [{ kind: 'person', role: 'owner', name: 'Nguyễn Văn Hùng', idNumber: '031075009999', dateOfBirth: '1975-01-01' }] });
    Object.assign(ids, { c1: c1.id, c2: c2.id, c3: c3.id, c4: c4.id, hung1: c1.subjects[0]!.id, hung3: c3.subjects[0]!.id, mai: c3.subjects[1]!.id, namesake: c4.subjects[0]!.id });
  });
  afterAll(() => h.close());

  it('resolves case subjects into subjects, and a second run changes nothing', async () => {
    expect((await ls.request('POST', '/api/admin/subjects/sync')).statusCode).toBe(403);
    const subjectIdsOn = async (c: Client, caseId: string) => ((await c.request('GET', `/api/cases/${caseId}`)).json().subjects as { subjectId: string | null }[]).map((s) => s.subjectId);
    const before = await subjectIdsOn(ls, ids.c1!);
    expect(before.length > 0 && before.every((x) => x === null)).toBe(true); // not taken by the sync yet
    const first = await admin.request('POST', '/api/admin/subjects/sync');
    expect(first.statusCode).toBe(200);
    // 7 records: Hùng ×3 + namesake + Mai (persons), two vehicles (one plate)
    expect(first.json()).toMatchObject({ records: 7, subjects: 4, changed: 7, created: 4 });
    const again = (await admin.request('POST', '/api/admin/subjects/sync')).json();
    expect(again).toMatchObject({ records: 7, subjects: 4, changed: 0, created: 0, removed: 0 });
    // a case's page leads to the subject each record belongs to: Customs' and the Border Guard's Hùng are one
    const [hungOnC1] = await subjectIdsOn(ls, ids.c1!);
    expect(hungOnC1).toEqual(expect.any(String));
    expect((await subjectIdsOn(bg, ids.c2!))[0]).toBe(hungOnC1);
    const audit = await h.db.kysely.selectFrom('audit_log').select('action').where('action', '=', 'subjects.sync').execute();
    expect(audit).toHaveLength(2);
  });

  it('finds a subject by name with or without diacritics, in any word order, and by any identifier form', async () => {
    const byName = await search(ls, 'nguyen van hung');
    const hung = byName.find((s) => s.caseCount === 2)!;
    expect(hung).toMatchObject({ kind: 'person', name: 'Nguyễn Văn Hùng' });
    ids.hung = hung.id;
    expect((await search(ls, 'Hùng Nguyễn')).map((s) => s.id)).toContain(hung.id);
    expect((await search(ls, HUNG_CCCD)).map((s) => s.id)).toEqual([hung.id]);
    expect((await search(ls, '+84 912 345 678')).map((s) => s.id)).toEqual([hung.id]);
    const truck = await search(ls, '12C-045.67');
    expect(truck).toHaveLength(1);
    expect(truck[0]).toMatchObject({ kind: 'vehicle', caseCount: 1 });
  });

  it('shows a subject page with only the cases the user sees in full, and how each record joined', async () => {
    const mine = (await ls.request('GET', `/api/subjects/${ids.hung}`)).json();
    expect(mine.members.map((m: { caseId: string }) => m.caseId).sort()).toEqual([ids.c1, ids.c3].sort());
    expect(mine.identifiers).toEqual(expect.arrayContaining([{ kind: 'ID', value: HUNG_CCCD }, { kind: 'PHONE', value: '0912345678' }]));
    const rules = mine.members.map((m: { rule: string }) => m.rule).sort();
    expect(rules).toContain('identifier');
    // the Border Guard sees the same subject through its own case only, and nothing of the restricted one
    const theirs = (await bg.request('GET', `/api/subjects/${ids.hung}`)).json();
    expect(theirs.members.map((m: { caseId: string }) => m.caseId)).toEqual([ids.c2]);
    expect(theirs.identifiers).toEqual([{ kind: 'ID', value: HUNG_CCCD }]);
    expect(theirs.members[0].linkedTo).toBeNull(); // linked to a record they may not see
    expect(theirs.members[0].reasons).toEqual([]);
  });

  it('hides a subject seen only through a restricted case, by search and by id', async () => {
    const [mai] = await search(ls, 'tran thi mai');
    expect(mai).toBeDefined();
    for (const c of [hp, bg, viewer]) {
      expect(await search(c, 'tran thi mai')).toEqual([]);
      expect(await search(c, '001190012345')).toEqual([]);
      expect((await c.request('GET', `/api/subjects/${mai!.id}`)).statusCode).toBe(404);
    }
    // the national office sees other forces' internal cases only in summary: subjects are not in it
    expect(await search(viewer, 'nguyen van hung')).toEqual([]);
    // a case shared with a unit opens its subjects to that unit
    await h.db.kysely.insertInto('record_shares').values({ id: crypto.randomUUID(), record_type: 'case', record_id: ids.c3!, unit_id: await h.unitId('CUSTOMS-HP'), user_id: null, reason: 'phối hợp', granted_by: (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'ls').executeTakeFirstOrThrow()).id, created_at: new Date(), revoked_at: null }).execute();
    expect((await search(hp, 'tran thi mai')).map((s) => s.id)).toEqual([mai!.id]);
    expect(await search(bg, 'tran thi mai')).toEqual([]);
  });

  it('lets an analyst merge two subjects and revert it, keeping provenance and an audit trail', async () => {
    const namesake = (await search(hp, '031075009999'))[0]!;
    expect(namesake.id).not.toBe(ids.hung);
    expect((await ls.request('POST', `/api/subjects/${ids.hung}/merge`, { otherId: namesake.id, reason: 'cùng một người' })).statusCode).toBe(403);
    expect((await analyst.request('POST', `/api/subjects/${ids.hung}/merge`, { otherId: ids.hung, reason: 'x y z' })).json().error.issues[0].field).toBe('otherId');
    const merged = await analyst.request('POST', `/api/subjects/${ids.hung}/merge`, { otherId: namesake.id, reason: 'Cùng một người theo xác minh' });
    expect(merged.statusCode).toBe(200);
    const m = merged.json();
    const moved = m.members.find((x: { caseSubjectId: string }) => x.caseSubjectId === ids.namesake);
    expect(moved).toMatchObject({ rule: 'analyst-merge', source: 'analyst', joinedBy: 'analyst', pinned: true });
    expect(m.decisions[0]).toMatchObject({ action: 'merge', otherSubjectId: namesake.id, decidedBy: 'analyst', revertedAt: null });
    // the merged-away subject's page is now the one it was merged into, and so is the case's link to it
    expect((await analyst.request('GET', `/api/subjects/${namesake.id}`)).json().id).toBe(ids.hung);
    expect((await hp.request('GET', `/api/cases/${ids.c4}`)).json().subjects[0].subjectId).toBe(ids.hung);
    // the resolver leaves the analyst's decision alone
    expect((await admin.request('POST', '/api/admin/subjects/sync')).json().changed).toBe(0);
    expect((await analyst.request('GET', `/api/subjects/${ids.hung}`)).json().members.map((x: { caseSubjectId: string }) => x.caseSubjectId)).toContain(ids.namesake);

    const reverted = await analyst.request('POST', `/api/subjects/decisions/${m.decisions[0].id}/revert`);
    expect(reverted.statusCode).toBe(200);
    expect(reverted.json().members.map((x: { caseSubjectId: string }) => x.caseSubjectId)).not.toContain(ids.namesake);
    const back = (await analyst.request('GET', `/api/subjects/${namesake.id}`)).json();
    expect(back.mergedInto).toBeNull();
    expect(back.members.map((x: { caseSubjectId: string }) => x.caseSubjectId)).toEqual([ids.namesake]);
    expect((await analyst.request('POST', `/api/subjects/decisions/${m.decisions[0].id}/revert`)).statusCode).toBe(409);
    const actions = (await h.db.kysely.selectFrom('audit_log').select('action').where('entity_type', '=', 'subject').execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['subject.merge', 'subject.revert']));
  });

  it('lets an analyst split records out into a new subject, and not records they cannot see', async () => {
    expect((await analyst.request('POST', `/api/subjects/${ids.hung}/split`, { caseSubjectIds: [ids.mai], reason: 'không thuộc' })).json().error.issues[0].field).toBe('caseSubjectIds.0');
    const res = await analyst.request('POST', `/api/subjects/${ids.hung}/split`, { caseSubjectIds: [ids.hung3], reason: 'Người khác trùng tên' });
    expect(res.statusCode).toBe(200);
    const created = res.json();
    expect(created.id).not.toBe(ids.hung);
    expect(created.members).toEqual([expect.objectContaining({ caseSubjectId: ids.hung3, rule: 'analyst-split', pinned: true })]);
    expect((await admin.request('POST', '/api/admin/subjects/sync')).json().changed).toBe(0);
    expect((await analyst.request('GET', `/api/subjects/${created.id}`)).json().members).toHaveLength(1);
    const decision = (await analyst.request('GET', `/api/subjects/${ids.hung}`)).json().decisions.find((d: { action: string }) => d.action === 'split');
    await analyst.request('POST', `/api/subjects/decisions/${decision.id}/revert`);
    expect((await analyst.request('GET', `/api/subjects/${ids.hung}`)).json().members.map((x: { caseSubjectId: string }) => x.caseSubjectId)).toContain(ids.hung3);
    // the Border Guard cannot decide on what it does not see, and is not a decider anyway
    expect((await bg.request('POST', `/api/subjects/${ids.hung}/split`, { caseSubjectIds: [ids.hung3], reason: 'x y z' })).statusCode).toBe(403);
  });
});
