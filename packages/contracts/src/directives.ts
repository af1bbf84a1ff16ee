import { z } from 'zod';
import { Instant, Uuid, Version } from './common.js';
import { IsoDate } from './cases.js';
import {
  COMPLIANCE_OUTCOMES, DEADLINE_STATES, DUE_SOON_WORKING_DAYS, TASK_ACTIONS, TASK_EVENT_KINDS, TASK_PRIORITIES, TASK_STATUSES, TEMPLATE_PHASES,
} from './directives-constants.js';

/** Directives of the standing office, the tasks they give units, progress reports and compliance. */
export { COMPLIANCE_OUTCOMES, DEADLINE_STATES, DUE_SOON_WORKING_DAYS, TASK_ACTIONS, TASK_EVENT_KINDS, TASK_PRIORITIES, TASK_STATUSES, TEMPLATE_PHASES };

export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;
export const TaskAction = z.enum(TASK_ACTIONS);
export type TaskAction = z.infer<typeof TaskAction>;
export const TaskPriority = z.enum(TASK_PRIORITIES);
export type TaskPriority = z.infer<typeof TaskPriority>;
export const TemplatePhase = z.enum(TEMPLATE_PHASES);
export const DeadlineState = z.enum(DEADLINE_STATES);
export const ComplianceOutcome = z.enum(COMPLIANCE_OUTCOMES);

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);

export const DIRECTIVE_MAX_TASKS = 200;

export const TaskInput = z.object({
  title: required(300),
  instructions: text(4000).default(''),
  reportRequirement: required(2000).describe('What the unit must report back'),
  assignedUnitId: Uuid,
  deadline: IsoDate.describe('Due at the end of this day in Asia/Ho_Chi_Minh'),
  priority: TaskPriority.default('normal'),
});
export type TaskInput = z.input<typeof TaskInput>;

export const ApplyTemplateBody = z.object({
  templateId: Uuid,
  anchorDate: IsoDate.describe('The date the template\'s offsets count from (e.g. the first day of Lunar New Year)'),
  unitIds: z.array(Uuid).min(1).max(DIRECTIVE_MAX_TASKS).describe('Each unit gets every step of the template'),
});
export type ApplyTemplateBody = z.infer<typeof ApplyTemplateBody>;

export const CreateDirectiveBody = z.object({
  number: required(60).describe('e.g. 40/CĐ-TTg'),
  issuedOn: IsoDate,
  issuer: required(200).describe('e.g. Thủ tướng Chính phủ'),
  title: required(500),
  body: text(50_000).default(''),
  tasks: z.array(TaskInput).max(DIRECTIVE_MAX_TASKS).default([]),
  template: ApplyTemplateBody.optional().describe('Also create every step of a template for these units'),
});
export type CreateDirectiveBody = z.input<typeof CreateDirectiveBody>;

export const UpdateDirectiveBody = z.object({
  version: Version,
  number: required(60).optional(),
  issuedOn: IsoDate.optional(),
  issuer: required(200).optional(),
  title: required(500).optional(),
  body: text(50_000).optional(),
});

export const AddTasksBody = z.object({ tasks: z.array(TaskInput).min(1).max(DIRECTIVE_MAX_TASKS) });

export const TaskUnitRef = z.object({ id: Uuid, code: z.string(), nameVi: z.string(), nameEn: z.string() });
export type TaskUnitRef = z.infer<typeof TaskUnitRef>;

export const TaskSummary = z.object({
  id: Uuid,
  directiveId: Uuid,
  directiveNumber: z.string(),
  directiveTitle: z.string(),
  position: z.number().int(),
  title: z.string(),
  assignedUnit: TaskUnitRef,
  deadline: z.string().describe('yyyy-MM-dd, due at the end of that day in Vietnam'),
  dueAt: Instant.describe('The first instant the task is overdue'),
  priority: TaskPriority,
  status: TaskStatus,
  phase: TemplatePhase.nullable(),
  deadlineState: DeadlineState.nullable().describe('null once accepted or cancelled'),
  workingDaysLeft: z.number().int().nullable().describe('Working days (Mon–Fri) left; negative when late; null once final'),
  compliance: ComplianceOutcome,
  escalation: z.object({ at: Instant, unit: TaskUnitRef }).nullable().describe('Set when the task went overdue: the unit whose head was warned'),
  submittedAt: Instant.nullable(),
  decidedAt: Instant.nullable(),
  reportCount: z.number().int(),
  version: Version,
});
export type TaskSummary = z.infer<typeof TaskSummary>;

export const ReportFigure = z.object({
  label: required(200),
  value: z.number().finite(),
  unit: text(40).nullable().optional(),
});

export const TaskReportBody = z.object({
  body: required(10_000),
  figures: z.array(ReportFigure).max(50).default([]),
  caseIds: z.array(Uuid).max(50).default([]).describe('Cases the reporting user may see'),
});
export type TaskReportBody = z.input<typeof TaskReportBody>;

export const ReportCaseRef = z.object({ id: Uuid, code: z.string().nullable(), title: z.string().nullable().describe('null when the reader may not see the case') });

/** A document or photo sent with a progress report (download: GET /api/tasks/:id/attachments/:attachmentId). */
export const TaskReportAttachmentView = z.object({ id: Uuid, fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), sha256: z.string(), createdAt: Instant });
export type TaskReportAttachmentView = z.infer<typeof TaskReportAttachmentView>;

export const TaskReportView = z.object({
  id: Uuid,
  body: z.string(),
  figures: z.array(z.object({ label: z.string(), value: z.number(), unit: z.string().nullable() })),
  cases: z.array(ReportCaseRef),
  author: z.string().nullable(),
  authorUnit: TaskUnitRef.nullable(),
  attachments: z.array(TaskReportAttachmentView),
  createdAt: Instant,
});

export const TaskEventView = z.object({
  seq: z.number().int(),
  kind: z.enum(TASK_EVENT_KINDS),
  from: TaskStatus.nullable(),
  to: TaskStatus,
  note: z.string().nullable(),
  by: z.string().nullable().describe('Display name of the user; null for the system (escalation)'),
  at: Instant,
});

export const TaskDetail = TaskSummary.extend({
  instructions: z.string(),
  reportRequirement: z.string(),
  directive: z.object({ id: Uuid, number: z.string(), title: z.string(), issuer: z.string(), issuedOn: z.string() }),
  reports: z.array(TaskReportView),
  history: z.array(TaskEventView),
  allowedActions: z.array(TaskAction),
});
export type TaskDetail = z.infer<typeof TaskDetail>;

export const TaskActionBody = z.object({
  version: Version,
  comment: text(4000).optional().describe('Required to return or cancel'),
});
export type TaskActionBody = z.infer<typeof TaskActionBody>;

export const TaskQuery = z.object({
  status: z.enum([...TASK_STATUSES, 'active']).optional().describe('"active": every status but accepted and cancelled'),
  due: z.enum(['soon', 'overdue']).optional(),
  directiveId: Uuid.optional(),
  unitId: Uuid.optional().describe('Tasks of this unit and the units below it'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const TaskList = z.object({ items: z.array(TaskSummary), truncated: z.boolean() });
export type TaskList = z.infer<typeof TaskList>;

export const TaskReminders = z.object({
  soonWorkingDays: z.number().int(),
  dueSoon: z.array(TaskSummary),
  overdue: z.array(TaskSummary),
  escalated: z.array(TaskSummary).describe('Overdue tasks escalated to the user\'s unit (or a unit below it) as their head'),
});
export type TaskReminders = z.infer<typeof TaskReminders>;
export const ReminderQuery = z.object({ days: z.coerce.number().int().min(0).max(30).default(DUE_SOON_WORKING_DAYS).describe('Working days that count as "due soon"') });

export const DirectiveAttachmentView = z.object({ id: Uuid, fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), sha256: z.string(), uploadedBy: z.string().nullable(), createdAt: Instant });

export const ComplianceCounts = z.object({
  total: z.number().int().describe('Tasks counted (cancelled ones are not)'),
  onTime: z.number().int(),
  late: z.number().int(),
  outstanding: z.number().int(),
  overdue: z.number().int().describe('Outstanding tasks past their deadline'),
});
export type ComplianceCounts = z.infer<typeof ComplianceCounts>;

export const DirectiveSummary = z.object({
  id: Uuid,
  number: z.string(),
  issuedOn: z.string(),
  issuer: z.string(),
  title: z.string(),
  counts: ComplianceCounts.describe('Over the tasks this user may see'),
  nextDeadline: z.string().nullable(),
  version: Version,
  createdAt: Instant,
});
export type DirectiveSummary = z.infer<typeof DirectiveSummary>;

export const DirectiveDetail = DirectiveSummary.extend({
  body: z.string(),
  createdBy: z.string().nullable(),
  tasks: z.array(TaskSummary),
  attachments: z.array(DirectiveAttachmentView),
  mayManage: z.boolean().describe('The standing office: edit, add tasks, accept and return'),
});
export type DirectiveDetail = z.infer<typeof DirectiveDetail>;

export const DirectiveQuery = z.object({
  q: z.string().max(200).optional().describe('Number, issuer or title; diacritics optional'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const DirectivePage = z.object({ items: z.array(DirectiveSummary), nextCursor: z.string().nullable() });
export const DirectiveAttachmentParams = z.object({ id: Uuid, attachmentId: Uuid });

export const TemplateItem = z.object({
  phase: TemplatePhase,
  title: required(300),
  instructions: text(4000).default(''),
  reportRequirement: required(2000),
  priority: TaskPriority.default('normal'),
  offsetDays: z.number().int().min(-366).max(366).describe('Calendar days from the chosen date (negative: before); a weekend moves to Monday'),
});
export const CreateTemplateBody = z.object({
  code: z.string().trim().min(2).max(40).regex(/^[A-Z0-9][A-Z0-9._-]*$/, 'upper-case letters, digits, dot, dash or underscore'),
  nameVi: required(200),
  nameEn: required(200),
  description: text(4000).default(''),
  items: z.array(TemplateItem).min(1).max(50),
});
export type CreateTemplateBody = z.input<typeof CreateTemplateBody>;
export const TemplateView = z.object({
  id: Uuid,
  code: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  description: z.string(),
  items: z.array(TemplateItem),
  active: z.boolean(),
  version: Version,
});
export type TemplateView = z.infer<typeof TemplateView>;
export const TemplateList = z.object({ items: z.array(TemplateView) });
export type TemplateList = z.infer<typeof TemplateList>;

export const ComplianceQuery = z.object({
  by: z.enum(['unit', 'directive']).default('unit'),
  from: IsoDate.optional().describe('Tasks with a deadline on or after'),
  to: IsoDate.optional().describe('Tasks with a deadline on or before'),
  directiveId: Uuid.optional(),
});
export const ComplianceRow = ComplianceCounts.extend({
  key: Uuid,
  label: z.string().describe('Unit name (Vietnamese) or directive number and title'),
  labelEn: z.string(),
  onTimeRate: z.number().nullable().describe('on time / (on time + late); null with nothing finished'),
});
export type ComplianceRow = z.infer<typeof ComplianceRow>;
export const ComplianceReport = z.object({
  by: z.enum(['unit', 'directive']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  rows: z.array(ComplianceRow),
  totals: ComplianceCounts,
  generatedAt: Instant,
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;

/** The directives section of the situation report: tasks due in the period, in the report's scope. */
export const SituationCompliance = z.object({
  totals: ComplianceCounts,
  rows: z.array(ComplianceRow).describe('Per assigned unit, most outstanding first (at most 20)'),
  commendations: z.number().int().describe('Commendations decided in the period, in scope'),
});
export type SituationCompliance = z.infer<typeof SituationCompliance>;
