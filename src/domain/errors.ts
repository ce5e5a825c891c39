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
  /** The server is too busy to take this now (the password hash queue is full): 503, try again shortly. */
  | 'busy'
  | 'idempotency_conflict'
  /** "Prevent duplicate payments": a payment of the same document is still pending. */
  | 'payment_pending'
  /** Invoicing a project's time that its client has not approved (docs/time-approval.md). */
  | 'time_not_approved'
  /** The organization requires a second factor: this session may only enrol one (docs/second-factors.md). */
  | 'second_factor_enrolment_required'
  /** Changing a second factor or a saved card needs a sign-in of the last 10 minutes: sign in again. */
  | 'recent_sign_in_required'
  /** Pay Now while the organization has no payment gateway (PRODUCT.md §6: no configured gateway). */
  | 'CP4003'
  /** An e-invoice needs a party detail not filled in yet (the errors name each one; `docs/e-invoices.md`). */
  | 'e_invoice_incomplete'
  /** The invoice uses something EN 16931 cannot carry exactly (a discount after tax, fils in KWD…). */
  | 'e_invoice_unsupported';

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
  busy: 503,
  idempotency_conflict: 409,
  payment_pending: 409,
  second_factor_enrolment_required: 403,
  recent_sign_in_required: 403,
  CP4003: 409,
  time_not_approved: 409,
  e_invoice_incomplete: 422,
  e_invoice_unsupported: 422,
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

/** Refuses for now: 429 (or 503 `busy`) with a `Retry-After` of at least one second. */
export const tryAgainLater = (code: 'rate_limited' | 'busy', message: string, afterMs: number): AppError =>
  new AppError(code, message, [], { retryAfterSeconds: Math.max(1, Math.ceil(afterMs / 1000)) });

export const invalid = (path: string, message: string): AppError =>
  new AppError('validation_failed', message, [{ path, message }]);

export const notFound = (what = 'resource'): AppError => new AppError('not_found', `No such ${what}.`);

export const invalidTransition = (message: string): AppError => new AppError('invalid_transition', message);
