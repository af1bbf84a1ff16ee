import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, postCase } from './subjects.fixtures.js';
import { createCasesImportService } from '../cases/import/cases-import.service.js';

type Relation = { id: string; kind: string; name: string; roles: string[]; cases: number };
type Detail = { id: string; kind: string; directors: Relation[]; directorOf: Relation[] };
type Net = { nodes: { id: string; name: string }[]; links: { source: string; target: string; director: string | null }[] };

const HAI_LONG = { kind: 'company', name: 'Công ty TNHH Thương mại Hải Long', taxCode: '0101234567' };

describe.each(testEngines())('company directors on %s', (engine) => {
  let h: Harness;
  let ls: Client; // Customs, Lạng Sơn
  let bg: Client; // Border Guard: each sees the other's internal cases only in summary
  const ids: Record<string, string> = {};

  const subjectOf = async (record: string) => (await h.db.kysely.selectFrom('subject_members').select('subject_id').where('case_subject_id', '=', record).executeTakeFirstOrThrow()).subject_id;
  const detail = async (c: Client, id: string) => {
    const res = await c.request('GET', `/api/subjects/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Detail;
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'bg', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    ls = await h.login('ls');
    bg = await h.login('bg');
    // Hải Long in a Customs case with its owner (Đức) and a driver, and in a Border Guard case with another owner (Hạnh)
    const c1 = await postCase(ls, { title: 'Hải Long nhập lậu điện thoại', subjects: [{ ...HAI_LONG, role: 'buyer' }, { kind: 'person', role: 'owner', name: 'Lê Văn Đức', idNumber: '020080001111' }, { kind: 'person', role: 'driver', name: 'Phạm Văn Khoa', idNumber: '020085002222' }] });
    const c2 = await postCase(bg, { title: 'Biên phòng bắt hàng của Hải Long', subjects: [{ ...HAI_LONG, role: 'owner' }, { kind: 'person', role: 'owner', name: 'Ngô Thị Hạnh', idNumber: '020090003333' }] });
    const admin = await h.login('admin');
    expect((await admin.request('POST', '/api/admin/subjects/sync')).statusCode).toBe(200);
    ids.company = await subjectOf(c1.subjects[0]!.id);
    expect(await subjectOf(c2.subjects[0]!.id)).toBe(ids.company); // one tax code: one company
    ids.duc = await subjectOf(c1.subjects[1]!.id);
    ids.khoa = await subjectOf(c1.subjects[2]!.id);
    ids.hanh = await subjectOf(c2.subjects[1]!.id);
  }, 180_000);
  afterAll(() => h.close());

  it("shows a company's directors and a person's companies, from the cases the user sees in full only", async () => {
    const mine = await detail(ls, ids.company!);
    expect(mine.directors).toEqual([{ id: ids.duc, kind: 'person', name: 'Lê Văn Đức', roles: ['owner'], cases: 1 }]);
    expect(mine.directorOf).toEqual([]);
    // the Border Guard sees the same company with its own case's owner, not the Customs one
    const theirs = await detail(bg, ids.company!);
    expect(theirs.directors.map((d) => d.name)).toEqual(['Ngô Thị Hạnh']);
    // from the person's side
    expect((await detail(ls, ids.duc!)).directorOf).toEqual([{ id: ids.company, kind: 'company', name: HAI_LONG.name, roles: ['buyer'], cases: 1 }]);
    expect((await detail(ls, ids.khoa!)).directorOf).toEqual([]);
    // and Customs cannot open the Border Guard's director by id
    expect((await ls.request('GET', `/api/subjects/${ids.hanh}`)).statusCode).toBe(404);
  });

  it('draws a "director of" link in the network view, only between subjects the user sees', async () => {
    const net = (await ls.request('GET', `/api/subjects/${ids.company}/network?depth=2`)).json() as Net;
    expect(net.nodes.map((n) => n.id)).not.toContain(ids.hanh);
    const link = (a: string, b: string) => net.links.find((l) => (l.source === a && l.target === b) || (l.source === b && l.target === a));
    expect(link(ids.company!, ids.duc!)?.director).toBe(ids.duc);
    expect(link(ids.company!, ids.khoa!)?.director).toBeNull();
    const theirs = (await bg.request('GET', `/api/subjects/${ids.company}/network?depth=1`)).json() as Net;
    expect(theirs.links.filter((l) => l.director).map((l) => l.director)).toEqual([ids.hanh]);
  });

  it('counts a person recorded as director or legal representative, by hand or through the import', async () => {
    const BAC_SON = { kind: 'company', name: 'Công ty CP Xuất nhập khẩu Bắc Sơn', taxCode: '4900112233' };
    const byHand = await postCase(ls, { title: 'Bắc Sơn khai sai xuất xứ', subjects: [{ ...BAC_SON, role: 'buyer' }, { kind: 'person', role: 'director', name: 'Đỗ Văn Tâm', idNumber: '020075004444' }] });
    // the import takes the role's Vietnamese name (Vietnamese headers) and its code (English headers)
    const userId = (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'ls').executeTakeFirstOrThrow()).id;
    const principal = (await h.services.auth.principalFor(userId, 'session'))!;
    const importer = createCasesImportService(h.services);
    const files = [
      'Số hiệu đơn vị;Tiêu đề;Loại vi phạm;Ngày phát hiện;Tỉnh, thành phố;Đối tượng 1 - loại;Đối tượng 1 - vai trò;Đối tượng 1 - tên;Đối tượng 1 - mã số thuế;Đối tượng 2 - loại;Đối tượng 2 - vai trò;Đối tượng 2 - tên;Đối tượng 2 - CCCD\n' +
        `BS-1;Bắc Sơn nhập hàng giả;COUNTERFEIT;05/10/2026;20;Doanh nghiệp;Người mua;${BAC_SON.name};${BAC_SON.taxCode};Cá nhân;Người đại diện theo pháp luật;Vũ Thị Hà;020082005555\n`,
      'source_ref,title,violation_type,detected_on,province,subject1_kind,subject1_role,subject1_name,subject1_tax_code,subject2_kind,subject2_role,subject2_name,subject2_id_number\n' +
        `BS-2,Bắc Sơn trốn thuế,TAX_FRAUD,2026-10-06,20,company,owner,${BAC_SON.name},${BAC_SON.taxCode},person,director,Đỗ Văn Tâm,020075004444\n`,
    ];
    for (const [k, text] of files.entries()) {
      const report = await importer.importCases(principal, { fileName: `bac-son-${k}.csv`, mode: 'all_or_nothing', bytes: Buffer.from(text, 'utf8') });
      expect(report, JSON.stringify(report.problems)).toMatchObject({ imported: 1, rejected: 0 });
    }
    const imported = await h.db.kysely.selectFrom('case_subjects as s').innerJoin('cases as c', 'c.id', 's.case_id').select(['c.source_ref', 's.name', 's.role'])
      .where('s.kind', '=', 'person').where('c.source_ref', 'in', ['BS-1', 'BS-2']).orderBy('c.source_ref').execute();
    expect(imported).toEqual([{ source_ref: 'BS-1', name: 'Vũ Thị Hà', role: 'legal_representative' }, { source_ref: 'BS-2', name: 'Đỗ Văn Tâm', role: 'director' }]);

    const admin = await h.login('admin');
    expect((await admin.request('POST', '/api/admin/subjects/sync')).statusCode).toBe(200);
    const company = await subjectOf(byHand.subjects[0]!.id);
    const tam = await subjectOf(byHand.subjects[1]!.id);
    const page = await detail(ls, company);
    expect(page.directors.map((d) => [d.name, d.roles, d.cases])).toEqual([
      ['Đỗ Văn Tâm', ['director'], 2],
      ['Vũ Thị Hà', ['legal_representative'], 1],
    ]);
    expect((await detail(ls, tam)).directorOf).toMatchObject([{ id: company, kind: 'company' }]);
  });
});
