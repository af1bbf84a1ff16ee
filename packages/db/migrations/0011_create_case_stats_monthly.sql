-- Situation reports read monthly sums instead of scanning every case in the period: at 2,000,000 cases a
-- ten-month report against the same period compared ~1.1 million case rows; the same figures are a few
-- tens of thousands of rows here.
--
-- One row per month (the first day), figure kind (the event date it counts by), 2025 province, force,
-- 389 report group, and one breakdown key: dim '' is the case itself (key ''), 'unit' the recording unit,
-- 'route', 'borderGate', and 'category' (a case with several goods categories counts under each; none is
-- key ''). Force, province and report group breakdowns read the dim '' rows. Only counting rows
-- (counts_in_statistics) are summed. n_sensitive counts the restricted and secret cases among n, for the
-- small-cell rule of the reports (see docs/development.md).
--
-- Kept exact by statement triggers on cases, in the same transaction as every write (the API, imports,
-- the demo seed, joint-case confirm and unlink, custody proceeds, restores): the change is the facts of
-- the new rows minus the facts of the old ones. Days at the edges of a period that does not start or end
-- on a month boundary are read from the cases themselves (the date indexes below).
CREATE TABLE case_stats_monthly (
  month                  date NOT NULL,
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
  PRIMARY KEY (month, kind, dim, province_code, force_code, report_group, key)
);

CREATE FUNCTION case_stats_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
  EXECUTE format($q$
    INSERT INTO case_stats_monthly AS s (month, kind, dim, province_code, force_code, report_group, key,
      n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants)
    SELECT date_trunc('month', k.day)::date, k.kind, d.dim, c.province_code, coalesce(c.force_code, ''), c.report_group, d.key,
      sum(c.sign), sum(c.sign * CASE WHEN c.sensitivity <> 'internal' THEN 1 ELSE 0 END),
      sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.fine_vnd ELSE 0 END),
      sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.confiscated_value_vnd ELSE 0 END),
      sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.collected_vnd ELSE 0 END),
      sum(c.sign * CASE WHEN k.kind = 'prosecuted' THEN c.defendants ELSE 0 END)
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
    HAVING sum(c.sign) <> 0 OR sum(c.sign * CASE WHEN c.sensitivity <> 'internal' THEN 1 ELSE 0 END) <> 0
      OR sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.fine_vnd ELSE 0 END) <> 0
      OR sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.confiscated_value_vnd ELSE 0 END) <> 0
      OR sum(c.sign * CASE WHEN k.kind = 'penalty' THEN c.collected_vnd ELSE 0 END) <> 0
      OR sum(c.sign * CASE WHEN k.kind = 'prosecuted' THEN c.defendants ELSE 0 END) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, kind, dim, province_code, force_code, report_group, key) DO UPDATE SET
      n = s.n + excluded.n, n_sensitive = s.n_sensitive + excluded.n_sensitive, fine_vnd = s.fine_vnd + excluded.fine_vnd,
      confiscated_value_vnd = s.confiscated_value_vnd + excluded.confiscated_value_vnd,
      collected_vnd = s.collected_vnd + excluded.collected_vnd, defendants = s.defendants + excluded.defendants
  $q$, src);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER case_stats_insert AFTER INSERT ON cases
  REFERENCING NEW TABLE AS case_stats_new FOR EACH STATEMENT EXECUTE FUNCTION case_stats_apply();
CREATE TRIGGER case_stats_update AFTER UPDATE ON cases
  REFERENCING OLD TABLE AS case_stats_old NEW TABLE AS case_stats_new FOR EACH STATEMENT EXECUTE FUNCTION case_stats_apply();
CREATE TRIGGER case_stats_delete AFTER DELETE ON cases
  REFERENCING OLD TABLE AS case_stats_old FOR EACH STATEMENT EXECUTE FUNCTION case_stats_apply();

-- The cases already recorded: an UPDATE that sets nothing fires nothing, so sum them once here.
INSERT INTO case_stats_monthly (month, kind, dim, province_code, force_code, report_group, key,
  n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants)
SELECT date_trunc('month', k.day)::date, k.kind, d.dim, c.province_code, coalesce(c.force_code, ''), c.report_group, d.key,
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

-- Rows arrive only from the triggers above (nested: trigger depth 2). Anything else, such as a backup
-- restore replaying this table after its cases (whose inserts already rebuilt it), is dropped silently.
CREATE FUNCTION case_stats_only_from_cases() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER case_stats_guard BEFORE INSERT ON case_stats_monthly FOR EACH ROW EXECUTE FUNCTION case_stats_only_from_cases();

-- The edge days of a period that is not whole months are read from cases by each figure's own date.
CREATE INDEX cases_penalty_decided_idx ON cases (penalty_decided_on) WHERE penalty_decided_on IS NOT NULL;
CREATE INDEX cases_transferred_idx ON cases (transferred_on) WHERE transferred_on IS NOT NULL;
CREATE INDEX cases_prosecuted_idx ON cases (prosecuted_on) WHERE prosecuted_on IS NOT NULL;
