import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isLanguage, type Language } from '../../domain/languages.js';

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
