import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CaseLinkCount, CaseLinkList, CaseLinkQueuePage, CaseLinkQueueQuery, CaseLinkView, ConfirmLinkBody, ErrorBody, IdParams, JointGroupView, RejectLinkBody, UnlinkBody } from '@cordon/contracts';
import { requirePrincipal } from '../../../http/auth.js';
import type { CaseLinksService } from './case-links.service.js';

export async function caseLinksRoutes(app: FastifyInstance, { caseLinks }: { caseLinks: CaseLinksService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  r.get('/api/cases/:id/links', { schema: { tags, summary: 'Joint-case proposals and decisions of a case (only those whose other case you may see)', params: IdParams, response: { 200: CaseLinkList, 404: ErrorBody } } }, async (req) =>
    ({ items: await caseLinks.listFor(requirePrincipal(req), req.params.id, req.id) }),
  );
  r.get('/api/case-links', { schema: { tags, summary: "Joint-case proposals of the user's scope (a provincial coordinator's province, an officer's units), newest first, keyset-paged; both cases visible to the user", querystring: CaseLinkQueueQuery, response: { 200: CaseLinkQueuePage, 400: ErrorBody } } }, async (req) =>
    caseLinks.queue(requirePrincipal(req), req.query, req.id),
  );
  r.get('/api/case-links/count', { schema: { tags, summary: 'How many links of the user\'s scope have a status (the navigation badge)', querystring: CaseLinkQueueQuery.pick({ status: true, province: true, force: true }), response: { 200: CaseLinkCount } } }, async (req) =>
    ({ count: await caseLinks.count(requirePrincipal(req), req.query) }),
  );
  r.post('/api/case-links/:id/confirm', { schema: { tags, summary: 'Confirm that two cases are one seizure: one joint case, counted once, led by leadUnitId', params: IdParams, body: ConfirmLinkBody, response: { 200: CaseLinkView, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } } }, async (req) =>
    caseLinks.confirm(requirePrincipal(req), req.params.id, req.body, req.id),
  );
  r.post('/api/case-links/:id/reject', { schema: { tags, summary: 'Reject a joint-case proposal, with a reason', params: IdParams, body: RejectLinkBody, response: { 200: CaseLinkView, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } } }, async (req) =>
    caseLinks.reject(requirePrincipal(req), req.params.id, req.body.reason, req.id),
  );
  r.post('/api/cases/:id/unlink', { schema: { tags, summary: 'Take a case out of its joint case: it counts in statistics again', params: IdParams, body: UnlinkBody, response: { 200: JointGroupView, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } } }, async (req) =>
    caseLinks.unlink(requirePrincipal(req), req.params.id, req.body.reason, req.id),
  );
}
