import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssignTipBody, ClaimTipBody, CloseTipBody, ConvertTipBody, CreateRoutingRuleBody, ErrorBody, HotlineTipBody, HotlineTipCreated, IdParams,
  PublicTipView, RoutingRuleList, RoutingRuleView, RuleParams, StaffTipMessageBody, SubmitTipBody, TIP_MAX_FILES, TipAttachmentParams,
  TipConverted, TipDetail, TipMessageBody, TipPage, TipQuery, TipReceiptParams, TipReceiptView, TipReminders, TipStatusBody, TipVersionBody,
  UpdateRoutingRuleBody, UpdateTipBody,
} from '@cordon/contracts';
import { AppError } from '../../errors.js';
import { requireRole } from '../../http/auth.js';
import { issuesOfZod } from '../../http/zod-issues.js';
import type { Config } from '../../config.js';
import { contentDisposition } from '../cases/attachments/attachments.routes.js';
import { TIP_ASSIGNEE_ROLES, TIP_TRIAGE_ROLES, type TipFile, type TipsService } from './tips.service.js';
import type { TipRoutingService } from './tip-routing.service.js';

const SECRET_HEADER = 'x-tip-secret';
const secretOf = (req: FastifyRequest) => {
  const v = req.headers[SECRET_HEADER];
  return typeof v === 'string' ? v : undefined;
};
/** Public answers are about one reporter's tip: never cached by a browser or a proxy. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** A multipart submission: the tip as JSON in the field "tip", files beside it. */
async function readMultipart(req: FastifyRequest, maxFileBytes: number): Promise<{ fields: z.infer<typeof SubmitTipBody>; files: TipFile[] }> {
  const files: TipFile[] = [];
  let raw: string | undefined;
  try {
    // throwFileSizeLimit: false is honoured by parts() at run time but missing from its types; past the
    // limit the file is cut and marked truncated, so the refusal can name it.
    const options = { limits: { fileSize: maxFileBytes, files: TIP_MAX_FILES, fields: 5, fieldSize: 64 * 1024 }, throwFileSizeLimit: false } as Parameters<FastifyRequest['parts']>[0];
    for await (const part of req.parts(options)) {
      if (part.type === 'file') files.push({ fileName: part.filename, data: await part.toBuffer(), truncated: part.file.truncated });
      else if (part.fieldname === 'tip') raw = String(part.value);
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') throw new AppError('INVALID_INPUT', `files: at most ${TIP_MAX_FILES} per tip`, [{ field: 'files', reason: 'too_many', message: `at most ${TIP_MAX_FILES} files per tip`, limit: TIP_MAX_FILES }]);
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new AppError('INVALID_INPUT', 'body: too many fields', [{ field: 'body', reason: 'too_many', message: 'send the tip as JSON in one field named "tip", and the files' }]);
    throw e;
  }
  if (raw === undefined) throw new AppError('INVALID_INPUT', 'tip: required', [{ field: 'tip', reason: 'required', message: 'send the tip as JSON in a field named "tip"' }]);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('INVALID_INPUT', 'tip: is not JSON', [{ field: 'tip', reason: 'invalid_format', message: 'is not JSON' }]);
  }
  const parsed = SubmitTipBody.safeParse(json);
  if (!parsed.success) {
    const issues = issuesOfZod(parsed.error);
    throw new AppError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }
  return { fields: parsed.data, files };
}

/**
 * Public routes (no sign-in; per-address limits, the address is never stored) and the triage routes.
 */
export async function tipsRoutes(app: FastifyInstance, { tips, tipRouting, config }: { tips: TipsService; tipRouting: TipRoutingService; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const publicTags = ['public tips'];
  const tags = ['tips'];
  const submitLimit = { rateLimit: { max: config.tipRatePerMinute, timeWindow: 60_000 } };
  const readLimit = { rateLimit: { max: config.tipReadRatePerMinute, timeWindow: 60_000 } };

  r.post('/api/public/tips', {
    config: submitLimit,
    schema: {
      tags: publicTags, security: [],
      summary: 'Report smuggling or counterfeits (no sign-in). JSON, or multipart with the tip as JSON in a field "tip" and up to 5 photos or documents (10 MB each; metadata of photos, PDFs and Office files is removed). Answers the receipt and the secret, shown once.',
      consumes: ['application/json', 'multipart/form-data'],
      body: SubmitTipBody.nullish().describe('JSON; for multipart, see the summary'),
      response: { 201: TipReceiptView, 400: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const { fields, files } = req.isMultipart() ? await readMultipart(req, tips.maxFileBytes) : { fields: req.body, files: [] };
    if (!fields) throw new AppError('INVALID_INPUT', 'body: required', [{ field: 'body', reason: 'required', message: 'send the tip as JSON or multipart' }]);
    const { receipt, secret, refusedFiles } = await tips.intake({ channel: 'web', fields, files, badFiles: 'refuse', requestId: req.id });
    return noStore(reply).status(201).send({ receipt, secret, refusedFiles });
  });

  r.get('/api/public/tips/:receipt', {
    config: readLimit,
    schema: { tags: publicTags, security: [], summary: 'The public status of a tip and its messages; the secret goes in the X-Tip-Secret header. A wrong secret answers like an unknown receipt.', params: TipReceiptParams, response: { 200: PublicTipView, 404: ErrorBody, 429: ErrorBody } },
  }, async (req, reply) => noStore(reply).send(await tips.publicGet(req.params.receipt, secretOf(req), req.ip)));

  r.post('/api/public/tips/:receipt/messages', {
    config: readLimit,
    schema: { tags: publicTags, security: [], summary: 'The reporter writes to the handling unit (X-Tip-Secret header)', params: TipReceiptParams, body: TipMessageBody, response: { 201: PublicTipView, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody } },
  }, async (req, reply) => noStore(reply).status(201).send(await tips.publicMessage(req.params.receipt, secretOf(req), req.ip, req.body.body, req.id)));

  // ---- triage --------------------------------------------------------------------------------------

  const triage = (req: FastifyRequest) => requireRole(req, ...TIP_TRIAGE_ROLES);
  // The unit a tip is routed to works it too (its officers and analysts, only tips assigned to their units: the service scopes).
  const worker = (req: FastifyRequest) => requireRole(req, ...new Set([...TIP_TRIAGE_ROLES, ...TIP_ASSIGNEE_ROLES]));

  r.get('/api/tips', { schema: { tags, summary: 'The tip queue of the user\'s scope (national office: all; a province: its own; a unit: tips assigned to it), newest first', querystring: TipQuery, response: { 200: TipPage } } }, async (req) =>
    tips.list(worker(req), req.query),
  );
  r.get('/api/tips/reminders', { schema: { tags, summary: 'Deadline reminders of the user\'s scope: open tips overdue, and those due within a day (to acknowledge or to conclude)', response: { 200: TipReminders } } }, async (req, reply) =>
    reply.header('cache-control', 'private, no-store').send(await tips.reminders(worker(req))),
  );
  r.post('/api/tips/hotline', { schema: { tags, summary: 'Record a phone call as a tip; read the receipt and secret to the caller', body: HotlineTipBody, response: { 201: HotlineTipCreated, 400: ErrorBody } } }, async (req, reply) =>
    noStore(reply).status(201).send(await tips.recordHotline(triage(req), req.body, req.id)),
  );

  r.get('/api/tips/routing-rules', { schema: { tags, summary: 'Routing rules: province × goods category → unit (propose or assign)', response: { 200: RoutingRuleList } } }, async (req) => {
    triage(req);
    return { items: await tipRouting.list() };
  });
  r.post('/api/tips/routing-rules', { schema: { tags, summary: 'Add a routing rule (admin)', body: CreateRoutingRuleBody, response: { 201: RoutingRuleView, 400: ErrorBody, 409: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await tipRouting.create(requireRole(req, 'admin'), req.body, req.id)),
  );
  r.patch('/api/tips/routing-rules/:ruleId', { schema: { tags, summary: 'Change a routing rule (admin)', params: RuleParams, body: UpdateRoutingRuleBody, response: { 200: RoutingRuleView, 404: ErrorBody, 409: ErrorBody } } }, async (req) =>
    tipRouting.update(requireRole(req, 'admin'), req.params.ruleId, req.body, req.id),
  );
  r.delete('/api/tips/routing-rules/:ruleId', { schema: { tags, summary: 'Remove a routing rule (admin)', params: RuleParams, response: { 204: z.null(), 404: ErrorBody } } }, async (req, reply) => {
    await tipRouting.remove(requireRole(req, 'admin'), req.params.ruleId, req.id);
    return reply.status(204).send(null);
  });

  r.get('/api/tips/:id', { schema: { tags, summary: 'One tip with attachments, messages, internal notes and possible duplicates', params: IdParams, response: { 200: TipDetail, 404: ErrorBody } } }, async (req) =>
    tips.get(worker(req), req.params.id, req.id),
  );
  r.patch('/api/tips/:id', { schema: { tags, summary: 'Correct the province, category, ward, place or date (re-proposes the unit and the duplicate group)', params: IdParams, body: UpdateTipBody, response: { 200: TipDetail, 400: ErrorBody, 409: ErrorBody } } }, async (req) =>
    tips.update(triage(req), req.params.id, req.body, req.id),
  );
  r.post('/api/tips/:id/claim', { schema: { tags, summary: 'Mark the tip as being handled by me (409 when another officer holds it; takeOver for coordinators and admins)', params: IdParams, body: ClaimTipBody, response: { 200: TipDetail, 403: ErrorBody, 409: ErrorBody } } }, async (req) =>
    tips.claim(worker(req), req.params.id, req.body, req.id),
  );
  r.post('/api/tips/:id/release', { schema: { tags, summary: 'Stop handling the tip', params: IdParams, body: TipVersionBody, response: { 200: TipDetail, 409: ErrorBody } } }, async (req) =>
    tips.release(worker(req), req.params.id, req.body, req.id),
  );
  r.post('/api/tips/:id/status', { schema: { tags, summary: 'Acknowledge the tip or mark it in progress', params: IdParams, body: TipStatusBody, response: { 200: TipDetail, 409: ErrorBody } } }, async (req) =>
    tips.setStatus(worker(req), req.params.id, req.body, req.id),
  );
  r.post('/api/tips/:id/assign', { schema: { tags, summary: 'Assign the responsible unit (the routing proposal or another)', params: IdParams, body: AssignTipBody, response: { 200: TipDetail, 400: ErrorBody, 409: ErrorBody } } }, async (req) =>
    tips.assign(triage(req), req.params.id, req.body, req.id),
  );
  r.post('/api/tips/:id/messages', { schema: { tags, summary: 'An internal note (never shown to the reporter) or a public reply (acknowledges a new tip)', params: IdParams, body: StaffTipMessageBody, response: { 201: TipDetail, 409: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await tips.addMessage(worker(req), req.params.id, req.body, req.id)),
  );
  r.post('/api/tips/:id/close', { schema: { tags, summary: 'Close the tip with a reason', params: IdParams, body: CloseTipBody, response: { 200: TipDetail, 400: ErrorBody, 409: ErrorBody } } }, async (req) =>
    tips.close(worker(req), req.params.id, req.body, req.id),
  );
  r.post('/api/tips/:id/convert', { schema: { tags, summary: 'Record a case from the tip; its attachments go with it and the case keeps the link', params: IdParams, body: ConvertTipBody, response: { 201: TipConverted, 400: ErrorBody, 409: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await tips.convert(worker(req), req.params.id, req.body, req.id)),
  );
  r.get('/api/tips/:id/attachments/:attachmentId', { schema: { tags, summary: 'Download an attachment of a tip (audited)', params: TipAttachmentParams } }, async (req, reply) => {
    const file = await tips.download(worker(req), req.params.id, req.params.attachmentId, req.id);
    return reply
      .header('content-type', file.mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : file.mimeType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(file.content);
  });
}
