/**
 * The payment gateway interface: what Portico asks of a card processor. The built-in sandbox, the Stripe and
 * the PayPal adapters implement it; the payment flow (portal payments, the reconciler, webhooks, autopay) uses only this.
 *
 * Rules every implementation keeps:
 * - A definitive refusal is a result with `status: 'failed'` and a `failure` — never an exception. Its code is a
 *   CP code where PRODUCT.md §6 names the condition, else a card-level code (`card_declined`, …).
 * - An exception (GatewayUnavailableError) means the outcome is unknown (network down, gateway 5xx): the caller
 *   keeps its attempt pending and asks again later with `findPaymentByReference`.
 * - `idempotencyKey` goes to the gateway: a retried call with the same key returns the first call's charge and
 *   never charges twice; the same key with other parameters throws GatewayIdempotencyError.
 * - `reference` (our payment attempt id) is stored on the gateway's side, so a charge can be found by it even
 *   when we crashed before storing the gateway's id.
 * - Card numbers never pass through Portico except in the sandbox's `testCard` shortcut, which the sandbox
 *   tokenizes at once and never stores or logs.
 */
import type { GatewayErrorCode } from '../domain/payment-errors.js';

export type GatewayKind = 'sandbox' | 'stripe' | 'paypal';

/** Stripe's test keys (secret `sk_test_…`, restricted `rk_test_…`): their charges move no money. */
export const isStripeTestKey = (secretKey: string): boolean => /^(sk|rk)_test_/.test(secretKey);

export type CardDeclineCode =
  | 'card_declined'
  | 'insufficient_funds'
  | 'incorrect_cvc'
  | 'expired_card'
  | 'invalid_number'
  | 'invalid_expiry'
  | 'invalid_cvc'
  | 'authentication_failed'
  | 'authentication_required'
  | 'checkout_expired'
  | 'checkout_cancelled'
  | 'processing_error';

export type GatewayFailureCode = GatewayErrorCode | CardDeclineCode;

export interface GatewayFailure {
  code: GatewayFailureCode;
  /** The gateway's own words, for the business and the logs (never a card number). */
  message: string;
}

export type PaymentStatus = 'succeeded' | 'requires_action' | 'processing' | 'failed';

export interface GatewayCustomer {
  name: string;
  email: string | null;
  address?: { street1?: string; city?: string; state?: string; postalCode?: string; country?: string };
}

/** The sandbox's same-call shortcut (API.md): a test card given with the payment. Refused by real gateways. */
export interface TestCard {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  postalCode?: string;
}

export interface CardSummary {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface CreatePaymentInput {
  /** Our payment attempt id; stored at the gateway so the reconciler can find the charge by it. */
  reference: string;
  /** Minor units of `currency`. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  description: string;
  customer: GatewayCustomer;
  /** Where the gateway's hosted page sends the client back; must be on PUBLIC_URL's origin. */
  returnUrl: string;
  /** Where the hosted page sends a client who gives up (same origin); the return URL when absent. */
  cancelUrl?: string;
  /**
   * When the hosted page stops taking this payment (ISO 8601): the attempt's own expiry, so that a page left
   * open can never be paid after the attempt released its reservation. The gateway's default when absent.
   */
  expiresAt?: string;
  idempotencyKey: string;
  /** Sandbox only: complete in the same call. */
  testCard?: TestCard;
  /** Organization id, echoed in webhook events so the flow can check the event is for the right tenant. */
  organizationId: string;
}

export interface GatewayPayment {
  /** Null only when the gateway refused before creating anything (e.g. Stripe's invalid credentials). */
  gatewayPaymentId: string | null;
  reference: string | null;
  status: PaymentStatus;
  amount: number;
  currency: string;
  amountRefunded: number;
  /** When `requires_action`: the gateway's page the client must visit (card entry or an extra check). */
  redirectUrl?: string;
  failure?: GatewayFailure;
  card?: CardSummary;
}

export interface SetUpSavedCardInput {
  reference: string;
  customer: GatewayCustomer;
  returnUrl: string;
  idempotencyKey: string;
  /** `recurring`: the card will pay a recurring profile automatically (needs recurring support, CP4002). */
  usage: 'reference' | 'recurring';
  testCard?: TestCard;
  organizationId: string;
}

export interface SavedCardSetup {
  setupId: string;
  reference: string | null;
  status: 'succeeded' | 'requires_action' | 'failed';
  redirectUrl?: string;
  /** The gateway's token for the card; what `chargeSavedCard` takes. */
  savedCard?: string;
  card?: CardSummary;
  failure?: GatewayFailure;
}

export interface ChargeSavedCardInput {
  reference: string;
  amount: number;
  currency: string;
  description: string;
  customer: GatewayCustomer;
  savedCard: string;
  idempotencyKey: string;
  /** A recurring profile's automatic charge (CP4002 when unsupported), rather than a one-off reference charge. */
  recurring: boolean;
  organizationId: string;
}

export interface RefundInput {
  gatewayPaymentId: string;
  /** Minor units; at most what is left unrefunded. */
  amount: number;
  /** Our refund's id. */
  reference: string;
  idempotencyKey: string;
}

export interface GatewayRefund {
  gatewayRefundId: string;
  status: 'succeeded' | 'pending' | 'failed';
  amount: number;
  failure?: GatewayFailure;
}

export type GatewayEventType =
  | 'payment.succeeded'
  | 'payment.failed'
  | 'payment.processing'
  | 'payment.requires_action'
  | 'payment.refunded'
  /**
   * The payer approved the payment on the gateway's page, and the gateway waits for Portico to take the money
   * (PayPal's CHECKOUT.ORDER.APPROVED): `getPayment` takes it, while the attempt still wants it.
   */
  | 'payment.approved'
  | 'card_setup.succeeded'
  | 'card_setup.failed'
  /** Anything else the gateway sends; acknowledge and ignore. */
  | 'other';

/** A verified webhook event, in our words. Replay protection (each `id` once) is the flow's job. */
export interface GatewayEvent {
  /** The gateway's event id: process each once. */
  id: string;
  type: GatewayEventType;
  /** The gateway's own event type (`payment_intent.succeeded`, …). */
  gatewayType: string;
  /** The organization the gateway says the event is for (our metadata); check it against the URL's. */
  organizationId: string | null;
  gatewayPaymentId: string | null;
  reference: string | null;
  amount: number | null;
  currency: string | null;
  status: PaymentStatus | null;
  failure?: GatewayFailure;
  /** For card_setup events. */
  savedCard?: string;
  /** For `payment.refunded`: how much of the payment was given back so far (minor units). */
  amountRefunded?: number;
  /** When the gateway created the event (ISO 8601). */
  createdAt: string;
}

export interface PaymentGateway {
  readonly kind: GatewayKind;
  /** Whether `testCard` is accepted (the sandbox only). */
  readonly acceptsTestCards: boolean;
  /** Test mode: its payments move no money (the sandbox; Stripe with test keys). Recorded on each payment. */
  readonly testMode: boolean;
  createPayment(input: CreatePaymentInput): Promise<GatewayPayment>;
  /** Null when the gateway knows no such payment. */
  getPayment(gatewayPaymentId: string): Promise<GatewayPayment | null>;
  /** The charge made for our attempt id, if any (the most recent when several). */
  findPaymentByReference(reference: string): Promise<GatewayPayment | null>;
  setUpSavedCard(input: SetUpSavedCardInput): Promise<SavedCardSetup>;
  getSavedCardSetup(setupId: string): Promise<SavedCardSetup | null>;
  chargeSavedCard(input: ChargeSavedCardInput): Promise<GatewayPayment>;
  /**
   * Stops a payment that is not made yet, so that its hosted page can no longer be paid (the client cancelled,
   * or the attempt's time is up). Returns the payment as it then stands: `failed` when it was stopped, but
   * `succeeded` (or `processing`) when the client paid meanwhile — the caller settles that instead. Null when the
   * gateway knows no such payment.
   */
  cancelPayment(gatewayPaymentId: string): Promise<GatewayPayment | null>;
  refund(input: RefundInput): Promise<GatewayRefund>;
  /**
   * Throws WebhookVerificationError when the signature, the timestamp (300 s tolerance) or the body is bad, and
   * GatewayUnavailableError when the gateway that verifies it (PayPal) cannot be asked now.
   */
  verifyWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): GatewayEvent | Promise<GatewayEvent>;
}

/** The outcome is unknown (network, gateway outage): keep the attempt pending and reconcile later. */
export class GatewayUnavailableError extends Error {
  override name = 'GatewayUnavailableError';
}

/** The idempotency key was used before with other parameters: a bug in the caller, not a payment outcome. */
export class GatewayIdempotencyError extends Error {
  override name = 'GatewayIdempotencyError';
}

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** Webhook tolerance of SECURITY.md: a signature older (or newer) than this is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
