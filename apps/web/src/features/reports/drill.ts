import type { SituationReport } from '../../contracts.js';
import { withQuery } from '../../api/client.js';
import type { ReportGroupBy } from './use-situation.js';

/** The case list's filter that matches a breakdown dimension; none for border gates and 389 groups (yet). */
const FILTER_FOR: Partial<Record<ReportGroupBy, 'province' | 'force' | 'category' | 'route' | 'unit'>> = {
  province: 'province',
  force: 'force',
  category: 'category',
  route: 'route',
  unit: 'unit',
};

/**
 * The case list behind a figure: the period's detection dates, the report's scope, and the row's key.
 * The list shows only the cases the user may open, so its count can be lower than the statistics.
 * Returns null when the case list cannot filter by that dimension or the row has no key ("not recorded").
 */
export function drillHref(report: SituationReport, by?: ReportGroupBy, key?: string): string | null {
  const q: Record<string, string> = { from: report.period.from, to: report.period.to };
  if (report.scope.province) q.province = report.scope.province;
  if (report.scope.force) q.force = report.scope.force;
  if (by) {
    const filter = FILTER_FOR[by];
    if (!filter || !key) return null;
    q[filter] = key;
  }
  return withQuery('/cases', q);
}
