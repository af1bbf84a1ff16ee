-- Text search for viewers who see most matching cases only in summary (issue 3). Another force's internal
-- cases match a search on their code and title alone (the summary text in cases.service.ts `searchQuery`),
-- but the trigram index covered only the full search text: a word common in full text and rare in titles
-- ("tra linh" as a Customs officer: "tra" is in every case, "linh" in a sixth) read far through it
-- (1.6–2.8 s at 1,000,000 cases). This index is over the very expression the query tests (folded code and
-- title), partial like cases_search_idx (bulk writes leave it to the search indexer, migration 0006), and
-- the summary-only side of a search starts from it.
CREATE INDEX cases_summary_search_idx ON cases USING gin ((lower(translate(regexp_replace(regexp_replace(normalize(code || ' ' || title, NFD), E'[\u0300-\u036f]', '', 'g'), '\s+', ' ', 'g'), 'đĐÐ', 'ddd'))) gin_trgm_ops)
  WHERE NOT search_pending;

-- How many cases contain each trigram in that summary text, counted from the same sample as
-- case_search_trigrams ('' = the number of cases): the plan for the summary-only side is chosen from it.
-- Derived: empty after migrating, filled by the search indexer's next count.
CREATE TABLE case_summary_trigrams (
  trigram     text PRIMARY KEY,
  cases       bigint NOT NULL CHECK (cases >= 0),
  created_at  timestamptz NOT NULL DEFAULT now()
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
  CREATE TEMP TABLE case_trigram_sample ON COMMIT DROP AS
    SELECT c.search_text, lower(translate(regexp_replace(regexp_replace(normalize(c.code || ' ' || c.title, NFD), E'[\u0300-\u036f]', '', 'g'), '\s+', ' ', 'g'), 'đĐÐ', 'ddd')) AS summary_text
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
  DROP TABLE case_trigram_sample;
  RETURN total;
END;
$fn$;
