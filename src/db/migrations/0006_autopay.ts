import { type Kysely, sql } from 'kysely';

/**
 * Autopay of recurring profiles (PRODUCT.md §5.2 "may auto-charge a card on file the client authorized in the
 * portal"; SECURITY.md "Payments": only gateway tokens, never card numbers):
 * - `autopay_cards`: a card on file per (organization, customer, recurring profile), authorized by a contact
 *   person in the portal. `pending` while the card is being entered on the gateway's hosted page, `active` once
 *   saved, `withdrawn` when the client took it back (or replaced it), `failed` when the set-up was refused. At
 *   most one `active` card per profile (a partial unique index: both SQLite and PostgreSQL have them).
 * - `autopay_charges`: the one automatic charge of an invoice. Its primary key is the invoice, so no invoice is
 *   ever charged automatically twice, whatever runs the job at the same time; it points at the payment attempt
 *   (written in the same transaction) that carries the charge through the ordinary settle / fail path.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('autopay_cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('recurring_profile_id', 'text', (c) => c.notNull().references('recurring_profiles.id'))
    // pending | active | withdrawn | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('gateway_kind', 'text', (c) => c.notNull())
    // The gateway's set-up (the hosted page, or the test card's immediate one) and its token for the card.
    .addColumn('gateway_setup_id', 'text')
    .addColumn('gateway_token', 'text')
    .addColumn('redirect_url', 'text')
    // What the client may see of the card: never its number.
    .addColumn('brand', 'text')
    .addColumn('last4', 'text')
    .addColumn('exp_month', 'integer')
    .addColumn('exp_year', 'integer')
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('authorized_by_contact_person_id', 'text', (c) => c.notNull().references('contact_persons.id'))
    .addColumn('authorized_at', 'text')
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by_contact_person_id', 'text', (c) => c.references('contact_persons.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('autopay_cards_active_uq')
    .on('autopay_cards')
    .column('recurring_profile_id')
    .unique()
    .where(sql.ref('status'), '=', 'active')
    .execute();
  await db.schema
    .createIndex('autopay_cards_customer_idx')
    .on('autopay_cards')
    .columns(['organization_id', 'customer_id', 'status'])
    .execute();

  await db.schema
    .createTable('autopay_charges')
    .addColumn('invoice_id', 'text', (c) => c.primaryKey().references('invoices.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('autopay_card_id', 'text', (c) => c.notNull().references('autopay_cards.id'))
    .addColumn('attempt_id', 'text', (c) => c.notNull().unique().references('payment_attempts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
