import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDb, createDb, restoreDb } from '@cordon/db';
import { createTestDb, testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { makeCase } from '../../testing/factories.js';
import { seedDemoCases } from '../demo/demo-cases.seed.js';
import { FIGURE_DEFINITIONS, FIGURE_KEYS } from './reports.queries.js';
import { statsDrift } from './stats-drift.testing.js';

/**
 * The figures computed straight from the cases, the way the reports counted before the monthly sums: a
 * joint case's records other than the counted one add their decisions (penalties, transfers, prosecutions),
 * not a case.
 */
async function figuresFromCases(h: Harness, from: string, to: string, groupBy?: 'province_code' | 'route') {
  const cols = FIGURE_KEYS.map((k) => {
    const d = FIGURE_DEFINITIONS[k];
    const filter = `${d.date} BETWEEN '${from}' AND '${to}'${d.where ? ` AND ${d.where}` : ''}${d.date === 'detected_on' ? ' AND counts_in_statistics' : ''}`;
    return `${d.agg === 'count' ? `count(*) FILTER (WHERE ${filter})` : `coalesce(sum(${d.agg}) FILTER (WHERE ${filter}), 0)`}::bigint AS "${k}"`;
  });
  return h.db.query<Record<string, number | string>>(`SELECT ${groupBy ? `coalesce(${groupBy}, '')` : `''`} AS key, ${cols.join(', ')} FROM cases ${groupBy ? `GROUP BY 1` : ''}`);
}

describe.each(testEngines())('monthly sums behind the situation report on %s', (engine) => {
  let h: Harness;
  let ls: Client; // Customs, Lạng Sơn
  let border: Client; // Border Guard
  let analyst: Client;
  let customsLs: string;

  const record = async (who: Client, body: Record<string, unknown>) => {
    const res = await who.request('POST', '/api/cases', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number };
  };
  const step = async (who: Client, c: { id: string; version: number }, body: Record<string, unknown>) => {
    const res = await who.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, ...body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { id: string; version: number };
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Lang Son Customs' });
    customsLs = await h.unitId('CUSTOMS-LS');
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'analyst', roles: ['analyst'], unit: 'BCD389' });
    ls = await h.login('ls.officer');
    border = await h.login('bg.officer');
    analyst = await h.login('analyst');
  });
  afterAll(() => h.close());

  it('stays exact through recording, editing, the workflow and deletion', async () => {
    let a = await record(ls, makeCase({ detectedOn: '2025-03-30', sensitivity: 'restricted' }));
    a = await step(ls, a, { to: 'handling' });
    a = await step(ls, a, { to: 'penalized', penalty: { decisionNo: '7/QĐ', decidedOn: '2025-04-02', fineVnd: 40_000_000, confiscatedValueVnd: 90_000_000, collectedVnd: 40_000_000 } });
    let b = await record(ls, makeCase({ detectedOn: '2025-04-01', provinceCode: '02', goods: [] }));
    b = await step(ls, b, { to: 'handling' });
    b = await step(ls, b, { to: 'transferred', transferredOn: '2025-04-03' });
    await step(ls, b, { to: 'prosecuted', prosecution: { prosecutedOn: '2025-05-01', defendants: 2 } });
    const c = await record(ls, makeCase({ detectedOn: '2025-04-10', route: 'SEA' }));
    const edited = await ls.request('PATCH', `/api/cases/${c.id}`, { version: c.version, detectedOn: '2025-05-20', provinceCode: '31', borderGate: null });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await statsDrift(h.db)).toEqual([]);
    // A title edit changes no figure; a deletion (cascade from an administrator's clean-up) removes them.
    await h.db.query(`UPDATE cases SET title = title || ' (sửa)' WHERE id = $1`, [a.id]);
    const gone = await record(ls, makeCase({ detectedOn: '2025-04-11' }));
    await h.db.query('DELETE FROM cases WHERE id = $1', [gone.id]);
    expect(await statsDrift(h.db)).toEqual([]);
  });

  it('stays exact when a joint case is confirmed (one record stops counting) and unlinked (it counts again)', async () => {
    const a = await record(ls, makeCase({ detectedOn: '2025-06-05' }));
    const b = await record(border, makeCase({ detectedOn: '2025-06-06', title: 'Biên phòng bắt xe tải chở thuốc lá', borderGate: null }));
    const links = (await border.request('GET', `/api/cases/${b.id}/links`)).json().items as { id: string }[];
    expect(links).toHaveLength(1);
    const before = (await figuresFromCases(h, '2025-06-01', '2025-06-30'))[0]!.cases;
    // Both sides agree to the lead; the joint case is formed when the second one does.
    for (const side of [ls, border]) {
      const res = await side.request('POST', `/api/case-links/${links[0]!.id}/confirm`, { leadUnitId: customsLs });
      expect(res.statusCode, res.body).toBe(200);
      expect(await statsDrift(h.db)).toEqual([]);
    }
    const june = (await analyst.request('GET', '/api/reports/situation?from=2025-06-01&to=2025-06-30')).json();
    expect(june.figures.cases.value).toBe(Number(before) - 1);
    expect((await ls.request('POST', `/api/cases/${a.id}/unlink`, { reason: 'Không phải cùng vụ' })).statusCode).toBe(200);
    expect(await statsDrift(h.db)).toEqual([]);
    const again = (await analyst.request('GET', '/api/reports/situation?from=2025-06-01&to=2025-06-30')).json();
    expect(again.figures.cases.value).toBe(Number(before));
  });

  it('counts a joint case once, but the decisions recorded on each of its records', async () => {
    // Customs fines its record; the coordinator-agreed lead is the Border Guard, whose record is the one counted.
    let a = await record(ls, makeCase({ detectedOn: '2025-09-10' }));
    a = await step(ls, await step(ls, a, { to: 'handling' }), { to: 'penalized', penalty: { decisionNo: '21/QĐ-HQ', decidedOn: '2025-09-12', fineVnd: 75_000_000, confiscatedValueVnd: 0, collectedVnd: 75_000_000 } });
    const b = await record(border, makeCase({ detectedOn: '2025-09-10', title: 'Biên phòng bắt xe tải chở thuốc lá', borderGate: null }));
    const sept = async () => (await analyst.request('GET', '/api/reports/situation?from=2025-09-01&to=2025-09-30')).json().figures;
    const before = await sept();
    const links = (await border.request('GET', `/api/cases/${b.id}/links`)).json().items as { id: string }[];
    for (const side of [ls, border]) expect((await side.request('POST', `/api/case-links/${links[0]!.id}/confirm`, { leadUnitId: await h.unitId('BORDER_GUARD') })).statusCode).toBe(200);
    expect((await ls.request('GET', `/api/cases/${a.id}`)).json().countsInStatistics).toBe(false);
    const after = await sept();
    expect(after.cases.value).toBe(before.cases.value - 1);
    expect([after.penalties.value, after.finesVnd.value, after.collectedVnd.value]).toEqual([before.penalties.value, before.finesVnd.value, before.collectedVnd.value]);
    expect(before.finesVnd.value).toBeGreaterThanOrEqual(75_000_000);
    expect(await statsDrift(h.db)).toEqual([]);
    const fromCases = (await figuresFromCases(h, '2025-09-01', '2025-09-30'))[0]!;
    expect([Number(fromCases.cases), Number(fromCases.finesVnd)]).toEqual([after.cases.value, after.finesVnd.value]);
  });

  it('stays exact through a file import and the demo generator', async () => {
    const header = 'Số hiệu đơn vị;Tiêu đề;Loại vi phạm;Ngày phát hiện;Tỉnh, thành phố;Nhóm hàng;Trị giá (VNĐ);Mức độ';
    const lines = ['IMP-1;Vụ đường nhập lậu 1;Buôn lậu;12/07/2025;20;SUGAR;1.000.000;Nội bộ', 'IMP-2;Vụ mỹ phẩm giả 2;COUNTERFEIT;31/07/2025;31;COSMETICS;2.000.000;Hạn chế'];
    const boundary = `----cordon${randomUUID()}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="thang7.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.from('\uFEFF' + [header, ...lines].join('\r\n') + '\r\n', 'utf8'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await ls.request('POST', '/api/cases/import', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().imported, res.body).toBe(2);
    await seedDemoCases(h.db, h.services.audit, h.services.clock, { count: 400, seed: 7, years: 2, until: '2025-12-31', batchSize: 150 });
    expect(await statsDrift(h.db)).toEqual([]);
  });

  it('gives the same figures as counting the cases, for whole months and for periods with edge days', async () => {
    for (const [from, to] of [['2025-01-01', '2025-12-31'], ['2025-04-01', '2025-06-30'], ['2025-03-30', '2025-04-02'], ['2024-02-29', '2025-07-31'], ['2025-06-06', '2025-06-06']]) {
      const compare = from === '2025-03-30' ? 'previous-period' : 'same-period';
      const report = (await analyst.request('GET', `/api/reports/situation?from=${from}&to=${to}&groupBy=province&compare=${compare}`)).json();
      const want = (await figuresFromCases(h, from!, to!))[0]!;
      const wantCompare = (await figuresFromCases(h, report.comparePeriod.from, report.comparePeriod.to))[0]!;
      for (const k of FIGURE_KEYS) {
        if (report.figures[k].suppressed) continue; // the small-cell rule; checked in reports.suppress.test.ts
        expect(report.figures[k].value, `${k} ${from}…${to}`).toBe(Number(want[k]));
        expect(report.figures[k].compareValue, `${k} compared with ${report.comparePeriod.from}…`).toBe(Number(wantCompare[k]));
      }
      const byProvince = new Map((await figuresFromCases(h, from!, to!, 'province_code')).map((r) => [r.key, r]));
      for (const row of report.breakdown.rows as { key: string; figures: Record<string, { value: number; suppressed?: string[] }> }[]) {
        if (!row.figures.cases!.suppressed) expect(row.figures.cases!.value, `${row.key} ${from}…${to}`).toBe(Number(byProvince.get(row.key)!.cases));
      }
    }
  });

  it('stays exact when custody proceeds add to the amount collected', async () => {
    const c = await record(ls, makeCase({ detectedOn: '2025-08-14' }));
    const p = await step(ls, await step(ls, c, { to: 'handling' }), { to: 'penalized', penalty: { decisionNo: '9/QĐ', decidedOn: '2025-08-20', fineVnd: 5_000_000, confiscatedValueVnd: 0, collectedVnd: 0 } });
    const officerId = (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'ls.officer').executeTakeFirstOrThrow()).id;
    const officer = (await h.services.auth.principalFor(officerId, 'session'))!;
    await h.db.kysely.transaction().execute((trx) => h.services.cases.addCollected(trx, officer, p.id, 12_500_000, { auction: 'test' }));
    expect(await statsDrift(h.db)).toEqual([]);
    const aug = (await analyst.request('GET', '/api/reports/situation?from=2025-08-16&to=2025-08-20')).json();
    const want = (await figuresFromCases(h, '2025-08-16', '2025-08-20'))[0]!;
    if (!aug.figures.collectedVnd.suppressed) expect(aug.figures.collectedVnd.value).toBe(Number(want.collectedVnd));
  });

  it('takes rows only from the case triggers, so a restore replaying the tables cannot count twice', async () => {
    const before = await h.db.query<{ m: number; d: number }>('SELECT (SELECT count(*) FROM case_stats_monthly)::int AS m, (SELECT count(*) FROM case_stats_daily)::int AS d');
    await h.db.query(`INSERT INTO case_stats_monthly (month, kind, dim, province_code, force_code, report_group, key, n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants)
      VALUES ('2025-01-01', 'detected', '', '20', 'CUSTOMS', 'smuggling', 'x', 5, 0, 0, 0, 0, 0)`);
    await h.db.query(`INSERT INTO case_stats_daily (day, kind, dim, province_code, force_code, report_group, key, n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants)
      VALUES ('2025-01-07', 'detected', '', '20', 'CUSTOMS', 'smuggling', 'x', 5, 0, 0, 0, 0, 0)`);
    expect(await h.db.query('SELECT (SELECT count(*) FROM case_stats_monthly)::int AS m, (SELECT count(*) FROM case_stats_daily)::int AS d')).toEqual(before);
    expect(await statsDrift(h.db)).toEqual([]);
  });

  it('restores a backup with sums equal to its cases, not doubled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-rollup-'));
    const target = engine === 'pglite' ? await createDb() : await createTestDb('postgres');
    try {
      await backupDb(h.db, join(dir, 'b.gz'));
      await restoreDb(target, join(dir, 'b.gz'), { replace: true });
      const sums = 'SELECT (SELECT sum(n) FROM case_stats_monthly)::int AS m, (SELECT sum(n) FROM case_stats_daily)::int AS d';
      expect(await target.query(sums)).toEqual(await h.db.query(sums));
      expect(await statsDrift(target)).toEqual([]);
    } finally {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
