import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import type { DirectiveDetail, TaskDetail, TaskReminders, ComplianceReport, TemplateView } from '@cordon/contracts';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { makeCase } from '../../testing/factories.js';
import type { Principal } from '../auth/principal.js';

// The harness clock starts on Monday 2026-11-23, 10:00 in Hà Nội (03:00 UTC).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function multipart(files: { name: string; data: Buffer }[]) {
  const boundary = '----cordon-directive-boundary';
  const parts = files.flatMap((f) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    f.data,
    Buffer.from('\r\n'),
  ]);
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(testEngines())('directives and tasks on %s', (engine) => {
  let h: Harness;
  let office: Client; // analyst at the national office: the standing office
  let officeViewer: Client;
  let ls: Client; // provincial coordinator, Lạng Sơn (20)
  let hp: Client; // provincial coordinator, Hải Phòng (31)
  let lsViewer: Client;
  let customsHq: Client; // officer at Customs headquarters (the parent of CUSTOMS-LS)
  let customsLs: Client; // officer at CUSTOMS-LS
  let units: Record<string, string>;

  const task = (unit: string, over: Record<string, unknown> = {}) => ({
    title: `Kiểm tra, báo cáo tình hình sữa giả tại ${unit}`, reportRequirement: 'Số vụ phát hiện, số đối tượng, trị giá hàng vi phạm', assignedUnitId: units[unit], deadline: '2026-12-04', priority: 'high', ...over,
  });
  const directive = (over: Record<string, unknown> = {}) => ({
    number: '40/CĐ-TTg', issuedOn: '2026-11-20', issuer: 'Thủ tướng Chính phủ',
    title: 'Công điện về xử lý sản xuất, kinh doanh sữa giả', body: 'Yêu cầu các bộ, ngành, địa phương tập trung chỉ đạo…',
    tasks: [task('BCD389-20'), task('BCD389-31')], ...over,
  });
  async function issue(over: Record<string, unknown> = {}): Promise<DirectiveDetail> {
    const res = await office.request('POST', '/api/directives', directive(over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  const taskOf = (d: DirectiveDetail, code: string) => d.tasks.find((t) => t.assignedUnit.code === code)!;
  const getTask = async (who: Client, id: string) => (await who.request('GET', `/api/tasks/${id}`)).json() as TaskDetail;

  beforeAll(async () => {
    // Tests move the clock by days: sessions must outlive that.
    h = await createHarness(engine, { sessionIdleMinutes: 60 * 24 * 365, sessionAbsoluteHours: 24 * 365 });
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Customs Lang Son' });
    units = Object.fromEntries(await Promise.all(['BCD389', 'BCD389-20', 'BCD389-31', 'CUSTOMS', 'CUSTOMS-LS'].map(async (c) => [c, await h.unitId(c)] as const)));
    await h.makeUser({ username: 'office', roles: ['analyst'] });
    await h.makeUser({ username: 'office.viewer', roles: ['viewer'] });
    await h.makeUser({ username: 'ls', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp', roles: ['provincial_coordinator'], unit: 'BCD389-31' });
    await h.makeUser({ username: 'ls.viewer', roles: ['viewer'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'customs.hq', roles: ['officer'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'customs.ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    [office, officeViewer, ls, hp, lsViewer, customsHq, customsLs] = await Promise.all([h.login('office'), h.login('office.viewer'), h.login('ls'), h.login('hp'), h.login('ls.viewer'), h.login('customs.hq'), h.login('customs.ls')]);
  });
  afterAll(() => h.close());

  it('records a directive with tasks, each audited in the same write', async () => {
    const d = await issue({ number: '1/CĐ-TEST' });
    expect(d.tasks.map((t) => [t.assignedUnit.code, t.status, t.deadline, t.dueAt])).toEqual([
      ['BCD389-20', 'open', '2026-12-04', '2026-12-04T17:00:00.000Z'],
      ['BCD389-31', 'open', '2026-12-04', '2026-12-04T17:00:00.000Z'],
    ]);
    expect(d.mayManage).toBe(true);
    const audit = await h.db.kysely.selectFrom('audit_log').selectAll().where('entity_id', '=', d.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['directive.create']);
    expect((audit[0]!.detail as { taskIds: string[] }).taskIds).toHaveLength(2);
    // The same number and date twice is refused, naming the field.
    const again = await office.request('POST', '/api/directives', directive({ number: '1/CĐ-TEST' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.issues[0].field).toBe('number');
  });

  it('refuses tasks for unknown units or with a deadline before the directive', async () => {
    const res = await office.request('POST', '/api/directives', directive({ number: '2/CĐ-TEST', tasks: [task('BCD389-20', { deadline: '2026-11-01' }), { ...task('BCD389-20'), assignedUnitId: '00000000-0000-4000-8000-00000000abcd' }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['tasks.0.deadline', 'tasks.1.assignedUnitId']);
  });

  it('shows a province only its own task, and hides other provinces\' tasks entirely', async () => {
    const d = await issue({ number: '3/CĐ-TEST' });
    const lsView = (await ls.request('GET', `/api/directives/${d.id}`)).json() as DirectiveDetail;
    expect(lsView.tasks.map((t) => t.assignedUnit.code)).toEqual(['BCD389-20']);
    expect(lsView.mayManage).toBe(false);
    const hpTask = taskOf(d, 'BCD389-31');
    expect((await ls.request('GET', `/api/tasks/${hpTask.id}`)).statusCode).toBe(404);
    const list = (await ls.request('GET', '/api/tasks')).json() as { items: { assignedUnit: { code: string } }[] };
    expect(new Set(list.items.map((t) => t.assignedUnit.code))).toEqual(new Set(['BCD389-20']));
    // A directive with no task for the unit does not exist for it.
    const other = await issue({ number: '4/CĐ-TEST', tasks: [task('BCD389-31')] });
    expect((await ls.request('GET', `/api/directives/${other.id}`)).statusCode).toBe(404);
    expect(((await ls.request('GET', '/api/directives')).json() as { items: { id: string }[] }).items.map((x) => x.id)).not.toContain(other.id);
  });

  it('refuses a province reporting on another province\'s task, and audits the attempt', async () => {
    const d = await issue({ number: '5/CĐ-TEST' });
    const hpTask = taskOf(d, 'BCD389-31');
    const res = await ls.request('POST', `/api/tasks/${hpTask.id}/reports`, { body: 'Báo cáo nhầm' });
    expect(res.statusCode).toBe(404);
    const denied = await h.db.kysely.selectFrom('audit_log').select(['action', 'outcome', 'actor_username']).where('entity_id', '=', hpTask.id).where('outcome', '=', 'denied').execute();
    expect(denied).toEqual([{ action: 'task.report', outcome: 'denied', actor_username: 'ls' }]);
    expect((await getTask(hp, hpTask.id)).reports).toEqual([]);
  });

  it('takes a task through report, done, return, done again and accept, with the full history', async () => {
    const d = await issue({ number: '6/CĐ-TEST' });
    const id = taskOf(d, 'BCD389-20').id;
    const lsCase = await ls.request('POST', '/api/cases', makeCase({ provinceCode: '20' }));
    expect(lsCase.statusCode, lsCase.body).toBe(201);
    const hidden = await hp.request('POST', '/api/cases', makeCase({ provinceCode: '31', sensitivity: 'restricted', title: 'Vụ sữa giả Hải Phòng' }));
    expect(hidden.statusCode, hidden.body).toBe(201);

    // Done before any report: refused, naming what is missing.
    let res = await ls.request('POST', `/api/tasks/${id}/submit`, { version: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({ field: 'reports', reason: 'required' });

    // A case the province may not see cannot be linked.
    res = await ls.request('POST', `/api/tasks/${id}/reports`, { body: 'Đã kiểm tra 12 cơ sở', caseIds: [hidden.json().id] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].field).toBe('caseIds.0');

    res = await ls.request('POST', `/api/tasks/${id}/reports`, { body: 'Đã kiểm tra 12 cơ sở, phát hiện 2 vụ', figures: [{ label: 'Số vụ', value: 2, unit: 'vụ' }, { label: 'Trị giá', value: 150_000_000, unit: 'VND' }], caseIds: [lsCase.json().id] });
    expect(res.statusCode, res.body).toBe(201);
    let t = res.json() as TaskDetail;
    expect(t.status).toBe('in_progress');
    expect(t.reports[0]).toMatchObject({ author: 'ls', figures: [{ label: 'Số vụ', value: 2, unit: 'vụ' }, { label: 'Trị giá', value: 150_000_000, unit: 'VND' }], cases: [{ id: lsCase.json().id, code: lsCase.json().code }] });
    expect(t.allowedActions).toEqual(['report', 'submit']);

    // A viewer of the province reads but may not report.
    expect((await lsViewer.request('GET', `/api/tasks/${id}`)).statusCode).toBe(200);
    expect((await lsViewer.request('POST', `/api/tasks/${id}/reports`, { body: 'x' })).statusCode).toBe(403);

    // A stale version is refused.
    expect((await ls.request('POST', `/api/tasks/${id}/submit`, { version: 1 })).statusCode).toBe(409);
    res = await ls.request('POST', `/api/tasks/${id}/submit`, { version: t.version });
    expect(res.statusCode, res.body).toBe(200);
    t = res.json();
    expect(t.status).toBe('submitted');

    // While submitted, the unit cannot report; only the office accepts or returns.
    res = await ls.request('POST', `/api/tasks/${id}/reports`, { body: 'Bổ sung' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/waits for the standing office/);
    expect((await ls.request('POST', `/api/tasks/${id}/accept`, { version: t.version })).statusCode).toBe(403);
    expect((await officeViewer.request('POST', `/api/tasks/${id}/accept`, { version: t.version })).statusCode).toBe(403);
    res = await office.request('POST', `/api/tasks/${id}/return`, { version: t.version, comment: ' ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].field).toBe('comment');
    res = await office.request('POST', `/api/tasks/${id}/return`, { version: t.version, comment: 'Thiếu số đối tượng bị xử lý' });
    expect(res.statusCode, res.body).toBe(200);
    t = res.json();
    expect(t.status).toBe('returned');
    expect(t.allowedActions).toEqual(['cancel']);

    await ls.request('POST', `/api/tasks/${id}/reports`, { body: 'Bổ sung: 3 đối tượng bị xử lý', figures: [{ label: 'Số đối tượng', value: 3 }] });
    t = await getTask(ls, id);
    t = (await ls.request('POST', `/api/tasks/${id}/submit`, { version: t.version, comment: 'Đã bổ sung' })).json();
    res = await office.request('POST', `/api/tasks/${id}/accept`, { version: t.version });
    expect(res.statusCode, res.body).toBe(200);
    t = res.json();
    expect(t.status).toBe('accepted');
    expect(t.compliance).toBe('on_time');
    expect(t.history.map((e) => [e.kind, e.from, e.to, e.by])).toEqual([
      ['created', null, 'open', 'office'],
      ['report', 'open', 'in_progress', 'ls'],
      ['submit', 'in_progress', 'submitted', 'ls'],
      ['return', 'submitted', 'returned', 'office'],
      ['report', 'returned', 'in_progress', 'ls'],
      ['submit', 'in_progress', 'submitted', 'ls'],
      ['accept', 'submitted', 'accepted', 'office'],
    ]);
    expect(t.history[3]!.note).toBe('Thiếu số đối tượng bị xử lý');
    // Final: nothing more.
    expect((await ls.request('POST', `/api/tasks/${id}/reports`, { body: 'x' })).statusCode).toBe(409);
    const actions = await h.db.kysely.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('outcome', '=', 'success').orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['task.report', 'task.submit', 'task.return', 'task.report', 'task.submit', 'task.accept']);
    // The reader who may not see the linked case gets its id only.
    const seenByOffice = await getTask(office, id);
    expect(seenByOffice.reports[0]!.cases[0]!.code).toBe(lsCase.json().code);
  });

  it('lets no unit record, edit or add to a directive', async () => {
    const d = await issue({ number: '7/CĐ-TEST' });
    expect((await ls.request('POST', '/api/directives', directive({ number: '8/CĐ-TEST' }))).statusCode).toBe(403);
    expect((await ls.request('PATCH', `/api/directives/${d.id}`, { version: d.version, title: 'Sửa' })).statusCode).toBe(403);
    expect((await ls.request('POST', `/api/directives/${d.id}/tasks`, { tasks: [task('BCD389-20')] })).statusCode).toBe(403);
    expect((await officeViewer.request('PATCH', `/api/directives/${d.id}`, { version: d.version, title: 'Sửa' })).statusCode).toBe(403);
    expect((await ls.request('POST', `/api/directives/${d.id}/attachments`, undefined, {})).statusCode).toBe(403);
    // The office edits with optimistic locking.
    const ok = await office.request('PATCH', `/api/directives/${d.id}`, { version: d.version, title: 'Công điện về sữa giả (đính chính)' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await office.request('PATCH', `/api/directives/${d.id}`, { version: d.version, title: 'Lần nữa' })).statusCode).toBe(409);
    // The office viewer reads every directive.
    expect((await officeViewer.request('GET', `/api/directives/${d.id}`)).json().tasks).toHaveLength(2);
  });

  it('keeps the directive\'s document, with its type sniffed from the bytes', async () => {
    const d = await issue({ number: '9/CĐ-TEST' });
    const bad = multipart([{ name: 'cong-dien.pdf', data: Buffer.from('just text, not a PDF') }]);
    let res = await h.app.inject({ method: 'POST', url: `/api/directives/${d.id}/attachments`, cookies: { cordon_sid: office.cookie }, headers: { 'x-csrf-token': office.csrf, ...bad.headers }, payload: bad.payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({ field: 'files.0', reason: 'type_mismatch' });
    const good = multipart([{ name: 'Công điện 40.pdf', data: PDF }]);
    res = await h.app.inject({ method: 'POST', url: `/api/directives/${d.id}/attachments`, cookies: { cordon_sid: office.cookie }, headers: { 'x-csrf-token': office.csrf, ...good.headers }, payload: good.payload });
    expect(res.statusCode, res.body).toBe(201);
    const att = (res.json() as DirectiveDetail).attachments[0]!;
    expect(att).toMatchObject({ fileName: 'Công điện 40.pdf', mimeType: 'application/pdf' });
    // The province with a task reads it; a province without one does not.
    expect((await ls.request('GET', `/api/directives/${d.id}/attachments/${att.id}`)).body).toContain('%PDF');
    const other = await issue({ number: '10/CĐ-TEST', tasks: [task('BCD389-31')] });
    expect((await ls.request('GET', `/api/directives/${other.id}/attachments/${att.id}`)).statusCode).toBe(404);
  });

  it('creates a whole campaign from a template, deadlines counted from the chosen date on working days', async () => {
    const tpl = await office.request('POST', '/api/directives/templates', {
      code: 'TET-TEST', nameVi: 'Cao điểm Tết', nameEn: 'Lunar New Year peak',
      items: [
        { phase: 'before', title: 'Xây dựng kế hoạch cao điểm', reportRequirement: 'Kế hoạch', offsetDays: -14 },
        { phase: 'during', title: 'Báo cáo nhanh trong Tết', reportRequirement: 'Số vụ', offsetDays: 0, priority: 'urgent' },
        { phase: 'after', title: 'Tổng kết cao điểm', reportRequirement: 'Báo cáo tổng kết', offsetDays: 17 },
      ],
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    expect((await ls.request('GET', '/api/directives/templates')).statusCode).toBe(403);
    const d = await issue({ number: '11/KH-BCĐ389', tasks: [], template: { templateId: (tpl.json() as TemplateView).id, anchorDate: '2027-02-06', unitIds: [units['BCD389-20'], units['BCD389-31']] } });
    expect(d.tasks).toHaveLength(6);
    // 2027-02-06 is a Saturday: −14 → Saturday 23 January → Monday 25; 0 → Monday 8 February; +17 → Tuesday 23 February.
    expect([...new Set(d.tasks.map((t) => `${t.phase} ${t.deadline}`))].sort()).toEqual(['after 2027-02-23', 'before 2027-01-25', 'during 2027-02-08']);
    expect(d.tasks.filter((t) => t.phase === 'during').every((t) => t.priority === 'urgent')).toBe(true);
  });

  it('reminds a unit of tasks due soon (working days) and overdue, and escalates overdue tasks to the head unit', async () => {
    // Friday 2026-11-27 deadline for CUSTOMS-LS; Monday 2026-11-30 for the Lạng Sơn committee.
    const d = await issue({ number: '12/CĐ-TEST', tasks: [task('CUSTOMS-LS', { deadline: '2026-11-27' }), task('BCD389-20', { deadline: '2026-11-30' })] });
    h.clock.set('2026-11-26T03:00:00Z'); // Thursday 10:00 in Hà Nội
    let r = (await customsLs.request('GET', '/api/tasks/reminders?days=1')).json() as TaskReminders;
    expect(r.dueSoon.map((t) => t.directiveNumber)).toContain('12/CĐ-TEST');
    let lsR = (await ls.request('GET', '/api/tasks/reminders?days=1')).json() as TaskReminders;
    // Thursday → Monday is 2 working days: not within 1.
    expect(lsR.dueSoon.filter((t) => t.directiveId === d.id)).toEqual([]);
    h.clock.set('2026-11-27T03:00:00Z'); // Friday: Monday is 1 working day away
    lsR = (await ls.request('GET', '/api/tasks/reminders?days=1')).json() as TaskReminders;
    expect(lsR.dueSoon.filter((t) => t.directiveId === d.id).map((t) => t.workingDaysLeft)).toEqual([1]);

    // Friday 23:59 in Hà Nội: not yet overdue. Saturday 00:01: overdue and escalated to Customs HQ.
    h.clock.set('2026-11-27T16:59:00Z');
    r = (await customsLs.request('GET', '/api/tasks/reminders')).json() as TaskReminders;
    expect(r.overdue.filter((t) => t.directiveId === d.id)).toEqual([]);
    h.clock.set('2026-11-27T17:01:00Z');
    r = (await customsLs.request('GET', '/api/tasks/reminders')).json() as TaskReminders;
    const overdue = r.overdue.find((t) => t.directiveId === d.id)!;
    expect(overdue.escalation?.unit.code).toBe('CUSTOMS');
    const hq = (await customsHq.request('GET', '/api/tasks/reminders')).json() as TaskReminders;
    expect(hq.escalated.map((t) => t.id)).toContain(overdue.id);
    // The Lạng Sơn committee is a root: its own users are its head; nobody in Hải Phòng hears of it.
    h.clock.set('2026-12-01T01:00:00Z');
    lsR = (await ls.request('GET', '/api/tasks/reminders')).json() as TaskReminders;
    const lsTask = lsR.escalated.find((t) => t.directiveId === d.id)!;
    expect(lsTask.escalation?.unit.code).toBe('BCD389-20');
    const hpR = (await hp.request('GET', '/api/tasks/reminders')).json() as TaskReminders;
    expect(hpR.escalated.map((t) => t.id)).not.toContain(lsTask.id);
    // Marked once, in the history and the audit trail (no user: the system escalates).
    const hist = await getTask(office, overdue.id);
    expect(hist.history.filter((e) => e.kind === 'escalate')).toEqual([expect.objectContaining({ by: null })]);
    expect(await h.db.kysely.selectFrom('audit_log').select('action').where('entity_id', '=', overdue.id).where('action', '=', 'task.escalate').execute()).toHaveLength(1);
    h.clock.set('2026-11-23T03:00:00Z');
  });

  it('counts compliance per unit and per directive: on time, late, outstanding', async () => {
    const d = await issue({ number: '13/CĐ-TEST', tasks: [task('BCD389-20', { deadline: '2026-11-24' }), task('BCD389-31', { deadline: '2026-11-24' }), task('CUSTOMS-LS', { deadline: '2026-11-24' })] });
    const finish = async (who: Client, id: string) => {
      await who.request('POST', `/api/tasks/${id}/reports`, { body: 'Xong' });
      const t = await getTask(who, id);
      const s = (await who.request('POST', `/api/tasks/${id}/submit`, { version: t.version })).json() as TaskDetail;
      const a = await office.request('POST', `/api/tasks/${id}/accept`, { version: s.version });
      expect(a.statusCode, a.body).toBe(200);
    };
    h.clock.set('2026-11-24T16:30:00Z'); // 23:30 on the deadline day in Hà Nội: on time
    await finish(ls, taskOf(d, 'BCD389-20').id);
    h.clock.set('2026-11-24T17:30:00Z'); // 00:30 the next day: late
    await finish(hp, taskOf(d, 'BCD389-31').id);
    const byDirective = (await office.request('GET', `/api/directives/compliance?by=directive&directiveId=${d.id}`)).json() as ComplianceReport;
    expect(byDirective.rows).toEqual([expect.objectContaining({ key: d.id, total: 3, onTime: 1, late: 1, outstanding: 1, overdue: 1, onTimeRate: 0.5 })]);
    const byUnit = (await office.request('GET', '/api/directives/compliance?by=unit&from=2026-11-24&to=2026-11-24')).json() as ComplianceReport;
    expect(byUnit.rows.map((r) => [r.label, r.onTime, r.late, r.outstanding])).toEqual([
      ['Hải quan Lạng Sơn', 0, 0, 1],
      [expect.stringContaining('Hải Phòng'), 0, 1, 0],
      [expect.stringContaining('Lạng Sơn'), 1, 0, 0],
    ]);
    // A province sees only its own row.
    const lsView = (await ls.request('GET', '/api/directives/compliance?by=unit&from=2026-11-24&to=2026-11-24')).json() as ComplianceReport;
    expect(lsView.rows.map((r) => r.key)).toEqual([units['BCD389-20'], units['CUSTOMS-LS']].filter((u) => lsView.rows.some((r) => r.key === u)));
    expect(lsView.rows.map((r) => r.key)).not.toContain(units['BCD389-31']);

    // The situation report carries the section, in the reader's scope.
    const nat = (await office.request('GET', '/api/reports/situation?from=2026-11-24&to=2026-11-24')).json();
    expect(nat.directives.totals).toMatchObject({ total: 3, onTime: 1, late: 1, outstanding: 1 });
    const prov = (await ls.request('GET', '/api/reports/situation?from=2026-11-24&to=2026-11-24')).json();
    expect(prov.directives.totals).toMatchObject({ total: 2, onTime: 1, late: 0, outstanding: 1 }); // the committee and Customs Lạng Sơn work in province 20
    h.clock.set('2026-11-23T03:00:00Z');
  });
});
