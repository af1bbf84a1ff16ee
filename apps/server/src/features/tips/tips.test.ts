import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import exifr from 'exifr';
import type { LightMyRequestResponse } from 'fastify';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { extractText, getMeta } from 'unpdf';
import { jpegWithGps } from './tip-test-images.js';
import { AUTHOR, COMPANY, docxWithAuthor, documentText, pdfWithAuthor, xlsxWithAuthor } from './tip-test-documents.js';

const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('PE\0\0'), Buffer.alloc(200, 0x90)]);

function multipart(tip: unknown, files: { name: string; data: Buffer; type?: string }[]) {
  const boundary = '----cordon-tip-boundary';
  const parts = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="tip"\r\n\r\n${JSON.stringify(tip)}\r\n`, 'utf8'),
    ...files.flatMap((f) => [
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'),
      f.data,
      Buffer.from('\r\n'),
    ]),
  ];
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const lsTip = (over: Record<string, unknown> = {}) => ({
  description: 'Tối qua khoảng 22 giờ có xe tải biển 12C chở thuốc lá lậu qua đường mòn gần cửa khẩu Tân Thanh',
  category: 'CIGARETTES',
  provinceCode: '20',
  occurredOn: '2026-11-20',
  ...over,
});

describe.each(testEngines())('tips on %s', (engine) => {
  let h: Harness;
  let national: Client; // tip_triage at the national office: every tip
  let lsTriage: Client; // tip_triage at the Lạng Sơn committee (20)
  let hpTriage: Client; // tip_triage at the Hải Phòng committee (31)
  let lsCoord: Client; // provincial coordinator, Lạng Sơn
  let admin: Client;
  let viewer: Client;
  let customsLs: string;

  const pub = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}, remoteAddress = '203.0.113.7') =>
    h.app.inject({ method: method as 'GET', url, headers, remoteAddress, ...(body !== undefined ? { payload: body as object } : {}) });
  const submit = async (tip: unknown = lsTip()) => {
    const res = await pub('POST', '/api/public/tips', tip);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { receipt: string; secret: string };
  };
  const tipIdOf = async (receipt: string) => (await h.db.kysely.selectFrom('tips').select('id').where('receipt', '=', receipt).executeTakeFirstOrThrow()).id;
  const detail = async (who: Client, id: string) => (await who.request('GET', `/api/tips/${id}`)).json();

  beforeAll(async () => {
    h = await createHarness(engine, { tipRatePerMinute: 100_000, tipReadRatePerMinute: 100_000 });
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    customsLs = (await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Customs Lang Son' })).id;
    await h.makeUser({ username: 'nat.triage', roles: ['tip_triage'] });
    await h.makeUser({ username: 'ls.triage', roles: ['tip_triage'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp.triage', roles: ['tip_triage'], unit: 'BCD389-31' });
    await h.makeUser({ username: 'ls.coord', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'ls.triage.officer', roles: ['tip_triage', 'officer'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'root', roles: ['admin'] });
    await h.makeUser({ username: 'just.viewer', roles: ['viewer'] });
    national = await h.login('nat.triage');
    lsTriage = await h.login('ls.triage');
    hpTriage = await h.login('hp.triage');
    lsCoord = await h.login('ls.coord');
    admin = await h.login('root');
    viewer = await h.login('just.viewer');
  });
  afterAll(() => h.close());

  describe('the public', () => {
    it('gets a short receipt and a secret that is stored only as a hash, and nothing about their address', async () => {
      const res = await pub('POST', '/api/public/tips', lsTip({ contact: 'zalo 0912345678' }));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const { receipt, secret } = res.json();
      expect(receipt).toMatch(/^TB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(secret).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
      const row = await h.db.kysely.selectFrom('tips').selectAll().where('receipt', '=', receipt).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ channel: 'web', status: 'new', contact: 'zalo 0912345678', province_code: '20' });
      const stored = JSON.stringify(row) + JSON.stringify(await h.db.kysely.selectFrom('audit_log').selectAll().where('entity_id', '=', row.id).execute());
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.replace(/-/g, ''));
      expect(stored).not.toContain('203.0.113.7');
      // Deadlines from the configured days (7 to acknowledge, 30 to conclude).
      expect(new Date(row.acknowledge_by).toISOString()).toBe('2026-11-30T03:00:00.000Z');
      expect(new Date(row.conclude_by).toISOString()).toBe('2026-12-23T03:00:00.000Z');
    });

    it('reads the status and the replies with the secret; a wrong secret looks exactly like an unknown receipt', async () => {
      const { receipt, secret } = await submit();
      const ok = await pub('GET', `/api/public/tips/${receipt.toLowerCase().replace(/-/g, '')}`, undefined, { 'x-tip-secret': secret.toLowerCase() });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toEqual({ receipt, status: 'received', receivedAt: '2026-11-23T03:00:00.000Z', messages: [] });
      const strip = (r: LightMyRequestResponse) => ({ status: r.statusCode, body: { ...r.json().error, requestId: undefined } });
      const wrong = await pub('GET', `/api/public/tips/${receipt}`, undefined, { 'x-tip-secret': 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' });
      const none = await pub('GET', `/api/public/tips/${receipt}`);
      const unknown = await pub('GET', '/api/public/tips/TB-0000-0000', undefined, { 'x-tip-secret': secret });
      expect(strip(wrong)).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'No tip with this receipt and secret' } });
      expect(strip(none)).toEqual(strip(wrong));
      expect(strip(unknown)).toEqual(strip(wrong));
      expect(wrong.body).not.toContain('Tân Thanh');
      const msg = await pub('POST', `/api/public/tips/${receipt}/messages`, { body: 'Xe lại đi qua tối nay' }, { 'x-tip-secret': 'WRONG' });
      expect(msg.statusCode).toBe(404);
    });

    it('throttles repeated failures per address and per receipt, the same for unknown and real receipts', async () => {
      const { receipt, secret } = await submit();
      for (let i = 0; i < 10; i++) expect((await pub('GET', `/api/public/tips/TB-ZZZZ-${String(i).padStart(4, '0')}`, undefined, { 'x-tip-secret': 'x' }, '198.51.100.1')).statusCode).toBe(404);
      const blocked = await pub('GET', `/api/public/tips/${receipt}`, undefined, { 'x-tip-secret': secret }, '198.51.100.1');
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Another address still gets in, until this receipt itself has been guessed at too often.
      expect((await pub('GET', `/api/public/tips/${receipt}`, undefined, { 'x-tip-secret': secret }, '198.51.100.2')).statusCode).toBe(200);
      for (let i = 0; i < 10; i++) await pub('GET', `/api/public/tips/${receipt}`, undefined, { 'x-tip-secret': 'guess' }, `192.0.2.${i}`);
      expect((await pub('GET', `/api/public/tips/${receipt}`, undefined, { 'x-tip-secret': secret }, '198.51.100.3')).statusCode).toBe(429);
      h.clock.advance(16 * 60_000); // the window passes
      expect((await pub('GET', `/api/public/tips/${receipt}`, undefined, { 'x-tip-secret': secret }, '198.51.100.3')).statusCode).toBe(200);
      h.clock.advance(-16 * 60_000);
    });

    it('keeps HTML as text, and refuses bad input naming the field', async () => {
      const html = '<script>alert(1)</script><b>Kho</b> hàng giả ở chợ Đồng Xuân, tầng 2';
      const { receipt } = await submit({ description: html, provinceCode: '01' });
      const tip = await detail(national, await tipIdOf(receipt));
      expect(tip.description).toBe(html);
      const bad = await pub('POST', '/api/public/tips', { description: 'ngắn', provinceCode: '99', category: 'NOPE' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues.map((i: { field: string }) => i.field)).toContain('description');
      const codes = await pub('POST', '/api/public/tips', lsTip({ provinceCode: '99', category: 'NOPE', occurredOn: '2027-01-01' }));
      expect(codes.json().error.issues.map((i: { field: string; reason: string }) => `${i.field}:${i.reason}`).sort()).toEqual(['category:invalid_value', 'occurredOn:invalid_value', 'provinceCode:invalid_value']);
    });

    it('accepts photos as multipart and stores them without their EXIF/GPS metadata', async () => {
      const { withGps } = jpegWithGps();
      const m = multipart(lsTip(), [{ name: 'xe-tai.jpg', data: withGps, type: 'image/jpeg' }, { name: 'ghi-chu.txt', data: Buffer.from('Biển số 12C-045.67\n') }]);
      const res = await pub('POST', '/api/public/tips', m.payload, m.headers);
      expect(res.statusCode, res.body).toBe(201);
      const id = await tipIdOf(res.json().receipt);
      const files = await h.db.kysely.selectFrom('tip_attachments').selectAll().where('tip_id', '=', id).orderBy('file_name').execute();
      expect(files.map((f) => [f.file_name, f.mime_type, f.metadata_removed])).toEqual([['ghi-chu.txt', 'text/plain', false], ['xe-tai.jpg', 'image/jpeg', true]]);
      const jpeg = files[1]!.content;
      expect(jpeg.length).toBeLessThan(withGps.length);
      expect(await exifr.gps(jpeg)).toBeUndefined();
      expect(jpeg.includes(Buffer.from('Exif'))).toBe(false);
      // The download is the cleaned file.
      const dl = await national.request('GET', `/api/tips/${id}/attachments/${files[1]!.id}`);
      expect(dl.statusCode).toBe(200);
      expect(dl.rawPayload.equals(jpeg)).toBe(true);
    });

    it('stores PDF and Word files without their author, company, software or dates', async () => {
      const pdf = await pdfWithAuthor();
      const docx = await docxWithAuthor();
      const xlsx = await xlsxWithAuthor();
      const m = multipart(lsTip(), [{ name: 'bien-ban.pdf', data: pdf }, { name: 'to-giac.docx', data: docx }, { name: 'danh-sach.xlsx', data: xlsx }]);
      const res = await pub('POST', '/api/public/tips', m.payload, m.headers);
      expect(res.statusCode, res.body).toBe(201);
      const id = await tipIdOf(res.json().receipt);
      const files = await h.db.kysely.selectFrom('tip_attachments').selectAll().where('tip_id', '=', id).orderBy('file_name').execute();
      expect(files.map((f) => [f.file_name, f.metadata_removed])).toEqual([['bien-ban.pdf', true], ['danh-sach.xlsx', true], ['to-giac.docx', true]]);
      const [storedPdf, storedXlsx, storedDocx] = files.map((f) => f.content);
      // Read back as a reader would: no author anywhere, the content still there.
      const meta = await getMeta(new Uint8Array(storedPdf!));
      expect([meta.info.Author, meta.info.Creator, meta.info.Producer, meta.info.Title, meta.info.CreationDate]).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect((await extractText(new Uint8Array(storedPdf!), { mergePages: true })).text).toContain('Bien ban giao hang');
      for (const stored of [storedPdf!, storedDocx!, storedXlsx!]) {
        const text = await documentText(stored);
        for (const needle of [AUTHOR, COMPANY, 'NguyenVanToGiac', 'CordonWriter']) expect(text).not.toContain(needle);
      }
      expect(await documentText(storedDocx!)).toContain('Kho hàng lậu sau chợ Đồng Đăng');
      // What was removed is in the audit trail (names of fields, never their values).
      const receive = await h.db.kysely.selectFrom('audit_log').select('detail').where('entity_id', '=', id).where('action', '=', 'tip.receive').executeTakeFirstOrThrow();
      expect((receive.detail as { metadataRemoved: string[] }).metadataRemoved).toEqual(expect.arrayContaining(['Info/Author', 'XMP', 'docProps/core.xml', 'docProps/app.xml']));
      expect(JSON.stringify(receive.detail)).not.toContain('Nguy');
    });

    it('refuses a PDF it cannot clean, naming the file; an e-mail keeps the tip and the reason', async () => {
      const broken = Buffer.from('%PDF-1.7\n1 0 obj << /Author (Nguyen) >> endobj\n%%EOF\n', 'latin1');
      const m = multipart(lsTip(), [{ name: 'hong.pdf', data: broken }]);
      const res = await pub('POST', '/api/public/tips', m.payload, m.headers);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.issues[0]).toMatchObject({ field: 'files.0', reason: 'unreadable_document' });
      const mailed = await h.services.tips.intake({ channel: 'email', fields: { description: 'Thư báo tin có kèm tệp PDF hỏng về kho hàng lậu' }, files: [{ fileName: 'hong.pdf', data: broken }], badFiles: 'keep_reason' });
      expect(mailed.refusedFiles).toEqual([expect.objectContaining({ fileName: 'hong.pdf', reason: 'unreadable_document' })]);
      expect(await h.db.kysely.selectFrom('tip_attachments').select('id').where('tip_id', '=', mailed.id).execute()).toEqual([]);
    });

    it('refuses the whole submission over a file of a type not accepted, naming the file', async () => {
      const before = (await h.db.kysely.selectFrom('tips').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const m = multipart(lsTip(), [{ name: 'anh.jpg', data: EXE, type: 'image/jpeg' }]);
      const res = await pub('POST', '/api/public/tips', m.payload, m.headers);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.issues[0]).toMatchObject({ field: 'files.0', reason: 'unsupported_type' });
      const missing = multipart(undefined, []);
      expect((await pub('POST', '/api/public/tips', missing.payload, missing.headers)).json().error.issues[0]).toMatchObject({ field: 'tip' });
      expect((await h.db.kysely.selectFrom('tips').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(before);
    });
  });

  describe('triage', () => {
    it('shows a provincial officer only their province, the national office everything, and nobody else anything', async () => {
      const ls = await submit();
      const hp = await submit(lsTip({ provinceCode: '31', description: 'Tàu cá chở dầu DO lậu neo ở cảng cá Hạ Long, hàng bốc lên xe bồn ban đêm' }));
      const noProvince = await submit({ description: 'Có người bán thuốc lá điện tử không rõ nguồn gốc trên mạng' });
      const ids = { ls: await tipIdOf(ls.receipt), hp: await tipIdOf(hp.receipt), none: await tipIdOf(noProvince.receipt) };
      const queue = async (who: Client) => ((await who.request('GET', '/api/tips?limit=200')).json().items as { id: string; provinceCode: string | null }[]);
      const lsQueue = await queue(lsTriage);
      expect(lsQueue.length).toBeGreaterThan(0);
      expect(lsQueue.every((t) => t.provinceCode === '20')).toBe(true);
      expect(lsQueue.map((t) => t.id)).toContain(ids.ls);
      expect((await queue(hpTriage)).map((t) => t.id)).toEqual([ids.hp]);
      const all = (await queue(national)).map((t) => t.id);
      expect(all).toEqual(expect.arrayContaining(Object.values(ids)));
      // Opening another province's tip: not found, and the attempt is audited.
      expect((await hpTriage.request('GET', `/api/tips/${ids.ls}`)).statusCode).toBe(404);
      expect((await lsTriage.request('GET', `/api/tips/${ids.none}`)).statusCode).toBe(404);
      expect((await hpTriage.request('POST', `/api/tips/${ids.ls}/claim`, { version: 1 })).statusCode).toBe(404);
      const denied = await h.db.kysely.selectFrom('audit_log').select(['outcome', 'actor_username']).where('entity_id', '=', ids.ls).where('action', '=', 'tip.read').execute();
      expect(denied).toEqual([{ outcome: 'denied', actor_username: 'hp.triage' }, { outcome: 'denied', actor_username: 'hp.triage' }]);
      expect((await h.db.kysely.selectFrom('tips').select('claimed_by').where('id', '=', ids.ls).executeTakeFirstOrThrow()).claimed_by).toBeNull();
      expect((await viewer.request('GET', '/api/tips')).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'GET', url: '/api/tips' })).statusCode).toBe(401);
      // Assigning the tip to a Hải Phòng unit opens it to that unit's officers.
      const v = (await detail(national, ids.ls)).version;
      expect((await national.request('POST', `/api/tips/${ids.ls}/assign`, { version: v, unitId: await h.unitId('BCD389-31') })).statusCode).toBe(200);
      expect((await hpTriage.request('GET', `/api/tips/${ids.ls}`)).statusCode).toBe(200);
    });

    it('filters by channel, province, category, status and pages with a cursor', async () => {
      for (let i = 0; i < 3; i++) await submit(lsTip({ provinceCode: '46', category: 'SUGAR', description: `Đường cát Thái Lan nhập lậu lô số ${i} tập kết ở kho ven sông, xe ba gác chở đi các chợ` }));
      const first = (await national.request('GET', '/api/tips?province=46&category=SUGAR&channel=web&status=new&limit=2')).json();
      expect(first.items).toHaveLength(2);
      expect(first.nextCursor).toBeTruthy();
      const second = (await national.request('GET', `/api/tips?province=46&category=SUGAR&channel=web&status=new&limit=2&cursor=${first.nextCursor}`)).json();
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      expect(new Set([...first.items, ...second.items].map((t: { id: string }) => t.id)).size).toBe(3);
      expect((await national.request('GET', '/api/tips?channel=hotline&province=46')).json().items).toEqual([]);
      expect((await national.request('GET', '/api/tips?cursor=garbage')).json().error.issues[0].field).toBe('cursor');
    });

    it('groups possible duplicates: similar text, same province, dates close together', async () => {
      const a = await submit(lsTip({ provinceCode: '15', occurredOn: '2026-11-18', description: 'Xe tải chở pháo lậu từ Trung Quốc về kho ở thôn Bản Vược, cứ tối thứ bảy lại chuyển hàng' }));
      const b = await submit(lsTip({ provinceCode: '15', occurredOn: '2026-11-20', description: 'Cứ tối thứ bảy có xe tải chở pháo lậu từ Trung Quốc về kho ở thôn Bản Vược' }));
      const otherText = await submit(lsTip({ provinceCode: '15', occurredOn: '2026-11-20', description: 'Cửa hàng mỹ phẩm giả nhãn hiệu Hàn Quốc bán công khai trên phố chính của thị trấn' }));
      const otherProvince = await submit(lsTip({ provinceCode: '20', occurredOn: '2026-11-20', description: 'Cứ tối thứ bảy có xe tải chở pháo lậu từ Trung Quốc về kho ở thôn Bản Vược' }));
      const farApart = await submit(lsTip({ provinceCode: '15', occurredOn: '2026-10-01', description: 'Cứ tối thứ bảy có xe tải chở pháo lậu từ Trung Quốc về kho ở thôn Bản Vược' }));
      const [ta, tb, tc, td, te] = await Promise.all([a, b, otherText, otherProvince, farApart].map(async (x) => detail(national, await tipIdOf(x.receipt))));
      expect(tb.duplicateGroupId).toBe(ta.id);
      expect(tb.duplicates).toBe(1);
      expect(tb.duplicateTips.map((d: { id: string }) => d.id)).toEqual([ta.id]);
      for (const t of [tc, td, te]) expect(t.duplicateGroupId).toBe(t.id);
      const group = (await national.request('GET', `/api/tips?duplicateGroup=${ta.id}`)).json().items;
      expect(group.map((t: { id: string }) => t.id).sort()).toEqual([ta.id, tb.id].sort());
    });

    it('shows a unit that has a tip by assignment only the duplicates in its own scope', async () => {
      const a = await submit(lsTip({ provinceCode: '08', occurredOn: '2026-11-10', description: 'Xe khách giường nằm chở hàng lậu giấu dưới gầm xe, đi đêm qua cửa khẩu phụ' }));
      const b = await submit(lsTip({ provinceCode: '08', occurredOn: '2026-11-11', description: 'Đi đêm qua cửa khẩu phụ, xe khách giường nằm chở hàng lậu giấu dưới gầm xe' }));
      const [ta, tb] = await Promise.all([a, b].map(async (x) => detail(national, await tipIdOf(x.receipt))));
      expect(tb.duplicateGroupId).toBe(ta.id);
      const assigned = await national.request('POST', `/api/tips/${tb.id}/assign`, { version: tb.version, unitId: await h.unitId('BCD389-31') });
      expect(assigned.statusCode, assigned.body).toBe(200);
      const seen = await detail(hpTriage, tb.id);
      expect(seen.id).toBe(tb.id);
      expect(JSON.stringify(seen)).not.toContain(ta.receipt); // another tip of another province: not theirs
      expect(seen.duplicateTips).toEqual([]);
      expect((await hpTriage.request('GET', `/api/tips/${ta.id}`)).statusCode).toBe(404);
    });

    it('routes by province × category: admins edit the rules, the most specific rule proposes or assigns', async () => {
      const customsHq = await h.unitId('CUSTOMS');
      expect((await national.request('POST', '/api/tips/routing-rules', { provinceCode: '20', category: 'CIGARETTES', unitId: customsLs })).statusCode).toBe(403);
      const specific = await admin.request('POST', '/api/tips/routing-rules', { provinceCode: '20', category: 'CIGARETTES', unitId: customsLs, mode: 'assign' });
      expect(specific.statusCode, specific.body).toBe(201);
      expect((await admin.request('POST', '/api/tips/routing-rules', { provinceCode: '20', category: 'CIGARETTES', unitId: customsHq })).statusCode).toBe(409);
      const broad = (await admin.request('POST', '/api/tips/routing-rules', { category: 'CIGARETTES', unitId: customsHq })).json();
      const rules = (await lsTriage.request('GET', '/api/tips/routing-rules')).json().items;
      expect(rules).toHaveLength(2);

      const inLs = await detail(national, await tipIdOf((await submit()).receipt));
      expect(inLs.proposedUnit.code).toBe('CUSTOMS-LS');
      expect(inLs.assignedUnit.code).toBe('CUSTOMS-LS');
      const elsewhere = await detail(national, await tipIdOf((await submit(lsTip({ provinceCode: '31' }))).receipt));
      expect(elsewhere.proposedUnit.code).toBe('CUSTOMS');
      expect(elsewhere.assignedUnit).toBeNull();
      // Triage gives an e-mail-like tip its category and province: the rule proposes again.
      const bare = await detail(national, await tipIdOf((await submit({ description: 'Có kho chứa thuốc lá lậu sau nhà văn hóa thôn' })).receipt));
      expect(bare.proposedUnit).toBeNull();
      const edited = (await national.request('PATCH', `/api/tips/${bare.id}`, { version: bare.version, category: 'CIGARETTES', provinceCode: '20' })).json();
      expect(edited.assignedUnit.code).toBe('CUSTOMS-LS');
      const off = await admin.request('PATCH', `/api/tips/routing-rules/${broad.id}`, { version: broad.version, active: false });
      expect(off.json().active).toBe(false);
      expect((await admin.request('DELETE', `/api/tips/routing-rules/${broad.id}`)).statusCode).toBe(204);
      expect((await admin.request('DELETE', `/api/tips/routing-rules/${specific.json().id}`)).statusCode).toBe(204);
    });

    it('lets only an admin add, change or remove a routing rule; every change is audited and bad fields are named', async () => {
      const rule = (await admin.request('POST', '/api/tips/routing-rules', { provinceCode: '31', category: 'PETROLEUM', unitId: customsLs })).json();
      expect(rule).toMatchObject({ provinceCode: '31', category: 'PETROLEUM', mode: 'propose', active: true, unit: { code: 'CUSTOMS-LS' } });
      // Neither triage nor a coordinator may change the table, whatever the verb.
      for (const who of [national, lsTriage, lsCoord]) {
        expect((await who.request('POST', '/api/tips/routing-rules', { provinceCode: '31', category: 'SUGAR', unitId: customsLs })).statusCode).toBe(403);
        expect((await who.request('PATCH', `/api/tips/routing-rules/${rule.id}`, { version: rule.version, mode: 'assign' })).statusCode).toBe(403);
        expect((await who.request('DELETE', `/api/tips/routing-rules/${rule.id}`)).statusCode).toBe(403);
      }
      expect((await viewer.request('GET', '/api/tips/routing-rules')).statusCode).toBe(403);
      const unchanged = (await lsTriage.request('GET', '/api/tips/routing-rules')).json().items.find((r: { id: string }) => r.id === rule.id);
      expect(unchanged).toEqual(rule);
      expect((await h.db.kysely.selectFrom('tip_routing_rules').select('id').where('category', '=', 'SUGAR').execute())).toEqual([]);
      const denials = (await h.db.kysely.selectFrom('audit_log').select(['actor_username', 'detail']).where('action', '=', 'access.denied').execute())
        .filter((d) => (d.detail as { route?: string }).route === '/api/tips/routing-rules/:ruleId');
      expect(new Set(denials.map((d) => d.actor_username))).toEqual(new Set(['nat.triage', 'ls.triage', 'ls.coord']));

      // Bad input: every bad field named at once.
      const bad = await admin.request('POST', '/api/tips/routing-rules', { provinceCode: '99', category: 'NOPE', unitId: '00000000-0000-4000-8000-000000000001' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['category', 'provinceCode', 'unitId']);
      expect((await admin.request('POST', '/api/tips/routing-rules', { provinceCode: '31' })).json().error.issues[0].field).toBe('unitId');
      expect((await admin.request('PATCH', `/api/tips/routing-rules/${rule.id}`, { version: rule.version, category: 'nope' })).json().error.issues[0].field).toBe('category');

      // An admin edits what the rule matches and where it sends tips.
      const other = (await admin.request('POST', '/api/tips/routing-rules', { provinceCode: '31', category: 'SUGAR', unitId: customsLs })).json();
      const clash = await admin.request('PATCH', `/api/tips/routing-rules/${rule.id}`, { version: rule.version, category: 'SUGAR' });
      expect(clash.statusCode).toBe(409);
      expect(clash.json().error.issues[0]).toMatchObject({ field: 'category', reason: 'not_unique' });
      const edited = await admin.request('PATCH', `/api/tips/routing-rules/${rule.id}`, { version: rule.version, provinceCode: null, unitId: await h.unitId('CUSTOMS'), mode: 'assign' });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({ provinceCode: null, category: 'PETROLEUM', mode: 'assign', unit: { code: 'CUSTOMS' }, version: rule.version + 1 });
      expect((await admin.request('PATCH', `/api/tips/routing-rules/${rule.id}`, { version: rule.version, mode: 'propose' })).statusCode).toBe(409); // stale
      expect((await admin.request('DELETE', `/api/tips/routing-rules/${rule.id}`)).statusCode).toBe(204);
      expect((await admin.request('DELETE', `/api/tips/routing-rules/${rule.id}`)).statusCode).toBe(404);
      expect((await admin.request('DELETE', `/api/tips/routing-rules/${other.id}`)).statusCode).toBe(204);
      const trail = await h.db.kysely.selectFrom('audit_log').select(['action', 'actor_username', 'detail']).where('entity_id', '=', rule.id).orderBy('seq').execute();
      expect(trail.map((r) => [r.action, r.actor_username])).toEqual([['tip.routing.create', 'root'], ['tip.routing.update', 'root'], ['tip.routing.delete', 'root']]);
      expect(trail[1]!.detail).toMatchObject({ provinceCode: null, mode: 'assign', from: { provinceCode: '31', mode: 'propose' } });
    });

    it('lets one officer hold a tip: others get a conflict, may add internal notes, and a coordinator may take it over', async () => {
      const id = await tipIdOf((await submit()).receipt);
      let t = (await lsTriage.request('POST', `/api/tips/${id}/claim`, { version: 1 })).json();
      expect(t.claimedBy).toBe('ls.triage');
      const other = await national.request('POST', `/api/tips/${id}/claim`, { version: t.version });
      expect(other.statusCode).toBe(409);
      expect(other.json().error.message).toContain('ls.triage');
      expect((await national.request('POST', `/api/tips/${id}/messages`, { kind: 'public_reply', body: 'Cảm ơn' })).statusCode).toBe(409);
      expect((await national.request('POST', `/api/tips/${id}/close`, { version: t.version, reason: 'no_grounds' })).statusCode).toBe(409);
      expect((await national.request('POST', `/api/tips/${id}/messages`, { kind: 'internal_note', body: 'Trùng với tin hôm qua?' })).statusCode).toBe(201);
      expect((await national.request('POST', `/api/tips/${id}/claim`, { version: t.version, takeOver: true })).statusCode).toBe(403);
      t = (await lsCoord.request('POST', `/api/tips/${id}/claim`, { version: t.version, takeOver: true })).json();
      expect(t.claimedBy).toBe('ls.coord');
      t = (await lsCoord.request('POST', `/api/tips/${id}/release`, { version: t.version })).json();
      expect(t.claimedBy).toBeNull();
      expect((await lsCoord.request('POST', `/api/tips/${id}/release`, { version: 1 })).statusCode).toBe(409); // stale version
    });

    it('keeps internal notes from the reporter and carries public replies both ways', async () => {
      const { receipt, secret } = await submit();
      const id = await tipIdOf(receipt);
      const s = { 'x-tip-secret': secret };
      expect((await pub('POST', `/api/public/tips/${receipt}/messages`, { body: 'Tối nay xe lại đi, <i>biển 12C</i>' }, s)).statusCode).toBe(201);
      await lsTriage.request('POST', `/api/tips/${id}/messages`, { kind: 'internal_note', body: 'Người báo tin có thể là lái xe cũ' });
      const reply = await lsTriage.request('POST', `/api/tips/${id}/messages`, { kind: 'public_reply', body: 'Chúng tôi đã nhận và đang xác minh.' });
      expect(reply.json().status).toBe('acknowledged'); // a first public reply acknowledges the tip
      const staff = await detail(lsTriage, id);
      expect(staff.messages.map((m: { kind: string }) => m.kind)).toEqual(['reporter', 'internal_note', 'public_reply']);
      const seen = (await pub('GET', `/api/public/tips/${receipt}`, undefined, s)).json();
      expect(seen.status).toBe('in_progress');
      expect(seen.messages).toEqual([
        { from: 'reporter', body: 'Tối nay xe lại đi, <i>biển 12C</i>', at: '2026-11-23T03:00:00.000Z' },
        { from: 'handler', body: 'Chúng tôi đã nhận và đang xác minh.', at: '2026-11-23T03:00:00.000Z' },
      ]);
      expect(JSON.stringify(seen)).not.toContain('lái xe cũ');
      expect(JSON.stringify(seen)).not.toContain('ls.triage');
    });

    it('records a hotline call with the operator, and closes a tip with a reason the reporter sees as closed', async () => {
      const res = await lsCoord.request('POST', '/api/tips/hotline', { description: 'Người gọi báo có xe khách chở hàng điện tử không hóa đơn trên QL1A', provinceCode: '20', contact: 'Không để lại' });
      expect(res.statusCode, res.body).toBe(201);
      const { tip, receipt, secret } = res.json();
      expect(tip).toMatchObject({ channel: 'hotline', recordedBy: 'ls.coord', receipt, status: 'new' });
      expect((await national.request('POST', `/api/tips/${tip.id}/close`, { version: tip.version, reason: 'other' })).json().error.issues[0].field).toBe('note');
      const closed = await national.request('POST', `/api/tips/${tip.id}/close`, { version: tip.version, reason: 'duplicate', note: 'Trùng TB trước' });
      expect(closed.json()).toMatchObject({ status: 'closed', closeReason: 'duplicate' });
      expect((await national.request('POST', `/api/tips/${tip.id}/messages`, { kind: 'public_reply', body: 'x' })).statusCode).toBe(409);
      expect((await national.request('POST', `/api/tips/${tip.id}/status`, { version: closed.json().version, to: 'in_progress' })).statusCode).toBe(409);
      const seen = (await pub('GET', `/api/public/tips/${receipt}`, undefined, { 'x-tip-secret': secret })).json();
      expect(seen.status).toBe('closed');
      expect(JSON.stringify(seen)).not.toContain('Trùng TB');
    });

    it('lets only a case writer convert a tip to a case, which keeps the link and the attachments', async () => {
      const { withGps } = jpegWithGps();
      const m = multipart(lsTip(), [{ name: 'xe.jpg', data: withGps }]);
      const { receipt, secret } = (await pub('POST', '/api/public/tips', m.payload, m.headers)).json();
      const id = await tipIdOf(receipt);
      const t = await detail(lsTriage, id);
      // Triage alone does not record cases: refused, audited, and the tip is untouched.
      const refused = await lsTriage.request('POST', `/api/tips/${id}/convert`, { version: t.version, case: { violationType: 'SMUGGLING' } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.message).toMatch(/records a case/);
      expect((await detail(lsTriage, id))).toMatchObject({ status: 'new', caseId: null, version: t.version });
      const denied = await h.db.kysely.selectFrom('audit_log').select(['actor_username', 'outcome']).where('action', '=', 'access.denied').where('actor_username', '=', 'ls.triage').execute();
      expect(denied.length).toBeGreaterThan(0);
      const writer = await h.login('ls.triage.officer'); // tip triage and a case writer
      const bad = await writer.request('POST', `/api/tips/${id}/convert`, { version: t.version, case: { violationType: 'NOPE' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues[0].field).toBe('case.violationType');
      const res = await writer.request('POST', `/api/tips/${id}/convert`, { version: t.version, case: { violationType: 'SMUGGLING', title: 'Xác minh tin báo xe tải chở thuốc lá lậu', goods: [{ category: 'CIGARETTES', description: 'Thuốc lá điếu' }] } });
      expect(res.statusCode, res.body).toBe(201);
      const { caseId, tip } = res.json();
      expect(tip).toMatchObject({ status: 'converted', caseId });
      const c = await h.db.kysely.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
      expect(c).toMatchObject({ province_code: '20', detected_on: '2026-11-20', summary: lsTip().description, source_unit_id: await h.unitId('BCD389-20') });
      const copied = await h.db.kysely.selectFrom('case_attachments').selectAll().where('case_id', '=', caseId).execute();
      const original = await h.db.kysely.selectFrom('tip_attachments').selectAll().where('tip_id', '=', id).execute();
      expect(copied.map((a) => [a.file_name, a.sha256])).toEqual(original.map((a) => [a.file_name, a.sha256]));
      expect((await lsTriage.request('GET', `/api/tips?caseId=${caseId}`)).json().items.map((x: { id: string }) => x.id)).toEqual([id]);
      expect((await writer.request('POST', `/api/tips/${id}/convert`, { version: tip.version, case: { violationType: 'SMUGGLING' } })).statusCode).toBe(409);
      expect((await pub('GET', `/api/public/tips/${receipt}`, undefined, { 'x-tip-secret': secret })).json().status).toBe('acted_on');
      const actions = (await h.db.kysely.selectFrom('audit_log').select('action').where('entity_id', 'in', [id, caseId]).orderBy('seq').execute()).map((a) => a.action);
      expect(actions).toEqual(['tip.receive', 'case.create', 'case.attachment.add', 'tip.convert']);
    });

    it('lets the officers of the unit a tip is routed to work it, and no one else\'s officers', async () => {
      await h.makeUser({ username: 'customs.ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
      await h.makeUser({ username: 'market.ls.officer', roles: ['officer'], unit: 'BCD389-20' }); // same province, not the assignee
      const mine = await h.login('customs.ls.officer');
      const other = await h.login('market.ls.officer');
      const id = await tipIdOf((await submit()).receipt);
      const unrouted = await tipIdOf((await submit()).receipt);
      // Before triage routes it, the tip is no officer's.
      expect((await mine.request('GET', `/api/tips/${id}`)).statusCode).toBe(404);
      let t = await detail(lsTriage, id);
      t = (await lsTriage.request('POST', `/api/tips/${id}/assign`, { version: t.version, unitId: customsLs })).json();

      const queue = (await mine.request('GET', '/api/tips?open=true')).json().items.map((x: { id: string }) => x.id);
      expect(queue).toContain(id);
      expect(queue).not.toContain(unrouted); // the province's other tips stay triage's
      expect((await mine.request('GET', '/api/tips/reminders')).statusCode).toBe(200);
      // Colleagues read who holds it and who wrote a note by name, not by account.
      await h.db.exec(`UPDATE users SET display_name = 'Nguyễn Văn Hải' WHERE username = 'customs.ls.officer'`);
      t = (await mine.request('POST', `/api/tips/${id}/claim`, { version: t.version })).json();
      expect(t).toMatchObject({ claimedBy: 'customs.ls.officer', claimedByName: 'Nguyễn Văn Hải' });
      const noted = await mine.request('POST', `/api/tips/${id}/messages`, { kind: 'internal_note', body: 'Đã cử tổ công tác xác minh' });
      expect(noted.statusCode).toBe(201);
      expect(noted.json().messages.at(-1)).toMatchObject({ author: 'customs.ls.officer', authorName: 'Nguyễn Văn Hải' });
      // Triage's own powers stay triage's: editing the tip, re-routing it, recording hotline calls.
      t = await detail(mine, id);
      expect((await mine.request('PATCH', `/api/tips/${id}`, { version: t.version, place: 'Chỗ khác' })).statusCode).toBe(403);
      expect((await mine.request('POST', `/api/tips/${id}/assign`, { version: t.version, unitId: await h.unitId('BCD389-20') })).statusCode).toBe(403);
      expect((await mine.request('POST', '/api/tips/hotline', lsTip())).statusCode).toBe(403);
      // Another unit's officer in the same province: not found, and the attempt is in the audit trail.
      expect((await other.request('GET', `/api/tips/${id}`)).statusCode).toBe(404);
      expect((await other.request('POST', `/api/tips/${id}/convert`, { version: t.version, case: { violationType: 'SMUGGLING' } })).statusCode).toBe(404);
      expect((await other.request('GET', '/api/tips?open=true')).json().items.map((x: { id: string }) => x.id)).not.toContain(id);
      const denied = await h.db.kysely.selectFrom('audit_log').select('detail').where('action', '=', 'tip.read').where('outcome', '=', 'denied').where('actor_username', '=', 'market.ls.officer').execute();
      expect(denied.length).toBeGreaterThan(0);
      expect((await viewer.request('GET', '/api/tips')).statusCode).toBe(403);
      // The assignee converts it: the case is theirs.
      const res = await mine.request('POST', `/api/tips/${id}/convert`, { version: t.version, case: { violationType: 'SMUGGLING', title: 'Xác minh tin báo thuốc lá lậu qua Tân Thanh', goods: [{ category: 'CIGARETTES', description: 'Thuốc lá điếu' }] } });
      expect(res.statusCode, res.body).toBe(201);
      const c = await h.db.kysely.selectFrom('cases').select(['source_unit_id']).where('id', '=', res.json().caseId).executeTakeFirstOrThrow();
      expect(c.source_unit_id).toBe(customsLs);
    });

    it('re-routes a tip someone holds: the claim ends, the new unit\'s officers take it, the old holder no longer sees it', async () => {
      const holder = await h.login('customs.ls.officer'); // made by the test above
      const id = await tipIdOf((await submit()).receipt);
      let t = await detail(lsTriage, id);
      t = (await lsTriage.request('POST', `/api/tips/${id}/assign`, { version: t.version, unitId: customsLs })).json();
      t = (await holder.request('POST', `/api/tips/${id}/claim`, { version: t.version })).json();
      expect(t.claimedBy).toBe('customs.ls.officer');
      const moved = await lsTriage.request('POST', `/api/tips/${id}/assign`, { version: t.version, unitId: await h.unitId('BCD389-20') });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ claimedBy: null, assignedUnit: { code: 'BCD389-20' } });
      expect((await holder.request('GET', `/api/tips/${id}`)).statusCode).toBe(404);
      const newUnit = await h.login('market.ls.officer'); // an officer of BCD389-20, made by the test above
      expect((await newUnit.request('POST', `/api/tips/${id}/claim`, { version: moved.json().version })).json()).toMatchObject({ claimedBy: 'market.ls.officer' });
      const trail = await h.db.kysely.selectFrom('audit_log').select('detail').where('action', '=', 'tip.assign').where('entity_id', '=', id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      expect(trail.detail).toMatchObject({ releasedClaimOf: expect.any(String) });
    });

    it('audits every staff change to a tip', async () => {
      const id = await tipIdOf((await submit()).receipt);
      // Routed first: re-routing ends a claim (see "re-routes a tip someone holds").
      let t = (await national.request('POST', `/api/tips/${id}/assign`, { version: 1, unitId: customsLs })).json();
      t = (await national.request('POST', `/api/tips/${id}/claim`, { version: t.version })).json();
      t = (await national.request('POST', `/api/tips/${id}/status`, { version: t.version, to: 'in_progress' })).json();
      t = (await national.request('PATCH', `/api/tips/${id}`, { version: t.version, place: 'Km 3, đường mòn Nà Lầy' })).json();
      await national.request('POST', `/api/tips/${id}/messages`, { kind: 'internal_note', body: 'Đã chuyển Hải quan' });
      await national.request('POST', `/api/tips/${id}/messages`, { kind: 'public_reply', body: 'Đã chuyển đơn vị chức năng' });
      await national.request('POST', `/api/tips/${id}/close`, { version: t.version, reason: 'outside_remit' });
      await national.request('POST', `/api/tips/${id}/release`, { version: t.version + 1 });
      const rows = await h.db.kysely.selectFrom('audit_log').select(['action', 'actor_username']).where('entity_id', '=', id).orderBy('seq').execute();
      expect(rows.map((r) => r.action)).toEqual(['tip.receive', 'tip.assign', 'tip.claim', 'tip.status', 'tip.update', 'tip.note', 'tip.reply', 'tip.close', 'tip.release']);
      expect(rows.slice(1).every((r) => r.actor_username === 'nat.triage')).toBe(true);
      expect((await h.services.audit.verify()).ok).toBe(true);
    });

    it('flags tips past their deadlines: acknowledgement, then conclusion', async () => {
      const lateAck = await tipIdOf((await submit(lsTip({ provinceCode: '04', description: 'Buôn lậu gia cầm qua biên giới bằng xe máy, đi đường tắt qua suối' }))).receipt);
      const acked = await tipIdOf((await submit(lsTip({ provinceCode: '04', description: 'Một cơ sở sang chiết xăng dầu kém chất lượng hoạt động về đêm' }))).receipt);
      await national.request('POST', `/api/tips/${acked}/status`, { version: 1, to: 'acknowledged' });
      const overdue = async (who: Client) => ((await who.request('GET', '/api/tips?province=04&overdue=true')).json().items as { id: string }[]).map((t) => t.id);
      expect(await overdue(national)).toEqual([]);
      // Sessions expire while the clock moves on by days: sign in again at each step.
      h.clock.advance(8 * 86_400_000);
      const day8 = await h.login('nat.triage');
      expect(await overdue(day8)).toEqual([lateAck]);
      expect((await detail(day8, lateAck)).overdue).toBe(true);
      expect((await detail(day8, acked)).overdue).toBe(false);
      h.clock.advance(23 * 86_400_000);
      const day31 = await h.login('nat.triage');
      expect((await overdue(day31)).sort()).toEqual([lateAck, acked].sort());
      expect((await day31.request('POST', `/api/tips/${acked}/close`, { version: 2, reason: 'insufficient_information' })).statusCode).toBe(200);
      expect(await overdue(day31)).toEqual([lateAck]);
      h.clock.advance(-31 * 86_400_000);
      national = await h.login('nat.triage');
    });
  });
});

describe.each(testEngines())('a flood of public submissions on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine, { tipRatePerMinute: 150 });
  });
  afterAll(() => h.close());

  it('never loses an accepted tip: 200 at once from many addresses, then one address past its limit', async () => {
    const body = (i: number) => ({ description: `Tin báo số ${i}: kho hàng lậu ở bến xe, xe tải số ${1000 + i}`, provinceCode: '20' });
    const flood = await Promise.all(
      Array.from({ length: 200 }, (_, i) => h.app.inject({ method: 'POST', url: '/api/public/tips', remoteAddress: `203.0.113.${i % 50}`, payload: body(i) })),
    );
    // One address, 160 submissions in bursts of 10: the limit (150 a minute) refuses the last burst.
    const burst = [];
    for (let b = 0; b < 16; b++) {
      burst.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => h.app.inject({ method: 'POST', url: '/api/public/tips', remoteAddress: '198.51.100.99', payload: body(1000 + b * 10 + i) })))));
    }
    const results = [...flood, ...burst];
    const accepted = results.filter((r) => r.statusCode === 201);
    const limited = results.filter((r) => r.statusCode === 429);
    expect(flood.every((r) => r.statusCode === 201)).toBe(true);
    expect(accepted.length + limited.length).toBe(360);
    expect(limited.length).toBe(10);
    expect(limited[0]!.json().error.code).toBe('RATE_LIMITED');
    const receipts = accepted.map((r) => r.json().receipt as string);
    expect(new Set(receipts).size).toBe(accepted.length);
    const stored = await h.db.kysely.selectFrom('tips').select('receipt').execute();
    expect(stored.length).toBe(accepted.length);
    expect(new Set(stored.map((s) => s.receipt))).toEqual(new Set(receipts));
    // 360 transactions on one embedded connection: ~30 s when the 2 cores are shared, hence the room.
  }, 120_000);
});

describe.each(testEngines())('deadline reminders on %s', (engine) => {
  let h: Harness;
  const DAY = 86_400_000;
  type Reminders = { withinHours: number; overdue: { count: number; items: { id: string; deadline: string; due: string }[] }; dueSoon: { count: number; items: { id: string; deadline: string; due: string }[] } };
  const submit = async (provinceCode: string, description: string) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/public/tips', payload: { description, provinceCode } });
    expect(res.statusCode, res.body).toBe(201);
    return (await h.db.kysely.selectFrom('tips').select('id').where('receipt', '=', res.json().receipt).executeTakeFirstOrThrow()).id;
  };
  /** Signs in afresh (sessions expire while the clock moves by days) and reads the reminders. */
  const remindersOf = async (username: string): Promise<Reminders> => {
    const res = await (await h.login(username)).request('GET', '/api/tips/reminders');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const ids = (l: { items: { id: string }[] }) => l.items.map((x) => x.id).sort();

  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'nat.triage', roles: ['tip_triage'] });
    await h.makeUser({ username: 'ls.triage', roles: ['tip_triage'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp.triage', roles: ['tip_triage'], unit: 'BCD389-31' });
    await h.makeUser({ username: 'just.viewer', roles: ['viewer'] });
  });
  afterAll(() => h.close());

  it('reminds an officer of their own province\'s tips due within a day and overdue, never another province\'s', async () => {
    // Day 0 (deadlines: acknowledge in 7 days, conclude in 30).
    const fresh = await submit('20', 'Xe tải chở thuốc lá lậu qua đường mòn Nà Lầy vào ban đêm');
    const acknowledged = await submit('20', 'Kho chứa đường cát nhập lậu ở ven sông Kỳ Cùng, xe ba gác chở đi');
    const closed = await submit('20', 'Điểm bán hàng giả nhãn hiệu ở chợ Đông Kinh, tầng hai');
    const haiPhong = await submit('31', 'Tàu cá chở dầu DO lậu neo ở cảng cá, bơm sang xe bồn ban đêm');
    const nat = await h.login('nat.triage');
    expect((await nat.request('POST', `/api/tips/${acknowledged}/status`, { version: 1, to: 'acknowledged' })).statusCode).toBe(200);
    expect((await nat.request('POST', `/api/tips/${closed}/close`, { version: 1, reason: 'no_grounds' })).statusCode).toBe(200);
    expect(await remindersOf('ls.triage')).toEqual({ withinHours: 24, overdue: { count: 0, items: [] }, dueSoon: { count: 0, items: [] } });

    // Day 6½: both new tips must be acknowledged within the day.
    h.clock.advance(6.5 * DAY);
    const ls = await remindersOf('ls.triage');
    expect(ls.dueSoon.count).toBe(1);
    expect(ls.dueSoon.items).toEqual([expect.objectContaining({ id: fresh, deadline: 'acknowledge', due: '2026-11-30T03:00:00.000Z', provinceCode: '20' })]);
    expect(ls.overdue.count).toBe(0);
    const hp = await remindersOf('hp.triage');
    expect(ids(hp.dueSoon)).toEqual([haiPhong]);
    expect(JSON.stringify(hp)).not.toContain(fresh);
    expect(ids((await remindersOf('nat.triage')).dueSoon)).toEqual([fresh, haiPhong].sort());

    // Day 7½: now overdue.
    h.clock.advance(DAY);
    const late = await remindersOf('ls.triage');
    expect(late).toMatchObject({ overdue: { count: 1 }, dueSoon: { count: 0, items: [] } });
    expect(late.overdue.items[0]).toMatchObject({ id: fresh, deadline: 'acknowledge', overdue: true });
    expect(ids((await remindersOf('hp.triage')).overdue)).toEqual([haiPhong]);

    // Day 29½: the acknowledged tip must be concluded within the day; the new one is still overdue.
    h.clock.advance(22 * DAY);
    const conclude = await remindersOf('ls.triage');
    expect(conclude.dueSoon.items).toEqual([expect.objectContaining({ id: acknowledged, deadline: 'conclude', due: '2026-12-23T03:00:00.000Z' })]);
    expect(ids(conclude.overdue)).toEqual([fresh]);
    expect(JSON.stringify(conclude)).not.toContain(closed);
    expect(JSON.stringify(await remindersOf('hp.triage'))).not.toContain(acknowledged);

    const viewer = await h.login('just.viewer');
    expect((await viewer.request('GET', '/api/tips/reminders')).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/tips/reminders' })).statusCode).toBe(401);
    h.clock.advance(-29.5 * DAY);
  });
});
