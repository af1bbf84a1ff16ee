import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangePasswordBody, ErrorBody, LoginBody, Me, SessionState, UpdateMeBody } from '@cordon/contracts';
import type { Config } from '../../config.js';
import { requirePrincipal } from '../../http/auth.js';
import { SESSION_COOKIE, type AuthService } from './auth.service.js';

export async function authRoutes(app: FastifyInstance, { auth, config }: { auth: AuthService; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
  };

  r.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in with username and password', body: LoginBody, response: { 200: Me, 401: ErrorBody, 429: ErrorBody } },
      config: { rateLimit: { max: config.loginRatePerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const { sessionId, principal } = await auth.login(req.body.username, req.body.password, req.id);
      // A new sign-in replaces the browser's previous session rather than leaving it alive.
      if (req.principal?.via === 'session') await auth.logout(req.principal, req.id);
      void reply.setCookie(SESSION_COOKIE, sessionId, { ...cookieOptions, maxAge: config.sessionAbsoluteHours * 3600 });
      return auth.me(principal);
    },
  );

  r.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: z.null() } } }, async (req, reply) => {
    if (req.principal) await auth.logout(req.principal, req.id);
    void reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.status(204).send(null);
  });

  // The web app's first question on every load. A visitor with no session is an answer, not an error:
  // a 401 here was logged by the browser as a console error on every visit to the sign-in page. A
  // cookie whose session ended is cleared. A bad bearer token still gets 401 (registerAuth).
  r.get('/api/auth/session', { schema: { tags: ['auth'], summary: 'Who is signed in: the same user as GET /api/me, or null (200) when nobody is', response: { 200: SessionState } } }, async (req, reply) => {
    if (!req.principal && req.cookies[SESSION_COOKIE]) void reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return { me: req.principal ? await auth.me(req.principal) : null };
  });

  r.get('/api/me', { schema: { tags: ['auth'], summary: 'The signed-in user, unit, roles and CSRF token', response: { 200: Me, 401: ErrorBody } } }, async (req) =>
    auth.me(requirePrincipal(req)),
  );

  r.patch('/api/me', { schema: { tags: ['auth'], summary: 'Change own language or display name', body: UpdateMeBody, response: { 200: Me } } }, async (req) =>
    auth.updateMe(requirePrincipal(req), req.body, req.id),
  );

  r.post(
    '/api/me/password',
    {
      schema: { tags: ['auth'], summary: 'Change own password (ends other sessions)', body: ChangePasswordBody, response: { 204: z.null(), 400: ErrorBody } },
      // Guessing the current password from a stolen session is limited like sign-in.
      config: { rateLimit: { max: config.loginRatePerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      await auth.changeOwnPassword(requirePrincipal(req), req.body.currentPassword, req.body.newPassword, req.id);
      return reply.status(204).send(null);
    },
  );
}
