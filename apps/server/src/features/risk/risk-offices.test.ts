import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { riskRng } from '@cordon/engine';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';

// Per-office scoping inside Customs: office OA → unit A, OA1 → unit A1 (below A), OB → unit B, OX → no unit.
// Every test tries to cross the rule from the wrong side.
const HEADER = ['Số tờ khai', 'Ngày', 'Chi cục', 'Mã HS', 'Trị giá', 'Vi phạm'];
const MAPPING = { id: 'Số tờ khai', date: 'Ngày', label: 'Vi phạm', office: 'Chi cục', categorical: ['Mã HS'], numeric: ['Trị giá'] };
const OFFICES = ['OA', 'OA1', 'OB', 'OX'] as const;

const rand = riskRng(17);
const ROWS = Array.from({ length: 240 }, (_, i) => {
  const hs = ['240220', '854140', '610910'][i % 3]!;
  const day = new Date(Date.UTC(2026, 9, 5) + Math.floor(i / 20) * 86_400_000).toISOString().slice(0, 10);
  return { ref: `S${String(i + 1).padStart(4, '0')}`, day, office: OFFICES[i % 4]!, hs, value: String(Math.round(1000 + rand() * 9000)), fraud: rand() < (hs === '240220' ? 0.8 : 0.1) ? '1' : '0' };
});
const refsOf = (office: string) => ROWS.filter((r) => r.office === office).map((r) => r.ref);

function multipart(bytes: Buffer, fields: Record<string, string>) {
  const boundary = `----cordon${randomUUID()}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\nContent-Type: text/csv\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(testEngines())('declaration risk scoped by office on %s', (engine) => {
  let h: Harness;
  let hq: Client; // risk_analyst at the Customs root
  let analystA: Client; // risk_analyst of unit A
  let officerA: Client; // officer of unit A (sees A and A1)
  let officerA1: Client; // officer of unit A1 (below A)
  let officerB: Client; // officer of unit B
  let mappingId: string;
  const units: Record<string, string> = {};
  const declId = new Map<string, string>();
  const firstOf = (office: string) => declId.get(refsOf(office)[0]!)!;

  beforeAll(async () => {
    h = await createHarness(engine);
    const customs = await h.unitId('CUSTOMS');
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: customs } as Principal;
    const mk = (code: string, parentId: string, nameVi: string) => h.services.org.create(seed, { code, kind: 'unit', parentId, forceCode: 'CUSTOMS', provinceCode: '20', nameVi, nameEn: nameVi });
    units.A = (await mk('CUSTOMS-A', customs, 'Hải quan A')).id;
    units.A1 = (await mk('CUSTOMS-A1', units.A, 'Chi cục A1')).id;
    units.B = (await mk('CUSTOMS-B', customs, 'Hải quan B')).id;
    await h.makeUser({ username: 'risk.hq', roles: ['risk_analyst'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'risk.a', roles: ['risk_analyst'], unit: 'CUSTOMS-A' });
    await h.makeUser({ username: 'officer.a', roles: ['officer'], unit: 'CUSTOMS-A' });
    await h.makeUser({ username: 'officer.a1', roles: ['officer'], unit: 'CUSTOMS-A1' });
    await h.makeUser({ username: 'officer.b', roles: ['officer'], unit: 'CUSTOMS-B' });
    [hq, analystA, officerA, officerA1, officerB] = (await Promise.all(['risk.hq', 'risk.a', 'officer.a', 'officer.a1', 'officer.b'].map((u) => h.login(u)))) as [Client, Client, Client, Client, Client];

    mappingId = (await hq.request('POST', '/api/risk/mappings', { name: 'Theo chi cục', mapping: MAPPING })).json().id;
    const csv = Buffer.from([HEADER, ...ROWS.map((r) => [r.ref, r.day, r.office, r.hs, r.value, r.fraud])].map((l) => l.join(',')).join('\n'));
    const m = multipart(csv, { mappingId, mode: 'partial' });
    expect((await hq.request('POST', '/api/risk/import', m.body, m.headers)).json()).toMatchObject({ imported: 240, rejected: 0 });
    await hq.request('POST', '/api/risk/models/train', { mappingId, params: { numRounds: 10, seed: 1 } });
    await h.services.risk.idle();
    const model = (await hq.request('GET', `/api/risk/models?mappingId=${mappingId}`)).json().items[0];
    expect((await hq.request('POST', `/api/risk/models/${model.id}/promote`, { version: model.version })).statusCode).toBe(200);
    expect((await hq.request('POST', '/api/risk/score', { mappingId, pending: true, seed: 1 })).json().results).toHaveLength(240);
    for (const r of (await h.db.query<{ id: string; ref: string }>('SELECT id, ref FROM risk_declarations'))) declId.set(r.ref, r.id);
  }, 300_000); // imports, trains (worker thread) and scores: slow on a loaded 2-core machine
  afterAll(async () => {
    await h.services.risk.idle();
    await h.close();
  });

  it('lets a root-level risk analyst assign offices to Customs units, refusing bad input by field, and audits each change', async () => {
    const bad = await hq.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OA', unitId: await h.unitId('BORDER_GUARD') }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'assignments.0.unitId' });
    const twice = await hq.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OA', unitId: units.A }, { office: 'OA', unitId: units.B }] });
    expect(twice.json().error.issues[0]).toMatchObject({ field: 'assignments.1.office', reason: 'not_unique' });
    expect((await officerA.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OA', unitId: units.A }] })).statusCode).toBe(403);

    const res = await hq.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OA', unitId: units.A }, { office: 'OA1', unitId: units.A1 }, { office: 'OB', unitId: units.B }] });
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list.seesAll).toBe(true);
    expect(list.items.map((o: { office: string; declarations: number; unit: { code: string } | null }) => [o.office, o.declarations, o.unit?.code ?? null]).sort()).toEqual([
      ['OA', 60, 'CUSTOMS-A'], ['OA1', 60, 'CUSTOMS-A1'], ['OB', 60, 'CUSTOMS-B'], ['OX', 60, null],
    ]);
    const events = await h.db.query<{ detail: { changes: { office: string; to: string }[] } }>(`SELECT detail FROM audit_log WHERE action = 'risk.office.assign'`);
    expect(events).toHaveLength(1);
    expect(events[0]!.detail.changes.map((c) => c.office).sort()).toEqual(['OA', 'OA1', 'OB']);

    const noOffice = (await hq.request('POST', '/api/risk/mappings', { name: 'Không chi cục', mapping: { ...MAPPING, office: null } })).json().id;
    const none = await hq.request('PUT', '/api/risk/offices', { mappingId: noOffice, assignments: [{ office: 'OA', unitId: units.A }] });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.issues[0]).toMatchObject({ field: 'mappingId' });
  });

  it('lets a risk analyst below the root move only their own offices, to their own units', async () => {
    expect((await analystA.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OB', unitId: units.A }] })).statusCode).toBe(403);
    expect((await analystA.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OX', unitId: units.A }] })).statusCode).toBe(403);
    expect((await analystA.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OA', unitId: units.B }] })).statusCode).toBe(403);
    const moved = await analystA.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OA1', unitId: units.A }] });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().seesAll).toBe(false);
    expect(moved.json().items.map((o: { office: string }) => o.office).sort()).toEqual(['OA', 'OA1']);
    await analystA.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OA1', unitId: units.A1 }] });
  });

  it('lists only the offices of the caller\'s units, and says who sees unassigned offices', async () => {
    const b = (await officerB.request('GET', `/api/risk/offices?mappingId=${mappingId}`)).json();
    expect(b).toMatchObject({ seesAll: false, canAssign: false });
    expect(b.items.map((o: { office: string }) => o.office)).toEqual(['OB']);
    const a = (await officerA.request('GET', `/api/risk/offices?mappingId=${mappingId}`)).json();
    expect(a.items.map((o: { office: string }) => o.office).sort()).toEqual(['OA', 'OA1']);
  });

  it('answers 404 for a declaration of another unit\'s office or of an unassigned office, on reading and on recording an outcome', async () => {
    expect((await officerB.request('GET', `/api/risk/declarations/${firstOf('OA')}`)).statusCode).toBe(404);
    expect((await officerB.request('GET', `/api/risk/declarations/${firstOf('OB')}`)).statusCode).toBe(200);
    expect((await officerA.request('GET', `/api/risk/declarations/${firstOf('OA1')}`)).statusCode).toBe(200); // a unit below A
    expect((await officerA1.request('GET', `/api/risk/declarations/${firstOf('OA')}`)).statusCode).toBe(404); // A is above A1
    expect((await officerA.request('GET', `/api/risk/declarations/${firstOf('OX')}`)).statusCode).toBe(404);
    expect((await hq.request('GET', `/api/risk/declarations/${firstOf('OX')}`)).statusCode).toBe(200);

    const cross = await officerB.request('PUT', `/api/risk/declarations/${firstOf('OA')}/outcome`, { found: true, version: 1 });
    expect(cross.statusCode).toBe(404);
    const [{ version }] = (await h.db.query<{ version: number }>('SELECT version FROM risk_outcomes WHERE declaration_id = $1', [firstOf('OA')])) as [{ version: number }];
    expect(version).toBe(1);
    const bulk = (await officerB.request('POST', '/api/risk/outcomes', { mappingId, outcomes: [{ ref: refsOf('OA')[1]!, found: true }, { ref: refsOf('OB')[1]!, found: true }] })).json();
    expect(bulk).toMatchObject({ recorded: 1, rejected: 1 });
    expect(bulk.problems[0]).toMatchObject({ line: 1, field: 'ref', reason: 'not_found' });
  });

  it('lists and counts only the declarations of the caller\'s offices', async () => {
    const b = (await officerB.request('GET', `/api/risk/declarations?mappingId=${mappingId}&limit=200`)).json();
    expect(b.total).toBe(60);
    expect(new Set(b.items.map((d: { office: string }) => d.office))).toEqual(new Set(['OB']));
    expect((await officerA.request('GET', `/api/risk/declarations?mappingId=${mappingId}&limit=1`)).json().total).toBe(120);
    expect((await officerA.request('GET', `/api/risk/declarations?mappingId=${mappingId}&ref=${refsOf('OB')[0]}`)).json().total).toBe(0);
    expect((await hq.request('GET', `/api/risk/declarations?mappingId=${mappingId}&limit=1`)).json().total).toBe(240);
    const mine = (await officerB.request('GET', '/api/risk/mappings')).json().items.find((m: { id: string }) => m.id === mappingId);
    expect(mine.declarations).toBe(60);
  });

  it('counts hit rates, drift and rule firings over the caller\'s offices only', async () => {
    const rates = (await officerB.request('GET', `/api/risk/hit-rates?mappingId=${mappingId}&periods=12`)).json();
    expect(rates.series.filter((s: { by: string }) => s.by === 'office').map((s: { key: string }) => s.key)).toEqual(['OB']);
    const scoredB = rates.series.filter((s: { by: string }) => s.by === 'channel').reduce((n: number, s: { total: { scored: number } }) => n + s.total.scored, 0);
    expect(scoredB).toBe(60);
    const all = (await hq.request('GET', `/api/risk/hit-rates?mappingId=${mappingId}&periods=12`)).json();
    expect(all.series.filter((s: { by: string }) => s.by === 'office').map((s: { key: string }) => s.key).sort()).toEqual([...OFFICES]);

    const drift = (await officerB.request('GET', `/api/risk/drift?mappingId=${mappingId}&days=30`)).json();
    expect(drift.channels.reduce((n: number, c: { scored: number }) => n + c.scored, 0)).toBe(60);
    expect(drift.recent.n).toBe(60);

    await hq.request('POST', '/api/risk/rules', { mappingId, code: 'cig', conditions: [{ column: 'Mã HS', op: 'eq', value: '240220' }], channel: 'red' });
    h.clock.advance(60_000); // the new scores are the latest ones (the test clock stands still otherwise)
    await hq.request('POST', '/api/risk/score', { mappingId, refs: ROWS.map((r) => r.ref), seed: 2 });
    const rule = (await officerB.request('GET', `/api/risk/rules?mappingId=${mappingId}`)).json().items.find((r: { code: string }) => r.code === 'cig');
    expect(rule.stats.fired).toBe(ROWS.filter((r) => r.office === 'OB' && r.hs === '240220').length);
    // Trying conditions on stored declarations reads only the caller's offices too.
    const trial = (await officerB.request('POST', '/api/risk/rules/backtest', { mappingId, conditions: [{ column: 'Mã HS', op: 'eq', value: '240220' }] })).json();
    expect(trial).toMatchObject({ considered: ROWS.filter((r) => r.office === 'OB').length, matched: ROWS.filter((r) => r.office === 'OB' && r.hs === '240220').length });
  });

  it('lets a risk analyst below the root score only declarations of their offices', async () => {
    expect((await analystA.request('POST', '/api/risk/score', { mappingId, pending: true })).statusCode).toBe(403);
    const other = await analystA.request('POST', '/api/risk/score', { mappingId, refs: [refsOf('OA')[0], refsOf('OB')[0]] });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.issues).toEqual([expect.objectContaining({ field: 'refs.1', reason: 'not_found' })]);
    const row = { 'Số tờ khai': 'NEW-1', 'Ngày': '2026-11-20', 'Chi cục': 'OB', 'Mã HS': '240220', 'Trị giá': 5000 };
    const rowRes = await analystA.request('POST', '/api/risk/score', { mappingId, rows: [row], allocate: 'threshold' });
    expect(rowRes.statusCode).toBe(400);
    expect(rowRes.json().error.issues[0]).toMatchObject({ field: 'rows.0.Chi cục' });
    const own = await analystA.request('POST', '/api/risk/score', { mappingId, rows: [{ ...row, 'Chi cục': 'OA1' }], allocate: 'threshold' });
    expect(own.statusCode).toBe(200);
    expect((await officerA1.request('GET', `/api/risk/declarations/${own.json().results[0].declarationId}`)).statusCode).toBe(200);
  });

  it('scores with a reassignment made in this process at once (the cached office map is dropped)', async () => {
    const row = { 'Số tờ khai': 'NEW-2', 'Ngày': '2026-11-20', 'Chi cục': 'OB', 'Mã HS': '240220', 'Trị giá': 5000 };
    expect((await analystA.request('POST', '/api/risk/score', { mappingId, rows: [row], allocate: 'threshold' })).statusCode).toBe(400);
    await hq.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OB', unitId: units.A }] });
    expect((await analystA.request('POST', '/api/risk/score', { mappingId, rows: [row], allocate: 'threshold' })).statusCode).toBe(200);
    await hq.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'OB', unitId: units.B }] });
    expect((await analystA.request('POST', '/api/risk/score', { mappingId, rows: [{ ...row, 'Số tờ khai': 'NEW-3' }], allocate: 'threshold' })).statusCode).toBe(400);
  });

  it('imports assignments from a CSV file: every bad line named with its number, nothing written unless asked for the good lines', async () => {
    const assigned = async () => Object.fromEntries((await h.db.query<{ office_code: string; code: string }>(
      'SELECT u.office_code, o.code FROM risk_office_units u JOIN org_units o ON o.id = u.unit_id WHERE u.mapping_id = $1', [mappingId])).map((r) => [r.office_code, r.code]));
    const before = await assigned();
    const events = async () => (await h.db.query(`SELECT 1 FROM audit_log WHERE action = 'risk.office.assign'`)).length;
    const eventsBefore = await events();
    const csv = ['Mã chi cục;Mã đơn vị', 'OX;customs-a1', 'O X;CUSTOMS-A', 'OZ;CUSTOMS-NOPE', 'OX;CUSTOMS-B', 'ON;BORDER_GUARD', '', 'OB;', 'OA;CUSTOMS-B;extra'].join('\r\n');
    const strict = await hq.request('POST', '/api/risk/offices/import', { mappingId, csv });
    expect(strict.statusCode).toBe(200);
    const report = strict.json();
    expect(report).toMatchObject({ mode: 'all_or_nothing', lines: 7, applied: 0, changed: 0 });
    expect(report.problems.map((x: { line: number; field: string; reason: string }) => [x.line, x.field, x.reason])).toEqual([
      [3, 'office', 'invalid_format'], [4, 'unit', 'not_found'], [5, 'office', 'not_unique'], [6, 'unit', 'invalid_value'], [9, '', 'invalid_format'],
    ]);
    expect(report.problems[2].message).toContain('line 2');
    expect(await assigned()).toEqual(before);
    expect(await events()).toBe(eventsBefore);

    const partial = (await hq.request('POST', '/api/risk/offices/import', { mappingId, csv, mode: 'partial' })).json();
    expect(partial).toMatchObject({ lines: 7, applied: 2, changed: 2 });
    expect(partial.problems).toHaveLength(5);
    const { OB: _removed, ...rest } = before;
    expect(await assigned()).toEqual({ ...rest, OX: 'CUSTOMS-A1' }); // unit codes are matched without regard to case; an empty unit removes it
    expect(await events()).toBe(eventsBefore + 1);

    // Below the root: only the caller's offices, to the caller's units; each other line is named.
    const scoped = (await analystA.request('POST', '/api/risk/offices/import', { mappingId, csv: 'OA,CUSTOMS-A1\nOX,CUSTOMS-B\nOQ,CUSTOMS-A' })).json();
    expect(scoped.problems.map((x: { line: number; field: string; reason: string }) => [x.line, x.field, x.reason])).toEqual([[2, 'unit', 'forbidden'], [3, 'office', 'forbidden']]);
    expect((await officerA.request('POST', '/api/risk/offices/import', { mappingId, csv: 'OA,CUSTOMS-A' })).statusCode).toBe(403);
    const empty = await hq.request('POST', '/api/risk/offices/import', { mappingId, csv: 'office,unit\n' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.issues[0]).toMatchObject({ field: 'csv', reason: 'empty' });
  });
});
