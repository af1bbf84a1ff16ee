import { z } from 'zod';
import { Instant, Uuid } from './common.js';
import { SUBJECT_KINDS } from './constants.js';
import { SubjectFieldReason, SubjectIdentifier } from './subjects.js';

/**
 * Issue 7, second part: merge proposals waiting for an officer, watchlists with alerts, repeat
 * subjects on a case. Everything shown comes from cases the user may see in full.
 */

// ---------------------------------------------------------------------------------------------- proposals

export const ProposalRecord = z.object({
  caseSubjectId: Uuid,
  subjectId: Uuid,
  caseId: Uuid,
  caseCode: z.string(),
  caseTitle: z.string(),
  detectedOn: z.string(),
  unitCode: z.string().describe('The lead unit: which agency recorded it'),
  unitNameVi: z.string(),
  unitNameEn: z.string(),
  role: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  taxCode: z.string().nullable(),
  plate: z.string().nullable(),
  phone: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  address: z.string().nullable(),
});
export type ProposalRecord = z.infer<typeof ProposalRecord>;

export const SubjectProposal = z.object({
  id: Uuid,
  kind: z.enum(SUBJECT_KINDS),
  status: z.enum(['pending', 'confirmed', 'rejected', 'superseded']),
  score: z.number().describe('Probability that the two records are one subject, 0..1'),
  weightBits: z.number(),
  reasons: z.array(SubjectFieldReason),
  left: ProposalRecord,
  right: ProposalRecord,
  version: z.number().int(),
  createdAt: Instant,
});
export type SubjectProposal = z.infer<typeof SubjectProposal>;

export const ProposalQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ProposalQuery = z.infer<typeof ProposalQuery>;

export const ProposalList = z.object({
  items: z.array(SubjectProposal),
  total: z.number().int().describe('Pending proposals the user may decide (both records in cases they see in full)'),
});
export type ProposalList = z.infer<typeof ProposalList>;

export const DecideProposalBody = z.object({
  decision: z.enum(['confirm', 'reject']),
  reason: z.string().trim().min(3).max(1000),
  version: z.number().int().describe('The version the analyst saw (409 when someone decided first)'),
});
export type DecideProposalBody = z.infer<typeof DecideProposalBody>;

export const ProposalDecision = z.object({
  status: z.enum(['confirmed', 'rejected']),
  subjectId: Uuid.describe('The subject kept (confirmed) or the left record\'s subject (rejected)'),
});
export type ProposalDecision = z.infer<typeof ProposalDecision>;

export const MarkAlertsReadBody = z.object({ ids: z.array(Uuid).min(1).max(500) });
export type MarkAlertsReadBody = z.infer<typeof MarkAlertsReadBody>;

// ---------------------------------------------------------------------------------------------- watches

export const WATCH_IDENTIFIER_KINDS = ['ID', 'TAX', 'PLATE', 'IMO', 'PHONE'] as const;

export const CreateWatchBody = z.union([
  z.object({ subjectId: Uuid.describe('Follow a subject (one you may see)') }),
  z.object({
    identifier: z.object({
      kind: z.enum(WATCH_IDENTIFIER_KINDS),
      value: z.string().trim().min(3).max(40).describe('As typed: separators and +84 are normalised'),
    }),
  }),
]);
export type CreateWatchBody = z.infer<typeof CreateWatchBody>;

export const WatchView = z.object({
  id: Uuid,
  subjectId: Uuid.nullable(),
  identifier: SubjectIdentifier.nullable(),
  label: z.string(),
  createdAt: Instant,
});
export type WatchView = z.infer<typeof WatchView>;

export const WatchList = z.object({ items: z.array(WatchView) });
export type WatchList = z.infer<typeof WatchList>;

export const WATCH_ALERT_SOURCES = ['case', 'tip', 'declaration'] as const;
export const WatchAlertSource = z.object({
  kind: z.enum(WATCH_ALERT_SOURCES),
  id: Uuid,
  code: z.string().describe('Case code, tip receipt or declaration number'),
  title: z.string().describe('Case title, tip subject (or the start of its description), declaration office'),
  on: z.string().nullable().describe('Detected on (case), received on (tip), declared on (declaration); yyyy-MM-dd'),
});
export type WatchAlertSource = z.infer<typeof WatchAlertSource>;

export const WatchAlertView = z.object({
  id: Uuid,
  watch: WatchView,
  /** What named the followed identifier: a case, a tip or a declaration. */
  source: WatchAlertSource,
  /** The case's fields when the source is a case, else null. */
  caseId: Uuid.nullable(),
  caseCode: z.string().nullable(),
  caseTitle: z.string().nullable(),
  detectedOn: z.string().nullable(),
  matched: z.array(SubjectIdentifier),
  createdAt: Instant,
  read: z.boolean(),
});
export type WatchAlertView = z.infer<typeof WatchAlertView>;

export const WatchAlertList = z.object({
  items: z.array(WatchAlertView),
  unread: z.number().int().describe('Unread alerts about cases the user sees in full, tips in their triage scope, declarations they may read'),
});
export type WatchAlertList = z.infer<typeof WatchAlertList>;

export const WatchAlertCount = z.object({ unread: z.number().int() });
export type WatchAlertCount = z.infer<typeof WatchAlertCount>;

// ---------------------------------------------------------------------------------------------- repeat subjects

export const EarlierCase = z.object({
  caseId: Uuid,
  caseCode: z.string(),
  caseTitle: z.string(),
  detectedOn: z.string(),
  role: z.string(),
  /** Why it counts: the identifiers both records carry, or "same subject" through entity resolution. */
  via: z.array(z.string()),
});
export type EarlierCase = z.infer<typeof EarlierCase>;

export const RepeatSubject = z.object({
  caseSubjectId: Uuid,
  name: z.string(),
  kind: z.enum(SUBJECT_KINDS),
  subjectId: Uuid.nullable(),
  earlierCases: z.array(EarlierCase).describe('Earlier cases the user sees in full, latest first (at most 20)'),
  earlierCount: z.number().int().describe('All earlier cases the user sees in full'),
});
export type RepeatSubject = z.infer<typeof RepeatSubject>;

export const RepeatSubjectList = z.object({ items: z.array(RepeatSubject) });
export type RepeatSubjectList = z.infer<typeof RepeatSubjectList>;

// ---------------------------------------------------------------------------------------------- scope

export const SubjectScope = z.object({
  seesCasesInFull: z.boolean().describe('Whether any case is open to the user in full (subjects are built from those only)'),
  canDecide: z.boolean(),
  pendingProposals: z.number().int(),
});
export type SubjectScope = z.infer<typeof SubjectScope>;
