import { z } from 'zod';
import { Instant, Uuid, Version } from './common.js';
import { CASE_STATUSES, SENSITIVITY_LEVELS, SUBJECT_KINDS, SUBJECT_ROLES } from './constants.js';

export { CASE_STATUSES, SENSITIVITY_LEVELS, SUBJECT_KINDS, SUBJECT_ROLES };

/** Codes of the reference lists (violation types, goods, routes, forces) are checked by the server. */
const Code = z.string().trim().regex(/^[A-Z][A-Z0-9_]*$/, 'an upper-case code from the reference lists');
export const IsoDate = z.iso.date().describe('yyyy-MM-dd');
/** VND, whole dong: fines and values are never fractional. */
export const Vnd = z.number().int().min(0).max(9_000_000_000_000_000).describe('VND, whole dong');
export const HsCode = z
  .string()
  .trim()
  .regex(/^\d{4}(\.?\d{2}){0,2}$/, '4, 6 or 8 digits, optionally dotted: 2402, 2402.20, 2402.20.90')
  .transform((s) => s.replace(/\./g, ''));

export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const Sensitivity = z.enum(SENSITIVITY_LEVELS);
export const SubjectKind = z.enum(SUBJECT_KINDS);
export const SubjectRole = z.enum(SUBJECT_ROLES);

export const GoodsLineInput = z.object({
  category: Code,
  hsCode: HsCode.nullable().optional(),
  description: z.string().trim().min(2).max(500),
  quantity: z.number().positive().max(1e12).nullable().optional(),
  unit: z.string().trim().max(30).nullable().optional().describe('kg, bao, chiếc, lít, ...'),
  valueVnd: Vnd.nullable().optional(),
  brand: z.string().trim().max(200).nullable().optional().describe('For counterfeits: the brand imitated'),
});
export type GoodsLineInput = z.infer<typeof GoodsLineInput>;

export const SubjectInput = z.object({
  kind: SubjectKind,
  role: SubjectRole,
  name: z.string().trim().min(1).max(300).describe('Person or company name, plate, vessel name, phone, account, shop'),
  idNumber: z.string().trim().regex(/^\d{9}(\d{3})?$/, '9 or 12 digits (CMND/CCCD)').nullable().optional(),
  taxCode: z.string().trim().regex(/^\d{10}(-?\d{3})?$/, '10 or 13 digits').nullable().optional(),
  plate: z.string().trim().max(20).nullable().optional(),
  imo: z.string().trim().regex(/^(IMO)?\s?\d{7}$/i, 'IMO and 7 digits').nullable().optional(),
  phone: z.string().trim().regex(/^(\+84|0)\d{8,10}$/, '+84… or 0… and 9–11 digits').nullable().optional(),
  dateOfBirth: IsoDate.nullable().optional(),
  address: z.string().trim().max(500).nullable().optional(),
  nationality: z.string().trim().length(2).nullable().optional().describe('ISO 3166 alpha-2'),
});
export type SubjectInput = z.infer<typeof SubjectInput>;

const CaseFields = {
  title: z.string().trim().min(5).max(300),
  summary: z.string().trim().max(20_000).default(''),
  violationType: Code,
  detectedOn: IsoDate,
  provinceCode: z.string().regex(/^\d{2}$/, 'two-digit GSO province code').describe('2025 code, or a pre-2025 code for cases before 1 July 2025'),
  wardCode: z.string().regex(/^\d{5}$/, 'five-digit GSO ward code').nullable().optional(),
  borderGate: z.string().trim().max(200).nullable().optional(),
  place: z.string().trim().max(500).nullable().optional(),
  latitude: z.number().min(8).max(24).nullable().optional(),
  longitude: z.number().min(102).max(118).nullable().optional(),
  route: Code.nullable().optional(),
  leadUnitId: Uuid.optional().describe('Defaults to the recording unit'),
  coordinatingUnitIds: z.array(Uuid).max(20).default([]),
  sensitivity: Sensitivity.default('internal'),
  namedUserIds: z.array(Uuid).max(50).default([]).describe('Who may open a secret case'),
  goods: z.array(GoodsLineInput).max(200).default([]),
  subjects: z.array(SubjectInput).max(200).default([]),
};

export const CreateCaseBody = z.object({
  ...CaseFields,
  sourceRef: z.string().trim().min(1).max(100).nullable().optional().describe("The recording unit's own reference; unique per unit"),
});
export type CreateCaseBody = z.infer<typeof CreateCaseBody>;

export const UpdateCaseBody = z.object({
  version: Version,
  title: CaseFields.title.optional(),
  summary: z.string().trim().max(20_000).optional(),
  violationType: Code.optional(),
  detectedOn: IsoDate.optional(),
  provinceCode: CaseFields.provinceCode.optional(),
  wardCode: CaseFields.wardCode,
  borderGate: CaseFields.borderGate,
  place: CaseFields.place,
  latitude: CaseFields.latitude,
  longitude: CaseFields.longitude,
  route: CaseFields.route,
  leadUnitId: Uuid.optional(),
  coordinatingUnitIds: z.array(Uuid).max(20).optional(),
  sensitivity: Sensitivity.optional(),
  namedUserIds: z.array(Uuid).max(50).optional(),
  goods: z.array(GoodsLineInput).max(200).optional().describe('Replaces all goods lines'),
  subjects: z.array(SubjectInput).max(200).optional().describe('Replaces all subjects'),
});
export type UpdateCaseBody = z.infer<typeof UpdateCaseBody>;

export const TransitionBody = z.object({
  version: Version,
  to: CaseStatus,
  note: z.string().trim().max(2000).optional(),
  penalty: z
    .object({
      decisionNo: z.string().trim().min(1).max(100),
      decidedOn: IsoDate,
      fineVnd: Vnd,
      confiscatedValueVnd: Vnd.default(0),
      collectedVnd: Vnd.default(0).describe('Amount collected to the state budget'),
    })
    .optional()
    .describe('Required for "penalized"'),
  transferredOn: IsoDate.optional().describe('Required for "transferred" (to the investigating body)'),
  prosecution: z.object({ prosecutedOn: IsoDate, defendants: z.number().int().min(1).max(10_000) }).optional().describe('Required for "prosecuted"'),
  reason: z.string().trim().min(3).max(2000).optional().describe('Required for "dropped"'),
});
export type TransitionBody = z.infer<typeof TransitionBody>;

/** `POST /api/cases/:id/collections`: money paid to the state budget after the penalty decision (fines are often paid later, in parts). */
export const CollectionBody = z.object({
  version: Version,
  amountVnd: Vnd.min(1).describe('Amount paid to the state budget, added to the amount collected'),
  collectedOn: IsoDate.describe('The day it was paid (not in the future, not before the penalty decision)'),
  note: z.string().trim().max(500).optional().describe('Receipt number or how it was paid'),
});
export type CollectionBody = z.infer<typeof CollectionBody>;

export const UnitSummary = z.object({ id: Uuid, code: z.string(), nameVi: z.string(), nameEn: z.string(), forceCode: z.string().nullable() });

export const GoodsLineView = GoodsLineInput.extend({ hsCode: z.string().nullable(), lineNo: z.number().int() });
export const SubjectView = SubjectInput.extend({
  id: Uuid,
  subjectId: Uuid.nullable().optional().describe('The subject this record belongs to (followed through merges); null until the subject sync has taken the record'),
});

/** Where an amount collected to the budget came from. */
export const CollectionSource = z.enum(['payment', 'auction', 'decision']);
export type CollectionSource = z.infer<typeof CollectionSource>;

/** One amount collected to the state budget on a case (migration 0029). */
export const CaseCollection = z.object({
  amountVnd: z.number().int(),
  collectedOn: z.string().describe('The day it was paid (for the decision\'s amount, the decision day)'),
  source: CollectionSource.describe('payment: paid after the decision; auction: an auctioned custody item\'s proceeds; decision: given with the penalty decision'),
  note: z.string().nullable(),
  custodyItemId: Uuid.nullable().describe('The auctioned custody item'),
  byUsername: z.string().nullable(),
  byName: z.string().nullable().describe('Display name of who recorded it'),
  at: Instant.nullable().describe('When it was recorded; null for an amount recorded before amounts were listed (the remainder of the total, shown as the decision\'s)'),
});
export type CaseCollection = z.infer<typeof CaseCollection>;

export const CaseOutcome = z.object({
  penaltyDecisionNo: z.string().nullable(),
  penaltyDecidedOn: z.string().nullable(),
  fineVnd: z.number().int(),
  confiscatedValueVnd: z.number().int(),
  collectedVnd: z.number().int().describe('The total collected to the state budget: the sum of `collections`'),
  collections: z.array(CaseCollection).describe('The amounts collected, newest first'),
  transferredOn: z.string().nullable(),
  prosecutedOn: z.string().nullable(),
  defendants: z.number().int(),
  droppedReason: z.string().nullable(),
});

export const StatusChange = z.object({
  from: CaseStatus.nullable(),
  to: CaseStatus,
  at: Instant,
  byUsername: z.string().nullable(),
  byName: z.string().nullable().describe('Display name of who made the change'),
  note: z.string().nullable(),
});

/** What every signed-in staff user may see of an internal case (and of their own cases, more). */
export const CaseSummary = z.object({
  id: Uuid,
  code: z.string().describe('Cordon case number, e.g. VV-2026-000123'),
  title: z.string(),
  violationType: z.string(),
  reportGroup: z.string(),
  detectedOn: z.string(),
  provinceCode: z.string().describe('2025 province'),
  recordedProvinceCode: z.string().describe('As recorded (a pre-2025 code for older cases)'),
  route: z.string().nullable(),
  status: CaseStatus,
  sensitivity: Sensitivity,
  sourceUnit: UnitSummary,
  leadUnit: UnitSummary,
  goodsCategories: z.array(z.string()),
  goodsValueVnd: z.number().int(),
  jointGroupId: Uuid.nullable(),
  countsInStatistics: z.boolean().describe('False for a case merged into a joint case led elsewhere'),
  access: z.enum(['summary', 'full']),
  version: Version,
  updatedAt: Instant,
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseDetail = CaseSummary.extend({
  summary: z.string().nullable(),
  sourceRef: z.string().nullable(),
  wardCode: z.string().nullable(),
  /** the ward's name from the reference list, when the code is in it */
  wardName: z.string().nullable(),
  borderGate: z.string().nullable(),
  place: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  coordinatingUnits: z.array(UnitSummary),
  namedUserIds: z.array(Uuid),
  goods: z.array(GoodsLineView),
  subjects: z.array(SubjectView),
  outcome: CaseOutcome,
  history: z.array(StatusChange),
  allowedTransitions: z.array(CaseStatus),
  mayEdit: z.boolean().describe('The user may edit this case (a writing role in a handling unit)'),
  createdAt: Instant,
}).partial({ summary: true, sourceRef: true, wardCode: true, wardName: true, borderGate: true, place: true, latitude: true, longitude: true, namedUserIds: true, goods: true, subjects: true, outcome: true, history: true }).describe('Full detail; with access "summary" only the summary fields are present');
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Words in title, summary, place, goods, subjects; diacritics optional'),
  from: IsoDate.optional().describe('Detected on or after'),
  to: IsoDate.optional().describe('Detected on or before'),
  province: z.string().regex(/^\d{2}$/).optional().describe('2025 province code (pre-2025 cases are found under their 2025 province)'),
  force: Code.optional(),
  unit: Uuid.optional().describe('Source, lead or coordinating unit'),
  category: Code.optional(),
  hs: z.string().regex(/^\d{2,8}$/, 'HS code prefix, 2–8 digits').optional(),
  route: Code.optional(),
  status: CaseStatus.optional(),
  type: Code.optional(),
  minValue: z.coerce.number().int().min(0).optional(),
  maxValue: z.coerce.number().int().min(0).optional(),
  subject: z.string().trim().min(3).max(100).optional().describe('An identifier: CCCD, tax code, plate, phone, IMO'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CaseQuery = z.infer<typeof CaseQuery>;

export const CasePage = z.object({ items: z.array(CaseSummary), nextCursor: z.string().nullable() });
