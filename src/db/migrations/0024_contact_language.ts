import type { Kysely } from 'kysely';

/**
 * Each contact person's language (issue 19): "en", "fr", "de", "es" or "ja", chosen by the contact in the portal or
 * set by the business; null follows the organization's locale. Used for the portal, the e-mails sent to them and
 * their PDFs. The portal's cached answers do not depend on it, so it moves no portal version.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contact_persons').addColumn('language', 'text').execute();
}
