/**
 * Stripe Checkout end to end, against the local fake Stripe: each way an attempt can end — the webhook Stripe
 * sends, the return page, the cancel link, the attempt's expiry (scheduler or the next Pay Now), the reconciler —
 * settles or frees it exactly once, whatever the order and however often the events arrive. Events are shaped as
 * Stripe sends them and signed with its scheme (the `stripe` package's test header).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import type { AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { newId } from '../../src/db/ids.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { setStripeEndpoint } from '../../src/payments/gateway-config.js';
import { createInvoice, invoiceMoney } from '../support/books.js';
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js';
import { type Harness, OWNER_PASSWORD, signIn, startHarness } from '../support/harness.js';
import { assertStatus, onlyGateway, type PayWorld, pay, payWorld } from '../support/pay.js';
import { activatedClient, CLIENT_PASSWORD, customerWithContacts } from '../support/portal.js';

const SECRET_KEY = 'sk_test_checkoutEndToEnd0001';
const WEBHOOK_SECRET = 'whsec_checkoutEndToEndSecret01';
const MINUTE = 60_000;

describe('Stripe Checkout: webhooks, return page, cancel link and expiry settle exactly once', () => {
  let harness: Harness;
  let fake: FakeStripe;
  let world: PayWorld;

  before(async () => {
    harness = await startHarness();
    fake = await startFakeStripe({ clock: () => harness.clock.now });
    setStripeEndpoint(harness.ctx, fake.endpoint);
    world = await payWorld(harness);
    await onlyGateway(world.owner, { kind: 'stripe', secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
  });
  after(async () => {
    await fake.close();
    await harness.close();
  });

  const attemptRow = (id: string) =>
    harness.ctx.db.kysely.selectFrom('paymentAttempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  const paymentsFor = async (invoiceId: string) =>
    harness.ctx.db.kysely
      .selectFrom('paymentAllocations')
      .select(['paymentId', 'amount'])
      .where('invoiceId', '=', invoiceId)
      .execute();

  /** An invoice, and Pay Now for all of it: the attempt waits on a Checkout session. */
  async function startCheckout(total = 5000) {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: total }] }),
      201,
    );
    assert.equal(attempt.status, 'requires_action');
    assert.match(attempt.redirectUrl ?? '', /^https:\/\/checkout\.stripe\.test\//);
    const row = await attemptRow(attempt.id);
    const session = fake.sessions.get(row.gatewayPaymentId ?? '');
    assert.ok(session, 'the attempt records its Checkout session');
    return { invoiceId: invoice.id, attemptId: attempt.id as string, sessionId: session.id as string, total };
  }

  /** Stripe's delivery of an event to the organization's endpoint, signed with its scheme. */
  function deliver(payload: string, secret = WEBHOOK_SECRET) {
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: Math.floor(harness.clock.now.getTime() / 1000),
    });
    return harness.app.inject({
      method: 'POST',
      url: `/api/webhooks/stripe/${world.owner.organizationId}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
      payload,
    });
  }
  const sessionEvent = (type: Stripe.Event.Type, sessionId: string) =>
    fake.eventOf(type, fake.sessions.get(sessionId) ?? {});
  const intentEvent = (type: Stripe.Event.Type, sessionId: string) =>
    fake.eventOf(type, fake.intents.get(fake.sessions.get(sessionId)?.payment_intent) ?? {});

  /** Time passes (past the attempt's 70 minutes); the client and the owner, signed out meanwhile, sign in again. */
  async function later(minutes: number) {
    harness.clock.now = new Date(harness.clock.now.getTime() + minutes * MINUTE);
    const owner = await harness.ctx.db.kysely
      .selectFrom('users')
      .select('email')
      .where('id', '=', world.owner.userId)
      .executeTakeFirstOrThrow();
    world.owner = await signIn(harness, owner.email, OWNER_PASSWORD, world.owner);
    const signedIn = await world.client.request({
      method: 'POST',
      url: '/session',
      payload: { email: world.email, password: CLIENT_PASSWORD },
    });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    world.client.keepSessionFrom(signedIn);
  }

  /** The "a portal payment failed" e-mails to the business so far. */
  const failureMails = async () =>
    (
      await harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select('id')
        .where('organizationId', '=', world.owner.organizationId)
        .where('template', '=', 'paymentFailed')
        .execute()
    ).length;

  const check = (attemptId: string) =>
    world.client.request({ method: 'POST', url: `/payment-attempts/${attemptId}/check` });
  const cancel = (attemptId: string) =>
    world.client.request({ method: 'POST', url: `/payment-attempts/${attemptId}/cancel` });
  const payAgain = (invoiceId: string, amount: number) => pay(world.client, { allocations: [{ invoiceId, amount }] });

  test('the Checkout session expires with the attempt and has a cancel link back to the portal', async () => {
    const { attemptId, sessionId } = await startCheckout();
    const row = await attemptRow(attemptId);
    const session = fake.sessions.get(sessionId);
    assert.equal(session?.expires_at, Math.floor(Date.parse(row.expiresAt) / 1000));
    assert.ok(session?.expires_at - Math.floor(harness.clock.now.getTime() / 1000) >= 30 * 60, "Stripe's minimum");
    const cancelUrl = new URL(session?.cancel_url);
    assert.equal(cancelUrl.pathname, `/portal/${world.slug}/payments/return`);
    assert.equal(cancelUrl.searchParams.get('attempt'), attemptId);
    assert.equal(cancelUrl.searchParams.get('cancelled'), '1');
    assert.equal(new URL(session?.success_url).searchParams.get('cancelled'), null);
    await cancel(attemptId);
  });

  test('checkout.session.completed alone settles the payment; PaymentIntent events, duplicates and replays add nothing', async () => {
    const { invoiceId, attemptId, sessionId } = await startCheckout();
    // The client pays on Checkout and never comes back; no reconciler runs.
    fake.completeCheckout(sessionId);
    const completed = sessionEvent('checkout.session.completed', sessionId);
    const first = await deliver(completed);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), { received: true });
    const row = await attemptRow(attemptId);
    assert.equal(row.status, 'succeeded');
    assert.equal(row.gatewayPaymentId, sessionId);
    assert.equal((await paymentsFor(invoiceId)).length, 1);
    assert.equal((await invoiceMoney(harness, invoiceId)).status, 'paid');

    // What Stripe also sends for the same payment: the PaymentIntent's event — acknowledged, nothing more.
    const intent = await deliver(intentEvent('payment_intent.succeeded', sessionId));
    assert.equal(intent.statusCode, 200, intent.body);
    // The same delivery again (Stripe retries), and the same outcome under another event id.
    assert.equal((await deliver(completed)).json().duplicate, true);
    assert.equal((await deliver(sessionEvent('checkout.session.completed', sessionId))).statusCode, 200);
    assert.equal((await deliver(sessionEvent('checkout.session.async_payment_succeeded', sessionId))).statusCode, 200);
    assert.equal((await paymentsFor(invoiceId)).length, 1);

    // A bad signature is still refused, and an event of something Portico never made is acknowledged.
    assert.equal((await deliver(completed, 'whsec_notTheEndpointsSecret000')).statusCode, 400);
    const tampered = completed.replace(`"amount_total":5000`, `"amount_total":5`);
    assert.notEqual(tampered, completed);
    const header = Stripe.webhooks.generateTestHeaderString({ payload: completed, secret: WEBHOOK_SECRET });
    const forged = await harness.app.inject({
      method: 'POST',
      url: `/api/webhooks/stripe/${world.owner.organizationId}`,
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      payload: tampered,
    });
    assert.equal(forged.statusCode, 400);
    const foreign = fake.eventOf('payment_intent.succeeded', {
      id: 'pi_test_someoneElses',
      object: 'payment_intent',
      amount: 999,
      currency: 'usd',
      status: 'succeeded',
      metadata: {},
    });
    const unknown = await deliver(foreign);
    assert.equal(unknown.statusCode, 200, unknown.body);
    assert.equal(unknown.json().ignored, true);
  });

  test('out of order: a declined card and the PaymentIntent events first leave the page open; the session settles it', async () => {
    const { invoiceId, attemptId, sessionId } = await startCheckout();
    // A first card declined on Checkout: the page stays open for another card.
    fake.completeCheckout(sessionId, 'pm_card_insufficientFunds');
    assert.equal((await deliver(intentEvent('payment_intent.payment_failed', sessionId))).statusCode, 200);
    assert.equal((await attemptRow(attemptId)).status, 'requires_action');
    assert.equal((await payAgain(invoiceId, 5000)).statusCode, 409, 'still reserved');

    fake.completeCheckout(sessionId);
    // payment_intent.succeeded overtakes checkout.session.completed.
    assert.equal((await deliver(intentEvent('payment_intent.succeeded', sessionId))).statusCode, 200);
    assert.equal((await attemptRow(attemptId)).status, 'requires_action');
    assert.equal((await paymentsFor(invoiceId)).length, 0);
    const completed = sessionEvent('checkout.session.completed', sessionId);
    await Promise.all([
      deliver(completed),
      deliver(completed),
      deliver(sessionEvent('checkout.session.completed', sessionId)),
    ]);
    assert.equal((await attemptRow(attemptId)).status, 'succeeded');
    assert.equal((await paymentsFor(invoiceId)).length, 1);
  });

  test('a delayed payment method: pending after checkout, failed by async_payment_failed, which frees the invoice', async () => {
    const { invoiceId, attemptId, sessionId } = await startCheckout();
    fake.completeCheckout(sessionId, 'pm_usBankAccount', { delayed: true });
    const completed = await deliver(sessionEvent('checkout.session.completed', sessionId));
    assert.equal(completed.statusCode, 200, completed.body);
    assert.equal((await attemptRow(attemptId)).status, 'pending');
    assert.equal((await payAgain(invoiceId, 5000)).statusCode, 409, 'the money is on its way: still reserved');
    // The attempt's time passing does not give up a payment in flight.
    await later(71);
    assert.equal((await payAgain(invoiceId, 5000)).statusCode, 409);

    fake.finishDelayedPayment(sessionId, 'failed');
    const failed = await deliver(sessionEvent('checkout.session.async_payment_failed', sessionId));
    assert.equal(failed.statusCode, 200, failed.body);
    const row = await attemptRow(attemptId);
    assert.equal(row.status, 'failed');
    assert.equal(row.failureCode, 'processing_error');
    assert.equal((await paymentsFor(invoiceId)).length, 0);
    assert.equal(assertStatus(await payAgain(invoiceId, 5000), 201).status, 'requires_action', 'free again');

    // The other way: async_payment_succeeded settles, once.
    const other = await startCheckout(6000);
    fake.completeCheckout(other.sessionId, 'pm_usBankAccount', { delayed: true });
    await deliver(sessionEvent('checkout.session.completed', other.sessionId));
    fake.finishDelayedPayment(other.sessionId, 'succeeded');
    const succeeded = sessionEvent('checkout.session.async_payment_succeeded', other.sessionId);
    assert.equal((await deliver(succeeded)).statusCode, 200);
    assert.equal((await deliver(succeeded)).statusCode, 200);
    assert.equal((await attemptRow(other.attemptId)).status, 'succeeded');
    assert.equal((await paymentsFor(other.invoiceId)).length, 1);
  });

  test('checkout.session.expired releases the attempt', async () => {
    const { invoiceId, attemptId, sessionId } = await startCheckout();
    fake.expireCheckout(sessionId);
    const expired = await deliver(sessionEvent('checkout.session.expired', sessionId));
    assert.equal(expired.statusCode, 200, expired.body);
    const row = await attemptRow(attemptId);
    assert.equal(row.status, 'failed');
    assert.equal(row.failureCode, 'checkout_expired');
    assertStatus(await payAgain(invoiceId, 5000), 201);
  });

  test('the cancel link frees the invoice at once and closes the page at Stripe; paid meanwhile, it settles', async () => {
    const { invoiceId, attemptId, sessionId } = await startCheckout();
    const failuresBefore = await failureMails();
    const cancelled = assertStatus(await cancel(attemptId), 200);
    assert.equal(cancelled.status, 'failed');
    assert.equal(cancelled.failure.code, 'checkout_cancelled');
    assert.equal(fake.sessions.get(sessionId)?.status, 'expired', 'closed at Stripe');
    assert.throws(() => fake.completeCheckout(sessionId), /cannot be paid/);
    assertStatus(await payAgain(invoiceId, 5000), 201);
    assert.equal(await failureMails(), failuresBefore, 'the client changed their mind: nothing for the business to do');

    // Paid on Checkout, then the client used the browser's back button to the cancel link: settled, not freed.
    const paid = await startCheckout(7000);
    fake.completeCheckout(paid.sessionId);
    assert.equal(assertStatus(await cancel(paid.attemptId), 200).status, 'succeeded');
    assert.equal((await paymentsFor(paid.invoiceId)).length, 1);
    // Its webhook afterwards adds nothing.
    assert.equal((await deliver(sessionEvent('checkout.session.completed', paid.sessionId))).statusCode, 200);
    assert.equal((await paymentsFor(paid.invoiceId)).length, 1);
  });

  test('charge.refunded (a refund made in Stripe): the business is told once, by audit and e-mail; the books stay', async () => {
    const { invoiceId, attemptId, sessionId } = await startCheckout();
    fake.completeCheckout(sessionId);
    assert.equal((await deliver(sessionEvent('checkout.session.completed', sessionId))).statusCode, 200);
    const row = await attemptRow(attemptId);
    assert.equal(row.status, 'succeeded');
    const charge = fake.intents.get(fake.sessions.get(sessionId)?.payment_intent)?.latest_charge;
    assert.ok(charge, 'the payment has its charge');
    const refunded = fake.eventOf('charge.refunded', { ...charge, amount_refunded: 2000, refunded: false });
    const notices = () =>
      harness.ctx.db.kysely
        .selectFrom('auditLog')
        .select('details')
        .where('organizationId', '=', world.owner.organizationId)
        .where('event', '=', 'payment.refunded_at_gateway')
        .execute();
    const mails = () =>
      harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select(['subject', 'textBody'])
        .where('organizationId', '=', world.owner.organizationId)
        .where('template', '=', 'paymentRefunded')
        .execute();
    // The same delivery three times at once: told once.
    const answers = await Promise.all([deliver(refunded), deliver(refunded), deliver(refunded)]);
    for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body);
    const [notice, ...more] = await notices();
    assert.equal(more.length, 0);
    assert.deepEqual(JSON.parse(notice?.details ?? '{}'), {
      paymentId: row.paymentId,
      paymentAttemptId: attemptId,
      gateway: 'stripe',
      gatewayEventId: JSON.parse(refunded).id,
      amountRefunded: 2000,
      currency: 'USD',
    });
    const sent = await mails();
    assert.equal(sent.length, 1, 'one e-mail to the one owner');
    assert.match(sent[0]?.subject ?? '', /was refunded on Stripe/);
    assert.match(sent[0]?.textBody ?? '', /USD 20\.00/);
    // The books are unchanged: the payment still counts.
    assert.equal((await paymentsFor(invoiceId)).length, 1);
    assert.equal((await invoiceMoney(harness, invoiceId)).status, 'paid');
    // A refund of a charge Portico never made: acknowledged and left alone.
    const foreign = fake.eventOf('charge.refunded', { ...charge, id: 'ch_test_other', metadata: {} });
    assert.equal((await deliver(foreign)).json().ignored, true);
    assert.equal((await notices()).length, 1);
  });

  test("another client cannot check or cancel someone else's attempt", async () => {
    const { attemptId } = await startCheckout();
    const email = `neighbour-${Date.now()}@client.example`;
    const neighbour = await customerWithContacts(world.owner, 'Neighbour', [email]);
    const client = await activatedClient(
      harness,
      world.owner,
      world.slug,
      neighbour.id,
      neighbour.contacts[email] ?? '',
      email,
    );
    for (const verb of ['check', 'cancel']) {
      const response = await client.request({ method: 'POST', url: `/payment-attempts/${attemptId}/${verb}` });
      assert.equal(response.statusCode, 404, `${verb}: ${response.body}`);
    }
    assert.equal((await attemptRow(attemptId)).status, 'requires_action');
    await cancel(attemptId);
  });

  test('the return page settles at once, and racing the webhook still makes one payment', async () => {
    const { invoiceId, attemptId, sessionId } = await startCheckout();
    fake.completeCheckout(sessionId);
    assert.equal(assertStatus(await check(attemptId), 200).status, 'succeeded');
    assert.equal((await paymentsFor(invoiceId)).length, 1);

    for (let round = 0; round < 4; round += 1) {
      const race = await startCheckout(5000 + round);
      fake.completeCheckout(race.sessionId);
      const event = sessionEvent('checkout.session.completed', race.sessionId);
      const [webhook, back, again] = await Promise.all([deliver(event), check(race.attemptId), check(race.attemptId)]);
      assert.equal(webhook.statusCode, 200, webhook.body);
      assert.equal(back.statusCode, 200, back.body);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal((await attemptRow(race.attemptId)).status, 'succeeded');
      const payments = await paymentsFor(race.invoiceId);
      assert.equal(payments.length, 1, `round ${round}`);
      assert.equal(payments[0]?.amount, 5000 + round);
    }
  });

  test('an expired attempt is released lazily by the next Pay Now, its Stripe page closed', async () => {
    const { invoiceId, attemptId, sessionId } = await startCheckout();
    assert.equal((await payAgain(invoiceId, 5000)).statusCode, 409);
    await later(71);
    const again = assertStatus(await payAgain(invoiceId, 5000), 201);
    assert.notEqual(again.id, attemptId);
    const row = await attemptRow(attemptId);
    assert.equal(row.status, 'failed');
    assert.equal(row.failureCode, 'checkout_expired');
    assert.equal(fake.sessions.get(sessionId)?.status, 'expired');
    await cancel(again.id);
  });

  test("a saved card's PaymentIntent (autopay, off session) settles or fails by its own payment_intent events", async () => {
    // Two charges of a card on file still in flight at Stripe (say, after an unknown answer), as the attempt
    // records them: the PaymentIntent's id, with our reference in its metadata.
    const inFlight = async (total: number) => {
      const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total });
      const now = harness.clock.now.toISOString();
      const id = newId('pat');
      const intentId = `pi_test_autopay${total}`;
      await harness.ctx.db.kysely
        .insertInto('paymentAttempts')
        .values({
          id,
          organizationId: world.owner.organizationId,
          customerId: world.customerId,
          contactPersonId: world.contactPersonId,
          status: 'pending',
          amount: total,
          currency: 'USD',
          gatewayKind: 'stripe',
          gatewayPaymentId: intentId,
          redirectUrl: null,
          failureCode: null,
          failureMessage: null,
          paymentId: null,
          saveCard: null,
          savedCard: 'cus_test_x|pm_test_x',
          receiptSentAt: null,
          refundedAt: null,
          expiresAt: new Date(harness.clock.now.getTime() + 70 * MINUTE).toISOString(),
          settledAt: null,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      await harness.ctx.db.kysely
        .insertInto('paymentAttemptAllocations')
        .values({
          id: newId('pata'),
          organizationId: world.owner.organizationId,
          attemptId: id,
          invoiceId: invoice.id,
          retainerInvoiceId: null,
          amount: total,
        })
        .execute();
      const intent = (status: string, lastPaymentError: object | null = null) => ({
        id: intentId,
        object: 'payment_intent',
        amount: total,
        currency: 'usd',
        status,
        last_payment_error: lastPaymentError,
        latest_charge: null,
        metadata: { reference: id, organizationId: world.owner.organizationId, recurring: 'true' },
      });
      return { attemptId: id, invoiceId: invoice.id, intent };
    };

    const paid = await inFlight(4100);
    const succeeded = fake.eventOf('payment_intent.succeeded', paid.intent('succeeded'));
    assert.equal((await deliver(succeeded)).statusCode, 200);
    assert.equal((await deliver(fake.eventOf('payment_intent.succeeded', paid.intent('succeeded')))).statusCode, 200);
    assert.equal((await attemptRow(paid.attemptId)).status, 'succeeded');
    assert.equal((await paymentsFor(paid.invoiceId)).length, 1);

    const declined = await inFlight(4200);
    const error = { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'No.' };
    const failed = await deliver(
      fake.eventOf('payment_intent.payment_failed', declined.intent('requires_payment_method', error)),
    );
    assert.equal(failed.statusCode, 200, failed.body);
    const row = await attemptRow(declined.attemptId);
    assert.equal(row.status, 'failed');
    assert.equal(row.failureCode, 'insufficient_funds');
    // A late success event for another charge id than the attempt's, once it is over: acknowledged, nothing more.
    const stray = { ...declined.intent('succeeded'), id: 'pi_test_somethingElse' };
    assert.equal((await deliver(fake.eventOf('payment_intent.succeeded', stray))).statusCode, 200);
    assert.equal((await paymentsFor(declined.invoiceId)).length, 0);
  });

  test('a `serve --role web` instance settles by webhook alone; a separate worker expires what was abandoned', async () => {
    // The worker: its own connection to the same database and its own scheduler; this harness's app is the web
    // instance, which runs no scheduled work.
    const worker: AppContext = {
      config: harness.ctx.config,
      db: openDatabase(harness.database.url),
      now: () => harness.clock.now,
    };
    setStripeEndpoint(worker, fake.endpoint);
    try {
      const abandoned = await startCheckout();
      const paid = await startCheckout(8000);
      fake.completeCheckout(paid.sessionId);
      assert.equal((await deliver(sessionEvent('checkout.session.completed', paid.sessionId))).statusCode, 200);
      assert.equal((await attemptRow(paid.attemptId)).status, 'succeeded', 'settled on the web instance');

      await later(71);
      const errors: unknown[] = [];
      const scheduler = startScheduler(worker, {
        intervalMs: 3_600_000,
        logger: { error: (details) => errors.push(details), info: () => {} },
      });
      await scheduler.runNow();
      await scheduler.stop();
      assert.deepEqual(errors, []);
      const row = await attemptRow(abandoned.attemptId);
      assert.equal(row.status, 'failed');
      assert.equal(row.failureCode, 'checkout_expired');
      assert.equal(fake.sessions.get(abandoned.sessionId)?.status, 'expired', 'closed at Stripe by the worker');
      assertStatus(await payAgain(abandoned.invoiceId, 5000), 201);
      assert.equal((await paymentsFor(paid.invoiceId)).length, 1);
    } finally {
      await worker.db.close();
    }
  });
});
