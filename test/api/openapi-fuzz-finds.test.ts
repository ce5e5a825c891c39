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

  test('a NUL character in a body, a query string or a path is a 400 (PostgreSQL cannot store it), and writes nothing', async () => {
    const { owner } = world;
    const customers = async () =>
      (await owner.request({ method: 'GET', url: '/api/v1/customers?limit=100' })).json().data.length;
    const before = await customers();
    const answers = await Promise.all([
      owner.request({ method: 'POST', url: '/api/v1/customers', payload: { displayName: 'Ann\u0000' } }),
      owner.request({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { displayName: 'Ann', billingAddress: { city: '\u0000' } },
      }),
      owner.request({ method: 'GET', url: '/api/v1/invoices?search=a%00b' }),
      owner.request({ method: 'GET', url: '/api/v1/invoices/inv_x%00' }),
      world.client.request({ method: 'GET', url: '/invoices/inv_x%00' }),
    ]);
    const paths = answers.map((answer) => {
      assert.equal(answer.statusCode, 400, answer.body);
      assert.equal(answer.json().code, 'validation_failed');
      return answer.json().errors[0].path;
    });
    assert.deepEqual(paths, [
      '/displayName',
      '/billingAddress/city',
      'querystring:/search',
      'params:/id',
      'params:/id',
    ]);
    assert.equal(await customers(), before);
    // The portal name is read before validation, by the portal guard: still bad input, never a 500.
    for (const url of ['/api/portal/%00/brand', `/api/portal/${world.slug}%00/invoices`]) {
      const answer = await harness.app.inject({ method: 'GET', url });
      assert.ok([400, 404].includes(answer.statusCode), `${url}: ${answer.statusCode} ${answer.body}`);
    }
  });
});
