/**
 * Enumerations without zod, so the web app can import them without shipping zod (see client.ts).
 * The zod schemas in the other modules are built from these lists.
 */

/** Roles a user may hold. Order is the order shown in the admin screens. */
export const ROLES = [
  'admin',
  'analyst',
  'officer',
  'provincial_coordinator',
  'tip_triage',
  'risk_analyst',
  'auditor',
  'viewer',
] as const;
export type RoleName = (typeof ROLES)[number];

export const LOCALES = ['vi', 'en'] as const;

export const ORG_UNIT_KINDS = ['national_office', 'force', 'provincial_committee', 'unit'] as const;

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
