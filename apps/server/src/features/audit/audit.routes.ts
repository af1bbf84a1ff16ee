import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditEntryView, AuditQuery, AuditVerifyResult, pageOf } from '@cordon/contracts';
import { requireRole } from '../../http/auth.js';
import { actorOf } from '../auth/principal.js';
import type { AuditService } from './audit.service.js';

export async function auditRoutes(app: FastifyInstance, { audit }: { audit: AuditService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/audit', { schema: { tags: ['audit'], summary: 'Browse the audit trail, newest first (auditor, admin)', querystring: AuditQuery, response: { 200: pageOf(AuditEntryView) } } }, async (req) => {
    requireRole(req, 'auditor', 'admin');
    return audit.list(req.query);
  });
  r.post('/api/audit/verify', { schema: { tags: ['audit'], summary: 'Re-compute the hash chain and report the first broken row', response: { 200: AuditVerifyResult } } }, async (req) => {
    const p = requireRole(req, 'auditor', 'admin');
    const result = await audit.verify();
    await audit.record({ action: 'audit.verify', actor: actorOf(p), outcome: result.ok ? 'success' : 'failure', detail: { checked: result.checked, firstBroken: result.firstBroken }, requestId: req.id });
    return result;
  });
}
