import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateWatchBody, DecideProposalBody, MarkAlertsReadBody, ProposalDecision, ProposalList, ProposalQuery, RepeatSubjectList, SubjectScope, WatchAlertCount, WatchAlertList, WatchList, WatchView } from '@cordon/contracts';
import { ErrorBody, GroupsQuery, IdParams, MergeSubjectsBody, NetworkGroupList, NetworkQuery, SplitSubjectBody, SubjectDetail, SubjectList, SubjectNetworkView, SubjectSearchQuery, SubjectSyncResult } from '@cordon/contracts';
import { requirePrincipal, requireRole } from '../../http/auth.js';
import type { SubjectsService } from './subjects.service.js';
import type { NetworksService } from './networks.service.js';
import type { SubjectProposalsService } from './subject-proposals.service.js';
import type { WatchlistsService } from './watchlists.service.js';
import type { RepeatSubjectsService } from './repeat-subjects.service.js';

export async function subjectsRoutes(
  app: FastifyInstance,
  { subjects, networks, subjectProposals, watchlists, repeatSubjects }: { subjects: SubjectsService; networks: NetworksService; subjectProposals: SubjectProposalsService; watchlists: WatchlistsService; repeatSubjects: RepeatSubjectsService },
) {
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
  r.get('/api/subjects/scope', { schema: { tags, summary: 'Whether the user sees any case in full (subjects come only from those), may decide, and how many proposals wait', response: { 200: SubjectScope } } }, async (req) =>
    repeatSubjects.scope(requirePrincipal(req)),
  );
  r.get('/api/subjects/proposals', { schema: { tags, summary: 'Merge proposals (fuzzy matches) waiting for an analyst, strongest first; only those whose two records the user sees in full', querystring: ProposalQuery, response: { 200: ProposalList, 403: ErrorBody } } }, async (req) =>
    subjectProposals.pending(requirePrincipal(req), req.query),
  );
  r.post('/api/subjects/proposals/:id/decide', { schema: { tags, summary: 'Confirm (merge, reversible) or reject (never proposed again) a merge proposal (analyst; audited)', params: IdParams, body: DecideProposalBody, response: { 200: ProposalDecision, ...errors } } }, async (req) =>
    subjectProposals.decide(requirePrincipal(req), req.params.id, req.body, req.id),
  );
  r.get('/api/watchlists', { schema: { tags, summary: 'What the user follows', response: { 200: WatchList, 403: ErrorBody } } }, async (req) => watchlists.list(requirePrincipal(req)));
  r.post('/api/watchlists', { schema: { tags, summary: 'Follow a subject or an identifier (audited); a new case naming it raises an alert', body: CreateWatchBody, response: { 201: WatchView, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await watchlists.follow(requirePrincipal(req), req.body, req.id)),
  );
  r.delete('/api/watchlists/:id', { schema: { tags, summary: 'Stop following (audited)', params: IdParams, response: { 204: z.null(), 403: ErrorBody, 404: ErrorBody } } }, async (req, reply) => {
    await watchlists.unfollow(requirePrincipal(req), req.params.id, req.id);
    return reply.status(204).send(null);
  });
  r.get('/api/watchlists/alerts', { schema: { tags, summary: 'Alerts about cases naming what the user follows; only cases the user sees in full', response: { 200: WatchAlertList, 403: ErrorBody } } }, async (req) =>
    watchlists.alerts(requirePrincipal(req)),
  );
  r.get('/api/watchlists/alerts/count', { schema: { tags, summary: 'Unread alerts the user may see (the navigation badge)', response: { 200: WatchAlertCount } } }, async (req) => ({
    unread: await watchlists.unreadCount(requirePrincipal(req)),
  }));
  r.post('/api/watchlists/alerts/read', { schema: { tags, summary: 'Mark alerts read; returns the unread count', body: MarkAlertsReadBody, response: { 200: WatchAlertCount, 403: ErrorBody } } }, async (req) => ({
    unread: await watchlists.markRead(requirePrincipal(req), req.body),
  }));
  r.get('/api/cases/:id/repeat-subjects', { schema: { tags, summary: 'Subjects of this case that appear in earlier cases the user sees in full (repeat offenders)', params: IdParams, response: { 200: RepeatSubjectList, 404: ErrorBody } } }, async (req) =>
    repeatSubjects.forCase(requirePrincipal(req), req.params.id),
  );
  const SyncQuery = z.object({ full: z.enum(['true', 'false']).optional().describe('true: resolve every record again (default: only new or changed records and their neighbours)') });
  r.post('/api/admin/subjects/sync', { schema: { tags, summary: 'Run entity resolution over new or changed case subject records (or all, with full=true) and write subjects (admin); idempotent', querystring: SyncQuery, response: { 200: SubjectSyncResult, ...errors } } }, async (req) =>
    subjects.sync(requireRole(req, 'admin'), req.id, { full: req.query.full === 'true' }),
  );
}
