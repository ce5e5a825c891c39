import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app/app.js';
import {
  accountThrottleKey,
  clearFailures,
  pruneThrottles,
  reserveAttempt,
  THROTTLE_LIMITS,
} from '../../src/auth/throttle.js';
import { createOrgAndSignIn, type Harness, OWNER_PASSWORD, startHarness } from '../support/harness.js';

describe('sign-in throttling (per account and per IP, shared through the database)', () => {
  let harness: Harness;
  let start: Date;

  before(async () => {
    harness = await startHarness();
    start = harness.clock.now;
  });
  after(() => harness.close());

  /** Each test signs in from its own address, so IP budgets of one test do not leak into another. */
  const login = (email: string, password: string, remoteAddress: string, app = harness.app) =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, remoteAddress });
  const at = (ms: number) => {
    harness.clock.now = new Date(start.getTime() + ms);
  };
  const failures = async (key: string) =>
    (await harness.ctx.db.kysely.selectFrom('throttles').select('failures').where('key', '=', key).executeTakeFirst())
      ?.failures ?? 0;

  const generic429 = {
    type: 'https://portico.dev/problems/rate_limited',
    title: 'Too many requests',
    status: 429,
    detail: 'Too many attempts. Try again later.',
    code: 'rate_limited',
  };

  test('five wrong passwords: the next attempt waits out a back-off that doubles, even with the right password', async () => {
    at(0);
    await createOrgAndSignIn(harness, { ownerEmail: 'locked@example.com' });
    const ip = '192.0.2.1';
    for (let i = 0; i < 5; i++) {
      assert.equal((await login('locked@example.com', 'not the password at all', ip)).statusCode, 401);
    }
    const blocked = await login('locked@example.com', OWNER_PASSWORD, ip);
    assert.equal(blocked.statusCode, 429);
    assert.deepEqual(blocked.json(), generic429);
    assert.equal(blocked.cookies.length, 0);
    at(999);
    assert.equal((await login('locked@example.com', OWNER_PASSWORD, ip)).statusCode, 429, 'still within 1 s');
    at(1_000);
    assert.equal((await login('Locked@Example.com', 'still not the password', ip)).statusCode, 401, '6th failure');
    at(2_999);
    assert.equal((await login('locked@example.com', OWNER_PASSWORD, ip)).statusCode, 429, 'now 2 s');
    at(3_000);
    assert.equal((await login('locked@example.com', OWNER_PASSWORD, ip)).statusCode, 200);

    // Success forgets the account's failures: five free ones again.
    for (let i = 0; i < 5; i++) {
      assert.equal((await login('locked@example.com', 'not the password at all', ip)).statusCode, 401);
    }
    assert.equal((await login('locked@example.com', OWNER_PASSWORD, ip)).statusCode, 429);
  });

  test('the 429 is the same for an unknown e-mail as for a known one', async () => {
    at(0);
    await createOrgAndSignIn(harness, { ownerEmail: 'known@example.com' });
    const ip = '192.0.2.2';
    for (let i = 0; i < 5; i++) {
      assert.equal((await login('known@example.com', 'wrong password here', ip)).statusCode, 401);
      assert.equal((await login('nobody-here@example.com', 'wrong password here', ip)).statusCode, 401);
    }
    const known = await login('known@example.com', 'wrong password here', ip);
    const unknown = await login('nobody-here@example.com', 'wrong password here', ip);
    assert.equal(known.statusCode, 429);
    assert.equal(unknown.statusCode, 429);
    assert.deepEqual(known.json(), unknown.json());
    assert.deepEqual(known.json(), generic429);
    assert.equal(known.headers['content-type'], unknown.headers['content-type']);
  });

  test('back-offs double from 1 s and are capped at 15 minutes', async () => {
    at(0);
    const email = 'patient@example.com';
    await createOrgAndSignIn(harness, { ownerEmail: email });
    const key = accountThrottleKey('business', null, email);
    const ip = '192.0.2.3';
    // Over HTTP, moving the clock past each back-off before the next attempt.
    let elapsed = 0;
    const waits: number[] = [];
    for (let failure = 1; failure <= 16; failure++) {
      assert.equal((await login(email, 'wrong password again', ip)).statusCode, 401, `failure ${failure}`);
      const row = await harness.ctx.db.kysely
        .selectFrom('throttles')
        .select('blockedUntil')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      const wait = row.blockedUntil === null ? 0 : Date.parse(row.blockedUntil) - (start.getTime() + elapsed);
      waits.push(wait / 1000);
      elapsed += wait;
      at(elapsed);
    }
    assert.deepEqual(waits, [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    assert.equal((await login(email, OWNER_PASSWORD, ip)).statusCode, 200);
  });

  test('the 100th failure within an hour blocks the account until the hour is over', async () => {
    at(0);
    const email = 'hourly@example.com';
    await createOrgAndSignIn(harness, { ownerEmail: email });
    const key = accountThrottleKey('business', null, email);
    const ip = '192.0.2.5';
    // The back-off keeps an account far below 100 failures an hour; the hourly cap is the last word whatever the
    // back-off's settings. The counter is put at 99 failures, the last back-off over, as if an hour had been spent.
    await harness.ctx.db.kysely
      .insertInto('throttles')
      .values({
        key,
        failures: 99,
        windowStartedAt: start.toISOString(),
        blockedUntil: null,
        updatedAt: start.toISOString(),
      })
      .execute();
    assert.equal((await login(email, 'wrong password again', ip)).statusCode, 401, 'the 100th');
    assert.equal(await failures(key), 100);
    at(THROTTLE_LIMITS.account.maxBackoffMs + 1);
    const refused = await login(email, OWNER_PASSWORD, ip);
    assert.equal(refused.statusCode, 429, 'past any back-off, still blocked');
    assert.equal(refused.headers['retry-after'], '2700', 'the 45 minutes left of the hour');
    at(THROTTLE_LIMITS.account.windowMs - 1);
    assert.equal((await login(email, OWNER_PASSWORD, ip)).statusCode, 429, 'until the hour is over');
    assert.equal(await failures(key), 100, 'a refused attempt is not counted');
    at(THROTTLE_LIMITS.account.windowMs);
    assert.equal((await login(email, OWNER_PASSWORD, ip)).statusCode, 200);
    assert.equal(await failures(key), 0);
  });

  test('a locked account can be let back in by clearing its failures (what a password reset does)', async () => {
    at(0);
    const email = 'reset-me@example.com';
    await createOrgAndSignIn(harness, { ownerEmail: email });
    const ip = '192.0.2.4';
    for (let i = 0; i < 6; i++) await login(email, 'wrong password again', ip);
    assert.equal((await login(email, OWNER_PASSWORD, ip)).statusCode, 429);
    await clearFailures(harness.ctx, [accountThrottleKey('business', null, email)]);
    assert.equal((await login(email, OWNER_PASSWORD, ip)).statusCode, 200);
  });

  test('one IP spraying many accounts is blocked for 10 minutes; other IPs are not', async () => {
    at(0);
    const victim = 'victim@example.com';
    await createOrgAndSignIn(harness, { ownerEmail: victim });
    const sprayer = '203.0.113.7';
    const budget = THROTTLE_LIMITS.ip.login.maxFailures;
    for (let i = 0; i < budget; i++) {
      const response = await login(`guess${i}@example.com`, 'Summer2026 password', sprayer);
      assert.equal(response.statusCode, 401, `attempt ${i + 1}`);
    }
    const refused = await login(victim, OWNER_PASSWORD, sprayer);
    assert.equal(refused.statusCode, 429, 'even the right password of an untouched account');
    assert.deepEqual(refused.json(), generic429);
    assert.equal((await login(victim, OWNER_PASSWORD, '198.51.100.9')).statusCode, 200, 'another IP signs in');
    assert.equal((await login(victim, OWNER_PASSWORD, '2001:db8::1')).statusCode, 200, 'IPv6 too');

    // The window rolls: once 10 minutes have passed the address starts over.
    at(THROTTLE_LIMITS.ip.login.windowMs - 1);
    assert.equal((await login(victim, OWNER_PASSWORD, sprayer)).statusCode, 429);
    at(THROTTLE_LIMITS.ip.login.windowMs);
    assert.equal((await login(victim, OWNER_PASSWORD, sprayer)).statusCode, 200);
    assert.equal((await login('guess0@example.com', 'Summer2026 password', sprayer)).statusCode, 401);
    assert.equal(await failures('ip:business-login:203.0.113.7'), 1);
  });

  test('counters are shared by every app instance on the database', async () => {
    at(0);
    const email = 'shared@example.com';
    await createOrgAndSignIn(harness, { ownerEmail: email });
    const second = await buildApp(harness.ctx);
    await second.ready();
    try {
      const ip = '192.0.2.6';
      for (let i = 0; i < 5; i++) {
        const app = i % 2 === 0 ? harness.app : second;
        assert.equal((await login(email, 'wrong password here', ip, app)).statusCode, 401);
      }
      assert.equal((await login(email, OWNER_PASSWORD, ip, harness.app)).statusCode, 429);
      assert.equal((await login(email, OWNER_PASSWORD, '192.0.2.66', second)).statusCode, 429);
      at(1_000);
      assert.equal((await login(email, OWNER_PASSWORD, ip, second)).statusCode, 200);
      assert.equal(await failures(accountThrottleKey('business', null, email)), 0, 'cleared for both');
    } finally {
      await second.close();
    }
  });

  test('concurrent reservations: exactly the limit get through, the rest are refused and not counted', async () => {
    at(0);
    const key = 'ip:portal-forgot:192.0.2.77';
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => reserveAttempt(harness.ctx, [key])));
    const through = results.filter((r) => r.status === 'fulfilled').length;
    assert.equal(through, THROTTLE_LIMITS.ip.forgot.maxFailures);
    assert.equal(await failures(key), THROTTLE_LIMITS.ip.forgot.maxFailures);
    const account = accountThrottleKey('portal', 'org_concurrent', 'race@example.com');
    const onAccount = await Promise.allSettled(
      Array.from({ length: 40 }, () => reserveAttempt(harness.ctx, [account])),
    );
    assert.equal(onAccount.filter((r) => r.status === 'fulfilled').length, THROTTLE_LIMITS.account.freeFailures);
  });

  test("pruning goes by time alone: every kind of key, other limits' too, is removed once a day old", async () => {
    at(0);
    const old = new Date(start.getTime() - 25 * 3_600_000).toISOString();
    const keys = [
      'action:forward:cp_someone',
      'device:portal:org_x:old@example.com:dev1',
      'ip:portal-login:192.0.2.200',
    ];
    for (const key of keys) {
      await harness.ctx.db.kysely
        .insertInto('throttles')
        .values({ key, failures: 3, windowStartedAt: old, blockedUntil: null, updatedAt: old })
        .execute();
    }
    await reserveAttempt(harness.ctx, ['ip:portal-login:192.0.2.201']);
    assert.ok((await pruneThrottles(harness.ctx)) >= keys.length);
    for (const key of keys) assert.equal(await failures(key), 0, key);
    assert.equal(await failures('ip:portal-login:192.0.2.201'), 1, 'a fresh counter stays');
  });

  test('keys without a limit are a programming error', async () => {
    await assert.rejects(reserveAttempt(harness.ctx, ['ip:business-teleport:192.0.2.9']), /No throttle limit/);
  });
});
