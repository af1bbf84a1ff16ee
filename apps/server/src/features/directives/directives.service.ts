import { randomUUID } from 'node:crypto';
import {
  ATTACHMENT_MAX_BYTES, DUE_SOON_WORKING_DAYS,
  type ApplyTemplateBody, type CreateDirectiveBody, type CreateTemplateBody, type DirectiveDetail, type DirectiveSummary, type FieldIssue, type TaskInput, type TemplateView,
} from '@cordon/contracts';
import { templateDeadline } from '@cordon/engine';
import { foldVietnamese } from '@cordon/reference';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound, staleVersion } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { checkDirectiveFiles, type DirectiveFile } from './directives.files.js';
import { directiveAccessOf, visibleTasksSql, type DirectiveAccess } from './directives.access.js';
import { countTask, emptyCounts, selectTasks, toTaskSummary } from './tasks.rows.js';

type Tx = Kysely<Database>;
export const DIRECTIVE_RECORD = 'directive';

export type { DirectiveFile } from './directives.files.js';

interface NewTask {
  title: string;
  instructions: string;
  reportRequirement: string;
  assignedUnitId: string;
  deadline: string;
  priority: string;
  templateId?: string | null;
  phase?: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const searchTextOf = (d: { number: string; issuer: string; title: string }) => foldVietnamese(`${d.number} ${d.issuer} ${d.title}`);
const throwIssues = (issues: FieldIssue[]) => {
  if (issues.length) throw new AppError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
};

/**
 * Directives of the standing office and the tasks they give units. Every write records its audit event
 * in the same transaction. Reading is need-to-know: the office sees everything; a unit sees a directive
 * only through the tasks given to it (and units below it), and only those tasks.
 */
export function createDirectivesService({ db, clock, audit, maxFileBytes = ATTACHMENT_MAX_BYTES }: { db: Db; clock: Clock; audit: AuditService; maxFileBytes?: number }) {
  async function accessOf(p: Principal, trx: Tx = db.kysely): Promise<DirectiveAccess> {
    return directiveAccessOf(p, trx);
  }

  async function requireManager(p: Principal, trx: Tx = db.kysely): Promise<DirectiveAccess> {
    const a = await accessOf(p, trx);
    if (!a.manages) throw forbidden('Only the standing office (analysts of the national office) records and edits directives and their tasks');
    return a;
  }

  /** Checks task inputs (units exist and are active, deadline not before the directive's date). */
  async function checkTasks(trx: Tx, tasks: NewTask[], issuedOn: string, prefix: string): Promise<FieldIssue[]> {
    const issues: FieldIssue[] = [];
    const ids = [...new Set(tasks.map((t) => t.assignedUnitId))];
    const units = ids.length ? await trx.selectFrom('org_units').select(['id', 'active']).where('id', 'in', ids).execute() : [];
    const active = new Set(units.filter((u) => u.active).map((u) => u.id));
    tasks.forEach((t, i) => {
      if (!active.has(t.assignedUnitId)) issues.push({ field: `${prefix}${i}.assignedUnitId`, reason: 'invalid_value', message: 'no such active unit' });
      if (t.deadline < issuedOn) issues.push({ field: `${prefix}${i}.deadline`, reason: 'invalid_value', message: `cannot be before the directive's date ${issuedOn}` });
    });
    return issues;
  }

  async function insertTasks(trx: Tx, p: Principal, directiveId: string, tasks: NewTask[]): Promise<string[]> {
    const now = clock.now();
    const { rows } = await sql<{ n: number }>`SELECT coalesce(max(position), 0)::int AS n FROM directive_tasks WHERE directive_id = ${directiveId}`.execute(trx);
    let position = rows[0]?.n ?? 0;
    const ids: string[] = [];
    for (const t of tasks) {
      const id = randomUUID();
      position++;
      await trx.insertInto('directive_tasks').values({
        id, directive_id: directiveId, position, title: t.title, instructions: t.instructions, report_requirement: t.reportRequirement,
        assigned_unit_id: t.assignedUnitId, deadline: t.deadline, priority: t.priority, status: 'open', template_id: t.templateId ?? null, phase: t.phase ?? null,
        submitted_at: null, decided_at: null, escalated_at: null, escalated_to_unit_id: null, created_by: p.userId, created_at: now, updated_at: now,
      }).execute();
      await trx.insertInto('directive_task_events').values({ task_id: id, kind: 'created', from_status: null, to_status: 'open', note: null, report_id: null, by_user_id: p.userId, at: now }).execute();
      ids.push(id);
    }
    return ids;
  }

  function fromInput(t: TaskInput): NewTask {
    return { title: t.title, instructions: t.instructions ?? '', reportRequirement: t.reportRequirement, assignedUnitId: t.assignedUnitId, deadline: t.deadline, priority: t.priority ?? 'normal' };
  }

  /** Every step of a template for every unit, with deadlines counted from the anchor date. */
  async function templateTasks(trx: Tx, body: ApplyTemplateBody, prefix: string): Promise<NewTask[]> {
    const tpl = await trx.selectFrom('task_templates').selectAll().where('id', '=', body.templateId).executeTakeFirst();
    if (!tpl || !tpl.active) throw invalidField(`${prefix}templateId`, 'invalid_value', 'no such active template');
    const units = [...new Set(body.unitIds)];
    return tpl.items.flatMap((item) =>
      units.map((unitId) => ({
        title: item.title, instructions: item.instructions, reportRequirement: item.reportRequirement, assignedUnitId: unitId,
        deadline: templateDeadline(body.anchorDate, item.offsetDays), priority: item.priority, templateId: tpl.id, phase: item.phase,
      })),
    );
  }

  async function create(p: Principal, body: CreateDirectiveBody, requestId?: string): Promise<DirectiveDetail> {
    await requireManager(p);
    const id = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      const own = (body.tasks ?? []).map(fromInput);
      const fromTemplate = body.template ? await templateTasks(trx, body.template, 'template.') : [];
      throwIssues([
        ...(await checkTasks(trx, own, body.issuedOn, 'tasks.')),
        ...(await checkTasks(trx, fromTemplate, body.issuedOn, 'template.tasks.')).map((i) => (i.field.endsWith('assignedUnitId') ? { ...i, field: 'template.unitIds' } : i)),
      ]);
      const dup = await trx.selectFrom('directives').select('id').where('number', '=', body.number).where('issued_on', '=', body.issuedOn).executeTakeFirst();
      if (dup) throw new AppError('CONFLICT', `number: directive ${body.number} of ${body.issuedOn} is already recorded`, [{ field: 'number', reason: 'not_unique', message: 'already recorded with this date' }]);
      const now = clock.now();
      await trx.insertInto('directives').values({
        id, number: body.number, issued_on: body.issuedOn, issuer: body.issuer, title: body.title, body: body.body ?? '',
        search_text: searchTextOf(body), created_by: p.userId, created_at: now, updated_at: now,
      }).execute();
      const taskIds = await insertTasks(trx, p, id, [...own, ...fromTemplate]);
      await audit.record({ action: 'directive.create', actor: actorOf(p), entityType: DIRECTIVE_RECORD, entityId: id, detail: { number: body.number, issuedOn: body.issuedOn, taskIds, templateId: body.template?.templateId ?? null }, requestId }, trx);
    });
    return get(p, id);
  }

  async function update(p: Principal, id: string, body: { version: number; number?: string; issuedOn?: string; issuer?: string; title?: string; body?: string }, requestId?: string): Promise<DirectiveDetail> {
    await requireManager(p);
    await db.kysely.transaction().execute(async (trx) => {
      const d = await trx.selectFrom('directives').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!d) throw notFound('Directive');
      if (d.version !== body.version) throw staleVersion('The directive');
      const next = { number: body.number ?? d.number, issuer: body.issuer ?? d.issuer, title: body.title ?? d.title, issuedOn: body.issuedOn ?? d.issued_on };
      const earliest = await trx.selectFrom('directive_tasks').select(sql<string>`to_char(min(deadline), 'YYYY-MM-DD')`.as('d')).where('directive_id', '=', id).executeTakeFirst();
      if (earliest?.d && next.issuedOn > earliest.d) throw invalidField('issuedOn', 'invalid_value', `cannot be after the earliest task deadline ${earliest.d}`);
      const changed = Object.fromEntries(Object.entries({ number: body.number, issuedOn: body.issuedOn, issuer: body.issuer, title: body.title, body: body.body }).filter(([, v]) => v !== undefined));
      await trx.updateTable('directives').set({
        number: next.number, issued_on: next.issuedOn, issuer: next.issuer, title: next.title, body: body.body ?? d.body,
        search_text: searchTextOf(next), version: d.version + 1, updated_at: clock.now(),
      }).where('id', '=', id).execute();
      await audit.record({ action: 'directive.update', actor: actorOf(p), entityType: DIRECTIVE_RECORD, entityId: id, detail: { fields: Object.keys(changed) }, requestId }, trx);
    }).catch((e: unknown) => {
      if ((e as { code?: string }).code === '23505') throw new AppError('CONFLICT', 'number: another directive has this number and date', [{ field: 'number', reason: 'not_unique', message: 'already recorded with this date' }]);
      throw e;
    });
    return get(p, id);
  }

  async function addTasks(p: Principal, id: string, tasks: TaskInput[], requestId?: string): Promise<DirectiveDetail> {
    await requireManager(p);
    await db.kysely.transaction().execute(async (trx) => {
      const d = await trx.selectFrom('directives').select(['id', 'issued_on']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!d) throw notFound('Directive');
      const list = tasks.map(fromInput);
      throwIssues(await checkTasks(trx, list, d.issued_on, 'tasks.'));
      const taskIds = await insertTasks(trx, p, id, list);
      await audit.record({ action: 'directive.tasks.add', actor: actorOf(p), entityType: DIRECTIVE_RECORD, entityId: id, detail: { taskIds }, requestId }, trx);
    });
    return get(p, id);
  }

  async function applyTemplate(p: Principal, id: string, body: ApplyTemplateBody, requestId?: string): Promise<DirectiveDetail> {
    await requireManager(p);
    await db.kysely.transaction().execute(async (trx) => {
      const d = await trx.selectFrom('directives').select(['id', 'issued_on']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!d) throw notFound('Directive');
      const list = await templateTasks(trx, body, '');
      throwIssues((await checkTasks(trx, list, d.issued_on, 'tasks.')).map((i) => (i.field.endsWith('assignedUnitId') ? { ...i, field: 'unitIds' } : { ...i, field: 'anchorDate', message: `puts a step before the directive's date ${d.issued_on}` })));
      const taskIds = await insertTasks(trx, p, id, list);
      await audit.record({ action: 'directive.template.apply', actor: actorOf(p), entityType: DIRECTIVE_RECORD, entityId: id, detail: { templateId: body.templateId, anchorDate: body.anchorDate, unitIds: body.unitIds, taskIds }, requestId }, trx);
    });
    return get(p, id);
  }

  /** The directive with the tasks this user may see; 404 when they may see none of them. */
  async function get(p: Principal, id: string): Promise<DirectiveDetail> {
    const a = await accessOf(p);
    const d = await db.kysely.selectFrom('directives as d').leftJoin('users as u', 'u.id', 'd.created_by').select(['d.id', 'd.number', 'd.issued_on', 'd.issuer', 'd.title', 'd.body', 'd.version', 'd.created_at', 'u.display_name as username']).where('d.id', '=', id).executeTakeFirst();
    if (!d) throw notFound('Directive');
    const now = clock.now();
    const tasks = await selectTasks(db.kysely, sql<boolean>`t.directive_id = ${id} AND ${visibleTasksSql(p, a)}`);
    if (!a.readsAll && tasks.length === 0) throw notFound('Directive');
    const attachments = await db.kysely.selectFrom('directive_attachments as a').leftJoin('users as u', 'u.id', 'a.uploaded_by')
      .select(['a.id', 'a.file_name', 'a.mime_type', 'a.size_bytes', 'a.sha256', 'a.created_at', 'u.display_name as username']).where('a.directive_id', '=', id).orderBy('a.created_at').execute();
    const counts = tasks.reduce((c, t) => countTask(c, t, now), emptyCounts());
    const open = tasks.filter((t) => !['accepted', 'cancelled'].includes(t.status)).map((t) => t.deadline).sort();
    return {
      id: d.id, number: d.number, issuedOn: d.issued_on, issuer: d.issuer, title: d.title, body: d.body, version: d.version, createdAt: iso(d.created_at),
      createdBy: d.username, counts, nextDeadline: open[0] ?? null,
      tasks: tasks.map((t) => toTaskSummary(t, now, DUE_SOON_WORKING_DAYS)),
      attachments: attachments.map((x) => ({ id: x.id, fileName: x.file_name, mimeType: x.mime_type, sizeBytes: x.size_bytes, sha256: x.sha256, uploadedBy: x.username, createdAt: iso(x.created_at) })),
      mayManage: a.manages,
    };
  }

  /** Newest first; the office sees all, a unit those with a task of its own. */
  async function list(p: Principal, q: { q?: string; cursor?: string; limit: number }): Promise<{ items: DirectiveSummary[]; nextCursor: string | null }> {
    const a = await accessOf(p);
    if (!a.readsAll && !a.readsOwn) throw forbidden('Directives need a staff role');
    let query = db.kysely.selectFrom('directives as d').select(['d.id', 'd.number', sql<string>`to_char(d.issued_on, 'YYYY-MM-DD')`.as('issued_on'), 'd.issuer', 'd.title', 'd.version', 'd.created_at']);
    if (!a.readsAll) query = query.where(sql<boolean>`EXISTS (SELECT 1 FROM directive_tasks t WHERE t.directive_id = d.id AND ${visibleTasksSql(p, a)})`);
    if (q.q?.trim()) query = query.where('d.search_text', 'like', `%${foldVietnamese(q.q.trim()).replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    const after = decodeCursor(q.cursor, 2);
    if (after) query = query.where(sql<boolean>`(d.issued_on, d.id) < (${after[0]}::date, ${after[1]}::uuid)`);
    const rows = await query.orderBy('d.issued_on', 'desc').orderBy('d.id', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const now = clock.now();
    const tasks = page.length ? await selectTasks(db.kysely, sql<boolean>`t.directive_id = ANY(${sql.val(page.map((r) => r.id))}::uuid[]) AND ${visibleTasksSql(p, a)}`) : [];
    const items = page.map((d) => {
      const mine = tasks.filter((t) => t.directive_id === d.id);
      const open = mine.filter((t) => !['accepted', 'cancelled'].includes(t.status)).map((t) => t.deadline).sort();
      return { id: d.id, number: d.number, issuedOn: d.issued_on, issuer: d.issuer, title: d.title, version: d.version, createdAt: iso(d.created_at), counts: mine.reduce((c, t) => countTask(c, t, now), emptyCounts()), nextDeadline: open[0] ?? null };
    });
    const last = page.at(-1);
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.issued_on, last.id]) : null };
  }

  // ---- templates ------------------------------------------------------------------------------------

  async function listTemplates(p: Principal): Promise<TemplateView[]> {
    const a = await accessOf(p);
    if (!a.readsAll) throw forbidden('Task templates are the standing office\'s');
    const rows = await db.kysely.selectFrom('task_templates').selectAll().orderBy('code').execute();
    return rows.map((r) => ({ id: r.id, code: r.code, nameVi: r.name_vi, nameEn: r.name_en, description: r.description, items: r.items as TemplateView['items'], active: r.active, version: r.version }));
  }

  async function createTemplate(p: Principal | null, body: CreateTemplateBody, requestId?: string, trxIn?: Tx): Promise<TemplateView> {
    if (p) await requireManager(p);
    const id = randomUUID();
    const items = body.items.map((i) => ({ phase: i.phase, title: i.title, instructions: i.instructions ?? '', reportRequirement: i.reportRequirement, priority: i.priority ?? 'normal', offsetDays: i.offsetDays }));
    const write = async (trx: Tx) => {
      const dup = await trx.selectFrom('task_templates').select('id').where('code', '=', body.code).executeTakeFirst();
      if (dup) throw new AppError('CONFLICT', `code: template ${body.code} exists`, [{ field: 'code', reason: 'not_unique', message: 'a template has this code' }]);
      const now = clock.now();
      await trx.insertInto('task_templates').values({ id, code: body.code, name_vi: body.nameVi, name_en: body.nameEn, description: body.description ?? '', items: JSON.stringify(items), created_by: p?.userId ?? null, created_at: now, updated_at: now }).execute();
      await audit.record({ action: 'task_template.create', actor: p ? actorOf(p) : null, entityType: 'task_template', entityId: id, detail: { code: body.code, steps: items.length }, requestId }, trx);
    };
    if (trxIn) await write(trxIn);
    else await db.kysely.transaction().execute(write);
    return { id, code: body.code, nameVi: body.nameVi, nameEn: body.nameEn, description: body.description ?? '', items, active: true, version: 1 } as TemplateView;
  }

  // ---- attachments ----------------------------------------------------------------------------------

  async function upload(p: Principal, id: string, files: DirectiveFile[], requestId?: string): Promise<DirectiveDetail> {
    await requireManager(p);
    const checked = await checkDirectiveFiles(files, maxFileBytes);
    await db.kysely.transaction().execute(async (trx) => {
      const d = await trx.selectFrom('directives').select('id').where('id', '=', id).executeTakeFirst();
      if (!d) throw notFound('Directive');
      const now = clock.now();
      for (const f of checked) {
        const attachmentId = randomUUID();
        await trx.insertInto('directive_attachments').values({ id: attachmentId, directive_id: id, file_name: f.fileName, mime_type: f.mimeType, size_bytes: f.sizeBytes, sha256: f.sha256, content: f.data, uploaded_by: p.userId, created_at: now }).execute();
        await audit.record({ action: 'directive.attachment.add', actor: actorOf(p), entityType: DIRECTIVE_RECORD, entityId: id, detail: { attachmentId, fileName: f.fileName, mimeType: f.mimeType, sizeBytes: f.sizeBytes, sha256: f.sha256 }, requestId }, trx);
      }
    });
    return get(p, id);
  }

  /** Anyone who may see the directive may read its text and attachments. */
  async function download(p: Principal, id: string, attachmentId: string) {
    await get(p, id);
    const a = await db.kysely.selectFrom('directive_attachments').selectAll().where('id', '=', attachmentId).where('directive_id', '=', id).executeTakeFirst();
    if (!a) throw notFound('Attachment');
    return { fileName: a.file_name, mimeType: a.mime_type, sha256: a.sha256, content: a.content };
  }

  return { accessOf, requireManager, create, update, addTasks, applyTemplate, get, list, listTemplates, createTemplate, upload, download, maxFileBytes };
}

export type DirectivesService = ReturnType<typeof createDirectivesService>;
