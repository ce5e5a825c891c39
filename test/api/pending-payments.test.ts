import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { installSandboxWebhookSink } from '../../src/modules/payment-webhooks/index.js';
import { deliverSandboxWebhooks, setSandboxWebhookSink } from '../../src/payments/sandbox/webhooks.js';
import { createInvoice, createSentRetainer, invoiceMoney } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, card, GOOD_CARD, type PayWorld, pay, payWorld, sandboxCharges } from '../support/pay.js';
import { activatedClient, type PortalClient } from '../support/portal.js';

/*
 * Issue 18: an online payment left open (the client went Back from the card page, or closed it) shows on the
 * invoice for the client and the business with when it lapses, and the client who started it can cancel it,
 * which frees the invoice at once.
 */
describe('pending online payments: visible, with their lapse time, and cancellable', () => {
  let harness: Harness;
  let world: PayWorld;
  /** A second contact person of the same customer. */
  let colleague: PortalClient;
  let colleagueId: string;
  /** Another customer's client, in the same organization. */
  let stranger: PayWorld;

  before(async () => {
    harness = await startHarness();
    world = await payWorld(harness, { preventDuplicatePayments: true });
    const email = 'colleague@client.example';
    const added = await world.owner.request({
      method: 'POST',
      url: `/api/v1/customers/${world.customerId}/contact-persons`,
      payload: { firstName: 'Colleague', email },
    });
    colleagueId = assertStatus(added, 201).id;
    colleague = await activatedClient(harness, world.owner, world.slug, world.customerId, colleagueId, email);
    stranger = await payWorld(harness);
  });
  after(() => harness.close());

  const portalInvoice = async (client: PortalClient, id: string) =>
    assertStatus(await client.request({ method: 'GET', url: `/invoices/${id}` }), 200);
  const cancel = (client: PortalClient, attemptId: string) =>
    client.request({ method: 'POST', url: `/payment-attempts/${attemptId}/cancel` });

  test('the client sees their waiting payment and when it lapses; the business too, with who started it', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 6100 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 6100 }] }),
      201,
    );
    assert.equal(attempt.status, 'requires_action');
    const lapsesAt = new Date(harness.clock.now.getTime() + 70 * 60_000).toISOString();
    const mine = (await portalInvoice(world.client, invoice.id)).pendingPayments;
    assert.deepEqual(mine, [
      {
        attemptId: attempt.id,
        yours: true,
        status: 'requires_action',
        amount: 6100,
        startedAt: harness.clock.now.toISOString(),
        lapsesAt,
      },
    ]);
    // The colleague sees that a payment is open and when it lapses, not whose it is nor its id.
    const theirs = (await portalInvoice(colleague, invoice.id)).pendingPayments;
    assert.deepEqual(theirs, [{ ...mine[0], attemptId: null, yours: false }]);
    const business = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` }),
      200,
    );
    assert.deepEqual(business.pendingPayments, [
      {
        attemptId: attempt.id,
        status: 'requires_action',
        amount: 6100,
        startedAt: harness.clock.now.toISOString(),
        lapsesAt,
        startedBy: { id: world.contactPersonId, name: 'Person 1' },
      },
    ]);

    // Cancelling frees the invoice at once: nothing pending, and it can be paid again straight away.
    const cancelled = assertStatus(await cancel(world.client, attempt.id), 200);
    assert.equal(cancelled.status, 'failed');
    assert.equal(cancelled.failure.code, 'checkout_cancelled');
    assert.deepEqual((await portalInvoice(world.client, invoice.id)).pendingPayments, []);
    const business2 = await world.owner.request({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` });
    assert.deepEqual(business2.json().pendingPayments, []);
    const again = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 6100 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(again.status, 'succeeded');
    assert.equal((await invoiceMoney(harness, invoice.id)).status, 'paid');
    // Cancelling a settled or cancelled attempt changes nothing.
    assert.equal(assertStatus(await cancel(world.client, again.id), 200).status, 'succeeded');
    assert.equal(assertStatus(await cancel(world.client, attempt.id), 200).status, 'failed');
  });

  test('a retainer invoice shows its pending payment too, for the client and the business', async () => {
    const retainer = await createSentRetainer(world.owner, world.customerId, 9000);
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ retainerInvoiceId: retainer.id, amount: 9000 }] }),
      201,
    );
    const portal = assertStatus(
      await world.client.request({ method: 'GET', url: `/retainer-invoices/${retainer.id}` }),
      200,
    );
    assert.equal(portal.pendingPayments.length, 1);
    assert.equal(portal.pendingPayments[0].attemptId, attempt.id);
    const business = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/retainer-invoices/${retainer.id}` }),
      200,
    );
    assert.equal(business.pendingPayments[0].attemptId, attempt.id);
    assert.equal(
      business.pendingPayments[0].lapsesAt,
      new Date(new Date(attempt.createdAt).getTime() + 70 * 60_000).toISOString(),
    );
    assertStatus(await cancel(world.client, attempt.id), 200);
    const after = await world.client.request({ method: 'GET', url: `/retainer-invoices/${retainer.id}` });
    assert.deepEqual(after.json().pendingPayments, []);
  });

  test("another contact person's or another customer's attempt: 404 to read, check or cancel, and nothing changes", async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 3300 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 3300 }] }),
      201,
    );
    for (const client of [colleague, stranger.client]) {
      for (const [method, suffix] of [
        ['GET', ''],
        ['POST', '/check'],
        ['POST', '/cancel'],
      ] as const) {
        const response = await client.request({ method, url: `/payment-attempts/${attempt.id}${suffix}` });
        assert.equal(response.statusCode, 404, `${method} ${suffix}: ${response.body}`);
        assert.equal(response.json().code, 'not_found');
      }
    }
    // Another customer does not see the invoice at all.
    assert.equal((await stranger.client.request({ method: 'GET', url: `/invoices/${invoice.id}` })).statusCode, 404);
    const still = (await portalInvoice(world.client, invoice.id)).pendingPayments;
    assert.equal(still.length, 1);
    assert.equal(still[0].status, 'requires_action');
    // The colleague cannot pay beside it ("prevent duplicate payments" is on) until its owner cancels it.
    const refused = await pay(colleague, {
      allocations: [{ invoiceId: invoice.id, amount: 3300 }],
      testCard: GOOD_CARD,
    });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().code, 'payment_pending');
    assertStatus(await cancel(world.client, attempt.id), 200);
    const paid = assertStatus(
      await pay(colleague, { allocations: [{ invoiceId: invoice.id, amount: 3300 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(paid.status, 'succeeded');
  });

  test('a charge in flight cannot be cancelled (409) and shows without a lapse time until the gateway answers', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 2700 });
    const attempt = assertStatus(
      await pay(world.client, {
        allocations: [{ invoiceId: invoice.id, amount: 2700 }],
        testCard: card('4000000000000077'),
      }),
      201,
    );
    assert.equal(attempt.status, 'pending');
    const shown = (await portalInvoice(world.client, invoice.id)).pendingPayments;
    assert.deepEqual(
      shown.map((p: { status: string; lapsesAt: string | null }) => [p.status, p.lapsesAt]),
      [['pending', null]],
    );
    const refused = await cancel(world.client, attempt.id);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().code, 'payment_pending');
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    const row = await harness.ctx.db.kysely
      .selectFrom('paymentAttempts')
      .select(['status', 'updatedAt'])
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending', 'nothing changed');
    // The gateway's answer settles it later: a minute on, the return page's check finds it paid.
    harness.clock.now = new Date(harness.clock.now.getTime() + 61_000);
    const checked = assertStatus(
      await world.client.request({ method: 'POST', url: `/payment-attempts/${attempt.id}/check` }),
      200,
    );
    assert.equal(checked.status, 'succeeded');
    assert.deepEqual((await portalInvoice(world.client, invoice.id)).pendingPayments, []);
  });

  test('a waiting page past its lapse time is no longer shown, and Pay Now ends it', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 1900 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 1900 }] }),
      201,
    );
    assert.equal((await portalInvoice(world.client, invoice.id)).pendingPayments.length, 1);
    // Its time runs out (the attempt's expiry is moved, not the clock: the sessions would lapse too).
    await harness.ctx.db.kysely
      .updateTable('paymentAttempts')
      .set({ expiresAt: new Date(harness.clock.now.getTime() - 1000).toISOString() })
      .where('id', '=', attempt.id)
      .execute();
    await harness.ctx.db.kysely
      .updateTable('sandboxCheckoutSessions')
      .set({ expiresAt: new Date(harness.clock.now.getTime() - 1000).toISOString() })
      .where('organizationId', '=', world.owner.organizationId)
      .execute();
    assert.deepEqual((await portalInvoice(world.client, invoice.id)).pendingPayments, []);
    const business = await world.owner.request({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` });
    assert.deepEqual(business.json().pendingPayments, []);
    const paid = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 1900 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(paid.status, 'succeeded');
    const ended = assertStatus(
      await world.client.request({ method: 'GET', url: `/payment-attempts/${attempt.id}` }),
      200,
    );
    assert.equal(ended.failure.code, 'checkout_expired');
  });

  test('cancel racing the card form, fired at once: paid once or cancelled with nothing charged, never both', async () => {
    for (let round = 0; round < 6; round += 1) {
      const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 4100 + round });
      const attempt = assertStatus(
        await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 4100 + round }] }),
        201,
      );
      const path = new URL(attempt.redirectUrl).pathname;
      const page = await harness.app.inject({ method: 'GET', url: path });
      const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const submitCard = () =>
        harness.app.inject({
          method: 'POST',
          url: path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            csrfToken: csrf,
            cardNumber: '4242424242424242',
            expiry: '12/30',
            cvc: '123',
          }).toString(),
        });
      // Alternate which request starts first.
      const [form, cancelled] =
        round % 2 === 0
          ? await Promise.all([submitCard(), cancel(world.client, attempt.id)])
          : await Promise.all([cancel(world.client, attempt.id), submitCard()]).then(([c, f]) => [f, c] as const);
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      const final = assertStatus(
        await world.client.request({ method: 'GET', url: `/payment-attempts/${attempt.id}` }),
        200,
      );
      const payments = await harness.ctx.db.kysely
        .selectFrom('paymentAllocations')
        .select('amount')
        .where('invoiceId', '=', invoice.id)
        .execute();
      const charged = (await sandboxCharges(harness, world.owner.organizationId)).filter(
        (c) => c.reference === attempt.id && c.status === 'succeeded',
      );
      const money = await invoiceMoney(harness, invoice.id);
      if (final.status === 'succeeded') {
        // The card got in first: paid once, and the cancel answered the payment.
        assert.equal(form.statusCode, 303, form.body);
        assert.equal(payments.length, 1);
        assert.equal(charged.length, 1);
        assert.equal(money.status, 'paid');
      } else {
        // The cancel got in first: the page was closed before the card, nothing charged, the invoice free.
        assert.equal(final.status, 'failed');
        assert.equal(final.failure.code, 'checkout_cancelled');
        assert.equal(form.statusCode, 404, 'the card form is closed');
        assert.equal(payments.length, 0);
        assert.equal(charged.length, 0);
        assert.equal(money.status, 'sent');
        assert.deepEqual((await portalInvoice(world.client, invoice.id)).pendingPayments, []);
      }
    }
  });

  test('cancel racing the settling webhook of a charge already made, fired at once: settled once, never cancelled', async () => {
    for (let round = 0; round < 3; round += 1) {
      const amount = 5200 + round;
      const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: amount });
      const attempt = assertStatus(await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount }] }), 201);
      // The card goes through at the gateway while its webhook is held back (the client is still on its way back).
      setSandboxWebhookSink(harness.ctx, async () => {
        throw new Error('held back');
      });
      const path = new URL(attempt.redirectUrl).pathname;
      const page = await harness.app.inject({ method: 'GET', url: path });
      const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const form = await harness.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          csrfToken: csrf,
          cardNumber: '4242424242424242',
          expiry: '12/30',
          cvc: '123',
        }).toString(),
      });
      assert.equal(form.statusCode, 303, form.body);
      setSandboxWebhookSink(harness.ctx, null);
      installSandboxWebhookSink(harness.ctx);
      const [cancelled, delivered] = await Promise.all([
        cancel(world.client, attempt.id),
        deliverSandboxWebhooks(harness.ctx),
      ]);
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.ok(delivered >= 1);
      const final = assertStatus(
        await world.client.request({ method: 'GET', url: `/payment-attempts/${attempt.id}` }),
        200,
      );
      assert.equal(final.status, 'succeeded', 'money charged is never given up');
      // One payment for the one charge, whichever of the two settled it.
      const { gatewayPaymentId } = await harness.ctx.db.kysely
        .selectFrom('paymentAttempts')
        .select('gatewayPaymentId')
        .where('id', '=', attempt.id)
        .executeTakeFirstOrThrow();
      const payments = await harness.ctx.db.kysely
        .selectFrom('customerPayments')
        .select('amount')
        .where('reference', '=', gatewayPaymentId ?? '')
        .execute();
      assert.deepEqual(
        payments.map((p) => p.amount),
        [amount],
      );
      assert.equal((await invoiceMoney(harness, invoice.id)).status, 'paid');
    }
  });
});
