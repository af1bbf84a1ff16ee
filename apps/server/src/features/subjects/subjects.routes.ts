import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, GroupsQuery, IdParams, MergeSubjectsBody, NetworkGroupList, NetworkQuery, SplitSubjectBody, SubjectDetail, SubjectList, SubjectNetworkView, SubjectSearchQuery, SubjectSyncResult } from '@cordon/contracts';
import { requirePrincipal, requireRole } from '../../http/auth.js';
import type { SubjectsService } from './subjects.service.js';
import type { NetworksService } from './networks.service.js';

export async function subjectsRoutes(app: FastifyInstance, { subjects, networks }: { subjects: SubjectsService; networks: NetworksService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['subjects'];
  const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  r.get('/api/subjects', { schema: { tags, summary: 'Find subjects by name (with or without diacritics, any order) or any identifier, through cases the user sees in full', querystring: SubjectSearchQuery, response: { 200: SubjectList } } }, async (req) => ({
    items: await subjects.search(requirePrincipal(req), req.query),
  }));
  r.get('/api/subjects/:id', { schema: { tags, summary: 'One subject: its records, cases and provenance, from cases the user sees in full; 404 when there are none', params: IdParams, response: { 200: SubjectDetail, 404: ErrorBody } } }, async (req) =>
    subjects.get(requirePrincipal(req), req.params.id, req.id),
  );
  r.post('/api/subjects/:id/merge', { schema: { tags, summary: 'Merge another subject into this one (analyst; audited, reversible)', params: IdParams, body: MergeSubjectsBody, response: { 200: SubjectDetail, ...errors } } }, async (req) =>
    subjects.merge(requirePrincipal(req), req.params.id, req.body, req.id),
  );
  r.post('/api/subjects/:id/split', { schema: { tags, summary: 'Take records out of this subject into a new one (analyst; audited, reversible); returns the new subject', params: IdParams, body: SplitSubjectBody, response: { 200: SubjectDetail, ...errors } } }, async (req) =>
    subjects.split(requirePrincipal(req), req.params.id, req.body, req.id),
  );
  r.post('/api/subjects/decisions/:id/revert', { schema: { tags, summary: 'Undo an analyst merge or split', params: IdParams, response: { 200: SubjectDetail, ...errors } } }, async (req) =>
    subjects.revert(requirePrincipal(req), req.params.id, req.id),
  );
  r.get('/api/subjects/:id/network', { schema: { tags, summary: 'Who appears with this subject (depth 1) and with them (depth 2), through cases the user sees in full', params: IdParams, querystring: NetworkQuery, response: { 200: SubjectNetworkView, 404: ErrorBody } } }, async (req) =>
    networks.neighbourhood(requirePrincipal(req), req.params.id, req.query),
  );
  r.get('/api/networks/groups', { schema: { tags, summary: 'Groups of subjects that act together (Louvain communities) with their key players, over the cases the user sees in full', querystring: GroupsQuery, response: { 200: NetworkGroupList } } }, async (req) =>
    networks.groups(requirePrincipal(req), req.query),
  );
  r.post('/api/admin/subjects/sync', { schema: { tags, summary: 'Run entity resolution over every case subject record and write subjects (admin); idempotent', response: { 200: SubjectSyncResult, 403: ErrorBody } } }, async (req) =>
    subjects.sync(requireRole(req, 'admin'), req.id),
  );
}
