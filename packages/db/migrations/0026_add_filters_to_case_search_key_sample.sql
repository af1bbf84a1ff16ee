-- The key sample (migration 0023) with the columns the search filters test (issue 3; apps/server/src/
-- features/cases/search-plan.ts `loadKeyCounts`). The plan chooser counted the sampled cases holding a
-- query's keys, but not which of them pass the query's filters: "ruou" + Market Surveillance + closed
-- looked common (so PostgreSQL walked 378,680 cases of the force for no row), "duong cat" in titles looked
-- rare (so the word index read 12,920 cases when the force's newest closed ones had a page of them). With
-- the filter columns and the sensitivity and handling units (who sees a case in full, who in summary),
-- the chooser counts the sampled cases that would be on the user's page: how far a walk newest first goes
-- before it fills a page, and whether it ever does.
--
-- The keys move to a posting table (key → the sampled ids holding it): counting the sampled cases that
-- hold a common key through the GIN index over the arrays rechecked every one of them, decompressing its
-- array of ≈ 1,000 keys (13,091 sampled cases for "la": 336 ms, the text and title counts together 0.7 s
-- of a two-letter search at 1,000,000 cases). Intersecting the keys' id lists costs milliseconds.
--
-- Derived like before: dropped and made again empty; the next count (refresh_case_search_trigrams, the
-- search indexer's first drain) fills it. Until then the trigram statistics decide.
DROP TABLE case_search_key_sample;
CREATE TABLE case_search_key_sample (
  id                integer PRIMARY KEY,
  detected_on       date NOT NULL,
  province_code     text NOT NULL,
  force_code        text,
  status            text NOT NULL,
  violation_type    text NOT NULL,
  route             text,
  sensitivity       text NOT NULL,
  handling_unit_ids uuid[] NOT NULL,
  goods_categories  text[] NOT NULL,
  goods_value_vnd   bigint NOT NULL
);
-- every key of the sampled cases (case_search_keys: text keys, and '_' ones of the code and title) with
-- the ids of the sampled cases holding it, each once
CREATE TABLE case_search_key_postings (
  key  text PRIMARY KEY,
  ids  integer[] NOT NULL
);

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
  INSERT INTO case_search_key_postings (key, ids)
    SELECT k, array_agg(DISTINCT s.id) FROM case_trigram_sample s, unnest(s.keys) AS k GROUP BY k;
  DROP TABLE case_trigram_sample;
  ANALYZE case_search_key_sample;
  ANALYZE case_search_key_postings;
  RETURN total;
END;
$fn$;
