import { z } from 'zod';
import { Instant, Locale, Role, Uuid, Version } from './common.js';
import { Password } from './auth.js';

export const Username = z
  .string()
  .trim()
  .min(3)
  .max(60)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash or underscore');

export const UserView = z.object({
  id: Uuid,
  username: z.string(),
  displayName: z.string(),
  unitId: Uuid,
  unitCode: z.string(),
  roles: z.array(Role),
  locale: Locale,
  disabled: z.boolean(),
  lockedUntil: Instant.nullable(),
  lastLoginAt: Instant.nullable(),
  version: Version,
  createdAt: Instant,
});
export type UserView = z.infer<typeof UserView>;

export const UserQuery = z.object({
  q: z.string().max(100).optional().describe('Search username and display name; diacritics optional'),
  unitId: Uuid.optional(),
  role: Role.optional(),
  status: z.enum(['active', 'disabled', 'all']).default('all'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const CreateUserBody = z.object({
  username: Username,
  displayName: z.string().trim().min(2).max(120),
  unitId: Uuid,
  roles: z.array(Role).min(1).max(8),
  locale: Locale.default('vi'),
  password: Password,
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.object({
  version: Version,
  displayName: z.string().trim().min(2).max(120).optional(),
  unitId: Uuid.optional(),
  roles: z.array(Role).min(1).max(8).optional(),
  disabled: z.boolean().optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ResetPasswordBody = z.object({ newPassword: Password });

export const ApiTokenView = z.object({
  id: Uuid,
  name: z.string(),
  userId: Uuid,
  username: z.string(),
  roles: z.array(Role),
  prefix: z.string().describe('First characters of the token, to recognise it'),
  createdAt: Instant,
  expiresAt: Instant.nullable(),
  lastUsedAt: Instant.nullable(),
  revokedAt: Instant.nullable(),
});
export type ApiTokenView = z.infer<typeof ApiTokenView>;

export const CreateApiTokenBody = z.object({
  name: z.string().trim().min(2).max(120),
  userId: Uuid.describe('The account the integration acts as'),
  roles: z.array(Role).min(1).max(8).describe('Must be a subset of that account\'s roles'),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type CreateApiTokenBody = z.infer<typeof CreateApiTokenBody>;

export const CreatedApiToken = z.object({
  token: z.string().describe('Shown once; send as "Authorization: Bearer <token>"'),
  view: ApiTokenView,
});
export const ApiTokenList = z.object({ items: z.array(ApiTokenView) });

/** A colleague as the user directory shows them (to name people on a secret case). */
export const DirectoryUser = z.object({ id: Uuid, username: z.string(), displayName: z.string(), unitCode: z.string() });
export type DirectoryUser = z.infer<typeof DirectoryUser>;
export const DirectoryQuery = z.object({ q: z.string().trim().min(2).max(100).describe('Part of a name or username; diacritics optional') });
export const DirectoryList = z.object({ items: z.array(DirectoryUser) });
