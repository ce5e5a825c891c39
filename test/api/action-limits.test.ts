import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ACTION_LIMITS, pruneActionCounters } from '../../src/auth/action-limits.js';
import { createInvoice } from '../support/books.js';
import type { Harness } from '../support/harness.js';
import { startHarness } from '../support/harness.js';
import { card, newKey, type PayWorld, pay, payWorld } from '../support/pay.js';
import { activatedClient, customerWithContacts, type PortalClient } from '../support/portal.js';

/**
 * The client actions' budgets (src/auth/action-limits.ts, docs/limits.md): every burst is fired at once, exactly
 * the budget gets through, the rest answer 429 problem+json with Retry-After and write nothing, and one contact
 * person's exhaustion leaves another's budget whole.
 */
describe('client action limits: per contact person and per organization, under concurrent requests', () => {
  let harness: Harness;
  let world: PayWorld;
  /** Another contact person of the same customer, and one of another customer of the same organization. */
  let colleague: PortalClient;
  let other: PortalClient;
  let otherId: string;
  let invoiceId: string;
  let otherInvoiceId: string;

  before(async () => {
    harness = await startHarness();
    world = await payWorld(harness, {
      notifyMe: true,
      allowForwarding: true,
      reviews: true,
      allowEditingDetails: true,
      emailCustomerOnComment: false,
    });
    const colleagueId = await addContactPerson(world, 'colleague@client.example');
    colleague = await activatedClient(
      harness,
      world.owner,
      world.slug,
      world.customerId,
      colleagueId,
      'colleague@client.example',
    );
    const otherCustomer = await customerWithContacts(world.owner, 'Other Client', ['other@client.example']);
    otherId = otherCustomer.contacts['other@client.example'] ?? '';
    other = await activatedClient(harness, world.owner, world.slug, otherCustomer.id, otherId, 'other@client.example');
    invoiceId = (await createInvoice(harness, world.owner, { customerId: world.customerId, total: 5000 })).id;
    otherInvoiceId = (await createInvoice(harness, world.owner, { customerId: otherCustomer.id, total: 5000 })).id;
  });
  after(() => harness.close());

  async function addContactPerson(w: PayWorld, email: string): Promise<string> {
    const response = await w.owner.request({
      method: 'POST',
      url: `/api/v1/customers/${w.customerId}/contact-persons`,
      payload: { firstName: 'Colleague', email },
    });
    assert.equal(response.statusCode, 201, response.body);
    return (response.json() as { id: string }).id;
  }

  const burst = (count: number, request: (index: number) => Promise<LightMyRequestResponse>) =>
    Promise.all(Array.from({ length: count }, (_, index) => request(index)));

  /** Exactly `passed` answered `okStatus`; every other one is a 429 problem+json saying when to come back. */
  function assertLimited(
    responses: LightMyRequestResponse[],
    okStatus: number,
    passed: number,
    retryAfterSeconds: number,
  ) {
    const statuses = responses.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === okStatus).length, passed, `statuses: ${statuses.join(',')}`);
    const refused = responses.filter((r) => r.statusCode !== okStatus);
    assert.equal(refused.length, responses.length - passed);
    for (const response of refused) {
      assert.equal(response.statusCode, 429, response.body);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.equal(response.json().code, 'rate_limited');
      assert.equal(response.headers['retry-after'], String(retryAfterSeconds));
    }
  }

  const db = () => harness.ctx.db.kysely;
  const count = (rows: Array<{ n: number | string }>) => Number(rows[0]?.n ?? 0);
  const commentsBy = async (contactPersonId: string) =>
    count(
      await db()
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('contactPersonId', '=', contactPersonId)
        .execute(),
    );
  const businessMails = async (template: string) =>
    count(
      await db()
        .selectFrom('outboxMessages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organizationId', '=', world.owner.organizationId)
        .where('template', '=', template)
        .execute(),
    );
  const auditEntries = async (event: string) =>
    count(
      await db()
        .selectFrom('auditLog')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organizationId', '=', world.owner.organizationId)
        .where('event', '=', event)
        .execute(),
    );
  const comment = (client: PortalClient, id: string, text: string) =>
    client.request({ method: 'POST', url: `/invoices/${id}/comments`, payload: { text } });

  test('comments: 25 at once from one client, exactly 20 written and e-mailed; the others 429, nothing written', async () => {
    const { perContactPerson } = ACTION_LIMITS.comment;
    const mailsBefore = await businessMails('portalActivity');
    const responses = await burst(perContactPerson.max + 5, (i) => comment(world.client, invoiceId, `Comment ${i}`));
    assertLimited(responses, 201, perContactPerson.max, perContactPerson.windowMs / 1000);
    assert.equal(await commentsBy(world.contactPersonId), perContactPerson.max);
    assert.equal(await businessMails('portalActivity'), mailsBefore + perContactPerson.max);

    // Another contact person of the same customer, and one of another customer, have their own budgets.
    assert.equal((await comment(colleague, invoiceId, 'Mine is fine')).statusCode, 201);
    assert.equal((await comment(other, otherInvoiceId, 'So is mine')).statusCode, 201);
    // Still refused for the first client; once the window has passed, allowed again.
    assert.equal((await comment(world.client, invoiceId, 'Again')).statusCode, 429);
    harness.clock.now = new Date(harness.clock.now.getTime() + perContactPerson.windowMs);
    assert.equal((await comment(world.client, invoiceId, 'A new window')).statusCode, 201);
  });

  test('comments refused for another reason (an unknown document) count nothing', async () => {
    const before = await db().selectFrom('throttles').select(['key', 'failures']).orderBy('key').execute();
    const responses = await burst(25, () => comment(other, 'inv_unknown', 'Hello?'));
    assert.ok(responses.every((r) => r.statusCode === 404));
    assert.deepEqual(await db().selectFrom('throttles').select(['key', 'failures']).orderBy('key').execute(), before);
  });

  test("the organization's budget is a backstop over all its clients", async () => {
    const limits = ACTION_LIMITS.comment.perOrganization;
    const saved = limits.max;
    try {
      // The window started with the last test's first comment; lower the backstop to 5 above what it counted.
      const row = await db()
        .selectFrom('throttles')
        .select('failures')
        .where('key', '=', `action:comment:org:${world.owner.organizationId}`)
        .executeTakeFirstOrThrow();
      limits.max = row.failures + 5;
      const before = await commentsBy(otherId);
      const responses = await burst(12, (i) => comment(other, otherInvoiceId, `Backstop ${i}`));
      assertLimited(responses, 201, 5, limits.windowMs / 1000);
      assert.equal(await commentsBy(otherId), before + 5);
    } finally {
      limits.max = saved;
    }
  });

  test('CLIENT_ACTION_LIMITS_FACTOR multiplies every budget (for load tests)', async () => {
    const { perContactPerson } = ACTION_LIMITS.comment;
    // The colleague's one comment was in a window that has passed since.
    harness.ctx.config.clientActionLimitsFactor = 2;
    try {
      const responses = await burst(perContactPerson.max * 2 + 5, (i) => comment(colleague, invoiceId, `Load ${i}`));
      assertLimited(responses, 201, perContactPerson.max * 2, perContactPerson.windowMs / 1000);
    } finally {
      harness.ctx.config.clientActionLimitsFactor = 1;
    }
  });

  test('reviews: 8 saves at once, exactly 5 saved, audited and e-mailed', async () => {
    const { perContactPerson } = ACTION_LIMITS.review;
    const [auditBefore, mailsBefore] = [
      await auditEntries('portal.review_submitted'),
      await businessMails('portalActivity'),
    ];
    const responses = await burst(perContactPerson.max + 3, (i) =>
      world.client.request({ method: 'PUT', url: '/review', payload: { rating: (i % 5) + 1 } }),
    );
    assertLimited(responses, 200, perContactPerson.max, perContactPerson.windowMs / 1000);
    assert.equal(await auditEntries('portal.review_submitted'), auditBefore + perContactPerson.max);
    assert.equal(await businessMails('portalActivity'), mailsBefore + perContactPerson.max);
    assert.equal((await colleague.request({ method: 'PUT', url: '/review', payload: { rating: 4 } })).statusCode, 200);
  });

  test('account changes: 13 at once, exactly 10 applied, audited and e-mailed', async () => {
    const { perContactPerson } = ACTION_LIMITS.accountChange;
    const [auditBefore, mailsBefore] = [
      await auditEntries('portal.details_changed'),
      await businessMails('portalActivity'),
    ];
    const responses = await burst(perContactPerson.max + 3, (i) =>
      world.client.request({
        method: 'PATCH',
        url: '/account',
        payload: { contactPerson: { phone: `+1 555 01${String(i).padStart(2, '0')}` } },
      }),
    );
    assertLimited(responses, 200, perContactPerson.max, perContactPerson.windowMs / 1000);
    assert.equal(await auditEntries('portal.details_changed'), auditBefore + perContactPerson.max);
    assert.equal(await businessMails('portalActivity'), mailsBefore + perContactPerson.max);
    const mine = await colleague.request({
      method: 'PATCH',
      url: '/account',
      payload: { contactPerson: { phone: '+1 555 0199' } },
    });
    assert.equal(mine.statusCode, 200, mine.body);
  });

  test('forwards: 12 at once, exactly 10 sent (a day’s budget per contact person)', async () => {
    const { perContactPerson } = ACTION_LIMITS.forward;
    const forwardsBefore = await businessMails('documentForwarded');
    const responses = await burst(perContactPerson.max + 2, (i) =>
      world.client.request({
        method: 'POST',
        url: `/invoices/${invoiceId}/forward`,
        payload: { email: `accounts${i}@elsewhere.example` },
      }),
    );
    assertLimited(responses, 202, perContactPerson.max, perContactPerson.windowMs / 1000);
    assert.equal(await businessMails('documentForwarded'), forwardsBefore + perContactPerson.max);
    const forwarded = await db()
      .selectFrom('history')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event', '=', 'forwarded')
      .where('actorId', '=', world.contactPersonId)
      .execute();
    assert.equal(count(forwarded), perContactPerson.max);
    const mine = await colleague.request({
      method: 'POST',
      url: `/invoices/${invoiceId}/forward`,
      payload: { email: 'colleague-forward@elsewhere.example' },
    });
    assert.equal(mine.statusCode, 202, mine.body);
  });

  test('payments: 23 declined attempts at once, exactly 20 reach the gateway; the key of a refused one is free', async () => {
    const { perContactPerson } = ACTION_LIMITS.payment;
    const invoices: Array<{ id: string }> = [];
    for (let i = 0; i < perContactPerson.max + 3; i += 1) {
      invoices.push(await createInvoice(harness, world.owner, { customerId: world.customerId, total: 1000 }));
    }
    const keys = invoices.map(() => newKey());
    const responses = await burst(invoices.length, (i) =>
      pay(
        world.client,
        { allocations: [{ invoiceId: invoices[i]?.id, amount: 1000 }], testCard: card('4000000000000002') },
        keys[i],
      ),
    );
    assertLimited(responses, 201, perContactPerson.max, perContactPerson.windowMs / 1000);
    assert.ok(responses.filter((r) => r.statusCode === 201).every((r) => r.json().status === 'failed'));
    const attempts = await db()
      .selectFrom('paymentAttempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('contactPersonId', '=', world.contactPersonId)
      .execute();
    assert.equal(count(attempts), perContactPerson.max);
    const keysKept = await db()
      .selectFrom('idempotencyKeys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', 'in', keys)
      .execute();
    assert.equal(count(keysKept), perContactPerson.max);
    // The colleague pays as usual.
    const paid = await pay(colleague, {
      allocations: [{ invoiceId: invoices[0]?.id, amount: 1000 }],
      testCard: card('4242424242424242'),
    });
    assert.equal(paid.statusCode, 201, paid.body);
    assert.equal(paid.json().status, 'succeeded');
  });

  test("the scheduler's pruning removes counters whose window is over, and no sign-in counter", async () => {
    const keys = async () =>
      (await db().selectFrom('throttles').select('key').orderBy('key').execute()).map((row) => row.key);
    const at = harness.clock.now.toISOString();
    await db()
      .insertInto('throttles')
      .values({
        key: 'ip:portal-login:203.0.113.9',
        failures: 1,
        windowStartedAt: at,
        blockedUntil: null,
        updatedAt: at,
      })
      .execute();
    const counters = (await keys()).filter((key) => key.startsWith('action:'));
    const signInCounters = (await keys()).filter((key) => !key.startsWith('action:'));
    assert.ok(counters.length >= 10, counters.join(','));
    assert.ok(signInCounters.includes('ip:portal-login:203.0.113.9'));
    assert.equal(await pruneActionCounters(harness.ctx), 0);
    harness.clock.now = new Date(harness.clock.now.getTime() + 24 * 3_600_000);
    assert.equal(await pruneActionCounters(harness.ctx), counters.length);
    // Every action counter went; every sign-in counter stayed (they have their own pruning).
    assert.deepEqual(await keys(), signInCounters);
  });
});
