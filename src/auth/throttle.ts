import type { AppContext } from '../context.js';
import { AppError } from '../domain/errors.js';
import type { Realm } from './sessions.js';

/**
 * Failure throttling for sign-in, forgot-password, invitation and reset attempts (SECURITY.md, Authentication).
 * Counters live in the `throttles` table, so every app instance on the same database sees the same numbers.
 *
 * Keys:
 *  - `account:<realm>:<organizationId|*>:<email>` — one account (an e-mail at one portal, or a business e-mail
 *    across organizations: `*`). Unknown e-mails are counted like known ones, so a 429 tells nothing.
 *  - `ip:<realm>-<action>:<ip>` — one client address for one action (the older form `ip:<action>:<ip>` works too).
 *
 * Windows are fixed and roll: a counter starts at its first failure and starts over once its window has passed.
 */
export const THROTTLE_LIMITS = {
  /**
   * Per account: the first 5 failures are free; the 5th blocks for 1 s, each further one doubles the wait
   * (2 s, 4 s, …) up to 15 min. Whatever the back-off, never more than 100 failures in an hour: the 100th
   * blocks until the hour is over (a backstop for requests that race past the back-off, or many instances).
   */
  account: {
    windowMs: 3_600_000,
    maxFailures: 100,
    freeFailures: 5,
    firstBackoffMs: 1_000,
    maxBackoffMs: 15 * 60_000,
  },
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

/** The key of one client address for one action of one realm, e.g. `ip:portal-login:203.0.113.7`. */
export function ipThrottleKey(realm: Realm, action: ThrottledAction, ip: string): string {
  return `ip:${realm}-${action}:${ip}`;
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
  if (key.startsWith('account:')) return THROTTLE_LIMITS.account;
  const action = /^ip:(?:(?:business|portal)-)?([a-z]+):/.exec(key)?.[1];
  if (action !== undefined && Object.hasOwn(THROTTLE_LIMITS.ip, action)) {
    return THROTTLE_LIMITS.ip[action as ThrottledAction];
  }
  throw new Error(`No throttle limit for the key "${key}".`);
}

/** Until when a key is blocked after its `failures`-th failure in the window that started at `windowStart`. */
function blockedUntilAfter(limit: Limit, failures: number, windowStart: number, now: number): number | null {
  if (failures >= limit.maxFailures) return windowStart + limit.windowMs;
  if (limit.freeFailures === undefined || failures < limit.freeFailures) return null;
  const backoff = Math.min(
    (limit.firstBackoffMs ?? 0) * 2 ** (failures - limit.freeFailures),
    limit.maxBackoffMs ?? Number.POSITIVE_INFINITY,
  );
  return now + backoff;
}

const usable = (keys: string[]) => [...new Set(keys.filter((key) => key !== ''))];

/** Refuses (429, the same generic answer for every key) when any of the keys is blocked now. */
export async function assertAllowed(ctx: AppContext, keys: string[]): Promise<void> {
  const wanted = usable(keys);
  if (wanted.length === 0) return;
  const now = ctx.now().toISOString();
  const blocked = await ctx.db.kysely
    .selectFrom('throttles')
    .select('key')
    .where('key', 'in', wanted)
    .where('blockedUntil', '>', now)
    .executeTakeFirst();
  if (blocked) throw new AppError('rate_limited', 'Too many attempts. Try again later.');
}

/**
 * Counts one failure against each key. The count is one atomic upsert (insert … on conflict do update, on SQLite
 * and PostgreSQL alike), so concurrent failures on several instances are all counted; the block it implies is then
 * only ever extended, never shortened.
 */
export async function recordFailure(ctx: AppContext, keys: string[]): Promise<void> {
  const nowDate = ctx.now();
  const now = nowDate.toISOString();
  for (const key of usable(keys)) {
    const limit = limitOf(key);
    // ISO-8601 UTC strings of one format compare like the instants they name.
    const windowOver = new Date(nowDate.getTime() - limit.windowMs).toISOString();
    const row = await ctx.db.kysely
      .insertInto('throttles')
      .values({ key, failures: 1, windowStartedAt: now, blockedUntil: null, updatedAt: now })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => {
          const expired = eb('throttles.windowStartedAt', '<=', windowOver);
          return {
            failures: eb
              .case()
              .when(expired)
              .then(1)
              .else(eb('throttles.failures', '+', 1))
              .end(),
            windowStartedAt: eb.case().when(expired).then(now).else(eb.ref('throttles.windowStartedAt')).end(),
            blockedUntil: eb.case().when(expired).then(null).else(eb.ref('throttles.blockedUntil')).end(),
            updatedAt: now,
          };
        }),
      )
      .returning(['failures', 'windowStartedAt'])
      .executeTakeFirstOrThrow();
    const until = blockedUntilAfter(limit, row.failures, Date.parse(row.windowStartedAt), nowDate.getTime());
    if (until === null) continue;
    const blockedUntil = new Date(until).toISOString();
    await ctx.db.kysely
      .updateTable('throttles')
      .set({ blockedUntil })
      .where('key', '=', key)
      .where((eb) => eb.or([eb('blockedUntil', 'is', null), eb('blockedUntil', '<', blockedUntil)]))
      .execute();
  }
}

/**
 * Forgets the failures of the keys: after a successful sign-in (the account key only — the IP's budget is not
 * refunded), and after a password reset, so that a locked-out account can always get back in through its e-mail.
 */
export async function clearFailures(ctx: AppContext, keys: string[]): Promise<void> {
  const wanted = usable(keys);
  if (wanted.length === 0) return;
  await ctx.db.kysely.deleteFrom('throttles').where('key', 'in', wanted).execute();
}

/** Removes counters whose window and block are both over; for a periodic job, since unknown e-mails add rows. */
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
