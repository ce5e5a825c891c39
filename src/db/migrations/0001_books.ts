import type { CreateTableBuilder, Kysely } from 'kysely';

/**
 * The business's books: organizations, their users, customers and contact persons, taxes, estimates,
 * invoices, retainer invoices, payments and their allocations, recurring profiles, projects, comments and history.
 * Money columns are BIGINT minor units; exact decimals (quantities, percentages) are TEXT; dates are 'YYYY-MM-DD'
 * TEXT and timestamps ISO-8601 UTC TEXT, so both databases sort and compare them the same way.
 * Flags are INTEGER 0/1 on both databases.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('base_currency', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en-US'))
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('website', 'text')
    .addColumn('address', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('tax_rounding', 'text', (c) => c.notNull().defaultTo('line'))
    .addColumn('charges_tax', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('payment_terms_days', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('estimate_validity_days', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('users_org_email_unique', ['organization_id', 'email'])
    .execute();
  await db.schema.createIndex('users_email_idx').on('users').column('email').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey()) // SHA-256 of the cookie's token, never the token itself
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('contact_person_id', 'text')
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_contact_idx').on('sessions').column('contact_person_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_keys_org_idx').on('api_keys').column('organization_id').execute();

  await db.schema
    .createTable('taxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('taxes_org_idx').on('taxes').column('organization_id').execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('company_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('website', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('payment_terms_days', 'integer')
    .addColumn('billing_address', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('shipping_address', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('opening_balance', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema
    .createIndex('customers_org_name_idx')
    .on('customers')
    .columns(['organization_id', 'display_name', 'id'])
    .execute();

  await db.schema
    .createTable('contact_persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('salutation', 'text')
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('mobile', 'text')
    .addColumn('designation', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('contact_persons_customer_idx').on('contact_persons').column('customer_id').execute();
  await db.schema
    .createIndex('contact_persons_org_email_idx')
    .on('contact_persons')
    .columns(['organization_id', 'email'])
    .execute();

  await db.schema
    .createTable('document_sequences')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('next_number', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_sequences_pk', ['organization_id', 'kind'])
    .execute();

  // Estimates and invoices share their money columns; these are the totals the domain core computed.
  const documentTotals = <T extends string>(table: CreateTableBuilder<T, string>) =>
    table
      .addColumn('discount_type', 'text')
      .addColumn('discount_value', 'text')
      .addColumn('discount_before_tax', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('tax_rounding', 'text', (c) => c.notNull())
      .addColumn('shipping', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('adjustment', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('adjustment_label', 'text')
      .addColumn('subtotal', 'bigint', (c) => c.notNull())
      .addColumn('discount_total', 'bigint', (c) => c.notNull())
      .addColumn('tax_total', 'bigint', (c) => c.notNull())
      .addColumn('total', 'bigint', (c) => c.notNull());

  await documentTotals(
    db.schema
      .createTable('estimates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('reference', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('expiry_date', 'text')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('notes', 'text')
      .addColumn('terms', 'text'),
  )
    .addColumn('sent_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by_contact_person_id', 'text')
    .addColumn('decided_ip', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('signature_name', 'text')
    .addColumn('viewed_at', 'text')
    .addColumn('viewed_by_contact_person_id', 'text')
    .addColumn('invoice_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('estimates_org_number_unique', ['organization_id', 'number'])
    .execute();
  await db.schema
    .createIndex('estimates_org_customer_status_idx')
    .on('estimates')
    .columns(['organization_id', 'customer_id', 'status', 'issue_date', 'id'])
    .execute();
  await db.schema
    .createIndex('estimates_org_status_date_idx')
    .on('estimates')
    .columns(['organization_id', 'status', 'issue_date', 'id'])
    .execute();
  await db.schema
    .createIndex('estimates_org_date_idx')
    .on('estimates')
    .columns(['organization_id', 'issue_date', 'id'])
    .execute();

  await db.schema
    .createTable('recurring_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('interval_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('next_date', 'text')
    .addColumn('anchor_day', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('payment_terms_days', 'integer', (c) => c.notNull())
    .addColumn('send_automatically', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('template', 'text', (c) => c.notNull()) // JSON: lines, discount, shipping, adjustment, notes, terms
    .addColumn('last_invoice_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema
    .createIndex('recurring_profiles_due_idx')
    .on('recurring_profiles')
    .columns(['status', 'next_date'])
    .execute();
  await db.schema
    .createIndex('recurring_profiles_org_customer_idx')
    .on('recurring_profiles')
    .columns(['organization_id', 'customer_id'])
    .execute();

  await documentTotals(
    db.schema
      .createTable('invoices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('reference', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('notes', 'text')
      .addColumn('terms', 'text'),
  )
    .addColumn('payments_applied', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_applied', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('written_off', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('written_off_on', 'text')
    .addColumn('balance', 'bigint', (c) => c.notNull())
    .addColumn('allow_partial_payments', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('estimate_id', 'text', (c) => c.references('estimates.id'))
    .addColumn('recurring_profile_id', 'text', (c) => c.references('recurring_profiles.id'))
    .addColumn('sent_at', 'text')
    .addColumn('voided_at', 'text')
    .addColumn('viewed_at', 'text')
    .addColumn('viewed_by_contact_person_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('invoices_org_number_unique', ['organization_id', 'number'])
    .execute();
  await db.schema
    .createIndex('invoices_org_customer_status_idx')
    .on('invoices')
    .columns(['organization_id', 'customer_id', 'status', 'issue_date', 'id'])
    .execute();
  await db.schema
    .createIndex('invoices_org_customer_date_idx')
    .on('invoices')
    .columns(['organization_id', 'customer_id', 'issue_date', 'id'])
    .execute();
  await db.schema
    .createIndex('invoices_org_status_date_idx')
    .on('invoices')
    .columns(['organization_id', 'status', 'issue_date', 'id'])
    .execute();
  await db.schema
    .createIndex('invoices_org_date_idx')
    .on('invoices')
    .columns(['organization_id', 'issue_date', 'id'])
    .execute();
  await db.schema.createIndex('invoices_status_due_idx').on('invoices').columns(['status', 'due_date']).execute();

  // One line table per document kind keeps real foreign keys; the columns are the same.
  for (const [table, parent] of [
    ['estimate_lines', 'estimates'],
    ['invoice_lines', 'invoices'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('document_id', 'text', (c) => c.notNull().references(`${parent}.id`).onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('quantity', 'text', (c) => c.notNull())
      .addColumn('unit', 'text')
      .addColumn('rate', 'bigint', (c) => c.notNull())
      .addColumn('discount_type', 'text')
      .addColumn('discount_value', 'text')
      .addColumn('tax_id', 'text')
      .addColumn('tax_name', 'text')
      .addColumn('tax_rate', 'text')
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('discount', 'bigint', (c) => c.notNull())
      .addColumn('net', 'bigint', (c) => c.notNull())
      .addColumn('time_entry_ids', 'text')
      .execute();
    await db.schema.createIndex(`${table}_document_idx`).on(table).columns(['document_id', 'position']).execute();
  }

  await db.schema
    .createTable('retainer_invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('project_id', 'text')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('terms', 'text')
    .addColumn('lines', 'text', (c) => c.notNull()) // JSON [{description, amount}]: a retainer has no quantities
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('amount_paid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('balance', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('voided_at', 'text')
    .addColumn('viewed_at', 'text')
    .addColumn('viewed_by_contact_person_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('retainer_invoices_org_number_unique', ['organization_id', 'number'])
    .execute();
  await db.schema
    .createIndex('retainer_invoices_org_customer_idx')
    .on('retainer_invoices')
    .columns(['organization_id', 'customer_id', 'status', 'issue_date', 'id'])
    .execute();
  await db.schema
    .createIndex('retainer_invoices_org_date_idx')
    .on('retainer_invoices')
    .columns(['organization_id', 'issue_date', 'id'])
    .execute();

  // A payment received from a customer. What is not applied to invoices is the customer's credit;
  // a payment of a retainer invoice is retainer credit until applied.
  await db.schema
    .createTable('customer_payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('payment_date', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('unapplied', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('notes', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('offline'))
    .addColumn('retainer_invoice_id', 'text', (c) => c.references('retainer_invoices.id'))
    .addColumn('paid_by_contact_person_id', 'text')
    .addColumn('recorded_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('customer_payments_org_number_unique', ['organization_id', 'number'])
    .execute();
  await db.schema
    .createIndex('customer_payments_org_customer_idx')
    .on('customer_payments')
    .columns(['organization_id', 'customer_id', 'payment_date', 'id'])
    .execute();
  await db.schema
    .createIndex('customer_payments_org_date_idx')
    .on('customer_payments')
    .columns(['organization_id', 'payment_date', 'id'])
    .execute();

  // Money moved from a payment (or from credit, later) onto an invoice. Voiding the invoice releases it
  // back into credit; the row stays, marked released, so nothing is ever lost.
  await db.schema
    .createTable('payment_allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('payment_id', 'text', (c) => c.notNull().references('customer_payments.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'payment' at receipt, 'credit' when applied later
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('applied_on', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payment_allocations_payment_idx')
    .on('payment_allocations')
    .column('payment_id')
    .execute();
  await db.schema
    .createIndex('payment_allocations_invoice_idx')
    .on('payment_allocations')
    .column('invoice_id')
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('billing_method', 'text', (c) => c.notNull())
    .addColumn('rate', 'bigint')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('projects_org_customer_idx')
    .on('projects')
    .columns(['organization_id', 'customer_id', 'name'])
    .execute();

  await db.schema
    .createTable('project_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('rate', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('billable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_tasks_project_idx').on('project_tasks').column('project_id').execute();

  await db.schema
    .createTable('time_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull().references('project_tasks.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('entry_date', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('time_entries_project_date_idx')
    .on('time_entries')
    .columns(['project_id', 'entry_date', 'id'])
    .execute();

  // What people wrote about a document or project; `shown_in_portal` decides whether the client sees it.
  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('author_type', 'text', (c) => c.notNull()) // 'user' | 'contact_person'
    .addColumn('user_id', 'text')
    .addColumn('contact_person_id', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('shown_in_portal', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema
    .createIndex('comments_subject_idx')
    .on('comments')
    .columns(['organization_id', 'subject_type', 'subject_id', 'created_at'])
    .execute();

  // What happened to a document, written by the system ("sent", "payment recorded", "viewed by client"…).
  await db.schema
    .createTable('history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull()) // 'user' | 'contact_person' | 'system'
    .addColumn('actor_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('shown_in_portal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('history_subject_idx')
    .on('history')
    .columns(['organization_id', 'subject_type', 'subject_id', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
