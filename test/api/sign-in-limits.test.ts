/**
 * The sign-in limits under attack (docs/sign-in-limits.md): every limit is hit by requests fired at once, and each
 * refusal is a 429 (or 503) with Retry-After that wrote nothing and hashed nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { hashesComputed, hashesInProgress } from '../../src/auth/passwords.js';
import { MAX_CHECKS_PER_ADDRESS } from '../../src/auth/sign-in-limits.js';
import { accountThrottleKey, THROTTLE_LIMITS } from '../../src/auth/throttle.js';
import { type Actor, createOrgAndSignIn, type Harness, OWNER_PASSWORD, startHarness } from '../support/harness.js';
import {
  activatedClient,
  CLIENT_PASSWORD,
  customerWithContacts,
  enablePortal,
  tokenFromOutbox,
} from '../support/portal.js';

const generic429 = {
  type: 'https://portico.dev/problems/rate_limited',
  title: 'Too many requests',
  status: 429,
  detail: 'Too many attempts. Try again later.',
  code: 'rate_limited',
};

/** Counts the answers by status, e.g. `{ 401: 4, 429: 1996 }`. */
const statuses = (responses: LightMyRequestResponse[]) =>
  responses.reduce<Record<number, number>>((counts, r) => {
    counts[r.statusCode] = (counts[r.statusCode] ?? 0) + 1;
    return counts;
  }, {});

/** Every refusal says when to try again, in whole seconds, with the one generic body. */
function assertRefusalsSayWhen(responses: LightMyRequestResponse[]) {
  for (const response of responses.filter((r) => r.statusCode === 429)) {
    assert.match(String(response.headers['retry-after']), /^[1-9][0-9]*$/);
    assert.deepEqual(response.json(), generic429);
    assert.equal(response.cookies.length, 0);
  }
}

const cookieOf = (response: LightMyRequestResponse, name: string) => {
  const cookie = response.cookies.find((c) => c.name === name);
  assert.ok(cookie, `the ${name} cookie`);
  return `${cookie.name}=${cookie.value}`;
};

describe('sign-in limits under concurrent attack, both realms', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let start: Date;
  let addressCounter = 0;
  /** A fresh address for every request that should not share a budget with another. */
  const newAddress = () => {
    addressCounter += 1;
    return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
  };

  before(async () => {
    harness = await startHarness();
    start = harness.clock.now;
    owner = await createOrgAndSignIn(harness, { ownerEmail: 'limits-owner@example.com' });
    slug = await enablePortal(owner);
  });
  after(() => harness.close());

  const at = (ms: number) => {
    harness.clock.now = new Date(start.getTime() + ms);
  };
  const businessLogin = (email: string, password: string, remoteAddress: string, cookie?: string) =>
    harness.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email, password },
      remoteAddress,
      ...(cookie ? { headers: { cookie } } : {}),
    });
  const portalLogin = (email: string, password: string, remoteAddress: string, cookie?: string) =>
    harness.app.inject({
      method: 'POST',
      url: `/api/portal/${slug}/session`,
      payload: { email, password },
      remoteAddress,
      ...(cookie ? { headers: { cookie } } : {}),
    });
  const counter = async (key: string) =>
    (await harness.ctx.db.kysely.selectFrom('throttles').select('failures').where('key', '=', key).executeTakeFirst())
      ?.failures ?? 0;

  test('2,000 bad sign-ins at once from one address: no more than the limit are hashed, and a client elsewhere signs in within a second', async () => {
    at(0);
    const attacker = newAddress();
    const hashesBefore = hashesComputed();
    let floodOver = false;
    const flood = Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        businessLogin(`sprayed${i}@example.com`, 'Winter2026 password', attacker),
      ),
    ).finally(() => {
      floodOver = true;
    });
    // Meanwhile: once the flood's first hashes run, the owner signs in from their own address.
    while (hashesInProgress() === 0 && !floodOver) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(floodOver, false, 'the flood is still on');
    const began = performance.now();
    const legitimate = await businessLogin('limits-owner@example.com', OWNER_PASSWORD, newAddress());
    const took = performance.now() - began;
    assert.equal(legitimate.statusCode, 200, legitimate.body);
    assert.ok(took < 1_000, `the owner's sign-in took ${Math.round(took)} ms`);

    const responses = await flood;
    const counts = statuses(responses);
    assert.deepEqual(Object.keys(counts).sort(), ['401', '429'], JSON.stringify(counts));
    assertRefusalsSayWhen(responses);
    const hashed = hashesComputed() - hashesBefore - 1; // the owner's own
    assert.ok(hashed <= THROTTLE_LIMITS.ip.login.maxFailures, `${hashed} hashed`);
    assert.equal(hashed, counts[401], 'one hash per answered attempt');
    assert.equal(await counter(`ip:business-login:${attacker}`), counts[401], 'each checked attempt counted');
  });

  test('the address budget holds for attempts fired at once: of 4 with 2 left, 2 are checked', async () => {
    at(0);
    const address = newAddress();
    const key = `ip:portal-login:${address}`;
    const budget = THROTTLE_LIMITS.ip.login.maxFailures;
    await harness.ctx.db.kysely
      .insertInto('throttles')
      .values({ key, failures: budget - 2, windowStartedAt: start.toISOString(), updatedAt: start.toISOString() })
      .execute();
    const hashesBefore = hashesComputed();
    const responses = await Promise.all(
      Array.from({ length: MAX_CHECKS_PER_ADDRESS }, (_, i) =>
        portalLogin(`nobody${i}@client.example`, 'guess', address),
      ),
    );
    assert.deepEqual(statuses(responses), { 401: 2, 429: 2 });
    assertRefusalsSayWhen(responses);
    assert.equal(hashesComputed() - hashesBefore, 2);
    assert.equal(await counter(key), budget);
  });

  test('the addresses of one IPv6 /64 count as one client', async () => {
    at(0);
    const key = 'ip:business-login:2001:db8:7:7::/64';
    const budget = THROTTLE_LIMITS.ip.login.maxFailures;
    await harness.ctx.db.kysely
      .insertInto('throttles')
      .values({ key, failures: budget - 2, windowStartedAt: start.toISOString(), updatedAt: start.toISOString() })
      .execute();
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => businessLogin(`rotating${i}@example.com`, 'guess', `2001:db8:7:7::${i + 1}`)),
    );
    assert.deepEqual(statuses(responses), { 401: 2, 429: 4 });
    assertRefusalsSayWhen(responses);
    assert.equal(await counter(key), budget);
    const neighbour = await businessLogin('limits-owner@example.com', OWNER_PASSWORD, '2001:db8:7:8::1');
    assert.equal(neighbour.statusCode, 200, 'the next /64 is another client');
  });

  test('the same attack on one account from 200 addresses: 5 are checked, its owner keeps signing in from a known device (business)', async () => {
    at(0);
    const email = 'targeted-owner@example.com';
    await createOrgAndSignIn(harness, { ownerEmail: email });
    // The owner signed in before from their laptop: it carries the known-device cookie.
    const laptop = newAddress();
    const first = await businessLogin(email, OWNER_PASSWORD, laptop);
    assert.equal(first.statusCode, 200);
    const device = cookieOf(first, 'portico_app_device');

    const hashesBefore = hashesComputed();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => businessLogin(email, 'a wrong guess at it', newAddress())),
    );
    assert.deepEqual(statuses(responses), { 401: THROTTLE_LIMITS.account.freeFailures, 429: 195 });
    assertRefusalsSayWhen(responses);
    assert.equal(hashesComputed() - hashesBefore, THROTTLE_LIMITS.account.freeFailures);
    assert.equal(await counter(accountThrottleKey('business', null, email)), THROTTLE_LIMITS.account.freeFailures);

    // A browser the account never signed in from waits out the back-off…
    assert.equal((await businessLogin(email, OWNER_PASSWORD, newAddress())).statusCode, 429);
    // …and so does a forged device cookie, or another account's; the owner's laptop signs in at once.
    const other = await businessLogin('limits-owner@example.com', OWNER_PASSWORD, newAddress());
    const othersDevice = cookieOf(other, 'portico_app_device');
    assert.equal((await businessLogin(email, OWNER_PASSWORD, laptop, othersDevice)).statusCode, 429);
    const forged = `${device.split('.')[0]}.${'A'.repeat(43)}`;
    assert.equal((await businessLogin(email, OWNER_PASSWORD, laptop, forged)).statusCode, 429);
    const again = await businessLogin(email, OWNER_PASSWORD, laptop, device);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(cookieOf(again, 'portico_app_device'), device, 'the same device, remembered again');
    assert.equal(
      await counter(accountThrottleKey('business', null, email)),
      THROTTLE_LIMITS.account.freeFailures,
      "the device's success does not refund the attacker",
    );
  });

  test('the same attack on a portal client from 200 addresses: 5 are checked, the client keeps signing in from a known device', async () => {
    at(0);
    const email = 'targeted@client.example';
    const { id, contacts } = await customerWithContacts(owner, 'Targeted', [email]);
    await activatedClient(harness, owner, slug, id, contacts[email] ?? '', email);
    const phone = newAddress();
    const first = await portalLogin(email, CLIENT_PASSWORD, phone);
    assert.equal(first.statusCode, 200);
    const device = cookieOf(first, 'portico_portal_device');

    const hashesBefore = hashesComputed();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => portalLogin(email, 'a wrong guess at it', newAddress())),
    );
    assert.deepEqual(statuses(responses), { 401: THROTTLE_LIMITS.account.freeFailures, 429: 195 });
    assertRefusalsSayWhen(responses);
    assert.equal(hashesComputed() - hashesBefore, THROTTLE_LIMITS.account.freeFailures);
    const failedLogins = await harness.ctx.db.kysely
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event', '=', 'portal.login_failed')
      .where('contactPersonId', '=', contacts[email] ?? '')
      .executeTakeFirstOrThrow();
    assert.equal(Number(failedLogins.n), THROTTLE_LIMITS.account.freeFailures, 'a refused attempt writes nothing');

    assert.equal((await portalLogin(email, CLIENT_PASSWORD, newAddress())).statusCode, 429);
    const again = await portalLogin(email, CLIENT_PASSWORD, phone, device);
    assert.equal(again.statusCode, 200, again.body);

    // The device has a budget of its own: wrong passwords from it back off like the account's.
    const fromDevice = await Promise.all(
      Array.from({ length: 3 }, () => portalLogin(email, 'my old password', phone, device)),
    );
    assert.deepEqual(statuses(fromDevice), { 401: 3 });
  });

  test("change password: the current password's check is limited like a sign-in (portal and business)", async () => {
    at(0);
    const email = 'changer@client.example';
    const { id, contacts } = await customerWithContacts(owner, 'Changer', [email]);
    const client = await activatedClient(harness, owner, slug, id, contacts[email] ?? '', email);
    const stored = async () =>
      (
        await harness.ctx.db.kysely
          .selectFrom('contactPersons')
          .select('passwordHash')
          .where('id', '=', contacts[email] ?? '')
          .executeTakeFirstOrThrow()
      ).passwordHash;
    const before = await stored();
    const guess = (i: number) =>
      client.request({
        method: 'PUT',
        url: '/password',
        payload: { currentPassword: `guess number ${i}`, newPassword: 'a brand new long password' },
      });
    const hashesBefore = hashesComputed();
    const firstBurst = await Promise.all(Array.from({ length: 25 }, (_, i) => guess(i)));
    const secondBurst = await Promise.all(Array.from({ length: 25 }, (_, i) => guess(i)));
    const all = [...firstBurst, ...secondBurst];
    const counts = statuses(all);
    assert.equal(counts[400], THROTTLE_LIMITS.account.freeFailures, JSON.stringify(counts));
    assert.equal(counts[429], 50 - THROTTLE_LIMITS.account.freeFailures);
    assertRefusalsSayWhen(all);
    assert.equal(hashesComputed() - hashesBefore, THROTTLE_LIMITS.account.freeFailures);
    const right = await client.request({
      method: 'PUT',
      url: '/password',
      payload: { currentPassword: CLIENT_PASSWORD, newPassword: 'a brand new long password' },
    });
    assert.equal(right.statusCode, 429, 'backing off: even the right one waits');
    assert.equal(await stored(), before, 'nothing written');
    at(1_000);
    const later = await client.request({
      method: 'PUT',
      url: '/password',
      payload: { currentPassword: CLIENT_PASSWORD, newPassword: 'a brand new long password' },
    });
    assert.equal(later.statusCode, 204, later.body);

    const businessGuesses = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        owner.request({
          method: 'PUT',
          url: '/api/v1/password',
          payload: { currentPassword: `guess number ${i}`, newPassword: 'another brand new password' },
        }),
      ),
    );
    const business = statuses(businessGuesses);
    assert.ok((business[400] ?? 0) <= MAX_CHECKS_PER_ADDRESS, JSON.stringify(business));
    assert.equal((business[400] ?? 0) + (business[429] ?? 0), 25, JSON.stringify(business));
    assertRefusalsSayWhen(businessGuesses);
  });

  test('forgot password: 20 requests an hour from one address, 3 reset e-mails an hour to one mailbox', async () => {
    at(0);
    const email = 'forgetful@client.example';
    const { id, contacts } = await customerWithContacts(owner, 'Forgetful', [email]);
    await activatedClient(harness, owner, slug, id, contacts[email] ?? '', email);
    const forgot = (address: string, to = email) =>
      harness.app.inject({
        method: 'POST',
        url: `/api/portal/${slug}/password/forgot`,
        payload: { email: to },
        remoteAddress: address,
      });
    const resetMails = async () =>
      Number(
        (
          await harness.ctx.db.kysely
            .selectFrom('outboxMessages')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('toAddress', '=', email)
            .where('template', '=', 'passwordReset')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const address = newAddress();
    const fromOne = await Promise.all(
      Array.from({ length: 30 }, (_, i) => forgot(address, `other${i}@client.example`)),
    );
    assert.deepEqual(statuses(fromOne), { 202: 20, 429: 10 });
    assertRefusalsSayWhen(fromOne);

    // Many addresses at one mailbox: every answer is the usual 202 (nothing to learn), three e-mails go out.
    const fromMany = await Promise.all(Array.from({ length: 30 }, () => forgot(newAddress())));
    assert.deepEqual(statuses(fromMany), { 202: 30 });
    assert.equal(await resetMails(), THROTTLE_LIMITS.resetMail.maxFailures);
    // An hour later the mailbox gets links again.
    at(THROTTLE_LIMITS.resetMail.windowMs);
    assert.equal((await forgot(newAddress())).statusCode, 202);
    assert.equal(await resetMails(), THROTTLE_LIMITS.resetMail.maxFailures + 1);
  });

  test('invitation and reset links: of 30 wrong tokens at once from one address, 20 are tried; a right one still works elsewhere', async () => {
    at(0);
    for (const path of ['/invitations/accept', '/password/reset']) {
      const address = newAddress();
      const hashesBefore = hashesComputed();
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          harness.app.inject({
            method: 'POST',
            url: `/api/portal/${slug}${path}`,
            payload: { token: `not-a-token-${i}`, password: 'a perfectly long new password' },
            remoteAddress: address,
          }),
        ),
      );
      assert.deepEqual(statuses(responses), { 400: 20, 429: 10 }, path);
      assertRefusalsSayWhen(responses);
      assert.ok(hashesComputed() - hashesBefore <= 20, path);
    }
    // A reset from another address clears the account's back-off: the way back in for a locked-out client.
    const email = 'locked-out@client.example';
    const { id, contacts } = await customerWithContacts(owner, 'Locked out', [email]);
    await activatedClient(harness, owner, slug, id, contacts[email] ?? '', email);
    await Promise.all(Array.from({ length: 20 }, () => portalLogin(email, 'wrong password', newAddress())));
    assert.equal((await portalLogin(email, CLIENT_PASSWORD, newAddress())).statusCode, 429);
    await harness.app.inject({
      method: 'POST',
      url: `/api/portal/${slug}/password/forgot`,
      payload: { email },
      remoteAddress: newAddress(),
    });
    const token = await tokenFromOutbox(harness, email, 'reset-password', owner.organizationId);
    const reset = await harness.app.inject({
      method: 'POST',
      url: `/api/portal/${slug}/password/reset`,
      payload: { token, password: 'my new and long password' },
      remoteAddress: newAddress(),
    });
    assert.equal(reset.statusCode, 200, reset.body);
    assert.equal((await portalLogin(email, 'my new and long password', newAddress())).statusCode, 200);
  });

  test('setup: of 30 attempts at once from one address, 20 are looked at', async () => {
    at(0);
    const address = newAddress();
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        harness.app.inject({
          method: 'POST',
          url: '/api/v1/setup',
          payload: {
            organizationName: 'Late',
            portalName: 'late',
            currency: 'USD',
            timeZone: 'UTC',
            ownerName: 'Late Owner',
            ownerEmail: 'late@example.com',
            password: 'a long enough password for setup',
          },
          remoteAddress: address,
        }),
      ),
    );
    assert.deepEqual(statuses(responses), { 409: 20, 429: 10 });
    assertRefusalsSayWhen(responses);
  });

  test('a full hash queue answers 503 with Retry-After at once, and gives the attempt back', async () => {
    at(0);
    const addresses = Array.from({ length: 120 }, () => newAddress());
    const responses = await Promise.all(
      addresses.map((address, i) => portalLogin(`crowd${i}@client.example`, 'a guess', address)),
    );
    const counts = statuses(responses);
    assert.ok((counts[503] ?? 0) > 0, JSON.stringify(counts));
    assert.equal((counts[401] ?? 0) + (counts[503] ?? 0), 120, JSON.stringify(counts));
    for (const [i, response] of responses.entries()) {
      if (response.statusCode !== 503) continue;
      assert.equal(response.headers['retry-after'], '1');
      assert.equal(response.json().code, 'busy');
      assert.equal(await counter(`ip:portal-login:${addresses[i]}`), 0, 'given back');
    }
  });
});
