import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { makeCase } from '../../testing/factories.js';

const ORGANISER = { kind: 'person', role: 'organiser', name: 'Lò Văn Tổ', idNumber: '011080000001', phone: '0987000001' };
const TRUCK = { kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C-111.11' };
const COURIER = { kind: 'person', role: 'accomplice', name: 'Đinh Thị Nhắn', idNumber: '011080000060', phone: '+84987000001' };
const CARRIER = { kind: 'person', role: 'transporter', name: 'Mai Văn Chở', idNumber: '011080000061', phone: '0912000010' };
const member = (k: number, role = 'driver') => ({ kind: 'person', role, name: `Hoàng Văn Thành ${['An', 'Bình', 'Cường', 'Dũng'][k]}`, idNumber: `01108000001${k}`, ...(k < 2 ? { phone: ['0912000010', '0912000011'][k] } : {}) });

describe.each(testEngines())('subject network on %s', (engine) => {
  let h: Harness;
  let ls: Client; // Customs, Lạng Sơn: records every case
  let bg: Client; // Border Guard: the ring's internal cases are shared with it, the restricted one is not
  let viewer: Client;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'bg', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'viewer', roles: ['viewer'], unit: 'BCD389' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    ls = await h.login('ls');
    bg = await h.login('bg');
    viewer = await h.login('viewer');
    const admin = await h.login('admin');
    const lsUser = (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'ls').executeTakeFirstOrThrow()).id;
    const post = async (body: Record<string, unknown>) => {
      const res = await ls.request('POST', '/api/cases', makeCase(body));
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    // the ring: the organiser, four members in turn, one truck; plus a one-off case elsewhere
    for (let k = 0; k < 4; k++) {
      const id = await post({ title: `Vụ ${k + 1} của đường dây`, subjects: [ORGANISER, member(k), member((k + 1) % 4, 'accomplice'), TRUCK] });
      await h.db.kysely.insertInto('record_shares').values({ id: randomUUID(), record_type: 'case', record_id: id, unit_id: await h.unitId('BORDER_GUARD'), user_id: null, reason: 'phối hợp', granted_by: lsUser, created_at: new Date(), revoked_at: null }).execute();
    }
    await post({ title: 'Chuyên án mật', sensitivity: 'restricted', subjects: [ORGANISER, { kind: 'person', role: 'financier', name: 'Phạm Thị Kín', idNumber: '011080000099' }] });
    // two of the ring are never in a case with the organiser: the courier holds his phone number, the
    // carrier the number of a member (An); a contact in a restricted case (not shared) holds Bình's number
    for (const who of [COURIER, CARRIER]) {
      const id = await post({ title: `Vụ giao hàng của ${who.name}`, subjects: [who] });
      await h.db.kysely.insertInto('record_shares').values({ id: randomUUID(), record_type: 'case', record_id: id, unit_id: await h.unitId('BORDER_GUARD'), user_id: null, reason: 'phối hợp', granted_by: lsUser, created_at: new Date(), revoked_at: null }).execute();
    }
    await post({ title: 'Liên lạc mật', sensitivity: 'restricted', subjects: [{ kind: 'person', role: 'other', name: 'Tạ Văn Ẩn', idNumber: '011080000070', phone: '0912000011' }] });
    await post({ title: 'Vụ lẻ', subjects: [{ kind: 'person', role: 'owner', name: 'Trịnh Văn Lẻ', idNumber: '011080000050' }] });
    expect((await admin.request('POST', '/api/admin/subjects/sync')).statusCode).toBe(200);
    const find = async (q: string) => (await ls.request('GET', `/api/subjects?q=${q}`)).json().items[0].id as string;
    ids.organiser = await find(ORGANISER.idNumber);
    ids.secret = await find('011080000099');
    ids.truck = await find('12C11111');
    ids.lone = await find('011080000050');
    ids.courier = await find(COURIER.idNumber);
    ids.carrier = await find(CARRIER.idNumber);
    ids.contact = await find('011080000070');
  });
  afterAll(() => h.close());

  it('shows who appears with a subject, one and two links out, with shared cases on each link', async () => {
    const one = (await ls.request('GET', `/api/subjects/${ids.truck}/network?depth=1`)).json();
    const names = one.nodes.map((n: { name: string }) => n.name);
    expect(names).toEqual(expect.arrayContaining(['Lò Văn Tổ', 'Xe tải']));
    expect(names).not.toContain('Phạm Thị Kín'); // two links from the truck
    const link = one.links.find((l: { source: string; target: string }) => [l.source, l.target].sort().join() === [ids.organiser, ids.truck].sort().join());
    expect(link.cases).toBe(4);
    const two = (await ls.request('GET', `/api/subjects/${ids.truck}/network?depth=2`)).json();
    expect(two.nodes.find((n: { id: string }) => n.id === ids.secret)).toMatchObject({ depth: 2, name: 'Phạm Thị Kín', roles: ['financier'] });
  });

  it('expands only through cases the user sees in full', async () => {
    const theirs = (await bg.request('GET', `/api/subjects/${ids.truck}/network?depth=2`)).json();
    expect(theirs.nodes.map((n: { id: string }) => n.id)).not.toContain(ids.secret);
    expect(theirs.nodes.length).toBeGreaterThan(3);
    expect((await bg.request('GET', `/api/subjects/${ids.secret}/network`)).statusCode).toBe(404);
    expect((await bg.request('GET', `/api/subjects/${ids.lone}/network`)).statusCode).toBe(404);
    expect((await viewer.request('GET', `/api/subjects/${ids.truck}/network`)).statusCode).toBe(404);
  });

  it('expands through a shared phone number as the groups do, so the ring is explored from its organiser', async () => {
    const two = (await ls.request('GET', `/api/subjects/${ids.organiser}/network?depth=2`)).json();
    const depth = new Map<string, number>(two.nodes.map((n: { id: string; depth: number }) => [n.id, n.depth]));
    // one link out through the number both hold (no case in common), two links out through a member's number
    expect(depth.get(ids.courier!)).toBe(1);
    expect(depth.get(ids.carrier!)).toBe(2);
    expect(depth.get(ids.contact!)).toBe(2);
    const phone = two.links.find((l: { source: string; target: string }) => [l.source, l.target].sort().join() === [ids.organiser, ids.courier].sort().join());
    expect(phone).toMatchObject({ cases: 0, shared: ['PHONE:0987000001'] });
    // every member the organiser's group lists is in that 2-step view
    const ring = (await ls.request('GET', '/api/networks/groups')).json().items.find((g: { keyPlayers: { id: string }[] }) => g.keyPlayers.some((p) => p.id === ids.organiser));
    const listed = ring.keyPlayers.map((p: { id: string }) => p.id);
    expect(listed).toContain(ids.courier); // in the group through the number alone
    expect(listed.filter((x: string) => !depth.has(x))).toEqual([]);
    // and from the carrier back to the organiser
    const back = (await ls.request('GET', `/api/subjects/${ids.carrier}/network?depth=2`)).json();
    expect(back.nodes.find((n: { id: string }) => n.id === ids.organiser)).toMatchObject({ depth: 2 });
  });

  it('links through a phone number only where the user sees the record holding it', async () => {
    const theirs = (await bg.request('GET', `/api/subjects/${ids.organiser}/network?depth=2`)).json();
    const seen = theirs.nodes.map((n: { id: string }) => n.id);
    expect(seen).toEqual(expect.arrayContaining([ids.courier, ids.carrier]));
    expect(seen).not.toContain(ids.contact); // holds the number only in a restricted case
    expect(seen).not.toContain(ids.secret);
  });

  it('finds the ring as a group with its organiser as the first key player, and why', async () => {
    const res = (await ls.request('GET', '/api/networks/groups')).json();
    const ring = res.items.find((g: { keyPlayers: { id: string }[] }) => g.keyPlayers.some((p) => p.id === ids.organiser));
    expect(ring.cases).toBeGreaterThanOrEqual(4);
    expect(ring.keyPlayers[0]).toMatchObject({ id: ids.organiser, name: 'Lò Văn Tổ', role: 'organiser' });
    expect(ring.keyPlayers[0].reason).toMatch(/organiser/);
    expect(res.items.some((g: { keyPlayers: { id: string }[] }) => g.keyPlayers.some((p) => p.id === ids.lone))).toBe(false);
    // the Border Guard sees the same ring without the restricted case's financier; the national viewer sees none
    const theirs = (await bg.request('GET', '/api/networks/groups')).json().items.flatMap((g: { keyPlayers: { id: string }[] }) => g.keyPlayers.map((p) => p.id));
    expect(theirs).toContain(ids.organiser);
    expect(theirs).not.toContain(ids.secret);
    expect((await viewer.request('GET', '/api/networks/groups')).json().items).toEqual([]);
  });
});
