-- The search statistics' refresh (refresh_case_search_trigrams, migration 0028) with the same results in
-- about 40% less time (issue 3, the text index catch-up after an import: the search indexer counts
-- again at the end of a drain that grew the cases by a tenth, and a 20,000-case import's catch-up spent
-- more backend CPU on this count than on indexing the cases).
--
-- Only the key postings are built differently. 0028 made every sampled case's keys distinct with one
-- DISTINCT over all (key, id) pairs (10.9 million rows at 20,000 sampled cases: case_search_keys may
-- repeat a key, migration 0025), then sorted the 4.7 million distinct pairs by key (the database
-- collation's text comparison) and id for the window, and each key's ids again for its ordered
-- string_agg. Here each case's keys are made distinct on their own (a small hash per case), grouped by
-- key into an id array by hashing (no sort of text), and only each key's own ids (integers) are sorted.
-- The strings are the same: each is built from its key's ids in id order, whatever order the keys come
-- in. Measured on 20,000 generated import cases (all sampled; PostgreSQL 15, backend CPU, load 7–17):
-- postings 11.3–12.5 s → 4.1–4.2 s, the whole refresh 19.8–20.6 s → 11.8–12.3 s (0028 and this body
-- alternated on one database, the same tables each time). search-indexer.test.ts compares this body's tables with 0028's on
-- both engines.
CREATE OR REPLACE FUNCTION refresh_case_search_trigrams(sample_size integer) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  total   bigint;
  pct     double precision;
  sampled integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('refresh_case_search_trigrams'));
  SELECT count(*) INTO total FROM cases;
  pct := least(100.0, 100.0 * sample_size / greatest(total, 1));
  DELETE FROM case_search_trigrams;
  DELETE FROM case_summary_trigrams;
  DELETE FROM case_search_key_sample;
  DELETE FROM case_search_key_postings;
  CREATE TEMP TABLE case_trigram_sample ON COMMIT DROP AS
    SELECT row_number() OVER ()::integer AS id, c.search_text,
      lower(translate(regexp_replace(regexp_replace(normalize(c.code || ' ' || c.title, NFD), E'[\u0300-\u036f]', '', 'g'), '\s+', ' ', 'g'), 'đĐÐ', 'ddd')) AS summary_text,
      case_search_keys(c.search_text, c.code, c.title) AS keys,
      c.detected_on, c.province_code, c.force_code, c.status, c.violation_type, c.route, c.sensitivity, c.handling_unit_ids, c.goods_categories, c.goods_value_vnd
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
  INSERT INTO case_search_key_sample (id, detected_on, province_code, force_code, status, violation_type, route, sensitivity, handling_unit_ids, goods_categories, goods_value_vnd)
    SELECT id, detected_on, province_code, force_code, status, violation_type, route, sensitivity, handling_unit_ids, goods_categories, goods_value_vnd
    FROM case_trigram_sample;
  -- each key's sampled ids as one bit string of the sample's length (bit id - 1 set), built from the gaps
  -- between its ids in order: '0' × gap, then '1'
  SELECT count(*) INTO sampled FROM case_trigram_sample;
  INSERT INTO case_search_key_postings (key, bits)
    SELECT g.key, (SELECT (string_agg(repeat('0', id - prev - 1) || '1', '' ORDER BY id) || repeat('0', sampled - max(id)))::varbit
                   FROM (SELECT id, lag(id, 1, 0) OVER (ORDER BY id) AS prev FROM unnest(g.ids) AS id) AS x)
    FROM (SELECT u.k AS key, array_agg(s.id) AS ids
          FROM case_trigram_sample s, LATERAL (SELECT DISTINCT k FROM unnest(s.keys) AS k) AS u
          GROUP BY u.k) AS g;
  DROP TABLE case_trigram_sample;
  ANALYZE case_search_key_sample;
  ANALYZE case_search_key_postings;
  RETURN total;
END;
$fn$;
