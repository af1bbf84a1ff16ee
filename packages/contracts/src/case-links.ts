import { z } from 'zod';
import { Instant, Uuid } from './common.js';
import { UnitSummary } from './cases.js';

/** Joint cases: proposals that two forces' cases record one seizure, and their confirmation. */
export const CaseLinkStatus = z.enum(['proposed', 'confirmed', 'rejected']);

export const JointReason = z.object({
  field: z.enum(['sourceUnit', 'provinceCode', 'detectedOn', 'subjects', 'goods']),
  agreed: z.boolean(),
  detail: z.string().describe('English; never quotes identifiers or goods descriptions'),
});

/** The summary-level facts of a case on either side of a link. */
export const LinkedCase = z.object({
  id: Uuid,
  code: z.string(),
  title: z.string(),
  detectedOn: z.string(),
  provinceCode: z.string(),
  sourceUnit: UnitSummary,
  leadUnit: UnitSummary,
  jointGroupId: Uuid.nullable(),
  countsInStatistics: z.boolean(),
});

export const CaseLinkView = z.object({
  id: Uuid,
  status: CaseLinkStatus,
  score: z.number().describe('0–1; proposed at 0.5 or more'),
  reasons: z.array(JointReason),
  cases: z.tuple([LinkedCase, LinkedCase]).describe('The two cases, the one asked about first'),
  decidedBy: z.string().nullable().describe('Username'),
  decidedAt: Instant.nullable(),
  agreements: z
    .array(z.object({ caseId: Uuid, leadUnitId: Uuid, byUsername: z.string().nullable(), at: Instant }))
    .describe('Sides that agreed while the proposal waits for the other side (a joint case needs both, or a provincial coordinator)'),
  createdAt: Instant,
  confirmsAlone: z.boolean().describe('The user is the provincial coordinator of both cases\' province: confirming needs no other side'),
});
export type CaseLinkView = z.infer<typeof CaseLinkView>;

export const CaseLinkList = z.object({ items: z.array(CaseLinkView) });

/** `GET /api/case-links`: the joint-case proposals of the user's scope (a coordinator's province, an officer's units). */
export const CaseLinkQueueQuery = z.object({
  status: CaseLinkStatus.default('proposed'),
  province: z.string().regex(/^\d{2}$/).optional().describe('2025 province code of the cases'),
  force: z.string().regex(/^[A-Z_]{2,40}$/, 'a force code such as CUSTOMS').optional().describe('Member force recording either case (CUSTOMS, BORDER_GUARD, ...)'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type CaseLinkQueueQuery = z.infer<typeof CaseLinkQueueQuery>;

export const CaseLinkQueueItem = CaseLinkView.extend({
  mayDecide: z.boolean().describe('The user may confirm or reject it (an officer of a handling unit of one case, or the provincial coordinator of its province)'),
});
export type CaseLinkQueueItem = z.infer<typeof CaseLinkQueueItem>;

export const CaseLinkQueuePage = z.object({ items: z.array(CaseLinkQueueItem), nextCursor: z.string().nullable() });
export type CaseLinkQueuePage = z.infer<typeof CaseLinkQueuePage>;

export const CaseLinkCount = z.object({ count: z.number().int().nonnegative() });

export const ConfirmLinkBody = z.object({
  leadUnitId: Uuid.describe("The lead unit of the joint case: its case counts in statistics, the others don't"),
});
export type ConfirmLinkBody = z.infer<typeof ConfirmLinkBody>;

export const RejectLinkBody = z.object({ reason: z.string().trim().min(3).max(2000) });
export type RejectLinkBody = z.infer<typeof RejectLinkBody>;

export const UnlinkBody = z.object({ reason: z.string().trim().min(3).max(2000).describe('Why this case is not part of the joint case') });
export type UnlinkBody = z.infer<typeof UnlinkBody>;

export const JointGroupView = z.object({
  jointGroupId: Uuid.nullable(),
  primaryCaseId: Uuid.nullable().describe('The case that counts in statistics'),
  cases: z.array(LinkedCase),
});
export type JointGroupView = z.infer<typeof JointGroupView>;
