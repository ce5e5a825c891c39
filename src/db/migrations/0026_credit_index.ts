import { type Kysely, sql } from 'kysely';

/**
 * The customer's payments that still hold credit (`unapplied > 0`): the balance's available and retainer credit
 * (portal Home, statements, the customer's balance), the credits offered to apply and the ones a payment draws on.
 * A customer has hundreds of payments and few with credit left; the organization-and-customer index read them all.
 * In payment order (credits are listed and spent oldest first). Partial, so queries must say `unapplied > 0` with a
 * literal 0 (`sql.lit(0)`) for either database to use it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('customer_payments_credit_idx')
    .on('customer_payments')
    .columns(['organization_id', 'customer_id', 'payment_date'])
    .where(sql.ref('unapplied'), '>', sql.lit(0))
    .execute();
}
