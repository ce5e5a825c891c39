import type { Kysely } from 'kysely';

/**
 * "Forgot password" for business users (issue 18): a reset link's token, stored as its SHA-256 only, for one user,
 * usable once (`used_at`) before it expires. A new link voids the user's unused ones; deleting the user deletes
 * them.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_password_resets_user_idx').on('user_password_resets').column('user_id').execute();
}
