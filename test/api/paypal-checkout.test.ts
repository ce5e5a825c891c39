/**
 * PayPal (Orders v2) end to end, against the local fake PayPal: the payer approves on PayPal's page, then Portico
 * captures — by the approval's webhook, the return page or the reconciler, whichever comes first — and the capture
 * settles the attempt exactly once, whatever the order and however often the events arrive. Events are verified
 * as PayPal specifies (its verify-webhook-signature call, which the fake answers); a bad one is 400 and changes
 * nothing. The cancel link frees the invoice at once, and an approval that comes after is never captured.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reconcilePaymentAttempts } from '../../src/modules/online-payments/index.js';
import { setPayPalEndpoint } from '../../src/payments/gateway-config.js';
import { createInvoice, invoiceMoney } from '../support/books.js';
import { type FakePayPal, startFakePayPal } from '../support/fake-paypal.js';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, onlyGateway, type PayWorld, pay, payWorld } from '../support/pay.js';

const CLIENT_ID = 'AcheckoutEndToEndClientId0001';
const CLIENT_SECRET = 'EcheckoutEndToEndSecret000001';
const WEBHOOK_ID = '8PT597110X687430LKGECATA';

describe('PayPal: webhooks, return page, cancel link and reconciler settle exactly once', () => {
  let harness: Harness;
  let fake: FakePayPal;
  let world: PayWorld;
  let gatewayId: string;

  before(async () => {
    harness = await startHarness();
    fake = await startFakePayPal({ clock: () => harness.clock.now });
    setPayPalEndpoint(harness.ctx, fake.origin);
    world = await payWorld(harness);
    const gateway = await onlyGateway(world.owner, {
      kind: 'paypal',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      webhookId: WEBHOOK_ID,
      environment: 'sandbox',
    });
    gatewayId = gateway.id;
    assert.equal(gateway.testMode, true, "PayPal's sandbox is test mode");
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

  const captureCalls = (orderId: string) =>
    fake.requests.filter((r) => r.method === 'POST' && r.path === `/v2/checkout/orders/${orderId}/capture`).length;

  /** An invoice, and Pay Now for all of it: the attempt waits on a PayPal order. */
  async function startOrder(total = 5000) {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: total }] }),
      201,
    );
    assert.equal(attempt.status, 'requires_action');
    assert.match(attempt.redirectUrl ?? '', /^https:\/\/www\.sandbox\.paypal\.test\/checkoutnow\?token=/);
    const row = await attemptRow(attempt.id);
    const order = fake.orders.get(row.gatewayPaymentId ?? '');
    assert.ok(order, 'the attempt records its PayPal order');
    return { invoiceId: invoice.id, attemptId: attempt.id as string, orderId: order.id as string, total };
  }

  /** PayPal's delivery of an event to the gateway's endpoint, with its transmission headers. */
  function deliver(payload: string, options: { webhookId?: string; time?: Date } = {}) {
    return harness.app.inject({
      method: 'POST',
      url: `/api/webhooks/paypal/${gatewayId}`,
      headers: fake.deliveryHeaders(payload, options.webhookId ?? WEBHOOK_ID, options.time),
      payload,
    });
  }
  const approved = (orderId: string) => fake.eventOf('CHECKOUT.ORDER.APPROVED', fake.orders.get(orderId) ?? {});
  const captureEvent = (type: string, orderId: string) => fake.eventOf(type, fake.captureOf(orderId));

  const check = (attemptId: string) =>
    world.client.request({ method: 'POST', url: `/payment-attempts/${attemptId}/check` });
  const cancel = (attemptId: string) =>
    world.client.request({ method: 'POST', url: `/payment-attempts/${attemptId}/cancel` });
  const payAgain = (invoiceId: string, amount: number) => pay(world.client, { allocations: [{ invoiceId, amount }] });

  test('the order carries the amount, our reference, and return and cancel links back to the portal', async () => {
    const { attemptId, orderId } = await startOrder(1234);
    const created = fake.requests.find((r) => r.path === '/v2/checkout/orders' && r.method === 'POST');
    assert.equal(created?.headers['paypal-request-id'], attemptId, 'the attempt id is the idempotency key');
    const order = fake.orders.get(orderId);
    const unit = order?.purchase_units[0];
    assert.deepEqual(unit.amount, { currency_code: 'USD', value: '12.34' });
    assert.equal(unit.reference_id, attemptId);
    assert.equal(unit.custom_id, `${world.owner.organizationId}/${attemptId}`);
    const context = order?.payment_source.paypal.experience_context;
    const cancelUrl = new URL(context.cancel_url);
    assert.equal(cancelUrl.pathname, `/portal/${world.slug}/payments/return`);
    assert.equal(cancelUrl.searchParams.get('attempt'), attemptId);
    assert.equal(cancelUrl.searchParams.get('cancelled'), '1');
    assert.equal(new URL(context.return_url).searchParams.get('cancelled'), null);
    assert.equal((await attemptRow(attemptId)).testMode, 1);
    await cancel(attemptId);
  });

  test('CHECKOUT.ORDER.APPROVED alone captures and settles; the capture events, duplicates and replays add nothing', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder();
    // The payer approves on PayPal and never comes back; no reconciler runs.
    fake.approve(orderId);
    const event = approved(orderId);
    const first = await deliver(event);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), { received: true });
    const row = await attemptRow(attemptId);
    assert.equal(row.status, 'succeeded');
    assert.equal(row.gatewayPaymentId, orderId);
    assert.equal(fake.orders.get(orderId)?.status, 'COMPLETED', 'captured at PayPal');
    assert.equal((await paymentsFor(invoiceId)).length, 1);
    assert.equal((await invoiceMoney(harness, invoiceId)).status, 'paid');

    // What PayPal also sends: the capture's event; the same delivery again; the approval under another event id.
    assert.equal((await deliver(captureEvent('PAYMENT.CAPTURE.COMPLETED', orderId))).statusCode, 200);
    assert.equal((await deliver(event)).json().duplicate, true);
    assert.equal((await deliver(approved(orderId))).statusCode, 200);
    assert.equal(captureCalls(orderId), 1, 'captured once');
    assert.equal((await paymentsFor(invoiceId)).length, 1);
  });

  test('out of order: capture events after the return page settled, then the approval, then a denial — one payment', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder();
    fake.approve(orderId);
    const approval = approved(orderId);
    assert.equal(assertStatus(await check(attemptId), 200).status, 'succeeded', 'the return page captures');
    const completed = captureEvent('PAYMENT.CAPTURE.COMPLETED', orderId);
    await Promise.all([deliver(completed), deliver(completed), deliver(approval), deliver(approval)]);
    // A late PENDING or DENIED about the same capture does not undo a settled payment.
    assert.equal((await deliver(captureEvent('PAYMENT.CAPTURE.PENDING', orderId))).statusCode, 200);
    assert.equal((await deliver(captureEvent('PAYMENT.CAPTURE.DENIED', orderId))).statusCode, 200);
    assert.equal((await attemptRow(attemptId)).status, 'succeeded');
    assert.equal((await paymentsFor(invoiceId)).length, 1);
    assert.equal(captureCalls(orderId), 1);
  });

  test('PAYMENT.CAPTURE.COMPLETED alone settles (the capture was made, its settlement lost)', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder();
    fake.approve(orderId);
    // Captured at PayPal (say, by a return page whose process died before settling), then only the event arrives.
    const captured = await fetch(`${fake.origin}/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const capture = await fetch(`${fake.origin}/v2/checkout/orders/${orderId}/capture`, {
      method: 'POST',
      headers: { authorization: `Bearer ${captured.access_token}`, 'content-type': 'application/json' },
    });
    assert.equal(capture.status, 201);
    assert.equal((await attemptRow(attemptId)).status, 'requires_action');
    const completed = captureEvent('PAYMENT.CAPTURE.COMPLETED', orderId);
    assert.equal((await deliver(completed)).statusCode, 200);
    assert.equal((await attemptRow(attemptId)).status, 'succeeded');
    assert.equal((await deliver(approved(orderId))).statusCode, 200);
    assert.equal((await paymentsFor(invoiceId)).length, 1);
  });

  test('a bad signature, a tampered body, missing headers or an old delivery: 400, and nothing changes', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder();
    fake.approve(orderId);
    const event = approved(orderId);
    const requestsBefore = fake.requests.length;
    // Signed for another webhook.
    assert.equal((await deliver(event, { webhookId: 'OTHERWEBHOOK0000000000' })).statusCode, 400);
    // The body changed after signing.
    const headers = fake.deliveryHeaders(event, WEBHOOK_ID);
    const tampered = event.replace('"value":"50.00"', '"value":"0.50"');
    assert.notEqual(tampered, event);
    const forged = await harness.app.inject({
      method: 'POST',
      url: `/api/webhooks/paypal/${gatewayId}`,
      headers,
      payload: tampered,
    });
    assert.equal(forged.statusCode, 400, forged.body);
    // No transmission headers at all: refused before PayPal is asked.
    const bare = await harness.app.inject({
      method: 'POST',
      url: `/api/webhooks/paypal/${gatewayId}`,
      headers: { 'content-type': 'application/json' },
      payload: event,
    });
    assert.equal(bare.statusCode, 400);
    // Signed by PayPal, but long ago (a replay): past the 300 s tolerance.
    const old = await deliver(event, { time: new Date(harness.clock.now.getTime() - 10 * 60_000) });
    assert.equal(old.statusCode, 400);
    assert.equal(
      fake.requests.slice(requestsBefore).filter((r) => r.path.startsWith('/v2/')).length,
      0,
      'no order was read or captured',
    );
    assert.equal((await attemptRow(attemptId)).status, 'requires_action');
    assert.equal(fake.orders.get(orderId)?.status, 'APPROVED');
    assert.equal((await paymentsFor(invoiceId)).length, 0);
    const processed = await harness.ctx.db.kysely
      .selectFrom('processedWebhookEvents')
      .select('eventId')
      .where('eventId', '=', JSON.parse(event).id)
      .execute();
    assert.equal(processed.length, 0);
    // The genuine delivery still works afterwards.
    assert.equal((await deliver(event)).statusCode, 200);
    assert.equal((await paymentsFor(invoiceId)).length, 1);
  });

  test('the cancel link frees the invoice at once; an approval after it is never captured', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder();
    const cancelled = assertStatus(await cancel(attemptId), 200);
    assert.equal(cancelled.status, 'failed');
    assert.equal(cancelled.failure.code, 'checkout_cancelled');
    const again = assertStatus(await payAgain(invoiceId, 5000), 201);
    assert.equal(again.status, 'requires_action', 'free again');

    // The payer approves the old order anyway (a second tab): acknowledged, not captured, nothing paid.
    fake.approve(orderId);
    const late = await deliver(approved(orderId));
    assert.equal(late.statusCode, 200, late.body);
    assert.equal(captureCalls(orderId), 0);
    assert.equal((await attemptRow(attemptId)).status, 'failed');
    assert.equal(assertStatus(await check(attemptId), 200).status, 'failed');
    assert.equal(captureCalls(orderId), 0);
    await cancel(again.id);
    assert.equal((await paymentsFor(invoiceId)).length, 0);

    // Approved, then the client came back through the cancel link: the approval is honoured and settled.
    const paid = await startOrder(7000);
    fake.approve(paid.orderId);
    assert.equal(assertStatus(await cancel(paid.attemptId), 200).status, 'succeeded');
    assert.equal((await paymentsFor(paid.invoiceId)).length, 1);
  });

  test('the return page captures at once, and racing the webhook still makes one payment', async () => {
    for (let round = 0; round < 4; round += 1) {
      const race = await startOrder(5000 + round);
      fake.approve(race.orderId);
      const event = approved(race.orderId);
      const [webhook, back, again] = await Promise.all([deliver(event), check(race.attemptId), check(race.attemptId)]);
      assert.equal(webhook.statusCode, 200, webhook.body);
      assert.equal(back.statusCode, 200, back.body);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal((await attemptRow(race.attemptId)).status, 'succeeded');
      const payments = await paymentsFor(race.invoiceId);
      assert.equal(payments.length, 1, `round ${round}`);
      assert.equal(payments[0]?.amount, 5000 + round);
      assert.equal(fake.captureOf(race.orderId).status, 'COMPLETED');
    }
  });

  test('declined at capture: the attempt fails and the invoice is free again', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder();
    fake.approve(orderId, { declines: true });
    const back = assertStatus(await check(attemptId), 200);
    assert.equal(back.status, 'failed');
    assert.equal(back.failure.code, 'card_declined');
    assert.equal((await paymentsFor(invoiceId)).length, 0);
    const again = assertStatus(await payAgain(invoiceId, 5000), 201);
    await cancel(again.id);
  });

  test('the reconciler captures an approved order nobody came back for', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder();
    fake.approve(orderId);
    const result = await reconcilePaymentAttempts(harness.ctx, { olderThanSeconds: 0 });
    assert.ok(result.settled >= 1);
    assert.equal((await attemptRow(attemptId)).status, 'succeeded');
    assert.equal((await paymentsFor(invoiceId)).length, 1);
    // Its webhook afterwards adds nothing.
    assert.equal((await deliver(approved(orderId))).statusCode, 200);
    assert.equal((await paymentsFor(invoiceId)).length, 1);
  });

  test('PAYMENT.CAPTURE.REFUNDED: the business is told once (audit and e-mail); the books stay', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder(3000);
    fake.approve(orderId);
    assert.equal(assertStatus(await check(attemptId), 200).status, 'succeeded');
    const capture = fake.captureOf(orderId);
    const refund = {
      id: 'REFUND0000000001',
      status: 'COMPLETED',
      amount: { currency_code: 'USD', value: '10.00' },
      custom_id: capture.custom_id,
    };
    const event = fake.eventOf('PAYMENT.CAPTURE.REFUNDED', refund);
    const answers = await Promise.all([deliver(event), deliver(event)]);
    for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body);
    const notices = await harness.ctx.db.kysely
      .selectFrom('auditLog')
      .select('details')
      .where('event', '=', 'payment.refunded_at_gateway')
      .where('organizationId', '=', world.owner.organizationId)
      .execute();
    assert.equal(notices.length, 1);
    assert.equal(JSON.parse(notices[0]?.details ?? '{}').amountRefunded, 1000);
    assert.equal(JSON.parse(notices[0]?.details ?? '{}').gateway, 'paypal');
    assert.equal((await paymentsFor(invoiceId)).length, 1);
  });

  test('PayPal unreachable: Pay Now keeps the attempt pending; a webhook is answered 503 and changes nothing', async () => {
    const { invoiceId, attemptId, orderId } = await startOrder();
    fake.approve(orderId);
    const event = approved(orderId);
    fake.down = true;
    try {
      const response = await deliver(event);
      assert.equal(response.statusCode, 503, response.body);
      assert.equal((await attemptRow(attemptId)).status, 'requires_action');
      const other = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 3000 });
      const unknown = assertStatus(
        await pay(world.client, { allocations: [{ invoiceId: other.id, amount: 3000 }] }),
        201,
      );
      assert.equal(unknown.status, 'pending', 'outcome unknown: kept and reconciled later');
      // No answer at all (nothing listens there): the same.
      setPayPalEndpoint(harness.ctx, 'http://127.0.0.1:9');
      const third = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 3300 });
      const unanswered = assertStatus(
        await pay(world.client, { allocations: [{ invoiceId: third.id, amount: 3300 }] }),
        201,
      );
      assert.equal(unanswered.status, 'pending');
      assert.equal((await deliver(event)).statusCode, 503);
    } finally {
      fake.down = false;
      setPayPalEndpoint(harness.ctx, fake.origin);
    }
    // PayPal delivers again later: settled once.
    assert.equal((await deliver(event)).statusCode, 200);
    assert.equal((await paymentsFor(invoiceId)).length, 1);
  });
});
