import { sql, type Db, type RawBuilder } from '@cordon/db';
import type { ReportFigureKey } from '@cordon/contracts';

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
// Reading the monthly sums (case_stats_monthly, migration 0011) instead of the cases.

const KIND_OF_DATE = { detected_on: 'detected', penalty_decided_on: 'penalty', transferred_on: 'transferred', prosecuted_on: 'prosecuted' } as const;

/** The count figure whose restricted and secret cases decide whether a figure is shown (small-cell rule). */
export const SUPPRESSION_BASIS: Record<ReportFigureKey, ReportFigureKey> = {
  cases: 'cases', smuggling: 'smuggling', tradeFraud: 'tradeFraud', counterfeit: 'counterfeit',
  penalties: 'penalties', finesVnd: 'penalties', confiscatedVnd: 'penalties', collectedVnd: 'penalties',
  transferred: 'transferred', prosecutedCases: 'prosecutedCases', defendants: 'prosecutedCases',
};
export const BASIS_KEYS = [...new Set(Object.values(SUPPRESSION_BASIS))];

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
function addDays(d: string, n: number): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** A period split into whole months (read from the monthly sums) and edge days (read from the cases). */
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

/** A fact row belongs to a window: a month row of one of its whole months, or a day row of its edges. */
function inWindow(w: Window): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [];
  if (w.firstMonth) parts.push(sql<boolean>`(src = 'm' AND day BETWEEN ${w.firstMonth}::date AND ${w.lastMonth}::date)`);
  for (const e of w.edges) parts.push(sql<boolean>`(src = 'd' AND day BETWEEN ${e.from}::date AND ${e.to}::date)`);
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` OR `)})` : sql<boolean>`false`;
}

export interface StatsScope {
  province: string | null;
  force: string | null;
}

/**
 * The facts of the windows: month rows of the monthly sums for whole months, and for edge days the
 * same facts computed from the cases (one per figure kind, per breakdown key), so both sum alike.
 */
/**
 * Which fact rows a report reads: the case rows ('') of every kind; route and category rows by
 * detection only (hot spots), unless the breakdown is by them; the breakdown's own rows.
 */
function neededRows(alias: string, kindAlias: string, bdim: string | null): RawBuilder<boolean> {
  const dim = sql.ref(`${alias}.dim`);
  const kind = sql.ref(`${kindAlias}.kind`);
  return sql<boolean>`(${dim} = ''${bdim ? sql` OR ${dim} = ${bdim}` : sql``} OR (${dim} IN ('route', 'category') AND ${kind} = 'detected'))`;
}

/**
 * Detected cases count in every window (the hot-spot baseline reads windows 2 and 3); the other kinds
 * (penalties, transfers, prosecutions) only in the period and its comparison (windows 0 and 1).
 */
function factsOf(windows: Window[], scope: StatsScope, bdim: string | null): RawBuilder<unknown> {
  const detMonths = [...new Set(windows.flatMap(monthStarts))].sort();
  const allMonths = [...new Set(windows.slice(0, 2).flatMap(monthStarts))].sort();
  const detEdges = mergeRanges(windows.flatMap((w) => w.edges));
  const allEdges = mergeRanges(windows.slice(0, 2).flatMap((w) => w.edges));
  const scoped = (alias: string) => sql`${scope.province ? sql` AND ${sql.ref(`${alias}.province_code`)} = ${scope.province}` : sql``}${scope.force ? sql` AND ${sql.ref(`${alias}.force_code`)} = ${scope.force}` : sql``}`;
  const parts: RawBuilder<unknown>[] = [];
  if (detMonths.length) {
    parts.push(sql`SELECT 'm'::text AS src, s.month AS day, s.kind, s.dim, s.province_code, s.force_code, s.report_group, s.key,
        s.n, s.n_sensitive, s.fine_vnd, s.confiscated_value_vnd, s.collected_vnd, s.defendants
      FROM case_stats_monthly s WHERE s.month = ANY(${sql.val(detMonths)}::date[])
        AND (s.kind = 'detected' OR s.month = ANY(${sql.val(allMonths.length ? allMonths : ['0001-01-01'])}::date[]))
        AND ${neededRows('s', 's', bdim)}${scoped('s')}`);
  }
  if (detEdges.length) {
    const within = (ranges: Period[], col: string) =>
      ranges.length ? sql`(${sql.join(ranges.map((e) => sql`${sql.ref(col)} BETWEEN ${e.from}::date AND ${e.to}::date`), sql` OR `)})` : sql`false`;
    parts.push(sql`SELECT 'd'::text AS src, k.day, k.kind, d.dim, c.province_code, coalesce(c.force_code, '') AS force_code, c.report_group, d.key,
        1::bigint AS n, CASE WHEN c.sensitivity <> 'internal' THEN 1 ELSE 0 END::bigint AS n_sensitive,
        CASE WHEN k.kind = 'penalty' THEN c.fine_vnd ELSE 0 END AS fine_vnd,
        CASE WHEN k.kind = 'penalty' THEN c.confiscated_value_vnd ELSE 0 END AS confiscated_value_vnd,
        CASE WHEN k.kind = 'penalty' THEN c.collected_vnd ELSE 0 END AS collected_vnd,
        CASE WHEN k.kind = 'prosecuted' THEN c.defendants ELSE 0 END::bigint AS defendants
      FROM cases c
      CROSS JOIN LATERAL (VALUES ('detected', c.detected_on), ('penalty', c.penalty_decided_on), ('transferred', c.transferred_on), ('prosecuted', c.prosecuted_on)) AS k (kind, day)
      CROSS JOIN LATERAL (
        SELECT v.dim, v.key FROM (VALUES ('', ''), ('unit', c.source_unit_id::text), ('route', coalesce(c.route, '')), ('borderGate', coalesce(c.border_gate, ''))) AS v (dim, key)
        UNION ALL SELECT 'category', x FROM unnest(CASE WHEN cardinality(c.goods_categories) = 0 THEN ARRAY['']::text[] ELSE c.goods_categories END) AS x
      ) AS d
      WHERE c.counts_in_statistics${scoped('c')} AND ${neededRows('d', 'k', bdim)} AND k.day IS NOT NULL
        AND ((k.kind = 'detected' AND ${within(detEdges, 'k.day')}) OR (k.kind <> 'detected' AND ${within(allEdges, 'k.day')}))
        AND (${within(detEdges, 'c.detected_on')} OR ${within(allEdges, 'c.penalty_decided_on')} OR ${within(allEdges, 'c.transferred_on')} OR ${within(allEdges, 'c.prosecuted_on')})`);
  }
  return parts.length ? sql.join(parts, sql` UNION ALL `) : sql`SELECT NULL::text AS src, NULL::date AS day, NULL::text AS kind, NULL::text AS dim, NULL::text AS province_code,
    NULL::text AS force_code, NULL::text AS report_group, NULL::text AS key, 0::bigint AS n, 0::bigint AS n_sensitive, 0::bigint AS fine_vnd,
    0::bigint AS confiscated_value_vnd, 0::bigint AS collected_vnd, 0::bigint AS defendants WHERE false`;
}

/**
 * `sum(n) FILTER (…) AS "cases__0"` per figure for the period (0) and the comparison (1), with
 * `"s_cases__0"`: its restricted and secret cases; for the hot-spot baseline (2, 3) detected cases only.
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
      if (BASIS_KEYS.includes(key)) cols.push(wanted ? sql`coalesce(sum(n_sensitive) FILTER (WHERE ${filter}), 0)::bigint AS ${sql.ref(`s_${key}__${i}`)}` : sql`NULL::bigint AS ${sql.ref(`s_${key}__${i}`)}`);
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
export async function loadSituationFacts(db: Db, periods: [Period, Period, Period, Period], scope: StatsScope, groupBy: string | undefined): Promise<FactRow[]> {
  return (await situationFactsQuery(periods, scope, groupBy).execute(db.kysely)).rows;
}

/** The statement of `loadSituationFacts`, for EXPLAIN. */
export function situationFactsQuery(periods: [Period, Period, Period, Period], scope: StatsScope, groupBy: string | undefined): RawBuilder<FactRow> {
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
  return sql<FactRow>`WITH f0 AS (${factsOf(windows, scope, bdim || null)}),
      f AS MATERIALIZED (SELECT f0.*, ${flags} FROM f0)
    ${sql.join(parts, sql` UNION ALL `)}`;
}
