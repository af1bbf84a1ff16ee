import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '@cordon/contracts';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, safeEqual, type AuthService } from '../features/auth/auth.service.js';
import type { Principal } from '../features/auth/principal.js';
import type { AuditService } from '../features/audit/audit.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Establishes `request.principal` from the bearer token or the session cookie, and enforces CSRF for
 * cookie-authenticated writes: the client must echo the session's CSRF token in X-CSRF-Token (a
 * cross-site form can send the cookie but cannot read the token). Bearer tokens need no CSRF check:
 * browsers never attach them on their own.
 */
export function registerAuth(app: FastifyInstance, auth: AuthService, audit: AuditService) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const p = await auth.authenticateToken(header.slice(7).trim());
      if (!p) {
        await audit.record({ action: 'auth.token', outcome: 'failure', detail: { prefix: header.slice(7, 20) }, requestId: req.id });
        throw new AppError('UNAUTHENTICATED', 'The API token is unknown, expired or revoked');
      }
      req.principal = p;
      return;
    }
    // Public routes (the tip form) are anonymous even from a staff browser: no session, no CSRF check.
    if (req.url.startsWith('/api/public/')) return;
    const sid = req.cookies[SESSION_COOKIE];
    if (!sid) return;
    const p = await auth.authenticateSession(sid);
    if (!p) return; // expired: treated as signed out
    req.principal = p; // known even when the CSRF check below refuses, so the denial names the actor
    if (!SAFE_METHODS.has(req.method) && req.url.split('?')[0] !== '/api/auth/login') {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !p.csrfToken || !safeEqual(sent, p.csrfToken)) {
        throw new AppError('FORBIDDEN', 'Missing or wrong X-CSRF-Token header');
      }
    }
  });
}

export function requirePrincipal(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return req.principal;
}

/** The route's role gate. Admins do not pass gates that do not name them. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Principal {
  const p = requirePrincipal(req);
  if (!roles.some((r) => p.roles.includes(r))) {
    throw new AppError('FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}`);
  }
  return p;
}
