import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashToken } from '../../src/auth/tokens.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import {
  activatedClient,
  CLIENT_PASSWORD,
  customerWithContacts,
  enablePortal,
  type PortalClient,
  portalClient,
} from '../support/portal.js';

/** The portal guard reads session, person, customer and portal in one query; these are the rules it keeps. */
describe('portal sessions: lifetime and revocation', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let customer: { id: string; contacts: Record<string, string> };
  const email = 'life@client.example';

  const lastSeenOf = async (client: PortalClient) => {
    const id = hashToken(decodeURIComponent(client.cookie.split('=')[1] ?? ''));
    const row = await harness.ctx.db.kysely
      .selectFrom('sessions')
      .select('lastSeenAt')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.lastSeenAt ?? null;
  };
  let activated = false;
  const signedIn = async () => {
    if (!activated) {
      activated = true;
      return activatedClient(harness, owner, slug, customer.id, customer.contacts[email] as string, email);
    }
    const client = portalClient(harness, slug);
    const response = await client.request({
      method: 'POST',
      url: '/session',
      payload: { email, password: CLIENT_PASSWORD },
    });
    assert.equal(response.statusCode, 200, response.body);
    client.keepSessionFrom(response);
    return client;
  };
  const status = async (client: PortalClient) => (await client.request({ method: 'GET', url: '/home' })).statusCode;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Lifetime Ltd' });
    slug = await enablePortal(owner);
    customer = await customerWithContacts(owner, 'Client Co', [email]);
  });
  after(() => harness.close());

  test('idle for 30 minutes ends the session; last seen is written at most once a minute', async () => {
    const start = harness.clock.now;
    try {
      const client = await signedIn();
      const signedInAt = await lastSeenOf(client);
      harness.clock.now = new Date(start.getTime() + 30_000);
      assert.equal(await status(client), 200);
      assert.equal(await lastSeenOf(client), signedInAt, 'not written within the minute');
      harness.clock.now = new Date(start.getTime() + 29 * 60_000);
      assert.equal(await status(client), 200);
      assert.equal(await lastSeenOf(client), harness.clock.now.toISOString());
      harness.clock.now = new Date(start.getTime() + (29 + 30) * 60_000);
      assert.equal(await status(client), 401);
      harness.clock.now = new Date(start.getTime() + (29 + 1) * 60_000);
      assert.equal(await status(client), 401, 'an expired session is deleted, not revived');
    } finally {
      harness.clock.now = start;
    }
  });

  test('12 hours end any session, however busy', async () => {
    const start = harness.clock.now;
    try {
      const client = await signedIn();
      for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
        harness.clock.now = new Date(start.getTime() + minutes * 60_000);
        assert.equal(await status(client), 200);
      }
      harness.clock.now = new Date(start.getTime() + 12 * 60 * 60_000);
      assert.equal(await status(client), 401);
    } finally {
      harness.clock.now = start;
    }
  });

  test('disabling the person, the portal or renaming it works on the very next request', async () => {
    const client = await signedIn();
    assert.equal(await status(client), 200);
    await harness.ctx.db.kysely
      .updateTable('contactPersons')
      .set({ portalStatus: 'disabled' })
      .where('id', '=', customer.contacts[email] as string)
      .execute();
    assert.equal(await status(client), 401);
    await harness.ctx.db.kysely
      .updateTable('contactPersons')
      .set({ portalStatus: 'active' })
      .where('id', '=', customer.contacts[email] as string)
      .execute();
    assert.equal(await status(client), 401, 'the session was deleted, re-enabling does not bring it back');

    const again = await signedIn();
    assert.equal(await status(again), 200);
    const renamed = await owner.request({
      method: 'PATCH',
      url: '/api/v1/portal-settings',
      payload: { portalName: `${slug}-new` },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(await status(again), 404, 'the old name is no portal');
    assert.equal(
      (
        await harness.app.inject({
          method: 'GET',
          url: `/api/portal/${slug}-new/home`,
          headers: { cookie: again.cookie },
        })
      ).statusCode,
      200,
    );
    await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { enabled: false } });
    assert.equal(
      (
        await harness.app.inject({
          method: 'GET',
          url: `/api/portal/${slug}-new/home`,
          headers: { cookie: again.cookie },
        })
      ).statusCode,
      404,
    );
  });
});
