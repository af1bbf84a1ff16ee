import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createTestDb, testEngines } from '@cordon/db/testing';
import type { Db } from '@cordon/db';
import { foldVietnamese } from '@cordon/reference';
import { createHarness, type Harness } from '../../testing/harness.js';
import { seedDemoCases } from '../demo/demo-cases.seed.js';
import type { Principal } from '../auth/principal.js';
import { createCaseSearchIndexer } from './search-indexer.js';

/**
 * Migration 0023's body of `case_search_keys`, as it was created: migration 0025 replaced it with a
 * faster one that must give the same key set for every input, or the existing `cases_search_keys_idx`
 * (built with this one) would miss cases.
 */
const KEYS_0023 = `CREATE FUNCTION case_search_keys_0023(search_text text, code text, title text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET jit = off AS $fn$
  SELECT ARRAY(
    SELECT substr(c.chunk, i, n)
      FROM (SELECT DISTINCT run FROM regexp_split_to_table(search_text, '[^abcdefghijklmnopqrstuvwxyz]+') AS t(run)) AS r,
        LATERAL (SELECT substr(r.run, s, 64) AS chunk FROM generate_series(1, greatest(length(r.run) - 3, 1), 61) AS s) AS c,
        generate_series(1, length(c.chunk) - 1) AS i, generate_series(2, least(4, length(c.chunk) - i + 1)) AS n
    UNION ALL
    SELECT '_' || substr(c.chunk, i, n)
      FROM (SELECT DISTINCT run FROM regexp_split_to_table(lower(translate(regexp_replace(regexp_replace(normalize(code || ' ' || title, NFD), E'[\\u0300-\\u036f]', '', 'g'), '\\s+', ' ', 'g'), 'đĐÐ', 'ddd')),
        '[^abcdefghijklmnopqrstuvwxyz]+') AS t(run)) AS r,
        LATERAL (SELECT substr(r.run, s, 64) AS chunk FROM generate_series(1, greatest(length(r.run) - 3, 1), 61) AS s) AS c,
        generate_series(1, length(c.chunk) - 1) AS i, generate_series(2, least(4, length(c.chunk) - i + 1)) AS n)
$fn$`;

/** The written rule for the search text's keys: every 2- to 4-letter substring of every maximal a–z run. */
function ruleKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const run of text.split(/[^a-z]+/)) {
    for (let i = 0; i < run.length; i++) for (let n = 2; n <= 4 && i + n <= run.length; n++) keys.add(run.slice(i, i + n));
  }
  return [...keys].sort();
}

const sortedSet = (keys: string[]) => [...new Set(keys)].sort();

/** Deterministic random texts: mostly a–z runs of any length (some past the 64-letter pieces), cut by spaces, digits, punctuation, capitals, Vietnamese letters and combining marks. */
function randomTexts(count: number, seed: number): string[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const others = [' ', ' ', ' ', '-', '.', ',', '0', '7', '9', 'A', 'Z', 'Q', 'đ', 'Đ', 'ă', 'ơ', 'ư', 'à', 'ế', 'ñ', '\u0301', '\u0323', '\t', '\n', '_', '/'];
  const texts: string[] = [];
  for (let t = 0; t < count; t++) {
    const parts: string[] = [];
    const pieces = Math.floor(rnd() * 40);
    for (let p = 0; p < pieces; p++) {
      const r = rnd();
      const len = r < 0.05 ? 60 + Math.floor(rnd() * 150) : r < 0.2 ? 1 : 2 + Math.floor(rnd() * 7);
      parts.push(Array.from({ length: len }, () => String.fromCharCode(97 + Math.floor(rnd() * (r < 0.5 ? 26 : 6)))).join(''));
      const sep = 1 + Math.floor(rnd() * 2);
      for (let k = 0; k < sep; k++) parts.push(others[Math.floor(rnd() * others.length)]!);
    }
    texts.push(parts.join(''));
  }
  return texts;
}

const VIETNAMESE = [
  ['HS-2026-000123', 'Thuốc lá điếu nhập lậu qua cửa khẩu Tân Thanh', 'Đội kiểm soát phát hiện xe tải chở 2.000 bao thuốc lá Jet, lái xe Nguyễn Văn Hùng (CCCD 001099012345) khai mua ở chợ biên giới.'],
  ['BP-2025-9', 'Đường cát trắng không rõ nguồn gốc', 'Trần Thị Lá vận chuyển 5 tấn đường cát; xhoangx, lá2, 5kg; siêu thị Macallanstore.'],
  ['QLTT-01', 'Mỹ phẩm giả mạo nhãn hiệu ở Hà Nội', 'Kho chứa mỹ phẩm, sữa và thực phẩm chức năng không có hóa đơn, chứng từ; ĐỒNG HỒ Rolex giả.'],
  ['CA-77', 'Ma túy tổng hợp — Quảng Ninh / Móng Cái', 'Đối tượng Hoàng Thị Mai cất giấu ma túy trong hàng hóa gửi qua bưu chính (chuyển phát nhanh).'],
  ['T-1', '', ''],
  ['', 'a', 'b c d'],
];

describe.each(testEngines())('case_search_keys on %s', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(engine);
    await db.exec(KEYS_0023);
  }, 120_000);
  afterAll(() => db.close());

  const keysOf = async (rows: [string, string, string][]) => {
    const r = await db.query<{ now: string[]; then: string[] }>(
      `SELECT case_search_keys(t, c, ti) AS now, case_search_keys_0023(t, c, ti) AS then
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(c, ti, t, i) ORDER BY i`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
    );
    return r.map((x) => ({ now: sortedSet(x.now), then: sortedSet(x.then) }));
  };

  it('gives the same key set as migration 0023 on random texts, and the written rule for the search text', async () => {
    const texts = randomTexts(300, 389);
    const titles = randomTexts(300, 7);
    const rows = texts.map((t, i) => [`C-${i}`, titles[i]!.slice(0, 120), t] as [string, string, string]);
    const got = await keysOf(rows);
    // the comparison means something only if migration 0025 did replace the body
    const bodies = await db.query<{ n: number }>(`SELECT count(DISTINCT prosrc)::int AS n FROM pg_proc WHERE proname IN ('case_search_keys', 'case_search_keys_0023')`);
    expect(bodies[0]!.n).toBe(2);
    let keys = 0;
    for (const [i, g] of got.entries()) {
      expect(g.now, `text ${i}: ${JSON.stringify(rows[i])}`).toEqual(g.then);
      keys += g.now.length;
    }
    expect(keys).toBeGreaterThan(10_000); // the texts do make keys
    // The search text's keys alone (empty code and title) against the rule written out above.
    const plain = await keysOf(texts.slice(0, 100).map((t) => ['', '', t]));
    for (const [i, g] of plain.entries()) expect(g.now, `text ${i}`).toEqual(ruleKeys(texts[i]!));
  });

  it('gives the same key set on Vietnamese cases (folded search text, code and title with diacritics), empty ones and a 3,000-letter run', async () => {
    const long = Array.from({ length: 3_000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[(i * 7 + (i >> 3)) % 26]).join('');
    const rows: [string, string, string][] = VIETNAMESE.map(([code, title, summary]) => [code!, title!, foldVietnamese(`${code} ${title} ${summary}`)]);
    rows.push(['HS-1', 'Hồ sơ dài', long], ['', '', ''], ['X', long, 'x']);
    const got = await keysOf(rows);
    for (const [i, g] of got.entries()) expect(g.now, `case ${i}`).toEqual(g.then);
    expect(got[0]!.now).toEqual(expect.arrayContaining(['thu', 'uoc', 'la', 'hung', '_tan', '_thuo', '_hs']));
    expect(got[rows.length - 2]!.now).toEqual([]);
    expect(got[rows.length - 3]!.now).toEqual(sortedSet([...ruleKeys(long), ...ruleKeys('hs 1 ho so dai').map((k) => `_${k}`)]));
  });
});

/** Migration 0028's body of `refresh_case_search_trigrams`, renamed: 0030 builds the key postings another way and must fill the same tables. */
const REFRESH_0028 = readFileSync(new URL('../../../../../packages/db/migrations/0028_case_search_key_postings_as_bits.sql', import.meta.url), 'utf8')
  .replace(/^[\s\S]*?(CREATE OR REPLACE FUNCTION refresh_case_search_trigrams)/, '$1')
  .replace('FUNCTION refresh_case_search_trigrams(', 'FUNCTION refresh_case_search_trigrams_0028(');

describe.each(testEngines())('the search indexer catching up after a bulk write on %s', (engine) => {
  let h: Harness;
  let admin: Principal;
  const pending = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE search_pending'))[0]!.n;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.makeUser({ username: 'admin', roles: ['admin'] });
    const id = (await h.db.kysely.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
    admin = (await h.services.auth.principalFor(id, 'token'))!;
    // written as an import writes them: pending for the text indexes
    await seedDemoCases(h.db, h.services.audit, h.clock, { count: 40, seed: 7, years: 1 });
  }, 180_000);
  afterAll(() => h.close());

  /** Cases holding the key, read through the word index alone (no sequential scan), and by evaluating the keys of every case. */
  const byIndexAndByScan = async (key: string) => {
    const q = `SELECT count(*)::int AS n FROM cases WHERE NOT search_pending AND case_search_keys(search_text, code, title) @> ARRAY[$1]::text[]`;
    await h.db.exec('SET enable_seqscan = off; SET enable_indexscan = off');
    const index = (await h.db.query<{ n: number }>(q, [key]))[0]!.n;
    await h.db.exec('RESET enable_seqscan; RESET enable_indexscan; SET enable_bitmapscan = off');
    const scan = (await h.db.query<{ n: number }>(q, [key]))[0]!.n;
    await h.db.exec('RESET enable_bitmapscan');
    return [index, scan];
  };

  it('finds pending cases by their words before the catch-up and through the word index after it, and a crash mid-catch-up loses none', async () => {
    const all = (await h.db.query<{ id: string; code: string }>('SELECT id, code FROM cases ORDER BY id')).map((r) => r.id);
    expect(all.length).toBe(40);
    expect(await pending()).toBe(40);
    // a word of the title of an internal case: the admin of the national office sees it at least in summary
    const [one] = await h.db.query<{ id: string; title: string }>(`SELECT id, title FROM cases WHERE sensitivity = 'internal' ORDER BY id DESC LIMIT 1`);
    const word = foldVietnamese(one!.title).split(/[^a-z]+/).sort((a, b) => b.length - a.length)[0]!;
    expect(word.length).toBeGreaterThanOrEqual(4);
    const found = async () => (await h.services.cases.list(admin, { q: word, limit: 100 }, { plan: 'words' })).items.map((i) => i.id);
    expect(await found()).toContain(one!.id); // through the pending branch

    // The process dies during the second batch (after its UPDATE, before its commit): that batch rolls back.
    let batches = 0;
    const crashing = createCaseSearchIndexer({ db: h.db, batchSize: 15, vacuumAfter: 1e9, afterIndex: async () => {
      if (++batches === 2) throw new Error('killed');
    } });
    await expect(crashing.drain()).rejects.toThrow('killed');
    expect(await pending()).toBe(25);
    expect(await h.services.searchIndexer.drain()).toBe(25);
    expect(await pending()).toBe(0);
    expect(await h.services.searchIndexer.drain()).toBe(0);

    expect(await found()).toContain(one!.id);
    // every case is in the word index: its code's key ('_' + first letters), read through the index, counts them all
    const codeKey = `_${(await h.db.query<{ k: string }>(`SELECT lower(substr(code, 1, 2)) AS k FROM cases LIMIT 1`))[0]!.k}`;
    expect(await byIndexAndByScan(codeKey)).toEqual([40, 40]);
    const wordKey = word.slice(0, 4);
    const [index, scan] = await byIndexAndByScan(wordKey);
    expect(index).toBeGreaterThanOrEqual(1);
    expect(index).toBe(scan);
  });

  // A drain that went on from its last id (tried: no gain measured) would step past such a case.
  it('takes, before it ends, a case that became pending behind its position in the drain', async () => {
    await h.db.exec('UPDATE cases SET search_pending = true');
    const [first] = await h.db.query<{ id: string }>('SELECT id FROM cases ORDER BY id LIMIT 1');
    let batches = 0;
    const indexer = createCaseSearchIndexer({ db: h.db, batchSize: 10, vacuumAfter: 1e9, afterIndex: async (trx) => {
      // during the third batch, the first case (indexed by the first batch) is written again as pending
      if (++batches === 3) await trx.updateTable('cases').set({ search_pending: true }).where('id', '=', first!.id).execute();
    } });
    expect(await indexer.drain()).toBe(41);
    expect(await pending()).toBe(0);
  });

  it('counts the search statistics to the same tables as migration 0028 did', async () => {
    await h.db.exec(REFRESH_0028);
    const bodies = await h.db.query<{ n: number }>(`SELECT count(DISTINCT prosrc)::int AS n FROM pg_proc WHERE proname IN ('refresh_case_search_trigrams', 'refresh_case_search_trigrams_0028')`);
    expect(bodies[0]!.n).toBe(2);
    const tables = ['case_search_trigrams', 'case_summary_trigrams', 'case_search_key_sample', 'case_search_key_postings'];
    const dump = async () => {
      const out: Record<string, string[]> = {};
      // created_at left out: the time of the count
      for (const t of tables) out[t] = (await h.db.query<{ r: string }>(`SELECT (to_jsonb(t) - 'created_at')::text AS r FROM ${t} AS t`)).map((x) => x.r).sort();
      return out;
    };
    // every case sampled (30,000 ≥ 40), so both count the same rows in the same order
    await h.db.query('SELECT refresh_case_search_trigrams_0028(30000)');
    const before = await dump();
    await h.db.query('SELECT refresh_case_search_trigrams(30000)');
    const after = await dump();
    expect(before.case_search_key_postings!.length).toBeGreaterThan(300);
    expect(before.case_search_key_sample!.length).toBe(40);
    for (const t of tables) expect(after[t], t).toEqual(before[t]);
  });
});
