import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CreateOrgUnitBody, ErrorBody, IdParams, OrgUnitList, OrgUnitQuery, OrgUnitView, UpdateOrgUnitBody } from '@cordon/contracts';
import { requirePrincipal, requireRole } from '../../http/auth.js';
import type { OrgService } from './org.service.js';

export async function orgRoutes(app: FastifyInstance, { org }: { org: OrgService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Every signed-in user may read the organisation (to pick units when sharing); only admins change it.
  r.get('/api/org-units', { schema: { tags: ['org'], summary: 'List organisation units', querystring: OrgUnitQuery, response: { 200: OrgUnitList } } }, async (req) => {
    requirePrincipal(req);
    const { q, kind, includeInactive } = req.query;
    return { items: await org.list({ ...(q ? { q } : {}), ...(kind ? { kind } : {}), includeInactive: includeInactive === 'true' }) };
  });
  r.get('/api/org-units/:id', { schema: { tags: ['org'], params: IdParams, response: { 200: OrgUnitView, 404: ErrorBody } } }, async (req) => {
    requirePrincipal(req);
    return org.get(req.params.id);
  });
  r.post('/api/org-units', { schema: { tags: ['org'], summary: 'Create a unit (admin)', body: CreateOrgUnitBody, response: { 201: OrgUnitView, 400: ErrorBody, 403: ErrorBody } } }, async (req, reply) => {
    const p = requireRole(req, 'admin');
    return reply.status(201).send(await org.create(p, req.body, req.id));
  });
  r.patch('/api/org-units/:id', { schema: { tags: ['org'], summary: 'Edit, deactivate or move a unit (admin)', params: IdParams, body: UpdateOrgUnitBody, response: { 200: OrgUnitView, 409: ErrorBody } } }, async (req) =>
    org.update(requireRole(req, 'admin'), req.params.id, req.body, req.id),
  );
}
