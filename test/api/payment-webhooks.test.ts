/** Gateway webhooks (once per event id, re-checked against our records) and the reconciler. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/db/ids.js';
import { reconcilePaymentAttempts } from '../../src/modules/online-payments/service.js';
import {
  deliverSandboxWebhooks,
  SANDBOX_SIGNATURE_HEADER,
  sandboxWebhookSecret,
} from '../../src/payments/sandbox/webhooks.js';
import { signWebhook } from '../../src/payments/webhook-signature.js';
import { createInvoice, invoiceMoney } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, card, GOOD_CARD, type PayWorld, pay, payWorld, sandboxCharges } from '../support/pay.js';

describe('payment webhooks and reconciliation', () => {
  let harness: Harness;
  let world: PayWorld;

  before(async () => {
    harness = await startHarness();
    world = await payWorld(harness);
  });
  after(() => harness.close());

  test('an unknown gateway kind or a malformed endpoint is a 400 problem, never a server error', async () => {
    for (const url of [
      `/api/webhooks/square/${world.owner.organizationId}`,
      `/api/webhooks/sandbox/${'x'.repeat(41)}`,
    ]) {
      const response = await harness.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.equal(response.json().code, 'validation_failed');
      assert.match(response.json().errors[0].path, /^params:/);
    }
  });

  const post = (
    organizationId: string,
    payload: object,
    secretOf = organizationId,
    tamper?: (raw: string) => string,
  ) => {
    const raw = JSON.stringify(payload);
    const signature = signWebhook(
      sandboxWebhookSecret(harness.ctx, secretOf),
      Math.floor(harness.clock.now.getTime() / 1000),
      raw,
    );
    return harness.app.inject({
      method: 'POST',
      url: `/api/webhooks/sandbox/${organizationId}`,
      headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signature },
      payload: tamper ? tamper(raw) : raw,
    });
  };

  const event = (organizationId: string, data: Record<string, unknown>, type = 'payment.succeeded') => ({
    id: newId('sbevt'),
    type,
    createdAt: harness.clock.now.toISOString(),
    organizationId,
    data: { kind: 'payment', amountRefunded: 0, failure: null, savedCard: null, status: 'succeeded', ...data },
  });

  test("the sandbox's events over HTTP: a replay is processed once; a bad signature is refused", async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 3000 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 3000 }] }),
      201,
    );
    const row = await harness.ctx.db.kysely
      .selectFrom('paymentAttempts')
      .selectAll()
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    // The charge succeeds at the gateway, but its webhook is lost (no sink): the event comes over HTTP.
    const succeeded = event(world.owner.organizationId, {
      gatewayPaymentId: row.gatewayPaymentId,
      reference: attempt.id,
      amount: 3000,
      currency: 'USD',
    });
    const bad = await post(world.owner.organizationId, succeeded, world.owner.organizationId, (raw) =>
      raw.replace('3000', '3001'),
    );
    assert.equal(bad.statusCode, 400);
    const first = await post(world.owner.organizationId, succeeded);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), { received: true });
    const replay = await post(world.owner.organizationId, succeeded);
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.json().duplicate, true);
    const payments = await harness.ctx.db.kysely
      .selectFrom('customerPayments')
      .select('amount')
      .where('customerId', '=', world.customerId)
      .execute();
    assert.equal(payments.length, 1);
    assert.equal((await invoiceMoney(harness, invoice.id)).status, 'paid');
    // Another event id for the same charge changes nothing either (the attempt settles once).
    assert.equal((await post(world.owner.organizationId, { ...succeeded, id: newId('sbevt') })).statusCode, 200);
    assert.equal(
      (
        await harness.ctx.db.kysely
          .selectFrom('customerPayments')
          .select('id')
          .where('customerId', '=', world.customerId)
          .execute()
      ).length,
      1,
    );
  });

  test("wrong amount, currency or charge: rejected; another organization's event: ignored; nothing recorded", async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 2500 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 2500 }] }),
      201,
    );
    const row = await harness.ctx.db.kysely
      .selectFrom('paymentAttempts')
      .selectAll()
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    const base = { gatewayPaymentId: row.gatewayPaymentId, reference: attempt.id, amount: 2500, currency: 'USD' };
    const org = world.owner.organizationId;
    for (const data of [
      { ...base, amount: 2400 },
      { ...base, currency: 'EUR' },
      { ...base, gatewayPaymentId: 'sbch_other' },
    ]) {
      const response = await post(org, event(org, data));
      assert.equal(response.statusCode, 400, JSON.stringify(data));
    }
    // An event about another organization (one gateway account may serve several, each with its own endpoint),
    // or about an attempt that is not the URL's organization's: acknowledged so the gateway keeps the endpoint,
    // and left alone.
    const other = await payWorld(harness);
    for (const response of [
      await post(org, event(other.owner.organizationId, base)),
      await post(other.owner.organizationId, event(other.owner.organizationId, base)),
    ]) {
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { received: true, ignored: true });
    }
    // Signed with another organization's secret.
    assert.equal((await post(org, event(org, base), other.owner.organizationId)).statusCode, 400);
    const current = await harness.ctx.db.kysely
      .selectFrom('paymentAttempts')
      .select('status')
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    assert.equal(current.status, 'requires_action');
    assert.equal((await invoiceMoney(harness, invoice.id)).balance, 2500);
  });

  test('the reconciler settles a charge whose outcome came later, and gives up attempts with no charge', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 6000 });
    // 4000000000000077 stays `processing` for a minute at the sandbox.
    const attempt = assertStatus(
      await pay(world.client, {
        allocations: [{ invoiceId: invoice.id, amount: 6000 }],
        testCard: card('4000000000000077'),
      }),
      201,
    );
    assert.equal(attempt.status, 'pending');
    // Reserved meanwhile: nobody can pay it twice.
    const twice = await pay(world.client, {
      allocations: [{ invoiceId: invoice.id, amount: 6000 }],
      testCard: GOOD_CARD,
    });
    assert.equal(twice.statusCode, 409, twice.body);
    harness.clock.now = new Date(harness.clock.now.getTime() + 61_000);
    // Asking the sandbox moves the charge on; its webhook (or the reconciler itself) settles the attempt.
    await reconcilePaymentAttempts(harness.ctx, { olderThanSeconds: 30 });
    const done = assertStatus(
      await world.client.request({ method: 'GET', url: `/payment-attempts/${attempt.id}` }),
      200,
    );
    assert.equal(done.status, 'succeeded');
    assert.equal((await invoiceMoney(harness, invoice.id)).status, 'paid');

    // An attempt written before a crash that never reached the gateway: given up, its reservation released.
    const lonely = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 1500 });
    const now = harness.clock.now.toISOString();
    const id = newId('pat');
    await harness.ctx.db.kysely
      .insertInto('paymentAttempts')
      .values({
        id,
        organizationId: world.owner.organizationId,
        customerId: world.customerId,
        contactPersonId: world.contactPersonId,
        status: 'pending',
        amount: 1500,
        currency: 'USD',
        gatewayKind: 'sandbox',
        gatewayPaymentId: null,
        redirectUrl: null,
        failureCode: null,
        failureMessage: null,
        paymentId: null,
        saveCard: null,
        savedCard: null,
        receiptSentAt: null,
        refundedAt: null,
        expiresAt: now,
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
        invoiceId: lonely.id,
        retainerInvoiceId: null,
        amount: 1500,
      })
      .execute();
    assert.equal(
      (await pay(world.client, { allocations: [{ invoiceId: lonely.id, amount: 1500 }], testCard: GOOD_CARD }))
        .statusCode,
      409,
    );
    harness.clock.now = new Date(harness.clock.now.getTime() + 31_000);
    await reconcilePaymentAttempts(harness.ctx, { olderThanSeconds: 30 });
    const given = await harness.ctx.db.kysely
      .selectFrom('paymentAttempts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(given.status, 'failed');
    assert.equal(given.failureCode, 'no_charge');
    const paid = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: lonely.id, amount: 1500 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(paid.status, 'succeeded');
  });

  test('undelivered sandbox webhooks are delivered again and processed once', async () => {
    const before = (await sandboxCharges(harness, world.owner.organizationId)).length;
    await deliverSandboxWebhooks(harness.ctx);
    await deliverSandboxWebhooks(harness.ctx);
    const events = await harness.ctx.db.kysely.selectFrom('processedWebhookEvents').select('eventId').execute();
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length);
    assert.equal((await sandboxCharges(harness, world.owner.organizationId)).length, before);
  });
});
