import { z } from 'zod';
import { LOCALES, ROLES } from './constants.js';

export { LOCALES, ROLES };

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

export const Uuid = z.uuid();
/** Instants travel as ISO-8601 strings in UTC; the web shows them in Asia/Ho_Chi_Minh. */
export const Instant = z.string().describe('ISO-8601 instant, UTC');
export const Version = z.number().int().positive().describe('Optimistic-locking version; send back the one you read');

export const IdParams = z.object({ id: Uuid });

export const PageQuery = z.object({
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ErrorCode = z.enum([
  'NOT_FOUND',
  'INVALID_INPUT',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One problem with one field of a request. `reason` is a stable code the web translates. */
export const FieldIssue = z.object({
  field: z.string().describe('Dotted path of the field, e.g. "roles.0" or "password"'),
  reason: z.string().describe('Stable reason code: required, too_short, too_long, invalid_format, invalid_value, not_unique, ...'),
  message: z.string().describe('English explanation'),
  limit: z.number().optional().describe('The bound that was crossed, when there is one'),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    issues: z.array(FieldIssue).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
