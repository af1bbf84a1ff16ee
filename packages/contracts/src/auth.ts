import { z } from 'zod';
import { Instant, Locale, Role, Uuid, Version } from './common.js';
import { OrgUnitKind } from './org.js';

/** Passwords: long rather than complicated (NIST SP 800-63B). */
export const Password = z.string().min(10).max(200);

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const UnitRef = z.object({
  id: Uuid,
  code: z.string(),
  kind: OrgUnitKind,
  nameVi: z.string(),
  nameEn: z.string(),
});

export const Me = z.object({
  id: Uuid,
  username: z.string(),
  displayName: z.string(),
  locale: Locale,
  roles: z.array(Role),
  unit: UnitRef.extend({ forceCode: z.string().nullable().optional().describe("The unit's force (CUSTOMS, BORDER_GUARD, …); null for the standing office and the provincial committees") }),
  version: Version,
  csrfToken: z.string().nullable().describe('Send back as X-CSRF-Token on every write made with the session cookie'),
  authMethod: z.enum(['session', 'token']),
});
export type Me = z.infer<typeof Me>;

/**
 * `GET /api/auth/session`: who is signed in, answered 200 even for nobody (`me: null`), so a browser's first
 * load logs no error. `GET /api/me` keeps answering 401 without a session, for API clients.
 */
export const SessionState = z.object({ me: Me.nullable() });
export type SessionState = z.infer<typeof SessionState>;

export const UpdateMeBody = z.object({
  locale: Locale.optional(),
  displayName: z.string().trim().min(2).max(120).optional(),
});
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const Meta = z.object({
  name: z.literal('Cordon'),
  version: z.string(),
  demoMode: z.boolean(),
  demoAccounts: z.array(z.object({ username: z.string(), roles: z.array(Role) })),
  timeZone: z.string(),
});
export type Meta = z.infer<typeof Meta>;

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({ engine: z.enum(['pglite', 'postgres']), reachable: z.boolean() }),
  migrations: z.object({ applied: z.number().int(), expected: z.number().int(), current: z.boolean() }),
  time: Instant,
});
export type Health = z.infer<typeof Health>;
