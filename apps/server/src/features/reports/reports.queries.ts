import { sql, type RawBuilder } from '@cordon/db';
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

/** `count(*) FILTER (…) AS "cases__0"` for every figure and period (0 = report period, 1 = comparison). */
export function figureColumns(periods: Period[]): RawBuilder<unknown>[] {
  const cols: RawBuilder<unknown>[] = [];
  periods.forEach((p, i) => {
    for (const key of FIGURE_KEYS) {
      const d = FIGURE_DEFINITIONS[key];
      const filter = sql`${sql.ref(d.date)} BETWEEN ${p.from}::date AND ${p.to}::date${d.where ? sql` AND ${sql.raw(d.where)}` : sql``}`;
      const expr = d.agg === 'count' ? sql`count(*) FILTER (WHERE ${filter})` : sql`coalesce(sum(${sql.ref(d.agg)}) FILTER (WHERE ${filter}), 0)`;
      cols.push(sql`(${expr})::bigint AS ${sql.ref(`${key}__${i}`)}`);
    }
  });
  return cols;
}

/** Rows that can count in any figure of any of the periods: one of the four dates falls in the span. */
export function anyDateIn(periods: Period[]): RawBuilder<boolean> {
  const lo = periods.map((p) => p.from).sort()[0]!;
  const hi = periods.map((p) => p.to).sort().at(-1)!;
  return sql<boolean>`(detected_on BETWEEN ${lo}::date AND ${hi}::date OR penalty_decided_on BETWEEN ${lo}::date AND ${hi}::date
    OR transferred_on BETWEEN ${lo}::date AND ${hi}::date OR prosecuted_on BETWEEN ${lo}::date AND ${hi}::date)`;
}

/** The breakdown key as SQL. Goods categories unnest: a case with two categories counts under both. */
export function groupKey(by: string): { select: RawBuilder<string>; from: RawBuilder<unknown> } {
  const plain = (col: string) => ({ select: sql<string>`coalesce(${sql.ref(col)}::text, '')`, from: sql`cases` });
  switch (by) {
    case 'force':
      return plain('force_code');
    case 'unit':
      return plain('source_unit_id');
    case 'province':
      return plain('province_code');
    case 'route':
      return plain('route');
    case 'borderGate':
      return plain('border_gate');
    case 'reportGroup':
      return plain('report_group');
    case 'category':
      return { select: sql<string>`category`, from: sql`cases CROSS JOIN LATERAL unnest(CASE WHEN cardinality(goods_categories) = 0 THEN ARRAY['']::text[] ELSE goods_categories END) AS category` };
    default:
      throw new Error(`unknown breakdown ${by}`);
  }
}
