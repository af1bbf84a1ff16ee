import { z } from 'zod';
import { Instant, Uuid, Version } from './common.js';

import { ORG_UNIT_KINDS } from './constants.js';

export { ORG_UNIT_KINDS };
export const OrgUnitKind = z.enum(ORG_UNIT_KINDS);
export type OrgUnitKind = z.infer<typeof OrgUnitKind>;

export const UnitCode = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[A-Z0-9][A-Z0-9._-]*$/, 'upper-case letters, digits, dot, dash or underscore');

export const OrgUnitView = z.object({
  id: Uuid,
  code: z.string(),
  kind: OrgUnitKind,
  parentId: Uuid.nullable(),
  forceCode: z.string().nullable().describe('Member force this unit belongs to (CUSTOMS, BORDER_GUARD, ...)'),
  provinceCode: z.string().nullable().describe('GSO code of the 2025 province the unit works in'),
  nameVi: z.string(),
  nameEn: z.string(),
  active: z.boolean(),
  version: Version,
  createdAt: Instant,
});
export type OrgUnitView = z.infer<typeof OrgUnitView>;

export const OrgUnitList = z.object({ items: z.array(OrgUnitView) });

export const OrgUnitQuery = z.object({
  q: z.string().max(100).optional().describe('Search in code and names; diacritics optional'),
  kind: OrgUnitKind.optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});

export const CreateOrgUnitBody = z.object({
  code: UnitCode,
  kind: OrgUnitKind,
  parentId: Uuid.nullable(),
  forceCode: z.string().max(40).nullable().optional(),
  provinceCode: z.string().regex(/^\d{2}$/, 'two-digit GSO code').nullable().optional(),
  nameVi: z.string().trim().min(2).max(200),
  nameEn: z.string().trim().min(2).max(200),
});
export type CreateOrgUnitBody = z.infer<typeof CreateOrgUnitBody>;

export const UpdateOrgUnitBody = z.object({
  version: Version,
  parentId: Uuid.nullable().optional(),
  forceCode: z.string().max(40).nullable().optional(),
  provinceCode: z.string().regex(/^\d{2}$/, 'two-digit GSO code').nullable().optional(),
  nameVi: z.string().trim().min(2).max(200).optional(),
  nameEn: z.string().trim().min(2).max(200).optional(),
  active: z.boolean().optional(),
});
export type UpdateOrgUnitBody = z.infer<typeof UpdateOrgUnitBody>;
