import { isIPv6 } from 'node:net';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { tryAgainLater } from '../domain/errors.js';
import type { Realm } from './sessions.js';

/**
 * Throttling of sign-in, password change, forgot-password, invitation, reset and setup attempts (SECURITY.md,
 * Authentication; docs/sign-in-limits.md). Counters live in the `throttles` table, so every app instance on the
 * same database sees the same numbers.
 *
 * An attempt is reserved — counted — before its password is hashed, in one atomic statement that refuses when the
 * key is blocked, so concurrent attempts cannot all pass a check made before any of them was counted. An attempt
 * that turns out right is given back (`forgiveAttempt`).
 *
 * Keys:
 *  - `account:<realm>:<organizationId|*>:<email>` — one account (an e-mail at one portal, or a business e-mail
 *    across organizations: `*`). Unknown e-mails are counted like known ones, so a 429 tells nothing.
 *  - `device:<realm>:<organizationId|*>:<email>:<device>` — the same account signing in from a device it signed
 *    in from before (sign-in-limits.ts): its own budget, which an attacker's failures do not spend.
 *  - `ip:<realm>-<action>:<ip>` — one client address for one action (the older form `ip:<action>:<ip>` works too).
 *  - `reset-mail:<realm>:<organizationId|*>:<email>` — the reset e-mails sent to one mailbox.
 *  Other limits' keys (e.g. `action:…`) may share the table: this file counts only its own, and its pruning goes by
 *  time alone.
 *
 * Windows are fixed and roll: a counter starts at its first attempt and starts over once its window has passed.
 */
export const THROTTLE_LIMITS = {
  /**
   * Per account (and per known device): the first 5 failures are free; the 5th blocks for 1 s, each further one
   * doubles the wait (2 s, 4 s, …) up to 15 min. Whatever the back-off, never more than 100 failures in an hour:
   * the 100th blocks until the hour is over.
   */
  account: {
    windowMs: 3_600_000,
    maxFailures: 100,
    freeFailures: 5,
    firstBackoffMs: 1_000,
    maxBackoffMs: 15 * 60_000,
  },
  /**
   * Reset e-mails to one mailbox: 3 an hour, whoever asks from wherever. Past that, forgot-password still answers
   * as always but sends nothing: the links already sent work for an hour, so nobody can flood a person's inbox,
   * nor stop them from resetting by spending this budget.
   */
  resetMail: { windowMs: 3_600_000, maxFailures: 3 },
  /**
   * Per client IP and action: a budget high enough for an office behind one NAT, low enough to stop spraying
   * passwords across many accounts. Reaching it blocks the address for that action until its window ends.
   */
  ip: {
    /** Sign-in, business or portal: 100 failures in 10 minutes. */
    login: { windowMs: 10 * 60_000, maxFailures: 100 },
    /** Forgot-password sends e-mail, so every request counts: 20 an hour. */
    forgot: { windowMs: 3_600_000, maxFailures: 20 },
    /** Invitation links with a wrong or expired token: 20 an hour. */
    accept: { windowMs: 3_600_000, maxFailures: 20 },
    /** Password-reset links with a wrong or expired token: 20 an hour. */
    reset: { windowMs: 3_600_000, maxFailures: 20 },
    /** First-run setup is public while the database is empty, so every request counts: 20 an hour. */
    setup: { windowMs: 3_600_000, maxFailures: 20 },
  },
} as const;

export type ThrottledAction = keyof typeof THROTTLE_LIMITS.ip;

/** The key of one account: portal accounts are per organization, business e-mails across organizations. */
export function accountThrottleKey(realm: Realm, organizationId: string | null, email: string): string {
  return `account:${realm}:${organizationId ?? '*'}:${email.toLowerCase()}`;
}

/**
 * The address a client is counted by: an IPv4 address as it is (an IPv4-mapped IPv6 one as IPv4), an IPv6 address
 * by its /64 — a household or a server is usually given a whole /64, and counting its 2^64 addresses one by one
 * would let it change address at every attempt.
 */
export function clientAddressOf(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail = ''] = ip.split('%')[0]?.split('::') ?? [];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const zeros = Array.from({ length: Math.max(0, 8 - headGroups.length - tailGroups.length) }, () => '0');
  const prefix = [...headGroups, ...zeros, ...tailGroups].slice(0, 4);
  return `${prefix.map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}

/** The key of one client address for one action of one realm, e.g. `ip:portal-login:203.0.113.7`. */
export function ipThrottleKey(realm: Realm, action: ThrottledAction, ip: string): string {
  return `ip:${realm}-${action}:${clientAddressOf(ip)}`;
}

/** The key of one mailbox's reset e-mails (an e-mail at one portal). */
export function resetMailThrottleKey(realm: Realm, organizationId: string | null, email: string): string {
  return `reset-mail:${realm}:${organizationId ?? '*'}:${email.toLowerCase()}`;
}

/** The key of one account signing in from one known device (`device` is the device cookie's own id). */
export function deviceThrottleKey(accountKey: string, device: string): string {
  return `device:${accountKey.slice('account:'.length)}:${device}`;
}

interface Limit {
  windowMs: number;
  maxFailures: number;
  freeFailures?: number;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

/** The limits a key is counted under. An unknown key is a programming error, not something to let through. */
function limitOf(key: string): Limit {
  if (key.startsWith('account:') || key.startsWith('device:')) return THROTTLE_LIMITS.account;
  if (key.startsWith('reset-mail:')) return THROTTLE_LIMITS.resetMail;
  const action = /^ip:(?:(?:business|portal)-)?([a-z]+):/.exec(key)?.[1];
  if (action !== undefined && Object.hasOwn(THROTTLE_LIMITS.ip, action)) {
    return THROTTLE_LIMITS.ip[action as ThrottledAction];
  }
  throw new Error(`No throttle limit for the key "${key}".`);
}

/**
 * The back-off the n-th attempt of a window sets, as SQL: `CASE` over the attempt's number with the instants
 * computed here, so that the count and the block it implies are written by one statement.
 */
function backoffAfter(limit: Limit, attempt: ReturnType<typeof sql<number>>, now: number) {
  const { freeFailures, firstBackoffMs, maxBackoffMs } = limit;
  if (freeFailures === undefined || firstBackoffMs === undefined || maxBackoffMs === undefined) {
    return sql<string | null>`null`;
  }
  const steps = [];
  for (let n = freeFailures, wait = firstBackoffMs; wait < maxBackoffMs; n++, wait *= 2) {
    steps.push(sql`when ${attempt} = ${n} then ${new Date(now + wait).toISOString()}`);
  }
  const capped = new Date(now + maxBackoffMs).toISOString();
  return sql<
    string | null
  >`(case when ${attempt} < ${freeFailures} then null ${sql.join(steps, sql` `)} else ${capped} end)`;
}

const usable = (keys: string[]) => [...new Set(keys.filter((key) => key !== ''))];

/** The one refusal of every sign-in limit: 429, a generic body, and when to try again. */
export const tooManyAttempts = (afterMs: number) =>
  tryAgainLater('rate_limited', 'Too many attempts. Try again later.', afterMs);

/**
 * Reserves one attempt on each key, in order, or refuses them all (the ones reserved before are given back; put
 * keys with a back-off last, since giving back does not undo a back-off): 429 with `Retry-After` (the same generic body
 * for every key) when any key is blocked. Each reservation is one atomic upsert (insert … on conflict do update …
 * where not blocked, on SQLite and PostgreSQL alike) that counts the attempt and sets the back-off it implies, so
 * of any number of concurrent attempts, on any number of instances, no more than the limit get through.
 * The attempt stays counted as a failure unless `forgiveAttempt` gives it back.
 */
export async function reserveAttempt(ctx: AppContext, keys: string[]): Promise<void> {
  const refusedForMs = await tryReserveAttempt(ctx, keys);
  if (refusedForMs !== null) throw tooManyAttempts(refusedForMs);
}

/** `reserveAttempt` that answers instead of throwing: null when reserved, else how long the refusal lasts. */
export async function tryReserveAttempt(ctx: AppContext, keys: string[]): Promise<number | null> {
  const reserved: string[] = [];
  for (const key of usable(keys)) {
    const refusedForMs = await reserveOne(ctx, key);
    if (refusedForMs !== null) {
      await giveBack(ctx, reserved);
      return refusedForMs;
    }
    reserved.push(key);
  }
  return null;
}

/** Counts one attempt on the key; null when it may go ahead, else how long the key stays blocked. */
async function reserveOne(ctx: AppContext, key: string): Promise<number | null> {
  const limit = limitOf(key);
  const nowDate = ctx.now();
  const nowMs = nowDate.getTime();
  const now = nowDate.toISOString();
  // ISO-8601 UTC strings of one format compare like the instants they name.
  const windowOver = new Date(nowMs - limit.windowMs).toISOString();
  const counted = await ctx.db.kysely
    .insertInto('throttles')
    .values({ key, failures: 1, windowStartedAt: now, blockedUntil: null, updatedAt: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet((eb) => {
          const expired = eb('throttles.windowStartedAt', '<=', windowOver);
          const attempt = sql<number>`${eb.ref('throttles.failures')} + 1`;
          return {
            failures: eb.case().when(expired).then(1).else(attempt).end(),
            windowStartedAt: eb.case().when(expired).then(now).else(eb.ref('throttles.windowStartedAt')).end(),
            blockedUntil: eb
              .case()
              .when(expired)
              .then(null)
              .else(backoffAfter(limit, attempt, nowMs))
              .end(),
            updatedAt: now,
          };
        })
        .where((eb) =>
          eb.or([
            eb('throttles.windowStartedAt', '<=', windowOver),
            eb.and([
              eb('throttles.failures', '<', limit.maxFailures),
              eb.or([eb('throttles.blockedUntil', 'is', null), eb('throttles.blockedUntil', '<=', now)]),
            ]),
          ]),
        ),
    )
    .returning('failures')
    .executeTakeFirst();
  if (counted !== undefined) return null;
  // Refused: how long for, for the Retry-After header (read after the fact; it only informs).
  const row = await ctx.db.kysely
    .selectFrom('throttles')
    .select(['failures', 'windowStartedAt', 'blockedUntil'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return 1_000;
  const until =
    row.failures >= limit.maxFailures
      ? Date.parse(row.windowStartedAt) + limit.windowMs
      : Date.parse(row.blockedUntil ?? now);
  return Math.max(until - nowMs, 1_000);
}

/** Takes one counted attempt off each key (never below zero): what a reservation refused, or a success, returns. */
async function giveBack(ctx: AppContext, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await ctx.db.kysely
    .updateTable('throttles')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', 'in', keys)
    .where('failures', '>', 0)
    .execute();
}

/**
 * The attempt was right: its account's (or device's) failures are forgotten, and the address gets its attempt
 * back, so that an office signing in all day behind one address does not use up its budget.
 */
export async function forgiveAttempt(ctx: AppContext, keys: { clear: string[]; giveBack: string[] }): Promise<void> {
  await clearFailures(ctx, keys.clear);
  await giveBack(ctx, usable(keys.giveBack));
}

/**
 * Forgets the failures of the keys: after a successful sign-in (the account key only), and after a password
 * reset, so that a locked-out account can always get back in through its e-mail.
 */
export async function clearFailures(ctx: AppContext, keys: string[]): Promise<void> {
  const wanted = usable(keys);
  if (wanted.length === 0) return;
  await ctx.db.kysely.deleteFrom('throttles').where('key', 'in', wanted).execute();
}

/**
 * Removes counters whose window and block are both over; for a periodic job, since unknown e-mails add rows. It
 * goes by time alone, so rows of every kind of key (other limits' too) are pruned alike and none is misread.
 */
export async function pruneThrottles(ctx: AppContext, olderThanMs = 24 * 3_600_000): Promise<number> {
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - olderThanMs).toISOString();
  const result = await ctx.db.kysely
    .deleteFrom('throttles')
    .where('updatedAt', '<', cutoff)
    .where((eb) => eb.or([eb('blockedUntil', 'is', null), eb('blockedUntil', '<', now.toISOString())]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
