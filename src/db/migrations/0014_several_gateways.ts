import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Several payment gateways per organization (PRODUCT.md §6): `payment_gateways` was keyed on the organization (one
 * row each); it now has its own id (`gw_…`), and each gateway says what it takes — its currencies (null: every
 * currency), its place in the order Pay Now tries them, its minimum amount (minor units of the payment's currency), whether it saves cards for later
 * (reference transactions) and charges them automatically (recurring), and the billing address fields its payment
 * page asks for. A removed gateway keeps its row (`removed_at`): it takes no new payment, but finishes the ones it
 * started (their webhooks, return pages, reconciliation and refunds).
 * - `payment_attempts.gateway_id` and `autopay_cards.gateway_id`: the gateway that made the charge or saved the
 *   card, so each is finished and charged by that gateway whatever else the organization configures later.
 * Existing rows: each organization's gateway becomes one row with id `gw_` + the organization's id's tail; a
 * sandbox keeps its merchant rules (its currencies, minimum and capabilities move to the columns), a Stripe account
 * takes every currency and saves cards. Attempts and cards made through that kind of gateway point at it.
 * The table is rebuilt (SQLite cannot change a primary key), so the portal-version trigger of migration 0009 is
 * made again on the new table (on PostgreSQL its function is still there and is reused).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_gateways').renameTo('payment_gateways_0004').execute();
  await db.schema
    .createTable('payment_gateways')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // Pay Now tries the organization's gateways in this order (1, 2, …: the order they were added in).
    .addColumn('position', 'integer', (c) => c.notNull())
    // JSON array of ISO 4217 codes; null: every currency.
    .addColumn('currencies', 'text')
    .addColumn('minimum_amount', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reference_transactions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recurring', 'integer', (c) => c.notNull().defaultTo(0))
    // postal_code | full_address: what the payment page asks for, for the card's address verification.
    .addColumn('address_fields', 'text', (c) => c.notNull().defaultTo('postal_code'))
    // JSON of the sandbox's own merchant rules (fraud filters, address verification…); null for other gateways.
    .addColumn('sandbox_rules', 'text')
    .addColumn('credentials_encrypted', 'text')
    .addColumn('credentials_hint', 'text')
    .addColumn('removed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payment_gateways_organization_idx')
    .on('payment_gateways')
    .columns(['organization_id', 'position'])
    .execute();

  // Aliases without underscores: the same keys whether or not the connection converts names to camelCase.
  const old = await sql<{
    org: string;
    kind: string;
    rules: string | null;
    sealed: string | null;
    hint: string | null;
    created: string;
    updated: string;
  }>`select organization_id as org, kind, sandbox_rules as rules, credentials_encrypted as sealed,
      credentials_hint as hint, created_at as created, updated_at as updated from payment_gateways_0004`.execute(db);
  for (const row of old.rows) {
    const rules = row.rules ? JSON.parse(row.rules) : {};
    const sandbox = row.kind === 'sandbox';
    await db
      .insertInto('payment_gateways')
      .values({
        id: `gw_${row.org.replace(/^org_/, '')}`,
        organization_id: row.org,
        kind: row.kind,
        position: 1,
        currencies: sandbox && Array.isArray(rules.currencies) ? JSON.stringify(rules.currencies) : null,
        minimum_amount: sandbox ? (rules.minimumAmount ?? 0) : 0,
        reference_transactions: sandbox && rules.referenceTransactions === false ? 0 : 1,
        recurring: sandbox && rules.recurring === false ? 0 : 1,
        address_fields: 'postal_code',
        sandbox_rules: row.rules,
        credentials_encrypted: row.sealed,
        credentials_hint: row.hint,
        removed_at: null,
        created_at: row.created,
        updated_at: row.updated,
      })
      .execute();
  }
  await db.schema.dropTable('payment_gateways_0004').execute();

  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const bump = (which: 'NEW' | 'OLD') =>
    `UPDATE organizations SET portal_version = portal_version + 1 WHERE id = ${which}.organization_id`;
  const triggers = sqlite
    ? [
        `CREATE TRIGGER payment_gateways_portal_version_insert AFTER INSERT ON payment_gateways FOR EACH ROW BEGIN ${bump('NEW')}; END`,
        `CREATE TRIGGER payment_gateways_portal_version_update AFTER UPDATE ON payment_gateways FOR EACH ROW BEGIN ${bump('OLD')}; ${bump('NEW')} AND NEW.organization_id IS NOT OLD.organization_id; END`,
        `CREATE TRIGGER payment_gateways_portal_version_delete AFTER DELETE ON payment_gateways FOR EACH ROW BEGIN ${bump('OLD')}; END`,
      ]
    : [
        `CREATE CONSTRAINT TRIGGER payment_gateways_portal_version AFTER INSERT OR UPDATE OR DELETE ON payment_gateways DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payment_gateways_portal_version()`,
      ];
  for (const statement of triggers) await sql.raw(statement).execute(db);

  for (const table of ['payment_attempts', 'autopay_cards']) {
    await db.schema
      .alterTable(table)
      .addColumn('gateway_id', 'text', (c) => c.references('payment_gateways.id'))
      .execute();
    await sql`update ${sql.table(table)} set gateway_id = (
      select g.id from payment_gateways g
      where g.organization_id = ${sql.ref(`${table}.organization_id`)} and g.kind = ${sql.ref(`${table}.gateway_kind`)}
    )`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
