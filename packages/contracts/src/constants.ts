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

/** Case workflow: detected → verifying → handling → penalized | transferred → prosecuted → closed; dropped. */
export const CASE_STATUSES = ['detected', 'verifying', 'handling', 'penalized', 'transferred', 'prosecuted', 'closed', 'dropped'] as const;
export const SENSITIVITY_LEVELS = ['internal', 'restricted', 'secret'] as const;
export const SUBJECT_KINDS = ['person', 'company', 'vehicle', 'vessel', 'phone', 'bank_account', 'online_shop'] as const;
/** `director` and `legal_representative` (of a company named on the same case) make the person the company's director on its subject page. */
export const SUBJECT_ROLES = ['owner', 'director', 'legal_representative', 'organiser', 'financier', 'transporter', 'driver', 'seller', 'buyer', 'accomplice', 'witness', 'other'] as const;
