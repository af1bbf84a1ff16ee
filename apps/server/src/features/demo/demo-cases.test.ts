import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateCaseBody } from '@cordon/contracts';
import { generateCases, SYNTH_PROVINCE_CODES } from '@cordon/engine';
import { PROVINCE_CROSSWALK, PROVINCES } from '@cordon/reference';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { checkCaseCodes } from '../cases/cases.rules.js';
import { seedDemoCases } from './demo-cases.seed.js';

const SYNTH = { count: 1200, years: 3, seed: 11, until: '2026-11-20' };

describe('generated demo cases (no database)', () => {
  it('are valid case bodies with known codes', () => {
    for (const c of generateCases(SYNTH)) {
      const body = CreateCaseBody.parse(c.body);
      expect(checkCaseCodes(body), c.body.sourceRef).toEqual([]);
    }
  });

  it("uses the reference's 34 provinces and crosswalk", () => {
    expect([...SYNTH_PROVINCE_CODES].sort()).toEqual(PROVINCES.map((p) => p.code).sort());
    for (const c of generateCases({ ...SYNTH, count: 300 })) {
      if (c.body.detectedOn < '2025-07-01') expect(PROVINCE_CROSSWALK[c.body.provinceCode], c.body.provinceCode).toBe(c.province2025);
    }
  });
});

describe.each(testEngines())('demo case seed on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(() => h.close());

  it('loads the cases with the derived columns the case service computes, once', async () => {
    const r = await seedDemoCases(h.db, h.services.audit, h.clock, { ...SYNTH, batchSize: 500 });
    expect(r).toMatchObject({ generated: 1200, inserted: 1200, skipped: 0 });
    expect(r.unitsAdded).toBeGreaterThan(20);
    const again = await seedDemoCases(h.db, h.services.audit, h.clock, { ...SYNTH, batchSize: 500 });
    expect(again).toMatchObject({ inserted: 0, skipped: 1200, unitsAdded: 0 });
    const events = await h.db.kysely.selectFrom('audit_log').select('action').where('action', '=', 'seed.demo_cases').execute();
    expect(events).toHaveLength(1);
    expect((await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n).toBe(1200);
  });

  it('matches a case recorded through the service, column by column', async () => {
    const synth = [...generateCases(SYNTH)].find((c) => c.body.subjects.length >= 2 && c.body.detectedOn < '2025-07-01' && c.body.provinceCode !== c.province2025)!;
    const seeded = await h.db.kysely.selectFrom('cases').selectAll().where('source_ref', '=', synth.body.sourceRef).executeTakeFirstOrThrow();
    const p = { userId: '00000000-0000-4000-8000-000000000001', username: 'seed', unitId: seeded.source_unit_id, unitIds: [seeded.source_unit_id], roles: ['officer'] } as unknown as Principal;
    await h.db.exec(`INSERT INTO users (id, username, display_name, search_text, unit_id, roles, password_hash, created_at, updated_at, password_changed_at) VALUES ('${p.userId}', 'seed', 'seed', 'seed', '${p.unitId}', '{officer}', 'x', now(), now(), now())`);
    const body = CreateCaseBody.parse({ ...synth.body, sourceRef: 'SERVICE-COPY' });
    const id = await h.db.kysely.transaction().execute(async (trx) => (await h.services.cases.insertPrepared(trx, p, await h.services.cases.prepare(p, body, trx))).id);
    const viaService = await h.db.kysely.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    for (const col of ['report_group', 'province_code', 'recorded_province_code', 'force_code', 'goods_value_vnd', 'goods_categories', 'hs_codes', 'subject_keys', 'handling_unit_ids', 'lead_unit_id', 'title', 'summary'] as const) {
      expect(seeded[col], col).toEqual(viaService[col]);
    }
    const strip = (s: string, code: string, ref: string) => s.replace(code.toLowerCase(), '').replace(ref.toLowerCase(), '');
    expect(strip(seeded.search_text, seeded.code, synth.body.sourceRef)).toBe(strip(viaService.search_text, viaService.code, 'SERVICE-COPY'));
    const goods = await h.db.query('SELECT line_no, category, hs_code, description, quantity, unit, value_vnd, brand FROM case_goods WHERE case_id = $1 ORDER BY line_no', [seeded.id]);
    const goods2 = await h.db.query('SELECT line_no, category, hs_code, description, quantity, unit, value_vnd, brand FROM case_goods WHERE case_id = $1 ORDER BY line_no', [id]);
    expect(goods).toEqual(goods2);
    const subj = await h.db.query('SELECT position, kind, role, name, id_number, tax_code, plate, phone, date_of_birth, address, nationality FROM case_subjects WHERE case_id = $1 ORDER BY position', [seeded.id]);
    const subj2 = await h.db.query('SELECT position, kind, role, name, id_number, tax_code, plate, phone, date_of_birth, address, nationality FROM case_subjects WHERE case_id = $1 ORDER BY position', [id]);
    expect(subj).toEqual(subj2);
  });

  it('keeps status, outcome and history consistent', async () => {
    const bad = await h.db.query(`
      SELECT c.code FROM cases c
      WHERE c.source_ref LIKE 'BB-%' AND (
        c.status <> (SELECT h.to_status FROM case_status_history h WHERE h.case_id = c.id ORDER BY h.at DESC, h.id DESC LIMIT 1)
        OR (c.status = 'penalized' AND c.penalty_decision_no IS NULL)
        OR (c.status = 'prosecuted' AND (c.defendants < 1 OR c.prosecuted_on IS NULL))
        OR (c.status = 'dropped' AND c.dropped_reason IS NULL)
        OR c.status_changed_at <> (SELECT max(h.at) FROM case_status_history h WHERE h.case_id = c.id))`);
    expect(bad).toEqual([]);
  });

  it('finds seeded cases by words typed without diacritics and a province filter', async () => {
    await h.makeUser({ username: 'admin.user', roles: ['admin'] });
    const admin = await h.login('admin.user');
    const res = await admin.request('GET', '/api/cases?q=thuoc%20la&province=20&limit=5');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { provinceCode: string; title: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.provinceCode === '20')).toBe(true);
  });
});
