import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { PaymentAttemptsTable } from '../../db/schema.js';
import { UNPAID_INVOICE_STATUSES } from '../../domain/invoice-states.js';
import { paymentErrorOf } from '../../domain/payment-errors.js';
import { type GatewayPayment, GatewayUnavailableError, type PaymentGateway } from '../../payments/gateway.js';
import { chooseGateway, type PaymentNeed } from '../../payments/gateway-choice.js';
import { type GatewayConfig, gatewayConfigById, gatewayFrom } from '../../payments/gateway-config.js';
import {
  applyGatewayOutcome,
  failAttempt,
  gatewayCustomerOf,
  LIVE_STATUSES,
  NO_CHARGE,
  porticoRefusal,
  reconcileAfterSeconds,
  reservedOn,
} from '../online-payments/index.js';

/*
 * The automatic charges of recurring invoices (the `autopay-charges` scheduler job, after `recurring-invoices`).
 *
 * Picks every invoice that a recurring profile generated after its client turned autopay on, that is sent (not a
 * draft: a profile that does not send automatically is charged once the business sends the invoice), still owes
 * money, and was never charged automatically. Being a job of its own rather than a step of generation, a crash
 * between the invoice and its charge is simply picked up on the next run.
 *
 * Each charge goes through the Pay Now machinery (online-payments/service.ts): one transaction locks the
 * invoice, re-reads its balance and what live attempts hold on it, runs Portico's own checks (CP1003, CP1004 —
 * the profile was deleted meanwhile —, CP2001, CP4003), and writes the payment attempt (reference = idempotency
 * key = the attempt id) with its reservation AND the invoice's `autopay_charges` row, whose primary key is the
 * invoice: an invoice is charged automatically at most once, ever, whatever runs at the same time. After that
 * commit the card on file is charged (chargeSavedCard, recurring: CP3001 / CP4002 at the gateway, a decline,
 * authentication_required for a card that needs its holder); the outcome settles or fails the attempt through
 * the one settle / fail path, which records the payment (source portal) and sends the receipt, or e-mails the
 * business (paymentFailed) and the client (autopayFailed, with the link to pay in the portal). A failed
 * automatic charge is not retried: the invoice stays open for the client to pay.
 *
 * An attempt left pending by a crash (or an unknown gateway outcome) is resumed by the next run before the
 * reconciler would give it up: the charge made under its reference is looked up, and if there is none it is
 * made again under the same idempotency key — the gateway never charges one key twice.
 */

type AttemptRow = Selectable<PaymentAttemptsTable>;

export interface AutopayRunResult {
  /** Attempts started this run (one per invoice). */
  charged: string[];
  /** Attempts resumed after a crash or an unknown outcome. */
  resumed: string[];
  failures: Array<{ invoiceId: string; error: unknown }>;
}

const forUpdateOn = (ctx: AppContext) => ctx.db.dialect === 'postgres';
const ATTEMPT_LIFETIME_MINUTES = 70;
/** The same words on a resumed call: a gateway may compare a retried call's parameters with the first one's. */
const describe = (organizationName: string, invoiceNumber: string) =>
  `${organizationName}: ${invoiceNumber} (automatic payment)`.slice(0, 500);

export async function chargeAutopayInvoices(ctx: AppContext): Promise<AutopayRunResult> {
  const result: AutopayRunResult = { charged: [], resumed: [], failures: [] };
  const gateways = new Map<string, GatewayConfig | null>();
  const gatewayOf = async (organizationId: string, gatewayId: string | null) => {
    const key = gatewayId ?? '';
    if (!gateways.has(key)) {
      gateways.set(key, gatewayId ? await gatewayConfigById(ctx, organizationId, gatewayId) : null);
    }
    return gateways.get(key) ?? null;
  };

  await resumePendingCharges(ctx, gatewayOf, result);

  const candidates = await ctx.db.kysely
    .selectFrom('invoices as i')
    .innerJoin('autopayCards as c', (join) =>
      join
        .onRef('c.organizationId', '=', 'i.organizationId')
        .onRef('c.recurringProfileId', '=', 'i.recurringProfileId')
        .onRef('c.customerId', '=', 'i.customerId'),
    )
    .leftJoin('autopayCharges as ac', 'ac.invoiceId', 'i.id')
    .select(['i.id as invoiceId', 'i.organizationId', 'c.id as cardId', 'c.gatewayId'])
    .where('c.status', '=', 'active')
    .where('ac.invoiceId', 'is', null)
    .where('i.status', 'in', [...UNPAID_INVOICE_STATUSES])
    .where('i.balance', '>', 0)
    // Only invoices made after the client said yes: turning autopay on does not charge older ones.
    .whereRef('i.createdAt', '>=', 'c.authorizedAt')
    .orderBy('i.createdAt')
    .orderBy('i.id')
    .limit(500)
    .execute();

  for (const candidate of candidates) {
    try {
      const gateway = await gatewayOf(candidate.organizationId, candidate.gatewayId);
      const attemptId = await chargeInvoice(ctx, gateway, candidate.invoiceId, candidate.cardId);
      if (attemptId) result.charged.push(attemptId);
    } catch (error) {
      result.failures.push({ invoiceId: candidate.invoiceId, error });
    }
  }
  return result;
}

const need = (invoice: { currency: string; balance: number }): PaymentNeed => ({
  currency: invoice.currency,
  amount: invoice.balance,
  use: 'recurring',
});

interface Reserved {
  attempt: AttemptRow;
  refusal: string | null;
  token: string;
  description: string;
}

/** Reserves and charges one invoice; null when there is nothing to do (charged already, paid, held). */
async function chargeInvoice(
  ctx: AppContext,
  config: GatewayConfig | null,
  invoiceId: string,
  cardId: string,
): Promise<string | null> {
  const reserved = await ctx.db.kysely.transaction().execute(async (trx): Promise<Reserved | null> => {
    const invoice = await trx
      .selectFrom('invoices')
      .select(['id', 'organizationId', 'customerId', 'number', 'status', 'currency', 'balance', 'recurringProfileId'])
      .where('id', '=', invoiceId)
      .$if(forUpdateOn(ctx), (q) => q.forUpdate())
      .executeTakeFirst();
    if (!invoice?.recurringProfileId) return null;
    if (!UNPAID_INVOICE_STATUSES.includes(invoice.status) || invoice.balance <= 0) return null;
    // Under the invoice's lock (PostgreSQL) or the single writer (SQLite): another run that got here first has
    // written its row, and the primary key stops any that did not see it.
    const already = await trx
      .selectFrom('autopayCharges')
      .select('invoiceId')
      .where('invoiceId', '=', invoice.id)
      .executeTakeFirst();
    if (already) return null;
    const card = await trx
      .selectFrom('autopayCards')
      .selectAll()
      .where('id', '=', cardId)
      .where('organizationId', '=', invoice.organizationId)
      .executeTakeFirst();
    if (card?.status !== 'active' || !card.gatewayToken) return null;
    // A payment the client started in the portal holds the invoice: leave it to them this run.
    const held = (await reservedOn(trx, invoice.organizationId, [invoice.id], [])).get(invoice.id) ?? 0;
    if (held > 0) return null;

    const scope = {
      organizationId: invoice.organizationId,
      customerId: invoice.customerId,
      contactPersonId: card.authorizedByContactPersonId,
    };
    // The card is charged by the gateway that saved it, while it is still one of the organization's and takes
    // this charge (its currency, minimum and automatic payments now).
    const choice = config && !config.removedAt ? chooseGateway([config], need(invoice)) : null;
    let refusal: string | null = await porticoRefusal(
      trx,
      scope,
      [invoice.recurringProfileId],
      choice && 'refusal' in choice ? choice.refusal : null,
    );
    if (!refusal && !choice) refusal = 'card_declined';
    const organization = await trx
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', invoice.organizationId)
      .executeTakeFirstOrThrow();
    const now = ctx.now();
    const attempt: AttemptRow = {
      id: newId('pat'),
      organizationId: invoice.organizationId,
      customerId: invoice.customerId,
      contactPersonId: card.authorizedByContactPersonId,
      // Written live, then failed through failAttempt when refused, so both sides are e-mailed the one way.
      status: 'pending',
      amount: invoice.balance,
      currency: invoice.currency,
      gatewayKind: config?.kind ?? null,
      gatewayId: config?.id ?? null,
      testMode: config?.testMode ? 1 : 0,
      gatewayPaymentId: null,
      redirectUrl: null,
      failureCode: null,
      failureMessage: null,
      paymentId: null,
      saveCard: null,
      savedCard: card.gatewayToken,
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
      .values({
        id: newId('pata'),
        organizationId: invoice.organizationId,
        attemptId: attempt.id,
        invoiceId: invoice.id,
        retainerInvoiceId: null,
        amount: invoice.balance,
      })
      .execute();
    await trx
      .insertInto('autopayCharges')
      .values({
        invoiceId: invoice.id,
        organizationId: invoice.organizationId,
        autopayCardId: card.id,
        attemptId: attempt.id,
        createdAt: now.toISOString(),
      })
      .execute();
    return {
      attempt,
      refusal,
      token: card.gatewayToken,
      description: describe(organization.name, invoice.number),
    };
  });
  if (!reserved) return null;
  const { attempt, refusal } = reserved;
  if (refusal || !config) {
    const code = refusal ?? 'card_declined';
    const message =
      code === 'card_declined'
        ? 'The card on file was saved with a payment gateway the business no longer uses.'
        : (paymentErrorOf(code)?.whatWentWrong ?? code);
    await failAttempt(ctx, attempt.id, { code, message });
    return attempt.id;
  }
  await charge(ctx, gatewayFrom(ctx, config), attempt, reserved.token, reserved.description);
  return attempt.id;
}

async function charge(ctx: AppContext, gateway: PaymentGateway, attempt: AttemptRow, token: string, text: string) {
  let outcome: GatewayPayment;
  try {
    outcome = await gateway.chargeSavedCard({
      reference: attempt.id,
      idempotencyKey: attempt.id,
      amount: attempt.amount,
      currency: attempt.currency,
      description: text,
      customer: await gatewayCustomerOf(ctx, {
        organizationId: attempt.organizationId,
        customerId: attempt.customerId,
        contactPersonId: attempt.contactPersonId,
      }),
      savedCard: token,
      recurring: true,
      organizationId: attempt.organizationId,
    });
  } catch (error) {
    // Unknown outcome: the attempt stays pending (and reserved); the next run or the reconciler finishes it.
    if (error instanceof GatewayUnavailableError) return;
    throw error;
  }
  await applyGatewayOutcome(ctx, attempt.id, outcome);
}

/**
 * Automatic charges still pending with no charge id after the reconciler's delay: a crash between the attempt
 * and the gateway call, or an unknown outcome. Runs before the reconciler, which would give them up.
 */
async function resumePendingCharges(
  ctx: AppContext,
  gatewayOf: (organizationId: string, gatewayId: string | null) => Promise<GatewayConfig | null>,
  result: AutopayRunResult,
) {
  const cutoff = new Date(ctx.now().getTime() - reconcileAfterSeconds() * 1000).toISOString();
  const stuck = await ctx.db.kysely
    .selectFrom('paymentAttempts as p')
    .innerJoin('autopayCharges as ac', 'ac.attemptId', 'p.id')
    .innerJoin('autopayCards as c', 'c.id', 'ac.autopayCardId')
    .innerJoin('invoices as i', 'i.id', 'ac.invoiceId')
    .innerJoin('organizations as o', 'o.id', 'p.organizationId')
    .selectAll('p')
    .select(['c.status as cardStatus', 'c.gatewayToken', 'i.number as invoiceNumber', 'o.name as organizationName'])
    .where('p.status', 'in', [...LIVE_STATUSES])
    .where('p.gatewayPaymentId', 'is', null)
    .where('p.updatedAt', '<=', cutoff)
    .limit(100)
    .execute();
  for (const row of stuck) {
    const config = await gatewayOf(row.organizationId, row.gatewayId);
    if (!config) continue;
    const gateway = gatewayFrom(ctx, config);
    try {
      const found = await gateway.findPaymentByReference(row.id);
      if (found) {
        await applyGatewayOutcome(ctx, row.id, found);
      } else if (row.cardStatus === 'active' && row.gatewayToken) {
        await charge(ctx, gateway, row, row.gatewayToken, describe(row.organizationName, row.invoiceNumber));
      } else {
        // The client withdrew the card before it was ever charged: nothing to do, the invoice stays open.
        await failAttempt(ctx, row.id, { code: NO_CHARGE, message: 'The card on file was withdrawn.' });
      }
      result.resumed.push(row.id);
    } catch (error) {
      if (error instanceof GatewayUnavailableError) continue;
      result.failures.push({ invoiceId: row.id, error });
    }
  }
}
