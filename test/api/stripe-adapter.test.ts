import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import {
  type CreatePaymentInput,
  GatewayUnavailableError,
  WebhookVerificationError,
} from '../../src/payments/gateway.js';
import { setStripeEndpoint, webhookVerifiersFor } from '../../src/payments/gateway-config.js';
import { StripeGateway } from '../../src/payments/stripe-gateway.js';
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { firstGateway, onlyGateway } from '../support/pay.js';

const SECRET_KEY = 'sk_test_fakeStripeKey000001';
const WEBHOOK_SECRET = 'whsec_fakeStripeWebhookSecret01';
const RETURN_URL = 'http://portico.test/portal/acme/payments/return';

describe('Stripe adapter (against a local fake Stripe)', () => {
  let harness: Harness;
  let fake: FakeStripe;
  let owner: Actor;
  let other: Actor;
  let stripe: StripeGateway;
  let counter = 0;

  before(async () => {
    harness = await startHarness();
    fake = await startFakeStripe();
    setStripeEndpoint(harness.ctx, fake.endpoint);
    owner = await createOrgAndSignIn(harness);
    other = await createOrgAndSignIn(harness);
    for (const [actor, webhookSecret] of [
      [owner, WEBHOOK_SECRET],
      [other, 'whsec_anotherOrganizationsSecret'],
    ] as const) {
      await onlyGateway(actor, { kind: 'stripe', secretKey: SECRET_KEY, webhookSecret });
    }
    const gateway = await firstGateway(harness, owner.organizationId);
    assert.ok(gateway instanceof StripeGateway);
    stripe = gateway;
  });
  after(async () => {
    await fake.close();
    await harness.close();
  });

  function payment(overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
    counter += 1;
    return {
      reference: `pat_stripe${counter}`,
      amount: 12_345,
      currency: 'USD',
      description: 'Invoice INV-00007',
      customer: { name: 'Ann Client', email: 'ann@example.com' },
      returnUrl: RETURN_URL,
      idempotencyKey: `pat_stripe${counter}`,
      organizationId: owner.organizationId,
      ...overrides,
    };
  }
  const withKey = (secretKey: string) =>
    new StripeGateway(harness.ctx, owner.organizationId, { secretKey, webhookSecret: WEBHOOK_SECRET }, fake.endpoint);

  test('a payment on Stripe Checkout: idempotent, found by reference, settled', async () => {
    const input = payment();
    const created = await stripe.createPayment(input);
    assert.equal(created.status, 'requires_action');
    assert.match(created.redirectUrl ?? '', /^https:\/\/checkout\.stripe\.test\//);
    assert.match(created.gatewayPaymentId ?? '', /^cs_test_/);

    const request = fake.requests.find((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
    assert.ok(request);
    assert.equal(request.headers['idempotency-key'], input.idempotencyKey);
    assert.equal(request.headers.authorization, `Bearer ${SECRET_KEY}`);
    assert.equal(request.body.payment_intent_data.metadata.reference, input.reference);
    assert.equal(request.body.payment_intent_data.metadata.organizationId, owner.organizationId);
    assert.equal(request.body.line_items[0].price_data.unit_amount, '12345');
    assert.equal(request.body.line_items[0].price_data.currency, 'usd');
    assert.equal(request.body.success_url, RETURN_URL);

    // A retry (say, after a timeout) with the same key is the same Checkout session, not a second one.
    const again = await stripe.createPayment(input);
    assert.equal(again.gatewayPaymentId, created.gatewayPaymentId);
    assert.equal(fake.sessions.size, 1);

    assert.equal(await stripe.findPaymentByReference(input.reference), null, 'nothing charged yet');
    fake.completeCheckout(created.gatewayPaymentId ?? '');
    const settled = await stripe.getPayment(created.gatewayPaymentId ?? '');
    assert.equal(settled?.status, 'succeeded');
    assert.equal(settled?.amount, 12_345);
    assert.equal(settled?.currency, 'USD');
    assert.equal(settled?.reference, input.reference);
    assert.deepEqual(settled?.card, { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 });

    // The reconciler, knowing only our attempt id, finds the PaymentIntent.
    const found = await stripe.findPaymentByReference(input.reference);
    assert.equal(found?.status, 'succeeded');
    assert.match(found?.gatewayPaymentId ?? '', /^pi_test_/);
    assert.equal(await stripe.getPayment('pi_test_missing'), null);

    const refund = await stripe.refund({
      gatewayPaymentId: created.gatewayPaymentId ?? '',
      amount: 2_345,
      reference: 'rf_1',
      idempotencyKey: 'rf_1',
    });
    assert.equal(refund.status, 'succeeded');
    assert.equal((await stripe.getPayment(found?.gatewayPaymentId ?? ''))?.amountRefunded, 2_345);
  });

  test('saved cards: a SetupIntent through Checkout, then off-session PaymentIntents', async () => {
    const setup = await stripe.setUpSavedCard({
      reference: 'pat_setup1',
      customer: { name: 'Ann', email: 'ann@example.com' },
      returnUrl: RETURN_URL,
      idempotencyKey: 'setup-1',
      usage: 'recurring',
      organizationId: owner.organizationId,
    });
    assert.equal(setup.status, 'requires_action');
    assert.ok(setup.redirectUrl);
    fake.completeCheckout(setup.setupId);
    const done = await stripe.getSavedCardSetup(setup.setupId);
    assert.equal(done?.status, 'succeeded');
    assert.match(done?.savedCard ?? '', /^cus_test_\w+\|pm_test_\w+$/);

    const charged = await stripe.chargeSavedCard({
      ...payment(),
      savedCard: done?.savedCard ?? '',
      recurring: true,
    });
    assert.equal(charged.status, 'succeeded');
    const request = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents').at(-1);
    assert.equal(request?.body.off_session, 'true');
    assert.equal(request?.body.confirm, 'true');
    assert.equal(request?.body.metadata.recurring, 'true');
  });

  test("Stripe's errors become our failure codes", async () => {
    const savedCard = (pm: string) => `cus_test_x|${pm}`;
    const charge = (pm: string, overrides: Partial<CreatePaymentInput> = {}) =>
      stripe.chargeSavedCard({ ...payment(overrides), savedCard: savedCard(pm), recurring: false });

    const fraud = await charge('pm_card_chargeDeclinedFraudulent');
    assert.equal(fraud.status, 'failed');
    assert.equal(fraud.failure?.code, 'CP3003');
    assert.match(fraud.gatewayPaymentId ?? '', /^pi_test_/, 'the declined PaymentIntent is known');
    assert.equal((await charge('pm_card_incorrectZip')).failure?.code, 'CP3004');
    assert.equal((await charge('pm_card_insufficientFunds')).failure?.code, 'insufficient_funds');
    // The declined PaymentIntent, fetched later, reads the same.
    assert.equal((await stripe.getPayment(fraud.gatewayPaymentId ?? ''))?.failure?.code, 'CP3003');

    const small = await stripe.createPayment(payment({ amount: 49 }));
    assert.equal(small.failure?.code, 'CP4001');
    assert.equal(small.gatewayPaymentId, null);
    assert.equal((await stripe.createPayment(payment({ currency: 'XTS' }))).failure?.code, 'CP4003');

    const revoked = await withKey('sk_test_revokedKey00000001').createPayment(payment());
    assert.equal(revoked.status, 'failed');
    assert.equal(revoked.failure?.code, 'CP3002');

    // An outage is no outcome: the caller keeps its attempt pending and reconciles later.
    await assert.rejects(() => withKey('sk_test_outageKey000000001').createPayment(payment()), GatewayUnavailableError);
    await assert.rejects(
      () => withKey('sk_test_outageKey000000001').findPaymentByReference('pat_x'),
      GatewayUnavailableError,
    );
    await assert.rejects(
      () =>
        stripe.createPayment(
          payment({ testCard: { number: '4242424242424242', expMonth: 1, expYear: 2030, cvc: '123' } }),
        ),
      RangeError,
    );
  });

  const eventBody = (organizationId: string, id = `evt_test_${++counter}`) =>
    JSON.stringify({
      id,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(harness.clock.now.getTime() / 1000),
      data: {
        object: {
          id: 'pi_test_webhook',
          object: 'payment_intent',
          amount: 5000,
          currency: 'usd',
          status: 'succeeded',
          metadata: { reference: 'pat_webhook', organizationId },
          latest_charge: null,
        },
      },
    });
  const sign = (payload: string, secret = WEBHOOK_SECRET, timestamp = Math.floor(harness.clock.now.getTime() / 1000)) =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

  test('webhooks: verified signature within 300 s; the event id and organization are exposed', async () => {
    const payload = eventBody(owner.organizationId);
    const event = stripe.verifyWebhook(Buffer.from(payload), { 'stripe-signature': sign(payload) });
    assert.equal(event.type, 'payment.succeeded');
    assert.equal(event.gatewayType, 'payment_intent.succeeded');
    assert.match(event.id, /^evt_test_/);
    assert.equal(event.gatewayPaymentId, 'pi_test_webhook');
    assert.equal(event.reference, 'pat_webhook');
    assert.equal(event.organizationId, owner.organizationId);
    assert.equal(event.amount, 5000);
    assert.equal(event.currency, 'USD');
    assert.equal(event.status, 'succeeded');

    // A bad signature: another secret, or a changed body.
    assert.throws(
      () => stripe.verifyWebhook(Buffer.from(payload), { 'stripe-signature': sign(payload, 'whsec_someoneElse00000') }),
      WebhookVerificationError,
    );
    assert.throws(
      () => stripe.verifyWebhook(Buffer.from(payload.replace('5000', '5')), { 'stripe-signature': sign(payload) }),
      WebhookVerificationError,
    );
    assert.throws(() => stripe.verifyWebhook(Buffer.from(payload), {}), WebhookVerificationError);

    // Older than the 300 s tolerance (by the app's clock), refused; just inside it, accepted.
    const now = Math.floor(harness.clock.now.getTime() / 1000);
    assert.throws(
      () =>
        stripe.verifyWebhook(Buffer.from(payload), { 'stripe-signature': sign(payload, WEBHOOK_SECRET, now - 301) }),
      WebhookVerificationError,
    );
    assert.equal(
      stripe.verifyWebhook(Buffer.from(payload), { 'stripe-signature': sign(payload, WEBHOOK_SECRET, now - 299) }).id,
      event.id,
    );

    // A replay verifies again (the signature is genuine): the same event id lets the flow process it once.
    const replay = stripe.verifyWebhook(Buffer.from(payload), { 'stripe-signature': sign(payload) });
    assert.equal(replay.id, event.id);

    // An event signed with our secret but about another organization: its metadata says so, for the flow to refuse.
    const foreign = eventBody(other.organizationId);
    assert.equal(
      stripe.verifyWebhook(Buffer.from(foreign), { 'stripe-signature': sign(foreign) }).organizationId,
      other.organizationId,
    );
    // The other organization's endpoint checks with its own secret: our events do not verify there.
    const [theirs] = await webhookVerifiersFor(harness.ctx, 'stripe', other.organizationId);
    assert.throws(
      () => theirs?.verifier.verifyWebhook(Buffer.from(payload), { 'stripe-signature': sign(payload) }),
      WebhookVerificationError,
    );
  });

  test('checkout and refund events in our words', async () => {
    const expired = JSON.stringify({
      id: 'evt_test_expired',
      object: 'event',
      type: 'checkout.session.expired',
      created: Math.floor(harness.clock.now.getTime() / 1000),
      data: {
        object: {
          id: 'cs_test_expired',
          object: 'checkout.session',
          mode: 'payment',
          client_reference_id: 'pat_expired',
          metadata: { reference: 'pat_expired', organizationId: owner.organizationId },
          amount_total: 100,
          currency: 'eur',
        },
      },
    });
    const event = stripe.verifyWebhook(Buffer.from(expired), { 'stripe-signature': sign(expired) });
    assert.equal(event.type, 'payment.failed');
    assert.equal(event.failure?.code, 'checkout_expired');
    assert.equal(event.reference, 'pat_expired');
    assert.equal(event.gatewayPaymentId, 'cs_test_expired');
  });
});
