import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ATTACHMENT_MAX_FILES, AttachmentList, AttachmentParams, ErrorBody, IdParams } from '@cordon/contracts';
import { AppError } from '../../../errors.js';
import { requirePrincipal } from '../../../http/auth.js';
import type { AttachmentsService, UploadedFile } from './attachments.service.js';

/** RFC 6266 / 5987: an ASCII fallback name and the original (Vietnamese) name in UTF-8. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`;
}

export async function attachmentsRoutes(app: FastifyInstance, { attachments }: { attachments: AttachmentsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  r.post('/api/cases/:id/attachments', { schema: { tags, summary: 'Attach photos or documents (multipart, one or more files; JPEG, PNG, WebP, PDF, DOCX, XLSX, plain text; 20 MB each). All or none.', consumes: ['multipart/form-data'], params: IdParams, response: { 201: AttachmentList, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } } }, async (req, reply) => {
    const p = requirePrincipal(req);
    if (!req.isMultipart()) throw new AppError('INVALID_INPUT', 'files: send multipart/form-data', [{ field: 'files', reason: 'invalid_format', message: 'send multipart/form-data with one or more files' }]);
    const files: UploadedFile[] = [];
    try {
      // Past the size limit the stream is cut and marked truncated; the service names the file.
      for await (const part of req.files({ limits: { fileSize: attachments.maxBytes, files: ATTACHMENT_MAX_FILES }, throwFileSizeLimit: false })) {
        const data = await part.toBuffer();
        files.push({ fileName: part.filename, data, truncated: part.file.truncated });
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_FILES_LIMIT') throw new AppError('INVALID_INPUT', `files: at most ${ATTACHMENT_MAX_FILES} at once`, [{ field: 'files', reason: 'too_many', message: `at most ${ATTACHMENT_MAX_FILES} files at once`, limit: ATTACHMENT_MAX_FILES }]);
      throw e;
    }
    return reply.status(201).send({ items: await attachments.upload(p, req.params.id, files, req.id) });
  });
  r.get('/api/cases/:id/attachments', { schema: { tags, summary: 'Attachments of a case (full access only)', params: IdParams, response: { 200: AttachmentList, 403: ErrorBody, 404: ErrorBody } } }, async (req) =>
    ({ items: await attachments.list(requirePrincipal(req), req.params.id, req.id) }),
  );
  r.get('/api/cases/:id/attachments/:attachmentId', { schema: { tags, summary: 'Download one attachment (full access only; audited for restricted and secret cases)', params: AttachmentParams } }, async (req, reply) => {
    const file = await attachments.download(requirePrincipal(req), req.params.id, req.params.attachmentId, req.id);
    return reply
      .header('content-type', file.mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : file.mimeType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
      .send(file.content);
  });
}
