import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { sql } from '@cordon/db';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, postCase } from './subjects.fixtures.js';

type Subject = { kind: string; role: string; name: string; idNumber?: string; taxCode?: string; plate?: string; phone?: string; dateOfBirth?: string; address?: string };
type Sync = { mode: string; records: number; resolved: number; subjects: number; changed: number; proposed: number; removed: number };

const FAMILIES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương'];
const GIVENS = ['Khang', 'Phúc', 'Quyết', 'Sơn', 'Thắng', 'Toàn', 'Việt', 'Yên', 'Xuân', 'Thịnh', 'Lộc', 'Kiên'];

/** Background people: distinct names and CCCDs, so none is anyone else (they only fill the blocks). */
const background = (from: number, n: number): Subject[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { kind: 'person', role: 'accomplice', name: `${FAMILIES[i % 12]} Văn ${GIVENS[Math.floor(i / 12) % 12]}`, idNumber: `0200${String(900000 + i).padStart(8, '0')}` };
  });

const hung = (idNumber: string): Subject => ({ kind: 'person', role: 'driver', name: 'NGUYEN VAN HUNG', idNumber });
const lanAgain: Subject = { kind: 'person', role: 'seller', name: 'LE THI LAN', phone: '+84903111222', dateOfBirth: '1985-02-20', address: 'Dong Dang, Lang Son' };

// Cases recorded before the first sync, then cases recorded after it (title → subjects).
const BEFORE: [string, Subject[]][] = [
  ['b1', [{ kind: 'person', role: 'driver', name: 'Nguyễn Văn Hùng', idNumber: '020089001234', phone: '0912345678', dateOfBirth: '1989-03-12' }, { kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C-045.67' }]],
  ['b2', [{ kind: 'person', role: 'owner', name: 'Trần Văn Bình', idNumber: '001091004321', phone: '0987654321', dateOfBirth: '1991-07-07', address: 'Cao Lộc, Lạng Sơn' }]],
  ['b3', [{ kind: 'person', role: 'owner', name: 'Lê Thị Lan', phone: '0903111222', dateOfBirth: '1985-02-20', address: 'Đồng Đăng, Lạng Sơn' }, { kind: 'company', role: 'owner', name: 'Công ty TNHH Thương mại Hải Long', taxCode: '0101234567' }]],
  ['b4', [{ kind: 'person', role: 'financier', name: 'Phạm Minh Tuấn', idNumber: '031080005555' }, { kind: 'company', role: 'buyer', name: 'Công ty CP Xuất nhập khẩu Bắc Sơn', taxCode: '4900112233' }]],
  ['b5', [{ kind: 'person', role: 'seller', name: 'Nguyễn Thị Mai', phone: '0911222333', dateOfBirth: '1990-05-05' }, { kind: 'phone', role: 'other', name: '0911222333', phone: '0911222333' }]],
  ['b6', background(0, 30)],
  ['b7', background(30, 30)],
];
const AFTER: [string, Subject[]][] = [
  ['n1', [{ kind: 'person', role: 'owner', name: 'Tran Van Binh', phone: '+84987654321', dateOfBirth: '1991-07-07', address: 'Cao Loc, Lang Son' }]],
  ['n2', [hung('020089001234')]],
  ['n3', [{ kind: 'company', role: 'owner', name: 'Hải Long Co., Ltd', taxCode: '0101234567' }, lanAgain]],
  ['n4', [{ kind: 'person', role: 'seller', name: 'NGUYEN THI MAI', phone: '+84911222333', dateOfBirth: '1990-05-05' }, { kind: 'phone', role: 'other', name: '+84 911 222 333', phone: '+84911222333' }]],
  ['n5', [{ kind: 'person', role: 'driver', name: 'Đinh Công Tráng', idNumber: '036095001111' }]],
];

/** Subjects (as sets of "case#position" records) and pending proposals, independent of ids. */
async function snapshot(h: Harness) {
  const label = (a: string) => sql.raw(`replace(${a}c.title, 'Vụ việc ', '') || '#' || ${a}s.position`);
  const members = await sql<{ subject_id: string; label: string }>`SELECT m.subject_id, ${label('')} AS label
    FROM subject_members m JOIN case_subjects s ON s.id = m.case_subject_id JOIN cases c ON c.id = s.case_id`.execute(h.db.kysely);
  const bySubject = new Map<string, string[]>();
  for (const r of members.rows) (bySubject.get(r.subject_id) ?? bySubject.set(r.subject_id, []).get(r.subject_id)!).push(r.label);
  const subjects = [...bySubject.values()].map((xs) => xs.sort().join(' ')).sort();
  const proposals = await sql<{ pair: string }>`SELECT p.status || ' ' || least(${label('l')}, ${label('r')}) || ' ' || greatest(${label('l')}, ${label('r')}) AS pair
    FROM subject_proposals p JOIN case_subjects ls ON ls.id = p.left_record_id JOIN cases lc ON lc.id = ls.case_id
    JOIN case_subjects rs ON rs.id = p.right_record_id JOIN cases rc ON rc.id = rs.case_id`.execute(h.db.kysely);
  const counts = await sql<{ id: string; member_count: number; n: number }>`SELECT s.id, s.member_count, (SELECT count(*)::int FROM subject_members m WHERE m.subject_id = s.id) AS n
    FROM subjects s WHERE s.merged_into IS NULL`.execute(h.db.kysely);
  return { subjects, proposals: proposals.rows.map((r) => r.pair).sort(), staleCounts: counts.rows.filter((r) => r.member_count !== r.n || r.n === 0).length };
}

describe.each(testEngines())('incremental subject sync on %s', (engine) => {
  let a: Harness; // synced before and after the new cases
  let b: Harness; // the same final records, one full sync
  let ls: Client;
  let adminA: Client;
  let adminB: Client;
  let lsB: Client;
  const caseIds: Record<string, { id: string; version: number }> = {};

  const sync = async (c: Client, full = false) => {
    const res = await c.request('POST', `/api/admin/subjects/sync${full ? '?full=true' : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Sync;
  };
  const record = async (c: Client, cases: [string, Subject[]][]) => {
    for (const [title, subjects] of cases) {
      const created = (await postCase(c, { title: `Vụ việc ${title}`, subjects })) as unknown as { id: string; version: number };
      if (c === ls) caseIds[title] = { id: created.id, version: created.version };
    }
  };
  const fresh = async () => {
    const h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    return h;
  };

  beforeAll(async () => {
    a = await fresh();
    b = await fresh();
    ls = await a.login('ls');
    adminA = await a.login('admin');
    lsB = await b.login('ls');
    adminB = await b.login('admin');
  }, 180_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('resolves only new records and their neighbours, and ends where a full run over the same records does', async () => {
    await record(ls, BEFORE);
    const first = await sync(adminA);
    expect(first).toMatchObject({ mode: 'full', proposed: 0 });
    expect(await sync(adminA)).toMatchObject({ mode: 'incremental', resolved: 0, changed: 0 });

    await record(ls, AFTER);
    const second = await sync(adminA);
    expect(second.mode).toBe('incremental');
    expect(second.records).toBe(first.records + 7);
    // the new records and those they may match, not the whole file
    expect(second.resolved).toBeGreaterThanOrEqual(7);
    expect(second.resolved).toBeLessThan(second.records);
    // Bình, Lan and Mai written differently without a CCCD: three proposals; Hùng and Hải Long by identifier
    expect(second.proposed).toBe(3);

    await record(lsB, [...BEFORE, ...AFTER]);
    const full = await sync(adminB);
    expect(full).toMatchObject({ mode: 'full', records: second.records, subjects: second.subjects, proposed: 3 });
    const [inc, whole] = [await snapshot(a), await snapshot(b)];
    expect(inc.subjects).toEqual(whole.subjects);
    expect(inc.proposals).toEqual(whole.proposals);
    expect(inc.subjects).toContain('b1#1 n2#1');
    expect(inc.subjects).toContain('b3#2 n3#1');
    expect(inc.staleCounts).toBe(0);
    // a full run over the incremental result finds nothing to change
    expect(await sync(adminA, true)).toMatchObject({ mode: 'full', changed: 0, proposed: 0, created: 0, removed: 0 });
  });

  it('follows edited and deleted case subjects like a full run', async () => {
    // n2's Hùng now carries another CCCD (a different man), n3 no longer names Lan, and b5's Mai is
    // corrected in place (her phone, as an import that updates a record would)
    const edit = async (title: string, subjects: Subject[]) => {
      const c = caseIds[title]!;
      const res = await ls.request('PATCH', `/api/cases/${c.id}`, { version: c.version, subjects });
      expect(res.statusCode, res.body).toBe(200);
    };
    await edit('n2', [hung('020089009999')]);
    await edit('n3', [AFTER[2]![1][0]!]);
    await a.db.kysely.updateTable('case_subjects').set({ phone: '0911999888' }).where('case_id', '=', caseIds.b5!.id).where('kind', '=', 'person').execute();
    const after = await sync(adminA);
    expect(after.mode).toBe('incremental');
    expect(after.resolved).toBeLessThan(after.records);

    const c = await createHarness(engine);
    try {
      await addCustomsBranches(c);
      await c.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
      await c.makeUser({ username: 'admin', roles: ['admin'] });
      const final = (cases: [string, Subject[]][]) =>
        cases.map(([t, s]): [string, Subject[]] => [t, t === 'n2' ? [hung('020089009999')] : t === 'n3' ? [s[0]!] : t === 'b5' ? [{ ...s[0]!, phone: '0911999888' }, s[1]!] : s]);
      await record(await c.login('ls'), final([...BEFORE, ...AFTER]));
      await sync(await c.login('admin'));
      const [inc, whole] = [await snapshot(a), await snapshot(c)];
      expect(inc.subjects).toEqual(whole.subjects);
      // Lan's proposal went with her record; Hùng with another CCCD is somebody else
      expect(inc.proposals.filter((p) => p.startsWith('pending'))).toEqual(whole.proposals);
      expect(inc.subjects).toContain('b1#1');
      expect(inc.subjects).toContain('n2#1');
      expect(inc.staleCounts).toBe(0);
    } finally {
      await c.close();
    }
  });
});
