import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { makeCase } from '../../testing/factories.js';

const ORGANISER = { kind: 'person', role: 'organiser', name: 'Lò Văn Tổ', idNumber: '011080000001', phone: '0987000001' };
const TRUCK = { kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C-111.11' };
const COURIER = { kind: 'person', role: 'accomplice', name: 'Đinh Thị Nhắn', idNumber: '011080000060', phone: '+84987000001' };
const CARRIER = { kind: 'person', role: 'transporter', name: 'Mai Văn Chở', idNumber: '011080000061', phone: '0912000010' };
const BOSS = { kind: 'person', role: 'organiser', name: 'Đào Văn Chủ', idNumber: '011080000082', phone: '0987000002' };
const VAN = { kind: 'vehicle', role: 'transporter', name: 'Xe khách', plate: '29B-222.22' };
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
    // a second, separate pair for the filters: a boss and a van in two 2026 cases, a recent courier holding
    // the boss's number; in early 2025 the van with another driver, and a caller holding the boss's number
    await post({ title: 'Vụ xe khách 1', subjects: [BOSS, VAN] });
    await post({ title: 'Vụ xe khách 2', subjects: [BOSS, VAN] });
    await post({ title: 'Vụ giao hàng mới', subjects: [{ kind: 'person', role: 'accomplice', name: 'Hà Thị Mới', idNumber: '011080000083', phone: '0987000002' }] });
    await post({ title: 'Vụ cũ', detectedOn: '2025-03-01', subjects: [VAN, { kind: 'person', role: 'driver', name: 'Lê Văn Cũ', idNumber: '011080000080' }] });
    await post({ title: 'Vụ cũ khác', detectedOn: '2025-04-01', subjects: [{ kind: 'person', role: 'other', name: 'Vũ Thị Gọi', idNumber: '011080000081', phone: '0987000002' }] });
    expect((await admin.request('POST', '/api/admin/subjects/sync')).statusCode).toBe(200);
    const find = async (q: string) => (await ls.request('GET', `/api/subjects?q=${q}`)).json().items[0].id as string;
    ids.organiser = await find(ORGANISER.idNumber);
    ids.secret = await find('011080000099');
    ids.truck = await find('12C11111');
    ids.lone = await find('011080000050');
    ids.courier = await find(COURIER.idNumber);
    ids.carrier = await find(CARRIER.idNumber);
    ids.contact = await find('011080000070');
    ids.boss = await find(BOSS.idNumber);
    ids.van = await find('29B22222');
    ids.newCourier = await find('011080000083');
    ids.oldDriver = await find('011080000080');
    ids.oldCaller = await find('011080000081');
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

  const net = async (c: Client, id: string, query: string) => {
    const res = await c.request('GET', `/api/subjects/${id}/network?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { nodes: { id: string; kind: string; depth: number; caseCount: number }[]; links: { source: string; target: string; cases: number; shared: string[] }[] };
  };
  const nodeIds = (v: { nodes: { id: string }[] }) => v.nodes.map((n) => n.id);
  const between = (v: { links: { source: string; target: string; cases: number }[] }, a: string, b: string) => v.links.find((l) => [l.source, l.target].sort().join() === [a, b].sort().join());

  it('keeps only the links made by cases detected in the period, a shared phone included', async () => {
    const all = await net(ls, ids.van!, 'depth=1');
    expect(nodeIds(all)).toEqual(expect.arrayContaining([ids.boss, ids.oldDriver]));
    // the old driver is linked to the van only by the 2025 case
    const recent = await net(ls, ids.van!, 'depth=1&from=2026-01-01');
    expect(nodeIds(recent).sort()).toEqual([ids.van, ids.boss].sort());
    expect(between(recent, ids.van!, ids.boss!)?.cases).toBe(2);
    expect(recent.nodes.find((n) => n.id === ids.van)?.caseCount).toBe(2);
    const old = await net(ls, ids.van!, 'depth=1&from=2025-01-01&to=2025-12-31');
    expect(nodeIds(old).sort()).toEqual([ids.van, ids.oldDriver].sort());
    // the caller holds the boss's number only on a 2025 case, the new courier on a 2026 one
    expect(nodeIds(await net(ls, ids.boss!, 'depth=1'))).toEqual(expect.arrayContaining([ids.oldCaller, ids.newCourier]));
    const phoneRecent = await net(ls, ids.boss!, 'depth=2&from=2026-01-01');
    expect(nodeIds(phoneRecent)).not.toContain(ids.oldCaller);
    expect(between(phoneRecent, ids.boss!, ids.newCourier!)).toMatchObject({ cases: 0, shared: ['PHONE:0987000002'] });
    // a subject with no case in the period shows alone; one the user may not see is still not found
    const alone = await net(ls, ids.van!, 'to=2024-12-31');
    expect(alone.nodes).toEqual([expect.objectContaining({ id: ids.van, kind: 'vehicle', depth: 0, caseCount: 0 })]);
    expect(alone.links).toEqual([]);
    expect((await bg.request('GET', `/api/subjects/${ids.lone}/network?to=2024-12-31`)).statusCode).toBe(404);
  });

  it('shows only the kinds asked for, and always the subject it starts from', async () => {
    // without a filter the old driver is two links from the boss, through the van
    expect(nodeIds(await net(ls, ids.boss!, 'depth=2'))).toEqual(expect.arrayContaining([ids.van, ids.oldDriver]));
    const people = await net(ls, ids.boss!, 'depth=2&kinds=person');
    expect(nodeIds(people).sort()).toEqual([ids.boss, ids.newCourier, ids.oldCaller].sort()); // nothing reached through the hidden van
    expect(people.links.every((l) => l.source !== ids.van && l.target !== ids.van)).toBe(true);
    const fromVan = await net(ls, ids.van!, 'depth=1&kinds=person,company');
    expect(fromVan.nodes.find((n) => n.id === ids.van)).toMatchObject({ kind: 'vehicle', depth: 0 });
    expect(nodeIds(fromVan)).toContain(ids.boss);
    const ring = await net(ls, ids.organiser!, 'depth=2&kinds=person');
    expect(nodeIds(ring)).not.toContain(ids.truck);
    expect(ring.nodes.every((n) => n.kind === 'person')).toBe(true);
    expect(nodeIds(await net(ls, ids.organiser!, 'depth=1&kinds=vehicle')).sort()).toEqual([ids.organiser, ids.truck].sort());
  });

  it('keeps the access rules with filters, and names the bad field', async () => {
    const theirs = await net(bg, ids.organiser!, 'depth=2&from=2026-01-01&kinds=person');
    expect(nodeIds(theirs)).toContain(ids.courier);
    expect(nodeIds(theirs)).not.toContain(ids.secret);
    expect(nodeIds(theirs)).not.toContain(ids.contact);
    expect((await bg.request('GET', `/api/subjects/${ids.van}/network?from=2026-01-01`)).statusCode).toBe(404); // not shared with the Border Guard
    expect((await viewer.request('GET', `/api/subjects/${ids.truck}/network?from=2026-01-01`)).statusCode).toBe(404);
    for (const [query, field] of [['from=2026-13-01', 'from'], ['to=01/10/2026', 'to'], ['kinds=person,boat', 'kinds'], ['kinds=', 'kinds'], ['from=2026-02-01&to=2026-01-01', 'to']]) {
      const res = await ls.request('GET', `/api/subjects/${ids.truck}/network?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.issues.map((i: { field: string }) => i.field.split('.')[0]), query).toEqual([field]);
    }
  });
});
