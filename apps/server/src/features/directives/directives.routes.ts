import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AddTasksBody, ApplyTemplateBody, ATTACHMENT_MAX_FILES, ComplianceQuery, ComplianceReport, CreateDirectiveBody, CreateTemplateBody, DirectiveAttachmentParams,
  DirectiveDetail, DirectivePage, DirectiveQuery, ErrorBody, IdParams, ReminderQuery, TaskActionBody, TaskDetail, TaskList, TaskQuery, TaskReminders,
  TaskReportBody, TemplateList, TemplateView, UpdateDirectiveBody,
} from '@cordon/contracts';
import { AppError } from '../../errors.js';
import { requirePrincipal } from '../../http/auth.js';
import { contentDisposition } from '../cases/attachments/attachments.routes.js';
import type { ComplianceService } from './directives.compliance.js';
import type { DirectiveFile, DirectivesService } from './directives.service.js';
import type { TasksService } from './tasks.service.js';

/** /api/directives (directives, templates, compliance) and /api/tasks (a unit's tasks, reports, decisions). */
export async function directivesRoutes(app: FastifyInstance, { directives, tasks, compliance }: { directives: DirectivesService; tasks: TasksService; compliance: ComplianceService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['directives'];

  r.get('/api/directives', { schema: { tags, summary: 'Directives, newest first: the standing office sees all, a unit those that give it a task', querystring: DirectiveQuery, response: { 200: DirectivePage, 403: ErrorBody } } }, async (req) =>
    directives.list(requirePrincipal(req), req.query),
  );
  r.post('/api/directives', { schema: { tags, summary: 'Record a directive with its tasks, or a template\'s tasks (standing office)', body: CreateDirectiveBody, response: { 201: DirectiveDetail, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await directives.create(requirePrincipal(req), req.body, req.id)),
  );
  r.get('/api/directives/templates', { schema: { tags, summary: 'Task templates for recurring campaigns (standing office)', response: { 200: TemplateList, 403: ErrorBody } } }, async (req) =>
    ({ items: await directives.listTemplates(requirePrincipal(req)) }),
  );
  r.post('/api/directives/templates', { schema: { tags, summary: 'Add a task template (standing office)', body: CreateTemplateBody, response: { 201: TemplateView, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await directives.createTemplate(requirePrincipal(req), req.body, req.id)),
  );
  r.get('/api/directives/compliance', { schema: { tags, summary: 'On time, late and outstanding tasks per unit or per directive (by deadline)', querystring: ComplianceQuery, response: { 200: ComplianceReport, 400: ErrorBody, 403: ErrorBody } } }, async (req) =>
    compliance.compliance(requirePrincipal(req), req.query),
  );
  r.get('/api/directives/:id', { schema: { tags, summary: 'One directive with the tasks this user may see', params: IdParams, response: { 200: DirectiveDetail, 404: ErrorBody } } }, async (req) =>
    directives.get(requirePrincipal(req), req.params.id),
  );
  r.patch('/api/directives/:id', { schema: { tags, summary: 'Correct a directive (standing office)', params: IdParams, body: UpdateDirectiveBody, response: { 200: DirectiveDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } } }, async (req) =>
    directives.update(requirePrincipal(req), req.params.id, req.body, req.id),
  );
  r.post('/api/directives/:id/tasks', { schema: { tags, summary: 'Give more tasks (standing office)', params: IdParams, body: AddTasksBody, response: { 201: DirectiveDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await directives.addTasks(requirePrincipal(req), req.params.id, req.body.tasks, req.id)),
  );
  r.post('/api/directives/:id/apply-template', { schema: { tags, summary: 'Create every step of a template for each unit, deadlines counted from a chosen date (standing office)', params: IdParams, body: ApplyTemplateBody, response: { 201: DirectiveDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await directives.applyTemplate(requirePrincipal(req), req.params.id, req.body, req.id)),
  );
  r.post('/api/directives/:id/attachments', { schema: { tags, summary: 'Attach the directive\'s document (multipart; JPEG, PNG, WebP, PDF, DOCX, XLSX, plain text; 20 MB each; standing office)', consumes: ['multipart/form-data'], params: IdParams, response: { 201: DirectiveDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } } }, async (req, reply) => {
    const p = requirePrincipal(req);
    await directives.requireManager(p); // before reading any upload
    if (!req.isMultipart()) throw new AppError('INVALID_INPUT', 'files: send multipart/form-data', [{ field: 'files', reason: 'invalid_format', message: 'send multipart/form-data with one or more files' }]);
    const files: DirectiveFile[] = [];
    try {
      for await (const part of req.files({ limits: { fileSize: directives.maxFileBytes, files: ATTACHMENT_MAX_FILES }, throwFileSizeLimit: false })) {
        files.push({ fileName: part.filename, data: await part.toBuffer(), truncated: part.file.truncated });
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_FILES_LIMIT') throw new AppError('INVALID_INPUT', `files: at most ${ATTACHMENT_MAX_FILES} at once`, [{ field: 'files', reason: 'too_many', message: `at most ${ATTACHMENT_MAX_FILES} files at once`, limit: ATTACHMENT_MAX_FILES }]);
      throw e;
    }
    return reply.status(201).send(await directives.upload(p, req.params.id, files, req.id));
  });
  r.get('/api/directives/:id/attachments/:attachmentId', { schema: { tags, summary: 'Download a directive\'s document', params: DirectiveAttachmentParams } }, async (req, reply) => {
    const file = await directives.download(requirePrincipal(req), req.params.id, req.params.attachmentId);
    return reply
      .header('content-type', file.mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : file.mimeType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(file.content);
  });

  // ---- tasks ---------------------------------------------------------------------------------------

  const taskTags = ['tasks'];
  r.get('/api/tasks', { schema: { tags: taskTags, summary: 'Tasks this user may see (own units and those below; the standing office: all), by deadline', querystring: TaskQuery, response: { 200: TaskList, 403: ErrorBody } } }, async (req) =>
    tasks.list(requirePrincipal(req), req.query),
  );
  r.get('/api/tasks/reminders', { schema: { tags: taskTags, summary: 'The user\'s units\' tasks due soon (working days) and overdue, and overdue tasks escalated to them', querystring: ReminderQuery, response: { 200: TaskReminders, 403: ErrorBody } } }, async (req) =>
    tasks.reminders(requirePrincipal(req), req.query.days),
  );
  r.get('/api/tasks/:id', { schema: { tags: taskTags, summary: 'One task with its reports, history and the actions open to the user', params: IdParams, response: { 200: TaskDetail, 404: ErrorBody } } }, async (req) =>
    tasks.get(requirePrincipal(req), req.params.id, req.id),
  );
  r.post('/api/tasks/:id/reports', {
    schema: {
      tags: taskTags,
      summary: 'Report progress: text, figures, linked cases (assigned unit). JSON, or multipart/form-data with a `report` field holding that JSON and up to 10 `files` (JPEG, PNG, WebP, PDF, DOCX, XLSX, plain text; 20 MB each), stored all or none with the report',
      consumes: ['application/json', 'multipart/form-data'], params: IdParams, body: TaskReportBody.nullish(), response: { 201: TaskDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (req, reply) => {
    const p = requirePrincipal(req);
    if (!req.isMultipart()) {
      if (!req.body) throw new AppError('INVALID_INPUT', 'body: send the report as JSON or multipart/form-data', [{ field: 'body', reason: 'required', message: 'send the report' }]);
      return reply.status(201).send(await tasks.report(p, req.params.id, req.body, req.id));
    }
    const files: DirectiveFile[] = [];
    let raw: string | undefined;
    // throwFileSizeLimit: false (honoured by parts() though not in its type): an oversize file is marked truncated and refused by name.
    const partOptions = { limits: { fileSize: tasks.maxFileBytes, files: ATTACHMENT_MAX_FILES }, throwFileSizeLimit: false };
    try {
      for await (const part of req.parts(partOptions)) {
        if (part.type === 'file') files.push({ fileName: part.filename, data: await part.toBuffer(), truncated: part.file.truncated });
        else if (part.fieldname === 'report') raw = String(part.value);
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_FILES_LIMIT') throw new AppError('INVALID_INPUT', `files: at most ${ATTACHMENT_MAX_FILES} at once`, [{ field: 'files', reason: 'too_many', message: `at most ${ATTACHMENT_MAX_FILES} files at once`, limit: ATTACHMENT_MAX_FILES }]);
      throw e;
    }
    let json: unknown;
    try {
      json = raw === undefined ? undefined : JSON.parse(raw);
    } catch {
      throw new AppError('INVALID_INPUT', 'report: not valid JSON', [{ field: 'report', reason: 'invalid_format', message: 'the report field must hold the report as JSON' }]);
    }
    if (json === undefined) throw new AppError('INVALID_INPUT', 'report: required', [{ field: 'report', reason: 'required', message: 'send the report as JSON in the report field' }]);
    // Issues name the report's fields as the JSON request does (body, figures.0.value ...).
    const parsed = TaskReportBody.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'report', reason: 'invalid_value', message: i.message }));
      throw new AppError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
    }
    return reply.status(201).send(await tasks.report(p, req.params.id, parsed.data, req.id, files));
  });
  r.get('/api/tasks/:id/attachments/:attachmentId', { schema: { tags: taskTags, summary: 'Download a document or photo of a progress report (anyone who may see the task)', params: DirectiveAttachmentParams } }, async (req, reply) => {
    const file = await tasks.download(requirePrincipal(req), req.params.id, req.params.attachmentId, req.id);
    return reply
      .header('content-type', file.mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : file.mimeType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(file.content);
  });
  const decisions = [
    ['submit', 'Mark the task done (assigned unit; needs a progress report first)'],
    ['accept', 'Accept a submitted task (standing office)'],
    ['return', 'Send a submitted task back with a comment (standing office)'],
    ['cancel', 'Cancel a task with a reason (standing office)'],
  ] as const;
  for (const [action, summary] of decisions) {
    r.post(`/api/tasks/:id/${action}`, { schema: { tags: taskTags, summary, params: IdParams, body: TaskActionBody, response: { 200: TaskDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } } }, async (req) =>
      tasks.decide(requirePrincipal(req), req.params.id, action, req.body, req.id),
    );
  }
}
