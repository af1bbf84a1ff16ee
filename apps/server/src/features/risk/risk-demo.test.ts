import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import type { RiskDeclarationView, RiskHitRatesView, RiskMappingView, RiskModelView, RiskRuleView } from '@cordon/contracts';
import { vietnamToday } from '../../lib/clock.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { seedDemo } from '../demo/demo.seed.js';
import { DEMO_RISK_MAPPING, DEMO_RISK_MAPPING_NAME, demoRiskDeclarations, demoRiskRecord, seedDemoRisk } from '../demo/demo-risk.seed.js';

// The risk demo a new user sees after `npm start`, the hit rates over time it feeds, and scoring one
// declaration at a time from many clients at once (grouped transactions, audit chain intact).
describe.each(testEngines())('declaration risk demo and hit rates on %s', (engine) => {
  let h: Harness;
  let risk: Client;
  let officer: Client;
  let mapping: RiskMappingView;
  let steps: string[];

  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.db, h.services.audit, h.clock, 'cordon-demo');
    steps = await seedDemoRisk(h.services);
    risk = await h.login('risk', 'cordon-demo');
    officer = await h.login('customs.officer', 'cordon-demo');
    mapping = ((await risk.request('GET', '/api/risk/mappings')).json().items as RiskMappingView[]).find((m) => m.name === DEMO_RISK_MAPPING_NAME)!;
  }, 240_000);
  afterAll(async () => {
    await h.services.risk.idle();
    await h.close();
  });

  it('gives the demo analyst a mapping with months of declarations, a promoted model and rules with shadow results, once', async () => {
    expect(steps.some((s) => s.startsWith('trained model'))).toBe(true);
    expect(mapping.declarations).toBe(demoRiskDeclarations(vietnamToday(h.clock)).length);
    expect(mapping.declarations).toBeGreaterThan(3000);
    expect(mapping.outcomes).toBeGreaterThan(2000);
    expect(mapping.activeModelId).not.toBeNull();
    const models = (await risk.request('GET', `/api/risk/models?mappingId=${mapping.id}`)).json().items as RiskModelView[];
    expect(models.find((m) => m.status === 'active')!.metrics!.at.find((a) => a.percent === 5)!.precision).toBeGreaterThan(0);
    const rules = (await risk.request('GET', `/api/risk/rules?mappingId=${mapping.id}`)).json().items as RiskRuleView[];
    expect(rules.map((r) => r.mode).sort()).toEqual(['active', 'shadow']);
    for (const r of rules) expect(r.stats.fired).toBeGreaterThan(0);
    expect(rules.find((r) => r.mode === 'shadow')!.stats.inspected).toBeGreaterThanOrEqual(0);
    // A second start finds everything done.
    expect(await seedDemoRisk(h.services)).toEqual([]);
  });

  it('maps the demo offices to the demo Customs units, so the Lạng Sơn officer sees the Lạng Sơn offices only', async () => {
    expect(steps.some((s) => s.startsWith('assigned offices'))).toBe(true);
    const all = (await risk.request('GET', `/api/risk/offices?mappingId=${mapping.id}`)).json();
    expect(all.seesAll).toBe(true);
    expect(Object.fromEntries(all.items.map((o: { office: string; unit: { code: string } | null }) => [o.office, o.unit?.code ?? null]))).toEqual({
      '20BC': 'CUSTOMS-LS', '20BD': 'CUSTOMS-LS', '03CE': 'CUSTOMS-HP', '01B1': null, '02CI': null,
    });
    const mine = (await officer.request('GET', `/api/risk/offices?mappingId=${mapping.id}`)).json();
    expect(mine.items.map((o: { office: string }) => o.office).sort()).toEqual(['20BC', '20BD']);
    const seen = mine.items.reduce((n: number, o: { declarations: number }) => n + o.declarations, 0);
    expect((await officer.request('GET', `/api/risk/declarations?mappingId=${mapping.id}&limit=1`)).json().total).toBe(seen);
    const rates = (await officer.request('GET', `/api/risk/hit-rates?mappingId=${mapping.id}&periods=12`)).json() as RiskHitRatesView;
    expect(rates.series.filter((s) => s.by === 'office').map((s) => s.key).sort()).toEqual(['20BC', '20BD']);
  });

  it('lists scored declarations riskiest first, each with the columns that explain it, and pending ones awaiting their outcome', async () => {
    const top = (await risk.request('GET', `/api/risk/declarations?mappingId=${mapping.id}&scored=yes&sort=score&limit=20`)).json();
    const items = top.items as RiskDeclarationView[];
    expect(items.length).toBe(20);
    expect(items[0]!.latestScore!.score).toBeGreaterThanOrEqual(items[19]!.latestScore!.score);
    expect(items.every((d) => d.latestScore!.reasons.features.length > 0)).toBe(true);
    const waiting = (await officer.request('GET', `/api/risk/declarations?mappingId=${mapping.id}&scored=yes&outcome=none&channel=red`)).json();
    expect(waiting.total).toBeGreaterThan(0);
  });

  it('shows hit rates per week by channel, random share, rule and office, and counts a new outcome at once', async () => {
    const get = async (q = '') => (await risk.request('GET', `/api/risk/hit-rates?mappingId=${mapping.id}${q}`)).json() as RiskHitRatesView;
    const weekly = await get('&period=week&periods=12');
    expect(weekly.periods).toHaveLength(12);
    const series = (by: string, key: string) => weekly.series.find((s) => s.by === by && s.key === key);
    const red = series('channel', 'red')!;
    expect(red.total.inspected).toBeGreaterThan(0);
    expect(red.points.length).toBeGreaterThan(4);
    expect(red.points.every((p) => weekly.periods.includes(p.period))).toBe(true);
    expect(series('selection', 'random')).toBeDefined();
    expect(series('rule', 'thuoc-la-lao-cam')).toBeDefined();
    expect(series('rule', 'my-pham-luong-vang')!.total.inspected).toBeGreaterThan(0);
    expect(weekly.series.filter((s) => s.by === 'office').map((s) => s.key).sort()).toEqual(['01B1', '02CI', '03CE', '20BC', '20BD']);
    // Only a post-clearance sample of green declarations is inspected: far fewer than were scored.
    expect(series('channel', 'green')!.total.inspected).toBeLessThan(series('channel', 'green')!.total.scored / 3);

    const monthly = await get('&period=month&periods=7');
    expect(monthly.periods.every((p) => p.endsWith('-01'))).toBe(true);
    const sum = (v: RiskHitRatesView) => v.series.filter((s) => s.by === 'channel').reduce((n, s) => n + s.total.scored, 0);
    expect(sum(monthly)).toBeGreaterThanOrEqual(sum(weekly));

    // An officer records what the inspection of a waiting red declaration found: the figures move at once.
    const waiting = (await officer.request('GET', `/api/risk/declarations?mappingId=${mapping.id}&outcome=none&channel=red&limit=1`)).json().items[0] as RiskDeclarationView;
    const before = series('channel', 'red')!;
    const res = await officer.request('PUT', `/api/risk/declarations/${waiting.id}/outcome`, { found: true, revenueVnd: 12_000_000, inspectedOn: waiting.declaredOn });
    expect(res.statusCode).toBe(200);
    const after = (await get('&period=week&periods=12')).series.find((s) => s.by === 'channel' && s.key === 'red')!;
    expect(after.total.inspected).toBe(before.total.inspected + 1);
    expect(after.total.found).toBe(before.total.found + 1);
  });

  it('keeps hit rates from users outside Customs', async () => {
    await h.makeUser({ username: 'bg.risk', roles: ['risk_analyst'], unit: 'BORDER_GUARD' });
    const bg = await h.login('bg.risk');
    expect((await bg.request('GET', `/api/risk/hit-rates?mappingId=${mapping.id}`)).statusCode).toBe(403);
    expect((await risk.request('GET', `/api/risk/hit-rates?mappingId=${mapping.id}&period=day`)).statusCode).toBe(400);
  });

  it('scores one declaration per request from many clients at once: each stored once, one audit event each, the chain intact', async () => {
    const records = demoRiskDeclarations('2026-01-01', 7).slice(0, 24).map(demoRiskRecord);
    const answers = await Promise.all(records.map((r, i) =>
      risk.request('POST', '/api/risk/score', { mappingId: mapping.id, rows: [{ ...r, [DEMO_RISK_MAPPING.id]: `PAR${i}` }], allocate: 'threshold' })));
    expect(answers.map((a) => a.statusCode)).toEqual(records.map(() => 200));
    const ids = answers.map((a) => a.json().results[0].declarationId as string);
    expect(new Set(ids).size).toBe(24);
    const stored = await h.db.query<{ ref: string; scores: number }>(
      `SELECT d.ref, (SELECT count(*)::int FROM risk_scores s WHERE s.declaration_id = d.id) AS scores FROM risk_declarations d WHERE d.mapping_id = $1 AND d.ref LIKE 'PAR%'`, [mapping.id]);
    expect(stored).toHaveLength(24);
    expect(stored.every((r) => r.scores === 1)).toBe(true);
    const events = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'risk.score' AND detail ->> 'declarations' = '1' AND request_id IS NOT NULL`);
    expect(events[0]!.n).toBe(24);
    expect((await h.services.audit.verify()).ok).toBe(true);
  });

  it('stores a new declaration once when several clients score it at the same moment (a shared write that meets another\'s insert is retried alone)', async () => {
    const record = { ...demoRiskRecord(demoRiskDeclarations('2026-01-01', 9)[0]!), [DEMO_RISK_MAPPING.id]: 'SAME-AT-ONCE' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => risk.request('POST', '/api/risk/score', { mappingId: mapping.id, rows: [record], allocate: 'threshold' })));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.json().results[0].declarationId as string)).size).toBe(1);
    const [row] = await h.db.query<{ n: number; scores: number }>(
      `SELECT count(*)::int AS n, (SELECT count(*)::int FROM risk_scores s JOIN risk_declarations d ON d.id = s.declaration_id WHERE d.mapping_id = $1 AND d.ref = 'SAME-AT-ONCE') AS scores
       FROM risk_declarations WHERE mapping_id = $1 AND ref = 'SAME-AT-ONCE'`, [mapping.id]);
    expect(row).toEqual({ n: 1, scores: 6 });
    expect((await h.services.audit.verify()).ok).toBe(true);
  });

  it('sees a model promoted in this process at once (the cached active model is dropped)', async () => {
    const p = (await h.services.auth.principalFor((await h.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'risk'"))[0]!.id, 'session'))!;
    const job = await h.services.risk.startTraining(p, { mappingId: mapping.id, params: { numRounds: 20 } }, { wait: true });
    expect(job.status).toBe('succeeded');
    const next = (await h.services.risk.listModels(p, mapping.id)).items.find((m) => m.id === job.modelId)!;
    await h.services.risk.promote(p, next.id, next.version);
    const r = await risk.request('POST', '/api/risk/score', { mappingId: mapping.id, rows: [{ ...demoRiskRecord(demoRiskDeclarations('2026-01-01', 8)[0]!), [DEMO_RISK_MAPPING.id]: 'AFTER-PROMOTE' }], allocate: 'threshold' });
    expect(r.json().modelId).toBe(next.id);
  }, 120_000);
});
