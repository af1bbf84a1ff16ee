import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { TipsService } from './tips.service.js';

/** An SMTP reply with its code: smtp-server sends `responseCode` and the message to the client. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The tip inbox: every message delivered to it becomes a tip (channel "email") with its text and
 * attachments. "250 accepted" is sent only after the tip is committed, so a message is never lost
 * between the sender and the database: on a failure the sender gets a temporary 451 and retries.
 * A message over the size limit is refused (552) without reading it; attachments that are too large
 * or of a type not accepted are left out with the reason kept on the tip. The sender's address is
 * kept only as the reporter's contact. No TLS and no authentication here: put the listener behind the
 * organisation's mail relay (or on loopback) and let it forward the hotline address.
 */
export function createTipsSmtpServer({ tips, maxMessageBytes, log }: { tips: TipsService; maxMessageBytes: number; log?: (msg: string, err?: unknown) => void }) {
  const server = new SMTPServer({
    name: 'cordon-tips',
    banner: 'Cordon tip inbox',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    maxClients: 50,
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      void (async () => {
        const raw = await readAll(stream);
        if (stream.sizeExceeded) return callback(smtpError(552, `Message exceeds the ${Math.round(maxMessageBytes / 1024 / 1024)} MB limit of the tip inbox`));
        const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
        const from = mail.from?.value[0]?.address ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined);
        // Plain text, or the HTML part turned into text: HTML is never stored to be rendered.
        const text = (mail.text ?? '').trim();
        const subject = mail.subject?.trim().slice(0, 300) || null;
        const description = (text || subject || '(no text)').slice(0, 10_000);
        const files = mail.attachments
          .filter((a) => a.contentDisposition !== 'inline' || a.filename)
          .map((a) => ({ fileName: a.filename ?? 'attachment', data: a.content, truncated: a.content.length > tips.maxFileBytes }));
        const r = await tips.intake({ channel: 'email', subject, fields: { description, contact: from ?? null }, files, badFiles: 'keep_reason' });
        callback(null, `Tip recorded as ${r.receipt}`);
      })().catch((err: unknown) => {
        log?.('tip e-mail not recorded', err);
        callback(smtpError(451, 'The tip could not be recorded just now; please retry'));
      });
    },
  });
  server.on('error', (err) => log?.('smtp error', err));

  return {
    server,
    /** Resolves with the port (0 picks a free one, as tests do). */
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.server.address() as AddressInfo).port);
        });
      });
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type TipsSmtpServer = ReturnType<typeof createTipsSmtpServer>;
