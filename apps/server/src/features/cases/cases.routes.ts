import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CaseDetail, CasePage, CaseQuery, CollectionBody, CreateCaseBody, ErrorBody, IdParams, TransitionBody, UpdateCaseBody } from '@cordon/contracts';
import { requirePrincipal } from '../../http/auth.js';
import type { CasesService } from './cases.service.js';

export async function casesRoutes(app: FastifyInstance, { cases }: { cases: CasesService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  r.get('/api/cases', { schema: { tags, summary: 'Search cases the user may see (summary of other forces\' internal cases), newest first', querystring: CaseQuery, response: { 200: CasePage } } }, async (req) =>
    cases.list(requirePrincipal(req), req.query),
  );
  r.post('/api/cases', { schema: { tags, summary: 'Record a case for the user\'s unit', body: CreateCaseBody, response: { 201: CaseDetail, 400: ErrorBody, 409: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await cases.create(requirePrincipal(req), req.body, req.id)),
  );
  r.get('/api/cases/:id', { schema: { tags, summary: 'One case: everything with need-to-know, else its summary; 404 when restricted', params: IdParams, response: { 200: CaseDetail, 404: ErrorBody } } }, async (req) =>
    cases.get(requirePrincipal(req), req.params.id, req.id),
  );
  r.patch('/api/cases/:id', { schema: { tags, summary: 'Edit a case (handling units only; send the version you read)', params: IdParams, body: UpdateCaseBody, response: { 200: CaseDetail, 400: ErrorBody, 409: ErrorBody } } }, async (req) =>
    cases.update(requirePrincipal(req), req.params.id, req.body, req.id),
  );
  r.post('/api/cases/:id/transitions', { schema: { tags, summary: 'Move a case along its workflow (penalty, transfer, prosecution, closing, dropping)', params: IdParams, body: TransitionBody, response: { 200: CaseDetail, 400: ErrorBody, 409: ErrorBody } } }, async (req) =>
    cases.transition(requirePrincipal(req), req.params.id, req.body, req.id),
  );
  r.post('/api/cases/:id/collections', { schema: { tags, summary: 'Record money paid to the state budget after the penalty decision (added to the amount collected and listed in outcome.collections; handling units only)', params: IdParams, body: CollectionBody, response: { 200: CaseDetail, 400: ErrorBody, 409: ErrorBody } } }, async (req) =>
    cases.recordCollection(requirePrincipal(req), req.params.id, req.body, req.id),
  );
}
