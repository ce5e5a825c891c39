import { type Kysely, sql } from 'kysely';

/**
 * Test mode (PRODUCT.md §6): a payment made through a gateway in test mode (the sandbox; Stripe with test keys)
 * moved no money, and says so wherever it is listed or summed.
 * - `payment_attempts.test_mode`: the gateway's mode when the attempt was written (reserve), so a charge settled
 *   later by a webhook or the reconciler keeps the mode it was made in, whatever the gateway is by then.
 * - `customer_payments.test_mode`: copied from the attempt when it settles; payments the business records itself
 *   are real (0).
 * Existing rows: attempts through the sandbox were test payments. Stripe attempts stay 0: which key made them is
 * not known here (the credentials are encrypted under APP_SECRET).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('payment_attempts')
    .addColumn('test_mode', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('customer_payments')
    .addColumn('test_mode', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update payment_attempts set test_mode = 1 where gateway_kind = 'sandbox'`.execute(db);
  await sql`update customer_payments set test_mode = 1
    where id in (select payment_id from payment_attempts where test_mode = 1 and payment_id is not null)`.execute(db);
}
