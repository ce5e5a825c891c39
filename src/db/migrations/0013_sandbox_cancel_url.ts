import type { Kysely } from 'kysely';

/**
 * The sandbox's hosted page offers "Cancel and go back" (as a processor's checkout does): each charge keeps the
 * cancel URL Pay Now gave it, on PUBLIC_URL's origin. Charges made before have none, and their page shows no link.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sandbox_charges').addColumn('cancel_url', 'text').execute();
}
