/**
 * Directive and commendation enumerations without zod, for the web bundle (see client.ts); the zod
 * schemas in directives.ts and commendations.ts are built from these lists.
 */

/** A task's life: see packages/engine/src/directives/tasks.ts for the transitions. */
export const TASK_STATUSES = ['open', 'in_progress', 'submitted', 'returned', 'accepted', 'cancelled'] as const;
export const TASK_ACTIONS = ['report', 'submit', 'accept', 'return', 'cancel'] as const;
export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TASK_EVENT_KINDS = ['created', 'report', 'submit', 'accept', 'return', 'cancel', 'escalate'] as const;
/** Phases of a recurring campaign's template (the Lunar New Year peak: before, during, after). */
export const TEMPLATE_PHASES = ['before', 'during', 'after'] as const;
export const DEADLINE_STATES = ['overdue', 'due_soon', 'later'] as const;
export const COMPLIANCE_OUTCOMES = ['on_time', 'late', 'outstanding', 'cancelled'] as const;
/** "Due soon": at most this many working days (Monday–Friday) left before the deadline. */
export const DUE_SOON_WORKING_DAYS = 3;

/** Who grants a commendation (Bằng khen / Giấy khen), highest first. */
export const COMMENDATION_LEVELS = ['government', 'national_committee', 'ministry', 'province', 'provincial_committee', 'unit'] as const;
export const COMMENDATION_RECIPIENTS = ['unit', 'officer'] as const;
