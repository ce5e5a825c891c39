import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { THROTTLE_LIMITS } from '../../src/auth/throttle.js';
import type { Harness } from '../support/harness.js';
import { startHarness } from '../support/harness.js';

const input = (overrides: Record<string, unknown> = {}) => ({
  organizationName: 'Kōbe Works',
  portalName: 'kobe-works',
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  ownerName: 'Kei Tanaka',
  ownerEmail: 'Kei@Kobe.example',
  password: 'seven quiet herons over the river',
  ...overrides,
});

describe('first run: set up the first organization on an empty database', () => {
  let harness: Harness;
  let ip = 0;
  /** Each request from its own address, so the per-IP budget is a test of its own. */
  const setup = (payload: object, remoteAddress = `203.0.113.${++ip}`) =>
    harness.app.inject({ method: 'POST', url: '/api/v1/setup', payload, remoteAddress });

  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  test('an empty database needs setup', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/v1/setup' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { needed: true });
  });

  test('the input is checked: portal name, time zone, currency, password rules', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ portalName: 'Not A Slug' }, '/portalName'],
      [{ timeZone: 'Mars/Olympus' }, '/timeZone'],
      [{ password: 'short' }, '/password'],
      [{ password: 'password123456789' }, '/password'],
      [{ password: 'all about kōbe works today' }, '/password'],
    ];
    for (const [overrides, path] of cases) {
      const response = await setup(input(overrides));
      assert.equal(response.statusCode, 400, `${JSON.stringify(overrides)}: ${response.body}`);
      assert.ok(
        (response.json().errors as Array<{ path: string }>).some((e) => e.path === path),
        `${path}: ${response.body}`,
      );
    }
    assert.equal((await setup(input({ currency: 'XYZ' }))).statusCode, 400);
    assert.equal((await setup({ organizationName: 'Only a name' })).statusCode, 400);
    const still = await harness.app.inject({ method: 'GET', url: '/api/v1/setup' });
    assert.deepEqual(still.json(), { needed: true });
  });

  test('two setups at once make one organization; the winner is signed in as its owner', async () => {
    const [a, b] = await Promise.all([
      setup(input()),
      setup(input({ portalName: 'another-name', organizationName: 'Another', ownerEmail: 'b@b.example' })),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    assert.deepEqual(statuses, [201, 409], `${a.body} ${b.body}`);
    const organizations = await harness.ctx.db.kysely.selectFrom('organizations').selectAll().execute();
    assert.equal(organizations.length, 1);
    const users = await harness.ctx.db.kysely.selectFrom('users').selectAll().execute();
    assert.equal(users.length, 1);
    assert.equal(users[0]?.role, 'owner');

    const winner = a.statusCode === 201 ? a : b;
    const identity = winner.json();
    assert.equal(identity.organization.id, organizations[0]?.id);
    assert.equal(identity.user.role, 'owner');
    assert.ok(identity.csrfToken);
    const cookie = winner.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const session = await harness.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    assert.equal(session.statusCode, 200, session.body);
    assert.equal(session.json().user.id, identity.user.id);
    // The organization has its number sequences: a first customer and invoice work.
    const customer = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { cookie, 'x-csrf-token': identity.csrfToken },
      payload: { displayName: 'First customer' },
    });
    assert.equal(customer.statusCode, 201, customer.body);
  });

  test('the chosen settings are kept; the e-mail is stored lower-case', async () => {
    const organization = await harness.ctx.db.kysely.selectFrom('organizations').selectAll().executeTakeFirstOrThrow();
    if (organization.slug !== 'kobe-works') return; // the other request of the race won
    assert.equal(organization.name, 'Kōbe Works');
    assert.equal(organization.baseCurrency, 'EUR');
    assert.equal(organization.timeZone, 'Europe/Paris');
    const owner = await harness.ctx.db.kysely.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    assert.equal(owner.email, 'kei@kobe.example');
    assert.equal(owner.name, 'Kei Tanaka');
  });

  test('once set up: GET says not needed and POST is refused (409)', async () => {
    const needed = await harness.app.inject({ method: 'GET', url: '/api/v1/setup' });
    assert.deepEqual(needed.json(), { needed: false });
    const again = await setup(input({ portalName: 'third', ownerEmail: 'c@c.example' }));
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'conflict');
    assert.equal((await harness.ctx.db.kysely.selectFrom('organizations').selectAll().execute()).length, 1);
  });

  test('every POST counts against the caller address: the budget runs out (429)', async () => {
    const address = '198.51.100.9';
    const limit = THROTTLE_LIMITS.ip.setup.maxFailures;
    for (let i = 0; i < limit; i++) {
      assert.equal((await setup(input(), address)).statusCode, 409);
    }
    const refused = await setup(input(), address);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().code, 'rate_limited');
    assert.equal((await setup(input(), '198.51.100.10')).statusCode, 409);
  });
});
