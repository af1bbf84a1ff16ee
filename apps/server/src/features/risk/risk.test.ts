import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testEngines } from '@cordon/db/testing';
import { riskRng } from '@cordon/engine';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';

// A small customs dataset with Vietnamese column names and a planted signal: cigarettes (HS 240220)
// from origin "XX" are nearly always found, importer I7 often, the rest rarely.
const HEADER = ['Số tờ khai', 'Ngày', 'Chi cục', 'Mã HS', 'Xuất xứ', 'Doanh nghiệp', 'Trị giá', 'Khối lượng', 'Vi phạm', 'Số thu'];
const MAPPING = {
  id: 'Số tờ khai', date: 'Ngày', label: 'Vi phạm', revenue: 'Số thu', office: 'Chi cục',
  categorical: ['Mã HS', 'Xuất xứ', 'Doanh nghiệp'], numeric: ['Trị giá', 'Khối lượng'], dateFormat: 'dd/MM/yyyy',
};
const HS = ['240220', '854140', '610910', '940360', '300490'];
const ORIGIN = ['CN', 'KR', 'US', 'TH', 'XX'];

interface Decl { ref: string; day: string; office: string; hs: string; origin: string; importer: string; value: number; mass: number; fraud: 0 | 1; revenue: number }

function makeDeclarations(n: number, seed: number, prefix = 'TK', startDay = Date.UTC(2026, 0, 1)): Decl[] {
  const rand = riskRng(seed);
  const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const hs = pick(HS);
    const origin = pick(ORIGIN);
    const importer = `I${1 + Math.floor(rand() * 30)}`;
    const p = hs === '240220' && origin === 'XX' ? 0.9 : importer === 'I7' ? 0.6 : 0.05;
    const fraud = rand() < p ? 1 : 0;
    const d = new Date(startDay + Math.floor(i / 20) * 86_400_000);
    return {
      ref: `${prefix}${String(i + 1).padStart(6, '0')}`, day: `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`,
      office: pick(['HQ01', 'HQ02']), hs, origin, importer, value: Math.round(1000 + rand() * 50_000), mass: Math.round(rand() * 900) / 10, fraud: fraud as 0 | 1, revenue: fraud ? 5_000_000 : 0,
    };
  });
}
const cells = (d: Decl) => [d.ref, d.day, d.office, d.hs, d.origin, d.importer, String(d.value), String(d.mass), String(d.fraud), String(d.revenue)];
const csvOf = (lines: string[][], header = HEADER) => Buffer.from('\uFEFF' + [header, ...lines].map((l) => l.join(',')).join('\r\n') + '\r\n', 'utf8');
/** A declaration as POST /api/risk/score takes it: { column: value }, no outcome. */
const scoreRow = (d: Decl) => ({ 'Số tờ khai': d.ref, 'Ngày': d.day, 'Chi cục': d.office, 'Mã HS': d.hs, 'Xuất xứ': d.origin, 'Doanh nghiệp': d.importer, 'Trị giá': d.value, 'Khối lượng': d.mass });

function multipart(file: { name: string; bytes: Buffer }, fields: Record<string, string>) {
  const boundary = `----cordon${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(testEngines())('declaration risk on %s', (engine) => {
  let h: Harness;
  let analyst: Client; // risk_analyst, Customs HQ
  let officer: Client; // officer, Customs Lạng Sơn (below Customs)
  let border: Client; // risk_analyst role, but Border Guard
  let nationalAdmin: Client; // admin of the national office (not Customs)
  let customsViewer: Client; // Customs, but only the viewer role
  let mappingId: string;
  const history = makeDeclarations(800, 7);

  const importFile = (c: Client, name: string, bytes: Buffer, fields: Record<string, string>) => {
    const m = multipart({ name, bytes }, fields);
    return c.request('POST', '/api/risk/import', m.body, m.headers);
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Lang Son Customs' });
    await h.makeUser({ username: 'risk.hq', roles: ['risk_analyst'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'officer.ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'risk.bg', roles: ['risk_analyst', 'officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'root', roles: ['admin'] });
    await h.makeUser({ username: 'viewer.hq', roles: ['viewer'], unit: 'CUSTOMS' });
    [analyst, officer, border, nationalAdmin, customsViewer] = (await Promise.all(['risk.hq', 'officer.ls', 'risk.bg', 'root', 'viewer.hq'].map((u) => h.login(u)))) as [Client, Client, Client, Client, Client];
    const res = await analyst.request('POST', '/api/risk/mappings', { name: 'KCS-like', mapping: MAPPING });
    expect(res.statusCode).toBe(201);
    mappingId = res.json().id;
    // The officer works below the Customs root: both offices of this data are assigned to their unit (risk-offices.test.ts tries to cross it).
    const ls = await h.unitId('CUSTOMS-LS');
    expect((await analyst.request('PUT', '/api/risk/offices', { mappingId, assignments: [{ office: 'HQ01', unitId: ls }, { office: 'HQ02', unitId: ls }] })).statusCode).toBe(200);
  }, 180_000); // five logins and a harness: over a minute on a loaded 2-core machine
  afterAll(async () => {
    await h.services.risk.idle();
    await h.close();
  });

  it('refuses a mapping with an unknown key or a column used twice, naming the problem', async () => {
    const bad = await analyst.request('POST', '/api/risk/mappings', { name: 'bad', mapping: { ...MAPPING, categorical: ['Mã HS', 'Mã HS'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('"Mã HS" is listed twice');
    const unknown = await analyst.request('POST', '/api/risk/mappings', { name: 'bad2', mapping: { ...MAPPING, lable: 'x' } });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().error.issues)).toContain('lable');
  });

  it('imports declarations with their outcomes, reporting each bad row by line and column, and skips known ids on a second run', async () => {
    const rows = history.map(cells);
    rows.splice(3, 0, ['BAD-DATE', '31/02/2026', 'HQ01', '240220', 'CN', 'I1', '100', '1', '0', '0']);
    rows.splice(5, 0, ['BAD-NUM', '05/01/2026', 'HQ01', '240220', 'CN', 'I1', '12a', '1', '0', '0']);
    rows.splice(7, 0, ['', '05/01/2026', 'HQ01', '240220', 'CN', 'I1', '100', '1', '0', '0']);
    rows.splice(9, 0, [history[0]!.ref, '05/01/2026', 'HQ01', '240220', 'CN', 'I1', '100', '1', '0', '0']);
    const res = await importFile(analyst, 'lich-su.csv', csvOf(rows), { mappingId, mode: 'partial' });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ totalRows: 804, imported: 800, duplicates: 0, outcomes: 800, rejected: 4 });
    expect(report.problems.map((p: { line: number; field: string; reason: string }) => [p.line, p.field, p.reason])).toEqual([
      [5, 'Ngày', 'invalid_format'],
      [7, 'Trị giá', 'invalid_value'],
      [9, 'Số tờ khai', 'required'],
      [11, 'Số tờ khai', 'not_unique'],
    ]);
    const errors = await analyst.request('GET', report.errorReportUrl);
    expect(errors.body).toContain('5,Ngày,invalid_format');

    const again = (await importFile(analyst, 'lich-su.csv', csvOf(history.map(cells)), { mappingId, mode: 'partial' })).json();
    expect(again).toMatchObject({ totalRows: 800, imported: 0, duplicates: 800, outcomes: 0, rejected: 0 });
    const list = (await analyst.request('GET', `/api/risk/declarations?mappingId=${mappingId}&limit=1`)).json();
    expect(list.total).toBe(800);
  });

  it('tries draft rule conditions on the stored declarations before any rule exists: selected, inspected, found', async () => {
    const conditions = [{ column: 'Mã HS', op: 'prefix', value: '2402' }, { column: 'Xuất xứ', op: 'eq', value: 'XX' }];
    const res = await analyst.request('POST', '/api/risk/rules/backtest', { mappingId, conditions });
    expect(res.statusCode).toBe(200);
    const hit = history.filter((d) => d.hs.startsWith('2402') && d.origin === 'XX');
    const found = hit.filter((d) => d.fraud === 1).length;
    const trial = res.json();
    expect(trial).toMatchObject({ considered: 800, from: '2026-01-01', to: '2026-02-09', matched: hit.length, inspected: hit.length, found });
    expect(trial.hitRate).toBeCloseTo(found / hit.length, 10);
    expect(trial.baseHitRate).toBeCloseTo(history.filter((d) => d.fraud === 1).length / 800, 10);
    // Validity dates count: nothing declared in 2025.
    expect((await analyst.request('POST', '/api/risk/rules/backtest', { mappingId, conditions, validTo: '2025-12-31' })).json()).toMatchObject({ considered: 800, matched: 0, hitRate: null });
    // Nothing was saved, and a column the mapping does not have is named.
    expect((await analyst.request('GET', `/api/risk/rules?mappingId=${mappingId}`)).json().items).toHaveLength(0);
    const bad = await analyst.request('POST', '/api/risk/rules/backtest', { mappingId, conditions: [{ column: 'Không có', op: 'eq', value: '1' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'conditions', reason: 'invalid_value' });
    expect((await border.request('POST', '/api/risk/rules/backtest', { mappingId, conditions })).statusCode).toBe(403);
  });

  it('imports nothing from an all-or-nothing file with one bad row, and names a missing column', async () => {
    const fresh = makeDeclarations(5, 99, 'AON');
    const rows = fresh.map(cells);
    rows[2]![6] = 'abc';
    const res = (await importFile(analyst, 'aon.csv', csvOf(rows), { mappingId, mode: 'all_or_nothing' })).json();
    expect(res).toMatchObject({ totalRows: 5, imported: 0, rejected: 1 });
    expect((await analyst.request('GET', `/api/risk/declarations?mappingId=${mappingId}&ref=AON`)).json().total).toBe(0);

    const noMass = await importFile(analyst, 'thieu-cot.csv', csvOf(fresh.map((d) => cells(d).slice(0, 7)), HEADER.slice(0, 7)), { mappingId, mode: 'partial' });
    expect(noMass.statusCode).toBe(400);
    expect(noMass.json().error.issues[0]).toMatchObject({ field: 'Khối lượng', reason: 'missing_column' });
  });

  it('reads XLSX files, date cells included', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Tờ khai');
    ws.addRow(HEADER);
    ws.addRow(['X-1', new Date(Date.UTC(2026, 1, 20)), 'HQ02', '854140', 'KR', 'I3', 1200, 3.5, 0, 0]);
    ws.addRow(['X-2', new Date(Date.UTC(2026, 1, 21)), 'HQ02', '240220', 'XX', 'I9', 800, 1.2, 1, 7000000]);
    const res = (await importFile(analyst, 'to-khai.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), { mappingId, mode: 'partial' })).json();
    expect(res).toMatchObject({ totalRows: 2, imported: 2, outcomes: 2, rejected: 0 });
    const x2 = (await analyst.request('GET', `/api/risk/declarations?mappingId=${mappingId}&ref=X-2`)).json().items[0];
    expect(x2).toMatchObject({ ref: 'X-2', declaredOn: '2026-02-21', office: 'HQ02', outcome: { found: true, revenueVnd: 7_000_000 } });
    expect(x2.fields['Ngày']).toBe('21/02/2026');
    expect(Object.keys(x2.fields)).toEqual(['Số tờ khai', 'Ngày', 'Chi cục', 'Vi phạm', 'Số thu', 'Mã HS', 'Xuất xứ', 'Doanh nghiệp', 'Trị giá', 'Khối lượng']);
  });

  it('keeps declarations from every force but Customs, whatever their roles, and gates each action by role', async () => {
    for (const c of [border, nationalAdmin]) {
      for (const url of ['/api/risk/mappings', `/api/risk/declarations?mappingId=${mappingId}`, `/api/risk/models?mappingId=${mappingId}`, `/api/risk/rules?mappingId=${mappingId}`, `/api/risk/drift?mappingId=${mappingId}`]) {
        const res = await c.request('GET', url);
        expect(res.statusCode, url).toBe(403);
        expect(res.json().error.message).toContain('Customs');
      }
      expect((await c.request('POST', '/api/risk/score', { mappingId, refs: [history[0]!.ref] })).statusCode).toBe(403);
      expect((await importFile(c, 'x.csv', csvOf([]), { mappingId })).statusCode).toBe(403);
    }
    const some = (await analyst.request('GET', `/api/risk/declarations?mappingId=${mappingId}&limit=1`)).json().items[0];
    expect((await border.request('GET', `/api/risk/declarations/${some.id}`)).statusCode).toBe(403);
    expect((await border.request('PUT', `/api/risk/declarations/${some.id}/outcome`, { found: true })).statusCode).toBe(403);
    // Inside Customs, the viewer role reads nothing; the officer reads and records outcomes but does not import, train, score or write rules.
    expect((await customsViewer.request('GET', '/api/risk/mappings')).statusCode).toBe(403);
    expect((await officer.request('GET', `/api/risk/declarations/${some.id}`)).statusCode).toBe(200);
    expect((await importFile(officer, 'x.csv', csvOf([]), { mappingId })).statusCode).toBe(403);
    expect((await officer.request('POST', '/api/risk/models/train', { mappingId })).statusCode).toBe(403);
    expect((await officer.request('POST', '/api/risk/rules', { mappingId, code: 'x', conditions: [{ column: 'Mã HS', op: 'eq', value: '1' }], channel: 'red' })).statusCode).toBe(403);
    expect((await officer.request('POST', '/api/risk/score', { mappingId, refs: [some.ref] })).statusCode).toBe(403);
    const denials = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied'`);
    expect(denials[0]!.n).toBeGreaterThan(10);
  });

  it('records outcomes one by one (a correction needs the version) and in bulk, reporting unknown ids', async () => {
    const d = (await analyst.request('GET', `/api/risk/declarations?mappingId=${mappingId}&ref=X-1`)).json().items[0];
    expect(d.outcome).toMatchObject({ found: false, version: 1 });
    const blind = await officer.request('PUT', `/api/risk/declarations/${d.id}/outcome`, { found: true });
    expect(blind.statusCode).toBe(409);
    const fixed = await officer.request('PUT', `/api/risk/declarations/${d.id}/outcome`, { found: true, violationType: 'undervaluation', revenueVnd: 12_000_000, inspectedOn: '2026-02-22', version: 1 });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ found: true, violationType: 'undervaluation', revenueVnd: 12_000_000, version: 2 });
    expect((await officer.request('PUT', `/api/risk/declarations/${d.id}/outcome`, { found: false, version: 1 })).statusCode).toBe(409);

    const bulk = (await officer.request('POST', '/api/risk/outcomes', { mappingId, outcomes: [{ ref: 'X-1', found: false }, { ref: 'NOPE', found: true }, { ref: 'X-1', found: true }] })).json();
    expect(bulk).toMatchObject({ recorded: 1, rejected: 2 });
    expect(bulk.problems.map((p: { line: number; reason: string }) => [p.line, p.reason])).toEqual([[2, 'not_found'], [3, 'not_unique']]);
    const after = (await analyst.request('GET', `/api/risk/declarations/${d.id}`)).json();
    expect(after.outcome).toMatchObject({ found: false, version: 3 });
    const aon = (await officer.request('POST', '/api/risk/outcomes', { mappingId, mode: 'all_or_nothing', outcomes: [{ ref: 'X-1', found: true }, { ref: 'NOPE', found: true }] })).json();
    expect(aon).toMatchObject({ recorded: 0, rejected: 1 });
  });

  let firstModel: { id: string; version: number };

  it('trains a model off the request thread, versioned with its window and metrics; only Customs risk analysts promote it', async () => {
    expect((await analyst.request('POST', '/api/risk/score', { mappingId, refs: [history[0]!.ref] })).statusCode).toBe(409); // no active model yet
    const started = await analyst.request('POST', '/api/risk/models/train', { mappingId, params: { numRounds: 60, seed: 3 } });
    expect(started.statusCode).toBe(202);
    expect(['queued', 'running']).toContain(started.json().status);
    await h.services.risk.idle();
    const job = (await analyst.request('GET', `/api/risk/jobs/${started.json().id}`)).json();
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    const { items } = (await analyst.request('GET', `/api/risk/models?mappingId=${mappingId}`)).json();
    expect(items).toHaveLength(1);
    const m = items[0];
    // 40 days of history (+ 2 XLSX days): the last fifth of the days validates.
    expect(m).toMatchObject({ id: job.modelId, seq: 1, status: 'candidate', trainFrom: '2026-01-01', trainedBy: 'risk.hq', promotedBy: null });
    expect(m.trainRows + m.validRows).toBe(802);
    expect(m.validFrom > m.trainTo).toBe(true);
    expect(m.metrics.at.map((a: { percent: number }) => a.percent)).toEqual([1, 2, 5, 10]);
    // The planted signal is strong: the top 5% of the validation window is mostly fraud.
    expect(m.metrics.at[2].precision).toBeGreaterThan(m.metrics.baseRate * 2);

    expect((await officer.request('POST', `/api/risk/models/${m.id}/promote`, { version: m.version })).statusCode).toBe(403);
    expect((await border.request('POST', `/api/risk/models/${m.id}/promote`, { version: m.version })).statusCode).toBe(403);
    const promoted = await analyst.request('POST', `/api/risk/models/${m.id}/promote`, { version: m.version });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ status: 'active', promotedBy: 'risk.hq' });
    firstModel = promoted.json();
    expect((await analyst.request('POST', `/api/risk/models/${m.id}/promote`, { version: m.version })).statusCode).toBe(409); // stale version
  });

  it('records a failed training with its reason', async () => {
    const job = (await analyst.request('POST', '/api/risk/models/train', { mappingId, trainFrom: '2030-01-01' })).json();
    await h.services.risk.idle();
    const done = (await analyst.request('GET', `/api/risk/jobs/${job.id}`)).json();
    expect(done.status).toBe('failed');
    expect(done.error).toContain('at least 50');
  });

  it('refuses hand-picked derived features that name a column the mapping does not have, before queuing a job', async () => {
    const bad = await analyst.request('POST', '/api/risk/models/train', { mappingId, params: { pairs: [['Mã HS', 'Xuất xứ'], ['Mã HS', 'Trị giá']] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'params.pairs.1.1' });
    expect(bad.json().error.message).toContain('"Trị giá" is not a categorical column');
    const ratio = await analyst.request('POST', '/api/risk/models/train', { mappingId, params: { ratios: [['Trị giá', 'Số thu']] } });
    expect(ratio.json().error.issues[0]).toMatchObject({ field: 'params.ratios.0.1' });
  });

  let cigaretteRule: string;

  it('keeps rules as data: an active rule forces its channel, a shadow rule is reported but changes nothing', async () => {
    const bad = await analyst.request('POST', '/api/risk/rules', { mappingId, code: 'bad', conditions: [{ column: 'Không có', op: 'eq', value: '1' }], channel: 'red' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'conditions' });
    expect(bad.json().error.message).toContain('Không có');
    const both = await analyst.request('POST', '/api/risk/rules', { mappingId, code: 'both', conditions: [{ column: 'Mã HS', op: 'eq', value: '1' }], channel: 'red', weight: 1 });
    expect(both.statusCode).toBe(400);

    const forced = await analyst.request('POST', '/api/risk/rules', { mappingId, code: 'importer-I3', description: 'Doanh nghiệp I3 bị cảnh báo', conditions: [{ column: 'Doanh nghiệp', op: 'eq', value: 'I3' }], channel: 'red', mode: 'active' });
    expect(forced.statusCode).toBe(201);
    const shadow = await analyst.request('POST', '/api/risk/rules', { mappingId, code: 'cigarettes', conditions: [{ column: 'Mã HS', op: 'prefix', value: '2402' }], channel: 'red' });
    expect(shadow.json()).toMatchObject({ mode: 'shadow', channel: 'red', version: 1 });
    cigaretteRule = shadow.json().id;
    await analyst.request('POST', '/api/risk/rules', { mappingId, code: 'heavy', conditions: [{ column: 'Khối lượng', op: 'gte', value: 89 }], weight: 2, mode: 'active' });

    const today = makeDeclarations(400, 11, 'NEW', Date.UTC(2026, 2, 1));
    const res = await analyst.request('POST', '/api/risk/score', { mappingId, rows: today.map(scoreRow), seed: 5 });
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ modelId: firstModel.id, modelSeq: 1, batches: 1 });
    const results = out.results as { ref: string; channel: string; selectedBy: string; score: number; reasons: { features: unknown[]; rules: string[]; shadowRules: string[]; forcedBy: string | null } }[];
    const byRef = new Map(today.map((d) => [d.ref, d]));
    for (const r of results) {
      const d = byRef.get(r.ref)!;
      if (d.importer === 'I3') expect(r).toMatchObject({ channel: 'red', selectedBy: 'rule', reasons: { forcedBy: 'importer-I3' } });
      // The shadow rule is reported on every cigarette declaration but never sets a channel.
      expect(r.reasons.shadowRules.includes('cigarettes')).toBe(d.hs === '240220');
      if (d.mass >= 89) expect(r.reasons.rules).toContain('heavy');
      if (r.channel === 'red') expect(r.selectedBy === 'rule' || r.selectedBy === 'random' || r.reasons.features.length > 0).toBe(true);
    }
    const forcedRed = results.filter((r) => r.selectedBy === 'rule').length;
    // Red: floor(5% of 400) = 20 unless rules alone force more; yellow exactly floor(10%) = 40.
    expect(out.counts.red).toBe(Math.max(20, forcedRed));
    expect(out.overBudget.red).toBe(Math.max(0, forcedRed - 20));
    expect(out.counts.yellow).toBe(40);
    expect(out.counts.red + out.counts.yellow + out.counts.green).toBe(400);
    expect(results.filter((r) => r.selectedBy === 'random')).toHaveLength(out.counts.random);
    // Highest risk first: every red chosen by risk scores at least as high as every non-rule yellow or green.
    const minRed = Math.min(...results.filter((r) => r.selectedBy === 'risk' && r.channel === 'red').map((r) => r.score));
    const maxRest = Math.max(...results.filter((r) => r.channel !== 'red' && r.selectedBy !== 'rule').map((r) => r.score));
    expect(minRed).toBeGreaterThanOrEqual(maxRest);

    // The same declarations with the shadow rule switched on: cigarette declarations now go red by rule.
    const cur = (await analyst.request('GET', `/api/risk/rules?mappingId=${mappingId}`)).json().items.find((r: { code: string }) => r.code === 'cigarettes');
    expect(cur.stats.fired).toBe(today.filter((d) => d.hs === '240220').length);
    const on = await analyst.request('PATCH', `/api/risk/rules/${cigaretteRule}`, { version: cur.version, mode: 'active' });
    expect(on.json()).toMatchObject({ mode: 'active', version: 2 });
    const again = (await analyst.request('POST', '/api/risk/score', { mappingId, refs: today.map((d) => d.ref), seed: 5 })).json();
    for (const r of again.results) if (byRef.get(r.ref)!.hs === '240220') expect(r.channel).toBe('red');
    expect((await analyst.request('PATCH', `/api/risk/rules/${cigaretteRule}`, { version: 1, mode: 'shadow' })).statusCode).toBe(409);
    await analyst.request('PATCH', `/api/risk/rules/${cigaretteRule}`, { version: 2, mode: 'shadow' });
  });

  it('shows a rule\'s hit rate from recorded outcomes', async () => {
    const refs = makeDeclarations(400, 11, 'NEW', Date.UTC(2026, 2, 1)).filter((d) => d.hs === '240220').map((d) => d.ref);
    await officer.request('POST', '/api/risk/outcomes', { mappingId, outcomes: refs.map((ref, i) => ({ ref, found: i % 2 === 0 })) });
    const rule = (await analyst.request('GET', `/api/risk/rules?mappingId=${mappingId}`)).json().items.find((r: { code: string }) => r.code === 'cigarettes');
    expect(rule.stats).toMatchObject({ fired: refs.length, inspected: refs.length, found: Math.ceil(refs.length / 2) });
    expect(rule.stats.hitRate).toBeCloseTo(Math.ceil(refs.length / 2) / refs.length, 10);
  });

  it('keeps the red budget at 5% at most, and per office and day when asked', async () => {
    expect((await analyst.request('POST', '/api/risk/score', { mappingId, pending: true, redShare: 0.1 })).statusCode).toBe(400);
    const day = makeDeclarations(200, 21, 'OD', Date.UTC(2026, 3, 1)); // 10 days × 20
    const res = (await analyst.request('POST', '/api/risk/score', { mappingId, rows: day.map(scoreRow), allocate: 'office-day', randomShare: 0 })).json();
    const groups = new Set(day.map((d) => `${d.office}|${d.day}`));
    expect(res.batches).toBe(groups.size);
    const redByRule = res.results.filter((r: { selectedBy: string; channel: string }) => r.selectedBy === 'rule' && r.channel === 'red').length;
    // Each office-day of ~10 declarations has floor(5% · n) = 0 red by risk: only rules send anything red.
    expect(res.counts.red).toBe(redByRule);
  });

  it('scores one declaration against the model\'s cut-offs in threshold mode, with its explanation', async () => {
    const [d] = makeDeclarations(1, 31, 'ONE', Date.UTC(2026, 4, 1));
    const cig = { ...d!, hs: '240220', origin: 'XX', importer: 'I20' };
    const res = (await analyst.request('POST', '/api/risk/score', { mappingId, rows: [scoreRow(cig)], allocate: 'threshold', randomShare: 0 })).json();
    expect(res.results[0]).toMatchObject({ ref: cig.ref, channel: 'red', selectedBy: 'risk' });
    expect(res.results[0].reasons.features.map((f: { column: string }) => f.column)).toEqual(expect.arrayContaining(['Mã HS']));
    const detail = (await officer.request('GET', `/api/risk/declarations/${res.results[0].declarationId}`)).json();
    expect(detail.latestScore).toMatchObject({ channel: 'red', selectedBy: 'risk', modelId: firstModel.id });
    // The inspecting officer records what was found against the scored declaration.
    const outcome = await officer.request('PUT', `/api/risk/declarations/${detail.id}/outcome`, { found: true, violationType: 'smuggling', revenueVnd: 3_000_000 });
    expect(outcome.json()).toMatchObject({ found: true, version: 1 });
    const bad = await analyst.request('POST', '/api/risk/score', { mappingId, rows: [{ ...scoreRow(cig), 'Trị giá': 'nhiều' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('rows.0.Trị giá');
  });

  it('reports drift of recent scores against the training reference, and hit rates per channel', async () => {
    const res = await officer.request('GET', `/api/risk/drift?mappingId=${mappingId}&days=7`);
    expect(res.statusCode).toBe(200);
    const drift = res.json();
    const scored = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk_scores WHERE model_id = $1`, [firstModel.id]);
    expect(drift.modelId).toBe(firstModel.id);
    expect(drift.recent.n).toBe(scored[0]!.n);
    expect(drift.recent.shares.reduce((s: number, x: number) => s + x, 0)).toBeCloseTo(1, 10);
    expect(drift.reference.shares).toHaveLength(10);
    expect(typeof drift.recent.psi).toBe('number');
    const total = drift.channels.reduce((s: number, c: { scored: number }) => s + c.scored, 0);
    expect(total).toBe(scored[0]!.n);
    const cig = drift.channels.filter((c: { inspected: number }) => c.inspected > 0);
    expect(cig.length).toBeGreaterThan(0);
  });

  it('renames a mapping with its version, and its model still scores under the new name', async () => {
    const cur = (await analyst.request('GET', '/api/risk/mappings')).json().items.find((m: { id: string }) => m.id === mappingId);
    expect((await officer.request('PATCH', `/api/risk/mappings/${mappingId}`, { name: 'x', version: cur.version })).statusCode).toBe(403);
    await analyst.request('POST', '/api/risk/mappings', { name: 'Tên đã có', mapping: MAPPING });
    const dup = await analyst.request('PATCH', `/api/risk/mappings/${mappingId}`, { name: 'Tên đã có', version: cur.version });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.issues[0]).toMatchObject({ field: 'name', reason: 'not_unique' });
    const renamed = await analyst.request('PATCH', `/api/risk/mappings/${mappingId}`, { name: 'KCS-like 2026', version: cur.version });
    expect(renamed.json()).toMatchObject({ id: mappingId, name: 'KCS-like 2026', version: cur.version + 1, activeModelId: firstModel.id });
    expect((await analyst.request('PATCH', `/api/risk/mappings/${mappingId}`, { name: 'again', version: cur.version })).statusCode).toBe(409);
    const scored = await analyst.request('POST', '/api/risk/score', { mappingId, refs: [history[0]!.ref], allocate: 'threshold' });
    expect(scored.json().modelId).toBe(firstModel.id);
    const outcome = (await officer.request('POST', '/api/risk/outcomes', { mappingId, outcomes: [{ ref: 'NOPE', found: true }] })).json();
    expect(outcome.problems[0].message).toContain('"KCS-like 2026"');
  });

  it('promoting a second model retires the first, and the audit trail holds every step', async () => {
    const job = (await analyst.request('POST', '/api/risk/models/train', { mappingId, params: { numRounds: 20, seed: 9 } })).json();
    await h.services.risk.idle();
    const m2 = (await analyst.request('GET', `/api/risk/models?mappingId=${mappingId}`)).json().items.find((m: { id: string }) => m.id === (job.modelId ?? '')) ??
      (await analyst.request('GET', `/api/risk/models?mappingId=${mappingId}`)).json().items[0];
    expect(m2.seq).toBe(2);
    await analyst.request('POST', `/api/risk/models/${m2.id}/promote`, { version: m2.version });
    const list = (await analyst.request('GET', `/api/risk/models?mappingId=${mappingId}`)).json().items;
    expect(list.map((m: { seq: number; status: string }) => [m.seq, m.status])).toEqual([[2, 'active'], [1, 'retired']]);
    const actions = (await h.db.query<{ action: string }>(`SELECT DISTINCT action FROM audit_log WHERE action LIKE 'risk.%'`)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['risk.mapping.create', 'risk.import', 'risk.import.batch', 'risk.outcome.record', 'risk.outcome.correct', 'risk.outcome.bulk', 'risk.model.train', 'risk.model.promote', 'risk.rule.create', 'risk.rule.update', 'risk.score', 'risk.mapping.rename']));
  });
});
