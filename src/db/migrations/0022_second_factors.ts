import type { Kysely } from 'kysely';

/**
 * Second factors (issue 19): passkeys (WebAuthn) and TOTP for business users and portal contact persons, their
 * single-use recovery codes, the short-lived pending sign-ins between the password and the second factor, and the
 * two organization settings that require a second factor of users and of the portal's contact persons.
 *
 * - `second_factors`: one factor of one person (a user or a contact person). A TOTP factor keeps its secret
 *   encrypted (`secret_sealed`) and the last time step it accepted (no code is accepted twice); a passkey keeps the
 *   credential's id, public key (COSE, base64url) and signature counter. `confirmed_at` is null until a first code
 *   or ceremony proved the factor works: only confirmed factors count.
 * - `recovery_codes`: a keyed hash of each code (never the code), used once (`used_at`).
 * - `second_factor_challenges`: a pending sign-in (the password was right; the token's SHA-256 is the id) or a
 *   passkey enrolment, with the WebAuthn challenge when there is one; it expires within minutes.
 * - `sessions` record how and when they were authenticated (`authenticated_with`, `authenticated_at`), and
 *   `enrolment_required` marks a session that may only enrol a second factor (its organization requires one).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('authenticated_with', 'text', (c) => c.notNull().defaultTo('password'))
    .execute();
  await db.schema.alterTable('sessions').addColumn('authenticated_at', 'text').execute();
  await db.schema
    .alterTable('sessions')
    .addColumn('enrolment_required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('require_second_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('portal_require_second_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('second_factors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('contact_person_id', 'text', (c) => c.references('contact_persons.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text')
    .addColumn('last_used_step', 'integer')
    .addColumn('credential_id', 'text', (c) => c.unique())
    .addColumn('public_key', 'text')
    .addColumn('sign_count', 'integer')
    .addColumn('transports', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('second_factors_user_idx').on('second_factors').column('user_id').execute();
  await db.schema
    .createIndex('second_factors_contact_person_idx')
    .on('second_factors')
    .column('contact_person_id')
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('contact_person_id', 'text', (c) => c.references('contact_persons.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();
  await db.schema
    .createIndex('recovery_codes_contact_person_idx')
    .on('recovery_codes')
    .column('contact_person_id')
    .execute();

  await db.schema
    .createTable('second_factor_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('contact_person_id', 'text', (c) => c.references('contact_persons.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('challenge', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
