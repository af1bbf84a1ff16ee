import { useEffect, useMemo, useState } from 'react';
import type { CaseStatus, FormerProvinceView, Locale, OrgUnitView, ProvinceView } from '../../contracts.js';
import { api } from '../../api/client.js';
import type { Translate } from '../../i18n/i18n.js';

interface Named {
  code: string;
  nameVi: string;
  nameEn: string;
}
export interface ViolationTypeItem extends Named {
  /** 389 report group: smuggling, trade_fraud, counterfeit */
  group: string;
}

/** The built-in catalogues and the organisation: what the case screens name codes with. */
export interface CaseReference {
  provinces: ProvinceView[];
  former: FormerProvinceView[];
  forces: Named[];
  goods: Named[];
  violationTypes: ViolationTypeItem[];
  groups: Named[];
  routes: Named[];
  units: OrgUnitView[];
}

// The catalogues change only when an administrator imports official files: one load per page visit.
let cached: Promise<CaseReference> | null = null;

function load(): Promise<CaseReference> {
  cached ??= Promise.all([
    api.get<{ items: ProvinceView[]; former: FormerProvinceView[] }>('/api/reference/provinces'),
    api.get<{ items: Named[] }>('/api/reference/forces'),
    api.get<{ items: Named[] }>('/api/reference/goods'),
    api.get<{ items: ViolationTypeItem[]; groups: Named[] }>('/api/reference/violation-types'),
    api.get<{ items: Named[] }>('/api/reference/routes'),
    api.get<{ items: OrgUnitView[] }>('/api/org-units'),
  ]).then(
    ([p, f, g, v, r, u]) => ({
      provinces: p.items,
      former: p.former,
      forces: f.items,
      goods: g.items,
      violationTypes: v.items,
      groups: v.groups,
      routes: r.items,
      units: u.items,
    }),
    (e: unknown) => {
      cached = null; // a failed load is tried again next time
      throw e;
    },
  );
  return cached;
}

export function useCaseReference() {
  const [ref, setRef] = useState<CaseReference | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setError(null);
    load().then(
      (r) => !cancelled && setRef(r),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [tick]);
  return { ref, error, retry: () => setTick((n) => n + 1) };
}

export function named(item: Named | undefined, locale: Locale, fallback = ''): string {
  if (!item) return fallback;
  return locale === 'vi' ? item.nameVi : item.nameEn;
}

/** Lookups by code, built once per reference load. */
export function useNames(ref: CaseReference | null, locale: Locale) {
  return useMemo(() => {
    const by = <T extends { code: string }>(list: readonly T[] | undefined) => new Map((list ?? []).map((x) => [x.code, x]));
    const provinces = by(ref?.provinces);
    const former = by(ref?.former);
    const types = by(ref?.violationTypes);
    const goods = by(ref?.goods);
    const routes = by(ref?.routes);
    const groups = by(ref?.groups);
    const forces = by(ref?.forces);
    return {
      province: (code: string) => provinces.get(code)?.name ?? former.get(code)?.name ?? code,
      violationType: (code: string) => named(types.get(code), locale, code),
      goods: (code: string) => named(goods.get(code), locale, code),
      route: (code: string | null | undefined) => (code ? named(routes.get(code), locale, code) : ''),
      group: (code: string) => named(groups.get(code), locale, code),
      force: (code: string) => named(forces.get(code), locale, code),
    };
  }, [ref, locale]);
}

export function statusName(t: Translate, s: CaseStatus): string {
  return t(`caseStatus.${s}`);
}

/** Today in Vietnam, as yyyy-MM-dd (kept here for the case screens that import it from this module). */
export { todayInVietnam } from '../../components/dates.js';

/** The day the 63 provinces became 34 (Resolution 202/2025/QH15). */
export const PROVINCE_MERGER_DATE = '2025-07-01';

/** Lower-case without Vietnamese diacritics (shared with the unit picker). */
export { fold } from '../../components/unit-tree.js';

/** Roles that may record and edit cases (the server enforces the same list). */
export const CASE_WRITER_ROLES = ['officer', 'provincial_coordinator', 'analyst', 'admin'] as const;

/** HS codes as officers write them (kept here for the case screens that import it from this module). */
export { formatHsCode } from '../../contracts.js';

/** Amounts in dong as typed (kept here for the case screens that import them from this module). */
export { groupVnd, hasDecimalTail, typedVnd } from '../../components/vnd.js';
