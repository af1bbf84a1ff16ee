import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CaseExportQuery, CaseImportMode, CaseImportReport, CaseImportTemplateQuery, ErrorBody, IdParams } from '@cordon/contracts';
import { invalidField } from '../../../errors.js';
import { requirePrincipal } from '../../../http/auth.js';
import type { Services } from '../../../services.js';
import { createCasesExportService } from './cases-export.service.js';
import { createCasesImportService } from './cases-import.service.js';
import { templateFile } from './files.js';

/** Largest import file accepted over HTTP; bigger files go through `cordon import cases`. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

const attachment = (reply: FastifyReply, fileName: string, contentType: string) =>
  reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .header('cache-control', 'no-store');

export async function casesImportRoutes(app: FastifyInstance, services: Pick<Services, 'db' | 'clock' | 'audit' | 'cases' | 'searchIndexer'>) {
  const importer = createCasesImportService(services);
  const exporter = createCasesExportService(services);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];

  r.get('/api/cases/import/template', { schema: { tags, summary: 'The import template (Vietnamese headers, an example row; XLSX adds a sheet explaining each column)', querystring: CaseImportTemplateQuery } }, async (req, reply) => {
    requirePrincipal(req);
    const t = await templateFile(req.query.format);
    return attachment(reply, t.fileName, t.contentType).send(t.body);
  });

  r.post('/api/cases/import', {
    schema: {
      tags,
      summary: `Import cases from a CSV or XLSX file in the template (multipart: "file", "mode"; at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB)`,
      consumes: ['multipart/form-data'],
      querystring: z.object({ mode: CaseImportMode.optional().describe('Also accepted as a form field') }),
      response: { 200: CaseImportReport, 400: ErrorBody, 403: ErrorBody, 413: ErrorBody },
    },
  }, async (req) => {
    const p = requirePrincipal(req);
    if (!req.isMultipart()) throw invalidField('file', 'required', 'send the file as multipart/form-data in the field "file"');
    let file: { fileName: string; bytes: Buffer } | undefined;
    let mode = req.query.mode;
    for await (const part of req.parts({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } })) {
      if (part.type === 'file') {
        // Throws a 413 past the limit (the error handler reports it).
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file') file = { fileName: part.filename || 'import.csv', bytes };
      } else if (part.fieldname === 'mode') {
        const m = CaseImportMode.safeParse(part.value);
        if (!m.success) throw invalidField('mode', 'invalid_value', 'is "partial" or "all_or_nothing"');
        mode = m.data;
      }
    }
    if (!file) throw invalidField('file', 'required', 'send the file in the multipart field "file"');
    const report = await importer.importCases(p, { fileName: file.fileName, bytes: file.bytes, mode: mode ?? 'partial' }, undefined, req.id);
    if (report.imported) services.searchIndexer.kick(); // the new cases join the trigram index in the background
    return report;
  });

  r.get('/api/cases/imports/:id/errors.csv', { schema: { tags, summary: 'The problems of one of your imports as CSV: line, field, column (Vietnamese header), reason, message', params: IdParams, response: { 404: ErrorBody } } }, async (req, reply) => {
    const e = await importer.errorsCsv(requirePrincipal(req), req.params.id);
    return attachment(reply, e.fileName, 'text/csv; charset=utf-8').send(e.csv);
  });

  r.get('/api/cases/export', { schema: { tags, summary: 'The current search (same filters as GET /api/cases) as CSV or XLSX: only cases you may see; audited', querystring: CaseExportQuery, response: { 400: ErrorBody } } }, async (req, reply) => {
    const x = exporter.exportCases(requirePrincipal(req), req.query, req.id);
    return attachment(reply, x.fileName, x.contentType).send(x.stream);
  });
}
