import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Customer figures: what the portal's dashboard counts, kept per customer in rows of their own, so that a
 * dashboard reads a few rows whatever the length of the customer's history.
 *
 * - `customer_open_totals`: per customer, kind (`invoice`, `retainer_invoice`) and currency, how many documents are
 *   unpaid and their balance.
 * - `customer_monthly_totals`: per customer, month (`YYYY-MM`) and currency, what was invoiced (by issue date;
 *   neither drafts nor void invoices) and paid (by payment date).
 *
 * They are kept by triggers on the books, in the same transaction as the change, whatever code writes it (a
 * service, the scheduler marking invoices overdue, a command, a bulk load): each row change takes its old
 * contribution away and adds its new one. `rebuildCustomerFigures` recomputes them from the books (`portico
 * rebuild-figures`, and this migration for existing data); `test/api/customer-figures.test.ts` checks, on both
 * databases, that after random sequences of operations the kept figures equal the rebuilt ones.
 *
 * The statuses below are the domain's (`UNPAID_INVOICE_STATUSES`, `UNPAID_RETAINER_STATUSES`, drafts hidden from
 * the portal): a test keeps them equal. A later change of those rules needs a migration that replaces the triggers
 * and rebuilds.
 */

const UNPAID_INVOICES = `('sent', 'overdue', 'partially_paid')`;
const UNPAID_RETAINERS = `('sent', 'partially_paid')`;
const NOT_INVOICED = `('draft', 'void')`;

interface Contribution {
  /** Names the trigger. */
  name: string;
  table: string;
  /** The columns whose change can move the figures (`UPDATE OF`). */
  columns: readonly string[];
  /** The figures table and the values of a row's contribution, `R` standing for NEW or OLD. */
  into: 'customer_open_totals' | 'customer_monthly_totals';
  values: Record<string, string>;
  /** Whether the row contributes at all. */
  when: string;
}

const CONTRIBUTIONS: readonly Contribution[] = [
  {
    name: 'invoices_open',
    table: 'invoices',
    columns: ['organization_id', 'customer_id', 'status', 'currency', 'balance'],
    into: 'customer_open_totals',
    values: { kind: `'invoice'`, currency: 'R.currency', document_count: '1', balance: 'R.balance' },
    when: `R.status IN ${UNPAID_INVOICES}`,
  },
  {
    name: 'retainer_invoices_open',
    table: 'retainer_invoices',
    columns: ['organization_id', 'customer_id', 'status', 'currency', 'balance'],
    into: 'customer_open_totals',
    values: { kind: `'retainer_invoice'`, currency: 'R.currency', document_count: '1', balance: 'R.balance' },
    when: `R.status IN ${UNPAID_RETAINERS}`,
  },
  {
    name: 'invoices_monthly',
    table: 'invoices',
    columns: ['organization_id', 'customer_id', 'status', 'currency', 'total', 'issue_date'],
    into: 'customer_monthly_totals',
    values: { month: 'substr(R.issue_date, 1, 7)', currency: 'R.currency', invoiced: 'R.total', paid: '0' },
    when: `R.status NOT IN ${NOT_INVOICED}`,
  },
  {
    name: 'customer_payments_monthly',
    table: 'customer_payments',
    columns: ['organization_id', 'customer_id', 'currency', 'amount', 'payment_date'],
    into: 'customer_monthly_totals',
    values: { month: 'substr(R.payment_date, 1, 7)', currency: 'R.currency', invoiced: '0', paid: 'R.amount' },
    when: '1 = 1',
  },
];

const KEYS = {
  customer_open_totals: ['organization_id', 'customer_id', 'kind', 'currency'],
  customer_monthly_totals: ['organization_id', 'customer_id', 'month', 'currency'],
} as const;
const AMOUNTS = {
  customer_open_totals: ['document_count', 'balance'],
  customer_monthly_totals: ['invoiced', 'paid'],
} as const;

/** Adds (sign 1) or takes away (sign -1) one row's contribution: an upsert that adds to what is there. */
function upsert(c: Contribution, which: 'NEW' | 'OLD', sign: 1 | -1): string {
  const keys = KEYS[c.into];
  const amounts = AMOUNTS[c.into];
  const value = (column: string) => {
    const expression = column === 'organization_id' || column === 'customer_id' ? `R.${column}` : c.values[column];
    if (expression === undefined) throw new Error(`${c.name}: no value for ${column}`);
    const bound = expression.replaceAll('R.', `${which}.`);
    return (amounts as readonly string[]).includes(column) && sign === -1 ? `-(${bound})` : bound;
  };
  const columns = [...keys, ...amounts];
  return `INSERT INTO ${c.into} (${columns.join(', ')})
    SELECT ${columns.map(value).join(', ')} WHERE ${c.when.replaceAll('R.', `${which}.`)}
    ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${amounts
      .map((a) => `${a} = ${c.into}.${a} + excluded.${a}`)
      .join(', ')}`;
}

/** SQLite: one trigger per event (no trigger functions). */
function sqliteTriggers(c: Contribution): string[] {
  const name = `${c.name}_figures`;
  return [
    `CREATE TRIGGER ${name}_insert AFTER INSERT ON ${c.table} FOR EACH ROW BEGIN ${upsert(c, 'NEW', 1)}; END`,
    `CREATE TRIGGER ${name}_update AFTER UPDATE OF ${c.columns.join(', ')} ON ${c.table} FOR EACH ROW BEGIN ${upsert(c, 'OLD', -1)}; ${upsert(c, 'NEW', 1)}; END`,
    `CREATE TRIGGER ${name}_delete AFTER DELETE ON ${c.table} FOR EACH ROW BEGIN ${upsert(c, 'OLD', -1)}; END`,
  ];
}

/**
 * PostgreSQL: constraint triggers deferred to the commit, like the portal versions' (migration 0009) and for the
 * same reason: a figures row is shared by all of a customer's documents, and its lock, taken at each write, would
 * be held across the rest of the transaction. Deferred row triggers still see each event's own OLD and NEW rows.
 * Each first locks the customer's row, as the version's bump does (`FOR NO KEY UPDATE`, the lock of an UPDATE):
 * at the commit, the writes for one customer then always begin with that one lock, whichever trigger fires first.
 * Without it, a payment (its month's figures, then the version) and an edit of an invoice of the same month (the
 * version, through its lines, then the figures) committing together could each hold what the other waits for.
 */
const lockCustomer = (which: 'NEW' | 'OLD') =>
  `PERFORM 1 FROM customers WHERE id = ${which}.customer_id FOR NO KEY UPDATE`;

function postgresTriggers(c: Contribution): string[] {
  const name = `${c.name}_figures`;
  return [
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN ${lockCustomer('OLD')}; ${upsert(c, 'OLD', -1)}; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN ${lockCustomer('NEW')}; ${upsert(c, 'NEW', 1)}; END IF;
  RETURN NULL;
END $$`,
    `CREATE CONSTRAINT TRIGGER ${name} AFTER INSERT OR UPDATE OF ${c.columns.join(', ')} OR DELETE ON ${c.table}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  ];
}

/** The figures recomputed from the books, as the rows the triggers keep. */
const RECOMPUTED = {
  customer_open_totals: `
    SELECT organization_id, customer_id, 'invoice' AS kind, currency, count(*) AS document_count, sum(balance) AS balance
      FROM invoices WHERE status IN ${UNPAID_INVOICES} GROUP BY organization_id, customer_id, currency
    UNION ALL
    SELECT organization_id, customer_id, 'retainer_invoice', currency, count(*), sum(balance)
      FROM retainer_invoices WHERE status IN ${UNPAID_RETAINERS} GROUP BY organization_id, customer_id, currency`,
  customer_monthly_totals: `
    SELECT organization_id, customer_id, month, currency, sum(invoiced) AS invoiced, sum(paid) AS paid FROM (
      SELECT organization_id, customer_id, substr(issue_date, 1, 7) AS month, currency, total AS invoiced, 0 AS paid
        FROM invoices WHERE status NOT IN ${NOT_INVOICED}
      UNION ALL
      SELECT organization_id, customer_id, substr(payment_date, 1, 7), currency, 0, amount FROM customer_payments
    ) contributions GROUP BY organization_id, customer_id, month, currency`,
} as const;

/** The SQL of the figures as recomputed from the books, for a test to compare with the kept ones. */
export const recomputedFigures = RECOMPUTED;

/**
 * Replaces every customer's figures with the ones recomputed from the books, in one transaction. On PostgreSQL the
 * books' tables are locked against writes meanwhile (SHARE), so no change commits between the two.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function rebuildCustomerFigures(db: Kysely<any>): Promise<void> {
  if (!db.isTransaction) return db.transaction().execute((trx) => rebuildCustomerFigures(trx));
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`LOCK TABLE invoices, retainer_invoices, customer_payments IN SHARE MODE`.execute(db);
  }
  for (const table of ['customer_open_totals', 'customer_monthly_totals'] as const) {
    const columns = [...KEYS[table], ...AMOUNTS[table]].join(', ');
    await sql.raw(`DELETE FROM ${table}`).execute(db);
    await sql.raw(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM (${RECOMPUTED[table]}) r`).execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_open_totals')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('document_count', 'bigint', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_open_totals_pk', [...KEYS.customer_open_totals])
    .execute();
  await db.schema
    .createTable('customer_monthly_totals')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('invoiced', 'bigint', (c) => c.notNull())
    .addColumn('paid', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_monthly_totals_pk', [...KEYS.customer_monthly_totals])
    .execute();
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  for (const contribution of CONTRIBUTIONS) {
    for (const statement of sqlite ? sqliteTriggers(contribution) : postgresTriggers(contribution)) {
      await sql.raw(statement).execute(db);
    }
  }
  await rebuildCustomerFigures(db);
}
