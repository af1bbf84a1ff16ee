import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CUSTODY_PHOTO_MAX_BYTES, CUSTODY_PHOTO_MAX_FILES, CreateCustodyItemsBody, CreateWarehouseBody, CustodyItemDetail, CustodyItemList, CustodyItemParams,
  CustodyItemsQuery, CustodyPhotoList, CustodyPhotoParams, CustodyVerifyResult, ErrorBody, IdParams, RecordCustodyEventBody, UpdateCustodyItemBody,
  WarehouseList, WarehouseView,
} from '@cordon/contracts';
import { AppError } from '../../errors.js';
import { requirePrincipal, requireRole } from '../../http/auth.js';
import { contentDisposition } from '../cases/attachments/attachments.routes.js';
import type { UploadedFile } from '../cases/attachments/attachments.service.js';
import type { CustodyService } from './custody.service.js';

export async function custodyRoutes(app: FastifyInstance, { custody }: { custody: CustodyService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['custody'];
  const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  r.get('/api/custody/warehouses', { schema: { tags, summary: "Warehouses of the user's units (all for admins and analysts), with how many items each holds now and how many are overdue", response: { 200: WarehouseList } } }, async (req) =>
    ({ items: await custody.listWarehouses(requirePrincipal(req)) }),
  );
  r.post('/api/custody/warehouses', { schema: { tags, summary: "Register a warehouse of the user's unit (or one below it)", body: CreateWarehouseBody, response: { 201: WarehouseView, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await custody.createWarehouse(requirePrincipal(req), req.body, req.id)),
  );
  r.get('/api/custody/items', { schema: { tags, summary: 'Custody items: those my units hold (scope=held) or all I may see; filter by warehouse, case, overdue', querystring: CustodyItemsQuery, response: { 200: CustodyItemList } } }, async (req) =>
    custody.listItems(requirePrincipal(req), req.query),
  );
  r.get('/api/custody/cases/:id/items', { schema: { tags, summary: 'Custody items of a case (access follows the case)', params: IdParams, response: { 200: CustodyItemList, 404: ErrorBody } } }, async (req) =>
    custody.listForCase(requirePrincipal(req), req.params.id, req.id),
  );
  r.post('/api/custody/cases/:id/items', { schema: { tags, summary: "Register seized goods of a case as custody items (one per goods line when no list is sent); the user's unit holds them", params: IdParams, body: CreateCustodyItemsBody, response: { 201: CustodyItemList, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await custody.createFromCase(requirePrincipal(req), req.params.id, req.body, req.id)),
  );
  r.get('/api/custody/items/:id', { schema: { tags, summary: 'One item with its holder, location and chain of custody events (what its QR label opens)', params: CustodyItemParams, response: { 200: CustodyItemDetail, 404: ErrorBody } } }, async (req) =>
    custody.getItem(requirePrincipal(req), req.params.id, req.id),
  );
  r.patch('/api/custody/items/:id', { schema: { tags, summary: "Correct an item's description, category, HS code, quantity or value (holding unit; send the version you read)", params: CustodyItemParams, body: UpdateCustodyItemBody, response: { 200: CustodyItemDetail, ...errors } } }, async (req) =>
    custody.updateItem(requirePrincipal(req), req.params.id, req.body, req.id),
  );
  r.post('/api/custody/items/:id/events', { schema: { tags, summary: 'Record a movement (received, stored, transferred, sampled, returned, auctioned, destroyed, released); only the holding unit or an admin', params: CustodyItemParams, body: RecordCustodyEventBody, response: { 201: CustodyItemDetail, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await custody.recordEvent(requirePrincipal(req), req.params.id, req.body, req.id)),
  );
  r.post('/api/custody/items/:id/photos', { schema: { tags, summary: 'Add photos (multipart; JPEG, PNG, WebP; 10 MB each; all or none)', consumes: ['multipart/form-data'], params: CustodyItemParams, response: { 201: CustodyPhotoList, ...errors } } }, async (req, reply) => {
    const p = requirePrincipal(req);
    if (!req.isMultipart()) throw new AppError('INVALID_INPUT', 'files: send multipart/form-data', [{ field: 'files', reason: 'invalid_format', message: 'send multipart/form-data with one or more photos' }]);
    const files: UploadedFile[] = [];
    try {
      for await (const part of req.files({ limits: { fileSize: CUSTODY_PHOTO_MAX_BYTES, files: CUSTODY_PHOTO_MAX_FILES }, throwFileSizeLimit: false })) {
        files.push({ fileName: part.filename, data: await part.toBuffer(), truncated: part.file.truncated });
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_FILES_LIMIT') throw new AppError('INVALID_INPUT', `files: at most ${CUSTODY_PHOTO_MAX_FILES} at once`, [{ field: 'files', reason: 'too_many', message: `at most ${CUSTODY_PHOTO_MAX_FILES} photos at once`, limit: CUSTODY_PHOTO_MAX_FILES }]);
      throw e;
    }
    return reply.status(201).send({ items: await custody.uploadPhotos(p, req.params.id, files, req.id) });
  });
  r.get('/api/custody/items/:id/photos/:photoId', { schema: { tags, summary: 'One photo of an item (access follows the case)', params: CustodyPhotoParams } }, async (req, reply) => {
    const f = await custody.downloadPhoto(requirePrincipal(req), req.params.id, req.params.photoId, req.id);
    return reply
      .header('content-type', f.mimeType)
      .header('content-disposition', contentDisposition(f.fileName).replace(/^attachment/, 'inline'))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(f.content);
  });
  r.post('/api/custody/verify', { schema: { tags, summary: 'Re-compute every custody chain; names the first altered event (auditors and admins)', response: { 200: CustodyVerifyResult, 403: ErrorBody } } }, async (req) => {
    requireRole(req, 'auditor', 'admin');
    return custody.verify();
  });
}
