-- A word-level index for text search (issue 3; apps/server/src/features/cases/search-plan.ts). The trigram
-- index answers `search_text LIKE '%word%'` by ANDing the word's trigrams and rechecking every case that has
-- them all: for words each common but rarely together ("hoang thi": "hoa", "oan", "ang", "thi" are in most
-- cases) that is most of the table, and a two-letter word ("la", "ma") has no trigram at all, so PostgreSQL
-- walked a date-ordered index instead, for seconds.
--
-- The rule stays the substring rule. A word made only of the letters a–z is in the text iff it is in one
-- of the text's maximal runs of a–z (an occurrence cannot cross a character outside a–z). So the index
-- holds, per case, every substring of 2 to 4 letters of every a–z run as an array element (GIN, `@>`): a
-- word of 2 to 4 letters is exactly one key ("ma", "tuy", "thuo"), several words are one GIN scan
-- intersecting their posting lists (skipping through the common ones by the rare one), no recheck; a
-- longer word asks for all its 4-letter substrings (a superset: the LIKE test the query keeps decides).
-- The same for the folded code and title (the text a case seen only in summary is searched by, as in
-- migration 0018), marked with a leading '_' ('_tuy'). Words with digits or other characters, and one-
-- letter words, keep the trigram index (searchQuery decides per word).
--
-- Partial like the trigram indexes (migration 0006): bulk writes leave it to the search indexer. An array
-- (not a tsvector): no size limit to fail a case write on, nothing to quote. `SET jit = off`: the body's
-- set-returning functions are costed at 1,000 rows each, which passed jit_above_cost and had LLVM compile
-- the body on every call (≈ 200 ms a case). Runs are cut into pieces of 64 letters overlapping by 3 (every
-- substring of up to 4 letters lies in one): `substr` counts characters from the start of its text, so
-- taking each key from a 20,000-letter run directly cost seconds per case.
CREATE FUNCTION case_search_keys(search_text text, code text, title text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET jit = off AS $fn$
  SELECT ARRAY(
    SELECT substr(c.chunk, i, n)
      FROM (SELECT DISTINCT run FROM regexp_split_to_table(search_text, '[^abcdefghijklmnopqrstuvwxyz]+') AS t(run)) AS r,
        LATERAL (SELECT substr(r.run, s, 64) AS chunk FROM generate_series(1, greatest(length(r.run) - 3, 1), 61) AS s) AS c,
        generate_series(1, length(c.chunk) - 1) AS i, generate_series(2, least(4, length(c.chunk) - i + 1)) AS n
    UNION ALL
    SELECT '_' || substr(c.chunk, i, n)
      FROM (SELECT DISTINCT run FROM regexp_split_to_table(lower(translate(regexp_replace(regexp_replace(normalize(code || ' ' || title, NFD), E'[\u0300-\u036f]', '', 'g'), '\s+', ' ', 'g'), 'đĐÐ', 'ddd')),
        '[^abcdefghijklmnopqrstuvwxyz]+') AS t(run)) AS r,
        LATERAL (SELECT substr(r.run, s, 64) AS chunk FROM generate_series(1, greatest(length(r.run) - 3, 1), 61) AS s) AS c,
        generate_series(1, length(c.chunk) - 1) AS i, generate_series(2, least(4, length(c.chunk) - i + 1)) AS n)
$fn$;

CREATE INDEX cases_search_keys_idx ON cases USING gin (case_search_keys(search_text, code, title)) WHERE NOT search_pending;

-- The keys of the sampled cases (the sample refresh_case_search_trigrams counts trigrams from), with their
-- own GIN index: how many cases hold all of a query's keys, read from the sample, is an estimate that
-- knows which words go together ("hoang thi": each word in a fifth of the cases, together in few titles),
-- where per-trigram counts could only multiply. Derived: empty after migrating, filled by the next count.
CREATE TABLE case_search_key_sample (
  id    integer PRIMARY KEY,
  keys  text[] NOT NULL
);
CREATE INDEX case_search_key_sample_idx ON case_search_key_sample USING gin (keys);

CREATE OR REPLACE FUNCTION refresh_case_search_trigrams(sample_size integer) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  total bigint;
  pct   double precision;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('refresh_case_search_trigrams'));
  SELECT count(*) INTO total FROM cases;
  pct := least(100.0, 100.0 * sample_size / greatest(total, 1));
  DELETE FROM case_search_trigrams;
  DELETE FROM case_summary_trigrams;
  DELETE FROM case_search_key_sample;
  CREATE TEMP TABLE case_trigram_sample ON COMMIT DROP AS
    SELECT c.search_text, lower(translate(regexp_replace(regexp_replace(normalize(c.code || ' ' || c.title, NFD), E'[\u0300-\u036f]', '', 'g'), '\s+', ' ', 'g'), 'đĐÐ', 'ddd')) AS summary_text,
      case_search_keys(c.search_text, c.code, c.title) AS keys
    FROM cases c TABLESAMPLE BERNOULLI (pct);
  INSERT INTO case_search_trigrams (trigram, cases)
    SELECT t, round(count(*) * total::numeric / (SELECT greatest(count(*), 1) FROM case_trigram_sample))::bigint
    FROM case_trigram_sample s, unnest(show_trgm(s.search_text)) AS t
    GROUP BY t
    ORDER BY t;
  INSERT INTO case_search_trigrams (trigram, cases) VALUES ('', total);
  INSERT INTO case_summary_trigrams (trigram, cases)
    SELECT t, round(count(*) * total::numeric / (SELECT greatest(count(*), 1) FROM case_trigram_sample))::bigint
    FROM case_trigram_sample s, unnest(show_trgm(s.summary_text)) AS t
    GROUP BY t
    ORDER BY t;
  INSERT INTO case_summary_trigrams (trigram, cases) VALUES ('', total);
  INSERT INTO case_search_key_sample (id, keys) SELECT row_number() OVER (), keys FROM case_trigram_sample;
  DROP TABLE case_trigram_sample;
  RETURN total;
END;
$fn$;
