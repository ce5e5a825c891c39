import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database, PaymentAttemptsTable } from '../../db/schema.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { UNPAID_INVOICE_STATUSES } from '../../domain/invoice-states.js';
import { formatMoneyPlain } from '../../domain/money.js';
import { clientMessageOf, type PaymentErrorCode, paymentErrorOf } from '../../domain/payment-errors.js';
import { TEST_PAYMENT_LABEL } from '../../domain/test-mode.js';
import { listPage } from '../../http/pagination.js';
import { wordsForContact } from '../../i18n/words.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { formatDateTime } from '../../notify/templates.js';
import {
  type GatewayFailure,
  type GatewayPayment,
  GatewayUnavailableError,
  type PaymentGateway,
} from '../../payments/gateway.js';
import { chooseGateway } from '../../payments/gateway-choice.js';
import { type GatewayConfig, gatewayById, gatewayConfigsOf, gatewayFrom } from '../../payments/gateway-config.js';
import { recordHistory } from '../activity/index.js';
import { contactLanguage, contactName } from '../customers/index.js';
import { LIVE_ATTEMPT_STATUSES, type MoneyHistoryEntry, renderPaymentReceiptPdf } from '../documents/index.js';
import { organizationToday } from '../organization/index.js';
import { writeReceivedPayment } from '../payments/index.js';
import { notifyBusinessOfPortalActivity, notifyClientOfAutopayFailure } from '../portal-notifications/index.js';
import type { PaymentAttempt, PayNowInput } from './schemas.js';

/*
 * Pay Now in the portal (PRODUCT.md §6; SECURITY.md "Payments").
 *
 * 1. Reserve. One transaction locks the documents (PostgreSQL: SELECT … FOR UPDATE on invoices by id, then the
 *    retainer invoice — the global order of src/modules/payments/service.ts; SQLite: Kysely runs every
 *    transaction on its single connection one at a time, so the transaction is the single writer and no
 *    BEGIN IMMEDIATE is needed), re-reads each balance, subtracts what other live attempts (pending or
 *    requires_action) hold on it, and writes the attempt (`pending`) with its allocations, which from then on
 *    are reserved. Portico's own checks (CP1003, CP1004, CP2001, CP4003) run here; when one fails the attempt
 *    is written as failed with its code and the gateway is never called.
 * 2. Charge. After that commit, the gateway is called with reference = idempotencyKey = the attempt id, so a
 *    charge can always be found again and is never made twice.
 * 3. Settle or fail. Settling writes the customer payment and its allocations (the same writer as the
 *    business's recordPayment), re-derives the invoices, and marks the attempt succeeded, in one transaction and
 *    only once (compare-and-set on the attempt's status). Failing marks it failed, which releases the
 *    reservation, and e-mails the business. The direct call, webhooks and the reconciler all go through these.
 */

type Trx = Transaction<Database>;
type Reader = Kysely<Database> | Trx;
type AttemptRow = Selectable<PaymentAttemptsTable>;
export type AttemptView = Static<typeof PaymentAttempt>;

export const LIVE_STATUSES = LIVE_ATTEMPT_STATUSES;
/** How long an attempt holds its reservation at most: past the sandbox's hour-long hosted page. */
const ATTEMPT_LIFETIME_MINUTES = 70;
/** A Portico-side failure code: the attempt found no charge at the gateway and was given up. */
export const NO_CHARGE = 'no_charge';
/** The client gave up on the gateway's page (came back through its cancel link). */
export const CANCELLED = 'checkout_cancelled';
/** The attempt's time ran out with the gateway's page unpaid. */
export const EXPIRED = 'checkout_expired';
/**
 * Failures that Portico decided, not the gateway: the attempt was given up, not refused. A charge that turns up
 * for one afterwards (a page paid in the instant it was closed, a lost answer) is still recorded.
 */
const GIVEN_UP: readonly string[] = [NO_CHARGE, CANCELLED, EXPIRED];
/** Nothing for the business to do about these: no e-mail. */
const QUIET: readonly string[] = [NO_CHARGE, CANCELLED];

const forUpdateOn = (ctx: AppContext) => ctx.db.dialect === 'postgres';
const money = (amount: number, currency: string) => `${currency} ${formatMoneyPlain(amount, currency)}`;
// ---------------------------------------------------------------------------------------------------------------
// Presenting

async function allocationsOf(db: Reader, organizationId: string, attemptIds: readonly string[]) {
  if (attemptIds.length === 0) return [];
  return db
    .selectFrom('paymentAttemptAllocations as a')
    .leftJoin('invoices as i', 'i.id', 'a.invoiceId')
    .leftJoin('retainerInvoices as r', 'r.id', 'a.retainerInvoiceId')
    .select(['a.id', 'a.attemptId', 'a.invoiceId', 'a.retainerInvoiceId', 'a.amount', 'i.number as invoiceNumber'])
    .select('r.number as retainerNumber')
    .where('a.organizationId', '=', organizationId)
    .where('a.attemptId', 'in', attemptIds)
    .orderBy('a.id')
    .execute();
}

export async function presentAttempt(db: Reader, row: AttemptRow): Promise<AttemptView> {
  const allocations = await allocationsOf(db, row.organizationId, [row.id]);
  return {
    id: row.id,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    ...(row.status === 'requires_action' && row.redirectUrl ? { redirectUrl: row.redirectUrl } : {}),
    ...(row.status === 'failed' && row.failureCode
      ? { failure: { code: row.failureCode, message: clientMessageOf(row.failureCode) } }
      : {}),
    ...(row.status === 'succeeded' && row.paymentId ? { paymentId: row.paymentId } : {}),
    allocations: allocations.map((a) => ({
      invoiceId: a.invoiceId,
      retainerInvoiceId: a.retainerInvoiceId,
      number: a.invoiceNumber ?? a.retainerNumber ?? '',
      amount: a.amount,
    })),
    createdAt: row.createdAt,
  };
}

async function attemptRow(db: Reader, attemptId: string): Promise<AttemptRow | undefined> {
  return db.selectFrom('paymentAttempts').selectAll().where('id', '=', attemptId).executeTakeFirst();
}

/**
 * The client's own attempt, else 404: the contact person's who started it (another person of the same customer
 * sees on the invoice that a payment is open, not the attempt itself).
 */
export async function getPortalAttempt(ctx: AppContext, scope: PortalScope, attemptId: string) {
  const row = await ctx.db.kysely
    .selectFrom('paymentAttempts')
    .selectAll()
    .where('id', '=', attemptId)
    .where('organizationId', '=', scope.organizationId)
    .where('customerId', '=', scope.customerId)
    .where('contactPersonId', '=', scope.contactPersonId)
    .executeTakeFirst();
  if (!row) throw notFound('payment attempt');
  return presentAttempt(ctx.db.kysely, row);
}

export async function getAttemptView(ctx: AppContext, attemptId: string): Promise<AttemptView> {
  const row = await attemptRow(ctx.db.kysely, attemptId);
  if (!row) throw notFound('payment attempt');
  return presentAttempt(ctx.db.kysely, row);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Reserving

type Allocation = Static<typeof PayNowInput>['allocations'][number];
const invoiceIdOf = (a: Allocation) => ('invoiceId' in a ? a.invoiceId : null);
const retainerIdOf = (a: Allocation) => ('retainerInvoiceId' in a ? a.retainerInvoiceId : null);

/** What live attempts hold on these documents, by document id. */
export async function reservedOn(trx: Trx, organizationId: string, invoiceIds: string[], retainerIds: string[]) {
  const reserved = new Map<string, number>();
  const live = [...LIVE_STATUSES];
  const add = (id: string | null, amount: number) => {
    if (id) reserved.set(id, (reserved.get(id) ?? 0) + Number(amount));
  };
  if (invoiceIds.length > 0) {
    const rows = await trx
      .selectFrom('paymentAttemptAllocations as a')
      .innerJoin('paymentAttempts as p', 'p.id', 'a.attemptId')
      .select(['a.invoiceId', 'a.amount'])
      .where('a.organizationId', '=', organizationId)
      .where('a.invoiceId', 'in', invoiceIds)
      .where('p.status', 'in', live)
      .execute();
    for (const row of rows) add(row.invoiceId, row.amount);
  }
  if (retainerIds.length > 0) {
    const rows = await trx
      .selectFrom('paymentAttemptAllocations as a')
      .innerJoin('paymentAttempts as p', 'p.id', 'a.attemptId')
      .select(['a.retainerInvoiceId', 'a.amount'])
      .where('a.organizationId', '=', organizationId)
      .where('a.retainerInvoiceId', 'in', retainerIds)
      .where('p.status', 'in', live)
      .execute();
    for (const row of rows) add(row.retainerInvoiceId, row.amount);
  }
  return reserved;
}

/**
 * Portico's own refusals, checked under the locks before any gateway call (PRODUCT.md §6):
 * - CP1003: the paying customer was deleted (the portal guard signs such clients out, so this catches a deletion
 *   that lands between the guard and this transaction; a charge that arrives later for a deleted customer is
 *   refunded with the same code, see settleAttempt);
 * - CP1004: an invoice being paid was generated by a recurring profile that has since been deleted
 *   (invoices.recurring_profile_id → recurring_profiles.deleted_at);
 * - CP2001: the organization charges tax (organizations.charges_tax) but has no default tax — checked for every
 *   online payment (invoices and retainers alike), never for payments the business records itself;
 * - then what the organization's gateways lack for this payment, as a whole (`chooseGateway`: CP4003, CP3001,
 *   CP4002, CP4001), given as `gatewayRefusal`.
 */
export async function porticoRefusal(
  trx: Trx,
  scope: PortalScope,
  recurringProfileIds: string[],
  gatewayRefusal: PaymentErrorCode | null,
): Promise<PaymentErrorCode | null> {
  const customer = await trx
    .selectFrom('customers')
    .select('deletedAt')
    .where('id', '=', scope.customerId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!customer || customer.deletedAt !== null) return 'CP1003';
  if (recurringProfileIds.length > 0) {
    const deleted = await trx
      .selectFrom('recurringProfiles')
      .select('id')
      .where('organizationId', '=', scope.organizationId)
      .where('id', 'in', recurringProfileIds)
      .where('deletedAt', 'is not', null)
      .executeTakeFirst();
    if (deleted) return 'CP1004';
  }
  const organization = await trx
    .selectFrom('organizations')
    .select('chargesTax')
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  if (organization.chargesTax === 1) {
    const defaultTax = await trx
      .selectFrom('taxes')
      .select('id')
      .where('organizationId', '=', scope.organizationId)
      .where('isDefault', '=', 1)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (!defaultTax) return 'CP2001';
  }
  return gatewayRefusal;
}

interface Reserved {
  attempt: AttemptRow;
  /** Set when Portico refused it itself: the attempt is already failed. */
  refused: boolean;
  numbers: string[];
  /** The gateway chosen for the payment; null when refused. */
  gateway: GatewayConfig | null;
}

async function reserve(
  ctx: AppContext,
  scope: PortalScope,
  input: Static<typeof PayNowInput>,
  gateways: readonly GatewayConfig[],
): Promise<Reserved> {
  const { organizationId } = scope;
  const invoiceIds = input.allocations.map(invoiceIdOf).filter((id): id is string => id !== null);
  const retainerIds = input.allocations.map(retainerIdOf).filter((id): id is string => id !== null);
  const ids = [...invoiceIds, ...retainerIds];
  if (new Set(ids).size !== ids.length) throw invalid('/allocations', 'Each document appears once.');
  if (retainerIds.length > 0 && input.allocations.length > 1) {
    throw invalid('/allocations', 'A retainer invoice is paid on its own, not with other documents.');
  }

  return ctx.db.kysely.transaction().execute(async (trx) => {
    const invoices = new Map(
      (invoiceIds.length === 0
        ? []
        : await trx
            .selectFrom('invoices')
            .select([
              'id',
              'customerId',
              'number',
              'status',
              'currency',
              'balance',
              'allowPartialPayments',
              'recurringProfileId',
            ])
            .where('organizationId', '=', organizationId)
            .where('id', 'in', [...invoiceIds].sort())
            .orderBy('id')
            .$if(forUpdateOn(ctx), (q) => q.forUpdate())
            .execute()
      ).map((row) => [row.id, row]),
    );
    const retainerId = retainerIds[0];
    const retainer = retainerId
      ? await trx
          .selectFrom('retainerInvoices')
          .select(['id', 'customerId', 'number', 'status', 'currency', 'balance'])
          .where('organizationId', '=', organizationId)
          .where('id', '=', retainerId)
          .$if(forUpdateOn(ctx), (q) => q.forUpdate())
          .executeTakeFirst()
      : undefined;

    const reserved = await reservedOn(trx, organizationId, invoiceIds, retainerIds);
    const organization = await trx
      .selectFrom('organizations')
      .select('portalPreventDuplicatePayments')
      .where('id', '=', organizationId)
      .executeTakeFirstOrThrow();
    const currencies = new Set<string>();
    const numbers: string[] = [];

    input.allocations.forEach((allocation, index) => {
      const path = `/allocations/${index}`;
      const invoiceId = invoiceIdOf(allocation);
      const doc = invoiceId ? invoices.get(invoiceId) : retainer;
      // Drafts, void documents and other customers' documents are as unknown as a missing id.
      if (!doc || doc.customerId !== scope.customerId || doc.status === 'draft' || doc.status === 'void') {
        throw notFound(invoiceId ? 'invoice' : 'retainer invoice');
      }
      numbers.push(doc.number);
      currencies.add(doc.currency);
      const held = reserved.get(doc.id) ?? 0;
      if (held > 0 && organization.portalPreventDuplicatePayments === 1) {
        throw new AppError(
          'payment_pending',
          `A payment of ${doc.number} is still being processed. Wait for it to finish before paying again.`,
        );
      }
      const payable = invoiceId ? UNPAID_INVOICE_STATUSES.includes(doc.status as never) : doc.status !== 'paid';
      const left = doc.balance - held;
      if (!payable || doc.balance <= 0) {
        throw new AppError('conflict', `${doc.number} is already paid.`, [
          { path: `${path}/amount`, message: 'Nothing is left to pay.' },
        ]);
      }
      if (allocation.amount > left) {
        const message =
          held > 0
            ? `More than what is left to pay on ${doc.number}: ${money(Math.max(left, 0), doc.currency)} (${money(held, doc.currency)} is being paid already).`
            : `More than the balance due on ${doc.number} (${money(doc.balance, doc.currency)}).`;
        throw new AppError('conflict', message, [{ path: `${path}/amount`, message }]);
      }
      if (invoiceId && allocation.amount < doc.balance) {
        const invoice = invoices.get(invoiceId);
        if (invoice?.allowPartialPayments !== 1) {
          throw invalid(
            `${path}/amount`,
            `${doc.number} must be paid in full (${money(doc.balance, doc.currency)}): it does not allow partial payments.`,
          );
        }
      }
    });
    if (currencies.size > 1) throw invalid('/allocations', 'Documents in one payment share one currency.');
    if (
      input.saveCard === 'recurring' &&
      (invoiceIds.length === 0 || [...invoices.values()].some((i) => !i.recurringProfileId))
    ) {
      throw invalid(
        '/saveCard',
        'A card is saved for recurring payments only when paying invoices of a recurring profile.',
      );
    }
    const [currency] = [...currencies] as [string];
    const amount = input.allocations.reduce((sum, a) => sum + a.amount, 0);
    const choice = chooseGateway(gateways, { currency, amount, use: input.saveCard ?? 'one_off' });
    const gateway = 'gateway' in choice ? choice.gateway : null;

    const code = await porticoRefusal(
      trx,
      scope,
      [...invoices.values()].map((i) => i.recurringProfileId).filter((id): id is string => id !== null),
      'refusal' in choice ? choice.refusal : null,
    );
    const now = ctx.now();
    const attempt: AttemptRow = {
      id: newId('pat'),
      organizationId,
      customerId: scope.customerId,
      contactPersonId: scope.contactPersonId,
      status: code ? 'failed' : 'pending',
      amount,
      currency,
      gatewayKind: gateway?.kind ?? null,
      gatewayId: gateway?.id ?? null,
      testMode: gateway?.testMode ? 1 : 0,
      gatewayPaymentId: null,
      redirectUrl: null,
      failureCode: code,
      failureMessage: code ? (paymentErrorOf(code)?.whatWentWrong ?? null) : null,
      paymentId: null,
      saveCard: input.saveCard ?? null,
      savedCard: null,
      receiptSentAt: null,
      refundedAt: null,
      expiresAt: new Date(now.getTime() + ATTEMPT_LIFETIME_MINUTES * 60_000).toISOString(),
      settledAt: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await trx.insertInto('paymentAttempts').values(attempt).execute();
    await trx
      .insertInto('paymentAttemptAllocations')
      .values(
        input.allocations.map((a) => ({
          id: newId('pata'),
          organizationId,
          attemptId: attempt.id,
          invoiceId: invoiceIdOf(a),
          retainerInvoiceId: retainerIdOf(a),
          amount: a.amount,
        })),
      )
      .execute();
    if (code) await notifyBusinessOfFailure(ctx, trx, attempt);
    return { attempt, refused: code !== null, numbers, gateway: code ? null : gateway };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Charging

export async function gatewayCustomerOf(ctx: AppContext, scope: PortalScope) {
  const row = await ctx.db.kysely
    .selectFrom('contactPersons as cp')
    .innerJoin('customers as c', 'c.id', 'cp.customerId')
    .select(['cp.firstName', 'cp.lastName', 'cp.email', 'c.displayName', 'c.billingAddress'])
    .where('cp.id', '=', scope.contactPersonId)
    .where('cp.organizationId', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  let address: { street1?: string; city?: string; state?: string; postalCode?: string; country?: string } = {};
  try {
    address = JSON.parse(row.billingAddress) ?? {};
  } catch {
    address = {};
  }
  return {
    name: `${contactName(row)} (${row.displayName})`,
    email: row.email,
    address: {
      ...(address.street1 ? { street1: address.street1 } : {}),
      ...(address.city ? { city: address.city } : {}),
      ...(address.state ? { state: address.state } : {}),
      ...(address.postalCode ? { postalCode: address.postalCode } : {}),
      ...(address.country ? { country: address.country } : {}),
    },
  };
}

/** The organization chose no payment gateway: Pay Now is not offered, and a request for it is a conflict. */
const noOnlinePayments = () =>
  new AppError(
    'CP4003',
    'This business does not take online payments: it has not set up a payment gateway. Please contact the business to pay another way.',
  );

/**
 * POST /payments after its idempotency claim: reserve, charge, settle or fail. Returns the attempt as it stands
 * (succeeded or failed in the same call with a sandbox test card; requires_action with the hosted page's URL
 * otherwise; pending when the gateway's answer is unknown — the reconciler finishes it).
 */
export async function createPortalPayment(
  ctx: AppContext,
  scope: PortalScope,
  input: Static<typeof PayNowInput>,
  onAttempt: (attemptId: string) => Promise<void> = async () => {},
): Promise<AttemptView> {
  let gateways = await gatewayConfigsOf(ctx, scope.organizationId);
  if (gateways.length === 0) throw noOnlinePayments();
  // A test card is paid with the sandbox only: the choice is made among the sandbox gateways.
  if (input.testCard) gateways = gateways.filter((config) => config.kind === 'sandbox');
  if (gateways.length === 0) throw invalid('/testCard', 'Test cards work with the sandbox gateway only.');
  if (input.saveCard && !input.testCard) {
    throw invalid('/saveCard', 'Saving a card while paying on the gateway page is not available yet.');
  }
  const reserved = await reserve(ctx, scope, input, gateways);
  const { attempt, numbers } = reserved;
  await onAttempt(attempt.id);
  if (reserved.refused || !reserved.gateway) return getAttemptView(ctx, attempt.id);
  const gateway = gatewayFrom(ctx, reserved.gateway);

  const organization = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['name', 'slug'])
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const returnUrl = new URL(`/portal/${organization.slug}/payments/return`, ctx.config.publicUrl);
  returnUrl.searchParams.set('attempt', attempt.id);
  // The client who gives up on the gateway's page comes back here: the portal cancels the attempt at once.
  const cancelUrl = new URL(returnUrl);
  cancelUrl.searchParams.set('cancelled', '1');
  let result: GatewayPayment;
  try {
    if (input.saveCard && input.testCard) {
      const saved = await chargeWithSavedCard(ctx, scope, gateway, attempt, input.saveCard, input.testCard, returnUrl);
      if (!saved) return getAttemptView(ctx, attempt.id);
      result = saved;
    } else
      result = await gateway.createPayment({
        reference: attempt.id,
        idempotencyKey: attempt.id,
        amount: attempt.amount,
        currency: attempt.currency,
        description: `${organization.name}: ${numbers.join(', ')}`.slice(0, 500),
        customer: await gatewayCustomerOf(ctx, scope),
        returnUrl: returnUrl.toString(),
        cancelUrl: cancelUrl.toString(),
        // The page takes the payment only as long as the attempt holds its reservation.
        expiresAt: attempt.expiresAt,
        organizationId: scope.organizationId,
        ...(input.testCard ? { testCard: input.testCard } : {}),
      });
  } catch (error) {
    // Unknown outcome: the attempt stays pending (and reserved) until the reconciler asks the gateway.
    if (error instanceof GatewayUnavailableError) return getAttemptView(ctx, attempt.id);
    throw error;
  }
  await applyGatewayOutcome(ctx, attempt.id, result);
  return getAttemptView(ctx, attempt.id);
}

/**
 * "Save my card": the card is saved at the gateway first (reference transactions, CP3001; recurring support,
 * CP4002), then charged as a saved card with reference = idempotency key = the attempt id, like any charge.
 * Null when the saving failed (the attempt is failed with the gateway's code).
 */
async function chargeWithSavedCard(
  ctx: AppContext,
  scope: PortalScope,
  gateway: PaymentGateway,
  attempt: AttemptRow,
  usage: 'reference' | 'recurring',
  testCard: NonNullable<Static<typeof PayNowInput>['testCard']>,
  returnUrl: URL,
): Promise<GatewayPayment | null> {
  const customer = await gatewayCustomerOf(ctx, scope);
  const setup = await gateway.setUpSavedCard({
    reference: attempt.id,
    idempotencyKey: `${attempt.id}:card`,
    customer,
    returnUrl: returnUrl.toString(),
    usage,
    testCard,
    organizationId: scope.organizationId,
  });
  if (setup.status !== 'succeeded' || !setup.savedCard) {
    await failAttempt(
      ctx,
      attempt.id,
      setup.failure ?? { code: 'authentication_required', message: 'The card could not be saved.' },
    );
    return null;
  }
  await ctx.db.kysely
    .updateTable('paymentAttempts')
    .set({ savedCard: setup.savedCard })
    .where('id', '=', attempt.id)
    .execute();
  return gateway.chargeSavedCard({
    reference: attempt.id,
    idempotencyKey: attempt.id,
    amount: attempt.amount,
    currency: attempt.currency,
    description: `Payment ${attempt.id}`,
    customer,
    savedCard: setup.savedCard,
    recurring: usage === 'recurring',
    organizationId: scope.organizationId,
  });
}

/** What the gateway said about an attempt's charge, applied through the one settle / fail path. */
export async function applyGatewayOutcome(ctx: AppContext, attemptId: string, result: GatewayPayment): Promise<void> {
  switch (result.status) {
    case 'succeeded':
      await settleAttempt(ctx, attemptId, result);
      return;
    case 'failed':
      await failAttempt(ctx, attemptId, result.failure ?? { code: 'processing_error', message: 'Failed.' }, result);
      return;
    case 'requires_action':
    case 'processing':
      await ctx.db.kysely
        .updateTable('paymentAttempts')
        .set({
          status: result.status === 'requires_action' ? 'requires_action' : 'pending',
          gatewayPaymentId: result.gatewayPaymentId,
          redirectUrl: result.redirectUrl ?? null,
          updatedAt: ctx.now().toISOString(),
        })
        .where('id', '=', attemptId)
        .where('status', 'in', [...LIVE_STATUSES])
        .execute();
      return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Settling and failing

async function lockAttempt(ctx: AppContext, trx: Trx, attemptId: string) {
  return trx
    .selectFrom('paymentAttempts')
    .selectAll()
    .where('id', '=', attemptId)
    .$if(forUpdateOn(ctx), (q) => q.forUpdate())
    .executeTakeFirst();
}

/** May this attempt still settle? Live ones, and ones Portico gave up whose charge turned up after all. */
const settleable = (row: AttemptRow) =>
  LIVE_STATUSES.includes(row.status) || (row.status === 'failed' && GIVEN_UP.includes(row.failureCode ?? ''));

/**
 * The gateway charged the attempt: record the payment and apply it, once. Amount and currency must be the
 * attempt's. Money already charged is never dropped: an invoice paid meanwhile by other means (only possible
 * after a reservation was given up) leaves the rest as customer credit. A customer deleted meanwhile gets the
 * charge refunded (CP1003).
 */
export async function settleAttempt(
  ctx: AppContext,
  attemptId: string,
  charge: Pick<GatewayPayment, 'gatewayPaymentId' | 'amount' | 'currency'>,
): Promise<'settled' | 'already' | 'refunded'> {
  let outcome = 'already' as 'settled' | 'already' | 'refunded';
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const attempt = await lockAttempt(ctx, trx, attemptId);
    if (!attempt || !settleable(attempt)) return;
    if (charge.amount !== attempt.amount || charge.currency !== attempt.currency) {
      throw new Error(`attempt ${attemptId}: the gateway charged ${charge.amount} ${charge.currency}`);
    }
    const { organizationId } = attempt;
    const allocations = await trx
      .selectFrom('paymentAttemptAllocations')
      .selectAll()
      .where('attemptId', '=', attemptId)
      .orderBy('id')
      .execute();
    const invoiceIds = allocations.map((a) => a.invoiceId).filter((id): id is string => id !== null);
    const retainerId = allocations.find((a) => a.retainerInvoiceId)?.retainerInvoiceId ?? null;
    const invoices = new Map(
      (invoiceIds.length === 0
        ? []
        : await trx
            .selectFrom('invoices')
            .select(['id', 'status', 'balance', 'number'])
            .where('organizationId', '=', organizationId)
            .where('id', 'in', [...invoiceIds].sort())
            .orderBy('id')
            .$if(forUpdateOn(ctx), (q) => q.forUpdate())
            .execute()
      ).map((row) => [row.id, row]),
    );
    if (retainerId) {
      await trx
        .selectFrom('retainerInvoices')
        .select('id')
        .where('id', '=', retainerId)
        .$if(forUpdateOn(ctx), (q) => q.forUpdate())
        .executeTakeFirst();
    }
    const now = ctx.now().toISOString();
    const customer = await trx
      .selectFrom('customers')
      .select(['deletedAt'])
      .where('id', '=', attempt.customerId)
      .executeTakeFirstOrThrow();
    if (customer.deletedAt !== null) {
      await trx
        .updateTable('paymentAttempts')
        .set({
          status: 'failed',
          failureCode: 'CP1003',
          failureMessage: 'The charge arrived for a deleted customer and is refunded.',
          gatewayPaymentId: charge.gatewayPaymentId,
          updatedAt: now,
        })
        .where('id', '=', attemptId)
        .execute();
      await notifyBusinessOfFailure(ctx, trx, { ...attempt, failureCode: 'CP1003' });
      outcome = 'refunded';
      return;
    }

    const paid = allocations
      .filter((a) => a.invoiceId !== null)
      .map((a) => {
        const invoice = invoices.get(a.invoiceId as string);
        const open = invoice && UNPAID_INVOICE_STATUSES.includes(invoice.status) ? invoice.balance : 0;
        return { invoiceId: a.invoiceId as string, amount: Math.min(a.amount, Math.max(open, 0)) };
      })
      .filter((a) => a.amount > 0);
    const applied = paid.reduce((sum, a) => sum + a.amount, 0);
    const payer = await trx
      .selectFrom('contactPersons')
      .select(['firstName', 'lastName', 'email'])
      .where('id', '=', attempt.contactPersonId)
      .executeTakeFirstOrThrow();
    const paymentId = newId('pay');
    const history: MoneyHistoryEntry[] = [];
    const number = await writeReceivedPayment(ctx, trx, {
      id: paymentId,
      organizationId,
      customerId: attempt.customerId,
      currency: attempt.currency,
      amount: attempt.amount,
      unapplied: attempt.amount - applied,
      date: await organizationToday(ctx, organizationId, trx),
      mode: 'card',
      reference: charge.gatewayPaymentId,
      notes: null,
      source: 'portal',
      retainerInvoiceId: retainerId,
      paidByContactPersonId: attempt.contactPersonId,
      recordedByUserId: null,
      testMode: attempt.testMode === 1,
      allocations: paid,
      history,
      paidByName: contactName(payer),
    });
    for (const entry of history) {
      await recordHistory(trx, {
        organizationId,
        ...entry,
        actorType: 'contact_person',
        actorId: attempt.contactPersonId,
        createdAt: now,
      });
    }
    const updated = await trx
      .updateTable('paymentAttempts')
      .set({
        status: 'succeeded',
        paymentId,
        gatewayPaymentId: charge.gatewayPaymentId,
        failureCode: null,
        failureMessage: null,
        settledAt: now,
        updatedAt: now,
      })
      .where('id', '=', attemptId)
      .where('status', '=', attempt.status)
      .executeTakeFirst();
    // The row lock (PostgreSQL) or the single writer (SQLite) makes this hold; if it did not, roll back.
    if (Number(updated.numUpdatedRows) !== 1) throw new Error(`attempt ${attemptId} settled twice`);
    const documents = allocations.map((a) => invoices.get(a.invoiceId ?? '')?.number).filter(Boolean);
    await notifyBusinessOfPortalActivity(
      trx,
      ctx,
      { organizationId, customerId: attempt.customerId, contactPersonId: attempt.contactPersonId },
      {
        event: 'paid',
        target: { kind: 'payment', id: paymentId, label: number },
        detail: `${money(attempt.amount, attempt.currency)} paid online${documents.length > 0 ? ` for ${documents.join(', ')}` : ' (retainer)'}${attempt.testMode === 1 ? ` (${TEST_PAYMENT_LABEL})` : ''}.`,
      },
    );
    outcome = 'settled';
  });
  if (outcome === 'settled') await sendReceipt(ctx, attemptId);
  if (outcome === 'refunded') await refundAttempt(ctx, attemptId);
  return outcome;
}

/** Marks a live attempt failed (releasing its reservation) and e-mails the business; once. */
export async function failAttempt(
  ctx: AppContext,
  attemptId: string,
  failure: GatewayFailure | { code: string; message: string },
  charge?: Pick<GatewayPayment, 'gatewayPaymentId'>,
): Promise<boolean> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const attempt = await lockAttempt(ctx, trx, attemptId);
    if (!attempt || !LIVE_STATUSES.includes(attempt.status)) return false;
    const updated = await trx
      .updateTable('paymentAttempts')
      .set({
        status: 'failed',
        failureCode: failure.code,
        failureMessage: failure.message.slice(0, 500),
        ...(charge?.gatewayPaymentId ? { gatewayPaymentId: charge.gatewayPaymentId } : {}),
        updatedAt: ctx.now().toISOString(),
      })
      .where('id', '=', attemptId)
      .where('status', '=', attempt.status)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    // Given up for lack of any charge, or cancelled by the client: nothing for the business to do.
    if (!QUIET.includes(failure.code)) {
      await notifyBusinessOfFailure(ctx, trx, {
        ...attempt,
        failureCode: failure.code,
        failureMessage: failure.message,
      });
      // An automatic charge of a recurring invoice: the client hears of it too (nothing for other attempts).
      await notifyClientOfAutopayFailure(ctx, trx, attemptId, failure.code);
    }
    return true;
  });
}

/** What the business reads about a failure code: the §6 catalogue, or a card-level decline. */
export function businessWordsOf(code: string, gatewayMessage: string | null) {
  const entry = paymentErrorOf(code);
  if (entry) return { whatWentWrong: entry.whatWentWrong, whatToDo: entry.whatToDo };
  if (code === NO_CHARGE) {
    return {
      whatWentWrong: 'The payment was not completed: the gateway made no charge for it.',
      whatToDo: 'Nothing: the client can pay again.',
    };
  }
  return {
    whatWentWrong: `The card payment did not go through (${code})${gatewayMessage ? `: ${gatewayMessage}` : '.'}`,
    whatToDo: "Nothing on your side: the client can try again or use another card. It is the card's issuer's call.",
  };
}

/** The owners and admins hear of every failed portal payment, with what went wrong and what they can do. */
async function notifyBusinessOfFailure(
  ctx: AppContext,
  trx: Trx,
  attempt: Pick<
    AttemptRow,
    'organizationId' | 'contactPersonId' | 'customerId' | 'amount' | 'currency' | 'testMode'
  > & {
    failureCode: string | null;
    failureMessage?: string | null;
  },
): Promise<void> {
  const code = attempt.failureCode ?? 'processing_error';
  const organization = await trx
    .selectFrom('organizations')
    .select(['name', 'timeZone'])
    .where('id', '=', attempt.organizationId)
    .executeTakeFirstOrThrow();
  const payer = await trx
    .selectFrom('contactPersons as cp')
    .innerJoin('customers as c', 'c.id', 'cp.customerId')
    .select(['cp.firstName', 'cp.lastName', 'cp.email', 'c.displayName'])
    .where('cp.id', '=', attempt.contactPersonId)
    .executeTakeFirstOrThrow();
  const recipients = await trx
    .selectFrom('users')
    .select('email')
    .where('organizationId', '=', attempt.organizationId)
    .where('role', 'in', ['owner', 'admin'])
    .where('disabledAt', 'is', null)
    .orderBy('createdAt')
    .execute();
  const words = businessWordsOf(code, attempt.failureMessage ?? null);
  const now = ctx.now();
  for (const { email } of recipients) {
    await enqueueTemplate(trx, now, {
      organizationId: attempt.organizationId,
      to: email,
      template: 'paymentFailed',
      data: {
        organizationName: organization.name,
        payer: `${contactName(payer)} of ${payer.displayName}`,
        amount: money(attempt.amount, attempt.currency),
        code,
        ...words,
        clientMessage: clientMessageOf(code),
        when: formatDateTime(now, organization.timeZone),
        backOfficeUrl: new URL('/app/payment-failures', ctx.config.publicUrl).toString(),
        testMode: attempt.testMode === 1,
      },
    });
  }
}

/**
 * The receipt e-mail with its PDF, after the settlement committed (the PDF is rendered outside the transaction).
 * Sent once: a compare-and-set on `receipt_sent_at`; the reconciler sends those a crash left unsent.
 */
export async function sendReceipt(ctx: AppContext, attemptId: string): Promise<void> {
  const attempt = await attemptRow(ctx.db.kysely, attemptId);
  if (attempt?.status !== 'succeeded' || !attempt.paymentId || attempt.receiptSentAt) return;
  const paymentId = attempt.paymentId;
  // In the payer's language, as the e-mail it goes with.
  const language = await contactLanguage(ctx.db.kysely, attempt.organizationId, attempt.contactPersonId);
  const { filename, pdf } = await renderPaymentReceiptPdf(ctx, attempt.organizationId, paymentId, language);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('paymentAttempts')
      .set({ receiptSentAt: ctx.now().toISOString() })
      .where('id', '=', attemptId)
      .where('receiptSentAt', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return;
    const payer = await trx
      .selectFrom('contactPersons')
      .select(['firstName', 'lastName', 'email', 'language'])
      .where('id', '=', attempt.contactPersonId)
      .executeTakeFirstOrThrow();
    if (!payer.email) return;
    const payment = await trx
      .selectFrom('customerPayments')
      .select(['number', 'paymentDate', 'amount', 'currency', 'testMode'])
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    const organization = await trx
      .selectFrom('organizations')
      .select(['name', 'locale'])
      .where('id', '=', attempt.organizationId)
      .executeTakeFirstOrThrow();
    const documents = await allocationsOf(trx, attempt.organizationId, [attemptId]);
    // In the payer's language, as the receipt PDF attached.
    const words = wordsForContact(payer.language, organization.locale);
    await enqueueTemplate(trx, ctx.now(), {
      organizationId: attempt.organizationId,
      to: payer.email,
      template: 'paymentReceipt',
      data: {
        organizationName: organization.name,
        contactName: contactName(payer),
        paymentNumber: payment.number,
        amount: words.money(payment.amount, payment.currency),
        date: words.date(payment.paymentDate),
        lines: documents.map(
          (d) =>
            `${
              d.invoiceNumber
                ? words.t('document.invoice', { number: d.invoiceNumber })
                : words.t('document.retainerInvoice', { number: d.retainerNumber ?? '' })
            }: ${words.money(d.amount, payment.currency)}`,
        ),
        attachmentName: filename,
        testMode: payment.testMode === 1,
        locale: words.locale,
      },
      attachments: [{ filename, contentType: 'application/pdf', contentBase64: pdf.toString('base64') }],
    });
  });
}

/** Gives back a charge that cannot be recorded (CP1003); once, by the refund's idempotency key. */
async function refundAttempt(ctx: AppContext, attemptId: string): Promise<void> {
  const attempt = await attemptRow(ctx.db.kysely, attemptId);
  if (!attempt?.gatewayPaymentId || attempt.refundedAt) return;
  const gateway = await gatewayById(ctx, attempt.organizationId, attempt.gatewayId);
  if (!gateway) return;
  try {
    const refund = await gateway.refund({
      gatewayPaymentId: attempt.gatewayPaymentId,
      amount: attempt.amount,
      reference: attempt.id,
      idempotencyKey: `refund:${attempt.id}`,
    });
    if (refund.status === 'failed') return;
  } catch (error) {
    if (error instanceof GatewayUnavailableError) return;
    throw error;
  }
  await ctx.db.kysely
    .updateTable('paymentAttempts')
    .set({ refundedAt: ctx.now().toISOString() })
    .where('id', '=', attemptId)
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Reconciling

/** Attempts untouched this long are asked about at the gateway (env PAYMENT_RECONCILE_AFTER_SECONDS). */
export function reconcileAfterSeconds(): number {
  const raw = Number(process.env.PAYMENT_RECONCILE_AFTER_SECONDS);
  return Number.isFinite(raw) && raw >= 0 ? raw : 30;
}

/**
 * Finishes attempts left dangling (a crash between the gateway call and the settlement, a lost webhook, a client
 * who never came back from the hosted page), using the gateway's own record of the charge by our reference:
 * succeeded → settle; failed → fail; processing / requires_action → leave (the gateway expires hosted pages);
 * no charge at all → give up (`no_charge`), which releases the reservation. Also sends receipts and refunds a
 * crash left undone. Safe to run in several processes at once: every step is a compare-and-set.
 */
export async function reconcilePaymentAttempts(
  ctx: AppContext,
  options: { olderThanSeconds?: number } = {},
): Promise<{ settled: number; failed: number; receipts: number }> {
  const olderThan = options.olderThanSeconds ?? reconcileAfterSeconds();
  const cutoff = new Date(ctx.now().getTime() - olderThan * 1000).toISOString();
  const result = { settled: 0, failed: 0, receipts: 0 };
  const dangling = await ctx.db.kysely
    .selectFrom('paymentAttempts')
    .selectAll()
    .where('status', 'in', [...LIVE_STATUSES])
    .where('updatedAt', '<=', cutoff)
    .orderBy('updatedAt')
    .limit(500)
    .execute();
  const gateways = new Map<string, PaymentGateway | null>();
  for (const attempt of dangling) {
    const key = attempt.gatewayId ?? '';
    if (!gateways.has(key)) gateways.set(key, await gatewayById(ctx, attempt.organizationId, attempt.gatewayId));
    const gateway = gateways.get(key);
    let charge: GatewayPayment | null = null;
    try {
      if (gateway) {
        charge = attempt.gatewayPaymentId
          ? await gateway.getPayment(attempt.gatewayPaymentId)
          : await gateway.findPaymentByReference(attempt.id);
      }
    } catch (error) {
      if (error instanceof GatewayUnavailableError) continue;
      throw error;
    }
    if (!charge) {
      if (await failAttempt(ctx, attempt.id, { code: NO_CHARGE, message: 'The gateway has no charge for it.' })) {
        result.failed += 1;
      }
      continue;
    }
    if (charge.status === 'succeeded') {
      if ((await settleAttempt(ctx, attempt.id, charge)) === 'settled') result.settled += 1;
    } else if (charge.status === 'failed') {
      if (await failAttempt(ctx, attempt.id, charge.failure ?? { code: 'processing_error', message: '' }, charge)) {
        result.failed += 1;
      }
    } else {
      await applyGatewayOutcome(ctx, attempt.id, charge);
    }
  }
  const unsent = await ctx.db.kysely
    .selectFrom('paymentAttempts')
    .select('id')
    .where('status', '=', 'succeeded')
    .where('receiptSentAt', 'is', null)
    .where('updatedAt', '<=', cutoff)
    .limit(500)
    .execute();
  for (const { id } of unsent) {
    await sendReceipt(ctx, id);
    result.receipts += 1;
  }
  const unrefunded = await ctx.db.kysely
    .selectFrom('paymentAttempts')
    .select('id')
    .where('status', '=', 'failed')
    .where('failureCode', '=', 'CP1003')
    .where('gatewayPaymentId', 'is not', null)
    .where('refundedAt', 'is', null)
    .limit(100)
    .execute();
  for (const { id } of unrefunded) await refundAttempt(ctx, id);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// The business's payment-failure log

export async function listPaymentFailures(
  ctx: AppContext,
  organizationId: string,
  query: { limit?: number; cursor?: string },
) {
  const select = ctx.db.kysely
    .selectFrom('paymentAttempts as p')
    .innerJoin('customers as c', 'c.id', 'p.customerId')
    .innerJoin('contactPersons as cp', 'cp.id', 'p.contactPersonId')
    .selectAll('p')
    .select(['c.displayName', 'cp.firstName', 'cp.lastName', 'cp.email'])
    .where('p.organizationId', '=', organizationId)
    .where('p.status', '=', 'failed');
  // The page's documents are read in one query, so the page is presented after it is fetched.
  const page = await listPage(
    select,
    { key: 'p.createdAt', id: 'p.id', direction: 'desc', keyOf: (row) => row.createdAt },
    query,
    (row) => row,
  );
  const documents = await allocationsOf(
    ctx.db.kysely,
    organizationId,
    page.data.map((row) => row.id),
  );
  return {
    data: page.data.map((row) => {
      const code = row.failureCode ?? 'processing_error';
      return {
        attemptId: row.id,
        createdAt: row.createdAt,
        code,
        clientMessage: clientMessageOf(code),
        ...businessWordsOf(code, row.failureMessage),
        gatewayMessage: row.failureMessage,
        amount: row.amount,
        currency: row.currency,
        customer: { id: row.customerId, name: row.displayName },
        paidBy: { id: row.contactPersonId, name: contactName(row) },
        documents: documents
          .filter((d) => d.attemptId === row.id)
          .map((d) => ({
            invoiceId: d.invoiceId,
            retainerInvoiceId: d.retainerInvoiceId,
            number: d.invoiceNumber ?? d.retainerNumber ?? '',
            amount: d.amount,
          })),
      };
    }),
    nextCursor: page.nextCursor,
  };
}
