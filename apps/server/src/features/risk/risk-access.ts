// Who may touch declaration risk data. Declarations, outcomes, models, rules and scores are Customs
// data: a user outside the Customs tree is refused whatever their roles (admins included), and inside
// it the roles decide what they may do. One place, tested by trying to cross each rule (risk.test.ts).
import type { Role } from '@cordon/contracts';
import type { Db } from '@cordon/db';
import { forbidden } from '../../errors.js';
import type { Principal } from '../auth/principal.js';

export const CUSTOMS_FORCE = 'CUSTOMS';

/** Read declarations, scores, models, rules and drift. Officers read them to record outcomes. */
export const RISK_READ_ROLES: Role[] = ['risk_analyst', 'officer', 'admin'];
/** Record inspection outcomes. */
export const RISK_OUTCOME_ROLES: Role[] = ['risk_analyst', 'officer', 'admin'];
/**
 * Import declarations, train, score, edit rules, promote and retire models. Issue 6 gives promotion to
 * the risk analyst; no separate risk-manager role exists or is added (an admin of a Customs unit can too).
 */
export const RISK_MANAGE_ROLES: Role[] = ['risk_analyst', 'admin'];

const CACHE_MS = 60_000;

/** Where a unit stands towards Customs: outside it, the Customs root (the force itself, HQ level), or below it. */
export type CustomsPlace = 'outside' | 'root' | 'below';

export function createRiskAccess(db: Db) {
  // unit id → [its place, when it was looked up]; units rarely move between forces.
  const cache = new Map<string, [CustomsPlace, number]>();

  /** One recursive walk up org_units, cached 60 s per unit (who may read risk data, and how much of it). */
  async function customsPlace(unitId: string): Promise<CustomsPlace> {
    const hit = cache.get(unitId);
    if (hit && Date.now() - hit[1] < CACHE_MS) return hit[0];
    const [row] = await db.query<{ own: boolean | null; above: boolean | null }>(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id, force_code, 0 AS depth FROM org_units WHERE id = $1
         UNION ALL
         SELECT o.id, o.parent_id, o.force_code, up.depth + 1 FROM org_units o JOIN up ON o.id = up.parent_id WHERE up.depth < 20
       ) SELECT bool_or(force_code = $2) FILTER (WHERE depth = 0) AS own, bool_or(force_code = $2) FILTER (WHERE depth > 0) AS above FROM up`,
      [unitId, CUSTOMS_FORCE],
    );
    const place: CustomsPlace = row?.above === true ? 'below' : row?.own === true ? 'root' : 'outside';
    cache.set(unitId, [place, Date.now()]);
    return place;
  }

  const inCustoms = async (unitId: string) => (await customsPlace(unitId)) !== 'outside';

  /** Throws FORBIDDEN unless the user holds one of the roles and belongs to a Customs unit. */
  async function require(p: Principal, roles: Role[]): Promise<Principal> {
    if (!roles.some((r) => p.roles.includes(r))) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
    if (!(await inCustoms(p.unitId))) throw forbidden('Declarations and risk data belong to Customs: your unit is not part of Customs');
    return p;
  }

  return { require, inCustoms, customsPlace };
}

export type RiskAccess = ReturnType<typeof createRiskAccess>;
