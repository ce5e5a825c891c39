/**
 * Never too much, never twice, on the database the suite runs on (TEST_DB): 200 clients paying one invoice at
 * once collect exactly its balance; 50 requests with one Idempotency-Key make one charge. On SQLite the
 * requests interleave in one process (every await is a point where another request runs); on PostgreSQL they
 * run on a pool of connections and the invoice row locks do the work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACTION_LIMITS } from '../../src/auth/action-limits.js';
import { createInvoice, invoiceMoney } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import { GOOD_CARD, newKey, type PayWorld, pay, payWorld, sandboxCharges } from '../support/pay.js';
import { activatedClient } from '../support/portal.js';

describe('payment concurrency', () => {
  let harness: Harness;
  let world: PayWorld;
  // Two clients paying 100 times each is this file's point, far beyond a client's budget of payment attempts
  // (test/api/action-limits.test.ts covers that budget): it is lifted here.
  const budgets = structuredClone(ACTION_LIMITS.payment);

  before(async () => {
    ACTION_LIMITS.payment.perContactPerson.max = 1_000;
    ACTION_LIMITS.payment.perOrganization.max = 1_000;
    harness = await startHarness();
    // Without "prevent duplicate payments", so that only the reservations stand between 200 clients and the balance.
    world = await payWorld(harness, { preventDuplicatePayments: false });
  });
  after(async () => {
    Object.assign(ACTION_LIMITS.payment, budgets);
    await harness.close();
  });

  test('200 concurrent payments on one invoice collect exactly the balance', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 100_000 });
    await harness.ctx.db.kysely
      .updateTable('invoices')
      .set({ allowPartialPayments: 1 })
      .where('id', '=', invoice.id)
      .execute();
    // A second contact person of the same customer pays at the same time as the first.
    const added = await world.owner.request({
      method: 'POST',
      url: `/api/v1/customers/${world.customerId}/contact-persons`,
      payload: { firstName: 'Second', email: 'second@client.example' },
    });
    assert.equal(added.statusCode, 201, added.body);
    const second = await activatedClient(
      harness,
      world.owner,
      world.slug,
      world.customerId,
      added.json().id,
      'second@client.example',
    );
    const amounts = Array.from({ length: 200 }, () => 1000);
    const responses = await Promise.all(
      amounts.map((amount, i) =>
        pay(i % 2 === 0 ? world.client : second, {
          allocations: [{ invoiceId: invoice.id, amount }],
          testCard: GOOD_CARD,
        }),
      ),
    );
    const succeeded = responses.filter((r) => r.statusCode === 201 && r.json().status === 'succeeded');
    const refused = responses.filter((r) => r.statusCode === 409);
    assert.equal(succeeded.length + refused.length, 200, responses.map((r) => `${r.statusCode}`).join(','));
    const collected = succeeded.reduce((sum, r) => sum + r.json().amount, 0);
    const money = await invoiceMoney(harness, invoice.id);
    assert.equal(collected, 100_000, 'exactly the balance');
    assert.equal(succeeded.length, 100);
    for (const r of refused) assert.equal(r.json().code, 'conflict');
    assert.equal(money.paymentsApplied, collected);
    assert.equal(money.balance, 100_000 - collected);
    // The sandbox charged exactly what was recorded.
    const charged = (await sandboxCharges(harness, world.owner.organizationId))
      .filter((c) => c.status === 'succeeded')
      .reduce((sum, c) => sum + c.amount, 0);
    assert.equal(charged, collected);
    // Pay off the rest exactly: then the invoice is paid and nothing more can be collected.
    if (money.balance > 0) {
      const rest = await pay(world.client, {
        allocations: [{ invoiceId: invoice.id, amount: money.balance }],
        testCard: GOOD_CARD,
      });
      assert.equal(rest.statusCode, 201, rest.body);
    }
    const after = await invoiceMoney(harness, invoice.id);
    assert.equal(after.status, 'paid');
    assert.equal(after.paymentsApplied, 100_000);
    const late = await Promise.all(
      Array.from({ length: 10 }, () =>
        pay(second, { allocations: [{ invoiceId: invoice.id, amount: 100 }], testCard: GOOD_CARD }),
      ),
    );
    assert.ok(late.every((r) => r.statusCode === 409));
    assert.equal((await invoiceMoney(harness, invoice.id)).paymentsApplied, 100_000);
  });

  test('with "prevent duplicate payments" on, concurrent payments of one invoice: one goes through', async () => {
    const strict = await payWorld(harness, { preventDuplicatePayments: true });
    const invoice = await createInvoice(harness, strict.owner, { customerId: strict.customerId, total: 10_000 });
    await harness.ctx.db.kysely
      .updateTable('invoices')
      .set({ allowPartialPayments: 1 })
      .where('id', '=', invoice.id)
      .execute();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        pay(strict.client, { allocations: [{ invoiceId: invoice.id, amount: 1000 }], testCard: GOOD_CARD }),
      ),
    );
    const ok = responses.filter((r) => r.statusCode === 201);
    assert.ok(ok.length >= 1);
    // Refused while another is pending (or, once all is paid, for the balance); never more than the balance.
    for (const r of responses.filter((x) => x.statusCode !== 201)) {
      assert.ok(['payment_pending', 'conflict'].includes(r.json().code), r.body);
    }
    assert.ok(responses.some((r) => r.statusCode === 409 && r.json().code === 'payment_pending') || ok.length === 10);
    assert.equal((await invoiceMoney(harness, invoice.id)).paymentsApplied, ok.length * 1000);
  });

  test('the same Idempotency-Key 50 times at once: one charge', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 4000 });
    const before = (await sandboxCharges(harness, world.owner.organizationId)).length;
    const key = newKey();
    const body = { allocations: [{ invoiceId: invoice.id, amount: 4000 }], testCard: GOOD_CARD };
    const responses = await Promise.all(Array.from({ length: 50 }, () => pay(world.client, body, key)));
    const ok = responses.filter((r) => r.statusCode === 201);
    assert.ok(ok.length >= 1);
    assert.ok(responses.every((r) => r.statusCode === 201 || r.json().code === 'idempotency_conflict'));
    assert.equal(new Set(ok.map((r) => r.json().id)).size, 1);
    assert.equal((await sandboxCharges(harness, world.owner.organizationId)).length, before + 1);
    assert.equal((await invoiceMoney(harness, invoice.id)).paymentsApplied, 4000);
    // Afterwards the key replays the one result.
    const replay = await pay(world.client, body, key);
    assert.equal(replay.statusCode, 201);
    assert.equal(replay.json().id, ok[0]?.json().id);
  });
});
