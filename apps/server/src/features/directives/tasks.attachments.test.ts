import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import type { DirectiveDetail, TaskDetail } from '@cordon/contracts';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A progress report as multipart/form-data: the report's JSON in `report`, then the files. */
function multipart(report: unknown, files: { name: string; data: Buffer }[]) {
  const boundary = '----cordon-task-report-boundary';
  const parts = [
    ...(report === undefined ? [] : [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n${JSON.stringify(report)}\r\n`)]),
    ...files.flatMap((f) => [
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      f.data,
      Buffer.from('\r\n'),
    ]),
  ];
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(testEngines())('progress report attachments on %s', (engine) => {
  let h: Harness;
  let office: Client;
  let ls: Client; // provincial coordinator, Lạng Sơn: the assigned unit
  let hp: Client; // provincial coordinator, Hải Phòng: another province
  let customs: Client; // officer at Customs headquarters: no task here
  let taskId: string;

  const send = (who: Client, id: string, report: unknown, files: { name: string; data: Buffer }[]) => {
    const m = multipart(report, files);
    return h.app.inject({ method: 'POST', url: `/api/tasks/${id}/reports`, cookies: { cordon_sid: who.cookie }, headers: { 'x-csrf-token': who.csrf, ...m.headers }, payload: m.payload });
  };
  const reportCount = async () => Number((await h.db.kysely.selectFrom('directive_task_reports').select((e) => e.fn.countAll().as('n')).where('task_id', '=', taskId).executeTakeFirstOrThrow()).n);
  const fileCount = async () => Number((await h.db.kysely.selectFrom('directive_task_report_attachments').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'office', roles: ['analyst'] });
    await h.makeUser({ username: 'ls', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp', roles: ['provincial_coordinator'], unit: 'BCD389-31' });
    await h.makeUser({ username: 'customs', roles: ['officer'], unit: 'CUSTOMS' });
    [office, ls, hp, customs] = await Promise.all([h.login('office'), h.login('ls'), h.login('hp'), h.login('customs')]);
    const res = await office.request('POST', '/api/directives', {
      number: '40/CĐ-TTg', issuedOn: '2026-11-20', issuer: 'Thủ tướng Chính phủ', title: 'Công điện về xử lý sữa giả',
      tasks: await Promise.all(['BCD389-20', 'BCD389-31'].map(async (c) => ({ title: 'Kiểm tra sữa giả', reportRequirement: 'Số vụ', assignedUnitId: await h.unitId(c), deadline: '2026-12-04' }))),
    });
    expect(res.statusCode, res.body).toBe(201);
    const lsUnit = await h.unitId('BCD389-20');
    taskId = (res.json() as DirectiveDetail).tasks.find((t) => t.assignedUnit.id === lsUnit)!.id;
  });
  afterAll(() => h.close());

  it('stores a report\'s photo and document with it, and lets only those who may see the task download them', async () => {
    const res = await send(ls, taskId, { body: 'Kiểm tra 12 cơ sở, thu giữ 300 hộp sữa', figures: [{ label: 'Số vụ', value: 3 }] }, [{ name: 'Biên bản kiểm tra.pdf', data: PDF }, { name: 'hien-truong.png', data: PNG }]);
    expect(res.statusCode, res.body).toBe(201);
    const t = res.json() as TaskDetail;
    expect(t.status).toBe('in_progress');
    const report = t.reports.at(-1)!;
    expect(report.body).toBe('Kiểm tra 12 cơ sở, thu giữ 300 hộp sữa');
    expect(report.figures).toEqual([{ label: 'Số vụ', value: 3, unit: null }]);
    expect(report.attachments.map((a) => [a.fileName, a.mimeType, a.sizeBytes, a.sha256])).toEqual([
      ['Biên bản kiểm tra.pdf', 'application/pdf', PDF.length, createHash('sha256').update(PDF).digest('hex')],
      ['hien-truong.png', 'image/png', PNG.length, createHash('sha256').update(PNG).digest('hex')],
    ]);
    const [pdf, png] = report.attachments;
    // The assigned province and the standing office download the bytes as sent.
    const mine = await ls.request('GET', `/api/tasks/${taskId}/attachments/${png!.id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/png');
    expect(mine.rawPayload.equals(PNG)).toBe(true);
    const forOffice = await office.request('GET', `/api/tasks/${taskId}/attachments/${pdf!.id}`);
    expect(forOffice.statusCode).toBe(200);
    expect(forOffice.body).toContain('%PDF');
    // Another province, or a unit with no such task, learns nothing: 404, and the attempt is audited.
    expect((await hp.request('GET', `/api/tasks/${taskId}/attachments/${pdf!.id}`)).statusCode).toBe(404);
    expect((await customs.request('GET', `/api/tasks/${taskId}/attachments/${pdf!.id}`)).statusCode).toBe(404);
    const denied = await h.db.kysely.selectFrom('audit_log').select(['action', 'outcome']).where('entity_id', '=', taskId).where('outcome', '=', 'denied').execute();
    expect(denied.filter((d) => d.action === 'task.attachment.read')).toHaveLength(2);
    // The file belongs to this task only: asked for through another task, it is not found.
    const hpTask = (await hp.request('GET', '/api/tasks')).json().items[0].id as string;
    expect((await hp.request('GET', `/api/tasks/${hpTask}/attachments/${pdf!.id}`)).statusCode).toBe(404);
    // Each file is audited with its hash, in the report's write.
    const added = await h.db.kysely.selectFrom('audit_log').select('detail').where('entity_id', '=', taskId).where('action', '=', 'task.attachment.add').execute();
    expect(added.map((a) => (a.detail as { sha256: string }).sha256).sort()).toEqual(report.attachments.map((a) => a.sha256).sort());
  });

  it('keeps nothing when one file is refused, naming that file', async () => {
    const [reports, files] = [await reportCount(), await fileCount()];
    const res = await send(ls, taskId, { body: 'Báo cáo kèm ảnh' }, [{ name: 'anh.png', data: PNG }, { name: 'bao-cao.pdf', data: Buffer.from('plain text pretending to be a PDF') }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues).toEqual([expect.objectContaining({ field: 'files.1', reason: 'type_mismatch' })]);
    const empty = await send(ls, taskId, { body: 'Báo cáo' }, [{ name: 'trong.pdf', data: Buffer.alloc(0) }]);
    expect(empty.json().error.issues[0]).toMatchObject({ field: 'files.0', reason: 'empty' });
    const exe = await send(ls, taskId, { body: 'Báo cáo' }, [{ name: 'a.png', data: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1') }]);
    expect(exe.statusCode).toBe(400);
    const tooMany = await send(ls, taskId, { body: 'Báo cáo' }, Array.from({ length: 11 }, (_, i) => ({ name: `anh-${i}.png`, data: PNG })));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.issues[0]).toMatchObject({ field: 'files', reason: 'too_many' });
    // The report's own fields are checked too, named as in a JSON report.
    const noBody = await send(ls, taskId, { body: '' }, [{ name: 'anh.png', data: PNG }]);
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().error.issues[0].field).toBe('body');
    const noReport = await send(ls, taskId, undefined, [{ name: 'anh.png', data: PNG }]);
    expect(noReport.json().error.issues[0]).toMatchObject({ field: 'report', reason: 'required' });
    expect([await reportCount(), await fileCount()]).toEqual([reports, files]);
  });

  it('refuses files on another province\'s task, storing nothing', async () => {
    const files = await fileCount();
    const res = await send(hp, taskId, { body: 'Không phải nhiệm vụ của tỉnh' }, [{ name: 'anh.png', data: PNG }]);
    expect(res.statusCode).toBe(404);
    expect(await fileCount()).toBe(files);
  });

  it('still takes a plain JSON report with no files', async () => {
    const res = await ls.request('POST', `/api/tasks/${taskId}/reports`, { body: 'Bổ sung số liệu' });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as TaskDetail).reports.at(-1)!.attachments).toEqual([]);
  });
});
