import { z } from 'zod';
import { Instant, Uuid, Version } from './common.js';
import { IsoDate } from './cases.js';
import { COMMENDATION_LEVELS, COMMENDATION_RECIPIENTS } from './directives-constants.js';
import { ReportCaseRef, TaskUnitRef } from './directives.js';

/** Commendations (Bằng khen, Giấy khen) of units and officers, with the cases they were earned on. */
export { COMMENDATION_LEVELS, COMMENDATION_RECIPIENTS };
export const CommendationLevel = z.enum(COMMENDATION_LEVELS);
export type CommendationLevel = z.infer<typeof CommendationLevel>;
export const CommendationRecipient = z.enum(COMMENDATION_RECIPIENTS);

export const CreateCommendationBody = z.object({
  decisionNumber: z.string().trim().min(1).max(60).describe('e.g. 125/QĐ-BCĐ389'),
  decidedOn: IsoDate,
  level: CommendationLevel,
  recipientKind: CommendationRecipient,
  unitId: Uuid.describe('The unit commended, or the officer\'s unit'),
  officerName: z.string().trim().min(1).max(200).nullable().optional().describe('Required for an officer'),
  officerTitle: z.string().trim().max(200).nullable().optional(),
  reason: z.string().trim().min(1).max(4000),
  caseIds: z.array(Uuid).max(50).default([]),
});
export type CreateCommendationBody = z.input<typeof CreateCommendationBody>;

export const CommendationView = z.object({
  id: Uuid,
  decisionNumber: z.string(),
  decidedOn: z.string(),
  level: CommendationLevel,
  recipientKind: CommendationRecipient,
  unit: TaskUnitRef,
  officerName: z.string().nullable(),
  officerTitle: z.string().nullable(),
  reason: z.string(),
  cases: z.array(ReportCaseRef),
  createdBy: z.string().nullable(),
  createdAt: Instant,
  version: Version,
});
export type CommendationView = z.infer<typeof CommendationView>;

export const CommendationQuery = z.object({
  unitId: Uuid.optional().describe('This unit and the units below it'),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  level: CommendationLevel.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const CommendationPage = z.object({ items: z.array(CommendationView), nextCursor: z.string().nullable() });
