import { sql, type Db, type RawBuilder } from '@cordon/db';
import type { ReportFigureKey } from '@cordon/contracts';
import { visibleRowsCondition } from '../access/access.service.js';
import type { Principal } from '../auth/principal.js';
import { RECORD_TYPE as CASE_RECORD_TYPE } from '../cases/cases.service.js';

export interface Period {
  from: string;
  to: string;
}

/** Each figure, the date it counts by, and how it aggregates. One place, so SQL and UI agree. */
export const FIGURE_DEFINITIONS: Record<ReportFigureKey, { date: 'detected_on' | 'penalty_decided_on' | 'transferred_on' | 'prosecuted_on'; agg: 'count' | string; where?: string }> = {
  cases: { date: 'detected_on', agg: 'count' },
  smuggling: { date: 'detected_on', agg: 'count', where: "report_group = 'smuggling'" },
  tradeFraud: { date: 'detected_on', agg: 'count', where: "report_group = 'trade_fraud'" },
  counterfeit: { date: 'detected_on', agg: 'count', where: "report_group = 'counterfeit'" },
  penalties: { date: 'penalty_decided_on', agg: 'count' },
  finesVnd: { date: 'penalty_decided_on', agg: 'fine_vnd' },
  confiscatedVnd: { date: 'penalty_decided_on', agg: 'confiscated_value_vnd' },
  collectedVnd: { date: 'penalty_decided_on', agg: 'collected_vnd' },
  transferred: { date: 'transferred_on', agg: 'count' },
  prosecutedCases: { date: 'prosecuted_on', agg: 'count' },
  defendants: { date: 'prosecuted_on', agg: 'defendants' },
};

export const FIGURE_KEYS = Object.keys(FIGURE_DEFINITIONS) as ReportFigureKey[];

// ---------------------------------------------------------------------------------------------------
// Reading the monthly and daily sums (case_stats_monthly, migration 0011; case_stats_daily, 0014)
// instead of the cases.

const KIND_OF_DATE = { detected_on: 'detected', penalty_decided_on: 'penalty', transferred_on: 'transferred', prosecuted_on: 'prosecuted' } as const;

/**
 * The small-cell rule (reports.suppress.ts) withholds amounts only: each one with the count of the cases
 * it sums (fines … of the penalties, defendants of the prosecutions), whose restricted and secret cases
 * the viewer may not open decide whether it is shown. Counts are always shown.
 */
export const SUPPRESSION_BASIS: Partial<Record<ReportFigureKey, 'penalties' | 'prosecutedCases'>> = {
  finesVnd: 'penalties', confiscatedVnd: 'penalties', collectedVnd: 'penalties', defendants: 'prosecutedCases',
};
export const BASIS_KEYS = [...new Set(Object.values(SUPPRESSION_BASIS))];

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
function addDays(d: string, n: number): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** A period split into whole months (read from the monthly sums) and edge days (from the daily sums). */
export interface Window extends Period {
  /** First day of the first and of the last whole month; null when the period holds no whole month. */
  firstMonth: string | null;
  lastMonth: string | null;
  /** The days the whole months cover (firstMonth … end of lastMonth). */
  wholeFrom: string | null;
  wholeTo: string | null;
  /** Days outside whole months, as closed ranges. */
  edges: Period[];
}

export function windowOf(p: Period): Window {
  const [fy, fm, fd] = p.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = p.to.split('-').map(Number) as [number, number, number];
  const wholeFrom = fd === 1 ? p.from : fm === 12 ? `${fy + 1}-01-01` : `${fy}-${pad(fm + 1)}-01`;
  const wholeTo = td === lastDay(ty, tm) ? p.to : addDays(`${ty}-${pad(tm)}-01`, -1);
  if (wholeFrom > wholeTo) return { ...p, firstMonth: null, lastMonth: null, wholeFrom: null, wholeTo: null, edges: [p] };
  const edges: Period[] = [];
  if (p.from < wholeFrom) edges.push({ from: p.from, to: addDays(wholeFrom, -1) });
  if (wholeTo < p.to) edges.push({ from: addDays(wholeTo, 1), to: p.to });
  return { ...p, firstMonth: wholeFrom, lastMonth: `${wholeTo.slice(0, 7)}-01`, wholeFrom, wholeTo, edges };
}

function monthStarts(w: Window): string[] {
  if (!w.firstMonth || !w.lastMonth) return [];
  const out: string[] = [];
  let [y, m] = w.firstMonth.split('-').map(Number) as [number, number];
  for (;;) {
    const d = `${y}-${pad(m)}-01`;
    if (d > w.lastMonth) break;
    out.push(d);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

function mergeRanges(ranges: Period[]): Period[] {
  const sorted = [...ranges].sort((a, b) => a.from.localeCompare(b.from));
  const out: Period[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= addDays(last.to, 1)) last.to = r.to > last.to ? r.to : last.to;
    else out.push({ ...r });
  }
  return out;
}

/**
 * A fact row belongs to a window: a month row of one of its whole months, a day row of its edges, or a
 * case the viewer may open ('o') on any day of the window.
 */
function inWindow(w: Window): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [sql<boolean>`(src = 'o' AND day BETWEEN ${w.from}::date AND ${w.to}::date)`];
  if (w.firstMonth) parts.push(sql<boolean>`(src = 'm' AND day BETWEEN ${w.firstMonth}::date AND ${w.lastMonth}::date)`);
  for (const e of w.edges) parts.push(sql<boolean>`(src = 'd' AND day BETWEEN ${e.from}::date AND ${e.to}::date)`);
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` OR `)})` : sql<boolean>`false`;
}

export interface StatsScope {
  province: string | null;
  force: string | null;
}

/**
 * The restricted and secret cases the viewer may open, as fact rows of the amounts' bases (penalties,
 * prosecutions) in the period and its comparison, with n_sensitive −1 and nothing else: summed with the
 * sums' n_sensitive they leave the sensitive cases the viewer may NOT open, which is what the small-cell
 * rule counts. Candidates come through the partial indexes of migration 0014 (handling units, names on a
 * secret case) and the shares; the access rule itself (visibleRowsCondition) then decides.
 */
function openableFacts(windows: Window[], scope: StatsScope, bdim: string | null, viewer: Principal): RawBuilder<unknown> {
  const ranges = mergeRanges(windows.slice(0, 2).map(({ from, to }) => ({ from, to })));
  const within = sql`(${sql.join(ranges.map((e) => sql`k.day BETWEEN ${e.from}::date AND ${e.to}::date`), sql` OR `)})`;
  const units = sql`${sql.val(viewer.unitIds)}::uuid[]`;
  const dims = bdim ? sql`d.dim IN ('', ${bdim})` : sql`d.dim = ''`;
  return sql`SELECT 'o'::text AS src, k.day, k.kind, d.dim, c.province_code, coalesce(c.force_code, '') AS force_code, c.report_group, d.key,
      0::bigint AS n, -1::bigint AS n_sensitive, 0::bigint AS fine_vnd, 0::bigint AS confiscated_value_vnd, 0::bigint AS collected_vnd, 0::bigint AS defendants
    FROM cases c
    CROSS JOIN LATERAL (VALUES ('penalty', c.penalty_decided_on), ('prosecuted', c.prosecuted_on)) AS k (kind, day)
    CROSS JOIN LATERAL (
      SELECT v.dim, v.key FROM (VALUES ('', ''), ('unit', c.source_unit_id::text), ('route', coalesce(c.route, '')), ('borderGate', coalesce(c.border_gate, ''))) AS v (dim, key)
      UNION ALL SELECT 'category', x FROM unnest(CASE WHEN cardinality(c.goods_categories) = 0 THEN ARRAY['']::text[] ELSE c.goods_categories END) AS x
    ) AS d
    WHERE c.id IN (
        SELECT id FROM cases WHERE sensitivity <> 'internal' AND handling_unit_ids && ${units}
        UNION ALL SELECT id FROM cases WHERE sensitivity = 'secret' AND named_user_ids @> ARRAY[${viewer.userId}]::uuid[]
        UNION ALL SELECT record_id FROM record_shares WHERE record_type = ${CASE_RECORD_TYPE} AND revoked_at IS NULL AND (user_id = ${viewer.userId} OR unit_id = ANY(${units})))
      AND c.sensitivity <> 'internal'
      AND ${visibleRowsCondition(viewer, { alias: 'c', recordType: CASE_RECORD_TYPE, handlingUnits: 'c.handling_unit_ids', namedUsers: 'c.named_user_ids' })}
      ${scope.province ? sql`AND c.province_code = ${scope.province}` : sql``} ${scope.force ? sql`AND c.force_code = ${scope.force}` : sql``}
      AND k.day IS NOT NULL AND ${within} AND ${dims}`;
}

/**
 * Which rows of the sums a report reads: the case rows ('') and the breakdown's own rows, of detected
 * cases in every window (`detected`: the hot-spot baseline reads windows 2 and 3) and of the other kinds
 * (penalties, transfers, prosecutions) only in the period and its comparison (`all`); route and category
 * rows of detected cases (hot spots). Spelled out as one condition per date range, kind and dim, so that
 * the keys (month or day, kind, dim, …) are index conditions: the index skips the unit and border-gate
 * rows instead of a scan reading and dropping them (most rows of each month or day).
 */
function wantedRows(bdim: string | null, detected: (which: RawBuilder<boolean>) => RawBuilder<boolean>[], all: (which: RawBuilder<boolean>) => RawBuilder<boolean>[]): RawBuilder<boolean>[] {
  const dims = bdim ? sql`('', ${bdim})` : sql`('')`;
  return [
    ...detected(sql<boolean>`s.kind = 'detected' AND s.dim IN ${dims}`),
    ...detected(sql<boolean>`s.kind = 'detected' AND s.dim IN ('route', 'category')`),
    ...all(sql<boolean>`s.kind IN ('penalty', 'transferred', 'prosecuted') AND s.dim IN ${dims}`),
  ];
}

/**
 * The facts of the windows: rows of the monthly sums for whole months, rows of the daily sums
 * (migration 0014) for the edge days (both with the same keys, so they sum alike; see wantedRows), and
 * for the small-cell rule the sensitive cases the viewer may open (openableFacts).
 */
function factsOf(windows: Window[], scope: StatsScope, bdim: string | null, viewer: Principal | null): RawBuilder<unknown> {
  const detMonths = [...new Set(windows.flatMap(monthStarts))].sort();
  const allMonths = [...new Set(windows.slice(0, 2).flatMap(monthStarts))].sort();
  const detEdges = mergeRanges(windows.flatMap((w) => w.edges));
  const allEdges = mergeRanges(windows.slice(0, 2).flatMap((w) => w.edges));
  const scoped = (alias: string) => sql`${scope.province ? sql` AND ${sql.ref(`${alias}.province_code`)} = ${scope.province}` : sql``}${scope.force ? sql` AND ${sql.ref(`${alias}.force_code`)} = ${scope.force}` : sql``}`;
  const parts: RawBuilder<unknown>[] = [];
  if (detMonths.length) {
    parts.push(sql`SELECT 'm'::text AS src, s.month AS day, s.kind, s.dim, s.province_code, s.force_code, s.report_group, s.key,
        s.n, s.n_sensitive, s.fine_vnd, s.confiscated_value_vnd, s.collected_vnd, s.defendants
      FROM case_stats_monthly s WHERE (${sql.join(wantedRows(bdim, (which) => [sql<boolean>`(s.month = ANY(${sql.val(detMonths)}::date[]) AND ${which})`],
        (which) => (allMonths.length ? [sql<boolean>`(s.month = ANY(${sql.val(allMonths)}::date[]) AND ${which})`] : [])), sql` OR `)})${scoped('s')}`);
  }
  if (detEdges.length) {
    // One SELECT per day range and row kind (not one OR): each is an index-only scan of the daily key.
    const rowsOf = (ranges: Period[]) => (which: RawBuilder<boolean>) => ranges.map((e) => sql<boolean>`s.day BETWEEN ${e.from}::date AND ${e.to}::date AND ${which}`);
    for (const where of wantedRows(bdim, rowsOf(detEdges), rowsOf(allEdges))) {
      parts.push(sql`SELECT 'd'::text AS src, s.day, s.kind, s.dim, s.province_code, s.force_code, s.report_group, s.key,
          s.n, s.n_sensitive, s.fine_vnd, s.confiscated_value_vnd, s.collected_vnd, s.defendants
        FROM case_stats_daily s WHERE ${where}${scoped('s')}`);
    }
  }
  if (viewer && parts.length) parts.push(openableFacts(windows, scope, bdim, viewer));
  return parts.length ? sql.join(parts, sql` UNION ALL `) : sql`SELECT NULL::text AS src, NULL::date AS day, NULL::text AS kind, NULL::text AS dim, NULL::text AS province_code,
    NULL::text AS force_code, NULL::text AS report_group, NULL::text AS key, 0::bigint AS n, 0::bigint AS n_sensitive, 0::bigint AS fine_vnd,
    0::bigint AS confiscated_value_vnd, 0::bigint AS collected_vnd, 0::bigint AS defendants WHERE false`;
}

/**
 * `sum(n) FILTER (…) AS "cases__0"` per figure for the period (0) and the comparison (1), with
 * `"s_penalties__0"` for the bases of the amounts: their restricted and secret cases the viewer may not
 * open (see openableFacts); for the hot-spot baseline (2, 3) detected cases only.
 * `w0` … `w3` say whether a fact row falls in each window. Parts that need only the detected cases
 * (hot spots, trend) compute those and leave the other columns NULL.
 */
function factColumns(only: 'all' | 'detected'): RawBuilder<unknown>[] {
  const cols: RawBuilder<unknown>[] = [];
  for (const i of [0, 1, 2, 3]) {
    for (const key of i < 2 ? FIGURE_KEYS : (['cases'] as ReportFigureKey[])) {
      const d = FIGURE_DEFINITIONS[key];
      const wanted = only === 'all' || key === 'cases';
      const filter = sql`${sql.ref(`w${i}`)} AND kind = ${KIND_OF_DATE[d.date]}${d.where ? sql` AND ${sql.raw(d.where)}` : sql``}`;
      const col = d.agg === 'count' ? 'n' : d.agg;
      cols.push(wanted ? sql`coalesce(sum(${sql.ref(col)}) FILTER (WHERE ${filter}), 0)::bigint AS ${sql.ref(`${key}__${i}`)}` : sql`NULL::bigint AS ${sql.ref(`${key}__${i}`)}`);
      if (i < 2 && (BASIS_KEYS as ReportFigureKey[]).includes(key)) cols.push(wanted ? sql`coalesce(sum(n_sensitive) FILTER (WHERE ${filter}), 0)::bigint AS ${sql.ref(`s_${key}__${i}`)}` : sql`NULL::bigint AS ${sql.ref(`s_${key}__${i}`)}`);
    }
  }
  return cols;
}

export type FactRow = Record<string, unknown> & { part: 'total' | 'breakdown' | 'province' | 'route' | 'category' | 'month'; key: string | null };

/**
 * Everything a situation report counts, in one statement over the monthly sums: the totals, the
 * breakdown, and the hot-spot dimensions and monthly trend (by detection). Windows: 0 the period,
 * 1 the comparison period, 2 and 3 the same period one and two years before (the hot-spot baseline).
 */
export async function loadSituationFacts(db: Db, periods: [Period, Period, Period, Period], scope: StatsScope, groupBy: string | undefined, viewer: Principal | null = null): Promise<FactRow[]> {
  return (await situationFactsQuery(periods, scope, groupBy, viewer).execute(db.kysely)).rows;
}

/**
 * The statement of `loadSituationFacts`, for EXPLAIN. Without a viewer the `s_…` columns count every
 * restricted and secret case (as for a viewer who may open none).
 */
export function situationFactsQuery(periods: [Period, Period, Period, Period], scope: StatsScope, groupBy: string | undefined, viewer: Principal | null = null): RawBuilder<FactRow> {
  const windows = periods.map(windowOf);
  const plainDims: Record<string, string> = { force: 'force_code', province: 'province_code', reportGroup: 'report_group' };
  const bdim = groupBy ? (plainDims[groupBy] ? '' : groupBy) : null;
  const bkey = groupBy ? (plainDims[groupBy] ?? 'key') : null;
  const cols = sql.join(factColumns('all'));
  const det = sql.join(factColumns('detected'));
  const parts: RawBuilder<unknown>[] = [
    sql`SELECT 'total' AS part, NULL::text AS key, ${cols} FROM f WHERE dim = ''`,
    sql`SELECT 'province', province_code, ${det} FROM f WHERE dim = '' AND kind = 'detected' GROUP BY province_code`,
    sql`SELECT 'route', key, ${det} FROM f WHERE dim = 'route' AND kind = 'detected' GROUP BY key`,
    sql`SELECT 'category', key, ${det} FROM f WHERE dim = 'category' AND kind = 'detected' GROUP BY key`,
    sql`SELECT 'month', to_char(day, 'YYYY-MM'), ${det} FROM f WHERE dim = '' AND kind = 'detected' GROUP BY to_char(day, 'YYYY-MM')`,
  ];
  if (bdim !== null && bkey) parts.push(sql`SELECT 'breakdown', ${sql.ref(bkey)}, ${cols} FROM f WHERE dim = ${bdim} GROUP BY ${sql.ref(bkey)}`);
  const flags = sql.join(windows.map((w, i) => sql`${inWindow(w)} AS ${sql.ref(`w${i}`)}`));
  return sql<FactRow>`WITH f0 AS (${factsOf(windows, scope, bdim || null, viewer)}),
      f AS MATERIALIZED (SELECT f0.*, ${flags} FROM f0)
    ${sql.join(parts, sql` UNION ALL `)}`;
}
