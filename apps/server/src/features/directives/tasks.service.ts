import { randomUUID } from 'node:crypto';
import { ATTACHMENT_MAX_BYTES, DUE_SOON_WORKING_DAYS, type TaskActionBody, type TaskDetail, type TaskReminders, type TaskReportBody, type TaskSummary } from '@cordon/contracts';
import { allowedTaskActions, checkTaskAction, escalationUnit, OPEN_TASK_STATUSES, vietnamDateOf, type TaskAction, type TaskStatus } from '@cordon/engine';
import { sql, type Database, type Db, type Kysely, type RawBuilder } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound, staleVersion } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { visibleRowsCondition } from '../access/access.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { checkDirectiveFiles, type CheckedFile, type DirectiveFile } from './directives.files.js';
import { directiveAccessOf, isAssignee, mayReadTask, visibleTasksSql, type DirectiveAccess } from './directives.access.js';
import { selectTasks, toTaskSummary, type TaskRow } from './tasks.rows.js';
import { subtreeIdsSql } from '../org/subtree.js';

type Tx = Kysely<Database>;
export const TASK_RECORD = 'directive_task';
const iso = (d: Date | string) => new Date(d).toISOString();
const openStatuses = sql`${sql.val([...OPEN_TASK_STATUSES])}::text[]`;

/** A refused action: the error for the client and what the audit trail records. */
class Refused extends Error {
  constructor(readonly error: AppError, readonly detail: Record<string, unknown>) {
    super(error.message);
  }
}

/**
 * Tasks given to units: their lists and reminders, progress reports, "done", the office's accept and
 * return, and escalation of overdue tasks. Transitions are checked by the engine's state machine
 * (packages/engine/src/directives/tasks.ts); each commits with its history row and audit event.
 */
export function createTasksService({ db, clock, audit, maxFileBytes = ATTACHMENT_MAX_BYTES }: { db: Db; clock: Clock; audit: AuditService; maxFileBytes?: number }) {
  /**
   * Marks every open task whose deadline day has ended in Vietnam as escalated to its head unit (the
   * parent of the assigned unit, or the unit itself when it is a root), once, with a history row and an
   * audit event. Runs before reminders and task reads, so what users see is always up to date.
   */
  async function escalateOverdue(): Promise<number> {
    const today = vietnamDateOf(clock.now());
    const due = await db.kysely.selectFrom('directive_tasks as t').innerJoin('org_units as u', 'u.id', 't.assigned_unit_id')
      .select(['t.id', 't.status', 't.assigned_unit_id', 't.deadline', 'u.parent_id'])
      .where('t.escalated_at', 'is', null).where('t.deadline', '<', today).where(sql<boolean>`t.status = ANY(${openStatuses})`).execute();
    if (!due.length) return 0;
    let n = 0;
    await db.kysely.transaction().execute(async (trx) => {
      const now = clock.now();
      for (const t of due) {
        const to = escalationUnit({ id: t.assigned_unit_id, parentId: t.parent_id });
        const r = await trx.updateTable('directive_tasks').set({ escalated_at: now, escalated_to_unit_id: to }).where('id', '=', t.id).where('escalated_at', 'is', null).executeTakeFirst();
        if (!Number(r.numUpdatedRows)) continue; // another request escalated it first
        await trx.insertInto('directive_task_events').values({ task_id: t.id, kind: 'escalate', from_status: t.status, to_status: t.status, note: null, report_id: null, by_user_id: null, at: now }).execute();
        await audit.record({ action: 'task.escalate', entityType: TASK_RECORD, entityId: t.id, detail: { deadline: t.deadline, escalatedToUnitId: to }, requestId: undefined }, trx);
        n++;
      }
    });
    return n;
  }

  async function loadVisible(p: Principal, id: string, trx: Tx = db.kysely): Promise<{ row: TaskRow; access: DirectiveAccess }> {
    const access = await directiveAccessOf(p, trx);
    const [row] = await selectTasks(trx, sql<boolean>`t.id = ${id}`, 1);
    if (!row) throw notFound('Task');
    // Someone else's task: answered like a missing one, and the attempt goes into the audit trail.
    if (!mayReadTask(p, access, row)) throw new Refused(notFound('Task'), { rule: 'not-own-unit' });
    return { row, access };
  }

  async function caseRefs(p: Principal, ids: string[], trx: Tx = db.kysely): Promise<Map<string, { code: string; title: string }>> {
    if (!ids.length) return new Map();
    const rows = await trx.selectFrom('cases as c').select(['c.id', 'c.code', 'c.title']).where('c.id', 'in', [...new Set(ids)])
      .where(visibleRowsCondition(p, { alias: 'c', recordType: 'case', handlingUnits: 'c.handling_unit_ids', namedUsers: 'c.named_user_ids' })).execute();
    return new Map(rows.map((r) => [r.id, { code: r.code, title: r.title }]));
  }

  async function get(p: Principal, id: string, requestId?: string): Promise<TaskDetail> {
    await escalateOverdue();
    let loaded: Awaited<ReturnType<typeof loadVisible>>;
    try {
      loaded = await loadVisible(p, id);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      await audit.record({ action: 'task.read', outcome: 'denied', actor: actorOf(p), entityType: TASK_RECORD, entityId: id, detail: e.detail, requestId });
      throw e.error;
    }
    const { row, access } = loaded;
    const now = clock.now();
    const [directive, reports, history, files] = await Promise.all([
      db.kysely.selectFrom('directives').select(['id', 'number', 'title', 'issuer', 'issued_on']).where('id', '=', row.directive_id).executeTakeFirstOrThrow(),
      db.kysely.selectFrom('directive_task_reports as r').leftJoin('users as u', 'u.id', 'r.author_user_id').leftJoin('org_units as o', 'o.id', 'r.author_unit_id')
        .select(['r.id', 'r.body', 'r.figures', 'r.case_ids', 'r.created_at', 'u.display_name as username', 'o.id as unit_id', 'o.code as unit_code', 'o.name_vi', 'o.name_en'])
        // Written order: reports made within one instant follow their history rows.
        .where('r.task_id', '=', id).orderBy('r.created_at').orderBy(sql`(SELECT e.seq FROM directive_task_events e WHERE e.report_id = r.id)`).execute(),
      db.kysely.selectFrom('directive_task_events as e').leftJoin('users as u', 'u.id', 'e.by_user_id').select(['e.seq', 'e.kind', 'e.from_status', 'e.to_status', 'e.note', 'e.at', 'u.display_name as username'])
        .where('e.task_id', '=', id).orderBy('e.seq').execute(),
      db.kysely.selectFrom('directive_task_report_attachments').select(['id', 'report_id', 'file_name', 'mime_type', 'size_bytes', 'sha256', 'created_at'])
        .where('task_id', '=', id).orderBy('created_at').orderBy('file_name').execute(),
    ]);
    // Linked cases show their code and title only to readers who may see the case (summary or more).
    const refs = await caseRefs(p, reports.flatMap((r) => r.case_ids));
    const ctx = { isAssignee: isAssignee(p, row.assigned_unit_id), isOffice: access.manages, reportCount: row.report_count };
    return {
      ...toTaskSummary(row, now, DUE_SOON_WORKING_DAYS),
      instructions: row.instructions,
      reportRequirement: row.report_requirement,
      directive: { id: directive.id, number: directive.number, title: directive.title, issuer: directive.issuer, issuedOn: directive.issued_on },
      reports: reports.map((r) => ({
        id: r.id, body: r.body, figures: r.figures.map((f) => ({ label: f.label, value: f.value, unit: f.unit ?? null })),
        cases: r.case_ids.map((cid) => ({ id: cid, code: refs.get(cid)?.code ?? null, title: refs.get(cid)?.title ?? null })),
        attachments: files.filter((f) => f.report_id === r.id).map((f) => ({ id: f.id, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: f.size_bytes, sha256: f.sha256, createdAt: iso(f.created_at) })),
        author: r.username, authorUnit: r.unit_id ? { id: r.unit_id, code: r.unit_code!, nameVi: r.name_vi!, nameEn: r.name_en! } : null, createdAt: iso(r.created_at),
      })),
      history: history.map((h) => ({ seq: Number(h.seq), kind: h.kind as TaskDetail['history'][number]['kind'], from: h.from_status as TaskStatus | null, to: h.to_status as TaskStatus, note: h.note, by: h.username, at: iso(h.at) })),
      allowedActions: allowedTaskActions(row.status as TaskStatus, ctx),
    };
  }

  /** Tasks this user may see: the office all of them, a unit its own (units below included) and those escalated to it. */
  async function list(p: Principal, q: { status?: TaskStatus | 'active'; due?: 'soon' | 'overdue'; directiveId?: string; unitId?: string; limit: number }): Promise<{ items: TaskSummary[]; truncated: boolean }> {
    await escalateOverdue();
    const access = await directiveAccessOf(p, db.kysely);
    if (!access.readsAll && !access.readsOwn) throw forbidden('Tasks need a staff role');
    const conds: RawBuilder<boolean>[] = [visibleTasksSql(p, access)];
    if (q.status === 'active' || q.due) conds.push(sql<boolean>`t.status = ANY(${openStatuses})`);
    else if (q.status) conds.push(sql<boolean>`t.status = ${q.status}`);
    if (q.directiveId) conds.push(sql<boolean>`t.directive_id = ${q.directiveId}`);
    if (q.unitId) {
      conds.push(sql<boolean>`t.assigned_unit_id IN ${subtreeIdsSql(q.unitId)}`);
    }
    const today = vietnamDateOf(clock.now());
    if (q.due === 'overdue') conds.push(sql<boolean>`t.deadline < ${today}::date`);
    const rows = await selectTasks(db.kysely, sql.join(conds, sql` AND `) as RawBuilder<boolean>, q.limit + 1);
    const now = clock.now();
    let items = rows.slice(0, q.limit).map((r) => toTaskSummary(r, now, DUE_SOON_WORKING_DAYS));
    if (q.due === 'soon') items = items.filter((t) => t.deadlineState === 'due_soon');
    return { items, truncated: rows.length > q.limit };
  }

  /**
   * In-app reminders: the open tasks of the user's own units due within `days` working days or overdue,
   * and the overdue tasks escalated to the user's units as their head (for the standing office: all
   * escalated tasks).
   */
  async function reminders(p: Principal, days = DUE_SOON_WORKING_DAYS): Promise<TaskReminders> {
    await escalateOverdue();
    const access = await directiveAccessOf(p, db.kysely);
    if (!access.readsOwn && !access.readsAll) throw forbidden('Tasks need a staff role');
    const now = clock.now();
    const units = sql`${sql.val(p.unitIds)}::uuid[]`;
    const own = access.readsOwn ? await selectTasks(db.kysely, sql<boolean>`t.status = ANY(${openStatuses}) AND t.assigned_unit_id = ANY(${units})`) : [];
    const escalatedRows = await selectTasks(db.kysely, sql<boolean>`t.status = ANY(${openStatuses}) AND t.escalated_at IS NOT NULL AND ${access.readsAll ? sql`true` : sql`t.escalated_to_unit_id = ANY(${units})`}`);
    const mine = own.map((r) => toTaskSummary(r, now, days));
    return {
      soonWorkingDays: days,
      // A submitted task waits for the office, not the unit: it is no reminder for the unit.
      dueSoon: mine.filter((t) => t.deadlineState === 'due_soon' && t.status !== 'submitted'),
      overdue: mine.filter((t) => t.deadlineState === 'overdue' && t.status !== 'submitted'),
      escalated: escalatedRows.map((r) => toTaskSummary(r, now, days)),
    };
  }

  /** Runs one action through the state machine, in a transaction with its history row and audit event. */
  async function act(p: Principal, id: string, action: TaskAction, input: { version?: number; comment?: string | null; report?: TaskReportBody; files?: CheckedFile[] }, requestId?: string): Promise<TaskDetail> {
    try {
      await apply(p, id, action, input, requestId);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      // Refusals are audited after the rollback (on the single embedded connection, not inside it).
      await audit.record({ action: `task.${action}`, outcome: 'denied', actor: actorOf(p), entityType: TASK_RECORD, entityId: id, detail: e.detail, requestId });
      throw e.error;
    }
    return get(p, id);
  }

  async function apply(p: Principal, id: string, action: TaskAction, input: { version?: number; comment?: string | null; report?: TaskReportBody; files?: CheckedFile[] }, requestId?: string): Promise<void> {
    await db.kysely.transaction().execute(async (trx) => {
      const { row, access } = await loadVisible(p, id, trx);
      await trx.selectFrom('directive_tasks').select('id').where('id', '=', id).forUpdate().execute();
      const current = await trx.selectFrom('directive_tasks').select(['status', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
      const from = current.status as TaskStatus;
      const verdict = checkTaskAction(from, action, { isAssignee: isAssignee(p, row.assigned_unit_id), isOffice: access.manages, reportCount: row.report_count, comment: input.comment ?? null });
      if (!verdict.ok) {
        const error = verdict.code === 'FORBIDDEN' ? forbidden(verdict.message) : new AppError(verdict.code, `${verdict.field}: ${verdict.message}`, [{ field: verdict.field, reason: verdict.reason, message: verdict.message }]);
        throw new Refused(error, { status: from, reason: verdict.reason });
      }
      if (input.version !== undefined && input.version !== current.version) throw staleVersion('The task');
      const now = clock.now();
      let reportId: string | null = null;
      if (action === 'report' && input.report) {
        const r = input.report;
        const caseIds = [...new Set(r.caseIds ?? [])];
        const seen = await caseRefs(p, caseIds, trx);
        const hidden = caseIds.findIndex((c) => !seen.has(c));
        if (hidden >= 0) throw invalidField(`caseIds.${hidden}`, 'invalid_value', 'no such case that you may see');
        reportId = randomUUID();
        await trx.insertInto('directive_task_reports').values({
          id: reportId, task_id: id, body: r.body, figures: JSON.stringify((r.figures ?? []).map((f) => ({ label: f.label, value: f.value, unit: f.unit ?? null }))),
          case_ids: caseIds, author_user_id: p.userId, author_unit_id: p.unitId, created_at: now,
        }).execute();
        // The report's files go in with it: all of them or, when anything fails, none and no report.
        for (const f of input.files ?? []) {
          const attachmentId = randomUUID();
          await trx.insertInto('directive_task_report_attachments').values({
            id: attachmentId, report_id: reportId, task_id: id, file_name: f.fileName, mime_type: f.mimeType, size_bytes: f.sizeBytes, sha256: f.sha256, content: f.data, uploaded_by: p.userId, created_at: now,
          }).execute();
          await audit.record({ action: 'task.attachment.add', actor: actorOf(p), entityType: TASK_RECORD, entityId: id, detail: { reportId, attachmentId, fileName: f.fileName, mimeType: f.mimeType, sizeBytes: f.sizeBytes, sha256: f.sha256 }, requestId }, trx);
        }
      }
      await trx.updateTable('directive_tasks').set({
        status: verdict.to,
        version: current.version + 1,
        updated_at: now,
        ...(action === 'submit' ? { submitted_at: now } : {}),
        ...(action === 'accept' || action === 'cancel' ? { decided_at: now } : {}),
      }).where('id', '=', id).execute();
      const note = action === 'report' ? null : input.comment?.trim() || null;
      await trx.insertInto('directive_task_events').values({ task_id: id, kind: action, from_status: from, to_status: verdict.to, note, report_id: reportId, by_user_id: p.userId, at: now }).execute();
      await audit.record({ action: `task.${action}`, actor: actorOf(p), entityType: TASK_RECORD, entityId: id, detail: { directiveId: row.directive_id, from, to: verdict.to, ...(reportId ? { reportId, caseIds: input.report?.caseIds ?? [] } : {}), ...(note ? { comment: note } : {}) }, requestId }, trx);
    });
  }

  /** A progress report, with its documents and photos (checked before anything is written). */
  async function report(p: Principal, id: string, body: TaskReportBody, requestId?: string, files: DirectiveFile[] = []): Promise<TaskDetail> {
    const checked = await checkDirectiveFiles(files, maxFileBytes, { required: false });
    return act(p, id, 'report', { report: body, files: checked }, requestId);
  }

  /** A report's file, for anyone who may see the task; others get 404 and the attempt is audited. */
  async function download(p: Principal, id: string, attachmentId: string, requestId?: string) {
    try {
      await loadVisible(p, id);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      await audit.record({ action: 'task.attachment.read', outcome: 'denied', actor: actorOf(p), entityType: TASK_RECORD, entityId: id, detail: { ...e.detail, attachmentId }, requestId });
      throw notFound('Attachment');
    }
    const a = await db.kysely.selectFrom('directive_task_report_attachments').selectAll().where('id', '=', attachmentId).where('task_id', '=', id).executeTakeFirst();
    if (!a) throw notFound('Attachment');
    return { fileName: a.file_name, mimeType: a.mime_type, sha256: a.sha256, content: a.content };
  }
  const decide = (p: Principal, id: string, action: Exclude<TaskAction, 'report'>, body: TaskActionBody, requestId?: string) => act(p, id, action, body, requestId);

  return { escalateOverdue, get, list, reminders, report, decide, download, maxFileBytes };
}

export type TasksService = ReturnType<typeof createTasksService>;
