import type { Kysely } from 'kysely';
import { watchForPortal } from './0009_portal_versions.js';

/**
 * Bank-transfer instructions (issue 19): per organization and currency, the account a client pays into by
 * transfer — holder, account number (an IBAN, checked, or a domestic number), bank code (BIC, routing or sort
 * code), bank name, the reference to quote (`{number}` stands for the invoice's number; null: the number alone)
 * and whether the invoice PDFs print them. `details_changed_at` is when the account details last replaced earlier
 * ones: the portal warns every client for 30 days after it, and always shows when they last changed. The
 * portal shows them, so a change moves the organization's portal version.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bank_transfer_instructions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('account_holder', 'text', (c) => c.notNull())
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('bank_code', 'text')
    .addColumn('bank_name', 'text')
    .addColumn('reference', 'text')
    .addColumn('show_on_pdf', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('details_changed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('bank_transfer_instructions_currency_key', ['organization_id', 'currency'])
    .execute();
  await watchForPortal(db, {
    table: 'bank_transfer_instructions',
    target: 'organizations',
    idOf: 'R.organization_id',
    events: 'all',
  });
}
