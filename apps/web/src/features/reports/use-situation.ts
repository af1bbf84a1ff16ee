import { useEffect, useState } from 'react';
import type { ProvinceShapes, SituationReport } from '../../contracts.js';
import { api, withQuery } from '../../api/client.js';

export type ReportGroupBy = NonNullable<SituationReport['breakdown']>['by'];
export const GROUP_BY: readonly ReportGroupBy[] = ['force', 'unit', 'province', 'category', 'route', 'borderGate', 'reportGroup'];

export interface SituationParams {
  from: string;
  to: string;
  compare: 'same-period' | 'previous-period';
  groupBy: ReportGroupBy;
  locale: 'vi' | 'en';
}

/** The query string the report, its exports and the drill-down share. */
export function situationQuery(p: SituationParams): Record<string, string> {
  return { from: p.from, to: p.to, compare: p.compare, groupBy: p.groupBy, locale: p.locale };
}

export const situationUrl = (p: SituationParams, format?: 'xlsx' | 'pdf') =>
  withQuery(`/api/reports/situation${format ? `.${format}` : ''}`, situationQuery(p));

interface State {
  report: SituationReport | null;
  /** The provincial figures for the map, when the breakdown shown is by something else. */
  provinces: SituationReport['breakdown'];
  error: unknown;
  loading: boolean;
}

/**
 * Loads the report for the chosen period and breakdown, and (only when the breakdown is not by
 * province) the same period by province for the map. A newer choice cancels an older request, so
 * quick changes of the picker never show an older answer.
 */
export function useSituation(p: SituationParams | null): State {
  const [state, setState] = useState<State>({ report: null, provinces: null, error: null, loading: true });
  const key = p ? situationUrl(p) : '';
  useEffect(() => {
    if (!p) return;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    const main = api.get<SituationReport>('/api/reports/situation', situationQuery(p), { signal: ctrl.signal });
    const byProvince =
      p.groupBy === 'province'
        ? main.then((r) => r.breakdown)
        : api.get<SituationReport>('/api/reports/situation', situationQuery({ ...p, groupBy: 'province' }), { signal: ctrl.signal }).then((r) => r.breakdown);
    Promise.all([main, byProvince]).then(
      ([report, provinces]) => setState({ report, provinces, error: null, loading: false }),
      (error: unknown) => {
        if (ctrl.signal.aborted) return;
        setState((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => ctrl.abort();
    // `key` stands for every field of p: a new object with the same fields must not load again.
  }, [key]);
  return state;
}

let shapes: Promise<ProvinceShapes | null> | null = null;

/** Province outlines when an administrator has imported them; null otherwise (or when they fail to load). */
export function useProvinceShapes(): ProvinceShapes | null | undefined {
  const [value, setValue] = useState<ProvinceShapes | null | undefined>(undefined);
  useEffect(() => {
    shapes ??= api.get<ProvinceShapes>('/api/reference/province-shapes').then(
      (s) => (s?.features?.length ? s : null),
      () => {
        shapes = null;
        return null;
      },
    );
    let live = true;
    void shapes.then((s) => live && setValue(s));
    return () => {
      live = false;
    };
  }, []);
  return value;
}
