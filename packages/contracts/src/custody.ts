import { z } from 'zod';
import { Instant, Uuid, Version } from './common.js';
import { HsCode, IsoDate, UnitSummary, Vnd } from './cases.js';

/**
 * Seized goods custody: warehouses, custody items created from a case's seizure, and the append-only,
 * hash-linked chain of custody events of each item. The legal order of events is decided by
 * packages/engine/src/custody/lifecycle.ts (these lists are the same, kept here so contracts import
 * nothing internal).
 */
export const CUSTODY_EVENT_KINDS = ['received', 'stored', 'transferred', 'sampled', 'returned', 'auctioned', 'destroyed', 'released'] as const;
export const CUSTODY_STATES = ['seized', 'held', 'in_transit', 'at_testing', 'auctioned', 'destroyed', 'released'] as const;
export const CustodyEventKind = z.enum(CUSTODY_EVENT_KINDS);
export type CustodyEventKind = z.infer<typeof CustodyEventKind>;
export const CustodyState = z.enum(CUSTODY_STATES);
export type CustodyState = z.infer<typeof CustodyState>;

/** Photos of an item: images only, sniffed from the content, like case attachments. */
export const CUSTODY_PHOTO_TYPES = { 'image/jpeg': ['jpg', 'jpeg'], 'image/png': ['png'], 'image/webp': ['webp'] } as const;
export const CUSTODY_PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const CUSTODY_PHOTO_MAX_FILES = 10;

const Code = z.string().trim().regex(/^[A-Z][A-Z0-9_]*$/, 'an upper-case code from the reference lists');
const Text = (max: number) => z.string().trim().min(1).max(max);

export const WarehouseView = z.object({
  id: Uuid,
  unit: UnitSummary,
  code: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  active: z.boolean(),
  itemCount: z.number().int().describe('Items in custody here now (all cases: a count, no details)'),
  overdueCount: z.number().int().describe('Of those, held past their handling deadline'),
});
export type WarehouseView = z.infer<typeof WarehouseView>;
export const WarehouseList = z.object({ items: z.array(WarehouseView) });

export const CreateWarehouseBody = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/, 'letters, digits, dot, dash or underscore; up to 30'),
  name: Text(200),
  address: z.string().trim().max(500).nullable().optional(),
  unitId: Uuid.optional().describe("Defaults to the user's unit; must be the user's unit or one below it"),
});
export type CreateWarehouseBody = z.infer<typeof CreateWarehouseBody>;

export const CustodyItemInput = z.object({
  goodsLineNo: z.number().int().positive().nullable().optional().describe("The case's goods line it comes from"),
  description: z.string().trim().min(2).max(500),
  category: Code,
  hsCode: HsCode.nullable().optional(),
  quantity: z.number().min(0).max(1e12).nullable().optional(),
  unit: z.string().trim().max(30).nullable().optional(),
  estimatedValueVnd: Vnd.nullable().optional(),
});
export type CustodyItemInput = z.infer<typeof CustodyItemInput>;

export const CreateCustodyItemsBody = z.object({
  items: z.array(CustodyItemInput).min(1).max(200).optional().describe("Omit to create one item per goods line of the case"),
  seizedOn: IsoDate.optional().describe("Defaults to the case's detection date"),
});
export type CreateCustodyItemsBody = z.infer<typeof CreateCustodyItemsBody>;

export const UpdateCustodyItemBody = z.object({
  version: Version,
  description: z.string().trim().min(2).max(500).optional(),
  category: Code.optional(),
  hsCode: HsCode.nullable().optional(),
  quantity: z.number().min(0).max(1e12).nullable().optional(),
  unit: z.string().trim().max(30).nullable().optional(),
  estimatedValueVnd: Vnd.nullable().optional(),
});
export type UpdateCustodyItemBody = z.infer<typeof UpdateCustodyItemBody>;

export const WarehouseRef = z.object({ id: Uuid, code: z.string(), name: z.string() });

export const CustodyItemSummary = z.object({
  id: Uuid,
  code: z.string().describe('Printed on the label, e.g. TV-2026-000042'),
  caseId: Uuid,
  caseCode: z.string(),
  goodsLineNo: z.number().int().nullable(),
  description: z.string(),
  category: z.string(),
  hsCode: z.string().nullable(),
  quantity: z.number().nullable(),
  unit: z.string().nullable(),
  estimatedValueVnd: z.number().int().nullable(),
  seizedOn: IsoDate,
  state: CustodyState,
  holderUnit: UnitSummary,
  warehouse: WarehouseRef.nullable(),
  shelf: z.string().nullable(),
  deadline: IsoDate.describe('Last day of the legal handling period'),
  overdue: z.boolean().describe('Still in custody after the deadline'),
  eventCount: z.number().int(),
  version: z.number().int(),
});
export type CustodyItemSummary = z.infer<typeof CustodyItemSummary>;

export const CustodyItemList = z.object({
  items: z.array(CustodyItemSummary),
  hiddenCount: z.number().int().describe('Items left out because their case is closed to the user'),
});
export type CustodyItemList = z.infer<typeof CustodyItemList>;

export const CustodyEventView = z.object({
  id: Uuid,
  seq: z.number().int(),
  kind: CustodyEventKind,
  at: Instant,
  recordedAt: Instant,
  actorUsername: z.string(),
  actorName: z.string().describe('The display name of the user who recorded it (the chain keeps the username)'),
  actorUnit: UnitSummary,
  fromUnit: UnitSummary,
  toUnit: UnitSummary,
  warehouse: WarehouseRef.nullable(),
  shelf: z.string().nullable(),
  place: z.string().nullable(),
  documentNo: z.string().nullable(),
  decisionNo: z.string().nullable(),
  auctionValueVnd: z.number().int().nullable(),
  note: z.string().nullable(),
  hash: z.string(),
});
export type CustodyEventView = z.infer<typeof CustodyEventView>;

export const CustodyPhotoView = z.object({
  id: Uuid,
  itemId: Uuid,
  fileName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string().nullable(),
  createdAt: Instant,
});
export type CustodyPhotoView = z.infer<typeof CustodyPhotoView>;
export const CustodyPhotoList = z.object({ items: z.array(CustodyPhotoView) });

export const CustodyItemDetail = CustodyItemSummary.extend({
  caseTitle: z.string(),
  events: z.array(CustodyEventView),
  photos: z.array(CustodyPhotoView),
  allowedEvents: z.array(CustodyEventKind).describe('What this user may record next (empty when they may not record)'),
  mayRecord: z.boolean(),
  mayEdit: z.boolean(),
  headHash: z.string(),
});
export type CustodyItemDetail = z.infer<typeof CustodyItemDetail>;

export const RecordCustodyEventBody = z.object({
  version: Version.describe("The item's version you read"),
  kind: CustodyEventKind,
  at: z.iso.datetime({ offset: true }).optional().describe('When it happened; defaults to now'),
  warehouseId: Uuid.nullable().optional().describe('stored: the warehouse'),
  shelf: z.string().trim().max(60).nullable().optional(),
  toUnitId: Uuid.nullable().optional().describe('transferred: the receiving unit'),
  place: z.string().trim().max(300).nullable().optional().describe('Where it happened'),
  documentNo: z.string().trim().max(100).nullable().optional().describe('Number of the record (biên bản) of this movement'),
  decisionNo: z.string().trim().max(100).nullable().optional().describe('Disposals: the approving decision'),
  auctionValueVnd: Vnd.nullable().optional().describe('auctioned: the value it fetched; added to the case\'s amount collected'),
  note: z.string().trim().max(2000).nullable().optional(),
});
export type RecordCustodyEventBody = z.infer<typeof RecordCustodyEventBody>;

export const CustodyItemsQuery = z.object({
  scope: z.enum(['held', 'all']).default('held').describe('held: items my units hold now; all: every item I may see'),
  overdue: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  warehouseId: Uuid.optional(),
  caseId: Uuid.optional(),
});
export type CustodyItemsQuery = z.infer<typeof CustodyItemsQuery>;

export const CustodyVerifyResult = z.object({
  ok: z.boolean(),
  itemsChecked: z.number().int(),
  eventsChecked: z.number().int(),
  firstBroken: z
    .object({
      itemId: Uuid,
      itemCode: z.string(),
      seq: z.number().int().describe('The first event that does not fit (or the count expected, for a missing tail)'),
      eventId: Uuid.nullable(),
      reason: z.enum(['hash_mismatch', 'prev_mismatch', 'gap', 'head_mismatch', 'illegal_sequence']),
    })
    .nullable(),
});
export type CustodyVerifyResult = z.infer<typeof CustodyVerifyResult>;

export const CustodyItemParams = z.object({ id: Uuid });
export const CustodyPhotoParams = z.object({ id: Uuid, photoId: Uuid });
