import { randomBytes } from 'node:crypto';
import type { Static } from 'typebox';
import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../../db/schema.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { encryptSecret } from '../../payments/secret-box.js';
import { urlProblem } from './address-check.js';
import type { WebhookDeliveryQuery, WebhookEndpointInput, WebhookEndpointPatch } from './schemas.js';

/** Outgoing webhook endpoints and their delivery log (docs/webhooks.md): owners and admins, admin API keys. */

/** An organization registers at most this many endpoints. */
const MAX_ENDPOINTS = 10;

const present = (row: WebhookEndpointsTable) => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: JSON.parse(row.events) as string[],
  enabled: row.enabled === 1,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

function checkedUrl(ctx: AppContext, url: string): string {
  const trimmed = url.trim();
  const problem = urlProblem(trimmed, ctx.config.webhooksAllowPrivateNetworks);
  if (problem) throw invalid('/url', problem);
  return trimmed;
}

async function endpointOf(ctx: AppContext, scope: OrgScope, id: string) {
  const row = await ctx.db.kysely
    .selectFrom('webhookEndpoints')
    .selectAll()
    .where('id', '=', id)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('webhook endpoint');
  return row;
}

export async function listWebhookEndpoints(ctx: AppContext, scope: OrgScope) {
  requireAdmin(scope);
  const rows = await ctx.db.kysely
    .selectFrom('webhookEndpoints')
    .selectAll()
    .where('organizationId', '=', scope.organizationId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  return { data: rows.map(present) };
}

export async function getWebhookEndpoint(ctx: AppContext, scope: OrgScope, id: string) {
  requireAdmin(scope);
  return present(await endpointOf(ctx, scope, id));
}

/**
 * Registers an endpoint and returns its signing secret, this once. The count is checked under the organization's
 * row lock (PostgreSQL; SQLite has one writer), so endpoints added at once never pass the bound together.
 */
export async function createWebhookEndpoint(
  ctx: AppContext,
  scope: OrgScope,
  input: Static<typeof WebhookEndpointInput>,
) {
  requireAdmin(scope);
  const url = checkedUrl(ctx, input.url);
  const secret = newSecret();
  const id = newId('whe');
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', scope.organizationId)
      .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const { count } = await trx
      .selectFrom('webhookEndpoints')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('organizationId', '=', scope.organizationId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_ENDPOINTS) {
      throw new AppError(
        'conflict',
        `An organization has at most ${MAX_ENDPOINTS} webhook endpoints; remove one first.`,
      );
    }
    await trx
      .insertInto('webhookEndpoints')
      .values({
        id,
        organizationId: scope.organizationId,
        url,
        description: input.description?.trim() || null,
        events: JSON.stringify(input.events),
        secretEncrypted: encryptSecret(ctx.config.appSecret, scope.organizationId, secret),
        enabled: input.enabled === false ? 0 : 1,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
  });
  return { ...present(await endpointOf(ctx, scope, id)), secret };
}

export async function updateWebhookEndpoint(
  ctx: AppContext,
  scope: OrgScope,
  id: string,
  patch: Static<typeof WebhookEndpointPatch>,
) {
  requireAdmin(scope);
  await endpointOf(ctx, scope, id);
  await ctx.db.kysely
    .updateTable('webhookEndpoints')
    .set({
      ...(patch.url !== undefined ? { url: checkedUrl(ctx, patch.url) } : {}),
      ...(patch.description !== undefined ? { description: patch.description?.trim() || null } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
      updatedAt: ctx.now().toISOString(),
    })
    .where('id', '=', id)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  return present(await endpointOf(ctx, scope, id));
}

/** A new signing secret, returned this once; the old one stops signing at once. */
export async function rotateWebhookSecret(ctx: AppContext, scope: OrgScope, id: string) {
  requireAdmin(scope);
  await endpointOf(ctx, scope, id);
  const secret = newSecret();
  await ctx.db.kysely
    .updateTable('webhookEndpoints')
    .set({
      secretEncrypted: encryptSecret(ctx.config.appSecret, scope.organizationId, secret),
      updatedAt: ctx.now().toISOString(),
    })
    .where('id', '=', id)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  return { ...present(await endpointOf(ctx, scope, id)), secret };
}

/** Removes the endpoint and its delivery log. */
export async function deleteWebhookEndpoint(ctx: AppContext, scope: OrgScope, id: string) {
  requireAdmin(scope);
  await endpointOf(ctx, scope, id);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhookDeliveries').where('endpointId', '=', id).execute();
    await trx
      .deleteFrom('webhookEndpoints')
      .where('id', '=', id)
      .where('organizationId', '=', scope.organizationId)
      .execute();
  });
}

const presentDelivery = (row: WebhookDeliveriesTable) => ({
  id: row.id,
  eventId: row.eventId,
  event: row.event,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
  responseStatus: row.responseStatus,
  responseBody: row.responseBody,
  lastError: row.lastError,
  deliveredAt: row.deliveredAt,
  payload: row.payload,
  createdAt: row.createdAt,
});

/** The endpoint's deliveries, newest first. */
export async function listWebhookDeliveries(
  ctx: AppContext,
  scope: OrgScope,
  id: string,
  query: Static<typeof WebhookDeliveryQuery>,
) {
  requireAdmin(scope);
  await endpointOf(ctx, scope, id);
  return listPage(
    ctx.db.kysely
      .selectFrom('webhookDeliveries')
      .selectAll()
      .where('endpointId', '=', id)
      .where('organizationId', '=', scope.organizationId),
    { key: 'createdAt', id: 'id', direction: 'desc', keyOf: (row) => row.createdAt },
    query,
    presentDelivery,
  );
}

/**
 * Sends a delivery again, at once: the same event (same id and body; receivers de-duplicate on the id). A
 * delivery being sent right now is left alone (409).
 */
export async function resendWebhookDelivery(ctx: AppContext, scope: OrgScope, id: string, deliveryId: string) {
  requireAdmin(scope);
  await endpointOf(ctx, scope, id);
  const now = ctx.now().toISOString();
  const updated = await ctx.db.kysely
    .updateTable('webhookDeliveries')
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null })
    .where('id', '=', deliveryId)
    .where('endpointId', '=', id)
    .where('organizationId', '=', scope.organizationId)
    .where('status', '!=', 'sending')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    const exists = await ctx.db.kysely
      .selectFrom('webhookDeliveries')
      .select('id')
      .where('id', '=', deliveryId)
      .where('endpointId', '=', id)
      .where('organizationId', '=', scope.organizationId)
      .executeTakeFirst();
    if (!exists) throw notFound('webhook delivery');
    throw new AppError('conflict', 'This delivery is being sent right now; look again in a minute.');
  }
  const row = await ctx.db.kysely
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  return presentDelivery(row);
}
