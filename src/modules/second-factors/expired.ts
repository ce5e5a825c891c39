import type { AppContext } from '../../context.js';
import { ENROLMENT_MINUTES } from './service.js';

/**
 * Removes what can no longer be used: pending sign-ins and passkey enrolment challenges past their `expiresAt`, and
 * authenticator-app set-ups not confirmed within ENROLMENT_MINUTES (each holds a sealed secret). All are refused
 * once expired anyway; the scheduler prunes them, as it prunes idempotency keys and throttle counters.
 */
export async function pruneExpiredSecondFactorSteps(ctx: AppContext) {
  const now = ctx.now();
  const challenges = await ctx.db.kysely
    .deleteFrom('secondFactorChallenges')
    .where('expiresAt', '<', now.toISOString())
    .executeTakeFirst();
  const setUpBefore = new Date(now.getTime() - ENROLMENT_MINUTES * 60_000).toISOString();
  const setUps = await ctx.db.kysely
    .deleteFrom('secondFactors')
    .where('confirmedAt', 'is', null)
    .where('createdAt', '<', setUpBefore)
    .executeTakeFirst();
  return { challenges: Number(challenges.numDeletedRows), setUps: Number(setUps.numDeletedRows) };
}
