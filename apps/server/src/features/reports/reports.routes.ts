import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, SituationQuery, SituationReport } from '@cordon/contracts';
import { requirePrincipal } from '../../http/auth.js';
import type { ReportsService } from './reports.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf } from '../auth/principal.js';
import { situationPdf, situationXlsx } from './reports.export.js';

export async function reportsRoutes(app: FastifyInstance, { reports, audit }: { reports: ReportsService; audit: AuditService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/reports/situation',
    { schema: { tags: ['reports'], summary: 'Situation report for a period against the same period last year (or the previous period), in the user\'s scope', querystring: SituationQuery, response: { 200: SituationReport, 400: ErrorBody, 403: ErrorBody } } },
    async (req) => reports.situation(requirePrincipal(req), req.query, req.id),
  );
  for (const format of ['xlsx', 'pdf'] as const) {
    r.get(
      `/api/reports/situation.${format}`,
      { schema: { tags: ['reports'], summary: `The same report as ${format.toUpperCase()} (audited)`, querystring: SituationQuery, produces: [format === 'xlsx' ? XLSX_TYPE : 'application/pdf'] } },
      async (req, reply) => {
        const p = requirePrincipal(req);
        const report = await reports.situation(p, req.query, req.id);
        const body = format === 'xlsx' ? await situationXlsx(report, req.query.locale) : await situationPdf(report, req.query.locale);
        await audit.record({ action: 'report.export', actor: actorOf(p), detail: { format, from: req.query.from, to: req.query.to, compare: req.query.compare, groupBy: req.query.groupBy ?? null, scope: report.scope }, requestId: req.id });
        const name = `cordon-tinh-hinh-${req.query.from}-${req.query.to}.${format}`;
        return reply
          .header('content-type', format === 'xlsx' ? XLSX_TYPE : 'application/pdf')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(body);
      },
    );
  }
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
