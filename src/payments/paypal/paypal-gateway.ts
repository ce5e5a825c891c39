import { createRequire } from 'node:module';
import type * as PayPalSdk from '@paypal/paypal-server-sdk';
import type { Order } from '@paypal/paypal-server-sdk';
import type { AppContext } from '../../context.js';
import {
  type CreatePaymentInput,
  type GatewayEvent,
  type GatewayFailure,
  type GatewayPayment,
  type GatewayRefund,
  GatewayUnavailableError,
  type PaymentGateway,
  type RefundInput,
  type SavedCardSetup,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookVerificationError,
} from '../gateway.js';
import { customIdOf, paymentOfOrder, paypalValue } from './orders.js';
import { eventOfPayPal, TRANSMISSION_HEADERS } from './webhooks.js';

export interface PayPalCredentials {
  /** The REST app's client id and secret (PayPal Developer Dashboard → Apps & Credentials). */
  clientId: string;
  clientSecret: string;
  /** The id PayPal gave the webhook made for Portico's URL: PayPal verifies each delivery against it. */
  webhookId: string;
  /** `sandbox`: PayPal's sandbox, whose payments move no money (test mode); `live`: real money. */
  environment: 'sandbox' | 'live';
}

const ORIGINS = { live: 'https://api-m.paypal.com', sandbox: 'https://api-m.sandbox.paypal.com' } as const;

/** PayPal's SDK, loaded when a PayPal gateway is first used: an installation without one never loads it. */
let library: typeof PayPalSdk | undefined;
const paypalLibrary = (): typeof PayPalSdk => {
  library ??= createRequire(import.meta.url)('@paypal/paypal-server-sdk') as typeof PayPalSdk;
  return library;
};

/**
 * Sends the SDK's requests to `origin` instead of PayPal's (tests: a local fake). The SDK knows only PayPal's two
 * hosts; its HTTP client (axios) takes a `fetch` to use, which keeps the path and changes the host.
 */
function fetchAt(origin: string): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = new URL(url.pathname + url.search, origin);
    return input instanceof Request ? fetch(new Request(target, input), init) : fetch(target, init);
  };
}

interface PayPalErrorBody {
  name?: string;
  message?: string;
  details?: Array<{ issue?: string; description?: string }>;
}

const issuesOf = (body: PayPalErrorBody): string[] => (body.details ?? []).map((detail) => detail.issue ?? '');

/**
 * What a PayPal refusal means for a payment: a CP code where PRODUCT.md §6 names the condition, a decline, or
 * null when it is not a payment outcome. Unknown outcomes (PayPal down, 5xx, 429) throw GatewayUnavailableError.
 */
function failureOf(error: unknown): GatewayFailure | null {
  const { ApiError } = paypalLibrary();
  if (!(error instanceof ApiError)) {
    // No answer at all (connection refused, reset, timed out; the SDK's HTTP client is axios): outcome unknown.
    if (error instanceof Error && NO_ANSWER.includes(error.name)) {
      throw new GatewayUnavailableError(`PayPal did not answer: ${error.message}`);
    }
    return null;
  }
  if (error.statusCode >= 500 || error.statusCode === 429) {
    throw new GatewayUnavailableError(`PayPal answered ${error.statusCode}.`);
  }
  const body = (typeof error.result === 'object' && error.result !== null ? error.result : {}) as PayPalErrorBody;
  const message = body.details?.[0]?.description ?? body.message ?? `PayPal refused the request (${error.statusCode}).`;
  const issues = issuesOf(body);
  if (error.statusCode === 401 || error.statusCode === 403) return { code: 'CP3002', message };
  if (issues.some((issue) => issue.startsWith('CURRENCY_NOT_SUPPORTED') || issue === 'INVALID_CURRENCY_CODE')) {
    return { code: 'CP4003', message };
  }
  if (issues.includes('INSTRUMENT_DECLINED') || issues.includes('TRANSACTION_REFUSED')) {
    return { code: 'card_declined', message };
  }
  if (issues.includes('DUPLICATE_INVOICE_ID')) return { code: 'CP3005', message };
  return null;
}

/** The names of the errors of a request that got no answer: axios's (network, timeout) and fetch's. */
const NO_ANSWER = ['AxiosError', 'AbortError', 'TimeoutError'];

const isNotFound = (error: unknown) => error instanceof paypalLibrary().ApiError && error.statusCode === 404;

/** PayPal does not save payment methods for later in this build: gateway choice never asks it to. */
const NO_SAVED_CARDS: GatewayFailure = { code: 'CP3001', message: 'PayPal does not keep cards on file in Portico.' };

/**
 * The PayPal adapter: Orders v2 with the payer approving on PayPal's page. `createPayment` creates the order and
 * sends the client to PayPal; once approved, the order is captured — by `getPayment`, which the return page, the
 * approval's webhook and the reconciler all call while the attempt still wants the money — and the capture settles
 * the attempt through the one settle path (so whichever comes first wins). Captures carry PayPal-Request-Id
 * `capture:<order>`, so two at once capture once.
 */
export class PayPalGateway implements PaymentGateway {
  readonly kind = 'paypal' as const;
  readonly acceptsTestCards = false;
  readonly testMode: boolean;
  private readonly origin: string;
  private readonly client: PayPalSdk.Client;
  private readonly orders: PayPalSdk.OrdersController;
  private readonly payments: PayPalSdk.PaymentsController;

  constructor(
    private readonly ctx: AppContext,
    private readonly credentials: PayPalCredentials,
    /** Another server than PayPal's (tests: a local fake); PayPal's for the environment when absent. */
    origin?: string,
  ) {
    this.testMode = credentials.environment === 'sandbox';
    this.origin = origin ?? ORIGINS[credentials.environment];
    const sdk = paypalLibrary();
    this.client = new sdk.Client({
      environment: credentials.environment === 'live' ? sdk.Environment.Production : sdk.Environment.Sandbox,
      clientCredentialsAuthCredentials: {
        oAuthClientId: credentials.clientId,
        oAuthClientSecret: credentials.clientSecret,
      },
      timeout: 30_000,
      ...(origin ? { unstable_httpClientOptions: { adapter: 'fetch', env: { fetch: fetchAt(origin) } } } : {}),
    });
    this.orders = new sdk.OrdersController(this.client);
    this.payments = new sdk.PaymentsController(this.client);
  }

  async createPayment(input: CreatePaymentInput): Promise<GatewayPayment> {
    if (input.testCard) throw new RangeError('Test cards are for the sandbox gateway only.');
    const refused = (failure: GatewayFailure): GatewayPayment => ({
      gatewayPaymentId: null,
      reference: input.reference,
      status: 'failed',
      amount: input.amount,
      currency: input.currency,
      amountRefunded: 0,
      failure,
    });
    const value = paypalValue(input.amount, input.currency);
    if (value === null) return refused({ code: 'CP4003', message: `PayPal cannot take ${input.currency}.` });
    const sdk = paypalLibrary();
    try {
      const { result } = await this.orders.createOrder({
        body: {
          intent: sdk.CheckoutPaymentIntent.Capture,
          purchaseUnits: [
            {
              referenceId: input.reference,
              customId: customIdOf(input.organizationId, input.reference),
              description: input.description.slice(0, 127),
              amount: { currencyCode: input.currency, value },
            },
          ],
          paymentSource: {
            paypal: {
              experienceContext: {
                returnUrl: input.returnUrl,
                cancelUrl: input.cancelUrl ?? input.returnUrl,
                userAction: sdk.PaypalExperienceUserAction.PayNow,
                shippingPreference: sdk.PaypalWalletContextShippingPreference.NoShipping,
              },
            },
          },
        },
        paypalRequestId: input.idempotencyKey,
        prefer: 'return=representation',
      });
      return paymentOfOrder(result);
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      return refused(failure);
    }
  }

  /**
   * How the order stands; an approved order is captured first (the payer said yes on PayPal's page). Callers ask
   * only while the attempt still wants the money, so an approval that comes after Portico gave up is never taken.
   */
  async getPayment(gatewayPaymentId: string): Promise<GatewayPayment | null> {
    let order: Order;
    try {
      order = (await this.orders.getOrder({ id: gatewayPaymentId })).result;
    } catch (error) {
      if (isNotFound(error)) return null;
      failureOf(error);
      throw error;
    }
    if ((order.status as string | undefined) !== 'APPROVED') return paymentOfOrder(order);
    return this.capture(order);
  }

  private async capture(order: Order): Promise<GatewayPayment> {
    const id = order.id ?? '';
    try {
      const { result } = await this.orders.captureOrder({
        id,
        paypalRequestId: `capture:${id}`,
        prefer: 'return=representation',
      });
      return paymentOfOrder(result);
    } catch (error) {
      const failure = failureOf(error);
      const body = error instanceof paypalLibrary().ApiError ? (error.result as PayPalErrorBody) : {};
      const issues = issuesOf(body ?? {});
      // Captured meanwhile (another caller, another key): read it back.
      if (issues.includes('ORDER_ALREADY_CAPTURED')) return (await this.getPayment(id)) ?? paymentOfOrder(order);
      // The payer has to act again on PayPal's page (another funding source): still waiting for them.
      if (issues.includes('ORDER_NOT_APPROVED') || issues.includes('PAYER_ACTION_REQUIRED')) {
        return { ...paymentOfOrder(order), status: 'requires_action' };
      }
      if (!failure) throw error;
      // The payer's funding source was declined at capture: the attempt ends; the client may pay again.
      return { ...paymentOfOrder(order), status: 'failed', failure };
    }
  }

  /**
   * PayPal has no call that closes an order's page: an order nobody approved lapses on its own (after 3 hours),
   * and Portico never captures one for an attempt it gave up. So "cancel" reads the order: approved meanwhile, it
   * is captured and the caller settles it; otherwise it is reported failed and the attempt lets go.
   */
  async cancelPayment(gatewayPaymentId: string): Promise<GatewayPayment | null> {
    const payment = await this.getPayment(gatewayPaymentId);
    if (payment?.status !== 'requires_action') return payment;
    return {
      ...payment,
      status: 'failed',
      failure: { code: 'checkout_cancelled', message: 'Portico will not take this PayPal order.' },
    };
  }

  /**
   * PayPal cannot search orders by our reference. An order whose id Portico never stored was never shown to the
   * client (the approval link comes with the id), so nobody can have approved it: there is nothing to find.
   */
  async findPaymentByReference(_reference: string): Promise<GatewayPayment | null> {
    return null;
  }

  async setUpSavedCard(input: { reference: string }): Promise<SavedCardSetup> {
    return { setupId: '', reference: input.reference, status: 'failed', failure: NO_SAVED_CARDS };
  }

  async getSavedCardSetup(): Promise<SavedCardSetup | null> {
    return null;
  }

  async chargeSavedCard(input: { reference: string; amount: number; currency: string }): Promise<GatewayPayment> {
    return { ...input, gatewayPaymentId: null, status: 'failed', amountRefunded: 0, failure: NO_SAVED_CARDS };
  }

  async refund(input: RefundInput): Promise<GatewayRefund> {
    const failed = (message: string): GatewayRefund => ({
      gatewayRefundId: '',
      status: 'failed',
      amount: input.amount,
      failure: { code: 'processing_error', message },
    });
    try {
      const { result: order } = await this.orders.getOrder({ id: input.gatewayPaymentId });
      const unit = order.purchaseUnits?.[0];
      const capture = unit?.payments?.captures?.[0];
      const currency = unit?.amount?.currencyCode ?? '';
      const value = paypalValue(input.amount, currency);
      if (!capture?.id || value === null) return failed('Nothing was captured on this PayPal order.');
      const { result } = await this.payments.refundCapturedPayment({
        captureId: capture.id,
        paypalRequestId: input.idempotencyKey,
        prefer: 'return=representation',
        body: { amount: { currencyCode: currency, value }, customId: unit?.customId ?? input.reference },
      });
      const status = result.status as string | undefined;
      if (status === 'FAILED' || status === 'CANCELLED') return failed(`The refund ${status.toLowerCase()}.`);
      return {
        gatewayRefundId: result.id ?? '',
        status: status === 'COMPLETED' ? 'succeeded' : 'pending',
        amount: input.amount,
      };
    } catch (error) {
      const failure = failureOf(error);
      if (error instanceof paypalLibrary().ApiError && error.statusCode < 500) {
        return failed(failure?.message ?? `PayPal refused the refund (${error.statusCode}).`);
      }
      throw error;
    }
  }

  /**
   * PayPal's way (its "verify webhook signature" API): the transmission headers, the webhook's id and the event,
   * exactly as received, are posted to PayPal, which answers SUCCESS or FAILURE. The transmission time must be
   * within the tolerance of SECURITY.md, so an old delivery replayed is refused even when PayPal signed it.
   */
  async verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<GatewayEvent> {
    const header = (name: string) => {
      const value = headers[name];
      if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
        throw new WebhookVerificationError(`No ${name} header.`);
      }
      return value;
    };
    const sent = {
      auth_algo: header(TRANSMISSION_HEADERS.authAlgo),
      cert_url: header(TRANSMISSION_HEADERS.certUrl),
      transmission_id: header(TRANSMISSION_HEADERS.transmissionId),
      transmission_sig: header(TRANSMISSION_HEADERS.transmissionSig),
      transmission_time: header(TRANSMISSION_HEADERS.transmissionTime),
    };
    const age = Math.abs(this.ctx.now().getTime() - Date.parse(sent.transmission_time)) / 1000;
    if (!(age <= WEBHOOK_TOLERANCE_SECONDS)) throw new WebhookVerificationError('The delivery is too old or too new.');
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new WebhookVerificationError('The body is not JSON.');
    }
    if (typeof event !== 'object' || event === null || typeof event.id !== 'string') {
      throw new WebhookVerificationError('The body is not a PayPal event.');
    }
    // The event goes back byte for byte (PayPal verifies what it sent, not a re-serialization of it).
    const fields = JSON.stringify({ ...sent, webhook_id: this.credentials.webhookId });
    const body = `${fields.slice(0, -1)},"webhook_event":${rawBody.toString('utf8')}}`;
    let answer: Response;
    try {
      const token = await this.client.clientCredentialsAuthManager.fetchToken();
      answer = await fetch(new URL('/v1/notifications/verify-webhook-signature', this.origin), {
        method: 'POST',
        headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      if (error instanceof paypalLibrary().ApiError && error.statusCode < 500 && error.statusCode !== 429) {
        throw new WebhookVerificationError('PayPal refused the credentials: the event cannot be verified.');
      }
      throw new GatewayUnavailableError(`PayPal could not verify the event: ${(error as Error).message}`);
    }
    if (answer.status >= 500 || answer.status === 429) {
      throw new GatewayUnavailableError(`PayPal answered ${answer.status} to the verification.`);
    }
    const verdict = (await answer.json().catch(() => ({}))) as { verification_status?: string };
    if (!answer.ok || verdict.verification_status !== 'SUCCESS') {
      throw new WebhookVerificationError('PayPal did not verify the signature.');
    }
    return eventOfPayPal(event);
  }
}
