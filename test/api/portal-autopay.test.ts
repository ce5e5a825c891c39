import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, card, GOOD_CARD, newKey, type PayWorld, payWorld, sandboxRules } from '../support/pay.js';
import { activatedClient, customerWithContacts } from '../support/portal.js';

describe('portal: autopay of recurring profiles', () => {
  let harness: Harness;
  let world: PayWorld;

  before(async () => {
    harness = await startHarness();
    world = await payWorld(harness);
  });
  after(() => harness.close());

  async function newProfile(customerId = world.customerId, overrides: Record<string, unknown> = {}) {
    const response = await world.owner.request({
      method: 'POST',
      url: '/api/v1/recurring-profiles',
      payload: {
        customerId,
        name: 'Hosting',
        frequency: 'monthly',
        startDate: '2026-04-01',
        template: {
          lines: [
            { name: 'Hosting', quantity: '2', rate: 4500 },
            { name: 'Support', quantity: '1', rate: 1000, discount: { type: 'percent', value: '10' } },
          ],
          shipping: 50,
        },
        ...overrides,
      },
    });
    return assertStatus(response, 201);
  }

  const authorize = (profileId: string, body: Record<string, unknown>, key: string | null = newKey()) =>
    world.client.request({
      method: 'POST',
      url: `/recurring-profiles/${profileId}/autopay`,
      payload: body,
      headers: key === null ? {} : { 'idempotency-key': key },
    });
  const withdraw = (profileId: string) =>
    world.client.request({ method: 'DELETE', url: `/recurring-profiles/${profileId}/autopay` });
  const listed = async () =>
    assertStatus(await world.client.request({ method: 'GET', url: '/recurring-profiles' }), 200).data as Array<{
      id: string;
      amount: number | null;
      autopay: { status: string; card: { brand: string; last4: string } | null };
    }>;
  const activeCards = (profileId: string) =>
    harness.ctx.db.kysely
      .selectFrom('autopayCards')
      .selectAll()
      .where('recurringProfileId', '=', profileId)
      .where('status', '=', 'active')
      .execute();
  const auditEvents = async (event: string) =>
    assertStatus(await world.owner.request({ method: 'GET', url: `/api/v1/audit-log?event=${event}` }), 200).data;

  test('lists the profiles with the amount per invoice; authorizing with a test card turns it on', async () => {
    const profile = await newProfile();
    let [shown] = await listed();
    assert.equal(shown?.id, profile.id);
    // 2 × 45.00 + (10.00 − 10%) + 0.50 shipping, by the document math.
    assert.equal(shown?.amount, 9000 + 900 + 50);
    assert.deepEqual(shown?.autopay, { status: 'off', card: null, authorizedAt: null });
    const listedKeys = Object.keys(shown ?? {}).sort();
    assert.deepEqual(listedKeys, [
      'amount',
      'autopay',
      'currency',
      'frequency',
      'id',
      'intervalCount',
      'name',
      'nextDate',
    ]);

    const key = newKey();
    const setup = assertStatus(await authorize(profile.id, { testCard: GOOD_CARD }, key), 201);
    assert.equal(setup.status, 'on');
    assert.deepEqual(setup.card, { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 });
    [shown] = await listed();
    assert.equal(shown?.autopay.status, 'on');
    assert.equal(shown?.autopay.card?.last4, '4242');

    // The same key again: the same answer, nothing new; with another body: a conflict.
    const replay = assertStatus(await authorize(profile.id, { testCard: GOOD_CARD }, key), 201);
    assert.deepEqual(replay, setup);
    assert.equal((await activeCards(profile.id)).length, 1);
    const other = await authorize(profile.id, { testCard: card('5555555555554444') }, key);
    assert.equal(other.statusCode, 409);
    assert.equal(other.json().code, 'idempotency_conflict');

    // Only the token is stored: no card number anywhere in the row.
    const [row] = await activeCards(profile.id);
    assert.ok(row?.gatewayToken?.startsWith('sbcard_'));
    assert.ok(!JSON.stringify(row).includes('4242424242424242'));

    // The business sees it on the profile, audited and notified.
    const business = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/recurring-profiles/${profile.id}` }),
      200,
    );
    assert.equal(business.autopay.status, 'on');
    assert.equal(business.autopay.card.last4, '4242');
    assert.equal(business.autopay.authorizedBy.contactPersonId, world.contactPersonId);
    const list = assertStatus(await world.owner.request({ method: 'GET', url: '/api/v1/recurring-profiles' }), 200);
    assert.equal(list.data.find((p: { id: string }) => p.id === profile.id)?.autopay.status, 'on');
    const [audit] = await auditEvents('portal.autopay_authorized');
    assert.equal(audit.contactPersonId, world.contactPersonId);
    assert.equal(audit.details.recurringProfileId, profile.id);
    const notices = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('subject')
      .where('organizationId', '=', world.owner.organizationId)
      .where('template', '=', 'portalActivity')
      .execute();
    assert.ok(notices.some((n) => n.subject.includes('turned on automatic card payments')));

    // A new card replaces the old one: still one card on.
    const replaced = assertStatus(await authorize(profile.id, { testCard: card('5555555555554444') }), 201);
    assert.equal(replaced.card.last4, '4444');
    const active = await activeCards(profile.id);
    assert.equal(active.length, 1);
    assert.equal(active[0]?.last4, '4444');

    // Withdrawn: off, audited; withdrawing again is an illegal transition.
    const off = assertStatus(await withdraw(profile.id), 200);
    assert.deepEqual(off, { status: 'off', card: null, authorizedAt: null });
    assert.equal((await listed()).find((p) => p.id === profile.id)?.autopay.status, 'off');
    assert.equal((await activeCards(profile.id)).length, 0);
    const [withdrawn] = await auditEvents('portal.autopay_withdrawn');
    assert.equal(withdrawn.details.recurringProfileId, profile.id);
    const again = await withdraw(profile.id);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'invalid_transition');
    const business2 = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/recurring-profiles/${profile.id}` }),
      200,
    );
    assert.equal(business2.autopay.status, 'off');
  });

  test("another customer's profile, a stopped or deleted one, an unknown id: 404", async () => {
    const neighbour = await customerWithContacts(world.owner, 'Neighbour', ['neighbour@client.example']);
    const theirs = await newProfile(neighbour.id);
    const stopped = await newProfile();
    assertStatus(
      await world.owner.request({ method: 'POST', url: `/api/v1/recurring-profiles/${stopped.id}/stop` }),
      200,
    );
    const deleted = await newProfile();
    const removed = await world.owner.request({ method: 'DELETE', url: `/api/v1/recurring-profiles/${deleted.id}` });
    assert.ok(removed.statusCode < 300, removed.body);
    for (const id of [theirs.id, stopped.id, deleted.id, 'rec_00000000000000000000000000']) {
      const post = await authorize(id, { testCard: GOOD_CARD });
      assert.equal(post.statusCode, 404, post.body);
      assert.equal(post.json().code, 'not_found');
      assert.equal((await withdraw(id)).statusCode, 404);
    }
    const ids = (await listed()).map((p) => p.id);
    assert.ok(!ids.includes(theirs.id) && !ids.includes(stopped.id) && !ids.includes(deleted.id));
    // The neighbour's own client sees their profile, not ours.
    const client = await activatedClient(
      harness,
      world.owner,
      world.slug,
      neighbour.id,
      neighbour.contacts['neighbour@client.example'] ?? '',
      'neighbour@client.example',
    );
    const theirList = assertStatus(await client.request({ method: 'GET', url: '/recurring-profiles' }), 200);
    assert.deepEqual(
      theirList.data.map((p: { id: string }) => p.id),
      [theirs.id],
    );
    assert.equal(
      await harness.ctx.db.kysely
        .selectFrom('autopayCards')
        .select('id')
        .where('recurringProfileId', 'in', [theirs.id, stopped.id, deleted.id])
        .executeTakeFirst(),
      undefined,
    );
  });

  test('bad input: 400 and nothing written', async () => {
    const profile = await newProfile();
    const count = async () => (await harness.ctx.db.kysely.selectFrom('autopayCards').select('id').execute()).length;
    const before = await count();
    const noKey = await authorize(profile.id, { testCard: GOOD_CARD }, null);
    assert.equal(noKey.statusCode, 400);
    const unknown = await authorize(profile.id, { testCard: GOOD_CARD, amount: 5 });
    assert.equal(unknown.statusCode, 400);
    const badCard = await authorize(profile.id, { testCard: { ...GOOD_CARD, expMonth: 13 } });
    assert.equal(badCard.statusCode, 400);
    assert.equal(await count(), before);
  });

  test('a card refused at set-up, CP4002 and CP3001: failed with the code and a plain sentence', async () => {
    const profile = await newProfile();
    const declined = assertStatus(await authorize(profile.id, { testCard: card('4000000000000002') }), 201);
    assert.equal(declined.status, 'failed');
    assert.equal(declined.failure.code, 'card_declined');

    await sandboxRules(harness, world.owner, { recurring: false });
    const noRecurring = assertStatus(await authorize(profile.id, { testCard: GOOD_CARD }), 201);
    assert.equal(noRecurring.status, 'failed');
    assert.equal(noRecurring.failure.code, 'CP4002');
    assert.match(noRecurring.failure.message, /Automatic payments are not available/);

    await sandboxRules(harness, world.owner, { referenceTransactions: false });
    const noReference = assertStatus(await authorize(profile.id, { testCard: GOOD_CARD }), 201);
    assert.equal(noReference.failure.code, 'CP3001');
    assert.match(noReference.failure.message, /saved card is not available/);

    await sandboxRules(harness, world.owner, {});
    assert.equal((await activeCards(profile.id)).length, 0);
    assert.equal((await listed()).find((p) => p.id === profile.id)?.autopay.status, 'off');
  });

  const postForm = (app: FastifyInstance, path: string, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });

  test("without a test card: the gateway's page; on once the card is saved there", async () => {
    const profile = await newProfile();
    const setup = assertStatus(await authorize(profile.id, {}), 201);
    assert.equal(setup.status, 'requires_action');
    const url = new URL(setup.redirectUrl);
    assert.equal(url.origin, 'http://portico.test');
    assert.equal((await listed()).find((p) => p.id === profile.id)?.autopay.status, 'pending');

    const page = await harness.app.inject({ method: 'GET', url: url.pathname });
    assert.equal(page.statusCode, 200);
    const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const saved = await postForm(harness.app, url.pathname, {
      cardNumber: '5555 5555 5555 4444',
      expiry: '12/30',
      cvc: '123',
      postalCode: '94107',
      csrfToken: csrf,
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const back = new URL(String(saved.headers.location));
    assert.equal(back.pathname, `/portal/${world.slug}/recurring-profiles`);

    // Back in the portal: the set-up is read from the gateway (or its webhook got there first).
    const shown = (await listed()).find((p) => p.id === profile.id);
    assert.equal(shown?.autopay.status, 'on');
    assert.equal(shown?.autopay.card?.last4, '4444');
    assert.equal((await activeCards(profile.id)).length, 1);
    assert.equal((await auditEvents('portal.autopay_authorized')).length >= 1, true);
  });

  test('the list pages by name with a cursor: every profile once, presented as on one page', async () => {
    for (const name of ['Alpha', 'Beta', 'Beta']) await newProfile(world.customerId, { name });
    const all = assertStatus(
      await world.client.request({ method: 'GET', url: '/recurring-profiles?limit=100' }),
      200,
    ).data;
    assert.ok(all.length >= 5);
    const seen: unknown[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const url: string = `/recurring-profiles?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = assertStatus(await world.client.request({ method: 'GET', url }), 200);
      assert.ok(page.data.length <= 2);
      seen.push(...page.data);
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, all);
    const names = all.map((p: { name: string }) => p.name);
    assert.deepEqual(names, [...names].sort());
    assert.equal((await world.client.request({ method: 'GET', url: '/recurring-profiles?cursor=zz' })).statusCode, 400);
  });
});
