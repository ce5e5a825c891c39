import type { Kysely } from 'kysely';

/**
 * What e-invoices need of both parties (issue 20, `docs/e-invoices.md`): the ISO 3166-1 country code of the
 * address, the VAT identifier, the electronic address as a Peppol participant id (`scheme:identifier`, e.g.
 * `0088:5790000435968`); the business also has its legal registration id, and the format (if any) attached to
 * its invoice e-mails. All are optional columns: a missing one is named when an e-invoice is asked for.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['country_code', 'tax_id', 'company_id', 'peppol_id']) {
    await db.schema.alterTable('organizations').addColumn(column, 'text').execute();
  }
  await db.schema
    .alterTable('organizations')
    .addColumn('e_invoice_attachment', 'text', (c) => c.notNull().defaultTo('none'))
    .execute();
  for (const column of ['country_code', 'tax_id', 'peppol_id']) {
    await db.schema.alterTable('customers').addColumn(column, 'text').execute();
  }
}
