/**
 * A PayPal gateway in the business API and in Pay Now's choice: its credentials are sealed and shown masked, its
 * sandbox is test mode, it keeps no cards on file (so saved cards and autopay go to another gateway, or CP3001),
 * and an invoice goes to it by currency beside the sandbox. Bad settings are 400 and change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setPayPalEndpoint } from '../../src/payments/gateway-config.js';
import { createInvoice } from '../support/books.js';
import { type FakePayPal, startFakePayPal } from '../support/fake-paypal.js';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, GOOD_CARD, newKey, type PayWorld, pay, payWorld } from '../support/pay.js';
import { activatedClient } from '../support/portal.js';

const PAYPAL = {
  kind: 'paypal',
  clientId: 'AsettingsTestClientId00000001',
  clientSecret: 'EsettingsTestSecretValue4321',
  webhookId: '1JE4291016473214C',
  environment: 'sandbox',
};

describe('PayPal gateway: settings and gateway choice', () => {
  let harness: Harness;
  let fake: FakePayPal;
  let world: PayWorld;

  before(async () => {
    harness = await startHarness();
    fake = await startFakePayPal({ clock: () => harness.clock.now });
    setPayPalEndpoint(harness.ctx, fake.origin);
    world = await payWorld(harness);
  });
  after(async () => {
    await fake.close();
    await harness.close();
  });

  const gateways = async () =>
    assertStatus(await world.owner.request({ method: 'GET', url: '/api/v1/payment-gateways' }), 200).data as Array<
      Record<string, unknown> & { id: string; kind: string }
    >;
  const rows = () => harness.ctx.db.kysely.selectFrom('paymentGateways').selectAll().execute();
  const attemptRow = (id: string) =>
    harness.ctx.db.kysely.selectFrom('paymentAttempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  test('added, shown masked, sealed at rest; edited without credentials keeps them; bad settings are 400', async () => {
    const before = await rows();
    for (const bad of [
      { ...PAYPAL, referenceTransactions: true },
      { ...PAYPAL, addressFields: 'full_address' },
      { ...PAYPAL, webhookId: 'not a webhook id' },
      { ...PAYPAL, environment: 'production' },
      { ...PAYPAL, clientSecret: undefined },
      { ...PAYPAL, currencies: ['XYZ'] },
    ]) {
      const refused = await world.owner.request({ method: 'POST', url: '/api/v1/payment-gateways', payload: bad });
      assert.equal(refused.statusCode, 400, `${JSON.stringify(bad)}: ${refused.body}`);
      assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    }
    assert.deepEqual(await rows(), before, 'nothing written');

    const added = assertStatus(
      await world.owner.request({
        method: 'POST',
        url: '/api/v1/payment-gateways',
        payload: { ...PAYPAL, currencies: ['EUR'] },
      }),
      201,
    );
    assert.equal(added.kind, 'paypal');
    assert.equal(added.testMode, true);
    assert.equal(added.referenceTransactions, false);
    assert.equal(added.recurring, false);
    assert.equal(added.stripe, null);
    assert.equal(added.sandbox, null);
    assert.deepEqual(added.paypal, {
      clientId: '…0001',
      clientSecret: '…4321',
      webhookId: PAYPAL.webhookId,
      environment: 'sandbox',
      credentialsReadable: true,
    });
    assert.equal(new URL(added.webhookUrl).pathname, `/api/webhooks/paypal/${added.id}`);
    const row = (await rows()).find((r) => r.id === added.id);
    assert.ok(row?.credentialsEncrypted);
    assert.ok(!row.credentialsEncrypted.includes(PAYPAL.clientSecret), 'the secret is sealed');
    assert.ok(!JSON.stringify(added).includes(PAYPAL.clientSecret), 'never shown back');

    // Edited without credentials: kept. Some of the four but not all: 400, nothing changes.
    const put = (body: Record<string, unknown>) =>
      world.owner.request({ method: 'PUT', url: `/api/v1/payment-gateways/${added.id}`, payload: body });
    const kept = assertStatus(await put({ kind: 'paypal', currencies: ['EUR'], minimumAmount: 100 }), 200);
    assert.equal(kept.minimumAmount, 100);
    assert.equal(kept.paypal.clientSecret, '…4321');
    const sealed = (await rows()).find((r) => r.id === added.id)?.credentialsEncrypted;
    const partial = await put({ kind: 'paypal', currencies: ['EUR'], clientSecret: 'EanotherSecretValue000000' });
    assert.equal(partial.statusCode, 400, partial.body);
    assert.equal((await rows()).find((r) => r.id === added.id)?.credentialsEncrypted, sealed);
    assert.equal((await put({ kind: 'stripe' })).statusCode, 400, 'the kind stays');

    // Live credentials: real money, and the portal says so once no gateway is in test mode.
    const live = assertStatus(
      await put({ ...PAYPAL, currencies: ['EUR'], environment: 'live', clientSecret: 'ElivePayPalSecretValue7777' }),
      200,
    );
    assert.equal(live.testMode, false);
    assert.equal(live.paypal.clientSecret, '…7777');
    assertStatus(await put({ ...PAYPAL, currencies: ['EUR'], minimumAmount: 0 }), 200);
  });

  test('EUR goes to PayPal and USD to the sandbox; saved cards and autopay go elsewhere, or CP3001', async () => {
    const list = await gateways();
    const sandbox = list.find((g) => g.kind === 'sandbox');
    const paypal = list.find((g) => g.kind === 'paypal');
    assert.ok(sandbox && paypal);
    assertStatus(
      await world.owner.request({
        method: 'PUT',
        url: `/api/v1/payment-gateways/${sandbox.id}`,
        payload: { kind: 'sandbox', currencies: ['USD'] },
      }),
      200,
    );
    const email = `eur-${newKey()}@client.example`;
    const customer = assertStatus(
      await world.owner.request({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { displayName: 'Euro client', currency: 'EUR', contactPersons: [{ firstName: 'Eve', email }] },
      }),
      201,
    );
    const euro = await activatedClient(
      harness,
      world.owner,
      world.slug,
      customer.id,
      customer.contactPersons[0].id,
      email,
    );

    const eurInvoice = await createInvoice(harness, world.owner, { customerId: customer.id, total: 4200 });
    const eur = assertStatus(await pay(euro, { allocations: [{ invoiceId: eurInvoice.id, amount: 4200 }] }), 201);
    assert.equal(eur.status, 'requires_action');
    assert.match(eur.redirectUrl, /paypal\.test\/checkoutnow/);
    const eurRow = await attemptRow(eur.id);
    assert.equal(eurRow.gatewayId, paypal.id);
    assert.equal(eurRow.gatewayKind, 'paypal');
    assert.deepEqual(fake.orders.get(eurRow.gatewayPaymentId ?? '')?.purchase_units[0].amount, {
      currency_code: 'EUR',
      value: '42.00',
    });

    const usdInvoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 3100 });
    const usd = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: usdInvoice.id, amount: 3100 }] }),
      201,
    );
    assert.equal((await attemptRow(usd.id)).gatewayId, sandbox.id);

    // PayPal first for every currency: a payment that saves the card still goes to the sandbox.
    assertStatus(
      await world.owner.request({
        method: 'PUT',
        url: `/api/v1/payment-gateways/${paypal.id}`,
        payload: { kind: 'paypal' },
      }),
      200,
    );
    assertStatus(
      await world.owner.request({
        method: 'PUT',
        url: `/api/v1/payment-gateways/${sandbox.id}`,
        payload: { kind: 'sandbox' },
      }),
      200,
    );
    const savedInvoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 2500 });
    const saved = assertStatus(
      await pay(world.client, {
        allocations: [{ invoiceId: savedInvoice.id, amount: 2500 }],
        testCard: GOOD_CARD,
        saveCard: 'reference',
      }),
      201,
    );
    assert.equal(saved.status, 'succeeded');
    assert.equal((await attemptRow(saved.id)).gatewayId, sandbox.id);

    // PayPal alone: autopay has no gateway that keeps cards (CP3001), and no PayPal call is made for it.
    assert.equal(
      (await world.owner.request({ method: 'DELETE', url: `/api/v1/payment-gateways/${sandbox.id}` })).statusCode,
      204,
    );
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
    const calls = fake.requests.length;
    const autopay = await world.client.request({
      method: 'POST',
      url: `/recurring-profiles/${profile.id}/autopay`,
      payload: {},
      headers: { 'idempotency-key': newKey() },
    });
    assert.equal(assertStatus(autopay, 201).failure.code, 'CP3001');
    assert.equal(fake.requests.length, calls);
  });
});
