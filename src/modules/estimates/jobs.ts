import type { AppContext } from '../../context.js';
import { todayIn } from '../../domain/dates.js';
import { estimateMachine } from '../../domain/estimate-states.js';
import { transition } from '../../domain/states.js';
import { recordHistory } from '../activity/service.js';
import { latestToday } from '../invoices/jobs.js';

/**
 * The nightly estimate expiry, for every organization at once: a sent estimate whose expiry date is before its
 * organization's today (in that organization's time zone) becomes expired. Each runs in its own transaction and
 * only if it is still sent, so a client's accept arriving at the same moment is never overwritten. Returns how
 * many estimates expired.
 */
export async function expireEstimates(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const candidates = await ctx.db.kysely
    .selectFrom('estimates as e')
    .innerJoin('organizations as o', 'o.id', 'e.organizationId')
    .select(['e.id', 'e.organizationId', 'e.status', 'e.expiryDate', 'o.timeZone'])
    .where('e.status', '=', 'sent')
    .where('e.expiryDate', 'is not', null)
    .where('e.expiryDate', '<', latestToday(now))
    .execute();
  const todayByZone = new Map<string, string>();
  const stamp = now.toISOString();
  let expired = 0;
  for (const estimate of candidates) {
    const today = todayByZone.get(estimate.timeZone) ?? todayIn(estimate.timeZone, now);
    todayByZone.set(estimate.timeZone, today);
    if (estimate.expiryDate === null || estimate.expiryDate >= today) continue;
    const status = transition(estimateMachine, estimate.status, 'expire');
    const changed = await ctx.db.kysely.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('estimates')
        .set({ status, updatedAt: stamp })
        .where('id', '=', estimate.id)
        .where('organizationId', '=', estimate.organizationId)
        .where('status', '=', estimate.status)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await recordHistory(trx, {
        organizationId: estimate.organizationId,
        subjectType: 'estimate',
        subjectId: estimate.id,
        event: 'expired',
        description: `Expired on ${estimate.expiryDate}`,
        actorType: 'system',
        actorId: null,
        createdAt: stamp,
      });
      return true;
    });
    if (changed) expired += 1;
  }
  return expired;
}
