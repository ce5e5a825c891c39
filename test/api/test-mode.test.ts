import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createInvoice, invoiceMoney } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, GOOD_CARD, pay, payWorld, sandboxCharges } from '../support/pay.js';

/**
 * Test mode (issue 16): the sandbox is never a silent default, and a payment that moved no money says so
 * wherever it appears.
 */
describe('online payments: no silent sandbox, and test mode', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  test('no gateway chosen: the portal is told payments are off, and Pay Now answers 409 CP4003 with nothing written', async () => {
    const world = await payWorld(harness, {}, { gateway: 'none' });
    const session = assertStatus(await world.client.request({ method: 'GET', url: '/session' }), 200);
    assert.equal(session.settings.onlinePayments, 'off');

    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 250000 });
    const refused = await pay(world.client, {
      allocations: [{ invoiceId: invoice.id, amount: 250000 }],
      testCard: GOOD_CARD,
    });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    const problem = refused.json();
    assert.equal(problem.code, 'CP4003');
    assert.match(problem.detail, /does not take online payments/);

    const money = await invoiceMoney(harness, invoice.id);
    assert.equal(money.status, 'sent');
    assert.equal(money.balance, 250000);
    const attempts = await harness.ctx.db.kysely
      .selectFrom('paymentAttempts')
      .select('id')
      .where('organizationId', '=', world.owner.organizationId)
      .execute();
    assert.deepEqual(attempts, [], 'no attempt, no reservation');
    assert.deepEqual(await sandboxCharges(harness, world.owner.organizationId), [], 'the sandbox was not called');
    const payments = assertStatus(await world.client.request({ method: 'GET', url: '/payments' }), 200);
    assert.deepEqual(payments.data, []);
  });

  test('the sandbox chosen: the portal is in test mode', async () => {
    const world = await payWorld(harness);
    const session = assertStatus(await world.client.request({ method: 'GET', url: '/session' }), 200);
    assert.equal(session.settings.onlinePayments, 'test');
  });
});
