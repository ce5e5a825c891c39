import type { Kysely } from 'kysely';

/**
 * The portal's capabilities: reviews of the organization by its clients (one current review per contact person)
 * and the organization's logo, drawn on its PDFs and portal screens.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  // The logo as base64 of a PNG or JPEG file (at most a few hundred KB), so it travels with the database backup.
  await db.schema.alterTable('organizations').addColumn('logo_base64', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('logo_content_type', 'text').execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('contact_person_id', 'text', (c) => c.notNull().references('contact_persons.id').onDelete('cascade'))
    .addColumn('rating', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reviews_contact_unique')
    .on('reviews')
    .columns(['organization_id', 'contact_person_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('reviews_org_updated_idx')
    .on('reviews')
    .columns(['organization_id', 'updated_at', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
