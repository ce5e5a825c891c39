import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createInvoice, createSentRetainer, invoiceMoney } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import {
  assertStatus,
  card,
  GOOD_CARD,
  mailTo,
  newKey,
  type PayWorld,
  pay,
  payWorld,
  sandboxCharges,
} from '../support/pay.js';

describe('portal: Pay Now', () => {
  let harness: Harness;
  let world: PayWorld;

  before(async () => {
    harness = await startHarness();
    world = await payWorld(harness);
  });
  after(() => harness.close());

  const setPartial = async (invoiceId: string, allow: boolean) => {
    await harness.ctx.db.kysely
      .updateTable('invoices')
      .set({ allowPartialPayments: allow ? 1 : 0 })
      .where('id', '=', invoiceId)
      .execute();
  };

  test('pays an invoice in full with a test card: payment recorded and applied, receipt, notification', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 12000 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 12000 }], testCard: GOOD_CARD }),
      201,
    );
    assert.match(attempt.id, /^pat_[0-9a-z]{26}$/);
    assert.equal(attempt.status, 'succeeded');
    assert.equal(attempt.amount, 12000);
    assert.equal(attempt.currency, 'USD');
    assert.ok(attempt.paymentId);
    assert.equal((await invoiceMoney(harness, invoice.id)).status, 'paid');
    assert.equal((await invoiceMoney(harness, invoice.id)).balance, 0);

    // The portal shows the invoice paid, the payment with who paid, and its receipt.
    const shown = assertStatus(await world.client.request({ method: 'GET', url: `/invoices/${invoice.id}` }), 200);
    assert.equal(shown.status, 'paid');
    const payment = assertStatus(
      await world.client.request({ method: 'GET', url: `/payments/${attempt.paymentId}` }),
      200,
    );
    assert.equal(payment.amount, 12000);
    assert.equal(payment.mode, 'card');
    assert.deepEqual(payment.paidBy, { name: 'Person 1' });
    assert.deepEqual(
      payment.invoices.map((i: { invoiceId: string; amount: number }) => [i.invoiceId, i.amount]),
      [[invoice.id, 12000]],
    );
    const receipt = await world.client.request({ method: 'GET', url: `/payments/${attempt.paymentId}/receipt` });
    assert.equal(receipt.statusCode, 200);
    assert.equal(receipt.rawPayload.subarray(0, 4).toString(), '%PDF');
    const polled = assertStatus(
      await world.client.request({ method: 'GET', url: `/payment-attempts/${attempt.id}` }),
      200,
    );
    assert.equal(polled.status, 'succeeded');

    // Receipt e-mail with the PDF; the business heard of it; the invoice's history says who paid.
    const [mail] = await mailTo(harness, world.email, 'paymentReceipt');
    assert.ok(mail, 'a receipt e-mail');
    const attachments = JSON.parse(mail.attachments) as Array<{ contentType: string; contentBase64: string }>;
    assert.equal(attachments.length, 1);
    assert.equal(
      Buffer.from(attachments[0]?.contentBase64 ?? '', 'base64')
        .subarray(0, 4)
        .toString(),
      '%PDF',
    );
    const notices = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('subject')
      .where('organizationId', '=', world.owner.organizationId)
      .where('template', '=', 'portalActivity')
      .execute();
    assert.ok(
      notices.some((n) => n.subject.includes('made payment')),
      JSON.stringify(notices),
    );
    const history = await harness.ctx.db.kysely
      .selectFrom('history')
      .selectAll()
      .where('subjectId', '=', invoice.id)
      .where('event', '=', 'paid')
      .execute();
    assert.equal(history.length, 1);
    assert.equal(history[0]?.actorType, 'contact_person');
    assert.equal(history[0]?.actorId, world.contactPersonId);
    assert.match(history[0]?.description ?? '', /Paid online by Person 1/);

    // The statement has the payment.
    const statement = assertStatus(
      await world.client.request({ method: 'GET', url: '/statement?from=2026-01-01&to=2026-12-31' }),
      200,
    );
    assert.ok(JSON.stringify(statement).includes(payment.number), 'the statement lists the payment');
  });

  test('partial payments only where the invoice allows them', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 10000 });
    await setPartial(invoice.id, false);
    const refused = await pay(world.client, {
      allocations: [{ invoiceId: invoice.id, amount: 4000 }],
      testCard: GOOD_CARD,
    });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(refused.json().detail, /paid in full/);
    await setPartial(invoice.id, true);
    const partial = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 4000 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(partial.status, 'succeeded');
    const money = await invoiceMoney(harness, invoice.id);
    assert.equal(money.status, 'partially_paid');
    assert.equal(money.balance, 6000);
    // More than the balance is refused.
    const over = await pay(world.client, {
      allocations: [{ invoiceId: invoice.id, amount: 6001 }],
      testCard: GOOD_CARD,
    });
    assert.equal(over.statusCode, 409, over.body);
  });

  test('several invoices at once; a retainer becomes retainer credit', async () => {
    const a = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 3000 });
    const b = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 5000 });
    const both = assertStatus(
      await pay(world.client, {
        allocations: [
          { invoiceId: a.id, amount: 3000 },
          { invoiceId: b.id, amount: 5000 },
        ],
        testCard: GOOD_CARD,
      }),
      201,
    );
    assert.equal(both.status, 'succeeded');
    assert.equal(both.amount, 8000);
    assert.equal((await invoiceMoney(harness, a.id)).status, 'paid');
    assert.equal((await invoiceMoney(harness, b.id)).status, 'paid');

    const retainer = await createSentRetainer(world.owner, world.customerId, 20000);
    const paid = assertStatus(
      await pay(world.client, {
        allocations: [{ retainerInvoiceId: retainer.id, amount: 20000 }],
        testCard: GOOD_CARD,
      }),
      201,
    );
    assert.equal(paid.status, 'succeeded');
    const credits = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/customers/${world.customerId}/credits` }),
      200,
    );
    assert.equal(credits.retainerCredit, 20000);
    const shown = assertStatus(
      await world.client.request({ method: 'GET', url: `/retainer-invoices/${retainer.id}` }),
      200,
    );
    assert.equal(shown.status, 'paid');
    const payment = assertStatus(
      await world.client.request({ method: 'GET', url: `/payments/${paid.paymentId}` }),
      200,
    );
    assert.equal(payment.retainerPayment, true);
    assert.equal(payment.unapplied, 20000);
  });

  test('bad input: 400 with nothing written; unknown, draft, void and other customers’ documents: 404', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 5000 });
    const body = { allocations: [{ invoiceId: invoice.id, amount: 5000 }], testCard: GOOD_CARD };
    const count = async () =>
      Number(
        (
          await harness.ctx.db.kysely
            .selectFrom('paymentAttempts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    assert.equal((await pay(world.client, body, null)).statusCode, 400, 'no Idempotency-Key');
    assert.equal((await pay(world.client, body, 'x'.repeat(256))).statusCode, 400, 'oversized key');
    assert.equal((await pay(world.client, { allocations: [] })).statusCode, 400);
    assert.equal((await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 0 }] })).statusCode, 400);
    assert.equal((await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 1.5 }] })).statusCode, 400);
    assert.equal((await pay(world.client, { ...body, extra: 1 })).statusCode, 400);
    const draft = await createInvoice(harness, world.owner, {
      customerId: world.customerId,
      total: 5000,
      status: 'draft',
    });
    const voided = await createInvoice(harness, world.owner, {
      customerId: world.customerId,
      total: 5000,
      status: 'void',
    });
    const other = await payWorld(harness);
    const theirs = await createInvoice(harness, other.owner, { customerId: other.customerId, total: 5000 });
    for (const id of [draft.id, voided.id, theirs.id, 'inv_00000000000000000000000000']) {
      const response = await pay(world.client, { allocations: [{ invoiceId: id, amount: 5000 }], testCard: GOOD_CARD });
      assert.equal(response.statusCode, 404, response.body);
      assert.equal(response.json().code, 'not_found');
    }
    assert.equal(await count(), before, 'nothing written');
    // Another customer's attempt is 404 too.
    const mine = assertStatus(await pay(world.client, body), 201);
    const foreign = await other.client.request({ method: 'GET', url: `/payment-attempts/${mine.id}` });
    assert.equal(foreign.statusCode, 404);
  });

  test('a declined card: the attempt fails with its code and the reservation is released', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 7000 });
    const declined = assertStatus(
      await pay(world.client, {
        allocations: [{ invoiceId: invoice.id, amount: 7000 }],
        testCard: card('4000000000000002'),
      }),
      201,
    );
    assert.equal(declined.status, 'failed');
    assert.equal(declined.failure.code, 'card_declined');
    assert.match(declined.failure.message, /declined/);
    const ok = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 7000 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(ok.status, 'succeeded');
  });

  test('idempotency: a replay answers the same; other parameters conflict; one charge for 50 at once', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 9000 });
    await setPartial(invoice.id, true);
    const key = newKey();
    const body = { allocations: [{ invoiceId: invoice.id, amount: 1000 }], testCard: GOOD_CARD };
    const first = assertStatus(await pay(world.client, body, key), 201);
    const again = assertStatus(await pay(world.client, body, key), 201);
    assert.deepEqual(again, first);
    const other = await pay(world.client, { ...body, allocations: [{ invoiceId: invoice.id, amount: 2000 }] }, key);
    assert.equal(other.statusCode, 409);
    assert.equal(other.json().code, 'idempotency_conflict');
    // A failed payment replays as the same failure.
    const failKey = newKey();
    const failBody = { allocations: [{ invoiceId: invoice.id, amount: 1000 }], testCard: card('4000000000009995') };
    const failed = assertStatus(await pay(world.client, failBody, failKey), 201);
    assert.equal(failed.failure.code, 'insufficient_funds');
    assert.deepEqual(assertStatus(await pay(world.client, failBody, failKey), 201), failed);

    const chargesBefore = (await sandboxCharges(harness, world.owner.organizationId)).length;
    const concurrentKey = newKey();
    const responses = await Promise.all(Array.from({ length: 50 }, () => pay(world.client, body, concurrentKey)));
    const statuses = responses.map((r) => r.statusCode);
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      statuses.join(','),
    );
    assert.ok(statuses.includes(201));
    for (const r of responses.filter((x) => x.statusCode === 409)) assert.equal(r.json().code, 'idempotency_conflict');
    const attemptIds = new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.json().id));
    assert.equal(attemptIds.size, 1, 'one attempt');
    assert.equal((await sandboxCharges(harness, world.owner.organizationId)).length, chargesBefore + 1, 'one charge');
  });

  test('hosted page: no test card → redirectUrl → card form → webhook → succeeded', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 4500 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 4500 }] }),
      201,
    );
    assert.equal(attempt.status, 'requires_action');
    assert.match(attempt.redirectUrl, /^http:\/\/portico\.test\/sandbox-gateway\/checkout\/sbcs_/);
    const path = new URL(attempt.redirectUrl).pathname;
    const page = await harness.app.inject({ method: 'GET', url: path });
    assert.equal(page.statusCode, 200);
    const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(csrf);
    const posted = await harness.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        csrfToken: csrf,
        cardNumber: '4242 4242 4242 4242',
        expiry: '12/30',
        cvc: '123',
        postalCode: '10001',
      }).toString(),
    });
    assert.equal(posted.statusCode, 303, posted.body);
    assert.equal(
      posted.headers.location,
      `http://portico.test/portal/${world.slug}/payments/return?attempt=${attempt.id}`,
    );
    const done = assertStatus(
      await world.client.request({ method: 'GET', url: `/payment-attempts/${attempt.id}` }),
      200,
    );
    assert.equal(done.status, 'succeeded');
    assert.equal((await invoiceMoney(harness, invoice.id)).status, 'paid');
  });

  test('hosted page: "Cancel and go back" returns to the portal, closes the page and frees the invoice at once', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 5200 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 5200 }] }),
      201,
    );
    assert.equal(attempt.status, 'requires_action');
    const path = new URL(attempt.redirectUrl).pathname;
    const page = await harness.app.inject({ method: 'GET', url: path });
    assert.equal(page.statusCode, 200);
    const cancel = /<a href="([^"]+)">Cancel and go back<\/a>/.exec(page.body)?.[1]?.replaceAll('&amp;', '&');
    assert.equal(
      cancel,
      `http://portico.test/portal/${world.slug}/payments/return?attempt=${attempt.id}&cancelled=1`,
      page.body,
    );
    // The portal's return screen, reached through that link, cancels the attempt.
    assertStatus(await world.client.request({ method: 'POST', url: `/payment-attempts/${attempt.id}/cancel` }), 200);
    const ended = assertStatus(
      await world.client.request({ method: 'GET', url: `/payment-attempts/${attempt.id}` }),
      200,
    );
    assert.equal(ended.status, 'failed');
    assert.equal((await harness.app.inject({ method: 'GET', url: path })).statusCode, 404, 'the page is closed');
    // Paying again at once: the whole balance is free again.
    const again = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 5200 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(again.status, 'succeeded');
    assert.equal((await invoiceMoney(harness, invoice.id)).status, 'paid');
  });

  test('"prevent duplicate payments": a second payment while one is pending is refused', async () => {
    const strict = await payWorld(harness, { preventDuplicatePayments: true });
    const invoice = await createInvoice(harness, strict.owner, { customerId: strict.customerId, total: 8000 });
    await setPartial(invoice.id, true);
    const pending = assertStatus(
      await pay(strict.client, { allocations: [{ invoiceId: invoice.id, amount: 3000 }] }),
      201,
    );
    assert.equal(pending.status, 'requires_action');
    const second = await pay(strict.client, {
      allocations: [{ invoiceId: invoice.id, amount: 3000 }],
      testCard: GOOD_CARD,
    });
    assert.equal(second.statusCode, 409, second.body);
    assert.equal(second.json().code, 'payment_pending');
    // Without the setting, the rest of the balance can be paid beside a pending attempt, but not more.
    const beside = await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 1 }] });
    assert.equal(beside.statusCode, 404, 'another organization');
  });
});
