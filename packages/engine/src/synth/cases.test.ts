import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from '../cases/workflow.js';
import { generateCases, HOT_SPOT_PROVINCES, planRings, PROVINCE_MERGER_DATE, tetFactor, type SynthCase } from './cases.js';

const OPTIONS = { seed: 7, count: 30_000, years: 3, until: '2026-11-20' };
// One run shared by the assertions below (30k cases take about half a second).
const all: SynthCase[] = [...generateCases(OPTIONS)];
const share = (pred: (c: SynthCase) => boolean) => all.filter(pred).length / all.length;

describe('synthetic cases', () => {
  it('gives the same cases for the same seed, and different ones for another', () => {
    const once = [...generateCases({ ...OPTIONS, count: 500 })];
    const again = [...generateCases({ ...OPTIONS, count: 500 })];
    expect(again).toEqual(once);
    const other = [...generateCases({ ...OPTIONS, count: 500, seed: 8 })];
    expect(other.map((c) => c.body.title)).not.toEqual(again.map((c) => c.body.title));
  });

  it('defaults to three years at national volume', () => {
    let n = 0;
    for (const c of generateCases({ until: '2026-11-20' })) {
      n++;
      if (n > 10) break;
      expect(c.body.detectedOn >= '2023-11-21').toBe(true);
    }
    expect(planRings({ until: '2026-11-20' })[0]!.sourceRefs.length).toBeGreaterThan(0);
  });

  it('lets Market Surveillance record the most cases and trade/tax fraud lead the report groups', () => {
    // Scenario weights: Market Surveillance 38%, Police 22%, Customs and Tax 12% each, Border Guard 8%.
    expect(share((c) => c.force === 'MARKET_SURVEILLANCE')).toBeGreaterThan(0.34);
    expect(share((c) => c.force === 'MARKET_SURVEILLANCE')).toBeLessThan(0.42);
    expect(share((c) => c.force === 'POLICE')).toBeGreaterThan(0.18);
    expect(share((c) => c.force === 'COAST_GUARD')).toBeLessThan(0.04);
    const fraud = share((c) => ['TRADE_FRAUD', 'TAX_FRAUD', 'INVOICE_FRAUD', 'OTHER'].includes(c.body.violationType));
    const smuggling = share((c) => ['SMUGGLING', 'ILLEGAL_TRANSPORT', 'PROHIBITED_GOODS', 'DRUGS'].includes(c.body.violationType));
    // trade fraud ≈ 41%, smuggling ≈ 33%, counterfeit ≈ 26%
    expect(fraud).toBeGreaterThan(smuggling);
    expect(fraud).toBeGreaterThan(0.36);
  });

  it('weighs the border and hot-spot provinces more', () => {
    // 8 of 34 provinces would hold 24% if spread evenly; the hot spots hold well over half.
    expect(share((c) => HOT_SPOT_PROVINCES.includes(c.province2025))).toBeGreaterThan(0.5);
    // Sugar from Cambodia is seized on the south-western border, cigarettes at the border gates.
    const sugar = all.filter((c) => c.body.goods[0]!.category === 'SUGAR');
    expect(sugar.every((c) => ['91', '80', '82'].includes(c.province2025))).toBe(true);
    expect(all.some((c) => c.body.borderGate?.includes('Hữu Nghị') && c.body.goods[0]!.category === 'CIGARETTES')).toBe(true);
  });

  it('shows a peak in the weeks before Lunar New Year', () => {
    expect(tetFactor('2026-02-10')).toBeGreaterThan(1.7);
    expect(tetFactor('2025-09-15')).toBe(1);
    // Dec–Jan before Tết 2025 (29 Jan) against Aug–Sep 2025: same length, peak about 1.5× the baseline.
    const inRange = (a: string, b: string) => all.filter((c) => c.body.detectedOn >= a && c.body.detectedOn <= b).length;
    const peak = inRange('2024-12-01', '2025-01-28');
    const calm = inRange('2025-08-01', '2025-09-28');
    expect(peak / calm).toBeGreaterThan(1.3);
  });

  it('records pre-2025 province codes before the merger and only the 34 after', () => {
    const codes34 = new Set(['01', '04', '08', '11', '12', '14', '15', '19', '20', '22', '24', '25', '31', '33', '37', '38', '40', '42', '44', '46', '48', '51', '52', '56', '66', '68', '75', '79', '80', '82', '86', '91', '92', '96']);
    const after = all.filter((c) => c.body.detectedOn >= PROVINCE_MERGER_DATE);
    expect(after.every((c) => c.body.provinceCode === c.province2025)).toBe(true);
    const before = all.filter((c) => c.body.detectedOn < PROVINCE_MERGER_DATE);
    // e.g. Long An (80) and Tây Ninh (72) both count under the new Tây Ninh (80)
    expect(before.some((c) => !codes34.has(c.body.provinceCode))).toBe(true);
    expect(before.some((c) => c.province2025 === '80' && c.body.provinceCode === '72')).toBe(true);
  });

  it('walks every case through allowed workflow steps, with about 1–2% prosecuted', () => {
    for (const c of all) {
      const h = c.outcome.history;
      expect(h[0]!.to).toBe('detected');
      for (let i = 1; i < h.length; i++) expect(TRANSITIONS[h[i]!.from!]).toContain(h[i]!.to);
      expect(c.outcome.status).toBe(h.at(-1)!.to);
      if (c.outcome.penalty) expect(c.outcome.penalty.collectedVnd).toBeLessThanOrEqual(c.outcome.penalty.fineVnd + c.outcome.penalty.confiscatedValueVnd);
    }
    const prosecuted = share((c) => c.outcome.prosecutedOn !== null);
    expect(prosecuted).toBeGreaterThan(0.01);
    expect(prosecuted).toBeLessThan(0.025);
    expect(share((c) => c.outcome.status === 'closed')).toBeGreaterThan(0.6);
    // the last weeks are still being worked on
    const recent = all.filter((c) => c.body.detectedOn >= '2026-11-01');
    expect(recent.filter((c) => !['closed', 'dropped'].includes(c.outcome.status)).length / recent.length).toBeGreaterThan(0.8);
  });

  it('plants rings whose members co-occur across cases, and reports them as ground truth', () => {
    const rings = planRings(OPTIONS);
    expect(rings).toHaveLength(4);
    for (const r of rings) {
      expect(r.members.length).toBeGreaterThanOrEqual(5);
      expect(r.members.length).toBeLessThanOrEqual(12);
      const cases = all.filter((c) => r.sourceRefs.includes(c.body.sourceRef));
      expect(cases).toHaveLength(r.caseIndexes.length);
      expect(cases.every((c) => c.ringId === r.id)).toBe(true);
      const ids = new Set(r.members.map((m) => m.idNumber));
      // every ring case names at least two members, and most members appear in more than one case
      expect(cases.every((c) => c.body.subjects.filter((s) => s.idNumber && ids.has(s.idNumber)).length >= 2)).toBe(true);
      const appearances = r.members.map((m) => cases.filter((c) => c.body.subjects.some((s) => s.idNumber === m.idNumber)).length);
      expect(appearances.filter((n) => n >= 2).length).toBeGreaterThanOrEqual(Math.ceil(r.members.length / 2));
      expect(cases.every((c) => c.body.subjects.some((s) => s.plate && r.plates.includes(s.plate)))).toBe(true);
    }
  });

  it('lets some people and companies recur outside the rings', () => {
    const counts = new Map<string, number>();
    for (const c of all) for (const s of c.body.subjects) if (c.ringId === null && (s.idNumber ?? s.taxCode)) counts.set(s.idNumber ?? s.taxCode!, (counts.get(s.idNumber ?? s.taxCode!) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n >= 3).length).toBeGreaterThan(50);
  });
});
