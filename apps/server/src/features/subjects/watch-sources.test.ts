import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, postCase } from './subjects.fixtures.js';

// Watchlist alerts from the other sources (issue 7): tips whose text names a followed identifier,
// declarations carrying a followed tax code, and edits that add an identifier to a case. Each source
// keeps its own need-to-know rule when the alert is read.
const PHONE = '0912345678';
const PLATE = '29A12345';
const CCCD = '020089001234';
const TAX = '0101234567';

const HEADER = ['Số tờ khai', 'Ngày', 'Chi cục', 'Mã HS', 'Mã số thuế DN', 'Trị giá', 'Vi phạm'];
const MAPPING = { id: 'Số tờ khai', date: 'Ngày', label: 'Vi phạm', office: 'Chi cục', categorical: ['Mã HS', 'Mã số thuế DN'], numeric: ['Trị giá'], dateFormat: 'dd/MM/yyyy' };

function multipart(file: { name: string; bytes: Buffer }, fields: Record<string, string>) {
  const boundary = `----cordon${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

type Alert = { source: { kind: string; id: string; code: string }; caseId: string | null; matched: { kind: string; value: string }[] };

describe.each(testEngines())('watchlist alerts from tips, declarations and case edits on %s', (engine) => {
  let h: Harness;
  let lsCoord: Client; // provincial coordinator, Lạng Sơn committee: opens Lạng Sơn tips
  let hpCoord: Client; // provincial coordinator, Hải Phòng committee: not Lạng Sơn tips
  let lsOfficer: Client; // Customs officer in Lạng Sơn: no tip triage; declarations of assigned offices only
  let customsOfficer: Client; // Customs officer at the Customs root: every declaration
  let bgOfficer: Client; // Border Guard officer: no declarations
  let riskAnalyst: Client;

  const alerts = async (c: Client) => (await c.request('GET', '/api/watchlists/alerts')).json().items as Alert[];
  const follow = async (c: Client, kind: string, value: string) => expect((await c.request('POST', '/api/watchlists', { identifier: { kind, value } })).statusCode).toBe(201);
  const submitTip = async (description: string, provinceCode = '20') => {
    const res = await h.app.inject({ method: 'POST', url: '/api/public/tips', remoteAddress: '203.0.113.9', payload: { description, category: 'CIGARETTES', provinceCode, occurredOn: '2026-11-20', contact: 'zalo 0987000111' } });
    expect(res.statusCode, res.body).toBe(201);
    return (await h.db.kysely.selectFrom('tips').select('id').where('receipt', '=', res.json().receipt).executeTakeFirstOrThrow()).id;
  };

  beforeAll(async () => {
    h = await createHarness(engine, { tipRatePerMinute: 100_000, tipReadRatePerMinute: 100_000 });
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls.coord', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp.coord', roles: ['provincial_coordinator'], unit: 'BCD389-31' });
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'customs.officer', roles: ['officer'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'risk', roles: ['risk_analyst'], unit: 'CUSTOMS' });
    [lsCoord, hpCoord, lsOfficer, customsOfficer, bgOfficer, riskAnalyst] = (await Promise.all(['ls.coord', 'hp.coord', 'ls.officer', 'customs.officer', 'bg.officer', 'risk'].map((u) => h.login(u)))) as [Client, Client, Client, Client, Client, Client];
  }, 180_000);
  afterAll(async () => h.close());

  it('alerts about a tip naming a followed phone or plate only those who may open the tip', async () => {
    for (const c of [lsCoord, hpCoord, lsOfficer]) await follow(c, 'PHONE', '+84 912 345 678');
    await follow(lsCoord, 'PLATE', '29A-123.45');
    const tipId = await submitTip('Anh Hùng (0912.345.678) lái xe 29A 123.45 chở thuốc lá lậu qua đường mòn gần cửa khẩu Tân Thanh');
    const mine = await alerts(lsCoord);
    expect(mine.map((a) => [a.source.kind, a.source.id, a.caseId, a.matched])).toEqual(expect.arrayContaining([
      ['tip', tipId, null, [{ kind: 'PHONE', value: PHONE }]],
      ['tip', tipId, null, [{ kind: 'PLATE', value: PLATE }]],
    ]));
    expect(mine).toHaveLength(2);
    // the alert is stored for the others too, but Hải Phòng's coordinator may not open a Lạng Sơn tip
    // and a Customs officer does not triage tips: neither sees it, not even in the count
    expect(await h.db.kysely.selectFrom('subject_watch_alerts').select('id').where('tip_id', '=', tipId).execute()).toHaveLength(4);
    for (const c of [hpCoord, lsOfficer]) {
      expect(await alerts(c)).toEqual([]);
      expect((await c.request('GET', '/api/watchlists/alerts/count')).json().unread).toBe(0);
    }
  });

  it("does not match on the reporter's own contact", async () => {
    await follow(lsCoord, 'PHONE', '0987000111');
    const tipId = await submitTip('Kho hàng lậu ở Cao Lộc, xe ra vào ban đêm, không rõ chủ');
    expect(await h.db.kysely.selectFrom('subject_watch_alerts').select('id').where('tip_id', '=', tipId).execute()).toEqual([]);
  });

  it('follows a tip into view when triage assigns it to the unit', async () => {
    const tipId = await submitTip('Số 0912345678 gom hàng ở Hải Phòng, giao ban đêm', '31');
    expect((await alerts(lsCoord)).some((a) => a.source.id === tipId)).toBe(false);
    expect((await alerts(hpCoord)).map((a) => a.source.id)).toEqual([tipId]);
    await h.db.kysely.updateTable('tips').set({ assigned_unit_id: await h.unitId('BCD389-20') }).where('id', '=', tipId).execute();
    expect((await alerts(lsCoord)).some((a) => a.source.id === tipId)).toBe(true);
  });

  it('alerts about a declaration carrying a followed tax code only Customs users who see its office', async () => {
    for (const c of [customsOfficer, lsOfficer, bgOfficer]) await follow(c, 'TAX', TAX);
    const created = await riskAnalyst.request('POST', '/api/risk/mappings', { name: 'Tờ khai thử', mapping: MAPPING });
    expect(created.statusCode, created.body).toBe(201);
    const mappingId = created.json().id as string;
    const rows = [
      ['TK000001', '01/10/2026', 'HQ01', '240220', TAX, '12000', '0'],
      ['TK000002', '01/10/2026', 'HQ01', '240220', '0309999999', '9000', '0'],
      // a 10-digit value in a numeric column is no tax code
      ['TK000003', '02/10/2026', 'HQ01', '851713', '0309999999', TAX, '0'],
    ];
    const csv = Buffer.from([HEADER, ...rows].map((l) => l.join(',')).join('\r\n') + '\r\n', 'utf8');
    const m = multipart({ name: 'to-khai.csv', bytes: csv }, { mappingId, mode: 'partial' });
    const res = await riskAnalyst.request('POST', '/api/risk/import', m.body, m.headers);
    expect(res.statusCode, res.body).toBe(200);
    const decl = (await h.db.kysely.selectFrom('subject_watch_alerts').select('declaration_id').where('declaration_id', 'is not', null).execute()).map((r) => r.declaration_id);
    expect(decl).toHaveLength(3); // one declaration, three watchers
    const theirs = await alerts(customsOfficer);
    expect(theirs.map((a) => [a.source.kind, a.source.code, a.matched])).toEqual([['declaration', 'TK000001', [{ kind: 'TAX', value: TAX }]]]);
    // a declaration is Customs data: the Border Guard never sees the alert
    expect(await alerts(bgOfficer)).toEqual([]);
    // below the Customs root, only declarations of offices assigned to the user's unit
    expect((await alerts(lsOfficer)).some((a) => a.source.kind === 'declaration')).toBe(false);
    const assign = await riskAnalyst.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'HQ01', unitId: await h.unitId('CUSTOMS-LS') }] });
    expect(assign.statusCode, assign.body).toBe(200);
    expect((await alerts(lsOfficer)).filter((a) => a.source.kind === 'declaration').map((a) => a.source.code)).toEqual(['TK000001']);
  });

  it('alerts when an edit adds a followed identifier to a case, and not again for one already there', async () => {
    await follow(customsOfficer, 'ID', CCCD);
    const c = await postCase(customsOfficer, { title: 'Xe thuốc lá Tân Thanh', detectedOn: '2026-10-01', subjects: [{ kind: 'person', role: 'driver', name: 'Lê Văn Tư', phone: '0977000222' }] });
    const caseAlerts = async () => (await alerts(customsOfficer)).filter((a) => a.source.kind === 'case' && a.caseId === c.id);
    expect(await caseAlerts()).toEqual([]);
    const version = async () => (await customsOfficer.request('GET', `/api/cases/${c.id}`)).json().version as number;
    const edit = async (subjects: unknown[]) => {
      const res = await customsOfficer.request('PATCH', `/api/cases/${c.id}`, { version: await version(), subjects });
      expect(res.statusCode, res.body).toBe(200);
    };
    await edit([{ kind: 'person', role: 'driver', name: 'Lê Văn Tư', phone: '0977000222' }, { kind: 'person', role: 'owner', name: 'Nguyễn Văn Hùng', idNumber: CCCD }]);
    const first = await caseAlerts();
    expect(first.map((a) => [a.source.code, a.matched])).toEqual([[expect.any(String), [{ kind: 'ID', value: CCCD }]]]);
    // editing again (the CCCD stays, a new phone comes) raises nothing more for this watch
    await edit([{ kind: 'person', role: 'owner', name: 'Nguyễn Văn Hùng', idNumber: CCCD, phone: '0966000333' }]);
    expect((await caseAlerts()).map((a) => a.source.id)).toEqual([c.id]);
    // a watch made after the CCCD was recorded is not alerted by an edit that leaves it in place
    await follow(lsOfficer, 'ID', CCCD);
    await h.db.kysely.updateTable('cases').set({ handling_unit_ids: [await h.unitId('CUSTOMS'), await h.unitId('CUSTOMS-LS')] }).where('id', '=', c.id).execute();
    await edit([{ kind: 'person', role: 'owner', name: 'Nguyễn Văn Hùng', idNumber: CCCD }]);
    expect((await alerts(lsOfficer)).filter((a) => a.source.kind === 'case')).toEqual([]);
  });
});
