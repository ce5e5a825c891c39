import type { Kysely } from 'kysely';

/**
 * Online payments in the portal (PRODUCT.md §6, SECURITY.md "Payments"):
 * - `payment_attempts`: one row per Pay Now, written (status `pending`) before the gateway is called and settled
 *   after it; a failed one carries its code and is the business's payment-failure log.
 * - `payment_attempt_allocations`: what the attempt will collect per invoice or retainer invoice. While the
 *   attempt is live (pending / requires_action) these amounts are reserved: nobody else can pay them.
 * - `idempotency_keys`: the Idempotency-Key of each payment request with the request's fingerprint and the
 *   response, kept ≥ 24 h.
 * - `processed_webhook_events`: each gateway event id once.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payment_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contact_person_id', 'text', (c) => c.notNull().references('contact_persons.id'))
    // pending | requires_action | succeeded | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('gateway_kind', 'text')
    .addColumn('gateway_payment_id', 'text')
    .addColumn('redirect_url', 'text')
    // A CP code or a card-level code; with the gateway's own words (never a card number).
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('payment_id', 'text', (c) => c.references('customer_payments.id'))
    // "Save my card": reference (later payments) | recurring (the invoices' recurring profile); the gateway's
    // token for the saved card once saved (never a card number).
    .addColumn('save_card', 'text')
    .addColumn('saved_card', 'text')
    .addColumn('receipt_sent_at', 'text')
    // The charge was given back (it arrived for a customer deleted meanwhile: CP1003).
    .addColumn('refunded_at', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payment_attempts_live_idx')
    .on('payment_attempts')
    .columns(['status', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('payment_attempts_org_idx')
    .on('payment_attempts')
    .columns(['organization_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('payment_attempt_allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('payment_attempts.id').onDelete('cascade'))
    .addColumn('invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('retainer_invoice_id', 'text', (c) => c.references('retainer_invoices.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payment_attempt_allocations_invoice_idx')
    .on('payment_attempt_allocations')
    .columns(['invoice_id'])
    .execute();
  await db.schema
    .createIndex('payment_attempt_allocations_retainer_idx')
    .on('payment_attempt_allocations')
    .columns(['retainer_invoice_id'])
    .execute();
  await db.schema
    .createIndex('payment_attempt_allocations_attempt_idx')
    .on('payment_attempt_allocations')
    .columns(['attempt_id'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    // Who may replay it: the contact person (portal) — a key of one person means nothing to another.
    .addColumn('scope_key', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    // Keyed digest of method, path and canonical body (the body may hold a sandbox test card: never stored).
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    // in_progress | done
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempt_id', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['organization_id', 'scope_key', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expiry_idx').on('idempotency_keys').columns(['expires_at']).execute();

  await db.schema
    .createTable('processed_webhook_events')
    .addColumn('gateway', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('processed_webhook_events_pk', ['gateway', 'event_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
