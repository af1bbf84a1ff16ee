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

// Tree order lives with the unit picker, which groups units the same way.
export { treeOrder, type TreeRow } from '../../components/unit-tree.js';
