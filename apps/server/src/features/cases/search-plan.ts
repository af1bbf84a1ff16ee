import type { CaseQuery } from '@cordon/contracts';
import { sql, type Database, type Kysely, type RawBuilder } from '@cordon/db';

/**
 * Choosing how to run a text search (GET /api/cases?q=…) from our own trigram statistics
 * (`case_search_trigrams`, migration 0017). PostgreSQL cannot estimate `LIKE '%word%'`; left alone it
 * walked a date-ordered index and read every case of a force for a rare or absent word. Both plans below
 * return exactly the same rows in the same order (the query is the same; only the access path differs).
 *
 *  - `bitmap`: the trigram index finds the candidate cases first (ANDed with a filter's index when that
 *    helps), then they are sorted. Its cost grows with the cases the words match.
 *  - `ordered`: walk the filters' date-ordered index newest first, test each case's text, stop at the
 *    page. Its cost grows with how far one walks to fill a page: cases / matches × page size.
 *  - `planner`: leave it to PostgreSQL. Chosen for common words when the key sample cannot count with
 *    the filters (session 4: PostgreSQL walked a better index for them than `ordered` forces: 145 against
 *    175 ms for "thuoc la" in Hà Nội) and when nothing is counted yet (an empty or new database).
 *    Since migration 0026 the sample measures the walk with the filters, and a short one is forced
 *    (`ordered`): PostgreSQL, unable to estimate the words, ANDed bitmaps instead ("duong cat" + Border
 *    Guard + closed: 0.9 s against 40 ms).
 */
export type SearchPlan = 'bitmap' | 'ordered' | 'planner' | 'words';

/**
 * The date-ordered indexes of the filters (migrations 0003, 0028: detection date alone, or after the
 * province, force or violation type): what a walk newest first reads, and what the `words` plan may AND
 * its word bitmap with (SearchChoice `andFilters`).
 */
export type FilterIndex = 'dates' | 'province' | 'force' | 'type';

/** Longest key of the word index (migration 0023): every substring of 2 to 4 letters of each a–z run. */
export const WORD_KEY_MAX = 4;

/**
 * Words the word index (migration 0023, `case_search_keys`) can find: two or more of the letters a–z and
 * nothing else. Such a word is in a text iff it is in one of the text's a–z runs, and the index holds
 * every substring of 2 to 4 letters of every run.
 */
export const isIndexedWord = (word: string) => /^[a-z]{2,}$/.test(word);

/**
 * The keys a case must hold (`case_search_keys(…) @> keys`) for every indexed word: a word of 2 to 4
 * letters is its own key (exact); a longer one gives its 4-letter substrings (every case containing it
 * has them all; the query's LIKE test decides). `summary`: the code-and-title keys ('_' in front).
 * Empty when no word is indexed.
 */
export function wordKeys(words: string[], side: 'text' | 'summary'): string[] {
  const mark = side === 'summary' ? '_' : '';
  const keys = new Set<string>();
  for (const w of words.filter(isIndexedWord)) {
    if (w.length <= WORD_KEY_MAX) keys.add(mark + w);
    else for (let i = 0; i + WORD_KEY_MAX <= w.length; i++) keys.add(mark + w.slice(i, i + WORD_KEY_MAX));
  }
  return [...keys];
}

/**
 * How much more a case read on the ordered walk costs than one the bitmap plan reads (random heap
 * access and a text test against a page-ordered heap scan), tuned at 1,000,000 cases (docs/development.md).
 */
const WALK_COST_RATIO = 4;

/** The alphanumeric runs of a folded word: what pg_trgm makes trigrams of (anything else separates). */
const alnumParts = (word: string) => word.match(/[\p{L}\p{N}]+/gu) ?? [];

/** Trigrams every case matching `LIKE '%word%'` contains: the inner trigrams of each run of 3 or more. */
export function innerTrigrams(word: string): string[] {
  const out = new Set<string>();
  for (const part of alnumParts(word)) for (let i = 0; i + 3 <= part.length; i++) out.add(part.slice(i, i + 3));
  return [...out];
}

/** Runs of exactly two characters when the word has no longer run: "la", "ga", "my" have no trigram of their own. */
export function shortRuns(word: string): string[] {
  const parts = alnumParts(word);
  return parts.some((p) => p.length >= 3) ? [] : [...new Set(parts.filter((p) => p.length === 2))];
}

export interface TrigramCounts {
  /** Cases counted (the '' row). */
  total: number;
  /** Cases containing each trigram asked for; a trigram missing from the sample counts 0. */
  byTrigram: Map<string, number>;
  /** For each two-letter run asked for: the sum over trigrams ending with it (an upper bound). */
  byShortRun: Map<string, number>;
}

/**
 * At most how many cases contain the word (as a substring of their folded text): its rarest trigram's
 * count; a two-letter word's count is bounded by the trigrams ending with it (padded " la" included);
 * a one-letter word matches anything.
 */
export function wordMatches(word: string, counts: TrigramCounts): number {
  const trigrams = innerTrigrams(word);
  if (trigrams.length) return Math.min(...trigrams.map((t) => counts.byTrigram.get(t) ?? 0));
  const runs = shortRuns(word);
  if (runs.length) return Math.min(counts.total, ...runs.map((r) => counts.byShortRun.get(r) ?? 0));
  return counts.total;
}

/** Cases expected to match every word, the words taken as independent. */
export function expectedMatches(words: string[], counts: TrigramCounts): number {
  const total = counts.total;
  if (total <= 0) return 0;
  return words.reduce((m, w) => m * Math.min(1, wordMatches(w, counts) / total), total);
}

/**
 * The bitmap plan when it reads fewer (weighted) cases than a walk: the bitmap reads about `matches`
 * cases; a walk about `total / matches × pageSize`, each costing WALK_COST_RATIO more. Break-even:
 * matches² = ratio × pageSize × total (≈ 14,000 of 1,000,000 for a page of 51). Otherwise PostgreSQL
 * chooses (it walks a date-ordered index for common words, which is what they need).
 */
export function choosePlan(words: string[], counts: TrigramCounts, pageSize: number, summary?: TrigramCounts): SearchPlan {
  if (rareWords(words, counts, pageSize)) return 'bitmap';
  // common in the full text, rare in titles: the split form's BitmapOr (see splitSearch)
  if (summary && splitSearch(words, counts, summary, pageSize)) return 'bitmap';
  return 'planner';
}

/**
 * The split form of the text condition (cases.service.ts `searchQuery`) for words common in the full
 * text but rare in codes and titles ("tra linh"): the summary-only side starts from the title index,
 * the full side from the user's own cases. Elsewhere the plain form: for common words its walk tests
 * the cheap full text first (the split form computed the folded title of every case walked: "thuoc la"
 * went from ≈ 0.3 to 7–21 s under load).
 */
export function splitSearch(words: string[], counts: TrigramCounts, summary: TrigramCounts, pageSize: number): boolean {
  return summary.total > 0 && !rareWords(words, counts, pageSize) && rareWords(words, summary, pageSize);
}

/**
 * Whether the words are rare enough in the full text for the trigram index to start from (the bitmap
 * plan's test). Otherwise the search hides them from that index where the user's own cases are a
 * better start (see splitSearch).
 */
export function rareWords(words: string[], counts: TrigramCounts, pageSize: number): boolean {
  if (counts.total <= 0) return false;
  // A query made only of one- and two-letter words has no trigram for a bitmap to start from.
  if (words.every((w) => innerTrigrams(w).length === 0)) return false;
  const matches = expectedMatches(words, counts);
  return matches * matches <= WALK_COST_RATIO * pageSize * counts.total;
}

/** What the key sample (migrations 0023, 0026, 0028: `case_search_key_sample`, `case_search_key_postings`) says about a query's indexed words. */
export interface KeyCounts {
  /** Cases sampled (0: not counted yet). */
  sample: number;
  /** Sampled cases whose text holds every key of the indexed words. */
  text: number;
  /** Sampled cases whose code and title hold every key. */
  summary: number;
  /**
   * With the query's filters (`loadKeyCounts` given a scope): sampled cases passing them, whoever may
   * see them (what a walk newest first reads through), and of those the ones on the user's page: the
   * text holds every key where the user sees the case in full, the code and title where only in summary.
   */
  filtered?: number;
  matched?: number;
  /** The query has filters the sample cannot test (HS code, subject): filtered and matched are upper bounds. */
  unsampledFilters?: boolean;
  /** Sampled cases in the range of the shortest walk a date-ordered index offers for the filters (walkRanges). */
  walked?: number;
  /** That index: the one a filter bitmap would come from too. */
  walkedBy?: FilterIndex;
  /**
   * Sampled cases passing the filters whose text (`textFiltered`) or code and title (`summaryFiltered`)
   * hold every key, whoever may see them: what the word index's bitmap leaves once ANDed with the filters'
   * indexes (the heap pages the `words` plan then reads).
   */
  textFiltered?: number;
  summaryFiltered?: number;
  /** Sampled cases the user's units handle: what the split form's full-view branch reads (the handling index), whatever the words. */
  own?: number;
}

/** The search a key count is for: the query's filters and the units of the user (who sees what in full). */
export interface SampleScope {
  query: Omit<CaseQuery, 'cursor' | 'limit'>;
  unitIds: string[];
}

/**
 * The query's filters over the key sample (alias `k`), as `searchQuery` states them over the cases; the
 * HS code and subject filters need the cases' children and are left out (the counts are then upper
 * bounds, filtered and matched alike).
 */
function sampleFilters(q: SampleScope['query']) {
  const c: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (q.from) c.push(sql<boolean>`k.detected_on >= ${q.from}::date`);
  if (q.to) c.push(sql<boolean>`k.detected_on <= ${q.to}::date`);
  if (q.province) c.push(sql<boolean>`k.province_code = ${q.province}`);
  if (q.force) c.push(sql<boolean>`k.force_code = ${q.force}`);
  if (q.unit) c.push(sql<boolean>`k.handling_unit_ids @> ARRAY[${q.unit}]::uuid[]`);
  if (q.category) c.push(sql<boolean>`k.goods_categories @> ARRAY[${q.category}]::text[]`);
  if (q.route) c.push(sql<boolean>`k.route = ${q.route}`);
  if (q.status) c.push(sql<boolean>`k.status = ${q.status}`);
  if (q.type) c.push(sql<boolean>`k.violation_type = ${q.type}`);
  if (q.minValue !== undefined) c.push(sql<boolean>`k.goods_value_vnd >= ${q.minValue}`);
  if (q.maxValue !== undefined) c.push(sql<boolean>`k.goods_value_vnd <= ${q.maxValue}`);
  return sql.join(c, sql` AND `);
}

/**
 * The date-ordered indexes a walk can take (migration 0003: detection date alone, or after the
 * province, force or violation type), each as the sample rows in its range: a walk reads every case in
 * the range, newest first, and tests the other filters and the words on each.
 */
function walkRanges(q: SampleScope['query']) {
  const dates: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (q.from) dates.push(sql<boolean>`k.detected_on >= ${q.from}::date`);
  if (q.to) dates.push(sql<boolean>`k.detected_on <= ${q.to}::date`);
  const inDates = sql.join(dates, sql` AND `);
  const ranges: [FilterIndex, RawBuilder<unknown>][] = [['dates', inDates]];
  if (q.province) ranges.push(['province', sql`${inDates} AND k.province_code = ${q.province}`]);
  if (q.force) ranges.push(['force', sql`${inDates} AND k.force_code = ${q.force}`]);
  if (q.type) ranges.push(['type', sql`${inDates} AND k.violation_type = ${q.type}`]);
  return sql.join(ranges.map(([name, r]) => sql`count(*) FILTER (WHERE ${r})::float8 AS ${sql.ref(`walk_${name}`)}`));
}

/**
 * Counts the sampled cases holding all the keys of the query's indexed words, in the text and in the
 * code and title: the words' co-occurrence as the sample saw it (the keys' bit strings ANDed and counted,
 * `case_search_key_postings`, migrations 0026, 0028). With a scope, also the sampled cases passing the
 * filters and those of them on the user's page (one pass over the sample's narrow rows, each case's bit
 * read with `get_bit`). Null when no word is indexed.
 */
export async function loadKeyCounts(db: Kysely<Database>, words: string[], scope?: SampleScope): Promise<KeyCounts | null> {
  const text = wordKeys(words, 'text');
  if (!text.length) return null;
  const summary = wordKeys(words, 'summary');
  // bit id − 1 set for each sampled case holding every key; null when a key is in no sampled case.
  // `|| B''` makes a new string: a single key's is the stored one, compressed, and get_bit decompressed
  // it for every sampled case (17 against 5 ms for "ga")
  const holding = (keys: string[]) => sql`SELECT CASE WHEN count(*) = ${keys.length} THEN bit_and(p.bits) || B'' END AS b
    FROM case_search_key_postings p WHERE p.key = ANY(${sql.val(keys)}::text[])`;
  const inText = sql<boolean>`get_bit((SELECT b FROM tk), k.id - 1) = 1`;
  const inSummary = sql<boolean>`get_bit((SELECT b FROM sk), k.id - 1) = 1`;
  const units = sql`${sql.val(scope?.unitIds ?? [])}::uuid[]`;
  const { rows } = await sql<KeyCounts>`WITH tk AS MATERIALIZED (${holding(text)}), sk AS MATERIALIZED (${holding(summary)})
    SELECT coalesce((SELECT max(id) FROM case_search_key_sample), 0)::float8 AS sample,
      coalesce((SELECT bit_count(b) FROM tk), 0)::float8 AS text,
      coalesce((SELECT bit_count(b) FROM sk), 0)::float8 AS summary
      ${scope ? sql`, f.*` : sql``}
    ${scope
      ? sql`FROM (SELECT count(*) FILTER (WHERE ${sampleFilters(scope.query)})::float8 AS filtered, ${walkRanges(scope.query)},
          count(*) FILTER (WHERE ${sampleFilters(scope.query)} AND ${inText})::float8 AS text_filtered,
          count(*) FILTER (WHERE ${sampleFilters(scope.query)} AND ${inSummary})::float8 AS summary_filtered,
          count(*) FILTER (WHERE k.handling_unit_ids && ${units})::float8 AS own,
          count(*) FILTER (WHERE ${sampleFilters(scope.query)} AND ((k.handling_unit_ids && ${units} AND ${inText})
            OR (k.sensitivity = 'internal' AND NOT k.handling_unit_ids && ${units} AND ${inSummary})))::float8 AS matched
          FROM case_search_key_sample k
          -- no sampled case holds the keys: nothing to count (the word index finds nothing to read)
          WHERE (SELECT b FROM tk) IS NOT NULL OR (SELECT b FROM sk) IS NOT NULL) f`
      : sql``}`.execute(db);
  if (!scope) return rows[0]!;
  const { filtered, matched, text_filtered: textFiltered, summary_filtered: summaryFiltered, own, ...rest } = rows[0]! as unknown as Record<string, number>;
  // the shortest walk: its index, and how many sampled cases it reads
  const [walkedBy, walked] = (Object.entries(rest).filter(([k]) => k.startsWith('walk_')) as [string, number][])
    .map(([k, n]) => [k.slice('walk_'.length) as FilterIndex, n] as const)
    .reduce((a, b) => (b[1] < a[1] ? b : a));
  const counts: KeyCounts = { sample: rest.sample!, text: rest.text!, summary: rest.summary!, filtered, matched, walked, walkedBy, textFiltered, summaryFiltered, own };
  return scope.query.hs || scope.query.subject ? { ...counts, unsampledFilters: true } : counts;
}

/**
 * How a text search runs: the access path, the form of the text condition, and under `words` whether
 * the word index's bitmap is to be ANDed with a filter's index (`andFilters`, cases.service.ts
 * `searchQuery`). Given the keys as constants PostgreSQL multiplies a default 0.5% per key (the partial
 * expression index has no statistics), expects a row or two for three keys and reads every case holding
 * them ("hoang thi" + Market Surveillance + closed: 32,260 cases, none passing); given them as one
 * sub-select it expects 0.5% of the cases and ANDs the filter bitmaps it is offered. So under `words` the
 * filters are offered to the indexes only for the index named here, and hidden otherwise. The same rows
 * either way: the LIKE tests and the filters decide.
 */
export interface SearchChoice {
  plan: SearchPlan;
  split: boolean;
  /** The filter index to AND with (its filters stated for the indexes, the others hidden from them), or none. */
  andFilters: FilterIndex | false;
}

/**
 * How much cheaper a filter index's entry read into a bitmap is than a case the word index's bitmap
 * makes the heap scan read and test (docs/development.md, session 7: Market Surveillance's 378,680
 * entries took 35–300 ms under load, a case read from the OS cache 3–8 µs).
 */
const INDEX_ENTRY_RATIO = 8;

/**
 * How much dearer than reading a case it is to compute its word keys (`case_search_keys`, ≈ 0.2 ms):
 * the split form's title side is an arm of an OR, so the keys condition is a filter on each case it
 * finds, not only an index condition (admin, "gia mao" in a province: 1,820 cases, 1 s).
 */
const KEYS_COST_RATIO = 20;

/**
 * The plan and the form of the text condition for a query. With the key sample (migration 0023) and
 * at least one indexed word: the expected matches are the sample's share of cases holding every key
 * (co-occurrence measured, not assumed), times the trigram bound of any other word. Without filter
 * counts: rare in the text → the word index (`words`); common in the text but rare in titles → the word
 * index's title keys for the summary-only side (`words`, split); otherwise PostgreSQL walks a
 * date-ordered index (`planner`, plain). With filter counts (migration 0026) by cost: the word index
 * reads the cases holding the keys, or (session 7) with the keys as a sub-select only those passing the
 * filters plus the filter index's range read as a bitmap (`andFilters`, when that is cheaper); the split
 * form the title keys' cases that way plus the user's own cases; a walk newest first reads `walked /
 * matched × page` cases of its index's range (all of the range when the sample saw none on the user's
 * page), each WALK_COST_RATIO dearer. The cheaper word form when not dearer than the walk; else the walk,
 * forced (`ordered`) since its length was measured.
 * Without a sample, the trigram statistics decide as before (choosePlan, splitSearch).
 */
export function chooseSearch(words: string[], counts: TrigramCounts, pageSize: number, summary?: TrigramCounts, keys?: KeyCounts | null): SearchChoice {
  if (keys && keys.sample > 0 && counts.total > 0) {
    const total = counts.total;
    const others = words.filter((w) => !isIndexedWord(w));
    // the share of cases the other words (digits, punctuation, one letter) leave, as independent
    const otherShare = expectedMatches(others, counts) / total;
    const scaled = (sampled: number) => (sampled / keys.sample) * total * otherShare;
    if (keys.matched !== undefined && (keys.walked ?? keys.filtered) !== undefined) {
      const walked = ((keys.walked ?? keys.filtered)! / keys.sample) * total;
      const matched = scaled(keys.matched);
      const walk = matched > 0 ? Math.min(walked, (walked / matched) * pageSize) : walked;
      // The word index's cost: the cases holding the keys, or, ANDed with the filters' index (the walk's
      // range, read as a bitmap at INDEX_ENTRY_RATIO the cost of a case), those of them passing the filters.
      const wordsCost = (holding: number, holdingFiltered: number | undefined) => {
        const alone = scaled(holding);
        const anded = holdingFiltered === undefined ? Infinity : scaled(holdingFiltered) + walked / INDEX_ENTRY_RATIO;
        return anded < alone ? { cost: anded, andFilters: keys.walkedBy ?? ('dates' as const) } : { cost: alone, andFilters: false as const };
      };
      // The split form reads the title keys' cases, computes the keys of those passing (KEYS_COST_RATIO)
      // and, in its full-view branch, reads the user's own cases; it goes first when that is cheaper than
      // the plain form (the user's own cases not counted: the plain form first, as before).
      const plain = wordsCost(keys.text, keys.textFiltered);
      const split = wordsCost(keys.summary, keys.summaryFiltered);
      const splitCost = split.cost + scaled(keys.summaryFiltered ?? 0) * KEYS_COST_RATIO;
      const splitFirst = keys.own !== undefined && splitCost + (keys.own / keys.sample) * total < plain.cost;
      const plainForm = { cost: plain.cost, split: false, andFilters: plain.andFilters };
      const splitForm = { cost: splitCost, split: true, andFilters: split.andFilters };
      for (const form of splitFirst ? [splitForm, plainForm] : [plainForm, splitForm]) {
        if (form.cost <= WALK_COST_RATIO * walk) return { plan: 'words', split: form.split, andFilters: form.andFilters };
      }
      // a short walk measured with the filters: force it (PostgreSQL, not knowing the words, ANDed their
      // trigram bitmap with the filters' instead: "duong cat" + Border Guard + closed 0.9 s against 40 ms)
      // (not with an HS code or subject filter: the sample cannot count those, and PostgreSQL starts from their index)
      return { plan: keys.unsampledFilters ? 'planner' : 'ordered', split: false, andFilters: false };
    } else {
      // no filter counts (the rule before 0026): the whole table walked, for matches spread evenly
      const rare = (matches: number) => matches * matches <= WALK_COST_RATIO * pageSize * total;
      if (rare(scaled(keys.text))) return { plan: 'words', split: false, andFilters: false };
      if (rare(scaled(keys.summary))) return { plan: 'words', split: true, andFilters: false };
    }
    return { plan: 'planner', split: false, andFilters: false };
  }
  return { plan: choosePlan(words, counts, pageSize, summary), split: summary ? splitSearch(words, counts, summary, pageSize) : false, andFilters: false };
}

/**
 * Reads the counts a query's words need: one small indexed lookup, a scan of the table for two-letter
 * words. `summary`: the counts over the folded code and title (case_summary_trigrams, migration 0018).
 */
export async function loadTrigramCounts(db: Kysely<Database>, words: string[], of: 'text' | 'summary' = 'text'): Promise<TrigramCounts> {
  const trigrams = [...new Set(words.flatMap(innerTrigrams))];
  const runs = [...new Set(words.flatMap(shortRuns))];
  const table = sql.table(of === 'summary' ? 'case_summary_trigrams' : 'case_search_trigrams');
  const { rows } = await sql<{ trigram: string; cases: number }>`SELECT trigram, cases::float8 AS cases FROM ${table}
    WHERE trigram = '' OR trigram = ANY(${sql.val(trigrams)}::text[])`.execute(db);
  const byShortRun = new Map<string, number>();
  if (runs.length) {
    const { rows: sums } = await sql<{ run: string; cases: number }>`SELECT right(trigram, 2) AS run, sum(cases)::float8 AS cases FROM ${table}
      WHERE right(trigram, 2) = ANY(${sql.val(runs)}::text[]) GROUP BY 1`.execute(db);
    for (const s of sums) byShortRun.set(s.run, s.cases);
  }
  const byTrigram = new Map(rows.filter((r) => r.trigram !== '').map((r) => [r.trigram, r.cases]));
  return { total: rows.find((r) => r.trigram === '')?.cases ?? 0, byTrigram, byShortRun };
}

/** `work_mem` of a text search's transaction: exact bitmaps for a few hundred thousand cases. */
export const SEARCH_WORK_MEM = '32MB';

/**
 * Planner settings for the chosen plan, local to the caller's transaction (one statement). Switching a
 * path off only makes PostgreSQL prefer the others: the query and its result are unchanged. `work_mem`
 * for every text plan: a bitmap over many cases past 4 MB turns lossy and every case of a lossy page is
 * tested again, and PostgreSQL's own plans (`planner`) build bitmaps too ("nhap lau" + Police + closed:
 * 44,221 lossy pages under 4 MB at 1,000,000 cases).
 */
export async function applyPlan(trx: Kysely<Database>, plan: SearchPlan): Promise<void> {
  const off = plan === 'bitmap' || plan === 'words' ? ['enable_indexscan', 'enable_seqscan'] : plan === 'ordered' ? ['enable_bitmapscan', 'enable_seqscan'] : [];
  // jit off: a walk's estimated cost passes jit_above_cost and LLVM compiled it on every search (≈ 30 ms
  // of a 40 ms page at 1,000,000 cases)
  const settings = [sql`set_config('work_mem', ${SEARCH_WORK_MEM}, true)`, sql`set_config('jit', 'off', true)`, ...off.map((name) => sql`set_config(${name}, 'off', true)`)];
  await sql`SELECT ${sql.join(settings)}`.execute(trx);
}

/** Stats older than this share of growth or shrinkage are counted again. */
const STALE_SHARE = 0.1;
/** Cases sampled for the counts: enough to tell 30 cases in 1,000,000 from none. */
export const STATS_SAMPLE = 30_000;

/**
 * Counts the trigrams again (from a sample) when the cases have grown or shrunk by a tenth since the
 * last count; the search indexer calls it after a drain. Returns whether it counted.
 */
export async function refreshTrigramCountsIfStale(db: Kysely<Database>, indexedSince = 0): Promise<boolean> {
  const { rows } = await sql<{ counted: number; now: number }>`SELECT
      coalesce((SELECT cases FROM case_search_trigrams WHERE trigram = ''), 0)::float8 AS counted,
      (SELECT count(*) FROM cases)::float8 AS now`.execute(db);
  const { counted, now } = rows[0]!;
  if (Math.abs(now - counted) <= STALE_SHARE * Math.max(counted, 1) && indexedSince <= STALE_SHARE * Math.max(counted, 1)) return false;
  await sql`SELECT refresh_case_search_trigrams(${STATS_SAMPLE})`.execute(db);
  return true;
}
