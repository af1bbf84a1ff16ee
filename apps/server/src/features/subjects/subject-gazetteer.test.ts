import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { postCase } from './subjects.fixtures.js';

type Sync = { mode: string; resolved: number; changed: number; proposed: number };

const NAMES = ['Nguyễn Văn Hùng', 'Trần Văn Bình', 'Phạm Thị Lan', 'Hoàng Văn Nam', 'Đỗ Thị Hoa', 'Vũ Văn Long'];
const PLACES = ['Lạng Sơn', 'Hải Phòng', 'Hà Nội', 'TP. Hồ Chí Minh'];

/**
 * People the resolver learns from: each twice with one CCCD and one address (the same person), and a
 * namesake with another CCCD living elsewhere (another person): a name alone does not make a match.
 */
const background = NAMES.flatMap((name, k) => {
  const address = `Số ${k + 3} Trần Phú, ${PLACES[k % 4]}`;
  const cccd = `02008900${String(1200 + k * 10)}`;
  return [
    { kind: 'person', role: 'accomplice', name, idNumber: cccd, dateOfBirth: `19${80 + k}-0${k + 1}-1${k}`, address },
    { kind: 'person', role: 'accomplice', name: name.toUpperCase(), idNumber: cccd, address },
    { kind: 'person', role: 'accomplice', name, idNumber: `00119100${String(4301 + k * 10)}`, dateOfBirth: `19${70 + k}-0${k + 2}-2${k}`, address: `Số ${k + 40} Lê Lợi, ${PLACES[(k + 1) % 4]}` },
  ];
});

describe.each(testEngines())('subject sync reading addresses through the reference data on %s', (engine) => {
  let h: Harness;
  let officer: Client;
  let admin: Client;
  const ids: Record<string, string> = {};
  const sync = async (full = false) => {
    const res = await admin.request('POST', `/api/admin/subjects/sync${full ? '?full=true' : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Sync;
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'officer', roles: ['officer'], unit: 'CUSTOMS' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    officer = await h.login('officer');
    admin = await h.login('admin');
    // what `cordon reference import` loads, for one ward: Thắng Tam (Bà Rịa - Vũng Tàu, 77) is part of
    // phường Vũng Tàu of Hồ Chí Minh (79) since 1 July 2025
    await h.db.exec(`INSERT INTO ref_wards (code, name, type, name_ascii, province_code, search_text) VALUES ('26506', 'Phường Vũng Tàu', 'ward', 'Phuong Vung Tau', '79', 'phuong vung tau')`);
    await h.db.exec(`INSERT INTO ref_wards_pre2025 (code, name, name_ascii, province_code, search_text) VALUES ('26530', 'Phường Thắng Tam', 'Phuong Thang Tam', '77', 'phuong thang tam')`);
    await h.db.exec(`INSERT INTO ref_ward_crosswalk (old_code, new_code, old_name, old_province_code, new_name, new_province_code, is_split, merge_type)
      VALUES ('26530', '26506', 'Phường Thắng Tam', '77', 'Phường Vũng Tàu', '79', false, 'full')`);

    for (let k = 0; k < background.length; k += 6) await postCase(officer, { title: `Vụ việc nền ${k}`, subjects: background.slice(k, k + 6) });
    await postCase(officer, { title: 'Vụ việc Lạng Sơn', subjects: [{ kind: 'person', role: 'seller', name: 'Lê Thị Mai', idNumber: '079185000111', address: 'Số 8 Hùng Vương, Lạng Sơn' }] });
    // one woman: an address written before the 2025 reorganisation (old ward, old province) and after it
    const before = await postCase(officer, { title: 'Vụ việc 2024', detectedOn: '2024-11-02', subjects: [{ kind: 'person', role: 'owner', name: 'Lê Thị Mai', dateOfBirth: '1985-06-20', address: '45 Thùy Vân, P. Thắng Tam, Bà Rịa - Vũng Tàu' }] });
    const after = await postCase(officer, { title: 'Vụ việc 2026', subjects: [{ kind: 'person', role: 'owner', name: 'LE THI MAI', address: '45 Thùy Vân, phường Vũng Tàu, TP. Hồ Chí Minh' }] });
    ids.before = before.subjects[0]!.id;
    ids.after = after.subjects[0]!.id;
  }, 180_000);
  afterAll(() => h?.close());

  it('proposes one person whose addresses differ only in pre-2025 and 2025 ward and province names', async () => {
    const first = await sync();
    expect(first).toMatchObject({ mode: 'full' });
    const [left, right] = [ids.before!, ids.after!].sort();
    const p = await h.db.kysely.selectFrom('subject_proposals').selectAll().where('left_record_id', '=', left!).where('right_record_id', '=', right!).executeTakeFirst();
    expect(p, 'a merge proposal for the two records').toBeDefined();
    expect(p!.status).toBe('pending');
    expect(p!.score).toBeGreaterThan(0.5);
    const reasons = (typeof p!.explanation === 'string' ? JSON.parse(p!.explanation) : p!.explanation) as { field: string; level: string; outcome: string }[];
    expect(reasons.find((r) => r.field === 'area')).toMatchObject({ level: 'same ward', outcome: 'agreed' });
    // the street and number compared without the ward and province
    expect(reasons.find((r) => r.field === 'address')).toMatchObject({ outcome: 'agreed' });
    // the namesake with a CCCD in Lạng Sơn is not proposed
    expect(await h.db.kysely.selectFrom('subject_proposals').select('id').execute()).toHaveLength(1);
  });

  it('runs incrementally while the wards stay the same, and fully once the reference data changed', async () => {
    expect(await sync()).toMatchObject({ mode: 'incremental', resolved: 0, changed: 0 });
    await h.db.exec(`INSERT INTO ref_wards (code, name, type, name_ascii, province_code, search_text) VALUES ('26743', 'Phường Bến Thành', 'ward', 'Phuong Ben Thanh', '79', 'phuong ben thanh')`);
    // keys were made with other wards: everything is resolved and keyed again, and nothing moves
    expect(await sync()).toMatchObject({ mode: 'full', changed: 0, proposed: 0 });
    expect(await sync()).toMatchObject({ mode: 'incremental', resolved: 0 });
  });
});
