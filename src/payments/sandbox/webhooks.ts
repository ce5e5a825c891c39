import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { deriveKey } from '../secret-box.js';
import { signWebhook } from '../webhook-signature.js';

/** The header the sandbox signs its webhooks with: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SANDBOX_SIGNATURE_HEADER = 'sandbox-signature';

/** A signed webhook on its way to the payment flow: exactly what an HTTP endpoint would receive. */
export interface SandboxWebhookDelivery {
  organizationId: string;
  eventId: string;
  rawBody: Buffer;
  headers: Record<string, string>;
}

/**
 * Where the sandbox delivers its webhooks: the payment flow registers a function (in-process, no HTTP), which
 * should verify the delivery with the gateway's `verifyWebhook` exactly as the HTTP endpoint does. A sink that
 * throws leaves the event undelivered; `deliverSandboxWebhooks` tries again.
 */
export type SandboxWebhookSink = (delivery: SandboxWebhookDelivery) => Promise<void>;

const sinks = new WeakMap<AppContext, SandboxWebhookSink>();

export function setSandboxWebhookSink(ctx: AppContext, sink: SandboxWebhookSink | null): void {
  if (sink) sinks.set(ctx, sink);
  else sinks.delete(ctx);
}

/** Whether a sink is registered (the payment flow installs its own only where none is, e.g. a test's). */
export function hasSandboxWebhookSink(ctx: AppContext): boolean {
  return sinks.has(ctx);
}

/**
 * The organization's sandbox webhook secret, derived from APP_SECRET (nothing to store or leak with the database).
 * Shown to nobody: the in-process sink needs no copy, and `verifyWebhook` derives it again.
 */
export function sandboxWebhookSecret(ctx: AppContext, organizationId: string): string {
  return `whsec_sbx_${deriveKey(ctx.config.appSecret, `sandbox-webhook-secret:${organizationId}`).toString('base64url')}`;
}

export interface SandboxEventData {
  kind: 'payment' | 'card_setup';
  gatewayPaymentId: string;
  reference: string;
  amount: number;
  currency: string;
  status: string;
  amountRefunded: number;
  failure: { code: string; message: string } | null;
  savedCard: string | null;
}

/** Records an event in the caller's transaction; deliver it after the commit with `deliverSandboxWebhooks`. */
export async function recordSandboxEvent(
  ctx: AppContext,
  trx: Transaction<Database>,
  organizationId: string,
  type: string,
  data: SandboxEventData,
): Promise<string> {
  const id = newId('sbevt');
  const createdAt = ctx.now().toISOString();
  const payload = JSON.stringify({ id, type, createdAt, organizationId, data });
  await trx
    .insertInto('sandboxWebhookDeliveries')
    .values({ id, organizationId, type, chargeId: data.gatewayPaymentId, payload, createdAt })
    .execute();
  return id;
}

/**
 * Signs and hands events to the sink: the given ones, or every undelivered one (oldest first). Each delivery is
 * signed at the time it is sent, as a processor re-signs its retries. Never throws: failures are recorded.
 */
export async function deliverSandboxWebhooks(ctx: AppContext, eventIds?: string[]): Promise<number> {
  const sink = sinks.get(ctx);
  if (!sink) return 0;
  let query = ctx.db.kysely
    .selectFrom('sandboxWebhookDeliveries')
    .select(['id', 'organizationId', 'payload'])
    .where('deliveredAt', 'is', null)
    .orderBy('createdAt')
    .orderBy('id')
    .limit(100);
  if (eventIds) {
    if (eventIds.length === 0) return 0;
    query = query.where('id', 'in', eventIds);
  }
  let delivered = 0;
  for (const event of await query.execute()) {
    const rawBody = Buffer.from(event.payload, 'utf8');
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    const signature = signWebhook(sandboxWebhookSecret(ctx, event.organizationId), timestamp, rawBody);
    let error: string | null = null;
    try {
      await sink({
        organizationId: event.organizationId,
        eventId: event.id,
        rawBody,
        headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signature },
      });
      delivered += 1;
    } catch (caught) {
      error = caught instanceof Error ? caught.message.slice(0, 500) : 'the sink failed';
    }
    await ctx.db.kysely
      .updateTable('sandboxWebhookDeliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        lastError: error,
        deliveredAt: error === null ? ctx.now().toISOString() : null,
      }))
      .where('id', '=', event.id)
      .execute();
  }
  return delivered;
}
