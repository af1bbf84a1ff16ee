import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import exifr from 'exifr';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../testing/harness.js';
import { createTipsService } from './tips.service.js';
import { createTipsSmtpServer, type TipsSmtpServer } from './tips-smtp.js';
import { jpegWithGps } from './tip-test-images.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('PE\0\0'), Buffer.alloc(200, 0x90)]);

describe.each(testEngines())('the tip inbox over SMTP on %s', (engine) => {
  let h: Harness;
  let smtp: TipsSmtpServer;
  let port: number;
  const send = (mail: SendMailOptions) =>
    nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5_000 }).sendMail({ to: 'duongday@bcd389.gov.vn', ...mail });
  const tipByReceipt = (receipt: string) => h.db.kysely.selectFrom('tips').selectAll().where('receipt', '=', receipt).executeTakeFirstOrThrow();

  beforeAll(async () => {
    h = await createHarness(engine);
    // Small limits so the test sends small messages: 64 KB per attachment, 256 KB per message.
    const tips = createTipsService({ db: h.db, clock: h.clock, audit: h.services.audit, cases: h.services.cases, acknowledgeDays: 7, concludeDays: 30, maxFileBytes: 64 * 1024 });
    smtp = createTipsSmtpServer({ tips, maxMessageBytes: 256 * 1024 });
    port = await smtp.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await smtp.close();
    await h.close();
  });

  it('turns a message into a tip with its text and attachments, refusing the oversize and the disallowed with reasons', async () => {
    const { withGps } = jpegWithGps();
    const info = await send({
      from: '"Người dân" <nguoidan@example.vn>',
      subject: 'Báo tin buôn lậu thuốc lá',
      text: 'Xe tải biển 12C-045.67 chở thuốc lá lậu qua đường mòn Nà Lầy lúc 23 giờ.',
      attachments: [
        { filename: 'xe-tai.jpg', content: withGps },
        { filename: 'bien-ban.pdf', content: Buffer.concat([PDF, Buffer.alloc(80 * 1024, 0x20)]) }, // 80 KB > 64 KB
        { filename: 'hoa-don.pdf', content: EXE },
      ],
    });
    const receipt = /Tip recorded as (TB-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(info.response)?.[1];
    expect(info.response.startsWith('250'), info.response).toBe(true);
    expect(receipt).toBeTruthy();
    const tip = await tipByReceipt(receipt!);
    expect(tip).toMatchObject({ channel: 'email', subject: 'Báo tin buôn lậu thuốc lá', contact: 'nguoidan@example.vn', status: 'new' });
    expect(tip.description).toContain('12C-045.67');
    expect(tip.refused_files.map((f) => [f.fileName, f.reason])).toEqual([['bien-ban.pdf', 'too_large'], ['hoa-don.pdf', 'unsupported_type']]);
    const files = await h.db.kysely.selectFrom('tip_attachments').selectAll().where('tip_id', '=', tip.id).execute();
    expect(files.map((f) => [f.file_name, f.mime_type, f.metadata_removed])).toEqual([['xe-tai.jpg', 'image/jpeg', true]]);
    expect(await exifr.gps(files[0]!.content)).toBeUndefined();
    // The sender is kept only as the contact: nowhere in the audit trail.
    const audit = await h.db.kysely.selectFrom('audit_log').selectAll().where('entity_id', '=', tip.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['tip.receive']);
    expect(JSON.stringify(audit)).not.toContain('nguoidan');
  });

  it('keeps an HTML-only message as text', async () => {
    const info = await send({ from: 'a@example.vn', subject: 'Hàng giả', html: '<p>Cửa hàng <b>bán mỹ phẩm giả</b> ở <a href="http://x">chợ</a></p><script>alert(1)</script>' });
    const tip = await tipByReceipt(/(TB-[0-9A-Z-]{9})/.exec(info.response)![1]!);
    expect(tip.description).toContain('bán mỹ phẩm giả');
    expect(tip.description).not.toContain('<b>');
    expect(tip.description).not.toContain('<script>');
  });

  it('refuses a message over the size limit with 552 and records nothing', async () => {
    const before = (await h.db.kysely.selectFrom('tips').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const err = await send({ from: 'b@example.vn', subject: 'Ảnh lớn', text: 'Xem ảnh đính kèm', attachments: [{ filename: 'lon.pdf', content: Buffer.concat([PDF, Buffer.alloc(400 * 1024, 0x41)]) }] }).then(
      () => undefined,
      (e: { responseCode?: number; response?: string }) => e,
    );
    expect(err?.responseCode).toBe(552);
    expect(err?.response).toContain('limit');
    expect((await h.db.kysely.selectFrom('tips').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(before);
  });
});
