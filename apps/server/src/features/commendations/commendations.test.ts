import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import type { CommendationView } from '@cordon/contracts';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { makeCase } from '../../testing/factories.js';

describe.each(testEngines())('commendations on %s', (engine) => {
  let h: Harness;
  let office: Client;
  let ls: Client; // provincial coordinator, Lạng Sơn (20)
  let hp: Client; // provincial coordinator, Hải Phòng (31)
  let auditor: Client;
  let ids: Record<string, string>;

  const body = (over: Record<string, unknown> = {}) => ({
    decisionNumber: '125/QĐ-BCĐ389', decidedOn: '2026-11-10', level: 'national_committee', recipientKind: 'unit', unitId: ids['BCD389-20'],
    reason: 'Thành tích xuất sắc trong đợt cao điểm chống buôn lậu thuốc lá', ...over,
  });

  beforeAll(async () => {
    h = await createHarness(engine);
    ids = Object.fromEntries(await Promise.all(['BCD389-20', 'BCD389-31'].map(async (c) => [c, await h.unitId(c)] as const)));
    await h.makeUser({ username: 'office', roles: ['analyst'] });
    await h.makeUser({ username: 'ls', roles: ['provincial_coordinator'], unit: 'BCD389-20' });
    await h.makeUser({ username: 'hp', roles: ['provincial_coordinator'], unit: 'BCD389-31' });
    await h.makeUser({ username: 'auditor', roles: ['auditor'] });
    [office, ls, hp, auditor] = await Promise.all([h.login('office'), h.login('ls'), h.login('hp'), h.login('auditor')]);
  });
  afterAll(() => h.close());

  it('records a commendation with linked cases, audited with the write', async () => {
    const c = await ls.request('POST', '/api/cases', makeCase({ provinceCode: '20' }));
    expect(c.statusCode, c.body).toBe(201);
    const res = await office.request('POST', '/api/commendations', body({ caseIds: [c.json().id] }));
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json() as CommendationView;
    expect(v).toMatchObject({ decisionNumber: '125/QĐ-BCĐ389', level: 'national_committee', unit: { code: 'BCD389-20' }, cases: [{ id: c.json().id, code: c.json().code }], createdBy: 'office' });
    const audit = await h.db.kysely.selectFrom('audit_log').select(['action', 'actor_username']).where('entity_id', '=', v.id).execute();
    expect(audit).toEqual([{ action: 'commendation.create', actor_username: 'office' }]);
  });

  it('names the officer for an officer commendation', async () => {
    const res = await office.request('POST', '/api/commendations', body({ recipientKind: 'officer' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].field).toBe('officerName');
    const ok = await office.request('POST', '/api/commendations', body({ recipientKind: 'officer', officerName: 'Hoàng Văn Nam', officerTitle: 'Đội trưởng', decisionNumber: '126/QĐ-BCĐ389' }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ officerName: 'Hoàng Văn Nam', recipientKind: 'officer' });
  });

  it('lets a provincial coordinator record only for its own units', async () => {
    expect((await ls.request('POST', '/api/commendations', body({ level: 'provincial_committee', decisionNumber: '9/QĐ-BCĐ389-LS' }))).statusCode).toBe(201);
    expect((await ls.request('POST', '/api/commendations', body({ unitId: ids['BCD389-31'], level: 'provincial_committee', decisionNumber: '10/QĐ-BCĐ389-LS' }))).statusCode).toBe(403);
    expect((await auditor.request('GET', '/api/commendations')).statusCode).toBe(403);
  });

  it('refuses a case the recorder may not see and a decision in the future', async () => {
    const hidden = await hp.request('POST', '/api/cases', makeCase({ provinceCode: '31', sensitivity: 'restricted' }));
    let res = await ls.request('POST', '/api/commendations', body({ caseIds: [hidden.json().id], decisionNumber: '11/QĐ' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].field).toBe('caseIds.0');
    res = await office.request('POST', '/api/commendations', body({ decidedOn: '2027-01-01' }));
    expect(res.json().error.issues[0].field).toBe('decidedOn');
  });

  it('lists per unit and period, newest first', async () => {
    await office.request('POST', '/api/commendations', body({ unitId: ids['BCD389-31'], decidedOn: '2026-06-01', decisionNumber: '50/QĐ-BCĐ389' }));
    const ls20 = (await hp.request('GET', `/api/commendations?unitId=${ids['BCD389-20']}`)).json() as { items: CommendationView[] };
    expect(ls20.items.every((c) => c.unit.code === 'BCD389-20')).toBe(true);
    expect(ls20.items.length).toBe(3);
    const june = (await hp.request('GET', '/api/commendations?from=2026-06-01&to=2026-06-30')).json() as { items: CommendationView[] };
    expect(june.items.map((c) => c.decisionNumber)).toEqual(['50/QĐ-BCĐ389']);
    const page = (await hp.request('GET', '/api/commendations?limit=2')).json() as { items: CommendationView[]; nextCursor: string };
    const next = (await hp.request('GET', `/api/commendations?limit=2&cursor=${page.nextCursor}`)).json() as { items: CommendationView[] };
    expect([...page.items, ...next.items].map((c) => c.decidedOn)).toEqual(['2026-11-10', '2026-11-10', '2026-11-10', '2026-06-01']);
    // The situation report counts them in scope.
    const rep = (await ls.request('GET', '/api/reports/situation?from=2026-11-01&to=2026-11-30')).json();
    expect(rep.directives.commendations).toBe(3);
  });
});
