import type { ComplianceCounts, TaskSummary } from '@cordon/contracts';
import { complianceOutcome, deadlineState, dueInstant, FINAL_TASK_STATUSES, isPastDeadline, vietnamDateOf, workingDaysLeft, type TaskStatus } from '@cordon/engine';
import { sql, type Database, type Kysely, type RawBuilder } from '@cordon/db';

/** One task with what its summary shows: the directive's number and title, unit names, report count. */
export interface TaskRow {
  id: string;
  directive_id: string;
  directive_number: string;
  directive_title: string;
  position: number;
  title: string;
  instructions: string;
  report_requirement: string;
  assigned_unit_id: string;
  unit_code: string;
  unit_name_vi: string;
  unit_name_en: string;
  deadline: string;
  priority: string;
  status: string;
  phase: string | null;
  submitted_at: Date | null;
  decided_at: Date | null;
  escalated_at: Date | null;
  escalated_to_unit_id: string | null;
  esc_code: string | null;
  esc_name_vi: string | null;
  esc_name_en: string | null;
  report_count: number;
  version: number;
}

/** Tasks joined with their directive and units, filtered by `where` (over `t`, `d`), ordered by deadline. */
export async function selectTasks(trx: Kysely<Database>, where: RawBuilder<boolean>, limit = 10_000): Promise<TaskRow[]> {
  const { rows } = await sql<TaskRow>`SELECT t.id, t.directive_id, d.number AS directive_number, d.title AS directive_title, t.position, t.title,
      t.instructions, t.report_requirement, t.assigned_unit_id, u.code AS unit_code, u.name_vi AS unit_name_vi, u.name_en AS unit_name_en,
      to_char(t.deadline, 'YYYY-MM-DD') AS deadline, t.priority, t.status, t.phase, t.submitted_at, t.decided_at, t.escalated_at, t.escalated_to_unit_id,
      e.code AS esc_code, e.name_vi AS esc_name_vi, e.name_en AS esc_name_en,
      (SELECT count(*) FROM directive_task_reports r WHERE r.task_id = t.id)::int AS report_count, t.version
    FROM directive_tasks t
    JOIN directives d ON d.id = t.directive_id
    JOIN org_units u ON u.id = t.assigned_unit_id
    LEFT JOIN org_units e ON e.id = t.escalated_to_unit_id
    WHERE ${where}
    ORDER BY t.deadline, d.issued_on, t.position, t.id
    LIMIT ${limit}`.execute(trx);
  return rows;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toTaskSummary(r: TaskRow, now: Date, soonWorkingDays: number): TaskSummary {
  const status = r.status as TaskStatus;
  const final = FINAL_TASK_STATUSES.includes(status);
  return {
    id: r.id,
    directiveId: r.directive_id,
    directiveNumber: r.directive_number,
    directiveTitle: r.directive_title,
    position: r.position,
    title: r.title,
    assignedUnit: { id: r.assigned_unit_id, code: r.unit_code, nameVi: r.unit_name_vi, nameEn: r.unit_name_en },
    deadline: r.deadline,
    dueAt: dueInstant(r.deadline).toISOString(),
    priority: r.priority as TaskSummary['priority'],
    status,
    phase: (r.phase as TaskSummary['phase']) ?? null,
    // A submitted task waits for the office: it is still due (the unit's part is done, the office's is not).
    deadlineState: final ? null : deadlineState(r.deadline, now, soonWorkingDays),
    workingDaysLeft: final ? null : workingDaysLeft(vietnamDateOf(now), r.deadline),
    compliance: complianceOutcome({ status, deadline: r.deadline, submittedAt: r.submitted_at }),
    escalation: r.escalated_at && r.escalated_to_unit_id
      ? { at: iso(r.escalated_at)!, unit: { id: r.escalated_to_unit_id, code: r.esc_code ?? '?', nameVi: r.esc_name_vi ?? '?', nameEn: r.esc_name_en ?? '?' } }
      : null,
    submittedAt: iso(r.submitted_at),
    decidedAt: iso(r.decided_at),
    reportCount: r.report_count,
    version: r.version,
  };
}

export function emptyCounts(): ComplianceCounts {
  return { total: 0, onTime: 0, late: 0, outstanding: 0, overdue: 0 };
}

/** Adds one task to compliance counts, by the engine's rule (cancelled tasks do not count). */
export function countTask(c: ComplianceCounts, t: { status: string; deadline: string; submitted_at: Date | null }, now: Date): ComplianceCounts {
  const outcome = complianceOutcome({ status: t.status as TaskStatus, deadline: t.deadline, submittedAt: t.submitted_at });
  if (outcome === 'cancelled') return c;
  c.total++;
  if (outcome === 'on_time') c.onTime++;
  else if (outcome === 'late') c.late++;
  else {
    c.outstanding++;
    if (isPastDeadline(t.deadline, now)) c.overdue++;
  }
  return c;
}
