import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateCaseBody, type CaseQuery } from '@cordon/contracts';
import { testEngines } from '@cordon/db/testing';
import { foldVietnamese } from '@cordon/reference';
import { makeCase } from '../../testing/factories.js';
import { createHarness, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { createCaseSearchIndexer } from './search-indexer.js';
import { choosePlan, chooseSearch, innerTrigrams, isIndexedWord, loadKeyCounts, rareWords, splitSearch, shortRuns, wordKeys, wordMatches, type FilterIndex, type SearchPlan, type TrigramCounts } from './search-plan.js';

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

  it('splits the text condition only for words common in the full text and rare in titles', () => {
    const c = counts(1_000_000, { tra: 990_000, lin: 170_000, inh: 300_000, mac: 900, thu: 300_000, huo: 200_000, uoc: 250_000 }, { la: 400_000 });
    const titles = counts(1_000_000, { tra: 40_000, lin: 2_000, inh: 5_000, mac: 500, thu: 150_000, huo: 100_000, uoc: 120_000 }, { la: 300_000 });
    expect(rareWords(['tra', 'linh'], c, 51)).toBe(false); // ≈ 168,000 expected in the full text
    expect(splitSearch(['tra', 'linh'], c, titles, 51)).toBe(true); // ≈ 80 in titles
    expect(choosePlan(['tra', 'linh'], c, 51, titles)).toBe('bitmap');
    expect(splitSearch(['thuoc', 'la'], c, titles, 51)).toBe(false); // common in titles too: plain form, PostgreSQL walks
    expect(splitSearch(['macallan'], c, titles, 51)).toBe(false); // rare anyway: plain form, trigram bitmap
    expect(splitSearch(['tra', 'linh'], c, counts(0, {}), 51)).toBe(false); // titles not counted yet
  });
});

describe('word index keys', () => {
  it('asks for a word of 2 to 4 letters as one key, a longer one by its 4-letter pieces, titles marked', () => {
    expect(['la', 'thuoc', 'macallan'].map(isIndexedWord)).toEqual([true, true, true]);
    expect(['a', 'vv-2025', '0912', 'pháo', '24c'].map(isIndexedWord)).toEqual([false, false, false, false, false]);
    expect(wordKeys(['ma', 'tuy'], 'text')).toEqual(['ma', 'tuy']);
    expect(wordKeys(['hoang'], 'text')).toEqual(['hoan', 'oang']);
    expect(wordKeys(['thuoc', 'la', '24c-501'], 'summary')).toEqual(['_thuo', '_huoc', '_la']);
    expect(wordKeys(['0912', 'a'], 'text')).toEqual([]);
  });

  it('takes the word index when the sample finds the words together rarely, its title keys when rare in titles only', () => {
    const c = counts(1_000_000, { hoa: 900_000, oan: 300_000, ang: 800_000, thi: 400_000 });
    // each word common (the trigram bounds multiply to 300,000 × 0.4 = 120,000): PostgreSQL would walk
    expect(choosePlan(['hoang', 'thi'], c, 51)).toBe('planner');
    // the sample of 30,000 saw them together in 12 texts (≈ 400 cases) and in no title
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, { sample: 30_000, text: 12, summary: 0 })).toEqual({ plan: 'words', split: false, andFilters: false });
    // together in a tenth of the texts, never in a title: the summary-only side through the title keys
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, { sample: 30_000, text: 3_000, summary: 3 })).toEqual({ plan: 'words', split: true, andFilters: false });
    // together everywhere: walk newest first
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, { sample: 30_000, text: 3_000, summary: 2_000 })).toEqual({ plan: 'planner', split: false, andFilters: false });
    // a word the index cannot take narrows by its trigrams: "vv-2025-0001" is rare
    const codes = counts(1_000_000, { '202': 600_000, '025': 300_000, '000': 900_000, '001': 100 });
    expect(chooseSearch(['thuoc', 'vv-2025-0001'], codes, 51, undefined, { sample: 30_000, text: 9_000, summary: 8_000 }).plan).toBe('words');
    // nothing sampled yet: the trigram statistics decide
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, { sample: 0, text: 0, summary: 0 })).toEqual({ plan: 'planner', split: false, andFilters: false });
  });

  it('weighs the word index against a walk of the filtered cases, counted with the filters in the sample', () => {
    const c = counts(1_000_000, { ruo: 100_000, uou: 100_000, duo: 300_000, uon: 300_000, ong: 600_000, cat: 60_000 });
    // "ruou" in a tenth of the cases, but the sample saw none of them closed by Market Surveillance: a walk
    // of that force's 100,000 closed cases would never fill the page; the word index reads 100,000 cases once
    expect(chooseSearch(['ruou'], c, 51, undefined, { sample: 30_000, text: 3_000, summary: 2_500, filtered: 3_000, matched: 0 })).toEqual({ plan: 'words', split: false, andFilters: false });
    // without the filter counts the same words were left to the walk
    expect(chooseSearch(['ruou'], c, 51, undefined, { sample: 30_000, text: 3_000, summary: 2_500 }).plan).toBe('planner');
    // "duong cat" in few titles (13,000 cases) but in a tenth of the Border Guard's closed ones the user
    // sees: the walk fills a page after ≈ 510 cases, cheaper than 13,000 titles
    expect(chooseSearch(['duong', 'cat'], c, 51, undefined, { sample: 30_000, text: 1_500, summary: 390, filtered: 900, matched: 90 })).toEqual({ plan: 'ordered', split: false, andFilters: false });
    // the walk reads every case in its index's range (the force's 3,000 sampled, not only the 900 closed):
    // 51 × 3,000 / 3 sampled matches ≈ 51,000 cases, cheaper than 300,000 texts, dearer than 13,000 titles
    expect(chooseSearch(['duong', 'cat'], c, 51, undefined, { sample: 30_000, text: 9_000, summary: 390, filtered: 900, walked: 3_000, matched: 3 })).toEqual({ plan: 'words', split: true, andFilters: false });
    // with an HS code or subject filter the sample counts are upper bounds: PostgreSQL walks (or starts from their index)
    expect(chooseSearch(['duong', 'cat'], c, 51, undefined, { sample: 30_000, text: 1_500, summary: 390, filtered: 900, matched: 90, unsampledFilters: true }).plan).toBe('planner');
    expect(chooseSearch(['duong', 'cat'], c, 51, undefined, { sample: 30_000, text: 1_500, summary: 390 })).toEqual({ plan: 'words', split: true, andFilters: false });
    // one on the user's page in 900 filtered: the walk reads all 30,000; in a fifth of the texts (200,000)
    // the words cost more than that, in 13,000 titles less
    expect(chooseSearch(['duong', 'cat'], c, 51, undefined, { sample: 30_000, text: 6_000, summary: 390, filtered: 900, matched: 1 })).toEqual({ plan: 'words', split: true, andFilters: false });
    // a small filtered set (a province over a month: 300 cases) is walked whole, whatever the words
    expect(chooseSearch(['duong', 'cat'], c, 51, undefined, { sample: 30_000, text: 1_500, summary: 390, filtered: 9, matched: 0 }).plan).toBe('ordered');
  });

  it('ANDs the word bitmap with the filters\' index when that leaves far fewer cases to read', () => {
    const c = counts(1_000_000, { hoa: 300_000, oan: 200_000, ang: 500_000, thi: 400_000 });
    // "hoang thi": 32,000 cases hold the keys, none of them Customs' closed ones; the walk would read the
    // force's 120,000 cases; the word bitmap ANDed with the force's index reads its 120,000 index entries
    // (at an eighth of a case each) and no case
    const hoangThi = { sample: 30_000, text: 960, summary: 300, filtered: 3_000, walked: 3_600, walkedBy: 'force' as const, matched: 0, textFiltered: 0, summaryFiltered: 0 };
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, hoangThi)).toEqual({ plan: 'words', split: false, andFilters: 'force' });
    // rare words: a few hundred cases are cheaper to read than the force's index; so are 32,000 next to
    // Market Surveillance's 380,000 entries
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, { ...hoangThi, text: 10, textFiltered: 3 })).toEqual({ plan: 'words', split: false, andFilters: false });
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, { ...hoangThi, filtered: 9_400, walked: 11_400 })).toEqual({ plan: 'words', split: false, andFilters: false });
    // common words, a province over a few months (20,000 cases): the province's index narrows 100,000 to 2,000
    const province = { sample: 30_000, text: 3_000, summary: 1_000, filtered: 600, walked: 600, walkedBy: 'province' as const, matched: 5, textFiltered: 60, summaryFiltered: 20 };
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, province)).toEqual({ plan: 'words', split: false, andFilters: 'province' });
    // "my ga" in a province since January: 84,000 texts, in no title; the Customs officer sees the
    // province's other cases in summary only: the split form reads no title and the officer's own 3,600
    const myGa = { sample: 30_000, text: 2_500, summary: 0, filtered: 3_800, walked: 3_800, walkedBy: 'province' as const, matched: 0, textFiltered: 330, summaryFiltered: 0, own: 108 };
    expect(chooseSearch(['my', 'ga'], c, 51, undefined, myGa)).toEqual({ plan: 'words', split: true, andFilters: false });
    // without the user's own cases counted, the plain form first (as before)
    expect(chooseSearch(['my', 'ga'], c, 51, undefined, { ...myGa, own: undefined })).toEqual({ plan: 'words', split: false, andFilters: 'province' });
    // as admin (every case their own), the plain form
    expect(chooseSearch(['my', 'ga'], c, 51, undefined, { ...myGa, own: 30_000 })).toEqual({ plan: 'words', split: false, andFilters: 'province' });
    // without the counts of keys and filters together the word index costs its 100,000 cases: the walk
    expect(chooseSearch(['hoang', 'thi'], c, 51, undefined, { ...province, textFiltered: undefined, summaryFiltered: undefined })).toEqual({ plan: 'ordered', split: false, andFilters: false });
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
  const allPages = async (p: Principal, q: Partial<CaseQuery>, plan: SearchPlan, split?: boolean, andFilters?: FilterIndex | false) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.services.cases.list(p, { limit: 2, ...q, ...(cursor ? { cursor } : {}) }, { plan, split, andFilters });
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
      // words inside longer runs and next to digits ("xhoangx", "lá2"), a long word, and a text of
      // 3,000 letters without a space (keys taken from 64-letter pieces overlapping by 3)
      [border, { title: 'Hoàng Thị Mai vận chuyển ma túy', summary: 'Tang vật: xhoangx, lá2, 5kg; người nhận Hoàng Văn Thi; siêu thị Macallanstore.', detectedOn: '2026-09-12' }],
      [officer, { title: 'Hồ sơ dài', summary: Array.from({ length: 3_000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[(i * 7 + (i >> 3)) % 26]).join(''), detectedOn: '2026-07-02' }],
    ];
    const ids: string[] = [];
    // Only the first names Nguyễn Văn Hùng as a subject; the Border Guard's names him in its summary.
    for (const [i, [p, over]] of cases.entries()) ids.push((await h.services.cases.create(p, CreateCaseBody.parse(makeCase({ ...(i ? { subjects: [] } : {}), ...over })))).id);
    // Two of them as a bulk write leaves them: outside the trigram index until the indexer takes them.
    await h.db.query('UPDATE cases SET search_pending = true WHERE id = ANY($1::uuid[])', [[ids[1], ids[3]]]);
    await h.db.query('SELECT refresh_case_search_trigrams(30000)');
  }, 180_000);
  afterAll(() => h.close());

  const queries: Partial<CaseQuery>[] = [
    { q: 'thuoc la' }, // common words, "la" without a trigram
    { q: 'nguyen van hung' }, // typed without diacritics
    { q: 'ga' }, { q: 'my pham' }, { q: 'ga giong', province: '20' },
    { q: 'macallan' }, { q: 'zqxleak' }, // rare; only a handling unit may find the second
    { q: 'khong co tu nay' }, { q: 'qz' }, // absent
    { q: 'la', force: 'BORDER_GUARD', from: '2026-10-01' }, { q: 'lau', status: 'detected', province: '20' },
    { q: 'hoang thi' }, { q: 'ma tuy' }, { q: 'hoang' }, { q: 'macallanstore' }, { q: 'la 5kg' }, // word index: pieces, long words, mixed
    { q: 'hoang thi', force: 'BORDER_GUARD' }, { q: 'sieu thi mai' },
  ];

  it('finds the same cases in the same order whichever plan the search takes', async () => {
    for (const p of [officer, admin]) {
      for (const q of queries) {
        const planner = await allPages(p, q, 'planner');
        expect(await allPages(p, q, 'bitmap'), `${JSON.stringify(q)} bitmap`).toEqual(planner);
        expect(await allPages(p, q, 'ordered'), `${JSON.stringify(q)} ordered`).toEqual(planner);
        // the word index (migration 0023), plain and split
        expect(await allPages(p, q, 'words'), `${JSON.stringify(q)} words`).toEqual(planner);
        expect(await allPages(p, q, 'words', true), `${JSON.stringify(q)} words, split`).toEqual(planner);
        // the keys as a sub-select, so PostgreSQL ANDs a filter's index with the word bitmap, the other
        // filters hidden from the indexes (session 7); and every filter hidden
        const index = q.force ? 'force' : q.province ? 'province' : 'dates';
        expect(await allPages(p, q, 'words', false, index), `${JSON.stringify(q)} words, AND ${index}`).toEqual(planner);
        expect(await allPages(p, q, 'words', true, index), `${JSON.stringify(q)} words, split, AND ${index}`).toEqual(planner);
        expect(await allPages(p, q, 'words', false, false), `${JSON.stringify(q)} words, filters hidden`).toEqual(planner);
        // the split form of the text condition (words common in text, rare in titles)
        expect(await allPages(p, q, 'bitmap', true), `${JSON.stringify(q)} bitmap, split`).toEqual(planner);
        expect(await allPages(p, q, 'planner', true), `${JSON.stringify(q)} planner, split`).toEqual(planner);
      }
    }
  }, 180_000); // a few hundred pages under four ways in: slow on a loaded machine, not a timing assertion

  it('finds exactly the cases the plain rule names: every word in the text, and in the code and title of a case seen only in summary', async () => {
    // The rule written out in the test: visible cases (a search without words), each word in the stored
    // text, and, where the user sees the case only in summary, each word in its folded code and title.
    const stored = new Map((await h.db.query<{ id: string; text: string; summary: string; force: string; status: string; province: string; detected: string }>(`SELECT id, search_text AS text,
      force_code AS force, status, province_code AS province, to_char(detected_on, 'YYYY-MM-DD') AS detected,
      lower(translate(regexp_replace(regexp_replace(normalize(code || ' ' || title, NFD), '[\u0300-\u036f]', '', 'g'), '\\s+', ' ', 'g'), 'đĐÐ', 'ddd')) AS summary FROM cases`)).map((r) => [r.id, r]));
    for (const p of [officer, admin]) {
      const all: { id: string; access: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.services.cases.list(p, { limit: 100, ...(cursor ? { cursor } : {}) });
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      // text alone (the filters are compared across plans above)
      const texts = [...queries.filter((q) => Object.keys(q).length === 1).map((q) => q.q!), 'hung', 'thuoc la jet', 'kiem dich', 'bien phong', 'qxyz', 'hijk', 'zab', 'nhan hoang'];
      for (const text of texts) {
        const words = foldVietnamese(text).split(' ').filter(Boolean);
        const expected = all.filter((c) => {
          const row = stored.get(c.id)!;
          return words.every((w) => row.text.includes(w) && (c.access === 'full' || row.summary.includes(w)));
        });
        for (const plan of ['planner', 'bitmap', 'words'] as const) {
          for (const split of [false, true]) expect(await allPages(p, { q: text }, plan, split), `"${text}" as ${p.username}, ${plan}, split ${split}`).toEqual(expected.map((c) => c.id));
        }
      }
      // with filters, and the plan the search chooses itself (key sample with filter columns, migration 0026)
      const filtered: Partial<CaseQuery>[] = [
        { q: 'thuoc la', force: 'BORDER_GUARD' }, { q: 'ma tuy', force: 'BORDER_GUARD', status: 'detected' }, { q: 'ga', province: '20', from: '2026-09-30' },
        { q: 'xhoangx', force: 'BORDER_GUARD' }, { q: 'la', to: '2026-10-04' }, { q: 'duong cat', force: 'CUSTOMS', status: 'closed' }, { q: 'thi', from: '2026-09-01', to: '2026-09-30' },
      ];
      for (const q of filtered) {
        const words = foldVietnamese(q.q!).split(' ').filter(Boolean);
        const expected = all.filter((c) => {
          const row = stored.get(c.id)!;
          return words.every((w) => row.text.includes(w) && (c.access === 'full' || row.summary.includes(w)))
            && (!q.force || row.force === q.force) && (!q.status || row.status === q.status) && (!q.province || row.province === q.province)
            && (!q.from || row.detected >= q.from) && (!q.to || row.detected <= q.to);
        }).map((c) => c.id);
        const chosen = async () => {
          const ids: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await h.services.cases.list(p, { limit: 2, ...q, ...(cursor ? { cursor } : {}) });
            ids.push(...page.items.map((i) => i.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          return ids;
        };
        expect(await chosen(), `${JSON.stringify(q)} as ${p.username}, chosen plan`).toEqual(expected);
        for (const plan of ['planner', 'bitmap', 'words'] as const) {
          for (const split of [false, true]) expect(await allPages(p, q, plan, split), `${JSON.stringify(q)} as ${p.username}, ${plan}, split ${split}`).toEqual(expected);
        }
        for (const andFilters of ['dates', 'province', 'force', false] as const) {
          for (const split of [false, true]) expect(await allPages(p, q, 'words', split, andFilters), `${JSON.stringify(q)} as ${p.username}, words, split ${split}, AND ${andFilters}`).toEqual(expected);
        }
      }
    }
  }, 180_000);

  it('finds what the words say, diacritics or not, under every plan', async () => {
    for (const plan of ['bitmap', 'ordered', 'planner', 'words'] as const) {
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
    expect(await count('')).toBe(9);
    expect(await count('mac')).toBe(2); // "Macallan" and "Macallanstore"
    const thuoc = (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE search_text LIKE '%huo%'"))[0]!.n;
    expect(thuoc).toBeGreaterThan(1);
    expect(await count('huo')).toBe(thuoc);
    // the code and title apart (migration 0018): "zqxleak" is only in a summary, "jet" in a title
    const inTitles = async (t: string) => (await h.db.query<{ cases: number }>('SELECT cases::int AS cases FROM case_summary_trigrams WHERE trigram = $1', [t]))[0]?.cases ?? 0;
    expect([await count('zqx'), await inTitles('zqx')]).toEqual([1, 0]);
    expect([await inTitles('jet'), await inTitles('')]).toEqual([1, 9]);
    // the key sample (migration 0023) holds every case here (a sample of 30,000), each with its keys
    // (since 0026 as posting lists: the sampled ids holding each key)
    // (since 0028 as bit strings: bit id − 1 set for each sampled case holding the key)
    const sampled = async (keys: string[]) => (await h.db.query<{ n: number }>(`SELECT coalesce(bit_count(bit_and(bits)), 0)::int AS n FROM case_search_key_postings
      WHERE key = ANY($1::text[])`, [keys]))[0]!.n;
    const sampleSize = (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_search_key_sample'))[0]!.n;
    const la = (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE search_text LIKE '%la%'"))[0]!.n;
    expect([sampleSize, await sampled(['ma', 'tuy']), await sampled(['_ma', '_tuy']), await sampled(['hoan', 'oang', 'thi']), await sampled(['la'])]).toEqual([9, 1, 1, 1, la]);
    expect(await loadKeyCounts(h.db.kysely, ['hoang', 'thi'])).toEqual({ sample: 9, text: 1, summary: 1 });
    // with the filters and who searches (migration 0026): the Border Guard's four cases; "ma tuy" is in the
    // title of one, which the Lạng Sơn officer sees in summary; "xhoangx" only in its summary, which the
    // Border Guard officer sees and the Lạng Sơn one does not
    const bg = await principal('bg.officer');
    const scoped = async (words: string[], p: Principal, query: Partial<CaseQuery>) => {
      const k = (await loadKeyCounts(h.db.kysely, words, { query, unitIds: p.unitIds }))!;
      return [k.filtered, k.matched];
    };
    // a walk of the Border Guard's closed cases goes through the force's index: all its cases in range
    expect((await loadKeyCounts(h.db.kysely, ['la'], { query: { force: 'BORDER_GUARD', status: 'closed' }, unitIds: bg.unitIds }))!.walked).toBe(4);
    expect((await loadKeyCounts(h.db.kysely, ['la'], { query: { force: 'BORDER_GUARD', province: '31', from: '2026-10-05' }, unitIds: bg.unitIds }))!.walked).toBe(1);
    // and which index that walk takes: the Border Guard's four cases, fewer than the ten in all
    expect((await loadKeyCounts(h.db.kysely, ['la'], { query: { force: 'BORDER_GUARD', status: 'closed' }, unitIds: bg.unitIds }))!.walkedBy).toBe('force');
    expect((await loadKeyCounts(h.db.kysely, ['la'], { query: { status: 'closed' }, unitIds: bg.unitIds }))!.walkedBy).toBe('dates');
    expect(await scoped(['ma', 'tuy'], officer, { force: 'BORDER_GUARD' })).toEqual([4, 1]);
    expect(await scoped(['xhoangx'], officer, { force: 'BORDER_GUARD' })).toEqual([4, 0]);
    // the holders passing the filters, whoever sees them (what the word bitmap ANDed with the filters leaves)
    const holders = async (words: string[], query: Partial<CaseQuery>) => {
      const k = (await loadKeyCounts(h.db.kysely, words, { query, unitIds: officer.unitIds }))!;
      return [k.textFiltered, k.summaryFiltered];
    };
    expect(await holders(['xhoangx'], { force: 'BORDER_GUARD' })).toEqual([1, 0]); // in a summary, not a title
    expect(await holders(['ma', 'tuy'], { force: 'BORDER_GUARD' })).toEqual([1, 1]);
    expect(await holders(['ma', 'tuy'], { force: 'CUSTOMS' })).toEqual([0, 0]);
    // the user's own cases (the split form's full-view branch), whatever the filters: five of the Lạng Sơn officer's, four of the Border Guard's
    expect((await loadKeyCounts(h.db.kysely, ['la'], { query: { force: 'BORDER_GUARD' }, unitIds: officer.unitIds }))!.own).toBe(5);
    expect((await loadKeyCounts(h.db.kysely, ['la'], { query: { force: 'BORDER_GUARD' }, unitIds: bg.unitIds }))!.own).toBe(4);
    expect(await scoped(['xhoangx'], bg, { force: 'BORDER_GUARD' })).toEqual([4, 1]);
    expect(await scoped(['xhoangx'], bg, { force: 'BORDER_GUARD', to: '2026-09-12' })).toEqual([1, 1]);
    expect(await scoped(['xhoangx'], bg, { force: 'BORDER_GUARD', from: '2026-09-13' })).toEqual([3, 0]);
    expect(await scoped(['thuoc', 'la'], bg, { province: '31', status: 'detected' })).toEqual([1, 1]);
    expect(await scoped(['thuoc', 'la'], bg, { status: 'closed' })).toEqual([0, 0]);
    const more = (await h.services.cases.create(officer, CreateCaseBody.parse(makeCase({ title: 'Rượu Macallan giả', detectedOn: '2026-07-01' })))).id;
    await h.db.query('UPDATE cases SET search_pending = true WHERE id = $1', [more]);
    await h.services.searchIndexer.drain();
    expect(await count('')).toBe(10);
    expect(await count('mac')).toBe(3);
  });

  it('vacuums the cases after a large drain, so the pending index holds no dead entries', async () => {
    const id = (await h.services.cases.create(officer, CreateCaseBody.parse(makeCase({ title: 'Xăng dầu nhập lậu', detectedOn: '2026-06-01' })))).id;
    await h.db.query('UPDATE cases SET search_pending = true WHERE id = $1', [id]);
    const vacuumed = async () => (await h.db.query<{ n: number }>("SELECT coalesce(vacuum_count, 0)::int AS n FROM pg_stat_user_tables WHERE relname = 'cases' AND schemaname = current_schema()"))[0]?.n ?? 0;
    const before = await vacuumed();
    expect(await createCaseSearchIndexer({ db: h.db, vacuumAfter: 1 }).drain()).toBeGreaterThanOrEqual(1);
    expect(await vacuumed()).toBe(before + 1);
    expect(await allPages(officer, { q: 'xang dau' }, 'bitmap')).toEqual([id]);
  });
});
