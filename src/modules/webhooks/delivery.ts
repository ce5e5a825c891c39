import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database, WebhookDeliveriesTable } from '../../db/schema.js';
import { retryDelayMs } from '../../notify/worker.js';
import { decryptSecret } from '../../payments/secret-box.js';
import { publicOnlyLookup, urlProblem } from './address-check.js';

/** After this many attempts (about five hours of back-off) a delivery is `failed`; the business may re-send it. */
export const MAX_DELIVERY_ATTEMPTS = 10;
/** The whole request, connection included. */
const TIMEOUT_MS = 10_000;
/** What is read of an answer at most; the rest is not waited for. */
const RESPONSE_READ_LIMIT = 64 * 1024;
/** What is kept of an answer for the delivery log. */
const RESPONSE_KEEP = 2_000;
const LOCK_MS = 60_000;

type Delivery = Selectable<WebhookDeliveriesTable>;

/**
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>`. The
 * receiver recomputes it and refuses a timestamp older than a few minutes (docs/webhooks.md).
 */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

const isDue = (now: string) => (eb: ExpressionBuilder<Database, 'webhookDeliveries'>) =>
  eb.or([
    eb.and([eb('status', '=', 'pending'), eb('nextAttemptAt', '<=', now)]),
    eb.and([eb('status', '=', 'sending'), eb('lockedUntil', '<=', now)]),
  ]);

/**
 * Claims due deliveries, one compare-and-set UPDATE each (it matches only while the row is still due), so that of
 * several workers — on PostgreSQL or on one SQLite file — only one sends a delivery. `attempts` is counted at the
 * claim and is the claim's token for the writes after the send.
 */
async function claim(ctx: AppContext, batchSize: number): Promise<Delivery[]> {
  const now = ctx.now();
  const at = now.toISOString();
  const lockedUntil = new Date(now.getTime() + LOCK_MS).toISOString();
  const due = await ctx.db.kysely
    .selectFrom('webhookDeliveries')
    .select('id')
    .where(isDue(at))
    .orderBy('nextAttemptAt')
    .orderBy('id')
    .limit(batchSize)
    .execute();
  const claimed: Delivery[] = [];
  for (const { id } of due) {
    const row = await ctx.db.kysely
      .updateTable('webhookDeliveries')
      .set((eb) => ({ status: 'sending', lockedUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where(isDue(at))
      .returningAll()
      .executeTakeFirst();
    if (row) claimed.push(row);
  }
  return claimed;
}

interface Answer {
  status: number;
  body: string;
}

/** POSTs the body; resolves with the status and the start of the answer, rejects on a network error or timeout. */
function post(url: string, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup as never }),
        timeout: TIMEOUT_MS,
      },
      (response) => {
        let received = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          received += chunk;
          if (received.length >= RESPONSE_READ_LIMIT) response.destroy();
        });
        const done = () => resolve({ status: response.statusCode ?? 0, body: received.slice(0, RESPONSE_KEEP) });
        response.on('end', done);
        response.on('close', done);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.on('close', () => clearTimeout(timer));
    request.end(body);
  });
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

export interface WebhookDeliveryResult {
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * Sends every due delivery: a 2xx answer is `delivered`; anything else (another status, a refused address, a
 * timeout) is tried again with back-off (1 min, 2, 4… capped at 1 h), and after MAX_DELIVERY_ATTEMPTS is `failed`.
 * The answer's status and start are kept for the delivery log.
 */
export async function deliverDueWebhooks(ctx: AppContext, batchSize = 20): Promise<WebhookDeliveryResult> {
  const result: WebhookDeliveryResult = { delivered: 0, retried: 0, failed: 0 };
  const allowPrivate = ctx.config.webhooksAllowPrivateNetworks;
  for (;;) {
    const claimed = await claim(ctx, batchSize);
    if (claimed.length === 0) return result;
    for (const delivery of claimed) {
      const endpoint = await ctx.db.kysely
        .selectFrom('webhookEndpoints')
        .select(['url', 'secretEncrypted', 'enabled'])
        .where('id', '=', delivery.endpointId)
        .executeTakeFirstOrThrow();
      let answer: Answer | null = null;
      let error: string | null = null;
      const refused = endpoint.enabled === 1 ? urlProblem(endpoint.url, allowPrivate) : 'the endpoint is turned off';
      if (refused) error = refused;
      else {
        const timestamp = Math.floor(ctx.now().getTime() / 1000);
        const secret = decryptSecret(ctx.config.appSecret, delivery.organizationId, endpoint.secretEncrypted);
        try {
          answer = await post(
            endpoint.url,
            {
              'content-type': 'application/json',
              'user-agent': 'Portico-Webhooks/1',
              'portico-event': delivery.event,
              'portico-delivery': delivery.id,
              'portico-signature': signatureOf(secret, timestamp, delivery.payload),
            },
            delivery.payload,
            allowPrivate,
          );
        } catch (caught) {
          error = describe(caught);
        }
      }
      const ok = answer !== null && answer.status >= 200 && answer.status < 300;
      const giveUp = !ok && (delivery.attempts >= MAX_DELIVERY_ATTEMPTS || endpoint.enabled !== 1);
      const now = ctx.now();
      const written = await ctx.db.kysely
        .updateTable('webhookDeliveries')
        .set({
          status: ok ? 'delivered' : giveUp ? 'failed' : 'pending',
          lockedUntil: null,
          responseStatus: answer?.status ?? null,
          responseBody: answer?.body ?? null,
          lastError: ok ? null : (error ?? `the endpoint answered ${answer?.status}`),
          deliveredAt: ok ? now.toISOString() : null,
          nextAttemptAt:
            ok || giveUp ? now.toISOString() : new Date(now.getTime() + retryDelayMs(delivery.attempts)).toISOString(),
        })
        .where('id', '=', delivery.id)
        .where('status', '=', 'sending')
        .where('attempts', '=', delivery.attempts)
        .executeTakeFirst();
      if (written.numUpdatedRows === 0n) continue;
      if (ok) result.delivered += 1;
      else if (giveUp) result.failed += 1;
      else result.retried += 1;
    }
    if (claimed.length < batchSize) return result;
  }
}
