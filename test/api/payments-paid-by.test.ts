import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createInvoice, recordPayment } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, GOOD_CARD, type PayWorld, pay, payWorld } from '../support/pay.js';

describe('business payments: who paid online', () => {
  let harness: Harness;
  let world: PayWorld;

  before(async () => {
    harness = await startHarness();
    world = await payWorld(harness);
  });
  after(() => harness.close());

  test('a portal payment names the contact person who paid; an offline one names nobody', async () => {
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 5000 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 3000 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(attempt.status, 'succeeded');
    const online = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/payments/${attempt.paymentId}` }),
      200,
    );
    assert.equal(online.source, 'portal');
    assert.equal(online.paidByContactPersonId, world.contactPersonId);
    assert.equal(online.paidByName, 'Person 1');

    const offline = assertStatus(
      await recordPayment(world.owner, {
        customerId: world.customerId,
        date: '2026-03-15',
        amount: 2000,
        mode: 'cash',
        allocations: [{ invoiceId: invoice.id, amount: 2000 }],
      }),
      201,
    );
    const list = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/payments?customerId=${world.customerId}` }),
      200,
    );
    const byId = new Map(list.data.map((p: { id: string }) => [p.id, p]));
    assert.deepEqual(
      [byId.get(attempt.paymentId), byId.get(offline.id)].map((p) => {
        const payment = p as { source: string; paidByName: string | null; paidByContactPersonId: string | null };
        return [payment.source, payment.paidByName, payment.paidByContactPersonId];
      }),
      [
        ['portal', 'Person 1', world.contactPersonId],
        ['offline', null, null],
      ],
    );
  });
});
