// `npm run bench -- tips`: public tip submissions under load on loopback (requests/s, p99, and zero lost:
// rows in the database equal accepted responses), and e-mail intake over SMTP on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import nodemailer from 'nodemailer';
import { createDb, migrate, type Db } from '@cordon/db';
import { buildApp, createServices, seedOrganisation, testConfig } from '@cordon/server';
import { createTipsSmtpServer } from '../apps/server/src/features/tips/tips-smtp.js';

interface Figure { suite: string; name: string; n: number; unit: string; perSecond?: number; p50?: number; p99?: number; value?: number }

const log = (s: string) => process.stderr.write(s + '\n');

async function measure(db: Db, engine: string): Promise<Figure[]> {
  const suite = `tips/${engine}`;
  // The per-address limit would refuse a one-address load test: it is lifted here, not in the product.
  const s = createServices(db, testConfig({ tipRatePerMinute: 100_000 }));
  await seedOrganisation(db, s.audit, s.clock);
  const app = await buildApp(s);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const body = JSON.stringify({ description: 'Thấy xe tải chở thuốc lá lậu qua đường mòn gần cửa khẩu Tân Thanh lúc 2 giờ sáng.', category: 'CIGARETTES', provinceCode: '20', locale: 'vi' });
  const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tips'))[0]!.n;
  const r = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      { url: `http://127.0.0.1:${port}/api/public/tips`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 10, duration: 10 },
      (err, res) => (err ? reject(err) : resolve(res)),
    ),
  );
  await app.close(); // in-flight requests finish first
  const stored = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tips'))[0]!.n - before;
  const accepted = r['2xx'];
  const figures: Figure[] = [
    { suite, name: 'POST /api/public/tips (10 connections)', n: accepted, unit: 'req/s', perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, value: r.requests.average },
    // Stored may exceed accepted: requests in flight when the load generator stops are still recorded.
    { suite, name: 'stored − accepted (≥ 0: none lost)', n: accepted, unit: 'tips', value: stored - accepted },
  ];
  if (r.non2xx) log(`${suite}: ${r.non2xx} non-2xx responses`);

  const smtp = createTipsSmtpServer({ tips: s.tips, maxMessageBytes: 5 * 1024 * 1024 });
  const smtpPort = await smtp.listen(0, '127.0.0.1');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 5 });
  const n = 300;
  const emailBefore = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tips WHERE channel = 'email'`))[0]!.n;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      transport.sendMail({ from: `nguoi.dan${i}@example.vn`, to: 'duongday@bcd389.gov.vn', subject: `Tin báo số ${i}`, text: 'Có một kho chứa mỹ phẩm giả ở ngõ 12, phường Hoàn Kiếm, Hà Nội.' }),
    ),
  );
  const secs = (performance.now() - t0) / 1000;
  transport.close();
  await smtp.close();
  const emails = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tips WHERE channel = 'email'`))[0]!.n - emailBefore;
  figures.push({ suite, name: 'SMTP intake (5 connections)', n: emails, unit: 'mails/s', value: emails / secs });
  if (emails !== n) log(`${suite}: ${n} e-mails sent, ${emails} stored`);
  return figures;
}

export async function tipsSuite(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-tips-'));
  try {
    const db = await createDb({ dataDir: dir });
    await migrate(db);
    figures.push(...(await measure(db, 'pglite')));
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = await createDb({ databaseUrl: url, poolSize: 1 });
    await admin.exec('DROP SCHEMA IF EXISTS bench_tips CASCADE; CREATE SCHEMA bench_tips');
    await admin.close();
    const u = new URL(url);
    u.searchParams.set('options', '-c search_path=bench_tips,public');
    const db = await createDb({ databaseUrl: u.toString() });
    await migrate(db);
    figures.push(...(await measure(db, 'postgres')));
    await db.exec('DROP SCHEMA bench_tips CASCADE');
    await db.close();
  }
  return figures;
}
