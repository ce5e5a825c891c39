import type { Kysely } from 'kysely';

/**
 * Requests from the portal (issue 20, docs/requests.md): a client's request for changes to a sent estimate (the
 * message and who asked, kept on the estimate while it waits for the business), the clients' quote requests, and
 * the organization's switch for them (on by default: a business turns it off in its portal settings).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('estimates').addColumn('changes_requested_at', 'text').execute();
  await db.schema.alterTable('estimates').addColumn('changes_requested_by_contact_person_id', 'text').execute();
  await db.schema.alterTable('estimates').addColumn('change_request_message', 'text').execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('portal_quote_requests', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('quote_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contact_person_id', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    // open | estimate_created | dismissed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('estimate_id', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('quote_requests_org_status_idx')
    .on('quote_requests')
    .columns(['organization_id', 'status', 'created_at', 'id'])
    .execute();
  // An estimate's detail names the request it answers.
  await db.schema
    .createIndex('quote_requests_estimate_idx')
    .on('quote_requests')
    .columns(['organization_id', 'estimate_id'])
    .execute();
  await db.schema
    .createIndex('quote_requests_contact_idx')
    .on('quote_requests')
    .columns(['organization_id', 'contact_person_id', 'created_at', 'id'])
    .execute();
}
