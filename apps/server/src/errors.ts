import type { ErrorCode, FieldIssue } from '@cordon/contracts';

/** The one error type services throw. Routes never build HTTP errors themselves. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    /** Seconds the client should wait (RATE_LIMITED). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (why = 'You do not have access to this') => new AppError('FORBIDDEN', why);

/** A 400 about one field: `invalidField('password', 'too_short', 'at least 10 characters', 10)`. */
export function invalidField(field: string, reason: string, message: string, limit?: number): AppError {
  return new AppError('INVALID_INPUT', `${field}: ${message}`, [{ field, reason, message, ...(limit !== undefined ? { limit } : {}) }]);
}

/** Optimistic locking: someone saved a newer version since the client read it. */
export const staleVersion = (what: string) =>
  new AppError('CONFLICT', `${what} was changed by someone else; reload and try again`);
