import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorBody, FieldIssue } from '@cordon/contracts';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, HTTP_STATUS } from '../errors.js';
import type { AuditService } from '../features/audit/audit.service.js';
import { actorOf } from '../features/auth/principal.js';
import { reasonOf } from './zod-issues.js';

export function registerErrorHandler(app: FastifyInstance, audit: AuditService) {
  app.setErrorHandler(async (err: FastifyError | AppError, req, reply) => {
    let body: ErrorBody;
    let status: number;
    if (err instanceof AppError) {
      status = HTTP_STATUS[err.code];
      body = { error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}), requestId: req.id } };
      if (err.retryAfter) void reply.header('retry-after', String(err.retryAfter));
      if (err.code === 'FORBIDDEN') {
        await audit
          .record({ action: 'access.denied', outcome: 'denied', actor: req.principal ? actorOf(req.principal) : null, detail: { method: req.method, route: req.routeOptions.url ?? req.url, reason: err.message }, requestId: req.id })
          .catch((e: unknown) => req.log.error(e, 'could not audit a denial'));
      }
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      const where = err.validationContext ?? 'body';
      const issues: FieldIssue[] = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        // The provider keeps zod's issue fields (origin, minimum, maximum) in params.
        const issue = { ...(v.params as { origin?: string; minimum?: number; maximum?: number }), code: v.keyword, message: v.message };
        const limit = typeof issue.minimum === 'number' ? issue.minimum : typeof issue.maximum === 'number' ? issue.maximum : undefined;
        return { field: path || where, reason: reasonOf(issue), message: v.message ?? 'is invalid', ...(limit !== undefined ? { limit } : {}) };
      });
      body = { error: { code: 'INVALID_INPUT', message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues, requestId: req.id } };
    } else if (err.statusCode === 429) {
      status = 429;
      body = { error: { code: 'RATE_LIMITED', message: err.message, requestId: req.id } };
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 && !isResponseSerializationError(err)) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large.
      status = err.statusCode;
      const code = status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'INVALID_INPUT';
      body = { error: { code, message: err.message, requestId: req.id } };
    } else {
      status = 500;
      req.log.error(err);
      body = { error: { code: 'INTERNAL', message: 'Something went wrong on the server; the request id identifies it in the log', requestId: req.id } };
    }
    return reply.status(status).send(body);
  });
}
