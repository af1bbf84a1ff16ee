-- The key sample's postings as bit strings, and the filters' indexes in the page's order (issue 3;
-- apps/server/src/features/cases/search-plan.ts `loadKeyCounts`, `chooseSearch`).
--
-- Counting the sampled cases that hold all of a query's keys unnested each key's id list and grouped the
-- ids: for common keys (held by most of the 30,000 sampled cases) that was 150,000 rows to hash for
-- "khong ro nguon goc", 27–126 ms of every search's choice at 1,000,000 cases (load ≈ 7), more than many
-- pages took. Now each key holds one bit string of the sample's length (bit id − 1 set when sampled case
-- `id` holds the key): the keys' strings ANDed (`bit_and`) and the ones counted (`bit_count`) take well
-- under a millisecond, and the pass over the sample tests a case with `get_bit`. Stored compressed
-- (TOAST), a rare key's string is a few hundred bytes: 3.3 MB for 1,858 keys (the id lists: 29 MB).
--
-- The existing lists are converted here (ids run 1 … sample size), so nothing needs counting again;
-- refresh_case_search_trigrams builds the strings from then on. The conversion took ≈ 5 s at 1,000,000
-- cases, each index below ≈ 2 s (load ≈ 5).
ALTER TABLE case_search_key_postings ADD COLUMN bits bit varying;
UPDATE case_search_key_postings p SET bits = (
  SELECT (string_agg(repeat('0', id - prev - 1) || '1', '' ORDER BY id) || repeat('0', (SELECT count(*)::integer FROM case_search_key_sample) - max(id)))::varbit
  FROM (SELECT id, lag(id, 1, 0) OVER (ORDER BY id) AS prev FROM unnest(p.ids) AS id) AS x);
ALTER TABLE case_search_key_postings DROP COLUMN ids;
ALTER TABLE case_search_key_postings ALTER COLUMN bits SET NOT NULL;

-- The filters' date-ordered indexes end with the id, as the search's order does (detected_on DESC, id
-- DESC): a walk newest first through one force's (province's, violation type's) cases is then in the
-- page's order. Before, it needed an incremental sort by id, and PostgreSQL walked cases_detected_idx
-- over every force instead ("ga" + Market Surveillance + closed: 49,875 cases read against 18,469
-- through the force, 170–390 ms against 80–160 ms at 1,000,000). Replaced, not added: the old two
-- columns are a prefix of the new, and an import writes no more indexes than before.
DROP INDEX cases_force_idx;
CREATE INDEX cases_force_idx ON cases (force_code, detected_on, id);
DROP INDEX cases_province_idx;
CREATE INDEX cases_province_idx ON cases (province_code, detected_on, id);
DROP INDEX cases_type_idx;
CREATE INDEX cases_type_idx ON cases (violation_type, detected_on, id);

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
  -- each key's sampled ids as one bit string of the sample's length (bit id - 1 set), built from the gaps
  -- between its ids in order: '0' × gap, then '1'
  INSERT INTO case_search_key_postings (key, bits)
    SELECT key, (string_agg(repeat('0', id - prev - 1) || '1', '' ORDER BY id) || repeat('0', (SELECT count(*)::integer FROM case_trigram_sample) - max(id)))::varbit
    FROM (SELECT key, id, lag(id, 1, 0) OVER (PARTITION BY key ORDER BY id) AS prev
          FROM (SELECT DISTINCT k AS key, s.id FROM case_trigram_sample s, unnest(s.keys) AS k) AS d) AS x
    GROUP BY key;
  DROP TABLE case_trigram_sample;
  ANALYZE case_search_key_sample;
  ANALYZE case_search_key_postings;
  RETURN total;
END;
$fn$;
