import { useCallback, useEffect, useState } from 'react';
import type { OrgUnitView } from '../../contracts.js';
import { api } from '../../api/client.js';

/** Every unit, inactive ones included: for parent pickers, unit names and the tree. */
export function useAllOrgUnits() {
  const [units, setUnits] = useState<OrgUnitView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    api.get<{ items: OrgUnitView[] }>('/api/org-units', { includeInactive: 'true' }).then(
      (r) => !cancelled && setUnits(r.items),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { units, error, reload };
}

export interface TreeRow {
  unit: OrgUnitView;
  depth: number;
}

/**
 * Units in tree order (parents before children, siblings by code), each with its depth. A unit whose
 * parent is missing from the list is treated as a root, so a broken link never hides a unit.
 */
export function treeOrder(units: readonly OrgUnitView[]): TreeRow[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, OrgUnitView[]>();
  for (const u of units) {
    const key = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    const list = children.get(key) ?? [];
    list.push(u);
    children.set(key, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const out: TreeRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const u of children.get(parent) ?? []) {
      if (seen.has(u.id)) continue; // a cycle in bad data must not hang the page
      seen.add(u.id);
      out.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
