import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ErrorBody } from '@cordon/contracts';
import type { Services } from './services.js';
import { registerAuth } from './http/auth.js';
import { registerErrorHandler } from './http/error-handler.js';
import { VERSION } from './version.js';
import { authRoutes } from './features/auth/auth.routes.js';
import { orgRoutes } from './features/org/org.routes.js';
import { usersRoutes } from './features/users/users.routes.js';
import { auditRoutes } from './features/audit/audit.routes.js';
import { referenceRoutes } from './features/reference/reference.routes.js';
import { casesRoutes } from './features/cases/cases.routes.js';
import { casesImportRoutes } from './features/cases/import/cases-import.routes.js';
import { caseLinksRoutes } from './features/cases/joint/case-links.routes.js';
import { attachmentsRoutes } from './features/cases/attachments/attachments.routes.js';
import { reportsRoutes } from './features/reports/reports.routes.js';
import { healthRoutes } from './features/health/health.routes.js';
import { tipsRoutes } from './features/tips/tips.routes.js';
import { directivesRoutes } from './features/directives/directives.routes.js';
import { commendationsRoutes } from './features/commendations/commendations.routes.js';
import { custodyRoutes } from './features/custody/custody.routes.js';
import { riskRoutes } from './features/risk/risk.routes.js';
import { subjectsRoutes } from './features/subjects/subjects.routes.js';

export interface AppOptions {
  /** Log requests (the server does; tests do not). */
  logger?: boolean;
}

/** The HTTP application: plugins, then every feature's routes. Tests drive it with app.inject(). */
export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: opts.logger ? { level: config.logLevel } : false,
    genReqId: () => randomUUID(),
    // Errors are logged by the error handler and access is in the audit trail: no line per request.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024, // 1 MiB JSON; uploads get their own limits on their routes
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  // Only routes that opt in (login, later the public tip form) are limited; the key is the client address.
  await app.register(rateLimit, { global: false });
  // Uploads (attachments, imports): routes read parts themselves and pass their own per-file limits.
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 10, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Cordon API', version: VERSION, description: 'Inter-agency platform against smuggling, trade fraud and counterfeit goods. Sign in with POST /api/auth/login (cookie + X-CSRF-Token) or send "Authorization: Bearer <API token>".' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'cordon_sid' } } },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerErrorHandler(app, services.audit);
  registerAuth(app, services.auth, services.audit);

  // A background text-index drain (imports, demo seed) stops with the app; the rest stays pending.
  app.addHook('onClose', async () => services.searchIndexer.stop());
  app.addHook('onClose', async () => services.subjectSync.stop());

  app.addHook('onSend', async (_req, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-frame-options', 'DENY');
  });

  await app.register(async (api) => {
    await healthRoutes(api, services);
    await authRoutes(api, services);
    await orgRoutes(api, services);
    await usersRoutes(api, services);
    await auditRoutes(api, services);
    await referenceRoutes(api, services);
    await casesImportRoutes(api, services);
    await casesRoutes(api, services);
    await reportsRoutes(api, services);
    await caseLinksRoutes(api, services);
    await attachmentsRoutes(api, services);
    await tipsRoutes(api, services);
    await directivesRoutes(api, services);
    await commendationsRoutes(api, services);
    await custodyRoutes(api, services);
    await riskRoutes(api, services);
    await subjectsRoutes(api, services);
  });

  // The built web app, with client-side routes falling back to index.html; unknown API routes get JSON.
  const spa = existsSync(config.webDist);
  if (spa) await app.register(fastifyStatic, { root: config.webDist, wildcard: true });
  app.setNotFoundHandler((req, reply) => {
    // A missing asset is a 404, never index.html: a browser would refuse to run HTML as a script.
    if (spa && req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/')) return reply.sendFile('index.html');
    const body: ErrorBody = { error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}`, requestId: req.id } };
    return reply.status(404).send(body);
  });
  return app;
}
