import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { tryAgainLater } from '../domain/errors.js';
import type { PortalScope } from './scopes.js';

/**
 * Limits on what a signed-in client does that writes or e-mails the business (issue 17; the table is
 * docs/limits.md). Each action has two budgets: one per contact person, so one client cannot use up another's,
 * and a larger one per organization, a backstop against many sessions at once.
 *
 * The counters live in the `throttles` table beside the sign-in counters (keys `action:<action>:contact:<id>` and
 * `action:<action>:org:<id>`), so every app instance on the database counts together. Windows are fixed: a counter
 * starts at its first action and starts over once its window has passed.
 */

interface Budget {
  windowMs: number;
  max: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The budgets. A plain object so a test can lower one for a moment; nothing else changes it. The longest window
 * is a day: `pruneActionCounters` relies on that.
 */
export const ACTION_LIMITS = {
  /** A comment on a document or project e-mails the business ("notify me"). */
  comment: {
    perContactPerson: { windowMs: 10 * MINUTE, max: 20 },
    perOrganization: { windowMs: 10 * MINUTE, max: 200 },
  },
  /** Saving one's review (it replaces the earlier one) e-mails the business. */
  review: { perContactPerson: { windowMs: HOUR, max: 5 }, perOrganization: { windowMs: HOUR, max: 100 } },
  /** PATCH /account changes the customer's records and e-mails the business. */
  accountChange: { perContactPerson: { windowMs: HOUR, max: 10 }, perOrganization: { windowMs: HOUR, max: 100 } },
  /** Pay Now: every attempt, failed or not, calls the gateway and may e-mail; refused cards count too. */
  payment: { perContactPerson: { windowMs: HOUR, max: 20 }, perOrganization: { windowMs: HOUR, max: 500 } },
  /**
   * A forward e-mails a stranger from the business's name. The organization's 50 a day predates these limits; a
   * contact person's 10 a day (it was 10 an hour) keeps any one client to a fifth of it.
   */
  forward: { perContactPerson: { windowMs: DAY, max: 10 }, perOrganization: { windowMs: DAY, max: 50 } },
  /**
   * "Request changes" on a sent estimate e-mails the business. Each sent estimate takes one request until it is sent
   * again, so the business's own sending bounds it too; the budget stops a loop of request, re-send, request.
   */
  changeRequest: {
    perContactPerson: { windowMs: HOUR, max: 10 },
    perOrganization: { windowMs: HOUR, max: 100 },
  },
  /** A quote request writes a request the business has to read, and e-mails it. */
  quoteRequest: { perContactPerson: { windowMs: DAY, max: 10 }, perOrganization: { windowMs: DAY, max: 100 } },
  /**
   * Approving time (one request approves up to 100 entries) writes history. A query about an entry is a comment
   * that e-mails the business: it counts against the comment budget.
   */
  timeApproval: {
    perContactPerson: { windowMs: 10 * MINUTE, max: 30 },
    perOrganization: { windowMs: 10 * MINUTE, max: 300 },
  },
} satisfies Record<string, { perContactPerson: Budget; perOrganization: Budget }>;

export type ClientAction = keyof typeof ACTION_LIMITS;

type Db = Kysely<Database> | Transaction<Database>;

const MESSAGES: Record<ClientAction, string> = {
  comment: 'Too many comments were sent recently. Try again later.',
  review: 'Your review was saved too many times recently. Try again later.',
  accountChange: 'Your details were changed too many times recently. Try again later.',
  payment: 'Too many payments were started recently. Try again later.',
  forward: 'Too many documents were forwarded recently. Try again later.',
  changeRequest: 'Too many changes were requested recently. Try again later.',
  quoteRequest: 'Too many quotes were requested recently. Try again later.',
  timeApproval: 'Time was approved too many times recently. Try again later.',
};

/** The action's two counters, with their budgets times CLIENT_ACTION_LIMITS_FACTOR (1 unless load-testing). */
function countersOf(ctx: AppContext, scope: PortalScope, action: ClientAction): Array<{ key: string; budget: Budget }> {
  const limits = ACTION_LIMITS[action];
  const scaled = (budget: Budget) => ({ ...budget, max: budget.max * ctx.config.clientActionLimitsFactor });
  return [
    { key: `action:${action}:contact:${scope.contactPersonId}`, budget: scaled(limits.perContactPerson) },
    { key: `action:${action}:org:${scope.organizationId}`, budget: scaled(limits.perOrganization) },
  ];
}

const secondsUntil = (windowStartedAt: string, budget: Budget, now: Date) =>
  Math.max(1, Math.ceil((Date.parse(windowStartedAt) + budget.windowMs - now.getTime()) / 1000));

/**
 * Counts one action against the contact person's and the organization's budgets, or refuses it (429 with
 * Retry-After). Call it first inside the transaction that writes the action: each count is one atomic upsert
 * (insert … on conflict do update … returning, on SQLite and PostgreSQL alike), which on PostgreSQL also holds the
 * counter's row until the commit, so concurrent actions are counted one after the other; and a refusal — or any
 * other error of the action — rolls the count back with everything else, so exactly the budget's number of
 * actions get through and a refused one leaves nothing behind.
 */
export async function countClientAction(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: PortalScope,
  action: ClientAction,
): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  for (const { key, budget } of countersOf(ctx, scope, action)) {
    // ISO-8601 UTC strings of one format compare like the instants they name.
    const windowOver = new Date(now.getTime() - budget.windowMs).toISOString();
    const row = await trx
      .insertInto('throttles')
      .values({ key, failures: 1, windowStartedAt: at, blockedUntil: null, updatedAt: at })
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
            windowStartedAt: eb.case().when(expired).then(at).else(eb.ref('throttles.windowStartedAt')).end(),
            updatedAt: at,
          };
        }),
      )
      .returning(['failures', 'windowStartedAt'])
      .executeTakeFirstOrThrow();
    if (row.failures > budget.max) {
      throw tryAgainLater('rate_limited', MESSAGES[action], secondsUntil(row.windowStartedAt, budget, now) * 1000);
    }
  }
}

/** `countClientAction` in a transaction of its own, for an action that writes in several steps (Pay Now). */
export async function countClientActionNow(ctx: AppContext, scope: PortalScope, action: ClientAction): Promise<void> {
  await ctx.db.kysely.transaction().execute((trx) => countClientAction(ctx, trx, scope, action));
}

/**
 * Refuses, without counting, when a budget is used up already: a cheap look before costly work (the forward's
 * PDF). The count itself, in the transaction, still decides.
 */
export async function assertClientActionAllowed(
  ctx: AppContext,
  db: Db,
  scope: PortalScope,
  action: ClientAction,
): Promise<void> {
  const now = ctx.now();
  for (const { key, budget } of countersOf(ctx, scope, action)) {
    const row = await db
      .selectFrom('throttles')
      .select(['failures', 'windowStartedAt'])
      .where('key', '=', key)
      .where('windowStartedAt', '>', new Date(now.getTime() - budget.windowMs).toISOString())
      .executeTakeFirst();
    if (row && row.failures >= budget.max) {
      throw tryAgainLater('rate_limited', MESSAGES[action], secondsUntil(row.windowStartedAt, budget, now) * 1000);
    }
  }
}

/** Removes action counters whose window is over (none is longer than a day); for the scheduler. */
export async function pruneActionCounters(ctx: AppContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - DAY).toISOString();
  const result = await ctx.db.kysely
    .deleteFrom('throttles')
    .where('key', 'like', 'action:%')
    .where('windowStartedAt', '<=', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
