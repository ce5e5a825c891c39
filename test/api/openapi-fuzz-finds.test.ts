/**
 * The 5xx answers test/api/openapi-fuzz.test.ts found, each pinned by a plain request: bad input is a 4xx and
 * changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, startHarness } from '../support/harness.js';
import { newKey, type PayWorld, pay, payWorld } from '../support/pay.js';

describe('inputs the fuzz test found answered 5xx', () => {
  let harness: Harness;
  let world: PayWorld;
  before(async () => {
    harness = await startHarness();
    world = await payWorld(harness);
  });
  after(() => harness.close());

  const line = { name: 'Work', quantity: '1', rate: 10000 };

  test('an invoice a client began paying online is never deleted: 409, even back in draft', async () => {
    const { owner } = world;
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/invoices',
      payload: { customerId: world.customerId, lines: [line] },
    });
    const id = created.json().id;
    assert.equal((await owner.request({ method: 'POST', url: `/api/v1/invoices/${id}/send` })).statusCode, 200);
    const attempt = await pay(world.client, { allocations: [{ invoiceId: id, amount: 500 }] }, newKey());
    assert.equal(attempt.statusCode, 201, attempt.body);
    for (const verb of ['void', 'reopen']) {
      const response = await owner.request({ method: 'POST', url: `/api/v1/invoices/${id}/${verb}` });
      assert.equal(response.statusCode, 200, `${verb}: ${response.body}`);
    }
    const detail = await owner.request({ method: 'GET', url: `/api/v1/invoices/${id}` });
    assert.equal(detail.json().status, 'draft');
    assert.ok(!detail.json().availableActions.includes('delete'), 'delete is not offered');
    const deletions = await Promise.all(
      [1, 2].map(() => owner.request({ method: 'DELETE', url: `/api/v1/invoices/${id}` })),
    );
    for (const response of deletions) {
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(response.json().code, 'invalid_transition');
    }
    assert.equal((await owner.request({ method: 'GET', url: `/api/v1/invoices/${id}` })).statusCode, 200);
  });

  test('a retainer invoice a client began paying online is never deleted: 409, even back in draft', async () => {
    const { owner } = world;
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/retainer-invoices',
      payload: { customerId: world.customerId, lines: [{ description: 'Advance', amount: 5000 }] },
    });
    const id = created.json().id;
    const sent = await owner.request({ method: 'POST', url: `/api/v1/retainer-invoices/${id}/send` });
    assert.equal(sent.statusCode, 200, sent.body);
    const attempt = await pay(world.client, { allocations: [{ retainerInvoiceId: id, amount: 5000 }] }, newKey());
    assert.equal(attempt.statusCode, 201, attempt.body);
    for (const verb of ['void', 'reopen']) {
      const response = await owner.request({ method: 'POST', url: `/api/v1/retainer-invoices/${id}/${verb}` });
      assert.equal(response.statusCode, 200, `${verb}: ${response.body}`);
    }
    const deletions = await Promise.all(
      [1, 2].map(() => owner.request({ method: 'DELETE', url: `/api/v1/retainer-invoices/${id}` })),
    );
    for (const response of deletions) {
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(response.json().code, 'conflict');
    }
    assert.equal(
      (await owner.request({ method: 'GET', url: `/api/v1/retainer-invoices/${id}` })).json().status,
      'draft',
    );
  });
});
