import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, makeCase } from '../../testing/factories.js';

describe.each(testEngines())('case registry on %s', (engine) => {
  let h: Harness;
  let lsOfficer: Client; // Customs, Lạng Sơn branch
  let hpOfficer: Client; // Customs, Hải Phòng branch (same force, other province)
  let border: Client; // Border Guard
  let viewer: Client;
  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'hp.officer', roles: ['officer'], unit: 'CUSTOMS-HP' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'viewer', roles: ['viewer'], unit: 'BCD389' });
    lsOfficer = await h.login('ls.officer');
    hpOfficer = await h.login('hp.officer');
    border = await h.login('bg.officer');
    viewer = await h.login('viewer');
  });
  afterAll(() => h.close());

  it('records a case with goods and subjects, numbered, in status "detected", with its history', async () => {
    const res = await lsOfficer.request('POST', '/api/cases', makeCase());
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.code).toMatch(/^VV-2026-\d{6}$/);
    expect(c).toMatchObject({ status: 'detected', reportGroup: 'smuggling', provinceCode: '20', access: 'full', goodsValueVnd: 90_000_000, sourceUnit: { code: 'CUSTOMS-LS' }, leadUnit: { code: 'CUSTOMS-LS' } });
    expect(c.goods[0]).toMatchObject({ hsCode: '240220', category: 'CIGARETTES' });
    expect(c.subjects).toHaveLength(2);
    expect(c.history).toEqual([expect.objectContaining({ from: null, to: 'detected', byUsername: 'ls.officer' })]);
    expect(c.allowedTransitions).toEqual(['verifying', 'handling', 'dropped']);
    // The history names people as colleagues know them, beside the account.
    await h.db.exec(`UPDATE users SET display_name = 'Lê Văn Sơn' WHERE username = 'ls.officer'`);
    try {
      expect((await lsOfficer.request('GET', `/api/cases/${c.id}`)).json().history[0]).toMatchObject({ byUsername: 'ls.officer', byName: 'Lê Văn Sơn' });
    } finally {
      await h.db.exec(`UPDATE users SET display_name = 'ls.officer' WHERE username = 'ls.officer'`);
    }
  });

  it('names the ward from the reference list', async () => {
    await h.db.exec(`INSERT INTO ref_wards (code, name, type, name_ascii, province_code, search_text) VALUES ('06001', 'Phường Lương Văn Tri', 'ward', 'Phuong Luong Van Tri', '20', 'phuong luong van tri') ON CONFLICT DO NOTHING`);
    const c = (await lsOfficer.request('POST', '/api/cases', makeCase({ provinceCode: '20', wardCode: '06001' }))).json();
    expect((await lsOfficer.request('GET', `/api/cases/${c.id}`)).json()).toMatchObject({ wardCode: '06001', wardName: 'Phường Lương Văn Tri' });
  });

  it('names every bad field of a case at once', async () => {
    const res = await lsOfficer.request('POST', '/api/cases', makeCase({ violationType: 'PIRACY', provinceCode: '02', detectedOn: '2026-01-01', goods: [{ category: 'UNOBTAINIUM', description: 'x y', valueVnd: 1 }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['goods.0.category', 'provinceCode', 'violationType']);
    const neg = await lsOfficer.request('POST', '/api/cases', makeCase({ goods: [{ category: 'SUGAR', description: 'Đường cát', valueVnd: -5 }] }));
    expect(neg.json().error.issues[0]).toMatchObject({ field: 'goods.0.valueVnd', reason: 'too_small' });
    const hs = await lsOfficer.request('POST', '/api/cases', makeCase({ goods: [{ category: 'SUGAR', hsCode: '17A', description: 'Đường cát' }] }));
    expect(hs.json().error.issues[0]).toMatchObject({ field: 'goods.0.hsCode', reason: 'invalid_format' });
  });

  it('counts a case recorded under a pre-2025 province in its 2025 province', async () => {
    const c = (await lsOfficer.request('POST', '/api/cases', makeCase({ title: 'Vụ tại Hà Giang năm 2024', provinceCode: '02', detectedOn: '2024-09-10' }))).json();
    expect(c).toMatchObject({ provinceCode: '08', recordedProvinceCode: '02' });
    const found = (await lsOfficer.request('GET', '/api/cases?province=08')).json().items.map((x: { id: string }) => x.id);
    expect(found).toContain(c.id);
  });

  it('finds cases by words typed without diacritics, and by a subject identifier in another form', async () => {
    const byWords = (await lsOfficer.request('GET', '/api/cases?q=thuoc%20la%20jet')).json().items;
    expect(byWords.length).toBeGreaterThan(0);
    const byPlate = (await lsOfficer.request('GET', '/api/cases?subject=12C04567')).json().items;
    const byPhone = (await lsOfficer.request('GET', '/api/cases?subject=0912345678')).json().items;
    expect(byPlate.map((x: { id: string }) => x.id)).toEqual(byPhone.map((x: { id: string }) => x.id));
    expect(byPlate.length).toBeGreaterThan(0);
    expect((await viewer.request('GET', '/api/cases?q=khong%20co%20tu%20nay')).json().items).toEqual([]);
  });

  it('shows another force only the summary of an internal case', async () => {
    const c = (await lsOfficer.request('POST', '/api/cases', makeCase({ title: 'Vụ nội bộ để chia sẻ tóm tắt' }))).json();
    const seen = (await border.request('GET', `/api/cases/${c.id}`)).json();
    expect(seen.access).toBe('summary');
    expect(seen.title).toBe('Vụ nội bộ để chia sẻ tóm tắt');
    expect(seen).not.toHaveProperty('subjects');
    expect(seen).not.toHaveProperty('summary');
  });

  it('hides a restricted case from another province of the same force: by id, by search', async () => {
    const c = (await lsOfficer.request('POST', '/api/cases', makeCase({ title: 'Chuyên án hạn chế Lạng Sơn', sensitivity: 'restricted' }))).json();
    expect((await hpOfficer.request('GET', `/api/cases/${c.id}`)).statusCode).toBe(404);
    const search = (await hpOfficer.request('GET', '/api/cases?q=chuyen%20an%20han%20che')).json().items;
    expect(search).toEqual([]);
    expect((await hpOfficer.request('PATCH', `/api/cases/${c.id}`, { version: 1, title: 'Bị sửa trái phép' })).statusCode).toBe(404);
    const denied = await h.db.query<{ outcome: string }>(`SELECT outcome FROM audit_log WHERE entity_id = $1 AND action = 'case.read'`, [c.id]);
    expect(denied.map((d) => d.outcome)).toContain('denied');
    // The recording unit reads it, and that read is audited.
    expect((await lsOfficer.request('GET', `/api/cases/${c.id}`)).json().access).toBe('full');
    const reads = await h.db.query(`SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'case.read' AND outcome = 'success'`, [c.id]);
    expect(reads.length).toBe(1);
  });

  it('opens a restricted case to a coordinating unit', async () => {
    const c = (await lsOfficer.request('POST', '/api/cases', makeCase({ title: 'Phối hợp với biên phòng', sensitivity: 'restricted', coordinatingUnitIds: [await h.unitId('BORDER_GUARD')] }))).json();
    expect((await border.request('GET', `/api/cases/${c.id}`)).json().access).toBe('full');
  });

  it('does not let another force search inside a case it sees only in summary (summary, subjects, goods)', async () => {
    const c = (await border.request('POST', '/api/cases', makeCase({
      title: 'Vụ kiểm tra ven biên giới',
      summary: 'Nguồn tin mật zqxwleak về đường dây',
      goods: [{ category: 'CIGARETTES', hsCode: '2403.99', description: 'Thuốc lá sợi', valueVnd: 5_000_000 }],
      subjects: [{ kind: 'person', role: 'owner', name: 'Trần Thị Kín', idNumber: '001199887766' }],
    }))).json();
    const ids = async (qs: string) => (await lsOfficer.request('GET', `/api/cases?${qs}`)).json().items.map((x: { id: string }) => x.id);
    expect(await ids('q=ven%20bien%20gioi')).toContain(c.id); // the title is a summary field
    expect(await ids('q=zqxwleak')).not.toContain(c.id);
    expect(await ids('q=tran%20thi%20kin')).not.toContain(c.id);
    expect(await ids('subject=001199887766')).not.toContain(c.id);
    expect(await ids('hs=240399')).not.toContain(c.id);
    // the handling force still finds it by every field
    const own = async (qs: string) => (await border.request('GET', `/api/cases?${qs}`)).json().items.map((x: { id: string }) => x.id);
    expect(await own('q=zqxwleak')).toContain(c.id);
    expect(await own('subject=001199887766')).toContain(c.id);
  });

  it('lets viewers read but not record', async () => {
    expect((await viewer.request('POST', '/api/cases', makeCase())).statusCode).toBe(403);
  });

  it('moves through the workflow and refuses illegal steps with a clear message', async () => {
    let c = (await lsOfficer.request('POST', '/api/cases', makeCase({ title: 'Vụ đi hết quy trình' }))).json();
    const skip = await lsOfficer.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'closed' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.message).toContain('"verifying", "handling", "dropped"');
    c = (await lsOfficer.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'handling' })).json();
    const missing = await lsOfficer.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'penalized' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues[0].field).toBe('penalty');
    c = (await lsOfficer.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'penalized', penalty: { decisionNo: '45/QĐ-XPHC', decidedOn: '2026-10-20', fineVnd: 80_000_000, confiscatedValueVnd: 90_000_000, collectedVnd: 80_000_000 } })).json();
    expect(c.outcome).toMatchObject({ penaltyDecisionNo: '45/QĐ-XPHC', fineVnd: 80_000_000, collectedVnd: 80_000_000 });
    c = (await lsOfficer.request('POST', `/api/cases/${c.id}/transitions`, { version: c.version, to: 'closed', note: 'Đã thi hành xong' })).json();
    expect(c.status).toBe('closed');
    expect(c.history.map((x: { to: string }) => x.to)).toEqual(['detected', 'handling', 'penalized', 'closed']);
    expect(c.allowedTransitions).toEqual([]);
  });

  it('catches concurrent edits with the version', async () => {
    const c = (await lsOfficer.request('POST', '/api/cases', makeCase({ title: 'Vụ sửa đồng thời' }))).json();
    expect((await lsOfficer.request('PATCH', `/api/cases/${c.id}`, { version: c.version, title: 'Tiêu đề thứ nhất' })).statusCode).toBe(200);
    const stale = await lsOfficer.request('PATCH', `/api/cases/${c.id}`, { version: c.version, title: 'Tiêu đề thứ hai' });
    expect(stale.statusCode).toBe(409);
  });

  it('lets only handling units edit: another force with the summary cannot', async () => {
    const c = (await lsOfficer.request('POST', '/api/cases', makeCase({ title: 'Vụ chỉ đơn vị xử lý được sửa' }))).json();
    expect((await border.request('PATCH', `/api/cases/${c.id}`, { version: c.version, title: 'Biên phòng sửa' })).statusCode).toBe(403);
  });

  it('pages through results with a cursor, without repeats', async () => {
    const first = (await viewer.request('GET', '/api/cases?limit=3')).json();
    const second = (await viewer.request('GET', `/api/cases?limit=3&cursor=${first.nextCursor}`)).json();
    const ids = [...first.items, ...second.items].map((x: { id: string }) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.nextCursor).not.toBeNull();
  });

  it('filters by goods category, HS prefix, status, type and value range', async () => {
    await lsOfficer.request('POST', '/api/cases', makeCase({ title: 'Đường cát nhập lậu qua biên giới', goods: [{ category: 'SUGAR', hsCode: '1701.99', description: 'Đường cát trắng', quantity: 20, unit: 'tấn', valueVnd: 400_000_000 }] }));
    const sugar = (await viewer.request('GET', '/api/cases?category=SUGAR')).json().items;
    expect(sugar.map((x: { title: string }) => x.title)).toEqual(['Đường cát nhập lậu qua biên giới']);
    expect((await lsOfficer.request('GET', '/api/cases?hs=1701')).json().items).toHaveLength(1);
    expect((await viewer.request('GET', '/api/cases?hs=1701')).json().items).toHaveLength(0); // goods lines are not in the summary
    expect((await viewer.request('GET', '/api/cases?minValue=300000000')).json().items.every((x: { goodsValueVnd: number }) => x.goodsValueVnd >= 300_000_000)).toBe(true);
    expect((await viewer.request('GET', '/api/cases?status=closed')).json().items.every((x: { status: string }) => x.status === 'closed')).toBe(true);
  });
});
