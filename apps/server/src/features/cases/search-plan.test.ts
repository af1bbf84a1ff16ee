import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateCaseBody, type CaseQuery } from '@cordon/contracts';
import { testEngines } from '@cordon/db/testing';
import { makeCase } from '../../testing/factories.js';
import { createHarness, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { choosePlan, innerTrigrams, shortRuns, wordMatches, type SearchPlan, type TrigramCounts } from './search-plan.js';

const counts = (total: number, trigrams: Record<string, number>, short: Record<string, number> = {}): TrigramCounts => ({
  total, byTrigram: new Map(Object.entries(trigrams)), byShortRun: new Map(Object.entries(short)),
});

describe('search plan', () => {
  it('takes the trigrams pg_trgm would: inner ones of each run of three or more, none of "la"', () => {
    expect(innerTrigrams('thuoc')).toEqual(['thu', 'huo', 'uoc']);
    expect(innerTrigrams('vv-2024-01')).toEqual(['202', '024']);
    expect(innerTrigrams('la')).toEqual([]);
    expect(shortRuns('la')).toEqual(['la']);
    expect(shortRuns('thuoc')).toEqual([]);
  });

  it('bounds a word by its rarest trigram, and a two-letter word by the trigrams ending with it', () => {
    const c = counts(1_000_000, { thu: 300_000, huo: 200_000, uoc: 250_000 }, { la: 400_000 });
    expect(wordMatches('thuoc', c)).toBe(200_000);
    expect(wordMatches('la', c)).toBe(400_000);
    expect(wordMatches('zqx', c)).toBe(0); // a trigram no sampled case has
    expect(wordMatches('a', c)).toBe(1_000_000);
  });

  it('sorts a rare word\'s matches, leaves a common one to PostgreSQL\'s date-ordered walk', () => {
    const c = counts(1_000_000, { mac: 900, aca: 1_500, cal: 40_000, thu: 300_000, huo: 200_000, uoc: 250_000 }, { la: 400_000, qz: 0 });
    expect(choosePlan(['macallan'], c, 51)).toBe('bitmap');
    expect(choosePlan(['thuoc', 'la'], c, 51)).toBe('planner'); // 200,000 × 0.4 = 80,000 expected: PostgreSQL walks
    expect(choosePlan(['thuoc', 'mac'], c, 51)).toBe('bitmap'); // 200,000 × 0.0009 = 180
    expect(choosePlan(['la', 'qz'], c, 51)).toBe('planner'); // no trigram to start a bitmap from
    expect(choosePlan(['thuoc'], counts(0, {}), 51)).toBe('planner'); // nothing counted yet
  });
});

describe.each(testEngines())('text search plans on %s', (engine) => {
  let h: Harness;
  let officer: Principal; // Customs, Lạng Sơn: sees other forces' internal cases only in summary
  let admin: Principal;

  const principal = async (username: string) => {
    const id = (await h.db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    return (await h.services.auth.principalFor(id, 'token'))!;
  };
  /** Every page of a search under one plan: the ids in the order shown. */
  const allPages = async (p: Principal, q: Partial<CaseQuery>, plan: SearchPlan) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.services.cases.list(p, { limit: 2, ...q, ...(cursor ? { cursor } : {}) }, { plan });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
    await h.services.org.create(seed, { code: 'CUSTOMS-LS', kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Customs Lang Son' });
    await h.makeUser({ username: 'ls.officer', roles: ['officer'], unit: 'CUSTOMS-LS' });
    await h.makeUser({ username: 'bg.officer', roles: ['officer'], unit: 'BORDER_GUARD' });
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    officer = await principal('ls.officer');
    admin = await principal('admin');
    const border = await principal('bg.officer');
    const cases: [Principal, Partial<CreateCaseBody>][] = [
      [officer, {}],
      [officer, { title: 'Gà giống nhập lậu qua đường mòn', summary: 'Xe máy chở 300 con gà giống không rõ nguồn gốc.', detectedOn: '2026-10-05', goods: [{ category: 'LIVESTOCK_POULTRY', description: 'Gà giống', valueVnd: 6_000_000 }] }],
      [officer, { title: 'Mỹ phẩm giả mạo nhãn hiệu', summary: 'Kho chứa mỹ phẩm không có hóa đơn.', detectedOn: '2026-10-05', sensitivity: 'restricted', goods: [{ category: 'COSMETICS', description: 'Mỹ phẩm Macallan giả', valueVnd: 12_000_000 }] }],
      [border, { title: 'Biên phòng thu giữ thuốc lá lậu', summary: 'Nguyễn Văn Hùng khai mua ở chợ biên giới, tin mật zqxleak.', detectedOn: '2026-10-04' }],
      [border, { title: 'Vận chuyển gà lậu ban đêm', summary: 'Không có giấy kiểm dịch.', detectedOn: '2026-09-30', goods: [{ category: 'LIVESTOCK_POULTRY', description: 'Gà thịt', valueVnd: 2_000_000 }] }],
      [border, { title: 'Thuốc lá điếu Jet giấu trong xe khách', detectedOn: '2026-10-05', provinceCode: '31' }],
      [officer, { title: 'Đường cát nhập lậu', summary: 'Đường cát trắng không rõ nguồn gốc, lái xe Trần Văn Lá.', detectedOn: '2026-08-01', goods: [{ category: 'SUGAR', description: 'Đường cát trắng', valueVnd: 40_000_000 }] }],
    ];
    const ids: string[] = [];
    // Only the first names Nguyễn Văn Hùng as a subject; the Border Guard's names him in its summary.
    for (const [i, [p, over]] of cases.entries()) ids.push((await h.services.cases.create(p, CreateCaseBody.parse(makeCase({ ...(i ? { subjects: [] } : {}), ...over })))).id);
    // Two of them as a bulk write leaves them: outside the trigram index until the indexer takes them.
    await h.db.query('UPDATE cases SET search_pending = true WHERE id = ANY($1::uuid[])', [[ids[1], ids[3]]]);
    await h.db.query('SELECT refresh_case_search_trigrams(30000)');
  });
  afterAll(() => h.close());

  const queries: Partial<CaseQuery>[] = [
    { q: 'thuoc la' }, // common words, "la" without a trigram
    { q: 'nguyen van hung' }, // typed without diacritics
    { q: 'ga' }, { q: 'my pham' }, { q: 'ga giong', province: '20' },
    { q: 'macallan' }, { q: 'zqxleak' }, // rare; only a handling unit may find the second
    { q: 'khong co tu nay' }, { q: 'qz' }, // absent
    { q: 'la', force: 'BORDER_GUARD', from: '2026-10-01' }, { q: 'lau', status: 'detected', province: '20' },
  ];

  it('finds the same cases in the same order whichever plan the search takes', async () => {
    for (const p of [officer, admin]) {
      for (const q of queries) {
        const planner = await allPages(p, q, 'planner');
        expect(await allPages(p, q, 'bitmap'), `${JSON.stringify(q)} bitmap`).toEqual(planner);
        expect(await allPages(p, q, 'ordered'), `${JSON.stringify(q)} ordered`).toEqual(planner);
      }
    }
  });

  it('finds what the words say, diacritics or not, under every plan', async () => {
    for (const plan of ['bitmap', 'ordered', 'planner'] as const) {
      const titles = async (p: Principal, q: Partial<CaseQuery>) => {
        const ids = await allPages(p, q, plan);
        return (await h.db.query<{ id: string; title: string }>('SELECT id, title FROM cases WHERE id = ANY($1::uuid[])', [ids])).map((r) => r.title).sort();
      };
      expect(await titles(officer, { q: 'nguyen van hung' })).toEqual(['Bắt giữ xe tải chở thuốc lá điếu nhập lậu']); // the Border Guard's case names him only in its summary
      expect(await titles(admin, { q: 'gà GIỐNG' })).toEqual(['Gà giống nhập lậu qua đường mòn']);
      expect(await titles(officer, { q: 'macallan' })).toEqual(['Mỹ phẩm giả mạo nhãn hiệu']);
      expect(await titles(officer, { q: 'zqxleak' })).toEqual([]);
      expect(await titles(admin, { q: 'khong co tu nay' })).toEqual([]);
      expect(await titles(admin, { q: 'la', force: 'BORDER_GUARD', from: '2026-10-01' })).toEqual(['Biên phòng thu giữ thuốc lá lậu', 'Thuốc lá điếu Jet giấu trong xe khách']);
    }
  });

  it('counts the trigrams of every case and counts again when the indexer took a tenth more', async () => {
    const count = async (t: string) => (await h.db.query<{ cases: number }>('SELECT cases::int AS cases FROM case_search_trigrams WHERE trigram = $1', [t]))[0]?.cases ?? 0;
    expect(await count('')).toBe(7);
    expect(await count('mac')).toBe(1);
    const thuoc = (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE search_text LIKE '%huo%'"))[0]!.n;
    expect(thuoc).toBeGreaterThan(1);
    expect(await count('huo')).toBe(thuoc);
    const more = (await h.services.cases.create(officer, CreateCaseBody.parse(makeCase({ title: 'Rượu Macallan giả', detectedOn: '2026-07-01' })))).id;
    await h.db.query('UPDATE cases SET search_pending = true WHERE id = $1', [more]);
    await h.services.searchIndexer.drain();
    expect(await count('')).toBe(8);
    expect(await count('mac')).toBe(2);
  });
});
