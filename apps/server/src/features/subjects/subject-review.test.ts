import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, postCase } from './subjects.fixtures.js';

const HUNG_CCCD = '020089001234';
const HUNG_PHONE = '0912345678';
const BINH_CCCD = '001091004321';

type Proposal = { id: string; version: number; score: number; reasons: { field: string; outcome: string }[]; left: { caseSubjectId: string; subjectId: string; unitCode: string; name: string }; right: { caseSubjectId: string; subjectId: string; unitCode: string; name: string } };

describe.each(testEngines())('merge proposals, watchlists and repeat subjects on %s', (engine) => {
  let h: Harness;
  let ls: Client; // Customs, Lạng Sơn
  let hp: Client; // Customs, Hải Phòng
  let bg: Client; // Border Guard officer
  let analyst: Client; // Customs headquarters: sees both Customs branches in full
  let bgAnalyst: Client; // Border Guard analyst: sees no Customs case in full
  let national: Client; // analyst of the national office: handles no cases
  let viewer: Client;
  let admin: Client;
  const ids: Record<string, string> = {};

  const post = postCase;
  const sync = async () => (await admin.request('POST', '/api/admin/subjects/sync')).json() as { changed: number; proposed: number };
  const queue = async (c: Client) => (await c.request('GET', '/api/subjects/proposals')).json() as { items: Proposal[]; total: number };
  const proposalOf = async (c: Client, record: string) => (await queue(c)).items.find((p) => p.left.caseSubjectId === record || p.right.caseSubjectId === record);
  const unread = async (c: Client) => (await c.request('GET', '/api/watchlists/alerts/count')).json().unread as number;
  const share = async (caseId: string, unit: string) => {
    const by = (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'ls').executeTakeFirstOrThrow()).id;
    await h.db.kysely.insertInto('record_shares').values({ id: crypto.randomUUID(), record_type: 'case', record_id: caseId, unit_id: await h.unitId(unit), user_id: null, reason: 'phối hợp', granted_by: by, created_at: new Date(), revoked_at: null }).execute();
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'hp', roles: ['officer'], unit: 'CUSTOMS-HP' });
    await h.makeUser({ username: 'bg', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'analyst', roles: ['analyst'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'bganalyst', roles: ['analyst'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'national', roles: ['analyst'], unit: 'BCD389' });
    await h.makeUser({ username: 'viewer', roles: ['viewer'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    ls = await h.login('ls');
    hp = await h.login('hp');
    bg = await h.login('bg');
    analyst = await h.login('analyst');
    bgAnalyst = await h.login('bganalyst');
    national = await h.login('national');
    viewer = await h.login('viewer');
    admin = await h.login('admin');

    // Hùng with his CCCD (Customs), again without it but with his phone and birth date (Customs), and
    // by CCCD in a Border Guard case. Bình likewise, twice in Customs cases.
    const c1 = await post(ls, { title: 'Xe tải thuốc lá Tân Thanh', detectedOn: '2026-03-01', subjects: [{ kind: 'person', role: 'driver', name: 'Nguyễn Văn Hùng', idNumber: HUNG_CCCD, phone: HUNG_PHONE, dateOfBirth: '1989-03-12' }] });
    const c2 = await post(ls, { title: 'Thuốc lá ở chợ Đông Kinh', detectedOn: '2026-04-01', subjects: [{ kind: 'person', role: 'seller', name: 'Hùng Nguyễn', phone: '+84912345678', dateOfBirth: '1989-03-12' }] });
    const c3 = await post(bg, { title: 'Biên phòng bắt xe thuốc lá', detectedOn: '2026-05-01', subjects: [{ kind: 'person', role: 'driver', name: 'NGUYEN VAN HUNG', idNumber: HUNG_CCCD }] });
    const c4 = await post(ls, { title: 'Kho hàng lậu Cao Lộc', detectedOn: '2026-05-02', subjects: [{ kind: 'person', role: 'owner', name: 'Trần Văn Bình', idNumber: BINH_CCCD, phone: '0987654321', dateOfBirth: '1991-07-07', address: 'Cao Lộc, Lạng Sơn' }] });
    const c5 = await post(hp, { title: 'Container hàng giả Hải Phòng', provinceCode: '31', borderGate: null, detectedOn: '2026-05-03', subjects: [{ kind: 'person', role: 'owner', name: 'Tran Van Binh', phone: '+84987654321', dateOfBirth: '1991-07-07', address: 'Cao Loc, Lang Son' }] });
    Object.assign(ids, { c1: c1.id, c2: c2.id, c3: c3.id, c4: c4.id, c5: c5.id, hung1: c1.subjects[0]!.id, hung2: c2.subjects[0]!.id, hung3: c3.subjects[0]!.id, binh4: c4.subjects[0]!.id, binh5: c5.subjects[0]!.id });
  }, 180_000); // eight users signing in (argon2) on a shared, loaded machine
  afterAll(() => h.close());

  it('links exact identifiers at once and holds scored matches as proposals with per-field reasons', async () => {
    const first = await sync();
    expect(first.proposed).toBe(2);
    const subjectOf = async (record: string) => (await h.db.kysely.selectFrom('subject_members').select('subject_id').where('case_subject_id', '=', record).executeTakeFirstOrThrow()).subject_id;
    expect(await subjectOf(ids.hung3!)).toBe(await subjectOf(ids.hung1!)); // same CCCD: linked without asking
    expect(await subjectOf(ids.hung2!)).not.toBe(await subjectOf(ids.hung1!)); // fuzzy: waits
    const p = (await proposalOf(analyst, ids.hung2!))!;
    expect(p.score).toBeGreaterThan(0.5);
    expect(p.reasons.find((r) => r.field === 'phone')).toMatchObject({ outcome: 'agreed' });
    expect([p.left.unitCode, p.right.unitCode]).toEqual(['CUSTOMS-LS', 'CUSTOMS-LS']);
    expect((await queue(analyst)).total).toBe(2);
    // a second run proposes nothing new
    expect(await sync()).toMatchObject({ changed: 0, proposed: 0 });
  });

  it('shows a proposal only to analysts who see both records in full', async () => {
    expect((await bg.request('GET', '/api/subjects/proposals')).statusCode).toBe(403);
    expect(await queue(bgAnalyst)).toEqual({ items: [], total: 0 });
    expect(await queue(national)).toEqual({ items: [], total: 0 });
    const p = (await proposalOf(analyst, ids.hung2!))!;
    const crossing = await bgAnalyst.request('POST', `/api/subjects/proposals/${p.id}/decide`, { decision: 'confirm', reason: 'cùng một người', version: p.version });
    expect(crossing.statusCode).toBe(404);
    expect((await bg.request('POST', `/api/subjects/proposals/${p.id}/decide`, { decision: 'confirm', reason: 'cùng một người', version: p.version })).statusCode).toBe(403);
  });

  it('remembers a rejection: the same pair is not proposed again', async () => {
    const p = (await proposalOf(analyst, ids.hung2!))!;
    const bad = await analyst.request('POST', `/api/subjects/proposals/${p.id}/decide`, { decision: 'reject', reason: '', version: p.version });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('reason');
    const res = await analyst.request('POST', `/api/subjects/proposals/${p.id}/decide`, { decision: 'reject', reason: 'Khác người: cùng số điện thoại gia đình', version: p.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('rejected');
    expect((await analyst.request('POST', `/api/subjects/proposals/${p.id}/decide`, { decision: 'confirm', reason: 'đổi ý', version: p.version + 1 })).statusCode).toBe(409);
    expect(await sync()).toMatchObject({ proposed: 0 });
    expect(await proposalOf(analyst, ids.hung2!)).toBeUndefined();
    const audit = await h.db.kysely.selectFrom('audit_log').select('action').where('action', '=', 'subject.proposal.reject').execute();
    expect(audit).toHaveLength(1);
  });

  it('confirms a proposal as a reversible merge that keeps provenance, and reopens it when reverted', async () => {
    // the Hải Phòng record is seen by the Customs analyst, not by the Lạng Sơn officer
    const p = (await proposalOf(analyst, ids.binh5!))!;
    expect(p).toBeDefined();
    expect(p.reasons.length).toBeGreaterThan(0);
    expect((await analyst.request('POST', `/api/subjects/proposals/${p.id}/decide`, { decision: 'confirm', reason: 'Cùng người', version: p.version + 5 })).statusCode).toBe(409);
    const res = await analyst.request('POST', `/api/subjects/proposals/${p.id}/decide`, { decision: 'confirm', reason: 'Cùng người: trùng điện thoại, ngày sinh, địa chỉ', version: p.version });
    expect(res.statusCode, res.body).toBe(200);
    const kept = res.json().subjectId as string;
    const s = (await analyst.request('GET', `/api/subjects/${kept}`)).json();
    expect(s.members.map((m: { caseSubjectId: string }) => m.caseSubjectId).sort()).toEqual([ids.binh4, ids.binh5].sort());
    expect(s.members.find((m: { rule: string }) => m.rule === 'analyst-merge')).toMatchObject({ source: 'analyst', joinedBy: 'analyst' });
    expect(s.decisions[0]).toMatchObject({ action: 'merge', decidedBy: 'analyst' });
    expect(await proposalOf(analyst, ids.binh5!)).toBeUndefined();
    expect(await sync()).toMatchObject({ changed: 0, proposed: 0 });
    // undoing the merge puts the question back in the queue
    expect((await analyst.request('POST', `/api/subjects/decisions/${s.decisions[0].id}/revert`)).statusCode).toBe(200);
    expect((await proposalOf(analyst, ids.binh5!))?.id).toBe(p.id);
    const actions = (await h.db.kysely.selectFrom('audit_log').select('action').where('action', 'like', 'subject.%').execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['subject.proposal.confirm', 'subject.merge', 'subject.revert']));
  });

  it('separates fuzzy links written before proposals existed and queues them on the next sync', async () => {
    // a membership as the resolver wrote it before migration 0016: joined by a score, no analyst
    const p = (await proposalOf(analyst, ids.binh5!))!;
    const binh = (await h.db.kysely.selectFrom('subject_members').select('subject_id').where('case_subject_id', '=', ids.binh4!).executeTakeFirstOrThrow()).subject_id;
    await h.db.kysely.deleteFrom('subject_proposals').where('id', '=', p.id).execute();
    await h.db.kysely.updateTable('subject_members').set({ subject_id: binh, rule: 'match', source: 'resolver', pinned: false, linked_to: ids.binh4!, score: 0.97 }).where('case_subject_id', 'in', [ids.binh4!, ids.binh5!]).execute();
    // such a sync kept no blocking keys (migration 0024 came later): the next sync resolves everything
    await h.db.kysely.deleteFrom('subject_record_keys').where('case_subject_id', 'in', [ids.binh4!, ids.binh5!]).execute();
    const res = (await sync()) as { changed: number; proposed: number; mode: string };
    expect(res.mode).toBe('full');
    expect(res.changed).toBeGreaterThan(0);
    expect(res.proposed).toBe(1);
    const after = await h.db.kysely.selectFrom('subject_members').select(['case_subject_id', 'subject_id', 'rule']).where('case_subject_id', 'in', [ids.binh4!, ids.binh5!]).execute();
    expect(new Set(after.map((r) => r.subject_id)).size).toBe(2);
    expect(after.every((r) => r.rule === 'first')).toBe(true);
    expect(await proposalOf(analyst, ids.binh5!)).toBeDefined();
  });

  it('follows a subject or an identifier, refusing what the user may not see or did not type right, and audits it', async () => {
    const hung = (await h.db.kysely.selectFrom('subject_members').select('subject_id').where('case_subject_id', '=', ids.hung1!).executeTakeFirstOrThrow()).subject_id;
    ids.hung = hung;
    const mine = await ls.request('POST', '/api/watchlists', { subjectId: hung });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json()).toMatchObject({ subjectId: hung, label: 'Nguyễn Văn Hùng' });
    ids.lsWatch = mine.json().id;
    expect((await ls.request('POST', '/api/watchlists', { subjectId: hung })).statusCode).toBe(409);
    // Hải Phòng sees none of Hùng's records: the subject does not exist for it
    expect((await hp.request('POST', '/api/watchlists', { subjectId: hung })).statusCode).toBe(404);
    const short = await hp.request('POST', '/api/watchlists', { identifier: { kind: 'ID', value: '1-2' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.issues[0].field).toBe('identifier.value');
    expect((await hp.request('POST', '/api/watchlists', { identifier: { kind: 'ID', value: HUNG_CCCD } })).statusCode).toBe(201);
    expect((await bg.request('POST', '/api/watchlists', { subjectId: hung })).statusCode).toBe(201);
    expect((await viewer.request('POST', '/api/watchlists', { identifier: { kind: 'PHONE', value: HUNG_PHONE } })).statusCode).toBe(403);
    const audit = await h.db.kysely.selectFrom('audit_log').select('action').where('action', '=', 'subject.watch.follow').execute();
    expect(audit).toHaveLength(3);
  });

  it('alerts a watcher about a new case only when they see it in full, and when it is shared later', async () => {
    const c6 = await post(ls, { title: 'Chuyên án Hùng', detectedOn: '2026-06-01', sensitivity: 'restricted', subjects: [{ kind: 'person', role: 'organiser', name: 'Nguyễn Văn Hùng', idNumber: HUNG_CCCD }] });
    ids.c6 = c6.id;
    expect(await unread(ls)).toBe(1);
    const alerts = (await ls.request('GET', '/api/watchlists/alerts')).json();
    expect(alerts.items[0]).toMatchObject({ caseId: c6.id, matched: [{ kind: 'ID', value: HUNG_CCCD }], read: false });
    // Hải Phòng follows the CCCD and the Border Guard the subject, but neither may open the restricted case
    expect(await unread(hp)).toBe(0);
    expect((await hp.request('GET', '/api/watchlists/alerts')).json().items).toEqual([]);
    expect(await unread(bg)).toBe(0);
    await share(c6.id, 'CUSTOMS-HP');
    expect((await hp.request('GET', '/api/watchlists/alerts')).json().items.map((a: { caseId: string }) => a.caseId)).toEqual([c6.id]);
    expect((await ls.request('POST', '/api/watchlists/alerts/read', { ids: [alerts.items[0].id] })).json().unread).toBe(0);
  });

  it('does not match a followed subject on an identifier seen only on records the watcher may not see', async () => {
    // the Border Guard sees Hùng through its own case (CCCD only); his phone is on a Customs record
    const c7 = await post(bg, { title: 'Người lạ dùng số điện thoại', detectedOn: '2026-06-02', subjects: [{ kind: 'person', role: 'accomplice', name: 'Lê Văn Tư', phone: HUNG_PHONE }] });
    // the subject's identifiers hold the phone, so an alert is stored; it must not show
    const bgId = (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'bg').executeTakeFirstOrThrow()).id;
    expect(await h.db.kysely.selectFrom('subject_watch_alerts').select('matched_keys').where('case_id', '=', c7.id).where('user_id', '=', bgId).execute()).toEqual([{ matched_keys: [`PHONE:${HUNG_PHONE}`] }]);
    expect(await unread(bg)).toBe(0);
    const c8 = await post(bg, { title: 'Biên phòng lại gặp Hùng', detectedOn: '2026-06-03', subjects: [{ kind: 'person', role: 'driver', name: 'Nguyễn Văn Hùng', idNumber: HUNG_CCCD }] });
    const items = (await bg.request('GET', '/api/watchlists/alerts')).json().items;
    expect(items.map((a: { caseId: string; matched: unknown }) => [a.caseId, a.matched])).toEqual([[c8.id, [{ kind: 'ID', value: HUNG_CCCD }]]]);
  });

  it('stops alerting after unfollowing, and only the watcher unfollows their own watch', async () => {
    expect((await hp.request('DELETE', `/api/watchlists/${ids.lsWatch}`)).statusCode).toBe(404);
    expect((await ls.request('DELETE', `/api/watchlists/${ids.lsWatch}`)).statusCode).toBe(204);
    expect((await ls.request('GET', '/api/watchlists')).json().items).toEqual([]);
    await post(ls, { title: 'Hùng lần nữa', detectedOn: '2026-06-04', subjects: [{ kind: 'person', role: 'driver', name: 'Nguyễn Văn Hùng', idNumber: HUNG_CCCD }] });
    expect(await unread(ls)).toBe(0);
    const audit = await h.db.kysely.selectFrom('audit_log').select('action').where('action', '=', 'subject.watch.unfollow').execute();
    expect(audit).toHaveLength(1);
  });

  it('flags subjects of a case that appear in earlier cases the user sees in full, and no others', async () => {
    const mine = (await ls.request('GET', `/api/cases/${ids.c6}/repeat-subjects`)).json();
    // earlier: c1 (same CCCD); c3 is the Border Guard's, which Lạng Sơn sees only in summary
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ name: 'Nguyễn Văn Hùng', earlierCount: 1 });
    expect(mine.items[0].earlierCases[0].caseId).toBe(ids.c1);
    expect(mine.items[0].earlierCases[0].via).toContain(`ID:${HUNG_CCCD}`);
    // the Border Guard cannot open this restricted case at all
    expect((await bg.request('GET', `/api/cases/${ids.c6}/repeat-subjects`)).statusCode).toBe(404);
    // its own later case: its earlier c3 counts, the Customs cases do not
    const c8 = (await h.db.kysely.selectFrom('cases').select('id').where('title', '=', 'Biên phòng lại gặp Hùng').executeTakeFirstOrThrow()).id;
    const theirs = (await bg.request('GET', `/api/cases/${c8}/repeat-subjects`)).json();
    expect(theirs.items[0].earlierCases.map((c: { caseId: string }) => c.caseId)).toEqual([ids.c3]);
    // through the resolved subject: Bình's Hải Phòng record has no CCCD, but an analyst confirmed it is him
    const binhProposal = (await proposalOf(analyst, ids.binh5!))!;
    expect((await analyst.request('POST', `/api/subjects/proposals/${binhProposal.id}/decide`, { decision: 'confirm', reason: 'Cùng người', version: binhProposal.version })).statusCode).toBe(200);
    const c9 = await post(hp, { title: 'Bình tái phạm', provinceCode: '31', borderGate: null, detectedOn: '2026-07-01', subjects: [{ kind: 'person', role: 'owner', name: 'Trần Văn Bình', idNumber: BINH_CCCD }] });
    const viaSubject = (await analyst.request('GET', `/api/cases/${c9.id}/repeat-subjects`)).json();
    expect(viaSubject.items[0].earlierCount).toBe(2);
    expect(viaSubject.items[0].earlierCases.find((c: { caseId: string }) => c.caseId === ids.c5).via).toEqual(['SUBJECT']);
    // Hải Phòng cannot see the Lạng Sơn record that carries the CCCD, so it cannot link c9 to c5 by it
    expect((await hp.request('GET', `/api/cases/${c9.id}/repeat-subjects`)).json().items).toEqual([]);
    // once the resolver places c9's record in Bình's subject, Hải Phòng sees its own earlier case, and only it
    await sync();
    const hpView = (await hp.request('GET', `/api/cases/${c9.id}/repeat-subjects`)).json();
    expect(hpView.items[0].earlierCases.map((c: { caseId: string }) => c.caseId)).toEqual([ids.c5]);
  });

  it('tells the national office why it sees no subjects', async () => {
    expect((await national.request('GET', '/api/subjects/scope')).json()).toEqual({ seesCasesInFull: false, canDecide: true, pendingProposals: 0 });
    expect((await ls.request('GET', '/api/subjects/scope')).json()).toMatchObject({ seesCasesInFull: true, canDecide: false });
    expect((await analyst.request('GET', '/api/subjects/scope')).json()).toMatchObject({ seesCasesInFull: true, canDecide: true, pendingProposals: (await queue(analyst)).total });
  });
});
