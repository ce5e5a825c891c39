import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

describe('customers and contact persons', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    otherOrg = await createOrgAndSignIn(harness);
  });
  after(() => harness.close());

  const acme = {
    displayName: 'Acme Corp',
    companyName: 'Acme Corporation',
    billingAddress: { street1: '1 Road', city: 'Springfield', country: 'US' },
    contactPersons: [
      { firstName: 'Ada', lastName: 'Lovelace', email: 'Ada@Example.com' },
      { firstName: 'Bob', email: 'bob@example.com' },
    ],
  };

  test('creates a customer with contact persons; the first is primary and e-mails are lower-cased', async () => {
    const response = await owner.request({ method: 'POST', url: '/api/v1/customers', payload: acme });
    assert.equal(response.statusCode, 201, response.body);
    const customer = response.json();
    assert.match(customer.id, /^cus_[0-9a-z]{26}$/);
    assert.equal(customer.currency, 'USD');
    assert.equal(customer.contactPersons.length, 2);
    assert.equal(customer.contactPersons[0].isPrimary, true);
    assert.equal(customer.contactPersons[0].email, 'ada@example.com');
    assert.equal(customer.contactPersons[1].isPrimary, false);
    assert.deepEqual(customer.billingAddress, acme.billingAddress);
  });

  test('bad input answers 400 problem+json and writes nothing', async () => {
    const before = (await owner.request({ method: 'GET', url: '/api/v1/customers' })).json().data.length;
    for (const payload of [
      { displayName: '' },
      { displayName: 'X', organizationId: 'org_x' },
      { displayName: 'X', currency: 'usd' },
      { displayName: 'X', currency: 'ZZZ' },
      { displayName: 'X', openingBalance: 1.5 },
      { displayName: 'X', contactPersons: [{ firstName: 'A', email: 'not-an-email' }] },
      { displayName: 'X', website: 'bluebird bakery dot com' },
      { displayName: 'X', website: 'javascript:alert(1)' },
    ]) {
      const response = await owner.request({ method: 'POST', url: '/api/v1/customers', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      assert.equal(response.json().code, 'validation_failed');
    }
    const afterCount = (await owner.request({ method: 'GET', url: '/api/v1/customers' })).json().data.length;
    assert.equal(afterCount, before);
  });

  test('a website is a web address as people write it, with or without https://', async () => {
    const refused = await owner.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { displayName: 'Bluebird', website: 'bluebird bakery dot com' },
    });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json().errors, [
      { path: '/website', message: 'must be a web address, such as bluebird.example or https://bluebird.example' },
    ]);
    for (const website of [
      'bluebird.example',
      'https://www.bluebird.example/shop?x=1',
      'http://bluebird.example:8080',
    ]) {
      const response = await owner.request({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { displayName: `Bluebird ${website}`, website },
      });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json().website, website);
    }
  });

  test('lists with search and cursor pagination', async () => {
    for (const name of ['Beta LLC', 'Gamma 100%', 'Delta_Co', 'Epsilon']) {
      await owner.request({ method: 'POST', url: '/api/v1/customers', payload: { displayName: name } });
    }
    const first = (await owner.request({ method: 'GET', url: '/api/v1/customers?limit=2' })).json();
    assert.equal(first.data.length, 2);
    assert.ok(first.nextCursor);
    const seen = [...first.data];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = (await owner.request({ method: 'GET', url: `/api/v1/customers?limit=2&cursor=${cursor}` })).json();
      seen.push(...page.data);
      cursor = page.nextCursor;
    }
    const names = seen.map((c: { displayName: string }) => c.displayName);
    assert.deepEqual(names, [...names].sort());
    assert.equal(new Set(names).size, names.length);

    const percent = (await owner.request({ method: 'GET', url: '/api/v1/customers?q=100%25' })).json();
    assert.deepEqual(
      percent.data.map((c: { displayName: string }) => c.displayName),
      ['Gamma 100%'],
    );
    const underscore = (await owner.request({ method: 'GET', url: '/api/v1/customers?q=a_c' })).json();
    assert.deepEqual(
      underscore.data.map((c: { displayName: string }) => c.displayName),
      ['Delta_Co'],
    );
    const bad = await owner.request({ method: 'GET', url: '/api/v1/customers?cursor=garbage' });
    assert.equal(bad.statusCode, 400);
  });

  test("another organization's customer answers 404, exactly like a missing one", async () => {
    const created = (await owner.request({ method: 'POST', url: '/api/v1/customers', payload: acme })).json();
    const foreign = await otherOrg.request({ method: 'GET', url: `/api/v1/customers/${created.id}` });
    const missing = await otherOrg.request({ method: 'GET', url: '/api/v1/customers/cus_00000000000000000000000000' });
    assert.equal(foreign.statusCode, 404);
    assert.deepEqual(foreign.json(), missing.json());
    const patch = await otherOrg.request({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      payload: { displayName: 'Stolen' },
    });
    assert.equal(patch.statusCode, 404);
    const del = await otherOrg.request({ method: 'DELETE', url: `/api/v1/customers/${created.id}` });
    assert.equal(del.statusCode, 404);
    const still = (await owner.request({ method: 'GET', url: `/api/v1/customers/${created.id}` })).json();
    assert.equal(still.displayName, 'Acme Corp');
  });

  test('updates, changes the primary contact person and deletes', async () => {
    const created = (await owner.request({ method: 'POST', url: '/api/v1/customers', payload: acme })).json();
    const bob = created.contactPersons[1];
    const promoted = await owner.request({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}/contact-persons/${bob.id}`,
      payload: { isPrimary: true },
    });
    assert.equal(promoted.statusCode, 200, promoted.body);
    const reloaded = (await owner.request({ method: 'GET', url: `/api/v1/customers/${created.id}` })).json();
    assert.deepEqual(
      reloaded.contactPersons.map((p: { firstName: string; isPrimary: boolean }) => [p.firstName, p.isPrimary]),
      [
        ['Bob', true],
        ['Ada', false],
      ],
    );
    const added = await owner.request({
      method: 'POST',
      url: `/api/v1/customers/${created.id}/contact-persons`,
      payload: { firstName: 'Cy' },
    });
    assert.equal(added.statusCode, 201);
    const removed = await owner.request({
      method: 'DELETE',
      url: `/api/v1/customers/${created.id}/contact-persons/${added.json().id}`,
    });
    assert.equal(removed.statusCode, 204);
    const renamed = await owner.request({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      payload: { displayName: 'Acme Renamed', shippingAddress: { city: 'Shelbyville' } },
    });
    assert.equal(renamed.json().displayName, 'Acme Renamed');
    assert.deepEqual(renamed.json().shippingAddress, { city: 'Shelbyville' });
    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/customers/${created.id}` })).statusCode, 204);
    assert.equal((await owner.request({ method: 'GET', url: `/api/v1/customers/${created.id}` })).statusCode, 404);
  });

  test('requests without a session answer 401; a session without the CSRF token cannot write', async () => {
    const anonymous = await harness.app.inject({ method: 'GET', url: '/api/v1/customers' });
    assert.equal(anonymous.statusCode, 401);
    const noCsrf = await owner.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { displayName: 'X' },
      headers: { 'x-csrf-token': 'wrong' },
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'csrf_failed');
    const foreignOrigin = await owner.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { displayName: 'X' },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(foreignOrigin.statusCode, 403);
  });
});
