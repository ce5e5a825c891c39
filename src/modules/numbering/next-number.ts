import type { Transaction } from 'kysely';
import type { Database, DocumentSequencesTable } from '../../db/schema.js';

/**
 * Allocates the next human number (INV-00042) inside the caller's transaction. The UPDATE takes the row lock
 * on PostgreSQL and SQLite has a single writer, so two documents never get the same number, and a rolled-back
 * transaction gives its number back.
 */
export async function nextDocumentNumber(
  trx: Transaction<Database>,
  organizationId: string,
  kind: DocumentSequencesTable['kind'],
): Promise<string> {
  const row = await trx
    .updateTable('documentSequences')
    .set((eb) => ({ nextNumber: eb('nextNumber', '+', 1) }))
    .where('organizationId', '=', organizationId)
    .where('kind', '=', kind)
    .returning(['prefix', 'nextNumber'])
    .executeTakeFirstOrThrow();
  const number = row.nextNumber - 1;
  return `${row.prefix}${String(number).padStart(5, '0')}`;
}
