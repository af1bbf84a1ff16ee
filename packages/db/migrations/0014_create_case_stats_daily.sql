-- Daily sums for the edge days of a report period that does not start or end on a month boundary
-- (15 January – 20 October): 0011 read those days from the cases, ~5 s at 2,000,000 cases. Whole months
-- still come from case_stats_monthly; the days outside whole months come from here.
--
-- Same keys and columns as case_stats_monthly (see 0011), with the day instead of the month. Both tables
-- are kept by the same statement triggers on cases: the changed rows are expanded into facts once, summed
-- per day into this table, and those daily sums rolled up per month into case_stats_monthly, in the same
-- statement and transaction as the write.
CREATE TABLE case_stats_daily (
  day                    date NOT NULL,
  kind                   text NOT NULL CHECK (kind IN ('detected', 'penalty', 'transferred', 'prosecuted')),
  dim                    text NOT NULL CHECK (dim IN ('', 'unit', 'route', 'borderGate', 'category')),
  province_code          text NOT NULL,
  force_code             text NOT NULL,            -- '' when the case has none
  report_group           text NOT NULL,
  key                    text NOT NULL,            -- '' for dim '' and for a case without that attribute
  n                      bigint NOT NULL,
  n_sensitive            bigint NOT NULL,
  fine_vnd               bigint NOT NULL,          -- VND; penalty rows only, 0 elsewhere
  confiscated_value_vnd  bigint NOT NULL,
  collected_vnd          bigint NOT NULL,
  defendants             bigint NOT NULL,          -- prosecuted rows only
  -- The sums ride in the key's index so a report reads a day range with an index-only scan: a day's rows
  -- are scattered over the whole table (cases of every date arrive in every import), and at 2,000,000
  -- cases reading them from the heap meant reading most of the table.
  PRIMARY KEY (day, kind, dim, province_code, force_code, report_group, key)
    INCLUDE (n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants)
);

-- enable_nestloop off: transition tables carry no statistics, and the planner joined old and new rows of
-- one big UPDATE (634,000 cases) by nested loop: 12 minutes before it was cancelled. A hash join costs
-- nothing extra on the small batches every other writer sends.
CREATE OR REPLACE FUNCTION case_stats_apply() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $fn$
DECLARE
  src text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    src := 'SELECT 1 AS sign, * FROM case_stats_new';
  ELSIF TG_OP = 'DELETE' THEN
    src := 'SELECT -1 AS sign, * FROM case_stats_old';
  ELSE
    -- Most updates change no figure (titles, workflow notes, the search indexer's flag): stop early.
    -- (PostgreSQL allows no column list on a trigger with transition tables.)
    IF NOT EXISTS (SELECT 1 FROM case_stats_old o JOIN case_stats_new n ON n.id = o.id
        WHERE (o.detected_on, o.penalty_decided_on, o.transferred_on, o.prosecuted_on, o.counts_in_statistics, o.sensitivity,
               o.province_code, o.force_code, o.source_unit_id, o.route, o.border_gate, o.report_group, o.goods_categories,
               o.fine_vnd, o.confiscated_value_vnd, o.collected_vnd, o.defendants)
          IS DISTINCT FROM (n.detected_on, n.penalty_decided_on, n.transferred_on, n.prosecuted_on, n.counts_in_statistics, n.sensitivity,
               n.province_code, n.force_code, n.source_unit_id, n.route, n.border_gate, n.report_group, n.goods_categories,
               n.fine_vnd, n.confiscated_value_vnd, n.collected_vnd, n.defendants)) THEN
      RETURN NULL;
    END IF;
    src := 'SELECT -1 AS sign, * FROM case_stats_old UNION ALL SELECT 1 AS sign, * FROM case_stats_new';
  END IF;
  -- Both upserts go in key order, so concurrent statements never deadlock with each other.
  EXECUTE format($q$
    WITH d AS MATERIALIZED (
      SELECT k.day, k.kind, d.dim, c.province_code, coalesce(c.force_code, '') AS force_code, c.report_group, d.key,
        sum(c.sign) AS n, sum(c.sign * CASE WHEN c.sensitivity <> 'internal' THEN 1 ELSE 0 END) AS n_sensitive,
        sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.fine_vnd ELSE 0 END) AS fine_vnd,
        sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.confiscated_value_vnd ELSE 0 END) AS confiscated_value_vnd,
        sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.collected_vnd ELSE 0 END) AS collected_vnd,
        sum(c.sign * CASE WHEN k.kind = 'prosecuted' THEN c.defendants ELSE 0 END) AS defendants
      FROM (%s) c
      CROSS JOIN LATERAL (VALUES ('detected', c.detected_on), ('penalty', c.penalty_decided_on),
        ('transferred', c.transferred_on), ('prosecuted', c.prosecuted_on)) AS k (kind, day)
      CROSS JOIN LATERAL (
        SELECT v.dim, v.key FROM (VALUES ('', ''), ('unit', c.source_unit_id::text), ('route', coalesce(c.route, '')),
          ('borderGate', coalesce(c.border_gate, ''))) AS v (dim, key)
        UNION ALL
        SELECT 'category', x FROM unnest(CASE WHEN cardinality(c.goods_categories) = 0 THEN ARRAY['']::text[] ELSE c.goods_categories END) AS x
      ) AS d
      WHERE c.counts_in_statistics AND k.day IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7
    ), changed AS (
      SELECT * FROM d WHERE n <> 0 OR n_sensitive <> 0 OR fine_vnd <> 0 OR confiscated_value_vnd <> 0 OR collected_vnd <> 0 OR defendants <> 0
    ), daily AS (
      INSERT INTO case_stats_daily AS s (day, kind, dim, province_code, force_code, report_group, key,
        n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants)
      SELECT * FROM changed ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (day, kind, dim, province_code, force_code, report_group, key) DO UPDATE SET
        n = s.n + excluded.n, n_sensitive = s.n_sensitive + excluded.n_sensitive, fine_vnd = s.fine_vnd + excluded.fine_vnd,
        confiscated_value_vnd = s.confiscated_value_vnd + excluded.confiscated_value_vnd,
        collected_vnd = s.collected_vnd + excluded.collected_vnd, defendants = s.defendants + excluded.defendants
    )
    INSERT INTO case_stats_monthly AS s (month, kind, dim, province_code, force_code, report_group, key,
      n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants)
    SELECT date_trunc('month', day)::date, kind, dim, province_code, force_code, report_group, key,
      sum(n), sum(n_sensitive), sum(fine_vnd), sum(confiscated_value_vnd), sum(collected_vnd), sum(defendants)
    FROM changed
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(n) <> 0 OR sum(n_sensitive) <> 0 OR sum(fine_vnd) <> 0 OR sum(confiscated_value_vnd) <> 0
      OR sum(collected_vnd) <> 0 OR sum(defendants) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, kind, dim, province_code, force_code, report_group, key) DO UPDATE SET
      n = s.n + excluded.n, n_sensitive = s.n_sensitive + excluded.n_sensitive, fine_vnd = s.fine_vnd + excluded.fine_vnd,
      confiscated_value_vnd = s.confiscated_value_vnd + excluded.confiscated_value_vnd,
      collected_vnd = s.collected_vnd + excluded.collected_vnd, defendants = s.defendants + excluded.defendants
  $q$, src);
  RETURN NULL;
END
$fn$;

-- The cases already recorded, summed once (before the guard below exists: this insert is not nested).
INSERT INTO case_stats_daily (day, kind, dim, province_code, force_code, report_group, key,
  n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants)
SELECT k.day, k.kind, d.dim, c.province_code, coalesce(c.force_code, ''), c.report_group, d.key,
  count(*), count(*) FILTER (WHERE c.sensitivity <> 'internal'),
  coalesce(sum(c.fine_vnd) FILTER (WHERE k.kind = 'penalty'), 0),
  coalesce(sum(c.confiscated_value_vnd) FILTER (WHERE k.kind = 'penalty'), 0),
  coalesce(sum(c.collected_vnd) FILTER (WHERE k.kind = 'penalty'), 0),
  coalesce(sum(c.defendants) FILTER (WHERE k.kind = 'prosecuted'), 0)
FROM cases c
CROSS JOIN LATERAL (VALUES ('detected', c.detected_on), ('penalty', c.penalty_decided_on),
  ('transferred', c.transferred_on), ('prosecuted', c.prosecuted_on)) AS k (kind, day)
CROSS JOIN LATERAL (
  SELECT v.dim, v.key FROM (VALUES ('', ''), ('unit', c.source_unit_id::text), ('route', coalesce(c.route, '')),
    ('borderGate', coalesce(c.border_gate, ''))) AS v (dim, key)
  UNION ALL
  SELECT 'category', x FROM unnest(CASE WHEN cardinality(c.goods_categories) = 0 THEN ARRAY['']::text[] ELSE c.goods_categories END) AS x
) AS d
WHERE c.counts_in_statistics AND k.day IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Rows arrive only from the case triggers (nested: trigger depth 2); a backup restore replaying this table
-- after or before its cases is dropped silently, as for the monthly sums (case_stats_only_from_cases, 0011).
CREATE TRIGGER case_stats_daily_guard BEFORE INSERT ON case_stats_daily FOR EACH ROW EXECUTE FUNCTION case_stats_only_from_cases();

-- These served only the edge days read from the cases; every insert of a decided case paid for them.
DROP INDEX cases_penalty_decided_idx;
DROP INDEX cases_transferred_idx;
DROP INDEX cases_prosecuted_idx;

-- The small-cell rule of the reports counts, per viewer, the restricted and secret cases the viewer may
-- open (apps/server/src/features/reports/reports.queries.ts): found through their handling units or the
-- names on a secret case. Partial, so only those few rows pay for them on insert.
CREATE INDEX cases_sensitive_handling_idx ON cases USING gin (handling_unit_ids) WHERE sensitivity <> 'internal';
CREATE INDEX cases_secret_named_idx ON cases USING gin (named_user_ids) WHERE sensitivity = 'secret';
