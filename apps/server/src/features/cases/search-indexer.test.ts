import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testEngines } from '@cordon/db/testing';
import type { Db } from '@cordon/db';
import { foldVietnamese } from '@cordon/reference';

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
