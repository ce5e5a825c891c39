import type { AppContext } from '../../context.js';
import { todayIn } from '../../domain/dates.js';
import { recordHistory } from '../activity/index.js';
import { recomputeInvoiceMoney } from './money.js';

/** The latest "today" anywhere on Earth (UTC+14): no organization's today is later than this date. */
export const latestToday = (now: Date) => todayIn('Pacific/Kiritimati', now);

/**
 * The nightly overdue marking, for every organization at once: a sent or partially paid invoice whose due date
 * is before its organization's today (in that organization's time zone) becomes overdue. Each invoice is
 * re-derived in its own transaction by the same rule as after a payment, so a payment landing at the same time
 * wins cleanly. Returns how many invoices became overdue.
 */
export async function markOverdueInvoices(ctx: AppContext, now: Date): Promise<number> {
  const candidates = await ctx.db.kysely
    .selectFrom('invoices as i')
    .innerJoin('organizations as o', 'o.id', 'i.organizationId')
    .select(['i.id', 'i.organizationId', 'i.dueDate', 'o.timeZone'])
    .where('i.status', 'in', ['sent', 'partially_paid'])
    .where('i.dueDate', '<', latestToday(now))
    .execute();
  const todayByZone = new Map<string, string>();
  const stamp = now.toISOString();
  let marked = 0;
  for (const invoice of candidates) {
    const today = todayByZone.get(invoice.timeZone) ?? todayIn(invoice.timeZone, now);
    todayByZone.set(invoice.timeZone, today);
    if (invoice.dueDate >= today) continue;
    const becameOverdue = await ctx.db.kysely.transaction().execute(async (trx) => {
      await recomputeInvoiceMoney(trx, invoice.organizationId, invoice.id, today, stamp);
      const after = await trx
        .selectFrom('invoices')
        .select('status')
        .where('id', '=', invoice.id)
        .where('organizationId', '=', invoice.organizationId)
        .executeTakeFirstOrThrow();
      if (after.status !== 'overdue') return false;
      await recordHistory(trx, {
        organizationId: invoice.organizationId,
        subjectType: 'invoice',
        subjectId: invoice.id,
        event: 'overdue',
        description: `Payment was due on ${invoice.dueDate}`,
        actorType: 'system',
        actorId: null,
        createdAt: stamp,
      });
      return true;
    });
    if (becameOverdue) marked += 1;
  }
  return marked;
}
