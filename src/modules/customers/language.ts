import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isLanguage, type Language } from '../../domain/languages.js';
import { wordsForContact } from '../../i18n/words.js';

/**
 * A contact person's chosen language, or null: then their organization's locale decides (`wordsForContact`).
 * What they read from Portico — portal, e-mails, PDFs — is in it.
 */
export async function contactLanguage(
  db: Kysely<Database>,
  organizationId: string,
  contactPersonId: string,
): Promise<Language | null> {
  const row = await db
    .selectFrom('contactPersons')
    .select('language')
    .where('id', '=', contactPersonId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  return isLanguage(row?.language) ? row.language : null;
}

/**
 * The locale an e-mail to this contact person is written in: their language, else their organization's locale
 * (`wordsForContact`). The callers of the contact e-mail templates pass it as the template's `locale`.
 */
export async function contactEmailLocale(
  db: Kysely<Database>,
  organizationId: string,
  contactPersonId: string,
): Promise<string> {
  const row = await db
    .selectFrom('contactPersons as cp')
    .innerJoin('organizations as o', 'o.id', 'cp.organizationId')
    .select(['cp.language', 'o.locale'])
    .where('cp.id', '=', contactPersonId)
    .where('cp.organizationId', '=', organizationId)
    .executeTakeFirst();
  return wordsForContact(row?.language, row?.locale).locale;
}
