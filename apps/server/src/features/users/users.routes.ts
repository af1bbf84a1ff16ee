import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiTokenList, ApiTokenView, DirectoryList, DirectoryQuery, CreateApiTokenBody, CreatedApiToken, CreateUserBody, ErrorBody, IdParams, pageOf,
  ResetPasswordBody, UpdateUserBody, UserQuery, UserView,
} from '@cordon/contracts';
import { requireRole } from '../../http/auth.js';
import type { UsersService } from './users.service.js';

export async function usersRoutes(app: FastifyInstance, { users }: { users: UsersService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];
  r.get('/api/users', { schema: { tags, summary: 'List users (admin)', querystring: UserQuery, response: { 200: pageOf(UserView) } } }, async (req) => {
    requireRole(req, 'admin');
    return users.list(req.query);
  });
  // Case writers name colleagues on secret cases: a narrow directory (name, username, unit), not the admin list.
  r.get('/api/users/directory', { schema: { tags, summary: 'Find active colleagues by name (case writers)', querystring: DirectoryQuery, response: { 200: DirectoryList } } }, async (req) => {
    requireRole(req, 'officer', 'provincial_coordinator', 'analyst', 'admin');
    return { items: await users.directory(req.query.q) };
  });
  r.get('/api/users/:id', { schema: { tags, params: IdParams, response: { 200: UserView, 404: ErrorBody } } }, async (req) => {
    requireRole(req, 'admin');
    return users.get(req.params.id);
  });
  r.post('/api/users', { schema: { tags, summary: 'Create a user (admin)', body: CreateUserBody, response: { 201: UserView, 400: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await users.create(requireRole(req, 'admin'), req.body, req.id)),
  );
  r.patch('/api/users/:id', { schema: { tags, summary: 'Edit roles, unit, name; disable or enable (admin)', params: IdParams, body: UpdateUserBody, response: { 200: UserView, 409: ErrorBody } } }, async (req) =>
    users.update(requireRole(req, 'admin'), req.params.id, req.body, req.id),
  );
  r.post('/api/users/:id/password', { schema: { tags, summary: 'Set a new password for a user (admin; ends their sessions)', params: IdParams, body: ResetPasswordBody, response: { 204: z.null() } } }, async (req, reply) => {
    await users.resetPassword(requireRole(req, 'admin'), req.params.id, req.body.newPassword, req.id);
    return reply.status(204).send(null);
  });

  const ttags = ['api tokens'];
  r.get('/api/tokens', { schema: { tags: ttags, summary: 'List API tokens (admin)', response: { 200: ApiTokenList } } }, async (req) => {
    requireRole(req, 'admin');
    return { items: await users.listTokens() };
  });
  r.post('/api/tokens', { schema: { tags: ttags, summary: 'Issue an API token; the token is returned once', body: CreateApiTokenBody, response: { 201: CreatedApiToken, 400: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await users.createToken(requireRole(req, 'admin'), req.body, req.id)),
  );
  r.post('/api/tokens/:id/revoke', { schema: { tags: ttags, summary: 'Revoke an API token', params: IdParams, response: { 200: ApiTokenView } } }, async (req) =>
    users.revokeToken(requireRole(req, 'admin'), req.params.id, req.id),
  );
}
