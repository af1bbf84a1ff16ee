import { z } from 'zod';
import { Instant, Uuid } from './common.js';

import { AUDIT_OUTCOMES } from './constants.js';

export { AUDIT_OUTCOMES };
export const AuditOutcome = z.enum(AUDIT_OUTCOMES);

export const AuditEntryView = z.object({
  seq: z.number().int().describe('Position in the chain, from 1'),
  at: Instant,
  actorUserId: Uuid.nullable(),
  actorUsername: z.string().nullable(),
  actorUnitId: Uuid.nullable(),
  action: z.string().describe('e.g. auth.login, user.create, case.read'),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  outcome: AuditOutcome,
  detail: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  actor: z.string().max(100).optional().describe('Username'),
  action: z.string().max(100).optional().describe('Exact action or a prefix ending in "." (e.g. "auth.")'),
  entityType: z.string().max(60).optional(),
  entityId: z.string().max(100).optional(),
  outcome: AuditOutcome.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z
    .object({ seq: z.number().int(), reason: z.enum(['hash_mismatch', 'prev_mismatch', 'gap']) })
    .nullable(),
  headHash: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
