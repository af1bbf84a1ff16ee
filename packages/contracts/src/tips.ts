import { z } from 'zod';
import { Instant, Uuid, Version } from './common.js';
import { CreateCaseBody, IsoDate, UnitSummary } from './cases.js';

/** Tips: public reports from the web form, the e-mail inbox and the hotline, and their triage. */
export const TIP_CHANNELS = ['web', 'email', 'hotline'] as const;
export const TIP_STATUSES = ['new', 'acknowledged', 'in_progress', 'converted', 'closed'] as const;
/** What the reporter sees: internal steps are not told apart. */
export const TIP_PUBLIC_STATUSES = ['received', 'in_progress', 'acted_on', 'closed'] as const;
export const TIP_CLOSE_REASONS = ['duplicate', 'no_grounds', 'insufficient_information', 'outside_remit', 'other'] as const;
export const TIP_MAX_FILES = 5;
export const TIP_FILE_MAX_BYTES = 10 * 1024 * 1024;

export const TipChannel = z.enum(TIP_CHANNELS);
export const TipStatus = z.enum(TIP_STATUSES);
export type TipStatus = z.infer<typeof TipStatus>;
export const TipPublicStatus = z.enum(TIP_PUBLIC_STATUSES);
export const TipCloseReason = z.enum(TIP_CLOSE_REASONS);

const Code = z.string().trim().regex(/^[A-Z][A-Z0-9_]*$/, 'an upper-case code from the reference lists');
const Province = z.string().regex(/^\d{2}$/, 'two-digit GSO province code (2025)');
const Ward = z.string().regex(/^\d{5}$/, 'five-digit GSO ward code');

/** Receipt TB-XXXX-XXXX; case and spaces do not matter when typed back. */
export const TipReceipt = z
  .string()
  .trim()
  .max(40)
  .transform((s) => s.toUpperCase().replace(/\s+/g, ''))
  .describe('Receipt code, e.g. TB-7K3M-9QXF');

const TipFields = {
  description: z.string().trim().min(10).max(10_000).describe('What was seen; plain text (HTML is kept as text, never rendered)'),
  category: Code.nullable().optional().describe('Goods category code (reference list)'),
  provinceCode: Province.nullable().optional(),
  wardCode: Ward.nullable().optional(),
  place: z.string().trim().max(500).nullable().optional(),
  latitude: z.number().min(8).max(24).nullable().optional(),
  longitude: z.number().min(102).max(118).nullable().optional(),
  occurredOn: IsoDate.nullable().optional().describe('When it was seen'),
  contact: z.string().trim().max(300).nullable().optional().describe('Only if the reporter chooses to give one'),
};

/** The public form. As multipart, send this object as JSON in a field named "tip", and the files beside it. */
export const SubmitTipBody = z.object({ ...TipFields, locale: z.enum(['vi', 'en']).default('vi') });
export type SubmitTipBody = z.infer<typeof SubmitTipBody>;

export const TipReceiptView = z.object({
  receipt: z.string().describe('Keep it: with the secret it opens the tip\'s status and messages'),
  secret: z.string().describe('Shown once; Cordon keeps only its hash'),
  refusedFiles: z.array(z.object({ fileName: z.string(), reason: z.string(), message: z.string() })).describe('Files not accepted (the tip was)'),
});

export const TipReceiptParams = z.object({ receipt: TipReceipt });

export const PublicTipMessage = z.object({ from: z.enum(['reporter', 'handler']), body: z.string(), at: Instant });
export const PublicTipView = z.object({
  receipt: z.string(),
  status: TipPublicStatus,
  receivedAt: Instant,
  messages: z.array(PublicTipMessage),
});
export type PublicTipView = z.infer<typeof PublicTipView>;

export const TipMessageBody = z.object({ body: z.string().trim().min(1).max(5_000) });

/** A phone call recorded by a hotline operator; the receipt and secret are read out to the caller. */
export const HotlineTipBody = z.object({ ...TipFields, locale: z.enum(['vi', 'en']).default('vi') });

export const RefusedFile = z.object({ fileName: z.string(), reason: z.string(), message: z.string() });

export const TipAttachmentView = z.object({
  id: Uuid,
  fileName: z.string(),
  mimeType: z.string().describe('Sniffed from the content'),
  sizeBytes: z.number().int(),
  sha256: z.string().describe('Of the stored content (after metadata removal)'),
  metadataRemoved: z.boolean().describe('Metadata was removed: EXIF/GPS/text chunks of a photo; author, company, software and dates of a PDF, DOCX or XLSX'),
  createdAt: Instant,
});

export const TipNoteView = z.object({
  id: Uuid,
  kind: z.enum(['reporter', 'public_reply', 'internal_note']),
  body: z.string(),
  author: z.string().nullable().describe('Username; null for the reporter'),
  authorName: z.string().nullable().describe('Display name of the staff author; null for the reporter'),
  at: Instant,
});

export const TipSummary = z.object({
  id: Uuid,
  receipt: z.string(),
  channel: TipChannel,
  status: TipStatus,
  subject: z.string().nullable(),
  excerpt: z.string().describe('First 200 characters of the description, as text'),
  category: z.string().nullable(),
  provinceCode: z.string().nullable(),
  occurredOn: z.string().nullable(),
  receivedAt: Instant,
  acknowledgeBy: Instant,
  concludeBy: Instant,
  overdue: z.boolean().describe('Past the acknowledgement or conclusion deadline and not yet done'),
  duplicateGroupId: Uuid.describe('Possible duplicates share a group id'),
  duplicates: z.number().int().describe('Other tips in the same duplicate group'),
  proposedUnit: UnitSummary.nullable(),
  assignedUnit: UnitSummary.nullable(),
  claimedBy: z.string().nullable().describe('Username of the officer handling it'),
  claimedByName: z.string().nullable().describe('Display name of the officer handling it'),
  attachments: z.number().int(),
  caseId: Uuid.nullable(),
  version: Version,
});
export type TipSummary = z.infer<typeof TipSummary>;

export const TipDetail = TipSummary.extend({
  description: z.string(),
  wardCode: z.string().nullable(),
  place: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  contact: z.string().nullable(),
  locale: z.string(),
  refusedFiles: z.array(RefusedFile),
  attachmentList: z.array(TipAttachmentView),
  messages: z.array(TipNoteView),
  duplicateTips: z.array(z.object({ id: Uuid, receipt: z.string(), status: TipStatus, receivedAt: Instant })),
  acknowledgedAt: Instant.nullable(),
  concludedAt: Instant.nullable(),
  closeReason: TipCloseReason.nullable(),
  closeNote: z.string().nullable(),
  claimedAt: Instant.nullable(),
  recordedBy: z.string().nullable().describe('Hotline operator'),
});
export type TipDetail = z.infer<typeof TipDetail>;

/** A tip whose next deadline has passed or falls within the reminder window. */
export const TipReminder = TipSummary.extend({
  deadline: z.enum(['acknowledge', 'conclude']).describe('The deadline the reminder is about: acknowledging a new tip, or concluding an open one'),
  due: Instant,
});
export type TipReminder = z.infer<typeof TipReminder>;
export const TipReminders = z.object({
  withinHours: z.number().int().describe('"Due soon" means due within this many hours'),
  overdue: z.object({ count: z.number().int(), items: z.array(TipReminder).describe('The most overdue first, at most 20') }),
  dueSoon: z.object({ count: z.number().int(), items: z.array(TipReminder).describe('The soonest due first, at most 20') }),
});
export type TipReminders = z.infer<typeof TipReminders>;

export const HotlineTipCreated = z.object({ tip: TipDetail, receipt: z.string(), secret: z.string() });

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
export const TipQuery = z.object({
  channel: TipChannel.optional(),
  province: Province.optional(),
  category: Code.optional(),
  status: TipStatus.optional(),
  open: bool.optional().describe('true: new, acknowledged, in progress'),
  overdue: bool.optional(),
  assignedUnit: Uuid.optional(),
  mine: bool.optional().describe('Claimed by me'),
  caseId: Uuid.optional().describe('The tip a case was converted from'),
  duplicateGroup: Uuid.optional().describe('The tips of one duplicate group'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TipQuery = z.infer<typeof TipQuery>;
export const TipPage = z.object({ items: z.array(TipSummary), nextCursor: z.string().nullable() });

export const UpdateTipBody = z.object({
  version: Version,
  category: Code.nullable().optional(),
  provinceCode: Province.nullable().optional(),
  wardCode: Ward.nullable().optional(),
  place: z.string().trim().max(500).nullable().optional(),
  occurredOn: IsoDate.nullable().optional(),
});
export type UpdateTipBody = z.infer<typeof UpdateTipBody>;

export const TipVersionBody = z.object({ version: Version });
export const ClaimTipBody = z.object({ version: Version, takeOver: z.boolean().default(false).describe('Take it from another officer (coordinators and admins)') });
export const TipStatusBody = z.object({ version: Version, to: z.enum(['acknowledged', 'in_progress']) });
export const AssignTipBody = z.object({ version: Version, unitId: Uuid.nullable().describe('null: unassign') });
export const StaffTipMessageBody = z.object({ kind: z.enum(['public_reply', 'internal_note']), body: z.string().trim().min(1).max(5_000) });
export const CloseTipBody = z.object({ version: Version, reason: TipCloseReason, note: z.string().trim().max(2_000).optional() });
export const ConvertTipBody = z.object({
  version: Version,
  case: CreateCaseBody.partial({ title: true, detectedOn: true, provinceCode: true })
    .describe('The new case; title, date and province default to the tip\'s (summary to its description)'),
});
export type ConvertTipBody = z.infer<typeof ConvertTipBody>;
export const TipConverted = z.object({ tip: TipDetail, caseId: Uuid });
export const TipAttachmentParams = z.object({ id: Uuid, attachmentId: Uuid });

export const RoutingRuleView = z.object({
  id: Uuid,
  provinceCode: z.string().nullable().describe('null: any province'),
  category: z.string().nullable().describe('null: any category'),
  unit: UnitSummary,
  mode: z.enum(['propose', 'assign']),
  active: z.boolean(),
  version: Version,
});
export const RoutingRuleList = z.object({ items: z.array(RoutingRuleView) });
export const CreateRoutingRuleBody = z.object({
  provinceCode: Province.nullable().default(null),
  category: Code.nullable().default(null),
  unitId: Uuid,
  mode: z.enum(['propose', 'assign']).default('propose'),
});
export const UpdateRoutingRuleBody = z.object({
  version: Version,
  provinceCode: Province.nullable().optional().describe('null: any province'),
  category: Code.nullable().optional().describe('null: any category'),
  unitId: Uuid.optional(),
  mode: z.enum(['propose', 'assign']).optional(),
  active: z.boolean().optional(),
});
export const RuleParams = z.object({ ruleId: Uuid });
