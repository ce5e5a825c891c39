import type { Kysely } from 'kysely';

/**
 * When a declined estimate was last edited and sent again (issue 18): the client sees "Revised on <date>", and
 * its first view is recorded afresh for the new revision (the earlier view stays in the history).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('estimates').addColumn('revised_at', 'text').execute();
}
