import type { FieldIssue } from '@cordon/contracts';
import type { z } from 'zod';

/** zod's issue codes → our stable reason codes (the web translates these). */
export function reasonOf(issue: { code: string; origin?: string; message?: string }): string {
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' ? 'too_short' : issue.origin === 'array' ? 'too_few' : 'too_small';
    case 'too_big':
      return issue.origin === 'string' ? 'too_long' : issue.origin === 'array' ? 'too_many' : 'too_big';
    case 'invalid_type':
      // zod 4 does not keep the input in issues; its message says when nothing was sent.
      return /received undefined/.test(issue.message ?? '') ? 'required' : 'invalid_type';
    case 'invalid_format':
      return 'invalid_format';
    case 'invalid_value':
      return 'invalid_value';
    case 'unrecognized_keys':
      return 'unknown_field';
    default:
      return 'invalid_value';
  }
}

/** A zod error → field issues, as the API reports a bad request body (dotted paths, same reasons). */
export function issuesOfZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => {
    const raw = i as unknown as { origin?: string; minimum?: number | bigint; maximum?: number | bigint };
    const limit = typeof raw.minimum === 'number' ? raw.minimum : typeof raw.maximum === 'number' ? raw.maximum : undefined;
    return { field: i.path.join('.') || 'body', reason: reasonOf({ code: i.code, origin: raw.origin, message: i.message }), message: i.message, ...(limit !== undefined ? { limit } : {}) };
  });
}
