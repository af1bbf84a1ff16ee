-- A confirmed joint case counts once, but what each force decided on its own record counts too.
--
-- Before: only the joint group's counted case (the lead's) reached the sums, so when Customs fined its
-- record of a seizure and the coordinator then made the Border Guard the lead, the fine, the penalty
-- decision and any prosecution on Customs' record left the situation report (found in a walk-through:
-- 0 penalties and 0 VND for the day of a 75,000,000 VND fine). Now the 'detected' row (the number of
-- cases) comes from the counted case only; 'penalty', 'transferred' and 'prosecuted' rows (decisions,
-- fines, confiscations, collections, defendants) come from every record of the group: each is a decision
-- of its own unit. Same statement as 0014 otherwise, with 0021's jit = off (CREATE OR REPLACE resets the
-- function's settings, so both are restated).
--
-- The sums already held are corrected through the function itself (the sum tables take rows only from
-- the case triggers): the records that do not count are made to count under the old function (every
-- row of theirs added), then, under the new one, made not to count again (every row removed, the
-- decisions added back). Net: their decisions are added, their 'detected' rows untouched. Joint groups
-- are few, so the two updates are small.
CREATE TEMP TABLE joint_not_counted ON COMMIT DROP AS SELECT id FROM cases WHERE NOT counts_in_statistics;
UPDATE cases SET counts_in_statistics = true WHERE id IN (SELECT id FROM joint_not_counted);

CREATE OR REPLACE FUNCTION case_stats_apply() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off SET jit = off AS $fn$
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
      WHERE (c.counts_in_statistics OR k.kind <> 'detected') AND k.day IS NOT NULL
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

UPDATE cases SET counts_in_statistics = false WHERE id IN (SELECT id FROM joint_not_counted);
