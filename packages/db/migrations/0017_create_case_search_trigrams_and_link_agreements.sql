-- Text search statistics of our own, to choose the search plan per query (apps/server/src/features/cases/
-- search-plan.ts). PostgreSQL cannot estimate how many cases `search_text LIKE '%word%'` matches, so with
-- filters it walked a date-ordered index and read every case of a force for a rare or absent word
-- (p95 1.2 s at 1,000,000 cases). This table holds, per trigram (as pg_trgm's show_trgm produces them,
-- padded ones included), about how many cases contain it; '' holds the number of cases. A word's matches
-- are at most its rarest trigram's count (a two-letter word: the trigrams ending with it), which tells a
-- rare word (trigram bitmap first, then sort) from a common one (ordered walk that stops at the page).
--
-- Counted from a random sample of the cases (about 30,000, scaled to the whole table) and refreshed by the
-- search indexer when the table has grown or shrunk by a tenth: figures for choosing a plan, never for
-- deciding what matches (the query always tests the text itself).
CREATE TABLE case_search_trigrams (
  trigram     text PRIMARY KEY,
  cases       bigint NOT NULL CHECK (cases >= 0),
  created_at  timestamptz NOT NULL DEFAULT now()      -- when this count was made
);

CREATE FUNCTION refresh_case_search_trigrams(sample_size integer) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  total bigint;
  pct   double precision;
BEGIN
  -- one refresh at a time: a second waits, then replaces the first's rows instead of colliding with them
  PERFORM pg_advisory_xact_lock(hashtext('refresh_case_search_trigrams'));
  SELECT count(*) INTO total FROM cases;
  pct := least(100.0, 100.0 * sample_size / greatest(total, 1));
  DELETE FROM case_search_trigrams;
  WITH sample AS MATERIALIZED (SELECT c.search_text FROM cases c TABLESAMPLE BERNOULLI (pct)),
       size AS (SELECT greatest(count(*), 1) AS n FROM sample)
  INSERT INTO case_search_trigrams (trigram, cases)
    SELECT t, round(count(*) * total::numeric / (SELECT n FROM size))::bigint
    FROM sample s, unnest(show_trgm(s.search_text)) AS t
    GROUP BY t
    ORDER BY t;
  INSERT INTO case_search_trigrams (trigram, cases) VALUES ('', total);
  RETURN total;
END;
$fn$;

-- Not counted here: a fresh table stays empty, so a restore loads the backup's counts without colliding,
-- and the search indexer counts on its first drain after the server starts (refreshTrigramCountsIfStale).

-- A joint case needs both sides (walk-through finding: one force could confirm alone and so take the
-- other force's case out of its statistics and widen access to it). Each side's agreement, with the lead
-- unit it agreed to, is kept here until the other side agrees to the same lead; a provincial coordinator
-- of the cases' province confirms alone (apps/server/src/features/cases/joint/case-links.service.ts).
CREATE TABLE case_link_agreements (
  link_id       uuid NOT NULL REFERENCES case_links (id) ON DELETE CASCADE,
  case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,   -- the side agreeing
  lead_unit_id  uuid NOT NULL REFERENCES org_units (id),
  agreed_by     uuid NOT NULL REFERENCES users (id),
  agreed_at     timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (link_id, case_id)
);
