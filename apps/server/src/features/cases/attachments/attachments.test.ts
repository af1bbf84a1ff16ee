import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ATTACHMENT_MAX_BYTES } from '@cordon/contracts';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../../testing/harness.js';
import type { Principal } from '../../auth/principal.js';

// 1×1 PNG, the start of a JPEG (JFIF), a one-page PDF skeleton, a Windows executable header.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 0x11), Buffer.from('ffd9', 'hex')]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('PE\0\0'), Buffer.alloc(200, 0x90)]);
const TEXT = Buffer.from('Biên bản tạm giữ hàng hóa số 12/BB\nXe tải 12C-045.67\n', 'utf8');

function multipart(files: { name: string; data: Buffer; type?: string }[]) {
  const boundary = '----cordon-test-boundary';
  const parts = files.flatMap((f) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'),
    f.data,
    Buffer.from('\r\n'),
  ]);
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const newCase = (over: Record<string, unknown> = {}) => ({
  title: 'Thu giữ xe tải chở thuốc lá lậu',
  violationType: 'SMUGGLING',
  detectedOn: '2026-10-05',
  provinceCode: '20',
  goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá điếu Jet', valueVnd: 90_000_000 }],
  ...over,
});

describe.each(testEngines())('case attachments on %s', (engine) => {
  let h: Harness;
  let customs: Client; // Customs, Lạng Sơn: records the cases
  let customsViewer: Client; // same unit, reads only
  let border: Client; // another force: summary of internal cases
  let caseId: string;
  let restrictedId: string;
  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Customs Lang Son' });
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'ls.viewer', roles: ['viewer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    customs = await h.login('ls.officer');
    customsViewer = await h.login('ls.viewer');
    border = await h.login('bg.officer');
    caseId = (await customs.request('POST', '/api/cases', newCase())).json().id;
    restrictedId = (await customs.request('POST', '/api/cases', newCase({ title: 'Chuyên án hạn chế có ảnh', sensitivity: 'restricted', detectedOn: '2026-06-01' }))).json().id;
  });
  afterAll(() => h.close());

  const upload = (who: Client, id: string, files: { name: string; data: Buffer; type?: string }[]) => {
    const m = multipart(files);
    return who.request('POST', `/api/cases/${id}/attachments`, m.body, m.headers);
  };

  it('stores photos and documents with their SHA-256 and the type read from their content', async () => {
    const res = await upload(customs, caseId, [
      { name: 'Ảnh hiện trường.png', data: PNG, type: 'text/html' }, // the client's Content-Type is not believed
      { name: 'bien-ban.pdf', data: PDF },
      { name: 'ghi-chu.txt', data: TEXT },
      { name: 'xe-tai.JPG', data: JPEG },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const items = res.json().items as { fileName: string; mimeType: string; sizeBytes: number; sha256: string; uploadedBy: string }[];
    expect(items.map((i) => [i.fileName, i.mimeType]).sort()).toEqual([
      ['bien-ban.pdf', 'application/pdf'], ['ghi-chu.txt', 'text/plain'], ['xe-tai.JPG', 'image/jpeg'], ['Ảnh hiện trường.png', 'image/png'],
    ]);
    const png = items.find((i) => i.mimeType === 'image/png')!;
    expect(png).toMatchObject({ sizeBytes: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex'), uploadedBy: 'ls.officer' });
    const listed = (await customsViewer.request('GET', `/api/cases/${caseId}/attachments`)).json().items;
    expect(listed).toHaveLength(4);
  });

  it('downloads a file byte for byte under its original name, with its type and no sniffing', async () => {
    const listed = (await customs.request('GET', `/api/cases/${caseId}/attachments`)).json().items as { id: string; fileName: string }[];
    const photo = listed.find((i) => i.fileName === 'Ảnh hiện trường.png')!;
    const res = await customsViewer.request('GET', `/api/cases/${caseId}/attachments/${photo.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PNG)).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Anh hien truong.png"; filename*=UTF-8''${encodeURIComponent('Ảnh hiện trường.png')}`);
    // an attachment id under another case is not found
    expect((await customs.request('GET', `/api/cases/${restrictedId}/attachments/${photo.id}`)).statusCode).toBe(404);
  });

  it('refuses a file whose extension lies about its content, naming the file and the reason, and stores none of the batch', async () => {
    const before = (await customs.request('GET', `/api/cases/${caseId}/attachments`)).json().items.length;
    const res = await upload(customs, caseId, [
      { name: 'anh-bang-chung.jpg', data: PDF, type: 'image/jpeg' },
      { name: 'bao-cao.pdf', data: EXE, type: 'application/pdf' },
      { name: 'tot.png', data: PNG },
    ]);
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.issues as { field: string; reason: string; message: string }[];
    expect(issues).toEqual([
      { field: 'files.0', reason: 'type_mismatch', message: '"anh-bang-chung.jpg" is named .jpg but its content is application/pdf; rename it .pdf' },
      { field: 'files.1', reason: 'unsupported_type', message: expect.stringContaining('"bao-cao.pdf" is EXE') },
    ]);
    expect((await customs.request('GET', `/api/cases/${caseId}/attachments`)).json().items).toHaveLength(before);
  });

  it('accepts an XLSX spreadsheet, and refuses the same file renamed .docx', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Hàng hóa').addRow(['Thuốc lá điếu Jet', 3000, 'bao']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const ok = await upload(customs, caseId, [{ name: 'bang-ke.xlsx', data: xlsx }]);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().items[0].mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const renamed = await upload(customs, caseId, [{ name: 'bang-ke.docx', data: xlsx }]);
    expect(renamed.json().error.issues[0]).toMatchObject({ field: 'files.0', reason: 'type_mismatch' });
  });

  it('refuses a file over the size limit and an empty one, by name', async () => {
    const big = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 0x41);
    const res = await upload(customs, caseId, [{ name: 'video-lon.txt', data: big }, { name: 'trong.txt', data: Buffer.alloc(0) }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues).toEqual([
      { field: 'files.0', reason: 'too_large', message: '"video-lon.txt" is larger than 20 MB', limit: ATTACHMENT_MAX_BYTES },
      { field: 'files.1', reason: 'empty', message: '"trong.txt" is empty' },
    ]);
  });

  it('refuses a request without files', async () => {
    const res = await customs.request('POST', `/api/cases/${caseId}/attachments`, { file: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].field).toBe('files');
  });

  it('lets only officers of a handling unit upload', async () => {
    expect((await upload(customsViewer, caseId, [{ name: 'a.png', data: PNG }])).statusCode).toBe(403);
    expect((await upload(border, caseId, [{ name: 'a.png', data: PNG }])).statusCode).toBe(403);
    expect((await upload(border, restrictedId, [{ name: 'a.png', data: PNG }])).statusCode).toBe(404);
  });

  it('keeps attachments from a force that sees only the summary, and hides a restricted case\'s entirely', async () => {
    const [first] = (await customs.request('GET', `/api/cases/${caseId}/attachments`)).json().items as { id: string }[];
    expect((await border.request('GET', `/api/cases/${caseId}/attachments`)).statusCode).toBe(403);
    expect((await border.request('GET', `/api/cases/${caseId}/attachments/${first!.id}`)).statusCode).toBe(403);
    expect((await border.request('GET', `/api/cases/${restrictedId}/attachments`)).statusCode).toBe(404);
  });

  it('writes every upload and every download of a restricted case to the audit trail', async () => {
    const up = await upload(customs, restrictedId, [{ name: 'so-do.pdf', data: PDF }]);
    const [att] = up.json().items as { id: string; sha256: string }[];
    expect((await customs.request('GET', `/api/cases/${restrictedId}/attachments/${att!.id}`)).statusCode).toBe(200);
    const trail = await h.db.query<{ action: string; detail: { attachmentId?: string; sha256?: string } }>(
      `SELECT action, detail FROM audit_log WHERE entity_id = $1 AND action LIKE 'case.attachment.%' ORDER BY seq`, [restrictedId]);
    expect(trail.map((t) => [t.action, t.detail.attachmentId, t.detail.sha256])).toEqual([
      ['case.attachment.add', att!.id, att!.sha256],
      ['case.attachment.download', att!.id, att!.sha256],
    ]);
    // downloads from an internal case are not audited as reads
    const [internal] = (await customs.request('GET', `/api/cases/${caseId}/attachments`)).json().items as { id: string }[];
    await customs.request('GET', `/api/cases/${caseId}/attachments/${internal!.id}`);
    expect(await h.db.query(`SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'case.attachment.download'`, [caseId])).toEqual([]);
  });

  it('audits listing the attachments of a restricted case (a read of the record), and a refused attempt', async () => {
    const before = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'case.read'`, [restrictedId]);
    expect((await customs.request('GET', `/api/cases/${restrictedId}/attachments`)).statusCode).toBe(200);
    expect((await border.request('GET', `/api/cases/${restrictedId}/attachments`)).statusCode).toBe(404);
    const after = await h.db.query<{ outcome: string }>(`SELECT outcome FROM audit_log WHERE entity_id = $1 AND action = 'case.read' ORDER BY seq OFFSET $2`, [restrictedId, before[0]!.n]);
    expect(after.map((a) => a.outcome)).toEqual(['success', 'denied']);
  });
});
