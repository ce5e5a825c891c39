/**
 * The one error type of Portico. Everything that refuses a request throws an AppError;
 * the HTTP layer turns it into RFC 9457 problem+json with the stable `code`.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'invalid_transition'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'rate_limited'
  | 'idempotency_conflict'
  /** "Prevent duplicate payments": a payment of the same document is still pending. */
  | 'payment_pending'
  /** Pay Now while the organization has no payment gateway (PRODUCT.md §6: no configured gateway). */
  | 'CP4003';

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `/lines/0/quantity`. */
  path: string;
  message: string;
}

const statusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  rate_limited: 429,
  idempotency_conflict: 409,
  payment_pending: 409,
  CP4003: 409,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[];
  /** For a 429: when to try again, sent as the Retry-After header. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    errors: FieldError[] = [],
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = statusOf[code];
    this.errors = errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const invalid = (path: string, message: string): AppError =>
  new AppError('validation_failed', message, [{ path, message }]);

export const notFound = (what = 'resource'): AppError => new AppError('not_found', `No such ${what}.`);

/** 429 `rate_limited`, with the seconds until the budget allows the request again (Retry-After). */
export const rateLimited = (message: string, retryAfterSeconds: number): AppError =>
  new AppError('rate_limited', message, [], { retryAfterSeconds });

export const invalidTransition = (message: string): AppError => new AppError('invalid_transition', message);
