import type { AppContext } from '../../context.js';
import { type GatewayKind, WebhookVerificationError } from '../../payments/gateway.js';
import { webhookVerifierFor } from '../../payments/gateway-config.js';
import { hasSandboxWebhookSink, setSandboxWebhookSink } from '../../payments/sandbox/webhooks.js';
import { failAttempt, settleAttempt } from '../online-payments/index.js';
import { completeAutopaySetupFromWebhook } from '../portal-autopay/index.js';

/**
 * Gateway webhooks at `/api/webhooks/{kind}/{organizationId}` (the URL the payment-gateway settings show).
 * Each event: the signature verified over the raw body (300 s tolerance) with the gateway the URL names; the
 * organization in the event must be the URL's; an event for one of our attempts must carry its amount and
 * currency (and its charge id, once known); then it settles or fails the attempt through the one path the
 * direct call and the reconciler use, whose compare-and-set makes a replay change nothing. Event ids are
 * recorded after processing, so a replay is answered at once, and a crash mid-way is simply processed again.
 */

export interface WebhookAnswer {
  status: 200 | 400 | 404;
  body: { received: boolean; duplicate?: boolean; error?: string };
}

const rejected = (error: string): WebhookAnswer => ({ status: 400, body: { received: false, error } });

export async function handleGatewayWebhook(
  ctx: AppContext,
  kind: GatewayKind,
  organizationId: string,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<WebhookAnswer> {
  const verifier = await webhookVerifierFor(ctx, organizationId, kind);
  if (!verifier) return { status: 404, body: { received: false, error: 'No such webhook endpoint.' } };
  let event: ReturnType<typeof verifier.verifyWebhook>;
  try {
    event = verifier.verifyWebhook(rawBody, headers);
  } catch (error) {
    if (error instanceof WebhookVerificationError) return rejected('The signature could not be verified.');
    throw error;
  }
  if (event.organizationId !== organizationId) return rejected('The event is for another organization.');
  const seen = await ctx.db.kysely
    .selectFrom('processedWebhookEvents')
    .select('eventId')
    .where('gateway', '=', kind)
    .where('eventId', '=', event.id)
    .executeTakeFirst();
  if (seen) return { status: 200, body: { received: true, duplicate: true } };

  const ours = event.reference?.startsWith('pat_') ?? false;
  if (ours && (event.type === 'payment.succeeded' || event.type === 'payment.failed')) {
    const attempt = await ctx.db.kysely
      .selectFrom('paymentAttempts')
      .select(['id', 'amount', 'currency', 'gatewayPaymentId'])
      .where('id', '=', event.reference as string)
      .where('organizationId', '=', organizationId)
      .executeTakeFirst();
    if (!attempt) return rejected('No such payment attempt in this organization.');
    if (event.amount !== attempt.amount || event.currency !== attempt.currency) {
      return rejected("The event's amount or currency is not the payment attempt's.");
    }
    if (attempt.gatewayPaymentId && event.gatewayPaymentId !== attempt.gatewayPaymentId) {
      return rejected("The event's charge is not the payment attempt's.");
    }
    if (event.type === 'payment.succeeded') {
      await settleAttempt(ctx, attempt.id, {
        gatewayPaymentId: event.gatewayPaymentId,
        amount: event.amount,
        currency: event.currency,
      });
    } else {
      await failAttempt(
        ctx,
        attempt.id,
        event.failure ?? { code: 'processing_error', message: 'The gateway reported a failure.' },
        { gatewayPaymentId: event.gatewayPaymentId },
      );
    }
  }
  // A card saved for autopay on the gateway's page (reference: our card row): read back from the gateway.
  if (
    event.reference?.startsWith('apc_') &&
    (event.type === 'card_setup.succeeded' || event.type === 'card_setup.failed')
  ) {
    const known = await completeAutopaySetupFromWebhook(ctx, organizationId, event.reference, event.gatewayPaymentId);
    if (!known) return rejected('No such card set-up in this organization.');
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
