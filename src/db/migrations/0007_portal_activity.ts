import type { Kysely } from 'kysely';

/**
 * The back office's portal activity feed (GET /api/v1/portal-activity and its live stream) reads an
 * organization's history newest first and, while a page is open, polls for entries after the last one sent:
 * both are a range on (organization, created_at), which history's subject index cannot serve.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('history_org_created_idx')
    .on('history')
    .columns(['organization_id', 'created_at', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
