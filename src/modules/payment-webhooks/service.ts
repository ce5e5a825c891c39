import type { AppContext } from '../../context.js';
import {
  type GatewayEvent,
  type GatewayEventType,
  type GatewayKind,
  GatewayUnavailableError,
  WebhookVerificationError,
} from '../../payments/gateway.js';
import { gatewayById, webhookVerifiersFor } from '../../payments/gateway-config.js';
import { hasSandboxWebhookSink, setSandboxWebhookSink } from '../../payments/sandbox/webhooks.js';
import { applyGatewayOutcome, failAttempt, LIVE_STATUSES, settleAttempt } from '../online-payments/index.js';
import { completeAutopaySetupFromWebhook } from '../portal-autopay/index.js';
import { noteGatewayRefund } from './refund-notice.js';

/**
 * Gateway webhooks at `/api/webhooks/{kind}/{gatewayId}` (the URL each payment gateway's settings show; the URL of
 * before several gateways, `/api/webhooks/{kind}/{organizationId}`, still works: it tries each of the
 * organization's gateways of that kind). Each event: the signature verified over the raw body (300 s tolerance)
 * with the gateway the URL names — a bad signature is the one thing answered 400. An event that is not about this organization's attempts or card
 * set-ups (another business on the same Stripe account, an object Portico never made, a type it does not use)
 * is acknowledged (200, `ignored`) and left alone, so that the gateway never counts it as a failure and never
 * disables the endpoint. An event for one of our attempts must carry its amount and currency (and its charge
 * id, while the attempt is open); then it settles or fails the attempt through the one path the direct call,
 * the return page and the reconciler use, whose compare-and-set makes a replay, a duplicate or a late event
 * change nothing. Event ids are recorded after processing, so a replay is answered at once, and a crash mid-way
 * is simply processed again. PayPal's approval (`payment.approved`) asks the gateway to take the money, as the return
 * page does; when the gateway cannot be reached (PayPal verifies its own signatures), the answer is 503 and the
 * gateway delivers the event again later.
 */

export interface WebhookAnswer {
  status: 200 | 400 | 404 | 503;
  body: { received: boolean; duplicate?: boolean; ignored?: boolean; error?: string };
}

const rejected = (error: string): WebhookAnswer => ({ status: 400, body: { received: false, error } });
const ignored: WebhookAnswer = { status: 200, body: { received: true, ignored: true } };
/** The gateway could not be asked (to verify the event, or to finish the payment): it delivers again later. */
const tryAgain: WebhookAnswer = {
  status: 503,
  body: { received: false, error: 'The payment gateway could not be reached; deliver the event again later.' },
};

export async function handleGatewayWebhook(
  ctx: AppContext,
  kind: GatewayKind,
  target: string,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<WebhookAnswer> {
  try {
    return await handleVerifiedOnce(ctx, kind, target, rawBody, headers);
  } catch (error) {
    if (error instanceof GatewayUnavailableError) return tryAgain;
    throw error;
  }
}

async function handleVerifiedOnce(
  ctx: AppContext,
  kind: GatewayKind,
  target: string,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<WebhookAnswer> {
  const verifiers = await webhookVerifiersFor(ctx, kind, target);
  if (verifiers.length === 0) return { status: 404, body: { received: false, error: 'No such webhook endpoint.' } };
  let verified: { event: GatewayEvent; organizationId: string } | null = null;
  for (const { verifier, organizationId } of verifiers) {
    try {
      verified = { event: await verifier.verifyWebhook(rawBody, headers), organizationId };
      break;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
    }
  }
  if (!verified) return rejected('The signature could not be verified.');
  const { event, organizationId } = verified;
  // Not this organization's (no metadata of ours, or another organization's): nothing of ours to change.
  if (event.organizationId !== organizationId) return ignored;
  const seen = await ctx.db.kysely
    .selectFrom('processedWebhookEvents')
    .select('eventId')
    .where('gateway', '=', kind)
    .where('eventId', '=', event.id)
    .executeTakeFirst();
  if (seen) return { status: 200, body: { received: true, duplicate: true } };

  let answer: WebhookAnswer = { status: 200, body: { received: true } };
  if (event.reference?.startsWith('pat_') && PAYMENT_EVENTS.includes(event.type)) {
    answer = await applyPaymentEvent(ctx, organizationId, event);
    if (answer.status !== 200) return answer;
  }
  // Refunded at the gateway: the business is told once (the event id is claimed with the notice).
  if (event.reference?.startsWith('pat_') && event.type === 'payment.refunded') {
    const noted = await noteGatewayRefund(ctx, kind, organizationId, event);
    if (noted === 'duplicate') return { status: 200, body: { received: true, duplicate: true } };
    if (noted === 'ignored') answer = ignored;
  }
  // A card saved for autopay on the gateway's page (reference: our card row): read back from the gateway.
  if (
    event.reference?.startsWith('apc_') &&
    (event.type === 'card_setup.succeeded' || event.type === 'card_setup.failed')
  ) {
    const known = await completeAutopaySetupFromWebhook(ctx, organizationId, event.reference, event.gatewayPaymentId);
    if (!known) answer = ignored;
  }
  await ctx.db.kysely
    .insertInto('processedWebhookEvents')
    .values({
      gateway: kind,
      eventId: event.id,
      organizationId,
      type: event.gatewayType,
      processedAt: ctx.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['gateway', 'eventId']).doNothing())
    .execute();
  return answer;
}

const PAYMENT_EVENTS: readonly GatewayEventType[] = [
  'payment.succeeded',
  'payment.failed',
  'payment.processing',
  'payment.approved',
];

/** A payment event for one of our attempts, checked against it, then applied through the one settle / fail path. */
async function applyPaymentEvent(ctx: AppContext, organizationId: string, event: GatewayEvent): Promise<WebhookAnswer> {
  const attempt = await ctx.db.kysely
    .selectFrom('paymentAttempts')
    .select(['id', 'status', 'amount', 'currency', 'gatewayId', 'gatewayPaymentId'])
    .where('id', '=', event.reference as string)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!attempt) return ignored;
  if (event.amount !== attempt.amount || event.currency !== attempt.currency) {
    return rejected("The event's amount or currency is not the payment attempt's.");
  }
  if (attempt.gatewayPaymentId && event.gatewayPaymentId !== attempt.gatewayPaymentId) {
    // Settled or given up another way already (an event that arrived late): nothing left for it to do.
    if (!LIVE_STATUSES.includes(attempt.status)) return ignored;
    return rejected("The event's charge is not the payment attempt's.");
  }
  const charge = { gatewayPaymentId: event.gatewayPaymentId, amount: event.amount, currency: event.currency };
  if (event.type === 'payment.approved') {
    // The payer approved on the gateway's page (PayPal): the money is taken only while the attempt still wants
    // it — an approval after Portico gave up (cancelled, expired) lapses unpaid. The return page does the same.
    if (!LIVE_STATUSES.includes(attempt.status) || !event.gatewayPaymentId) return ignored;
    const gateway = await gatewayById(ctx, organizationId, attempt.gatewayId);
    const payment = gateway ? await gateway.getPayment(event.gatewayPaymentId) : null;
    if (payment) await applyGatewayOutcome(ctx, attempt.id, payment);
  } else if (event.type === 'payment.succeeded') {
    await settleAttempt(ctx, attempt.id, charge);
  } else if (event.type === 'payment.failed') {
    await failAttempt(
      ctx,
      attempt.id,
      event.failure ?? { code: 'processing_error', message: 'The gateway reported a failure.' },
      charge,
    );
  } else {
    // Paid with a delayed method: the page is done, the money is on its way; the reservation stays.
    await applyGatewayOutcome(ctx, attempt.id, {
      ...charge,
      reference: attempt.id,
      status: 'processing',
      amountRefunded: 0,
    });
  }
  return { status: 200, body: { received: true } };
}

/**
 * The sandbox delivers its webhooks in-process (no HTTP), through the same handler as the endpoint. A delivery
 * the handler could not finish (an exception) is left undelivered and redelivered by the scheduler. A sink set
 * before (a test's own) is left in place.
 */
export function installSandboxWebhookSink(ctx: AppContext): void {
  if (hasSandboxWebhookSink(ctx)) return;
  setSandboxWebhookSink(ctx, async (delivery) => {
    await handleGatewayWebhook(ctx, 'sandbox', delivery.organizationId, delivery.rawBody, delivery.headers);
  });
}
