import type { Transaction } from 'kysely';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Database, HistoryTable } from '../../db/schema.js';
import { actorOf, recordHistory } from '../activity/index.js';

export interface MoneyHistoryEntry {
  subjectType: HistoryTable['subjectType'];
  subjectId: string;
  event: string;
  description: string;
}

/**
 * Writes what happened to invoices, retainer invoices and payments when money moves, inside the caller's
 * transaction so the trail never disagrees with the books. It lives with the documents (not with payments) so that
 * retainer invoices and payments can both write it without importing each other.
 */
export async function writeMoneyHistory(
  trx: Transaction<Database>,
  ctx: AppContext,
  scope: OrgScope,
  entries: readonly MoneyHistoryEntry[],
): Promise<void> {
  const createdAt = ctx.now().toISOString();
  for (const entry of entries) {
    await recordHistory(trx, { organizationId: scope.organizationId, ...entry, ...actorOf(scope), createdAt });
  }
}
