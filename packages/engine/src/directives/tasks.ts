import { isPastDeadline } from './deadlines.js';

/**
 * The life of a directive task, as data and one checking function.
 *
 *   open ──report──▶ in_progress ──submit──▶ submitted ──accept──▶ accepted
 *     └────────────submit (with a report)──────▲   │
 *                                              │   └──return (comment)──▶ returned ──report/submit──▶ …
 *   any state but accepted and cancelled ──cancel (reason, standing office)──▶ cancelled
 *
 * The assigned unit reports progress and marks the task done (submit; at least one progress report
 * first: the unit must report back what the task asks). Only the standing office accepts, returns
 * with a comment, or cancels. Accepted and cancelled are final.
 */
export const TASK_STATUS_LIST = ['open', 'in_progress', 'submitted', 'returned', 'accepted', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUS_LIST)[number];
export const TASK_ACTION_LIST = ['report', 'submit', 'accept', 'return', 'cancel'] as const;
export type TaskAction = (typeof TASK_ACTION_LIST)[number];

export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['accepted', 'cancelled'];
/** Statuses that still wait for the assigned unit or the standing office. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['open', 'in_progress', 'submitted', 'returned'];

/** Which status each action leads to, from which statuses. */
export const TASK_TRANSITIONS: Readonly<Record<TaskAction, { from: readonly TaskStatus[]; to: TaskStatus | 'same' }>> = {
  report: { from: ['open', 'in_progress', 'returned'], to: 'in_progress' },
  submit: { from: ['open', 'in_progress', 'returned'], to: 'submitted' },
  accept: { from: ['submitted'], to: 'accepted' },
  return: { from: ['submitted'], to: 'returned' },
  cancel: { from: ['open', 'in_progress', 'submitted', 'returned'], to: 'cancelled' },
};

/** Who may take each action: the assigned unit (its reporting users) or the standing office. */
export const TASK_ACTION_ACTOR: Readonly<Record<TaskAction, 'assignee' | 'office'>> = {
  report: 'assignee',
  submit: 'assignee',
  accept: 'office',
  return: 'office',
  cancel: 'office',
};

export interface TaskActionContext {
  /** A reporting user of the assigned unit (or a unit above it in the same tree). */
  isAssignee: boolean;
  /** A standing-office user who manages directives. */
  isOffice: boolean;
  /** Progress reports on the task so far (since it was created). */
  reportCount: number;
  /** The comment or reason sent with the action. */
  comment?: string | null;
}

export type TaskActionResult =
  | { ok: true; to: TaskStatus }
  | { ok: false; code: 'FORBIDDEN' | 'CONFLICT' | 'INVALID_INPUT'; field: string; reason: string; message: string };

/** Checks one action on a task; a refusal says who may do it, or from which status, or what is missing. */
export function checkTaskAction(from: TaskStatus, action: TaskAction, ctx: TaskActionContext): TaskActionResult {
  const actor = TASK_ACTION_ACTOR[action];
  if (actor === 'office' && !ctx.isOffice) {
    return { ok: false, code: 'FORBIDDEN', field: 'action', reason: 'not_office', message: `only the standing office may ${action} a task` };
  }
  if (actor === 'assignee' && !ctx.isAssignee) {
    return { ok: false, code: 'FORBIDDEN', field: 'action', reason: 'not_assignee', message: `only the assigned unit may ${action === 'report' ? 'report progress on' : 'mark done'} a task` };
  }
  const t = TASK_TRANSITIONS[action];
  if (!t.from.includes(from)) {
    const why = FINAL_TASK_STATUSES.includes(from)
      ? `the task is ${from}, which is final`
      : from === 'submitted'
        ? 'the task is submitted and waits for the standing office to accept or return it'
        : `a task that is "${from}" cannot be ${pastTense(action)}; allowed from ${t.from.map((s) => `"${s}"`).join(', ')}`;
    return { ok: false, code: 'CONFLICT', field: 'status', reason: 'invalid_transition', message: why };
  }
  if (action === 'submit' && ctx.reportCount === 0) {
    return { ok: false, code: 'INVALID_INPUT', field: 'reports', reason: 'required', message: 'report progress at least once before marking the task done' };
  }
  if ((action === 'return' || action === 'cancel') && !ctx.comment?.trim()) {
    return { ok: false, code: 'INVALID_INPUT', field: 'comment', reason: 'required', message: action === 'return' ? 'say what is missing when sending a task back' : 'say why the task is cancelled' };
  }
  return { ok: true, to: t.to === 'same' ? from : t.to };
}

function pastTense(a: TaskAction): string {
  return { report: 'reported on', submit: 'marked done', accept: 'accepted', return: 'returned', cancel: 'cancelled' }[a];
}

/** The actions this user may take now (for the screen's buttons). */
export function allowedTaskActions(from: TaskStatus, ctx: Omit<TaskActionContext, 'comment'>): TaskAction[] {
  return TASK_ACTION_LIST.filter((a) => {
    const r = checkTaskAction(from, a, { ...ctx, comment: 'x' });
    return r.ok;
  });
}

export type ComplianceOutcome = 'on_time' | 'late' | 'outstanding' | 'cancelled';

/**
 * How a task counts for compliance: accepted tasks are on time when the submission the office
 * accepted came before the deadline day ended in Vietnam, else late; open tasks are outstanding
 * (overdue or not); cancelled tasks do not count.
 */
export function complianceOutcome(t: { status: TaskStatus; deadline: string; submittedAt: Date | null }): ComplianceOutcome {
  if (t.status === 'cancelled') return 'cancelled';
  if (t.status !== 'accepted') return 'outstanding';
  return t.submittedAt && !isPastDeadline(t.deadline, t.submittedAt) ? 'on_time' : 'late';
}

/**
 * Where an overdue task escalates: to the head of the assigned unit's hierarchy one level up, i.e. its
 * parent unit; a root unit (a provincial committee, a force, the national office) is its own head, so
 * the escalation goes to that unit's own coordinators.
 */
export function escalationUnit(unit: { id: string; parentId: string | null }): string {
  return unit.parentId ?? unit.id;
}
