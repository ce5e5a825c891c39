import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { todayIn } from '../../domain/dates.js';

/** Today's date in the organization's time zone: due dates and expiries are judged by it. */
export async function organizationToday(
  ctx: AppContext,
  organizationId: string,
  db: Kysely<Database> | Transaction<Database> = ctx.db.kysely,
): Promise<string> {
  const org = await db
    .selectFrom('organizations')
    .select('timeZone')
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return todayIn(org.timeZone, ctx.now());
}
