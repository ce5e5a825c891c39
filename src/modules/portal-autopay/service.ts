import type { Selectable, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope, PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { AutopayCardsTable, Database } from '../../db/schema.js';
import { AppError, invalid, invalidTransition, notFound } from '../../domain/errors.js';
import { clientMessageOf, paymentErrorOf } from '../../domain/payment-errors.js';
import { listPage } from '../../http/pagination.js';
import { GatewayUnavailableError, type PaymentGateway, type SavedCardSetup } from '../../payments/gateway.js';
import { chooseGateway } from '../../payments/gateway-choice.js';
import { gatewayById, gatewayConfigsOf, gatewayFrom } from '../../payments/gateway-config.js';
import { recordAudit } from '../audit/index.js';
import { defaultTerms, documentSettings, priceDocument, resolveLines, termsFrom } from '../documents/index.js';
import { gatewayCustomerOf } from '../online-payments/index.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/index.js';
import { AUTOPAY_OFF, autopaySummaries, type Template } from '../recurring-profiles/index.js';
import type { AuthorizeAutopayInput, AutopaySetup, PortalRecurringProfile } from './schemas.js';

/*
 * Autopay of recurring profiles in the portal (PRODUCT.md §5.2, API.md).
 *
 * Authorizing: the client asks for automatic payments of one of their active recurring profiles. A card row is
 * written `pending` before the gateway is called (reference = the row's id), then the gateway saves the card for
 * recurring use (setUpSavedCard, usage `recurring`: CP3001 without reference transactions, CP4002 without
 * recurring support):
 * - with the sandbox's `testCard`, the set-up completes in the same call and the card is on at once;
 * - otherwise the answer carries the gateway's hosted page (`redirectUrl`); the card is saved when the set-up
 *   completes there. Completion is always read back from the gateway (getSavedCardSetup), never taken from the
 *   caller: when the client comes back and the portal lists the profiles (GET /recurring-profiles completes the
 *   client's pending set-ups first), or when the gateway's `card_setup.*` webhook arrives — whichever is first;
 *   the other finds the row no longer pending and changes nothing.
 * Turning it on withdraws a card already on for the profile (a new card replaces the old), in one transaction
 * under the profile's row lock, so at most one card is ever on per profile (also a partial unique index).
 * Both authorizing and withdrawing are audited and notify the business.
 *
 * Charging is in charges.ts (the `autopay-charges` scheduler job).
 */

type Trx = Transaction<Database>;
type CardRow = Selectable<AutopayCardsTable>;
type SetupView = Static<typeof AutopaySetup>;

const forUpdateOn = (ctx: AppContext) => ctx.db.dialect === 'postgres';
const systemScope = (organizationId: string): OrgScope => ({
  organizationId,
  userId: null,
  role: 'owner',
  via: 'system',
});

export interface RequestInfo {
  ip?: string | null;
  userAgent?: string | null;
}

/** The client's own profile that may take autopay: active, not deleted, of the scope's customer; else 404. */
async function portalProfile(
  ctx: AppContext,
  db: Trx | AppContext['db']['kysely'],
  scope: PortalScope,
  id: string,
  lock = false,
) {
  const profile = await db
    .selectFrom('recurringProfiles')
    .selectAll()
    .where('id', '=', id)
    .where('organizationId', '=', scope.organizationId)
    .where('customerId', '=', scope.customerId)
    .where('status', '=', 'active')
    .where('deletedAt', 'is', null)
    .$if(lock && forUpdateOn(ctx), (q) => q.forUpdate())
    .executeTakeFirst();
  if (!profile) throw notFound('recurring profile');
  return profile;
}

/** The total each generated invoice will have: the template priced as recurring.ts prices it. */
async function amountPerInvoice(ctx: AppContext, organizationId: string, templateText: string) {
  try {
    const template = JSON.parse(templateText) as Template;
    const settings = await documentSettings(ctx.db.kysely, organizationId);
    const scope = systemScope(organizationId);
    const lines = await resolveLines(ctx.db.kysely, scope, template.lines);
    return priceDocument(organizationId, 'template', lines, termsFrom(template, defaultTerms(settings.taxRounding)))
      .totals.total;
  } catch (error) {
    // A tax the template names was deleted since: the next invoice will fail too; show no amount rather than 500.
    if (error instanceof AppError) return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Listing

export async function listPortalRecurringProfiles(
  ctx: AppContext,
  scope: PortalScope,
  query: { limit?: number; cursor?: string },
): Promise<{ data: Static<typeof PortalRecurringProfile>[]; nextCursor: string | null }> {
  await completePendingSetups(ctx, scope);
  const select = ctx.db.kysely
    .selectFrom('recurringProfiles')
    .select(['id', 'name', 'frequency', 'intervalCount', 'nextDate', 'currency', 'template'])
    .where('organizationId', '=', scope.organizationId)
    .where('customerId', '=', scope.customerId)
    .where('status', '=', 'active')
    .where('deletedAt', 'is', null);
  // The page's autopay is read in one query and each amount computed, so the page is presented after it is fetched.
  const page = await listPage(
    select,
    { key: 'name', id: 'id', direction: 'asc', keyOf: (row) => row.name },
    query,
    (row) => row,
  );
  const autopay = await autopaySummaries(
    ctx.db.kysely,
    scope.organizationId,
    page.data.map((row) => row.id),
  );
  const data = [];
  for (const row of page.data) {
    const { authorizedBy: _who, ...summary } = autopay.get(row.id) ?? AUTOPAY_OFF;
    data.push({
      id: row.id,
      name: row.name,
      frequency: row.frequency,
      intervalCount: row.intervalCount,
      nextDate: row.nextDate,
      currency: row.currency,
      amount: await amountPerInvoice(ctx, scope.organizationId, row.template),
      autopay: summary,
    });
  }
  return { data, nextCursor: page.nextCursor };
}

// ---------------------------------------------------------------------------------------------------------------
// Authorizing

function failureView(profileId: string, code: string): SetupView {
  return { recurringProfileId: profileId, status: 'failed', failure: { code, message: clientMessageOf(code) } };
}

function setupView(row: CardRow): SetupView {
  const base = { recurringProfileId: row.recurringProfileId };
  switch (row.status) {
    case 'active':
      return {
        ...base,
        status: 'on',
        ...(row.brand && row.last4
          ? { card: { brand: row.brand, last4: row.last4, expMonth: row.expMonth ?? 0, expYear: row.expYear ?? 0 } }
          : {}),
      };
    case 'pending':
      return row.redirectUrl
        ? { ...base, status: 'requires_action', redirectUrl: row.redirectUrl }
        : { ...base, status: 'pending' };
    case 'failed':
      return failureView(row.recurringProfileId, row.failureCode ?? 'processing_error');
    case 'withdrawn':
      return {
        ...base,
        status: 'failed',
        failure: { code: 'withdrawn', message: 'Automatic payment was turned off.' },
      };
  }
}

export async function autopaySetupView(ctx: AppContext, cardId: string): Promise<SetupView> {
  const row = await ctx.db.kysely.selectFrom('autopayCards').selectAll().where('id', '=', cardId).executeTakeFirst();
  if (!row) throw notFound('automatic payment');
  return setupView(row);
}

/**
 * POST /recurring-profiles/{id}/autopay after its idempotency claim. `onRecord` receives the card row's id once
 * it is written (before the gateway call), so a retry after a crash answers with that row.
 */
export async function authorizeAutopay(
  ctx: AppContext,
  scope: PortalScope,
  profileId: string,
  input: Static<typeof AuthorizeAutopayInput>,
  info: RequestInfo,
  onRecord: (cardId: string) => Promise<void> = async () => {},
): Promise<SetupView> {
  const profile = await portalProfile(ctx, ctx.db.kysely, scope, profileId);
  let gateways = await gatewayConfigsOf(ctx, scope.organizationId);
  // A test card is saved with the sandbox only: the choice is made among the sandbox gateways.
  if (input.testCard) {
    gateways = gateways.filter((config) => config.kind === 'sandbox');
    if (gateways.length === 0) throw invalid('/testCard', 'Test cards work with the sandbox gateway only.');
  }
  // No gateway at all, or none that saves cards for the profile's automatic payments in its currency.
  const choice = chooseGateway(gateways, { currency: profile.currency, amount: null, use: 'recurring' });
  if ('refusal' in choice) return failureView(profile.id, choice.refusal);
  const gateway = gatewayFrom(ctx, choice.gateway);

  const now = ctx.now().toISOString();
  const row: CardRow = {
    id: newId('apc'),
    organizationId: scope.organizationId,
    customerId: scope.customerId,
    recurringProfileId: profile.id,
    status: 'pending',
    gatewayKind: gateway.kind,
    gatewayId: choice.gateway.id,
    gatewaySetupId: null,
    gatewayToken: null,
    redirectUrl: null,
    brand: null,
    last4: null,
    expMonth: null,
    expYear: null,
    failureCode: null,
    failureMessage: null,
    authorizedByContactPersonId: scope.contactPersonId,
    authorizedAt: null,
    withdrawnAt: null,
    withdrawnByContactPersonId: null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.db.kysely.insertInto('autopayCards').values(row).execute();
  await onRecord(row.id);

  const organization = await ctx.db.kysely
    .selectFrom('organizations')
    .select('slug')
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const returnUrl = new URL(`/portal/${organization.slug}/recurring-profiles`, ctx.config.publicUrl);
  returnUrl.searchParams.set('autopay', row.id);
  let setup: SavedCardSetup;
  try {
    setup = await gateway.setUpSavedCard({
      reference: row.id,
      idempotencyKey: `${row.id}:setup`,
      customer: await gatewayCustomerOf(ctx, scope),
      returnUrl: returnUrl.toString(),
      usage: 'recurring',
      organizationId: scope.organizationId,
      ...(input.testCard ? { testCard: input.testCard } : {}),
    });
  } catch (error) {
    // Unknown outcome: the row stays pending; the client may try again with a new key.
    if (error instanceof GatewayUnavailableError) return setupView(row);
    throw error;
  }
  await applySetupOutcome(ctx, row.id, setup, info);
  return autopaySetupView(ctx, row.id);
}

/** What the gateway says of a set-up, applied to a pending card row (compare-and-set on `pending`). */
async function applySetupOutcome(ctx: AppContext, cardId: string, setup: SavedCardSetup, info: RequestInfo = {}) {
  const now = ctx.now().toISOString();
  if (setup.status === 'succeeded' && setup.savedCard) {
    await activate(ctx, cardId, setup, info);
    return;
  }
  if (setup.status === 'failed') {
    const code = setup.failure?.code ?? 'processing_error';
    await ctx.db.kysely
      .updateTable('autopayCards')
      .set({
        status: 'failed',
        gatewaySetupId: setup.setupId,
        failureCode: code,
        failureMessage: (setup.failure?.message || paymentErrorOf(code)?.whatWentWrong || '').slice(0, 500),
        redirectUrl: null,
        updatedAt: now,
      })
      .where('id', '=', cardId)
      .where('status', '=', 'pending')
      .execute();
    return;
  }
  await ctx.db.kysely
    .updateTable('autopayCards')
    .set({ gatewaySetupId: setup.setupId, redirectUrl: setup.redirectUrl ?? null, updatedAt: now })
    .where('id', '=', cardId)
    .where('status', '=', 'pending')
    .execute();
}

/** The card is saved: it goes on for the profile (replacing one already on), audited, and the business is told. */
async function activate(ctx: AppContext, cardId: string, setup: SavedCardSetup, info: RequestInfo) {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const pending = await trx.selectFrom('autopayCards').selectAll().where('id', '=', cardId).executeTakeFirst();
    if (pending?.status !== 'pending') return;
    // The profile's row lock serializes two set-ups of one profile completing at once (PostgreSQL).
    const profile = await trx
      .selectFrom('recurringProfiles')
      .select(['id', 'name'])
      .where('id', '=', pending.recurringProfileId)
      .$if(forUpdateOn(ctx), (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const card = await trx
      .selectFrom('autopayCards')
      .select('status')
      .where('id', '=', cardId)
      .$if(forUpdateOn(ctx), (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    if (card.status !== 'pending') return;
    const now = ctx.now().toISOString();
    const replaced = await trx
      .updateTable('autopayCards')
      .set({
        status: 'withdrawn',
        withdrawnAt: now,
        withdrawnByContactPersonId: pending.authorizedByContactPersonId,
        updatedAt: now,
      })
      .where('organizationId', '=', pending.organizationId)
      .where('recurringProfileId', '=', pending.recurringProfileId)
      .where('status', '=', 'active')
      .returning('id')
      .execute();
    await trx
      .updateTable('autopayCards')
      .set({
        status: 'active',
        gatewaySetupId: setup.setupId,
        gatewayToken: setup.savedCard ?? null,
        redirectUrl: null,
        brand: setup.card?.brand ?? null,
        last4: setup.card?.last4 ?? null,
        expMonth: setup.card?.expMonth ?? null,
        expYear: setup.card?.expYear ?? null,
        authorizedAt: now,
        updatedAt: now,
      })
      .where('id', '=', cardId)
      .where('status', '=', 'pending')
      .execute();
    const scope = {
      organizationId: pending.organizationId,
      customerId: pending.customerId,
      contactPersonId: pending.authorizedByContactPersonId,
    };
    const cardWords = setup.card ? `${setup.card.brand} ending in ${setup.card.last4}` : 'a card';
    await recordAudit(trx, {
      organizationId: pending.organizationId,
      event: 'portal.autopay_authorized',
      actorType: 'contact_person',
      actorId: pending.authorizedByContactPersonId,
      contactPersonId: pending.authorizedByContactPersonId,
      ip: info.ip ?? null,
      userAgent: info.userAgent ?? null,
      details: {
        recurringProfileId: profile.id,
        autopayCardId: cardId,
        ...(setup.card ? { brand: setup.card.brand, last4: setup.card.last4 } : {}),
        ...(replaced.length > 0 ? { replaced: replaced.map((r) => r.id) } : {}),
      },
      at: now,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'autopay_authorized',
      target: { kind: 'recurring_profile', id: profile.id, label: profile.name },
      detail: `Each invoice of "${profile.name}" will be charged to ${cardWords}.`,
    });
  });
}

/** Re-reads the client's pending set-ups at the gateway (the return from the hosted page). */
async function completePendingSetups(ctx: AppContext, scope: PortalScope): Promise<void> {
  const pending = await ctx.db.kysely
    .selectFrom('autopayCards')
    .select(['id', 'gatewayId', 'gatewaySetupId'])
    .where('organizationId', '=', scope.organizationId)
    .where('customerId', '=', scope.customerId)
    .where('status', '=', 'pending')
    .where('gatewaySetupId', 'is not', null)
    .limit(20)
    .execute();
  for (const row of pending) {
    const gateway = await gatewayById(ctx, scope.organizationId, row.gatewayId);
    if (gateway) await completeWith(ctx, gateway, row.id, row.gatewaySetupId as string);
  }
}

async function completeWith(ctx: AppContext, gateway: PaymentGateway, cardId: string, setupId: string) {
  let setup: SavedCardSetup | null;
  try {
    setup = await gateway.getSavedCardSetup(setupId);
  } catch (error) {
    if (error instanceof GatewayUnavailableError) return;
    throw error;
  }
  if (setup) await applySetupOutcome(ctx, cardId, setup);
}

/**
 * A `card_setup.*` webhook for one of our card rows (reference `apc_…`): the set-up is read back from the
 * gateway rather than taken from the event. False when no such row belongs to the organization.
 */
export async function completeAutopaySetupFromWebhook(
  ctx: AppContext,
  organizationId: string,
  cardId: string,
  setupId: string | null,
): Promise<boolean> {
  const row = await ctx.db.kysely
    .selectFrom('autopayCards')
    .select(['id', 'status', 'gatewayId', 'gatewaySetupId'])
    .where('id', '=', cardId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) return false;
  const id = row.gatewaySetupId ?? setupId;
  if (row.status !== 'pending' || !id) return true;
  const gateway = await gatewayById(ctx, organizationId, row.gatewayId);
  if (gateway) await completeWith(ctx, gateway, row.id, id);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Withdrawing

/** Turns autopay off: the card on file (and any set-up in progress) is withdrawn; 409 when it was not on. */
export async function withdrawAutopay(ctx: AppContext, scope: PortalScope, profileId: string, info: RequestInfo) {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const profile = await portalProfile(ctx, trx, scope, profileId, true);
    const now = ctx.now().toISOString();
    const withdrawn = await trx
      .updateTable('autopayCards')
      .set({ status: 'withdrawn', withdrawnAt: now, withdrawnByContactPersonId: scope.contactPersonId, updatedAt: now })
      .where('organizationId', '=', scope.organizationId)
      .where('customerId', '=', scope.customerId)
      .where('recurringProfileId', '=', profile.id)
      .where('status', 'in', ['active', 'pending'])
      .returning(['id', 'status', 'brand', 'last4'])
      .execute();
    if (withdrawn.length === 0) throw invalidTransition('Automatic payment is not on for this recurring profile.');
    const card = withdrawn.find((r) => r.brand && r.last4);
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'portal.autopay_withdrawn',
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      contactPersonId: scope.contactPersonId,
      ip: info.ip ?? null,
      userAgent: info.userAgent ?? null,
      details: {
        recurringProfileId: profile.id,
        autopayCardIds: withdrawn.map((r) => r.id),
        ...(card ? { brand: card.brand, last4: card.last4 } : {}),
      },
      at: now,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'autopay_withdrawn',
      target: { kind: 'recurring_profile', id: profile.id, label: profile.name },
      detail: `The invoices of "${profile.name}" will no longer be charged automatically.`,
    });
  });
  const list = await autopaySummaries(ctx.db.kysely, scope.organizationId, [profileId]);
  const { authorizedBy: _who, ...summary } = list.get(profileId) ?? AUTOPAY_OFF;
  return summary;
}
