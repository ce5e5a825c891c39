import { type Kysely, sql } from 'kysely';

/**
 * Credentials that follow people (issue 17, point 5):
 * - An API key gets a `role` (admin or staff; never above the role of the user it acts for) and
 *   `can_manage_access` (whether it may manage users and API keys; only an owner grants it). `created_by_user_id`
 *   now names the user the key acts for: the one who made it, or the one the owner re-assigned it to. The key
 *   works only while that user is enabled and still holds at least the key's role.
 *   Existing keys: a key without such a user (made by another key) is given to the organization's owner; each key
 *   takes its user's current role (an owner's key is an admin key) and no access management, so no key gains
 *   anything, and a key of a user already disabled or demoted stops working.
 * - A deleted contact person no longer holds their e-mail in the portal's unique index, so a new contact with the
 *   same address can be invited. The contact persons of a deleted customer are deleted with it (they were
 *   hidden with it already), so their addresses are free as well.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('admin'))
    .execute();
  await db.schema
    .alterTable('api_keys')
    .addColumn('can_manage_access', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    update api_keys set created_by_user_id = (
      select users.id from users
      where users.organization_id = api_keys.organization_id and users.role = 'owner'
      order by users.created_at limit 1
    )
    where created_by_user_id is null
  `.execute(db);
  await sql`
    update api_keys set role = 'staff'
    where created_by_user_id in (select id from users where role = 'staff')
  `.execute(db);

  await sql`
    update contact_persons set deleted_at = (select customers.deleted_at from customers where customers.id = contact_persons.customer_id)
    where deleted_at is null
      and customer_id in (select id from customers where deleted_at is not null)
  `.execute(db);
  await db.schema.dropIndex('contact_persons_portal_email_unique').execute();
  await db.schema
    .createIndex('contact_persons_portal_email_unique')
    .on('contact_persons')
    .columns(['organization_id', 'email'])
    .unique()
    .where(sql<boolean>`portal_status <> 'none' and deleted_at is null`)
    .execute();
}
