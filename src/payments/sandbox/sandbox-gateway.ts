import { randomBytes } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database, SandboxCardsTable, SandboxChargesTable } from '../../db/schema.js';
import {
  type CardSummary,
  type ChargeSavedCardInput,
  type CreatePaymentInput,
  type GatewayCustomer,
  type GatewayEvent,
  type GatewayEventType,
  type GatewayFailure,
  type GatewayFailureCode,
  GatewayIdempotencyError,
  type GatewayPayment,
  type GatewayRefund,
  type PaymentGateway,
  type PaymentStatus,
  type RefundInput,
  type SavedCardSetup,
  type SetUpSavedCardInput,
  type TestCard,
  WebhookVerificationError,
} from '../gateway.js';
import { keyedDigest } from '../secret-box.js';
import { verifyWebhookSignature } from '../webhook-signature.js';
import type { SandboxRules } from './rules.js';
import {
  behaviourOf,
  brandOf,
  type CardBehaviour,
  luhnValid,
  normalizeCardNumber,
  PROCESSING_SETTLES_AFTER_SECONDS,
} from './test-cards.js';
import {
  deliverSandboxWebhooks,
  recordSandboxEvent,
  SANDBOX_SIGNATURE_HEADER,
  type SandboxEventData,
  sandboxWebhookSecret,
} from './webhooks.js';

type ChargeRow = Selectable<SandboxChargesTable>;
type CardRow = Selectable<SandboxCardsTable>;

/** How long a hosted card-entry or challenge page stays open. */
export const SANDBOX_SESSION_MINUTES = 60;

/** A card setup has no currency: ISO 4217's "no currency" code. */
const NO_CURRENCY = 'XXX';

const MESSAGES: Record<GatewayFailureCode, string> = {
  CP3001: 'Reference transactions are not enabled for this merchant account.',
  CP3002: 'The merchant credentials are not valid.',
  CP3003: "Blocked by the merchant account's fraud filters.",
  CP3004: "The card issuer could not verify the customer's address.",
  CP3005: 'A payment of the same amount with the same card was made moments ago.',
  CP4001: "The amount is below the merchant account's minimum.",
  CP4002: 'This merchant account does not support recurring payments.',
  CP4003: 'This merchant account does not accept the currency.',
  card_declined: 'The card was declined.',
  insufficient_funds: 'The card has insufficient funds.',
  incorrect_cvc: "The card's security code is incorrect.",
  expired_card: 'The card has expired.',
  invalid_number: 'The card number is not valid.',
  invalid_expiry: "The card's expiry date is not valid.",
  invalid_cvc: "The card's security code is not valid.",
  authentication_failed: 'The cardholder did not complete the authentication.',
  authentication_required: 'The card needs the cardholder to authenticate; it cannot be charged off session.',
  checkout_expired: 'The payment page expired before the card was entered.',
  checkout_cancelled: 'The client cancelled on the payment page.',
  processing_error: 'The payment could not be processed.',
};

const failureOf = (code: GatewayFailureCode, message = MESSAGES[code]): GatewayFailure => ({ code, message });

/** A card as typed, checked for shape only (Luhn, expiry, CVC length); never stored. */
export type CheckedCard =
  | { ok: true; number: string; expMonth: number; expYear: number; postalCode: string | null }
  | { ok: false; failure: GatewayFailure; field: 'number' | 'expiry' | 'cvc' };

export function checkCard(card: TestCard, now: Date): CheckedCard {
  const number = normalizeCardNumber(card.number);
  if (!luhnValid(number)) return { ok: false, failure: failureOf('invalid_number'), field: 'number' };
  const expYear = card.expYear < 100 ? 2000 + card.expYear : card.expYear;
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12 || !Number.isInteger(expYear)) {
    return { ok: false, failure: failureOf('invalid_expiry'), field: 'expiry' };
  }
  if (expYear > now.getUTCFullYear() + 30) return { ok: false, failure: failureOf('invalid_expiry'), field: 'expiry' };
  const cvcPattern = brandOf(number) === 'amex' ? /^\d{4}$/ : /^\d{3}$/;
  if (!cvcPattern.test(card.cvc)) return { ok: false, failure: failureOf('invalid_cvc'), field: 'cvc' };
  const postalCode = card.postalCode?.trim() ? card.postalCode.trim().slice(0, 20) : null;
  return { ok: true, number, expMonth: card.expMonth, expYear, postalCode };
}

/** A card is good through the last day of its expiry month. */
function expired(card: { expMonth: number; expYear: number }, now: Date): boolean {
  return Date.UTC(card.expYear, card.expMonth, 1) <= now.getTime();
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.origin === origin && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
  } catch {
    return false;
  }
}

interface Outcome {
  status: PaymentStatus;
  failure?: GatewayFailure;
  /** The card needs the extra step before the charge can go on. */
  challenge?: boolean;
}

/**
 * The built-in sandbox gateway: a card processor with test cards and merchant rules, whose records (charges,
 * tokenized cards, sessions, refunds, events) live in Portico's database under `sandbox_…` tables.
 */
export class SandboxGateway implements PaymentGateway {
  readonly kind = 'sandbox' as const;
  readonly acceptsTestCards = true;
  readonly testMode = true;

  constructor(
    private readonly ctx: AppContext,
    private readonly organizationId: string,
    private readonly rules: SandboxRules,
  ) {}

  get merchantRules(): SandboxRules {
    return structuredClone(this.rules);
  }

  async createPayment(input: CreatePaymentInput): Promise<GatewayPayment> {
    this.checkOrganization(input.organizationId);
    this.checkAmount(input.amount, input.currency);
    this.checkReturnUrl(input.returnUrl);
    if (input.cancelUrl) this.checkReturnUrl(input.cancelUrl);
    const existing = await this.chargeByKey(input.idempotencyKey);
    if (existing) {
      return this.presentPayment(await this.replay(existing, 'payment', input.reference, input.amount, input.currency));
    }

    const refusal = this.merchantRefusal({ currency: input.currency, amount: input.amount });
    if (refusal) return this.presentPayment(await this.insertFinal('payment', input, refusal));
    if (!input.testCard) return this.presentPayment(await this.insertAwaitingCard('payment', input));

    const checked = checkCard(input.testCard, this.ctx.now());
    if (!checked.ok) return this.presentPayment(await this.insertFinal('payment', input, checked.failure));
    return this.presentPayment(await this.insertWithCard('payment', input, checked, false));
  }

  async getPayment(gatewayPaymentId: string): Promise<GatewayPayment | null> {
    const row = await this.charge(gatewayPaymentId, 'payment');
    return row ? this.presentPayment(await this.settle(row)) : null;
  }

  /**
   * The client gave up on the hosted page: the page closes at once and the charge fails as cancelled (a page
   * whose time was up already fails as expired), in one step with the page's closing, so that a card entered in
   * the same instant either got in first (the charge stands) or finds the page closed.
   */
  async cancelPayment(gatewayPaymentId: string): Promise<GatewayPayment | null> {
    const row = await this.charge(gatewayPaymentId, 'payment');
    if (!row) return null;
    const current = await this.settle(row);
    if (current.status === 'requires_action') {
      await transitionCharge(
        this.ctx,
        current,
        { status: 'failed', failureCode: 'checkout_cancelled', failureMessage: MESSAGES.checkout_cancelled },
        {
          before: async (trx) => {
            await trx
              .updateTable('sandboxCheckoutSessions')
              .set({ expiresAt: this.ctx.now().toISOString() })
              .where('organizationId', '=', this.organizationId)
              .where('chargeId', '=', gatewayPaymentId)
              .where('completedAt', 'is', null)
              .execute();
            return true;
          },
        },
      );
    }
    return this.getPayment(gatewayPaymentId);
  }

  async findPaymentByReference(reference: string): Promise<GatewayPayment | null> {
    const row = await this.ctx.db.kysely
      .selectFrom('sandboxCharges')
      .selectAll()
      .where('organizationId', '=', this.organizationId)
      .where('kind', '=', 'payment')
      .where('reference', '=', reference)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? this.presentPayment(await this.settle(row)) : null;
  }

  async setUpSavedCard(input: SetUpSavedCardInput): Promise<SavedCardSetup> {
    this.checkOrganization(input.organizationId);
    this.checkReturnUrl(input.returnUrl);
    const existing = await this.chargeByKey(input.idempotencyKey);
    if (existing) return this.presentSetup(await this.replay(existing, 'card_setup', input.reference, 0, NO_CURRENCY));
    const details = { ...input, amount: 0, currency: NO_CURRENCY, description: 'Card saved for later payments' };
    const recurring = input.usage === 'recurring';
    const refusal = this.merchantRefusal({ savedCard: input.usage });
    if (refusal) return this.presentSetup(await this.insertFinal('card_setup', details, refusal, { recurring }));
    if (!input.testCard) return this.presentSetup(await this.insertAwaitingCard('card_setup', details, { recurring }));
    const checked = checkCard(input.testCard, this.ctx.now());
    if (!checked.ok) return this.presentSetup(await this.insertFinal('card_setup', details, checked.failure));
    return this.presentSetup(await this.insertWithCard('card_setup', details, checked, input.usage === 'recurring'));
  }

  async getSavedCardSetup(setupId: string): Promise<SavedCardSetup | null> {
    const row = await this.charge(setupId, 'card_setup');
    return row ? this.presentSetup(await this.settle(row)) : null;
  }

  async chargeSavedCard(input: ChargeSavedCardInput): Promise<GatewayPayment> {
    this.checkOrganization(input.organizationId);
    this.checkAmount(input.amount, input.currency);
    const existing = await this.chargeByKey(input.idempotencyKey);
    if (existing) {
      return this.presentPayment(await this.replay(existing, 'payment', input.reference, input.amount, input.currency));
    }
    const details = { ...input, returnUrl: null };
    const refusal = this.merchantRefusal({
      currency: input.currency,
      amount: input.amount,
      savedCard: input.recurring ? 'recurring' : 'reference',
    });
    if (refusal) return this.presentPayment(await this.insertFinal('payment', details, refusal, { saved: true }));
    const card = await this.ctx.db.kysely
      .selectFrom('sandboxCards')
      .selectAll()
      .where('organizationId', '=', this.organizationId)
      .where('id', '=', input.savedCard)
      .where('reusable', '=', 1)
      .executeTakeFirst();
    if (!card) {
      const failure = failureOf('card_declined', 'No such saved card.');
      return this.presentPayment(await this.insertFinal('payment', details, failure, { saved: true }));
    }
    const outcome = await this.cardOutcome(card, {
      amount: input.amount,
      currency: input.currency,
      postalCode: card.postalCode ?? input.customer.address?.postalCode ?? null,
      offSession: true,
      purpose: 'payment',
    });
    return this.presentPayment(await this.insertOutcome('payment', details, card, outcome, { saved: true }));
  }

  async refund(input: RefundInput): Promise<GatewayRefund> {
    const prior = await this.ctx.db.kysely
      .selectFrom('sandboxRefunds')
      .selectAll()
      .where('organizationId', '=', this.organizationId)
      .where('idempotencyKey', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (prior) {
      if (prior.chargeId !== input.gatewayPaymentId || prior.amount !== input.amount) {
        throw new GatewayIdempotencyError('This idempotency key was used for another refund.');
      }
      return this.presentRefund(prior);
    }
    if (!Number.isInteger(input.amount) || input.amount <= 0) throw new RangeError('A refund is a positive integer.');
    const now = this.ctx.now().toISOString();
    let eventId: string | null = null;
    const refund = await this.ctx.db.kysely.transaction().execute(async (trx) => {
      const charge = await trx
        .selectFrom('sandboxCharges')
        .selectAll()
        .where('organizationId', '=', this.organizationId)
        .where('id', '=', input.gatewayPaymentId)
        .where('kind', '=', 'payment')
        .executeTakeFirst();
      let failure: GatewayFailure | null = null;
      if (charge?.status !== 'succeeded') {
        failure = failureOf('processing_error', 'Only a succeeded payment can be refunded.');
      } else {
        // Compare-and-set on what is left, so two refunds at once never return more than was paid.
        const updated = await trx
          .updateTable('sandboxCharges')
          .set((eb) => ({ amountRefunded: eb('amountRefunded', '+', input.amount), updatedAt: now }))
          .where('id', '=', charge.id)
          .where('amountRefunded', '<=', charge.amount - input.amount)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) {
          failure = failureOf('processing_error', 'The refund is more than what is left of the payment.');
        }
      }
      const row = {
        id: newId('sbre'),
        organizationId: this.organizationId,
        chargeId: input.gatewayPaymentId,
        reference: input.reference,
        idempotencyKey: input.idempotencyKey,
        amount: input.amount,
        status: failure ? ('failed' as const) : ('succeeded' as const),
        failureCode: failure?.code ?? null,
        createdAt: now,
      };
      await trx.insertInto('sandboxRefunds').values(row).execute();
      if (!failure && charge) {
        const after = await trx
          .selectFrom('sandboxCharges')
          .selectAll()
          .where('id', '=', charge.id)
          .executeTakeFirstOrThrow();
        eventId = await recordSandboxEvent(this.ctx, trx, this.organizationId, 'payment.refunded', eventData(after));
      }
      return row;
    });
    if (eventId) await deliverSandboxWebhooks(this.ctx, [eventId]);
    return this.presentRefund(refund);
  }

  verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): GatewayEvent {
    verifyWebhookSignature(
      sandboxWebhookSecret(this.ctx, this.organizationId),
      rawBody,
      headers[SANDBOX_SIGNATURE_HEADER],
      Math.floor(this.ctx.now().getTime() / 1000),
    );
    let event: { id: string; type: string; createdAt: string; organizationId: string; data: SandboxEventData };
    try {
      event = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new WebhookVerificationError('The body is not JSON.');
    }
    const known: GatewayEventType[] = [
      'payment.succeeded',
      'payment.failed',
      'payment.processing',
      'payment.requires_action',
      'payment.refunded',
      'card_setup.succeeded',
      'card_setup.failed',
    ];
    const data = event.data;
    return {
      id: event.id,
      type: known.includes(event.type as GatewayEventType) ? (event.type as GatewayEventType) : 'other',
      gatewayType: event.type,
      organizationId: event.organizationId ?? null,
      gatewayPaymentId: data?.gatewayPaymentId ?? null,
      reference: data?.reference ?? null,
      amount: data?.amount ?? null,
      currency: data?.currency ?? null,
      status: (data?.status as PaymentStatus | undefined) ?? null,
      ...(data?.failure ? { failure: data.failure as GatewayFailure } : {}),
      ...(data?.savedCard ? { savedCard: data.savedCard } : {}),
      createdAt: event.createdAt,
    };
  }

  // --- rules and cards -------------------------------------------------------------------------------------

  /** A payment for another organization through this one's gateway is a bug in the caller. */
  private checkOrganization(organizationId: string): void {
    if (organizationId !== this.organizationId) throw new RangeError("Another organization's payment.");
  }

  private checkAmount(amount: number, currency: string): void {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError('A payment amount is a positive integer.');
    if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError('A currency is an upper-case ISO 4217 code.');
  }

  /** The hosted page sends the client back to Portico only: never an open redirect. */
  private checkReturnUrl(returnUrl: string): void {
    if (!sameOrigin(returnUrl, this.ctx.config.publicUrl.origin)) {
      throw new RangeError("The return URL must be on PUBLIC_URL's origin.");
    }
  }

  /** The merchant account's own refusals, before any card is looked at. */
  private merchantRefusal(what: {
    currency?: string;
    amount?: number;
    savedCard?: 'reference' | 'recurring';
  }): GatewayFailure | null {
    const rules = this.rules;
    if (!rules.credentialsValid) return failureOf('CP3002');
    if (what.savedCard && !rules.referenceTransactions) return failureOf('CP3001');
    if (what.savedCard === 'recurring' && !rules.recurring) return failureOf('CP4002');
    if (what.currency && rules.currencies !== null && !rules.currencies.includes(what.currency)) {
      return failureOf('CP4003', `This merchant account does not accept ${what.currency}.`);
    }
    if (what.amount !== undefined && what.amount < rules.minimumAmount) return failureOf('CP4001');
    return null;
  }

  /** What happens when this card pays (or is saved): fraud filters, address check, duplicates, then the issuer. */
  async cardOutcome(
    card: CardRow,
    charge: {
      amount: number;
      currency: string;
      postalCode: string | null;
      offSession: boolean;
      purpose: 'payment' | 'card_setup';
      excludeChargeId?: string;
    },
  ): Promise<Outcome> {
    const rules = this.rules;
    const behaviour = card.behaviour as CardBehaviour;
    const failed = (code: GatewayFailureCode): Outcome => ({ status: 'failed', failure: failureOf(code) });
    if (rules.fraudFilters.blockHighRiskCards && behaviour === 'fraud') return failed('CP3003');
    if (rules.fraudFilters.maxAmount !== null && charge.amount > rules.fraudFilters.maxAmount) {
      return {
        status: 'failed',
        failure: failureOf('CP3003', 'Blocked by the fraud filters: the amount is above the limit.'),
      };
    }
    if (rules.addressVerification && (behaviour === 'address_mismatch' || !charge.postalCode)) return failed('CP3004');
    if (charge.purpose === 'payment' && rules.duplicateWindowSeconds > 0) {
      const since = new Date(this.ctx.now().getTime() - rules.duplicateWindowSeconds * 1000).toISOString();
      let query = this.ctx.db.kysely
        .selectFrom('sandboxCharges')
        .select('id')
        .where('organizationId', '=', this.organizationId)
        .where('kind', '=', 'payment')
        .where('cardFingerprint', '=', card.fingerprint)
        .where('amount', '=', charge.amount)
        .where('currency', '=', charge.currency)
        .where('status', 'in', ['succeeded', 'processing'])
        .where('createdAt', '>=', since);
      if (charge.excludeChargeId) query = query.where('id', '!=', charge.excludeChargeId);
      if (await query.executeTakeFirst()) return failed('CP3005');
    }
    if (expired(card, this.ctx.now())) return failed('expired_card');
    switch (behaviour) {
      case 'generic_decline':
      case 'not_a_test_card':
        return {
          status: 'failed',
          failure: failureOf(
            'card_declined',
            behaviour === 'not_a_test_card' ? 'The sandbox accepts its test cards only.' : MESSAGES.card_declined,
          ),
        };
      case 'insufficient_funds':
        return failed('insufficient_funds');
      case 'incorrect_cvc':
        return failed('incorrect_cvc');
      case 'expired_card':
        return failed('expired_card');
      case 'decline_after_attach':
        return charge.purpose === 'payment' ? failed('card_declined') : { status: 'succeeded' };
      case 'challenge':
        // Off session nobody can answer the challenge; a saved card that needs one is refused, as 3-D Secure does.
        return charge.offSession ? failed('authentication_required') : { status: 'requires_action', challenge: true };
      case 'processing':
        return { status: charge.purpose === 'payment' ? 'processing' : 'succeeded' };
      default:
        return { status: 'succeeded' };
    }
  }

  // --- records ---------------------------------------------------------------------------------------------

  private async chargeByKey(idempotencyKey: string): Promise<ChargeRow | undefined> {
    return this.ctx.db.kysely
      .selectFrom('sandboxCharges')
      .selectAll()
      .where('organizationId', '=', this.organizationId)
      .where('idempotencyKey', '=', idempotencyKey)
      .executeTakeFirst();
  }

  private async charge(id: string, kind: ChargeRow['kind']): Promise<ChargeRow | undefined> {
    return this.ctx.db.kysely
      .selectFrom('sandboxCharges')
      .selectAll()
      .where('organizationId', '=', this.organizationId)
      .where('id', '=', id)
      .where('kind', '=', kind)
      .executeTakeFirst();
  }

  /** A retried call: the first call's charge, or an error when the key was used for something else. */
  private async replay(
    row: ChargeRow,
    kind: ChargeRow['kind'],
    reference: string,
    amount: number,
    currency: string,
  ): Promise<ChargeRow> {
    if (row.kind !== kind || row.reference !== reference || row.amount !== amount || row.currency !== currency) {
      throw new GatewayIdempotencyError('This idempotency key was used with other parameters.');
    }
    return this.settle(row);
  }

  private baseRow(
    kind: ChargeRow['kind'],
    input: {
      reference: string;
      idempotencyKey: string;
      amount: number;
      currency: string;
      description: string;
      customer: GatewayCustomer;
      returnUrl: string | null;
      cancelUrl?: string;
    },
    extra: { saved?: boolean; recurring?: boolean } = {},
  ) {
    const now = this.ctx.now().toISOString();
    return {
      id: newId('sbch'),
      organizationId: this.organizationId,
      kind,
      reference: input.reference,
      idempotencyKey: input.idempotencyKey,
      amount: input.amount,
      currency: input.currency,
      description: input.description.slice(0, 500),
      customerName: input.customer.name.slice(0, 200),
      customerEmail: input.customer.email,
      customerPostalCode: input.customer.address?.postalCode ?? null,
      savedCard: extra.saved ? (1 as const) : (0 as const),
      recurring: extra.recurring ? (1 as const) : (0 as const),
      returnUrl: input.returnUrl,
      cancelUrl: input.cancelUrl ?? null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Inserts a charge, or — when another call with the same idempotency key won the race — returns that one.
   * `write` adds the rows that go with it (card, session, event) in the same transaction.
   */
  private async insert(
    row: ReturnType<SandboxGateway['baseRow']> & Partial<ChargeRow>,
    options: { newCard?: CardRow; session?: 'card_entry' | 'challenge' } = {},
  ): Promise<ChargeRow> {
    let eventId: string | null = null;
    try {
      const charge = await this.ctx.db.kysely.transaction().execute(async (trx) => {
        if (options.newCard) await trx.insertInto('sandboxCards').values(options.newCard).execute();
        await trx
          .insertInto('sandboxCharges')
          .values({ status: 'processing', ...row })
          .execute();
        const inserted = await trx
          .selectFrom('sandboxCharges')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        if (options.session) await openSession(this.ctx, trx, inserted, options.session);
        if (inserted.status !== 'requires_action') {
          eventId = await recordSandboxEvent(
            this.ctx,
            trx,
            this.organizationId,
            eventTypeOf(inserted),
            eventData(inserted),
          );
        }
        return inserted;
      });
      if (eventId) await deliverSandboxWebhooks(this.ctx, [eventId]);
      return charge;
    } catch (error) {
      const winner = await this.chargeByKey(row.idempotencyKey);
      if (winner) return winner;
      throw error;
    }
  }

  private insertFinal(
    kind: ChargeRow['kind'],
    input: Parameters<SandboxGateway['baseRow']>[1],
    failure: GatewayFailure,
    extra: { saved?: boolean; recurring?: boolean } = {},
  ): Promise<ChargeRow> {
    return this.insert({
      ...this.baseRow(kind, input, extra),
      status: 'failed',
      failureCode: failure.code,
      failureMessage: failure.message,
    });
  }

  /** No card yet: the client enters it on the sandbox's hosted page. */
  private insertAwaitingCard(
    kind: ChargeRow['kind'],
    input: Parameters<SandboxGateway['baseRow']>[1],
    extra: { recurring?: boolean } = {},
  ) {
    return this.insert({ ...this.baseRow(kind, input, extra), status: 'requires_action' }, { session: 'card_entry' });
  }

  private async insertWithCard(
    kind: ChargeRow['kind'],
    input: Parameters<SandboxGateway['baseRow']>[1],
    checked: Extract<CheckedCard, { ok: true }>,
    recurring: boolean,
  ): Promise<ChargeRow> {
    const card = this.cardRow(checked, kind === 'card_setup', recurring);
    const outcome = await this.cardOutcome(card, {
      amount: input.amount,
      currency: input.currency,
      postalCode: checked.postalCode ?? input.customer.address?.postalCode ?? null,
      offSession: false,
      purpose: kind,
    });
    return this.insertOutcome(kind, input, card, outcome, { newCard: true, recurring });
  }

  /** A charge whose card was looked at: its outcome, with the card (new ones are stored, as tokens). */
  async insertOutcome(
    kind: ChargeRow['kind'],
    input: Parameters<SandboxGateway['baseRow']>[1],
    card: CardRow,
    outcome: Outcome,
    extra: { saved?: boolean; newCard?: boolean; recurring?: boolean },
  ): Promise<ChargeRow> {
    const row = {
      ...this.baseRow(kind, input, extra),
      status: outcome.status,
      failureCode: outcome.failure?.code ?? null,
      failureMessage: outcome.failure?.message ?? null,
      cardId: card.id,
      cardFingerprint: card.fingerprint,
    };
    return this.insert(row, {
      ...(extra.newCard ? { newCard: card } : {}),
      ...(outcome.challenge ? { session: 'challenge' as const } : {}),
    });
  }

  /** A tokenized card: brand, last four, expiry, a keyed fingerprint and its test behaviour — never the number. */
  cardRow(checked: Extract<CheckedCard, { ok: true }>, reusable: boolean, recurring: boolean): CardRow {
    return {
      id: newId('sbcard'),
      organizationId: this.organizationId,
      brand: brandOf(checked.number),
      last4: checked.number.slice(-4),
      expMonth: checked.expMonth,
      expYear: checked.expYear,
      fingerprint: keyedDigest(
        this.ctx.config.appSecret,
        `sandbox-card-fingerprint:${this.organizationId}`,
        checked.number,
      ),
      behaviour: behaviourOf(checked.number),
      postalCode: checked.postalCode,
      reusable: reusable ? 1 : 0,
      usage: reusable ? (recurring ? 'recurring' : 'reference') : null,
      createdAt: this.ctx.now().toISOString(),
    };
  }

  /**
   * Time passes at a processor too: a `processing` test charge succeeds after a minute, and a charge whose
   * hosted page expired unused fails. Each change is recorded once (compare-and-set) and sends its webhook.
   */
  private async settle(row: ChargeRow): Promise<ChargeRow> {
    const now = this.ctx.now();
    let next: { status: PaymentStatus; failureCode: string | null; failureMessage: string | null } | null = null;
    if (row.status === 'processing') {
      if (now.getTime() - Date.parse(row.createdAt) >= PROCESSING_SETTLES_AFTER_SECONDS * 1000) {
        next = { status: 'succeeded', failureCode: null, failureMessage: null };
      }
    } else if (row.status === 'requires_action') {
      const open = await this.ctx.db.kysely
        .selectFrom('sandboxCheckoutSessions')
        .select('id')
        .where('chargeId', '=', row.id)
        .where('completedAt', 'is', null)
        .where('expiresAt', '>', now.toISOString())
        .executeTakeFirst();
      if (!open)
        next = { status: 'failed', failureCode: 'checkout_expired', failureMessage: MESSAGES.checkout_expired };
    }
    if (!next) return row;
    return (await transitionCharge(this.ctx, row, next)) ?? row;
  }

  private async presentPayment(row: ChargeRow): Promise<GatewayPayment> {
    const card = await this.cardSummary(row.cardId);
    const redirectUrl = row.status === 'requires_action' ? await this.sessionUrl(row.id) : undefined;
    return {
      gatewayPaymentId: row.id,
      reference: row.reference,
      status: row.status,
      amount: row.amount,
      currency: row.currency,
      amountRefunded: row.amountRefunded,
      ...(redirectUrl ? { redirectUrl } : {}),
      ...(row.failureCode
        ? { failure: { code: row.failureCode as GatewayFailureCode, message: row.failureMessage ?? '' } }
        : {}),
      ...(card ? { card } : {}),
    };
  }

  private async presentSetup(row: ChargeRow): Promise<SavedCardSetup> {
    const card = await this.cardSummary(row.cardId);
    const redirectUrl = row.status === 'requires_action' ? await this.sessionUrl(row.id) : undefined;
    const status = row.status === 'processing' ? 'requires_action' : row.status;
    return {
      setupId: row.id,
      reference: row.reference,
      status,
      ...(redirectUrl ? { redirectUrl } : {}),
      ...(row.status === 'succeeded' && row.cardId ? { savedCard: row.cardId } : {}),
      ...(card ? { card } : {}),
      ...(row.failureCode
        ? { failure: { code: row.failureCode as GatewayFailureCode, message: row.failureMessage ?? '' } }
        : {}),
    };
  }

  private presentRefund(row: Selectable<Database['sandboxRefunds']>): GatewayRefund {
    return {
      gatewayRefundId: row.id,
      status: row.status,
      amount: row.amount,
      ...(row.failureCode
        ? { failure: failureOf(row.failureCode as GatewayFailureCode, 'The refund was refused.') }
        : {}),
    };
  }

  private async cardSummary(cardId: string | null): Promise<CardSummary | undefined> {
    if (!cardId) return undefined;
    const card = await this.ctx.db.kysely
      .selectFrom('sandboxCards')
      .select(['brand', 'last4', 'expMonth', 'expYear'])
      .where('id', '=', cardId)
      .executeTakeFirst();
    return card ?? undefined;
  }

  private async sessionUrl(chargeId: string): Promise<string | undefined> {
    const session = await this.ctx.db.kysely
      .selectFrom('sandboxCheckoutSessions')
      .select(['id', 'purpose'])
      .where('chargeId', '=', chargeId)
      .where('completedAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .executeTakeFirst();
    return session ? sessionUrlOf(this.ctx, session) : undefined;
  }
}

export function sessionUrlOf(ctx: AppContext, session: { id: string; purpose: 'card_entry' | 'challenge' }): string {
  const page = session.purpose === 'card_entry' ? 'checkout' : 'challenge';
  return new URL(`/sandbox-gateway/${page}/${session.id}`, ctx.config.publicUrl).toString();
}

/** A hosted page for a charge: a ≥128-bit id in the URL and a separate per-session CSRF token in its form. */
export async function openSession(
  ctx: AppContext,
  trx: Transaction<Database>,
  charge: ChargeRow,
  purpose: 'card_entry' | 'challenge',
): Promise<string> {
  const id = newId('sbcs');
  const now = ctx.now();
  await trx
    .insertInto('sandboxCheckoutSessions')
    .values({
      id,
      organizationId: charge.organizationId,
      chargeId: charge.id,
      purpose,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: new Date(now.getTime() + SANDBOX_SESSION_MINUTES * 60_000).toISOString(),
      createdAt: now.toISOString(),
    })
    .execute();
  return id;
}

export function eventTypeOf(row: ChargeRow): string {
  if (row.kind === 'card_setup') return row.status === 'succeeded' ? 'card_setup.succeeded' : 'card_setup.failed';
  return `payment.${row.status}`;
}

export function eventData(row: ChargeRow): SandboxEventData {
  return {
    kind: row.kind,
    gatewayPaymentId: row.id,
    reference: row.reference,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    amountRefunded: row.amountRefunded,
    failure: row.failureCode ? { code: row.failureCode, message: row.failureMessage ?? '' } : null,
    savedCard: row.kind === 'card_setup' && row.status === 'succeeded' ? row.cardId : null,
  };
}

/**
 * Moves a charge on from the state it was read in (compare-and-set: of two concurrent callers one wins, the other
 * gets null) and records and delivers the webhook of the new state.
 */
export async function transitionCharge(
  ctx: AppContext,
  row: ChargeRow,
  next: {
    status: PaymentStatus;
    failureCode: string | null;
    failureMessage: string | null;
    cardId?: string;
    cardFingerprint?: string;
  },
  hooks: {
    /** Runs first; returning false rolls everything back (e.g. the hosted page's session was already used). */
    before?: (trx: Transaction<Database>) => Promise<boolean>;
    after?: (trx: Transaction<Database>, charge: ChargeRow) => Promise<void>;
  } = {},
): Promise<ChargeRow | null> {
  let eventId: string | null = null;
  const lost = new Error('lost the race');
  let updated: ChargeRow | null;
  try {
    updated = await ctx.db.kysely.transaction().execute(async (trx) => {
      if (hooks.before && !(await hooks.before(trx))) throw lost;
      const result = await trx
        .updateTable('sandboxCharges')
        .set({ ...next, updatedAt: ctx.now().toISOString() })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw lost;
      const after = await trx
        .selectFrom('sandboxCharges')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      if (hooks.after) await hooks.after(trx, after);
      if (after.status !== 'requires_action') {
        eventId = await recordSandboxEvent(ctx, trx, after.organizationId, eventTypeOf(after), eventData(after));
      }
      return after;
    });
  } catch (error) {
    if (error === lost) return null;
    throw error;
  }
  if (eventId) await deliverSandboxWebhooks(ctx, [eventId]);
  return updated;
}
