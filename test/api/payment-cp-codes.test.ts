/**
 * Every CP code of PRODUCT.md §6, each from exactly its condition, through the portal API: the client sees the
 * code and a plain sentence; the business sees what went wrong and what to do in GET /api/v1/payment-failures
 * and in the e-mail to its owners and admins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PAYMENT_ERRORS, type PaymentErrorCode } from '../../src/domain/payment-errors.js';
import { generateRecurringInvoices } from '../../src/jobs/recurring.js';
import { createInvoice } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import {
  assertStatus,
  card,
  GOOD_CARD,
  type PayWorld,
  pay,
  payWorld,
  sandboxCharges,
  sandboxRules,
} from '../support/pay.js';

describe('payment error codes (CP…)', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  /** The code and both messages: the client's in the attempt, the business's in the log and the e-mail. */
  async function assertFailure(
    world: PayWorld,
    attemptId: string,
    code: PaymentErrorCode,
    clientView?: { failure: { code: string; message: string } },
  ) {
    const entry = PAYMENT_ERRORS[code];
    if (clientView) {
      assert.equal(clientView.failure.code, code);
      assert.equal(clientView.failure.message, entry.clientMessage);
    }
    const log = assertStatus(await world.owner.request({ method: 'GET', url: '/api/v1/payment-failures' }), 200);
    const logged = log.data.find((f: { attemptId: string }) => f.attemptId === attemptId);
    assert.ok(logged, 'in the payment-failure log');
    assert.equal(logged.code, code);
    assert.equal(logged.clientMessage, entry.clientMessage);
    assert.equal(logged.whatWentWrong, entry.whatWentWrong);
    assert.equal(logged.whatToDo, entry.whatToDo);
    const mails = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .selectAll()
      .where('organizationId', '=', world.owner.organizationId)
      .where('template', '=', 'paymentFailed')
      .execute();
    const mail = mails.find((m) => m.textBody.includes(`Reference code: ${code}`));
    assert.ok(mail, `an e-mail about ${code}`);
    // Words in the subject, the code only as a reference at the end of the body.
    assert.ok(!mail.subject.includes(code), mail.subject);
    assert.ok(mail.textBody.includes(entry.whatWentWrong), 'what went wrong');
    assert.ok(mail.textBody.includes(entry.whatToDo), 'what to do');
  }

  /** A world whose invoice of 5,000 is paid with `testCard`; returns the failed attempt after asserting. */
  async function failsWith(world: PayWorld, code: PaymentErrorCode, body: Record<string, unknown>) {
    const chargesBefore = (await sandboxCharges(harness, world.owner.organizationId)).filter(
      (c) => c.status === 'succeeded',
    ).length;
    const attempt = assertStatus(await pay(world.client, body), 201);
    assert.equal(attempt.status, 'failed', JSON.stringify(attempt));
    await assertFailure(world, attempt.id, code, attempt);
    const polled = assertStatus(
      await world.client.request({ method: 'GET', url: `/payment-attempts/${attempt.id}` }),
      200,
    );
    assert.deepEqual(polled.failure, attempt.failure);
    const chargesAfter = (await sandboxCharges(harness, world.owner.organizationId)).filter(
      (c) => c.status === 'succeeded',
    ).length;
    assert.equal(chargesAfter, chargesBefore, 'nothing charged');
    return attempt;
  }

  async function invoiceOf(world: PayWorld, total = 5000) {
    return createInvoice(harness, world.owner, { customerId: world.customerId, total });
  }

  test('CP1003: the customer was deleted (the charge arriving for it is refunded)', async () => {
    const world = await payWorld(harness);
    const invoice = await invoiceOf(world);
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 5000 }] }),
      201,
    );
    assert.equal(attempt.status, 'requires_action');
    const deleted = await world.owner.request({ method: 'DELETE', url: `/api/v1/customers/${world.customerId}` });
    assert.equal(deleted.statusCode, 204, deleted.body);
    // The client completes the gateway's page anyway; the webhook arrives for a deleted customer.
    const path = new URL(attempt.redirectUrl).pathname;
    const page = await harness.app.inject({ method: 'GET', url: path });
    const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const posted = await harness.app.inject({
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
    assert.equal(posted.statusCode, 303, posted.body);
    const row = await harness.ctx.db.kysely
      .selectFrom('paymentAttempts')
      .selectAll()
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal(row.failureCode, 'CP1003');
    assert.ok(row.refundedAt, 'refunded');
    const charge = (await sandboxCharges(harness, world.owner.organizationId)).find((c) => c.reference === attempt.id);
    assert.equal(charge?.amountRefunded, 5000);
    const payments = await harness.ctx.db.kysely
      .selectFrom('customerPayments')
      .select('id')
      .where('customerId', '=', world.customerId)
      .execute();
    assert.equal(payments.length, 0, 'no payment recorded');
    // The client is signed out (deleted customer); the client's sentence is in the business's log.
    await assertFailure(world, attempt.id, 'CP1003');
  });

  test('CP1004: the invoice was generated by a recurring profile that was deleted', async () => {
    const world = await payWorld(harness);
    const profile = assertStatus(
      await world.owner.request({
        method: 'POST',
        url: '/api/v1/recurring-profiles',
        payload: {
          customerId: world.customerId,
          name: 'Monthly care',
          frequency: 'monthly',
          startDate: '2026-03-15',
          sendAutomatically: true,
          template: { lines: [{ name: 'Care', quantity: '1', rate: 5000 }] },
        },
      }),
      201,
    );
    const run = await generateRecurringInvoices(harness.ctx);
    const invoiceId = run.invoiceIds.find(Boolean);
    assert.ok(invoiceId, 'the profile generated an invoice');
    const removed = await world.owner.request({ method: 'DELETE', url: `/api/v1/recurring-profiles/${profile.id}` });
    assert.equal(removed.statusCode, 204, removed.body);
    await failsWith(world, 'CP1004', { allocations: [{ invoiceId, amount: 5000 }], testCard: GOOD_CARD });
  });

  test('CP2001: the organization charges tax but has no default tax', async () => {
    const world = await payWorld(harness);
    const invoice = await invoiceOf(world);
    const taxes = assertStatus(await world.owner.request({ method: 'GET', url: '/api/v1/taxes' }), 200);
    for (const tax of taxes.data ?? taxes) {
      await world.owner.request({ method: 'DELETE', url: `/api/v1/taxes/${tax.id}` });
    }
    await failsWith(world, 'CP2001', { allocations: [{ invoiceId: invoice.id, amount: 5000 }], testCard: GOOD_CARD });
    // Not charging tax, the same payment goes through.
    const patched = await world.owner.request({
      method: 'PATCH',
      url: '/api/v1/organization',
      payload: { chargesTax: false },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const ok = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 5000 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(ok.status, 'succeeded');
  });

  test('CP3001: reference transactions are not enabled (saving the card while paying)', async () => {
    const world = await payWorld(harness);
    await sandboxRules(harness, world.owner, { referenceTransactions: false });
    const invoice = await invoiceOf(world);
    await failsWith(world, 'CP3001', {
      allocations: [{ invoiceId: invoice.id, amount: 5000 }],
      testCard: GOOD_CARD,
      saveCard: 'reference',
    });
  });

  test('CP3002: the gateway credentials are invalid', async () => {
    const world = await payWorld(harness);
    await sandboxRules(harness, world.owner, { credentialsValid: false });
    const invoice = await invoiceOf(world);
    await failsWith(world, 'CP3002', { allocations: [{ invoiceId: invoice.id, amount: 5000 }], testCard: GOOD_CARD });
  });

  test("CP3003: declined by the merchant account's fraud filters", async () => {
    const world = await payWorld(harness);
    const invoice = await invoiceOf(world);
    await failsWith(world, 'CP3003', {
      allocations: [{ invoiceId: invoice.id, amount: 5000 }],
      testCard: card('4100000000000019'),
    });
  });

  test("CP3004: the gateway could not verify the customer's address", async () => {
    const world = await payWorld(harness);
    await sandboxRules(harness, world.owner, { addressVerification: true });
    const invoice = await invoiceOf(world);
    await failsWith(world, 'CP3004', {
      allocations: [{ invoiceId: invoice.id, amount: 5000 }],
      testCard: card('4000000000000010', { postalCode: '10001' }),
    });
  });

  test('CP3005: the same amount and card within minutes of a previous payment', async () => {
    const world = await payWorld(harness);
    await sandboxRules(harness, world.owner, { duplicateWindowSeconds: 300 });
    const first = await invoiceOf(world);
    const second = await invoiceOf(world);
    const ok = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: first.id, amount: 5000 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(ok.status, 'succeeded');
    await failsWith(world, 'CP3005', { allocations: [{ invoiceId: second.id, amount: 5000 }], testCard: GOOD_CARD });
  });

  test("CP4001: the amount is below the gateway's minimum", async () => {
    const world = await payWorld(harness);
    await sandboxRules(harness, world.owner, { minimumAmount: 10000 });
    const invoice = await invoiceOf(world);
    await failsWith(world, 'CP4001', { allocations: [{ invoiceId: invoice.id, amount: 5000 }], testCard: GOOD_CARD });
  });

  test('CP4002: the gateway does not support recurring payments (saving the card for the profile)', async () => {
    const world = await payWorld(harness);
    await sandboxRules(harness, world.owner, { recurring: false });
    assertStatus(
      await world.owner.request({
        method: 'POST',
        url: '/api/v1/recurring-profiles',
        payload: {
          customerId: world.customerId,
          name: 'Weekly',
          frequency: 'weekly',
          startDate: '2026-03-15',
          sendAutomatically: true,
          template: { lines: [{ name: 'Care', quantity: '1', rate: 5000 }] },
        },
      }),
      201,
    );
    const run = await generateRecurringInvoices(harness.ctx);
    const invoiceId = run.invoiceIds.find(Boolean);
    assert.ok(invoiceId);
    await failsWith(world, 'CP4002', {
      allocations: [{ invoiceId, amount: 5000 }],
      testCard: GOOD_CARD,
      saveCard: 'recurring',
    });
  });

  test('CP4003: no configured gateway supports the currency', async () => {
    const world = await payWorld(harness);
    await sandboxRules(harness, world.owner, { currencies: ['EUR'] });
    const invoice = await invoiceOf(world);
    await failsWith(world, 'CP4003', { allocations: [{ invoiceId: invoice.id, amount: 5000 }], testCard: GOOD_CARD });
  });

  test('the failure log pages with a cursor and staff may read it', async () => {
    const world = await payWorld(harness);
    await sandboxRules(harness, world.owner, { credentialsValid: false });
    for (let i = 0; i < 3; i += 1) {
      const invoice = await invoiceOf(world);
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 5000 }], testCard: GOOD_CARD });
    }
    const first = assertStatus(
      await world.owner.request({ method: 'GET', url: '/api/v1/payment-failures?limit=2' }),
      200,
    );
    assert.equal(first.data.length, 2);
    assert.ok(first.nextCursor);
    const second = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/payment-failures?limit=2&cursor=${first.nextCursor}` }),
      200,
    );
    assert.equal(second.data.length, 1);
    assert.equal(second.nextCursor, null);
  });
});
