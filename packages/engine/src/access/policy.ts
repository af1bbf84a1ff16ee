/**
 * Need-to-know access to records (cases now; tips, subjects and custody items later). Pure: the
 * server loads the facts, this decides. One rule table, tested by trying to cross every rule.
 *
 *  - `secret`: only users named on the record (or shared to by name). Nobody else, admins included.
 *  - `restricted`: users of the owning, lead or coordinating units (or units below them), and
 *    units or users it was explicitly shared with.
 *  - `internal`: those same users see everything; every other signed-in staff user sees the summary.
 *  Statistics aggregate over all records and never go through this function.
 */
export type Sensitivity = 'internal' | 'restricted' | 'secret';
export const SENSITIVITIES: readonly Sensitivity[] = ['internal', 'restricted', 'secret'];

export type AccessLevel = 'none' | 'summary' | 'full';

export interface Actor {
  userId: string;
  /** The user's own unit and every unit below it in the organisation tree. */
  unitIds: readonly string[];
  roles: readonly string[];
}

export interface RecordAccessFacts {
  sensitivity: Sensitivity;
  /** Units that handle the record: the owner (recording unit), lead unit, coordinating units. */
  handlingUnitIds: readonly string[];
  /** Units and users it was explicitly shared with (active shares only). */
  sharedUnitIds: readonly string[];
  sharedUserIds: readonly string[];
  /** Users named on a secret record. */
  namedUserIds: readonly string[];
}

export interface AccessDecision {
  level: AccessLevel;
  /** Why, for the audit trail and for tests: which rule gave (or refused) access. */
  rule:
    | 'secret-named'
    | 'secret-not-named'
    | 'handling-unit'
    | 'shared-unit'
    | 'shared-user'
    | 'restricted-no-need'
    | 'internal-summary'
    | 'no-staff-role';
}

/** Roles that may look at operational records at all (auditors see the audit trail, not the records). */
export const RECORD_READER_ROLES = ['admin', 'analyst', 'officer', 'provincial_coordinator', 'tip_triage', 'risk_analyst', 'viewer'];

export function decideAccess(actor: Actor, record: RecordAccessFacts): AccessDecision {
  if (!actor.roles.some((r) => RECORD_READER_ROLES.includes(r))) return { level: 'none', rule: 'no-staff-role' };
  const inUnits = (ids: readonly string[]) => ids.some((id) => actor.unitIds.includes(id));

  if (record.sensitivity === 'secret') {
    if (record.namedUserIds.includes(actor.userId) || record.sharedUserIds.includes(actor.userId)) {
      return { level: 'full', rule: 'secret-named' };
    }
    return { level: 'none', rule: 'secret-not-named' };
  }
  if (inUnits(record.handlingUnitIds)) return { level: 'full', rule: 'handling-unit' };
  if (record.sharedUserIds.includes(actor.userId)) return { level: 'full', rule: 'shared-user' };
  if (inUnits(record.sharedUnitIds)) return { level: 'full', rule: 'shared-unit' };
  if (record.sensitivity === 'restricted') return { level: 'none', rule: 'restricted-no-need' };
  return { level: 'summary', rule: 'internal-summary' };
}

/** Reads of restricted and secret records are written to the audit trail. */
export function readIsAudited(record: Pick<RecordAccessFacts, 'sensitivity'>): boolean {
  return record.sensitivity !== 'internal';
}
