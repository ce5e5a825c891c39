import type { AppContext } from '../../context.js';
import { todayIn } from '../../domain/dates.js';
import { AppError } from '../../domain/errors.js';
import { bySystem, changeDocument } from '../documents/index.js';
import { latestToday } from '../invoices/index.js';
import { ESTIMATE } from './service.js';

/**
 * The nightly estimate expiry, for every organization at once: a sent estimate whose expiry date is before its
 * organization's today (in that organization's time zone) becomes expired. Each runs in its own transaction and
 * locks the estimate first, so a client's accept arriving at the same moment is never overwritten: whichever comes
 * second finds the estimate no longer sent. Returns how many estimates expired.
 */
export async function expireEstimates(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const candidates = await ctx.db.kysely
    .selectFrom('estimates as e')
    .innerJoin('organizations as o', 'o.id', 'e.organizationId')
    .select(['e.id', 'e.organizationId', 'e.expiryDate', 'o.timeZone'])
    .where('e.status', '=', 'sent')
    .where('e.expiryDate', 'is not', null)
    .where('e.expiryDate', '<', latestToday(now))
    .execute();
  const todayByZone = new Map<string, string>();
  let expired = 0;
  for (const estimate of candidates) {
    const today = todayByZone.get(estimate.timeZone) ?? todayIn(estimate.timeZone, now);
    todayByZone.set(estimate.timeZone, today);
    if (estimate.expiryDate === null || estimate.expiryDate >= today) continue;
    try {
      await changeDocument(ctx, bySystem(estimate.organizationId), ESTIMATE, estimate.id, 'expire', async () => ({
        event: 'expired',
        description: `Expired on ${estimate.expiryDate}`,
      }));
      expired += 1;
    } catch (error) {
      // Decided by the client since the list was read (or gone): it is left as it now is.
      if (error instanceof AppError && (error.code === 'invalid_transition' || error.code === 'not_found')) continue;
      throw error;
    }
  }
  return expired;
}
