import { z } from 'zod';
import { IsoDate } from './cases.js';
import { Instant, Uuid } from './common.js';
import { SUBJECT_KINDS } from './constants.js';

/** Subjects resolved across case records (issue 7). Everything shown comes from cases the user may see in full. */

export const SubjectSearchQuery = z.object({
  q: z.string().trim().min(1).max(200).describe('A name (with or without diacritics, any word order) or any identifier: CCCD, tax code, plate, IMO, phone'),
  kind: z.enum(SUBJECT_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SubjectSearchQuery = z.infer<typeof SubjectSearchQuery>;

export const SubjectIdentifier = z.object({
  kind: z.enum(['ID', 'TAX', 'PLATE', 'IMO', 'PHONE']),
  value: z.string(),
});
export type SubjectIdentifier = z.infer<typeof SubjectIdentifier>;

export const SubjectSummary = z.object({
  id: Uuid,
  kind: z.enum(SUBJECT_KINDS),
  name: z.string().describe('The name most of the visible records give'),
  otherNames: z.array(z.string()),
  identifiers: z.array(SubjectIdentifier),
  caseCount: z.number().int().describe('Cases the user may see'),
});
export type SubjectSummary = z.infer<typeof SubjectSummary>;

export const SubjectList = z.object({ items: z.array(SubjectSummary) });
export type SubjectList = z.infer<typeof SubjectList>;

export const SubjectFieldReason = z.object({
  field: z.string(),
  level: z.string(),
  outcome: z.enum(['agreed', 'partly agreed', 'disagreed', 'missing']),
  weight: z.number().describe('Evidence in bits: positive for, negative against'),
  termFrequency: z.number().optional().describe('Part of the weight for how common the value is'),
  left: z.string().optional(),
  right: z.string().optional(),
});

export const SubjectMember = z.object({
  caseSubjectId: Uuid,
  caseId: Uuid,
  caseCode: z.string(),
  caseTitle: z.string(),
  detectedOn: z.string(),
  sensitivity: z.enum(['internal', 'restricted', 'secret']),
  role: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  taxCode: z.string().nullable(),
  plate: z.string().nullable(),
  imo: z.string().nullable(),
  phone: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  address: z.string().nullable(),
  /** Provenance: how this record joined the subject. */
  rule: z.enum(['first', 'identifier', 'match', 'analyst-merge', 'analyst-split']),
  source: z.enum(['resolver', 'analyst']),
  linkedTo: Uuid.nullable().describe('The record it was linked to (when the user may see it)'),
  score: z.number().nullable().describe('Probability of the link, 0..1'),
  weightBits: z.number().nullable(),
  reasons: z.array(SubjectFieldReason),
  joinedAt: Instant,
  joinedBy: z.string().nullable().describe('Username of the analyst; null for the resolver'),
  pinned: z.boolean(),
});
export type SubjectMember = z.infer<typeof SubjectMember>;

export const SubjectDecision = z.object({
  id: Uuid,
  action: z.enum(['merge', 'split']),
  subjectId: Uuid,
  otherSubjectId: Uuid,
  records: z.number().int().describe('Records the decision moved that the user sees in full (wherever they are now, so an undone merge still says how many)'),
  counterpartName: z.string().nullable().describe('The name of the other subject of the decision (seen from the subject asked for), null when the user sees none of its records'),
  reason: z.string(),
  decidedBy: z.string(),
  decidedAt: Instant,
  revertedAt: Instant.nullable(),
  revertedBy: z.string().nullable(),
});
export type SubjectDecision = z.infer<typeof SubjectDecision>;

export const SubjectRelation = z.object({
  id: Uuid.describe('The related subject'),
  kind: z.enum(SUBJECT_KINDS),
  name: z.string(),
  roles: z.array(z.string()).describe("The person's roles on the cases both appear in"),
  cases: z.number().int().describe('Cases the user sees in full that name both'),
});
export type SubjectRelation = z.infer<typeof SubjectRelation>;

export const SubjectDetail = SubjectSummary.extend({
  mergedInto: Uuid.nullable().describe('Set when an analyst merged this subject into another'),
  version: z.number().int(),
  members: z.array(SubjectMember),
  decisions: z.array(SubjectDecision),
  directors: z.array(SubjectRelation).describe('A company: persons recorded as its director, legal representative or owner on cases naming it (only cases the user sees in full)'),
  directorOf: z.array(SubjectRelation).describe('A person: companies named on cases where the person is recorded as director, legal representative or owner'),
  canDecide: z.boolean().describe('The user may merge and split subjects'),
});
export type SubjectDetail = z.infer<typeof SubjectDetail>;

export const MergeSubjectsBody = z.object({
  otherId: Uuid.describe('The subject merged into this one'),
  reason: z.string().trim().min(3).max(1000),
});
export type MergeSubjectsBody = z.infer<typeof MergeSubjectsBody>;

export const SplitSubjectBody = z.object({
  caseSubjectIds: z.array(Uuid).min(1).max(500).describe('Records taken out into a new subject'),
  reason: z.string().trim().min(3).max(1000),
});
export type SplitSubjectBody = z.infer<typeof SplitSubjectBody>;

export const SubjectSyncResult = z.object({
  mode: z.enum(['full', 'incremental']).describe('full: every record resolved; incremental: new or changed records, those sharing a blocking key with them, and their subjects'),
  records: z.number().int(),
  resolved: z.number().int().describe('Records this run resolved'),
  subjects: z.number().int(),
  changed: z.number().int().describe('Memberships written (0 when nothing changed since the last run)'),
  created: z.number().int(),
  removed: z.number().int(),
  largestSubject: z.number().int(),
  proposed: z.number().int().describe('New merge proposals (scored matches) waiting for an analyst'),
  seconds: z.number(),
});
export type SubjectSyncResult = z.infer<typeof SubjectSyncResult>;

// ---------------------------------------------------------------------------------------------- networks

export const NetworkQuery = z.object({
  depth: z.coerce.number().int().min(1).max(2).default(1).describe('1: who appears with this subject; 2: and with them'),
  limit: z.coerce.number().int().min(10).max(1000).default(300).describe('At most this many subjects'),
  from: IsoDate.optional().describe('Only cases detected on or after this day make links (a shared phone counts only through records on such cases)'),
  to: IsoDate.optional().describe('Only cases detected on or before this day make links'),
  kinds: z
    .string()
    .transform((s) => [...new Set(s.split(',').map((k) => k.trim()).filter((k) => k.length > 0))])
    .pipe(z.array(z.enum(SUBJECT_KINDS)).min(1))
    .optional()
    .describe('Comma list of subject kinds to show, e.g. "person,company" (the subject the view starts from always shows); all when absent'),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to must not be before from' });
export type NetworkQuery = z.infer<typeof NetworkQuery>;

export const NetworkNode = z.object({
  id: Uuid,
  kind: z.enum(SUBJECT_KINDS),
  name: z.string(),
  caseCount: z.number().int(),
  depth: z.number().int().describe('Links from the subject the view started from (0 = itself)'),
  roles: z.array(z.string()),
});
export type NetworkNode = z.infer<typeof NetworkNode>;

export const NetworkLink = z.object({
  source: Uuid,
  target: Uuid,
  cases: z.number().int().describe('Cases the two appear in together'),
  shared: z.array(z.string()).describe('Identifiers both hold, e.g. "PHONE:0912345678"'),
  director: Uuid.nullable().describe('"Director of": the end (a person) recorded as director, legal representative or owner on a case naming the other end (a company); null otherwise'),
});
export type NetworkLink = z.infer<typeof NetworkLink>;

export const SubjectNetworkView = z.object({
  center: Uuid,
  nodes: z.array(NetworkNode),
  links: z.array(NetworkLink),
  truncated: z.boolean().describe('More subjects were reachable than the limit'),
});
export type SubjectNetworkView = z.infer<typeof SubjectNetworkView>;

export const GroupsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  minCases: z.coerce.number().int().min(1).max(1000).default(2),
});
export type GroupsQuery = z.infer<typeof GroupsQuery>;

export const KeyPlayerView = z.object({
  id: Uuid,
  kind: z.enum(SUBJECT_KINDS),
  name: z.string(),
  score: z.number().describe('0..1: centrality in the group and the strongest role'),
  degree: z.number().int().describe('Members of the group it is linked to'),
  betweenness: z.number().describe('0..1, relative to the group\'s most central member'),
  role: z.string().nullable(),
  roleCount: z.number().int(),
  cases: z.number().int(),
  reason: z.string(),
});
export type KeyPlayerView = z.infer<typeof KeyPlayerView>;

export const NetworkGroupView = z.object({
  id: z.string(),
  size: z.number().int(),
  cases: z.number().int().describe('Cases naming at least two members'),
  density: z.number(),
  keyPlayers: z.array(KeyPlayerView).describe('Best first; at most 10'),
});
export type NetworkGroupView = z.infer<typeof NetworkGroupView>;

export const NetworkGroupList = z.object({ items: z.array(NetworkGroupView), subjects: z.number().int(), links: z.number().int() });
export type NetworkGroupList = z.infer<typeof NetworkGroupList>;
