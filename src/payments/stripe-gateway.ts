import { createRequire } from 'node:module';
import type Stripe from 'stripe';
import type { AppContext } from '../context.js';
import {
  type CardSummary,
  type ChargeSavedCardInput,
  type CreatePaymentInput,
  type GatewayEvent,
  type GatewayEventType,
  type GatewayFailure,
  GatewayIdempotencyError,
  type GatewayPayment,
  type GatewayRefund,
  GatewayUnavailableError,
  isStripeTestKey,
  type PaymentGateway,
  type PaymentStatus,
  type RefundInput,
  type SavedCardSetup,
  type SetUpSavedCardInput,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookVerificationError,
} from './gateway.js';

export interface StripeCredentials {
  /** `sk_live_…`, `sk_test_…` or a restricted key `rk_…`. */
  secretKey: string;
  /** The webhook endpoint's signing secret, `whsec_…`. */
  webhookSecret: string;
}

/** Where the Stripe client connects; tests point it at a local fake (`{host, port, protocol: 'http'}`). */
export interface StripeEndpoint {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

type StripeErrorLike = InstanceType<typeof Stripe.errors.StripeError>;

/** The Stripe library, loaded when a Stripe gateway is first used: an installation without one never loads it. */
let library: typeof Stripe | undefined;
const stripeLibrary = (): typeof Stripe => {
  library ??= createRequire(import.meta.url)('stripe') as typeof Stripe;
  return library;
};

const isStripeError = (error: unknown): error is StripeErrorLike => error instanceof stripeLibrary().errors.StripeError;

/**
 * What a Stripe error means for a payment: a CP code where PRODUCT.md §6 names the condition, a card-level code
 * for declines, or null when it is not a payment outcome (then the caller throws).
 */
export function failureOfStripeError(error: StripeErrorLike): GatewayFailure | null {
  return failureOfRaw(error.type, error);
}

/** The same for a raw error object (`last_payment_error` of a PaymentIntent has type `card_error`). */
function failureOfRaw(
  type: string,
  error: { message?: string; code?: string; decline_code?: string; param?: string },
): GatewayFailure | null {
  const message = error.message ?? 'The payment was refused.';
  if (type === 'StripeAuthenticationError' || type === 'StripePermissionError') {
    return { code: 'CP3002', message };
  }
  const code = error.code ?? '';
  const decline = error.decline_code ?? '';
  if (type === 'StripeInvalidRequestError' || type === 'invalid_request_error') {
    if (code === 'amount_too_small') return { code: 'CP4001', message };
    if (error.param === 'currency' || code === 'currency_not_supported' || /currency/i.test(message)) {
      return { code: 'CP4003', message };
    }
    return null;
  }
  if (type !== 'StripeCardError' && type !== 'card_error') return null;
  if (['fraudulent', 'merchant_blacklist', 'stolen_card', 'lost_card', 'pickup_card'].includes(decline)) {
    return { code: 'CP3003', message };
  }
  if (decline === 'duplicate_transaction') return { code: 'CP3005', message };
  if (code === 'incorrect_zip' || decline === 'incorrect_zip' || decline === 'incorrect_address') {
    return { code: 'CP3004', message };
  }
  if (decline === 'insufficient_funds') return { code: 'insufficient_funds', message };
  if (code === 'incorrect_cvc' || decline === 'incorrect_cvc') return { code: 'incorrect_cvc', message };
  if (code === 'invalid_cvc') return { code: 'invalid_cvc', message };
  if (code === 'expired_card' || decline === 'expired_card') return { code: 'expired_card', message };
  if (code === 'incorrect_number' || code === 'invalid_number') return { code: 'invalid_number', message };
  if (code === 'invalid_expiry_month' || code === 'invalid_expiry_year') return { code: 'invalid_expiry', message };
  if (code === 'authentication_required' || decline === 'authentication_required') {
    return { code: 'authentication_required', message };
  }
  if (code === 'processing_error') return { code: 'processing_error', message };
  return { code: 'card_declined', message };
}

/** Errors that are not outcomes: unknown outcome (retry later), or a bug in the call. */
function rethrow(error: unknown): never {
  if (isStripeError(error)) {
    if (error.type === 'StripeIdempotencyError') throw new GatewayIdempotencyError(error.message);
    if (['StripeConnectionError', 'StripeAPIError', 'StripeRateLimitError'].includes(error.type)) {
      throw new GatewayUnavailableError(`Stripe did not answer: ${error.message}`);
    }
  }
  throw error;
}

const upper = (currency: string | null | undefined) => (currency ?? '').toUpperCase();

function cardOf(charge: Stripe.Charge | string | null | undefined): CardSummary | undefined {
  if (!charge || typeof charge === 'string') return undefined;
  const card = charge.payment_method_details?.card;
  return card
    ? { brand: card.brand ?? 'unknown', last4: card.last4 ?? '', expMonth: card.exp_month, expYear: card.exp_year }
    : undefined;
}

export function paymentOfIntent(intent: Stripe.PaymentIntent): GatewayPayment {
  let status: PaymentStatus;
  let failure: GatewayFailure | undefined;
  const lastError = intent.last_payment_error;
  switch (intent.status) {
    case 'succeeded':
      status = 'succeeded';
      break;
    case 'processing':
    case 'requires_capture':
      status = 'processing';
      break;
    case 'canceled':
      status = 'failed';
      failure = {
        code: 'processing_error',
        message: `The payment was canceled (${intent.cancellation_reason ?? 'no reason given'}).`,
      };
      break;
    case 'requires_payment_method':
      if (lastError) {
        status = 'failed';
        failure = failureOfRaw(lastError.type, lastError as never) ?? {
          code: 'card_declined',
          message: lastError.message ?? 'The card was declined.',
        };
      } else {
        status = 'requires_action';
      }
      break;
    default:
      status = 'requires_action';
  }
  const latestCharge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const redirectUrl = intent.next_action?.redirect_to_url?.url ?? undefined;
  const card = cardOf(latestCharge);
  return {
    gatewayPaymentId: intent.id,
    reference: intent.metadata?.reference ?? null,
    status,
    amount: intent.amount,
    currency: upper(intent.currency),
    amountRefunded: latestCharge?.amount_refunded ?? 0,
    ...(status === 'requires_action' && redirectUrl ? { redirectUrl } : {}),
    ...(failure ? { failure } : {}),
    ...(card ? { card } : {}),
  };
}

/**
 * When a Checkout session stops taking the payment (Unix seconds): the attempt's expiry, kept within Stripe's
 * bounds for `expires_at` (at least 30 minutes after the session's creation — a minute more, for the clocks — and
 * at most 24 hours).
 */
export function checkoutExpiresAt(expiresAt: string, now: Date): number {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const wanted = Math.floor(Date.parse(expiresAt) / 1000);
  return Math.min(Math.max(wanted, nowSeconds + 31 * 60), nowSeconds + 24 * 3600);
}

/**
 * The metadata mark of a PaymentIntent that Checkout made for one of our sessions: such a payment is settled by
 * its session's events (`checkout.session.*`), so its own `payment_intent.*` events are acknowledged and left —
 * a declined card on Checkout is not the end of the attempt, the client may try another on the same page.
 */
const MADE_BY_CHECKOUT = { via: 'checkout' } as const;

/** References are our ids; anything else would need escaping in Stripe's search query language. */
const SAFE_REFERENCE = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The Stripe adapter. Card entry happens on Stripe Checkout (hosted), so card numbers never reach Portico;
 * payments are PaymentIntents (created by Checkout, or directly and off session for saved cards); saved cards come
 * from Checkout in setup mode (a SetupIntent) and are kept as `customer|payment_method` tokens.
 */
export class StripeGateway implements PaymentGateway {
  readonly kind = 'stripe' as const;
  readonly acceptsTestCards = false;
  readonly testMode: boolean;
  private readonly stripe: Stripe;

  constructor(
    private readonly ctx: AppContext,
    private readonly organizationId: string,
    private readonly credentials: StripeCredentials,
    endpoint?: StripeEndpoint,
    /** `full_address`: Checkout asks for the whole billing address, for the card's address verification. */
    private readonly options: { addressFields?: 'postal_code' | 'full_address' } = {},
  ) {
    this.testMode = isStripeTestKey(credentials.secretKey);
    const Library = stripeLibrary();
    this.stripe = new Library(credentials.secretKey, {
      maxNetworkRetries: 2,
      timeout: 30_000,
      ...(endpoint ?? {}),
    });
  }

  async createPayment(input: CreatePaymentInput): Promise<GatewayPayment> {
    if (input.testCard) throw new RangeError('Test cards are for the sandbox gateway only.');
    const metadata = { reference: input.reference, organizationId: input.organizationId };
    try {
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: input.currency.toLowerCase(),
                unit_amount: input.amount,
                product_data: { name: input.description.slice(0, 250) || 'Payment' },
              },
            },
          ],
          client_reference_id: input.reference,
          ...(input.customer.email ? { customer_email: input.customer.email } : {}),
          ...(this.options.addressFields === 'full_address' ? { billing_address_collection: 'required' } : {}),
          metadata,
          payment_intent_data: {
            metadata: { ...metadata, ...MADE_BY_CHECKOUT },
            description: input.description.slice(0, 1000),
          },
          ...(input.expiresAt ? { expires_at: checkoutExpiresAt(input.expiresAt, this.ctx.now()) } : {}),
          success_url: input.returnUrl,
          cancel_url: input.cancelUrl ?? input.returnUrl,
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return this.paymentOfSession(session, input.amount, input.currency);
    } catch (error) {
      return this.failedPayment(error, input);
    }
  }

  async getPayment(gatewayPaymentId: string): Promise<GatewayPayment | null> {
    try {
      if (gatewayPaymentId.startsWith('cs_')) {
        const session = await this.stripe.checkout.sessions.retrieve(gatewayPaymentId, {
          expand: ['payment_intent', 'payment_intent.latest_charge'],
        });
        return this.paymentOfSession(session, session.amount_total ?? 0, session.currency ?? '');
      }
      const intent = await this.stripe.paymentIntents.retrieve(gatewayPaymentId, { expand: ['latest_charge'] });
      return paymentOfIntent(intent);
    } catch (error) {
      if (isStripeError(error) && error.statusCode === 404) return null;
      return rethrow(error);
    }
  }

  /**
   * A Checkout session is expired (Stripe's "expire" call), a PaymentIntent canceled; either fails when the client
   * paid meanwhile (or it ended already), and then what it is now is read back.
   */
  async cancelPayment(gatewayPaymentId: string): Promise<GatewayPayment | null> {
    try {
      if (gatewayPaymentId.startsWith('cs_')) await this.stripe.checkout.sessions.expire(gatewayPaymentId);
      else await this.stripe.paymentIntents.cancel(gatewayPaymentId);
    } catch (error) {
      if (!isStripeError(error) || error.type !== 'StripeInvalidRequestError') return rethrow(error);
    }
    return this.getPayment(gatewayPaymentId);
  }

  /**
   * Stripe's search over the PaymentIntents' metadata. Stripe's search index lags by up to about a minute, so
   * the reconciler should look again later before deciding that no charge exists.
   */
  async findPaymentByReference(reference: string): Promise<GatewayPayment | null> {
    if (!SAFE_REFERENCE.test(reference)) throw new RangeError('A reference is letters, digits, _ and -.');
    try {
      const found = await this.stripe.paymentIntents.search({
        query: `metadata['reference']:'${reference}'`,
        limit: 10,
        expand: ['data.latest_charge'],
      });
      const newest = [...found.data].sort((a, b) => b.created - a.created)[0];
      return newest ? paymentOfIntent(newest) : null;
    } catch (error) {
      return rethrow(error);
    }
  }

  async setUpSavedCard(input: SetUpSavedCardInput): Promise<SavedCardSetup> {
    if (input.testCard) throw new RangeError('Test cards are for the sandbox gateway only.');
    const metadata = { reference: input.reference, organizationId: input.organizationId, usage: input.usage };
    try {
      const customer = await this.stripe.customers.create(
        { name: input.customer.name, ...(input.customer.email ? { email: input.customer.email } : {}), metadata },
        { idempotencyKey: `${input.idempotencyKey}:customer` },
      );
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'setup',
          currency: 'usd',
          customer: customer.id,
          client_reference_id: input.reference,
          metadata,
          setup_intent_data: { metadata },
          success_url: input.returnUrl,
          cancel_url: input.returnUrl,
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return this.setupOfSession(session);
    } catch (error) {
      const failure = isStripeError(error) ? failureOfStripeError(error) : null;
      if (!failure) return rethrow(error);
      return { setupId: '', reference: input.reference, status: 'failed', failure };
    }
  }

  async getSavedCardSetup(setupId: string): Promise<SavedCardSetup | null> {
    try {
      const session = await this.stripe.checkout.sessions.retrieve(setupId, { expand: ['setup_intent'] });
      return this.setupOfSession(session);
    } catch (error) {
      if (isStripeError(error) && error.statusCode === 404) return null;
      return rethrow(error);
    }
  }

  async chargeSavedCard(input: ChargeSavedCardInput): Promise<GatewayPayment> {
    const [customer, paymentMethod] = input.savedCard.split('|');
    if (!customer || !paymentMethod) throw new RangeError('Not a Stripe saved-card token.');
    const metadata = {
      reference: input.reference,
      organizationId: input.organizationId,
      recurring: input.recurring ? 'true' : 'false',
    };
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          customer,
          payment_method: paymentMethod,
          off_session: true,
          confirm: true,
          description: input.description.slice(0, 1000),
          metadata,
          expand: ['latest_charge'],
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return paymentOfIntent(intent);
    } catch (error) {
      return this.failedPayment(error, input);
    }
  }

  async refund(input: RefundInput): Promise<GatewayRefund> {
    try {
      let paymentIntent = input.gatewayPaymentId;
      if (paymentIntent.startsWith('cs_')) {
        const session = await this.stripe.checkout.sessions.retrieve(paymentIntent);
        const intent = session.payment_intent;
        if (!intent) {
          return {
            gatewayRefundId: '',
            status: 'failed',
            amount: input.amount,
            failure: { code: 'processing_error', message: 'Nothing was paid on this checkout.' },
          };
        }
        paymentIntent = typeof intent === 'string' ? intent : intent.id;
      }
      const refund = await this.stripe.refunds.create(
        { payment_intent: paymentIntent, amount: input.amount, metadata: { reference: input.reference } },
        { idempotencyKey: input.idempotencyKey },
      );
      const status =
        refund.status === 'succeeded'
          ? 'succeeded'
          : refund.status === 'failed' || refund.status === 'canceled'
            ? 'failed'
            : 'pending';
      return {
        gatewayRefundId: refund.id,
        status,
        amount: refund.amount,
        ...(status === 'failed'
          ? { failure: { code: 'processing_error', message: `The refund ${refund.status}.` } }
          : {}),
      };
    } catch (error) {
      const failure =
        isStripeError(error) && error.type === 'StripeInvalidRequestError'
          ? { code: 'processing_error' as const, message: error.message }
          : isStripeError(error)
            ? failureOfStripeError(error)
            : null;
      if (!failure) return rethrow(error);
      return { gatewayRefundId: '', status: 'failed', amount: input.amount, failure };
    }
  }

  verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): GatewayEvent {
    const signature = headers['stripe-signature'];
    if (typeof signature !== 'string') throw new WebhookVerificationError('No Stripe-Signature header.');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.credentials.webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
        undefined,
        // Milliseconds (the library divides by 1000): the app's clock, so tests can move it.
        this.ctx.now().getTime(),
      );
    } catch (error) {
      throw new WebhookVerificationError(error instanceof Error ? error.message : 'The signature is not valid.');
    }
    return eventOfStripe(event);
  }

  // ---------------------------------------------------------------------------------------------------------

  private paymentOfSession(session: Stripe.Checkout.Session, amount: number, currency: string): GatewayPayment {
    const intent = session.payment_intent;
    if (intent && typeof intent === 'object') {
      const payment = paymentOfIntent(intent);
      // Expired unpaid (its PaymentIntent canceled, or a declined card left behind): the page's time ran out.
      if (session.status === 'expired' && payment.status !== 'succeeded' && payment.status !== 'processing') {
        return {
          ...payment,
          gatewayPaymentId: session.id,
          status: 'failed',
          failure: { code: 'checkout_expired', message: 'The Checkout session expired.' },
        };
      }
      // The client may still finish on Checkout after a failed card: keep the session's page.
      if (session.status === 'open' && payment.status !== 'succeeded' && session.url) {
        return { ...payment, gatewayPaymentId: session.id, status: 'requires_action', redirectUrl: session.url };
      }
      return { ...payment, gatewayPaymentId: session.id };
    }
    const base = {
      gatewayPaymentId: session.id,
      reference: session.client_reference_id ?? session.metadata?.reference ?? null,
      amount: session.amount_total ?? amount,
      currency: upper(session.currency ?? currency),
      amountRefunded: 0,
    };
    if (session.status === 'expired') {
      return {
        ...base,
        status: 'failed',
        failure: { code: 'checkout_expired', message: 'The Checkout session expired.' },
      };
    }
    if (session.status === 'complete') {
      return { ...base, status: session.payment_status === 'paid' ? 'succeeded' : 'processing' };
    }
    return { ...base, status: 'requires_action', ...(session.url ? { redirectUrl: session.url } : {}) };
  }

  private setupOfSession(session: Stripe.Checkout.Session): SavedCardSetup {
    const reference = session.client_reference_id ?? session.metadata?.reference ?? null;
    const intent = typeof session.setup_intent === 'object' ? session.setup_intent : null;
    const customer = typeof session.customer === 'string' ? session.customer : (session.customer?.id ?? null);
    if (intent?.status === 'succeeded' && customer && intent.payment_method) {
      const paymentMethod =
        typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method.id;
      return { setupId: session.id, reference, status: 'succeeded', savedCard: `${customer}|${paymentMethod}` };
    }
    if (session.status === 'expired' || intent?.status === 'canceled') {
      return {
        setupId: session.id,
        reference,
        status: 'failed',
        failure: { code: 'checkout_expired', message: 'The card was not saved before the page expired.' },
      };
    }
    return {
      setupId: session.id,
      reference,
      status: 'requires_action',
      ...(session.url ? { redirectUrl: session.url } : {}),
    };
  }

  private failedPayment(
    error: unknown,
    input: { reference: string; amount: number; currency: string },
  ): GatewayPayment {
    const failure = isStripeError(error) ? failureOfStripeError(error) : null;
    if (!isStripeError(error) || !failure) return rethrow(error);
    const intent = error.payment_intent;
    return {
      gatewayPaymentId: intent?.id ?? null,
      reference: input.reference,
      status: 'failed',
      amount: input.amount,
      currency: input.currency,
      amountRefunded: 0,
      failure,
    };
  }
}

const EVENT_TYPES: Record<string, GatewayEventType> = {
  'payment_intent.succeeded': 'payment.succeeded',
  'payment_intent.payment_failed': 'payment.failed',
  'payment_intent.processing': 'payment.processing',
  'payment_intent.requires_action': 'payment.requires_action',
  'payment_intent.canceled': 'payment.failed',
};

/**
 * A Checkout session's event in payment mode, in our words: `completed` is paid (or, for a delayed payment method
 * such as a bank debit, still processing until `async_payment_succeeded|failed`); `expired` ends it unpaid.
 */
function checkoutPaymentOutcome(
  type: string,
  session: Stripe.Checkout.Session,
): { type: GatewayEventType; status: PaymentStatus | null; failure?: GatewayFailure } {
  switch (type) {
    case 'checkout.session.completed':
      return session.payment_status === 'unpaid'
        ? { type: 'payment.processing', status: 'processing' }
        : { type: 'payment.succeeded', status: 'succeeded' };
    case 'checkout.session.async_payment_succeeded':
      return { type: 'payment.succeeded', status: 'succeeded' };
    case 'checkout.session.async_payment_failed':
      return {
        type: 'payment.failed',
        status: 'failed',
        failure: { code: 'processing_error', message: 'The delayed payment method failed after Checkout.' },
      };
    case 'checkout.session.expired':
      return {
        type: 'payment.failed',
        status: 'failed',
        failure: { code: 'checkout_expired', message: 'The Checkout session expired.' },
      };
    default:
      return { type: 'other', status: null };
  }
}

/** A Stripe event in our words; the metadata we set on every object gives the reference and organization. */
export function eventOfStripe(event: Stripe.Event): GatewayEvent {
  const object = event.data.object as unknown as Record<string, unknown> & { metadata?: Record<string, string> };
  const metadata = object.metadata ?? {};
  const base = {
    id: event.id,
    gatewayType: event.type,
    organizationId: metadata.organizationId ?? null,
    reference: metadata.reference ?? (object.client_reference_id as string | undefined) ?? null,
    createdAt: new Date(event.created * 1000).toISOString(),
  };
  if (event.type.startsWith('payment_intent.')) {
    const payment = paymentOfIntent(object as unknown as Stripe.PaymentIntent);
    const madeByCheckout = metadata.via === MADE_BY_CHECKOUT.via;
    return {
      ...base,
      type: madeByCheckout ? 'other' : (EVENT_TYPES[event.type] ?? 'other'),
      gatewayPaymentId: payment.gatewayPaymentId,
      amount: payment.amount,
      currency: payment.currency,
      status: payment.status,
      ...(payment.failure ? { failure: payment.failure } : {}),
    };
  }
  if (event.type === 'charge.refunded') {
    const charge = object as unknown as Stripe.Charge;
    const intent =
      typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null);
    return {
      ...base,
      type: 'payment.refunded',
      gatewayPaymentId: intent,
      amount: charge.amount,
      currency: upper(charge.currency),
      status: 'succeeded',
      amountRefunded: charge.amount_refunded,
    };
  }
  if (event.type.startsWith('checkout.session.')) {
    const session = object as unknown as Stripe.Checkout.Session;
    const money = {
      gatewayPaymentId: session.id,
      amount: session.amount_total ?? null,
      currency: session.currency ? upper(session.currency) : null,
    };
    if (session.mode === 'setup') {
      const expired = event.type === 'checkout.session.expired';
      if (!expired && event.type !== 'checkout.session.completed') {
        return { ...base, ...money, type: 'other', status: null };
      }
      return {
        ...base,
        ...money,
        type: expired ? 'card_setup.failed' : 'card_setup.succeeded',
        status: expired ? 'failed' : 'succeeded',
        ...(expired
          ? { failure: { code: 'checkout_expired' as const, message: 'The Checkout session expired.' } }
          : {}),
      };
    }
    const outcome = checkoutPaymentOutcome(event.type, session);
    return { ...base, ...money, ...outcome };
  }
  return { ...base, type: 'other', gatewayPaymentId: null, amount: null, currency: null, status: null };
}
