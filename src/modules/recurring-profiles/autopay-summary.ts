import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { contactName } from '../customers/index.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AutopaySummaryView {
  status: 'off' | 'pending' | 'on';
  card: { brand: string; last4: string; expMonth: number; expYear: number } | null;
  authorizedAt: string | null;
  authorizedBy: { contactPersonId: string; name: string } | null;
}

export const AUTOPAY_OFF: AutopaySummaryView = { status: 'off', card: null, authorizedAt: null, authorizedBy: null };

/**
 * The autopay of each profile, by profile id: `on` with its card while one is active, `pending` while a card is
 * being entered on the gateway's page, else `off`. Used by the portal and the business API alike.
 */
export async function autopaySummaries(
  db: Db,
  organizationId: string,
  profileIds: readonly string[],
): Promise<Map<string, AutopaySummaryView>> {
  const result = new Map<string, AutopaySummaryView>();
  if (profileIds.length === 0) return result;
  const rows = await db
    .selectFrom('autopayCards as a')
    .innerJoin('contactPersons as cp', 'cp.id', 'a.authorizedByContactPersonId')
    .select(['a.recurringProfileId', 'a.status', 'a.brand', 'a.last4', 'a.expMonth', 'a.expYear', 'a.authorizedAt'])
    .select(['a.authorizedByContactPersonId', 'cp.firstName', 'cp.lastName', 'cp.email'])
    .where('a.organizationId', '=', organizationId)
    .where('a.recurringProfileId', 'in', [...profileIds])
    .where('a.status', 'in', ['active', 'pending'])
    .orderBy('a.createdAt')
    .execute();
  for (const row of rows) {
    if (row.status === 'active') {
      result.set(row.recurringProfileId, {
        status: 'on',
        card:
          row.brand && row.last4
            ? { brand: row.brand, last4: row.last4, expMonth: row.expMonth ?? 0, expYear: row.expYear ?? 0 }
            : null,
        authorizedAt: row.authorizedAt,
        authorizedBy: {
          contactPersonId: row.authorizedByContactPersonId,
          name: contactName(row),
        },
      });
    } else if (!result.has(row.recurringProfileId)) {
      result.set(row.recurringProfileId, { ...AUTOPAY_OFF, status: 'pending' });
    }
  }
  return result;
}
