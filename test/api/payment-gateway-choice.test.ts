/**
 * Several gateways per organization (PRODUCT.md §6): Pay Now and autopay use the first gateway that takes the
 * invoice's currency, the kind of payment and the amount; CP4003, CP3001, CP4002 and CP4001 say what the whole set
 * lacks; an attempt is finished by the gateway that started it, even once removed; the portal's test mode follows
 * from the whole set. Stripe runs against the local fake.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { setStripeEndpoint } from '../../src/payments/gateway-config.js';
import { createInvoice } from '../support/books.js';
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { assertStatus, GOOD_CARD, newKey, type PayWorld, pay, payWorld } from '../support/pay.js';
import { activatedClient, type PortalClient } from '../support/portal.js';

const STRIPE_KEY = 'sk_test_gatewayChoice0001';
const STRIPE_LIVE_KEY = 'sk_live_gatewayChoice0001';
const WEBHOOK_SECRET = 'whsec_gatewayChoiceSecret01';

describe('payment gateways: the one that fits', () => {
  let harness: Harness;
  let fake: FakeStripe;

  before(async () => {
    harness = await startHarness();
    fake = await startFakeStripe({ clock: () => harness.clock.now });
    setStripeEndpoint(harness.ctx, fake.endpoint);
  });
  after(async () => {
    await fake.close();
    await harness.close();
  });

  const gateways = async (owner: Actor) =>
    assertStatus(await owner.request({ method: 'GET', url: '/api/v1/payment-gateways' }), 200).data as Array<{
      id: string;
      kind: string;
    }>;
  const addGateway = async (owner: Actor, body: Record<string, unknown>) =>
    assertStatus(await owner.request({ method: 'POST', url: '/api/v1/payment-gateways', payload: body }), 201) as {
      id: string;
    };
  const setGateway = async (owner: Actor, id: string, body: Record<string, unknown>) =>
    assertStatus(await owner.request({ method: 'PUT', url: `/api/v1/payment-gateways/${id}`, payload: body }), 200);
  const attemptRow = (id: string) =>
    harness.ctx.db.kysely.selectFrom('paymentAttempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** A second customer of the world's organization, in `currency`, with a signed-in client. */
  async function customerIn(world: PayWorld, currency: string): Promise<{ id: string; client: PortalClient }> {
    const email = `${currency.toLowerCase()}-${newKey()}@client.example`;
    const created = assertStatus(
      await world.owner.request({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { displayName: `${currency} client`, currency, contactPersons: [{ firstName: 'Eve', email }] },
      }),
      201,
    );
    const contactId = created.contactPersons[0].id;
    const client = await activatedClient(harness, world.owner, world.slug, created.id, contactId, email);
    return { id: created.id, client };
  }

  async function payAll(client: PortalClient, invoiceId: string, amount: number, extra: Record<string, unknown> = {}) {
    return assertStatus(await pay(client, { allocations: [{ invoiceId, amount }], ...extra }), 201);
  }

  test('EUR invoices go to the gateway that takes EUR; USD to the one that takes USD; GBP to none (CP4003)', async () => {
    const world = await payWorld(harness);
    const [sandbox] = await gateways(world.owner);
    assert.ok(sandbox);
    await setGateway(world.owner, sandbox.id, { kind: 'sandbox', currencies: ['USD'] });
    const stripe = await addGateway(world.owner, {
      kind: 'stripe',
      secretKey: STRIPE_KEY,
      webhookSecret: WEBHOOK_SECRET,
      currencies: ['EUR'],
    });
    const euro = await customerIn(world, 'EUR');
    const pound = await customerIn(world, 'GBP');

    const eurInvoice = await createInvoice(harness, world.owner, { customerId: euro.id, total: 4200 });
    const eur = await payAll(euro.client, eurInvoice.id, 4200);
    assert.equal(eur.status, 'requires_action', 'on Stripe Checkout');
    assert.match(eur.redirectUrl, /^https:\/\/checkout\.stripe\.test\//);
    const eurRow = await attemptRow(eur.id);
    assert.equal(eurRow.gatewayId, stripe.id);
    assert.equal(eurRow.gatewayKind, 'stripe');
    assert.equal(fake.sessions.get(eurRow.gatewayPaymentId ?? '')?.currency, 'eur');

    const usdInvoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 3100 });
    const usd = await payAll(world.client, usdInvoice.id, 3100);
    assert.equal(usd.status, 'requires_action', 'on the sandbox page');
    assert.equal((await attemptRow(usd.id)).gatewayId, sandbox.id);

    // A test card is paid by the sandbox only: the EUR invoice has no sandbox that takes EUR.
    const eurByCard = await createInvoice(harness, world.owner, { customerId: euro.id, total: 1000 });
    const refusedCard = await payAll(euro.client, eurByCard.id, 1000, { testCard: GOOD_CARD });
    assert.equal(refusedCard.status, 'failed');
    assert.equal(refusedCard.failure.code, 'CP4003');

    const gbpInvoice = await createInvoice(harness, world.owner, { customerId: pound.id, total: 900 });
    const gbp = await payAll(pound.client, gbpInvoice.id, 900);
    assert.equal(gbp.status, 'failed');
    assert.equal(gbp.failure.code, 'CP4003');
    const gbpRow = await attemptRow(gbp.id);
    assert.equal(gbpRow.gatewayId, null, 'no gateway was called');
    assert.equal(
      (await harness.ctx.db.kysely.selectFrom('sandboxCharges').select('id').where('reference', '=', gbp.id).execute())
        .length,
      0,
    );
  });

  test('the minimum, saved cards and recurring follow from the whole set (CP4001, CP3001, CP4002)', async () => {
    const world = await payWorld(harness);
    const [first] = await gateways(world.owner);
    assert.ok(first);
    // The first gateway: large payments only, no saved cards. The second: every amount, saves cards, no recurring.
    await setGateway(world.owner, first.id, { kind: 'sandbox', minimumAmount: 5000, referenceTransactions: false });
    const second = await addGateway(world.owner, { kind: 'sandbox', recurring: false });

    const big = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 6000 });
    const bigPaid = await payAll(world.client, big.id, 6000, { testCard: GOOD_CARD });
    assert.equal(bigPaid.status, 'succeeded');
    assert.equal((await attemptRow(bigPaid.id)).gatewayId, first.id, 'the first that fits');

    const small = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 1000 });
    const smallPaid = await payAll(world.client, small.id, 1000, { testCard: GOOD_CARD });
    assert.equal(smallPaid.status, 'succeeded');
    assert.equal((await attemptRow(smallPaid.id)).gatewayId, second.id, 'below the first one minimum');

    const saved = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 7000 });
    const savedPaid = await payAll(world.client, saved.id, 7000, { testCard: GOOD_CARD, saveCard: 'reference' });
    assert.equal(savedPaid.status, 'succeeded');
    assert.equal((await attemptRow(savedPaid.id)).gatewayId, second.id, 'the first saves no card');

    // Autopay needs recurring: neither gateway charges saved cards automatically.
    const profile = assertStatus(
      await world.owner.request({
        method: 'POST',
        url: '/api/v1/recurring-profiles',
        payload: {
          customerId: world.customerId,
          name: 'Hosting',
          frequency: 'monthly',
          startDate: '2026-04-01',
          template: { lines: [{ name: 'Hosting', quantity: '1', rate: 4500 }] },
        },
      }),
      201,
    );
    const authorize = () =>
      world.client.request({
        method: 'POST',
        url: `/recurring-profiles/${profile.id}/autopay`,
        payload: { testCard: GOOD_CARD },
        headers: { 'idempotency-key': newKey() },
      });
    assert.equal(assertStatus(await authorize(), 201).failure.code, 'CP4002');
    await setGateway(world.owner, second.id, { kind: 'sandbox', referenceTransactions: false });
    assert.equal(assertStatus(await authorize(), 201).failure.code, 'CP3001', 'nothing saves cards at all');
    await setGateway(world.owner, second.id, { kind: 'sandbox' });
    const on = assertStatus(await authorize(), 201);
    assert.equal(on.status, 'on');
    const card = await harness.ctx.db.kysely
      .selectFrom('autopayCards')
      .select('gatewayId')
      .where('recurringProfileId', '=', profile.id)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    assert.equal(card.gatewayId, second.id, 'the card is saved with the gateway that charges it');

    // Below every minimum: CP4001.
    await setGateway(world.owner, second.id, { kind: 'sandbox', minimumAmount: 5000 });
    const tiny = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 300 });
    const refused = await payAll(world.client, tiny.id, 300, { testCard: GOOD_CARD });
    assert.equal(refused.status, 'failed');
    assert.equal(refused.failure.code, 'CP4001');
  });

  test("the sandbox's hosted page applies the rules of the gateway that took the payment", async () => {
    const world = await payWorld(harness);
    const [usd] = await gateways(world.owner);
    assert.ok(usd);
    // The first takes USD and verifies no address; the second takes EUR and requires address verification.
    await setGateway(world.owner, usd.id, { kind: 'sandbox', currencies: ['USD'] });
    const eur = await addGateway(world.owner, { kind: 'sandbox', currencies: ['EUR'], addressVerification: true });
    const euro = await customerIn(world, 'EUR');

    async function payOnPage(client: PortalClient, customerId: string) {
      const invoice = await createInvoice(harness, world.owner, { customerId, total: 2200 });
      const attempt = await payAll(client, invoice.id, 2200);
      assert.equal(attempt.status, 'requires_action');
      const path = new URL(attempt.redirectUrl).pathname;
      const page = await harness.app.inject({ method: 'GET', url: path });
      const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const posted = await harness.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        // No postal code: only address verification refuses it.
        payload: new URLSearchParams({
          csrfToken: csrf,
          cardNumber: '4242 4242 4242 4242',
          expiry: '12/30',
          cvc: '123',
        }).toString(),
      });
      assert.ok(posted.statusCode < 500, posted.body);
      return attemptRow(attempt.id);
    }
    const paid = await payOnPage(world.client, world.customerId);
    assert.equal(paid.gatewayId, usd.id);
    assert.equal(paid.status, 'succeeded');
    const refused = await payOnPage(euro.client, euro.id);
    assert.equal(refused.gatewayId, eur.id);
    assert.equal(refused.status, 'failed');
    assert.equal(refused.failureCode, 'CP3004');
  });

  test('test mode per gateway: the portal says test while any gateway is in test mode', async () => {
    const world = await payWorld(harness);
    const session = async () =>
      assertStatus(await world.client.request({ method: 'GET', url: '/session' }), 200).settings.onlinePayments;
    assert.equal(await session(), 'test');
    const live = await addGateway(world.owner, {
      kind: 'stripe',
      secretKey: STRIPE_LIVE_KEY,
      webhookSecret: WEBHOOK_SECRET,
      currencies: ['USD'],
    });
    assert.equal(await session(), 'test', 'the sandbox is still one of them');

    const [sandbox] = await gateways(world.owner);
    assert.ok(sandbox && sandbox.id !== live.id);
    const byCard = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 2500 });
    const test = await payAll(world.client, byCard.id, 2500, { testCard: GOOD_CARD });
    assert.equal((await attemptRow(test.id)).testMode, 1);

    assert.equal(
      (await world.owner.request({ method: 'DELETE', url: `/api/v1/payment-gateways/${sandbox.id}` })).statusCode,
      204,
    );
    assert.equal(await session(), 'live');
    const byPage = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 2600 });
    const real = await payAll(world.client, byPage.id, 2600);
    const row = await attemptRow(real.id);
    assert.equal(row.gatewayId, live.id);
    assert.equal(row.testMode, 0, 'a live key moves real money');
    // The removed sandbox no longer takes test cards.
    const refused = await pay(world.client, {
      allocations: [{ invoiceId: byPage.id, amount: 1 }],
      testCard: GOOD_CARD,
    });
    assert.equal(refused.statusCode, 400, refused.body);
  });

  test('a removed gateway finishes what it started: its webhook, at the URL that names it, settles once', async () => {
    const world = await payWorld(harness);
    const stripe = await addGateway(world.owner, {
      kind: 'stripe',
      secretKey: STRIPE_KEY,
      webhookSecret: WEBHOOK_SECRET,
    });
    const [sandbox] = await gateways(world.owner);
    assert.ok(sandbox);
    // Stripe first: the sandbox takes nothing but JPY.
    await setGateway(world.owner, sandbox.id, { kind: 'sandbox', currencies: ['JPY'] });
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 5400 });
    const attempt = await payAll(world.client, invoice.id, 5400);
    const row = await attemptRow(attempt.id);
    assert.equal(row.gatewayId, stripe.id);
    assert.equal(
      (await world.owner.request({ method: 'DELETE', url: `/api/v1/payment-gateways/${stripe.id}` })).statusCode,
      204,
    );

    const session = fake.sessions.get(row.gatewayPaymentId ?? '');
    assert.ok(session);
    fake.completeCheckout(session.id);
    const payload = fake.eventOf('checkout.session.completed', fake.sessions.get(session.id) ?? {});
    const deliver = (url: string, secret = WEBHOOK_SECRET) =>
      harness.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': Stripe.webhooks.generateTestHeaderString({
            payload,
            secret,
            timestamp: Math.floor(harness.clock.now.getTime() / 1000),
          }),
        },
        payload,
      });
    const other = await createOrgAndSignIn(harness);
    const [othersGateway] = await gateways(other);
    // Another organization's gateway, an unknown one, another kind: nothing verifies there.
    assert.equal((await deliver(`/api/webhooks/stripe/${othersGateway?.id}`)).statusCode, 404);
    assert.equal((await deliver('/api/webhooks/stripe/gw_nosuchgateway')).statusCode, 404);
    assert.equal((await deliver(`/api/webhooks/sandbox/${stripe.id}`)).statusCode, 404);
    assert.equal((await deliver(`/api/webhooks/stripe/${stripe.id}`, 'whsec_notTheSecretAtAll01')).statusCode, 400);
    assert.equal((await attemptRow(attempt.id)).status, 'requires_action', 'nothing changed');

    const answers = await Promise.all([1, 2, 3].map(() => deliver(`/api/webhooks/stripe/${stripe.id}`)));
    for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body);
    const settled = await attemptRow(attempt.id);
    assert.equal(settled.status, 'succeeded');
    const payments = await harness.ctx.db.kysely
      .selectFrom('paymentAllocations')
      .select('paymentId')
      .where('invoiceId', '=', invoice.id)
      .execute();
    assert.equal(payments.length, 1, 'settled exactly once');
  });
});
