/**
 * TRUST_PROXY: which client address the sign-in throttles and the audit log see behind a reverse proxy. A proxy
 * such as nginx (`$proxy_add_x_forwarded_for`) or Caddy appends the address it saw to whatever X-Forwarded-For the
 * client sent, so only the entries the trusted proxies added are true; a client writes the rest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_CHECKS_PER_ADDRESS } from '../../src/auth/sign-in-limits.js';
import { THROTTLE_LIMITS } from '../../src/auth/throttle.js';
import { type Actor, createOrgAndSignIn, type Harness, OWNER_PASSWORD, startHarness } from '../support/harness.js';

/** A harness behind the proxies `trustProxy` names. */
const harnessTrusting = (trustProxy: string): Promise<Harness> =>
  startHarness({ publicUrl: 'https://portico.test', env: { TRUST_PROXY: trustProxy } });

const signIn = (harness: Harness, email: string, password: string, from: string, forwardedFor?: string) =>
  harness.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password },
    remoteAddress: from,
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  });

/** Every per-IP sign-in counter: address → failures. */
async function loginCounters(harness: Harness): Promise<Map<string, number>> {
  const rows = await harness.ctx.db.kysely
    .selectFrom('throttles')
    .select(['key', 'failures'])
    .where('key', 'like', 'ip:business-login:%')
    .execute();
  return new Map(rows.map((row) => [row.key.slice('ip:business-login:'.length), Number(row.failures)]));
}

/** The address a failed sign-in is counted under: the one counter that grew. */
async function addressSeen(harness: Harness, from: string, forwardedFor?: string): Promise<string> {
  const before = await loginCounters(harness);
  const response = await signIn(harness, `nobody-${Math.random()}@example.com`, 'wrong password!', from, forwardedFor);
  assert.equal(response.statusCode, 401);
  const grown = [...(await loginCounters(harness))].filter(([ip, n]) => n > (before.get(ip) ?? 0));
  assert.equal(grown.length, 1, JSON.stringify(grown));
  return grown[0]?.[0] ?? '';
}

/**
 * The IP budget's worth of failed sign-ins at once, each claiming another address in X-Forwarded-For, through the
 * proxy `via(i)`: all are counted against the one real client, and its next attempts are refused.
 */
async function sprayWithForgedAddresses(harness: Harness, client: string, via: (i: number) => string) {
  const budget = THROTTLE_LIMITS.ip.login.maxFailures;
  const forged = (i: number) => `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  // As many at once as one address may have checked at a time (more are refused before any counting).
  const answers = [];
  for (let start = 0; start < budget; start += MAX_CHECKS_PER_ADDRESS) {
    const wave = Array.from({ length: Math.min(MAX_CHECKS_PER_ADDRESS, budget - start) }, (_, k) => start + k);
    answers.push(
      ...(await Promise.all(
        wave.map((i) =>
          signIn(harness, `guess${i}@example.com`, 'Summer2026 password', via(i), `${forged(i)}, ${client}`),
        ),
      )),
    );
  }
  assert.deepEqual(
    answers.map((a) => a.statusCode),
    answers.map(() => 401),
  );
  const counters = await loginCounters(harness);
  assert.equal(counters.get(client), budget, 'every failure counted against the real client');
  assert.ok(![...counters.keys()].some((ip) => ip.startsWith('198.18.')), 'no forged address was counted');

  const refused = await Promise.all(
    Array.from({ length: MAX_CHECKS_PER_ADDRESS }, (_, i) =>
      signIn(harness, `late${i}@example.com`, 'Summer2026 password', via(i), `${forged(budget + i)}, ${client}`),
    ),
  );
  assert.deepEqual(
    refused.map((a) => a.statusCode),
    refused.map(() => 429),
  );
}

describe('TRUST_PROXY=1: one proxy in front, the address it appended is the client', () => {
  let harness: Harness;
  let owner: Actor;
  const ownerEmail = 'owner-behind-proxy@example.com';

  before(async () => {
    harness = await harnessTrusting('1');
    owner = await createOrgAndSignIn(harness, { ownerEmail });
  });
  after(() => harness.close());

  test('the client is the last X-Forwarded-For entry; without the header, the proxy itself', async () => {
    assert.equal(await addressSeen(harness, '10.0.0.2', '203.0.113.9'), '203.0.113.9');
    assert.equal(await addressSeen(harness, '10.0.0.2', '1.2.3.4, 5.6.7.8, 203.0.113.9'), '203.0.113.9');
    assert.equal(await addressSeen(harness, '10.0.0.2'), '10.0.0.2');
  });

  test('forged addresses do not escape the per-IP throttle', async () => {
    await sprayWithForgedAddresses(harness, '203.0.113.7', () => '10.0.0.2');
    // Another client behind the same proxy is not blocked.
    const other = await signIn(harness, ownerEmail, OWNER_PASSWORD, '10.0.0.2', '198.18.0.1, 203.0.113.8');
    assert.equal(other.statusCode, 200);
  });

  test('the audit log records the real client, not the forged address', async () => {
    const failed = await signIn(harness, ownerEmail, 'not the password', '10.0.0.2', '192.0.2.66, 203.0.113.11');
    assert.equal(failed.statusCode, 401);
    const log = await owner.request({ method: 'GET', url: '/api/v1/audit-log?event=business.login_failed' });
    assert.equal(log.statusCode, 200, log.body);
    const entries = (log.json() as { data: Array<{ ip: string | null }> }).data;
    assert.deepEqual(
      entries.map((e) => e.ip),
      ['203.0.113.11'],
    );
  });
});

describe('TRUST_PROXY as a list of proxy networks: the rightmost address that is not a proxy is the client', () => {
  let harness: Harness;

  before(async () => {
    harness = await harnessTrusting('10.0.0.0/8, 2001:db8:ffff::/48');
  });
  after(() => harness.close());

  test('chained proxies are skipped; an untrusted peer is the client whatever it claims', async () => {
    assert.equal(await addressSeen(harness, '10.1.2.3', '192.0.2.1, 198.51.100.20, 10.9.9.9'), '198.51.100.20');
    assert.equal(await addressSeen(harness, '2001:db8:ffff::1', '198.51.100.21'), '198.51.100.21');
    assert.equal(await addressSeen(harness, '203.0.113.50', '198.51.100.22'), '203.0.113.50');
    // An IPv6 client is counted by its /64 (one household or host has the whole block).
    assert.equal(await addressSeen(harness, '2001:db8:1::5', '10.0.0.1'), '2001:db8:1:0::/64');
  });

  test('forged addresses through several proxies do not escape the per-IP throttle', async () => {
    await sprayWithForgedAddresses(harness, '198.51.100.30', (i) => `10.0.${i % 3}.2`);
  });
});
