// For tests: the report sums (case_stats_monthly, case_stats_daily) against a recomputation from the
// cases. Used by the reports' own tests and by every writer of cases that must keep them exact (imports).
import type { Db } from '@cordon/db';

/** The monthly sums (migration 0011) or the daily sums (0014), recomputed from the cases. */
const recomputed = (period: 'month' | 'day') => `
  SELECT ${period === 'month' ? `date_trunc('month', k.day)::date` : 'k.day'} AS period, k.kind, d.dim, c.province_code, coalesce(c.force_code, '') AS force_code, c.report_group, d.key,
    count(*)::bigint AS n, count(*) FILTER (WHERE c.sensitivity <> 'internal')::bigint AS n_sensitive,
    coalesce(sum(c.fine_vnd) FILTER (WHERE k.kind = 'penalty'), 0)::bigint AS fine_vnd,
    coalesce(sum(c.confiscated_value_vnd) FILTER (WHERE k.kind = 'penalty'), 0)::bigint AS confiscated_value_vnd,
    coalesce(sum(c.collected_vnd) FILTER (WHERE k.kind = 'penalty'), 0)::bigint AS collected_vnd,
    coalesce(sum(c.defendants) FILTER (WHERE k.kind = 'prosecuted'), 0)::bigint AS defendants
  FROM cases c
  CROSS JOIN LATERAL (VALUES ('detected', c.detected_on), ('penalty', c.penalty_decided_on), ('transferred', c.transferred_on), ('prosecuted', c.prosecuted_on)) AS k (kind, day)
  CROSS JOIN LATERAL (
    SELECT v.dim, v.key FROM (VALUES ('', ''), ('unit', c.source_unit_id::text), ('route', coalesce(c.route, '')), ('borderGate', coalesce(c.border_gate, ''))) AS v (dim, key)
    UNION ALL SELECT 'category', x FROM unnest(CASE WHEN cardinality(c.goods_categories) = 0 THEN ARRAY['']::text[] ELSE c.goods_categories END) AS x
  ) AS d
  WHERE (c.counts_in_statistics OR k.kind <> 'detected') AND k.day IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7`;
const stored = (period: 'month' | 'day') => `SELECT ${period}, kind, dim, province_code, force_code, report_group, key, n, n_sensitive, fine_vnd, confiscated_value_vnd, collected_vnd, defendants
  FROM ${period === 'month' ? 'case_stats_monthly' : 'case_stats_daily'} WHERE n <> 0 OR n_sensitive <> 0 OR fine_vnd <> 0 OR confiscated_value_vnd <> 0 OR collected_vnd <> 0 OR defendants <> 0`;

/** Rows where the stored monthly or daily sums and the recomputation disagree (none when exact). */
export async function statsDrift(db: Db) {
  const rows: unknown[] = [];
  for (const period of ['month', 'day'] as const) {
    const [want, have] = [recomputed(period), stored(period)];
    rows.push(...(await db.query(`(SELECT '${period}' AS sums, * FROM (${want} EXCEPT ${have}) x) UNION ALL (SELECT '${period}:stored', * FROM (${have} EXCEPT ${want}) y)`)));
  }
  return rows;
}
