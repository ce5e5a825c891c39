/** The door of online-payments: what other capabilities may use. The rest of this folder is its own. */
export { expirePaymentAttempts } from './hosted-page.js';
export { answerOnce, pruneIdempotencyKeys } from './idempotency.js';
export {
  applyGatewayOutcome,
  failAttempt,
  gatewayCustomerOf,
  LIVE_STATUSES,
  NO_CHARGE,
  porticoRefusal,
  reconcileAfterSeconds,
  reconcilePaymentAttempts,
  reservedOn,
  settleAttempt,
} from './service.js';
