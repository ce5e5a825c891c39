import type { Kysely } from 'kysely';

/**
 * Online payment gateways: each organization's configured gateway (credentials encrypted at rest), and the state
 * of the built-in sandbox gateway — its charges, tokenized cards, hosted-page sessions, refunds and webhook
 * deliveries — kept in the database so that it survives restarts like a real processor's records do.
 * The sandbox keeps no card number: a token, the brand, the last four digits and a keyed fingerprint only.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payment_gateways')
    .addColumn('organization_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON of the sandbox's merchant rules; null for other gateways.
    .addColumn('sandbox_rules', 'text')
    // AES-256-GCM of the credentials' JSON, bound to the organization; null when the gateway has none.
    .addColumn('credentials_encrypted', 'text')
    // JSON of masked credentials ("sk_test_…4242"), what the business API shows back.
    .addColumn('credentials_hint', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sandbox_cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull())
    .addColumn('exp_month', 'integer', (c) => c.notNull())
    .addColumn('exp_year', 'integer', (c) => c.notNull())
    // HMAC of the number under a key derived from the app secret: "same card" without keeping the number.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    // Which documented test outcome the card has (success, generic_decline, …).
    .addColumn('behaviour', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text')
    // Saved for later charges (1) or usable for its one payment only (0).
    .addColumn('reusable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('usage', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sandbox_charges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    // payment | card_setup
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('customer_email', 'text')
    .addColumn('customer_postal_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('card_id', 'text', (c) => c.references('sandbox_cards.id'))
    .addColumn('card_fingerprint', 'text')
    .addColumn('saved_card', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recurring', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('amount_refunded', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('return_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The same idempotency key never makes a second charge, even when two calls race.
  await db.schema
    .createIndex('sandbox_charges_idempotency_unique')
    .on('sandbox_charges')
    .columns(['organization_id', 'idempotency_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('sandbox_charges_reference_idx')
    .on('sandbox_charges')
    .columns(['organization_id', 'reference'])
    .execute();
  await db.schema
    .createIndex('sandbox_charges_duplicate_idx')
    .on('sandbox_charges')
    .columns(['organization_id', 'card_fingerprint', 'amount', 'created_at'])
    .execute();

  await db.schema
    .createTable('sandbox_checkout_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('charge_id', 'text', (c) => c.notNull().references('sandbox_charges.id').onDelete('cascade'))
    // card_entry (the hosted card form) | challenge (the 3-D-Secure-style extra step)
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sandbox_refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('charge_id', 'text', (c) => c.notNull().references('sandbox_charges.id').onDelete('cascade'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failure_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sandbox_refunds_idempotency_unique')
    .on('sandbox_refunds')
    .columns(['organization_id', 'idempotency_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('sandbox_webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('charge_id', 'text')
    // The exact signed body, so a redelivery carries the same bytes and event id.
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sandbox_webhook_deliveries_pending_idx')
    .on('sandbox_webhook_deliveries')
    .columns(['delivered_at', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
