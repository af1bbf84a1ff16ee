import { sql, type Database, type Kysely, type RawBuilder } from '@cordon/db';
import type { Principal } from '../auth/principal.js';
import { unitSubtree } from '../org/subtree.js';

/**
 * Who does what with directives and tasks. One place, tested by trying to cross each rule
 * (directives.access.test.ts).
 *
 *  - The standing office is the national office's tree (the unit of kind `national_office` and any unit
 *    below it). Its analysts manage directives: record and edit them, give tasks, apply templates,
 *    accept, return and cancel tasks, record commendations. No new role: `analyst` is the standing
 *    office's working role in the access model; its viewers and admins read everything, write nothing.
 *  - An assigned unit's users (the unit and every unit above it in the same tree: "own unit" means a
 *    user's unit and every unit below it) see its tasks and the directive's header; officers,
 *    provincial coordinators and analysts there report progress and mark tasks done.
 *  - An overdue task escalates to the head of the assigned unit: its parent unit, or the unit itself
 *    when it is a root (a provincial committee, a force). Users of that unit see the task under
 *    "escalated" in their reminders.
 *  - Nobody else sees a task or learns that it exists (404).
 */
export const OFFICE_MANAGER_ROLES = ['analyst'] as const;
export const OFFICE_READER_ROLES = ['analyst', 'viewer', 'admin'] as const;
export const TASK_READER_ROLES = ['analyst', 'officer', 'provincial_coordinator', 'viewer', 'admin'] as const;
export const TASK_REPORTER_ROLES = ['officer', 'provincial_coordinator', 'analyst'] as const;

const has = (p: Principal, roles: readonly string[]) => p.roles.some((r) => roles.includes(r));

export interface DirectiveAccess {
  /** Records directives and tasks, accepts and returns. */
  manages: boolean;
  /** Reads every directive and task. */
  readsAll: boolean;
  /** Reads the tasks of its own units at all. */
  readsOwn: boolean;
}

/** The national office and every unit below it. */
export async function standingOfficeUnitIds(trx: Kysely<Database>): Promise<string[]> {
  return unitSubtree(trx, sql`SELECT id FROM org_units WHERE kind = 'national_office'`);
}

export async function directiveAccessOf(p: Principal, trx: Kysely<Database>): Promise<DirectiveAccess> {
  const office = (await standingOfficeUnitIds(trx)).includes(p.unitId);
  return {
    manages: office && has(p, OFFICE_MANAGER_ROLES),
    readsAll: office && has(p, OFFICE_READER_ROLES),
    readsOwn: has(p, TASK_READER_ROLES),
  };
}

/** A reporting user of the assigned unit (or a unit above it in the same tree). */
export function isAssignee(p: Principal, assignedUnitId: string): boolean {
  return has(p, TASK_REPORTER_ROLES) && p.unitIds.includes(assignedUnitId);
}

/** May this user see this task at all? */
export function mayReadTask(p: Principal, a: DirectiveAccess, t: { assigned_unit_id: string; escalated_to_unit_id: string | null }): boolean {
  if (a.readsAll) return true;
  if (!a.readsOwn) return false;
  return p.unitIds.includes(t.assigned_unit_id) || (t.escalated_to_unit_id !== null && p.unitIds.includes(t.escalated_to_unit_id));
}

/** The same rule as an SQL condition over `directive_tasks` aliased `t`. */
export function visibleTasksSql(p: Principal, a: DirectiveAccess): RawBuilder<boolean> {
  if (a.readsAll) return sql<boolean>`true`;
  if (!a.readsOwn) return sql<boolean>`false`;
  const units = sql`${sql.val(p.unitIds)}::uuid[]`;
  return sql<boolean>`(t.assigned_unit_id = ANY(${units}) OR t.escalated_to_unit_id = ANY(${units}))`;
}
