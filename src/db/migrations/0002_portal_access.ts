import { type Kysely, sql } from 'kysely';

/**
 * Portal access: the organization's portal settings, portal accounts on contact persons, single-use tokens
 * (invitations and password resets), throttling counters, the e-mail outbox and the audit log of access events.
 * Also the indexes the scheduler and the recurring and project queries want.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const portalSettings: Array<[string, 'integer' | 'text', number | null]> = [
    ['portal_enabled', 'integer', 0],
    ['portal_banner', 'text', null],
    ['portal_notify_me', 'integer', 1],
    ['portal_email_on_comment', 'integer', 1],
    ['portal_allow_edit_details', 'integer', 1],
    ['portal_allow_forwarding', 'integer', 1],
    ['portal_reviews', 'integer', 0],
    ['portal_show_projects', 'integer', 0],
    ['portal_prevent_duplicate_payments', 'integer', 1],
    ['password_min_length', 'integer', 15],
  ];
  for (const [column, type, fallback] of portalSettings) {
    await db.schema
      .alterTable('organizations')
      .addColumn(column, type, (c) => (fallback === null ? c : c.notNull().defaultTo(fallback)))
      .execute();
  }

  // A contact person's portal account. `portal_status`: none → invited → active; disabled at any time.
  for (const [column, type] of [
    ['password_hash', 'text'],
    ['portal_invited_at', 'text'],
    ['portal_activated_at', 'text'],
    ['portal_disabled_at', 'text'],
    ['last_login_at', 'text'],
  ] as const) {
    await db.schema.alterTable('contact_persons').addColumn(column, type).execute();
  }
  await db.schema
    .alterTable('contact_persons')
    .addColumn('portal_status', 'text', (c) => c.notNull().defaultTo('none'))
    .execute();
  // One person (e-mail) has portal access under only one customer per organization.
  await db.schema
    .createIndex('contact_persons_portal_email_unique')
    .on('contact_persons')
    .columns(['organization_id', 'email'])
    .unique()
    .where(sql.ref('portal_status'), '<>', 'none')
    .execute();

  // Invitation and password-reset tokens: only the SHA-256 is kept; single use; expiring.
  await db.schema
    .createTable('access_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('contact_person_id', 'text', (c) => c.notNull().references('contact_persons.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull()) // 'invitation' | 'password_reset'
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_tokens_contact_idx')
    .on('access_tokens')
    .columns(['contact_person_id', 'purpose'])
    .execute();

  // Failure counters for sign-in, forgot-password and invitation attempts, per account and per IP.
  await db.schema
    .createTable('throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The transactional outbox: written in the same transaction as the change, delivered by a worker.
  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'email'
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull()) // 'pending' | 'sending' | 'sent' | 'failed'
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outbox_messages_due_idx')
    .on('outbox_messages')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('outbox_messages_org_idx')
    .on('outbox_messages')
    .columns(['organization_id', 'created_at'])
    .execute();

  // Who did what to portal access: invitations, sign-ins (and failures), password changes, sessions ended.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull()) // 'user' | 'contact_person' | 'system' | 'anonymous'
    .addColumn('actor_id', 'text')
    .addColumn('contact_person_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_org_created_idx')
    .on('audit_log')
    .columns(['organization_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_log_contact_idx')
    .on('audit_log')
    .columns(['contact_person_id', 'created_at'])
    .execute();

  await db.schema
    .createIndex('estimates_status_expiry_idx')
    .on('estimates')
    .columns(['status', 'expiry_date'])
    .execute();
  await db.schema.createIndex('invoices_recurring_profile_idx').on('invoices').column('recurring_profile_id').execute();
  await db.schema.createIndex('time_entries_task_idx').on('time_entries').column('task_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
