import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CommendationPage, CommendationQuery, CommendationView, CreateCommendationBody, ErrorBody, IdParams } from '@cordon/contracts';
import { requirePrincipal } from '../../http/auth.js';
import type { CommendationsService } from './commendations.service.js';

export async function commendationsRoutes(app: FastifyInstance, { commendations }: { commendations: CommendationsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['commendations'];
  r.get('/api/commendations', { schema: { tags, summary: 'Commendations per unit (units below included) and period, newest first', querystring: CommendationQuery, response: { 200: CommendationPage, 400: ErrorBody, 403: ErrorBody } } }, async (req) =>
    commendations.list(requirePrincipal(req), req.query),
  );
  r.post('/api/commendations', { schema: { tags, summary: 'Record a commendation (standing office; a provincial coordinator for its own units)', body: CreateCommendationBody, response: { 201: CommendationView, 400: ErrorBody, 403: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await commendations.create(requirePrincipal(req), req.body, req.id)),
  );
  r.get('/api/commendations/:id', { schema: { tags, params: IdParams, response: { 200: CommendationView, 404: ErrorBody } } }, async (req) =>
    commendations.get(requirePrincipal(req), req.params.id),
  );
}
