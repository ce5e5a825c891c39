import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Portal versions: `customers.portal_version` moves with every change to what that customer's portal shows, and
 * `organizations.portal_version` with every change the portal shows to all of the organization's customers. A
 * portal answer is reused while both are unchanged (`src/http/response-cache.ts`), on both databases.
 *
 * The versions are moved by triggers, in the same transaction as the change itself, whatever code writes it (a
 * service, a job, a command, a future capability): a forgotten explicit call would serve a client a stale answer,
 * and nothing would tell. Each trigger names the customer a row belongs to — from its own `customer_id`, or
 * through the document, payment, project or attempt it hangs from. UPDATE triggers that would fire on writes the
 * portal does not show are limited to the columns that matter: a contact person's sign-in (`last_login_at`,
 * `password_hash`) and the organization's `updated_at`-only lock (portal forwarding) move nothing. Sessions, the
 * audit log, throttles, access tokens, the outbox and the gateway's own bookkeeping have no trigger at all.
 * Over-counting is harmless (a draft's change discards answers that did not show it); missing a change is not.
 */

type Events = { insert: boolean; delete: boolean; updateOf?: readonly string[] } | 'all';

export interface Watch {
  table: string;
  /** Which version moves. */
  target: 'customers' | 'organizations';
  /** SQL for the id of the customer (or organization) a row belongs to, with `R` standing for NEW or OLD. */
  idOf: string;
  events: Events;
}

const via = (table: string, column: string) => `(SELECT customer_id FROM ${table} WHERE id = R.${column})`;

/** A comment's or a history entry's subject belongs to a customer through the subject's own row. */
const subjectCustomer = `CASE R.subject_type
  WHEN 'estimate' THEN ${via('estimates', 'subject_id')}
  WHEN 'invoice' THEN ${via('invoices', 'subject_id')}
  WHEN 'retainer_invoice' THEN ${via('retainer_invoices', 'subject_id')}
  WHEN 'project' THEN ${via('projects', 'subject_id')}
  WHEN 'customer_payment' THEN ${via('customer_payments', 'subject_id')}
END`;

const WATCHED: readonly Watch[] = [
  // One customer's own rows.
  ...[
    'estimates',
    'invoices',
    'retainer_invoices',
    'customer_payments',
    'recurring_profiles',
    'projects',
    'reviews',
    'payment_attempts',
    'autopay_cards',
  ].map((table): Watch => ({ table, target: 'customers', idOf: 'R.customer_id', events: 'all' })),
  // Rows that hang from one of them.
  { table: 'estimate_lines', target: 'customers', idOf: via('estimates', 'document_id'), events: 'all' },
  { table: 'invoice_lines', target: 'customers', idOf: via('invoices', 'document_id'), events: 'all' },
  { table: 'payment_allocations', target: 'customers', idOf: via('customer_payments', 'payment_id'), events: 'all' },
  { table: 'project_tasks', target: 'customers', idOf: via('projects', 'project_id'), events: 'all' },
  { table: 'time_entries', target: 'customers', idOf: via('projects', 'project_id'), events: 'all' },
  {
    table: 'payment_attempt_allocations',
    target: 'customers',
    idOf: via('payment_attempts', 'attempt_id'),
    events: 'all',
  },
  { table: 'autopay_charges', target: 'customers', idOf: via('invoices', 'invoice_id'), events: 'all' },
  { table: 'comments', target: 'customers', idOf: subjectCustomer, events: 'all' },
  { table: 'history', target: 'customers', idOf: subjectCustomer, events: 'all' },
  // A contact person's details and access, not the sign-in's writes (last_login_at, password_hash, updated_at).
  {
    table: 'contact_persons',
    target: 'customers',
    idOf: 'R.customer_id',
    events: {
      insert: true,
      delete: true,
      updateOf: [
        'customer_id',
        'salutation',
        'first_name',
        'last_name',
        'email',
        'phone',
        'mobile',
        'designation',
        'is_primary',
        'portal_status',
        'portal_invited_at',
        'portal_activated_at',
        'portal_disabled_at',
        'deleted_at',
      ],
    },
  },
  // The customer record itself: every column but the version (so the trigger's own update does not fire it again)
  // and the timestamps.
  {
    table: 'customers',
    target: 'customers',
    idOf: 'R.id',
    events: {
      insert: false,
      delete: false,
      updateOf: [
        'organization_id',
        'display_name',
        'company_name',
        'email',
        'phone',
        'website',
        'currency',
        'payment_terms_days',
        'billing_address',
        'shipping_address',
        'opening_balance',
        'notes',
        'deleted_at',
      ],
    },
  },
  // The organization: its settings, name, branding; not `updated_at` alone (portal forwarding takes the row's lock
  // by setting it to itself).
  {
    table: 'organizations',
    target: 'organizations',
    idOf: 'R.id',
    events: {
      insert: false,
      delete: false,
      updateOf: [
        'name',
        'slug',
        'base_currency',
        'time_zone',
        'locale',
        'email',
        'phone',
        'website',
        'address',
        'tax_rounding',
        'charges_tax',
        'payment_terms_days',
        'estimate_validity_days',
        'portal_enabled',
        'portal_banner',
        'portal_notify_me',
        'portal_email_on_comment',
        'portal_allow_edit_details',
        'portal_allow_forwarding',
        'portal_reviews',
        'portal_show_projects',
        'portal_prevent_duplicate_payments',
        'password_min_length',
        'logo_base64',
        'logo_content_type',
      ],
    },
  },
  // Organization-wide rows the portal shows to every customer: taxes, the payment gateway (Pay Now), the names of
  // the business's users (authors of comments).
  { table: 'taxes', target: 'organizations', idOf: 'R.organization_id', events: 'all' },
  { table: 'payment_gateways', target: 'organizations', idOf: 'R.organization_id', events: 'all' },
  {
    table: 'users',
    target: 'organizations',
    idOf: 'R.organization_id',
    events: { insert: true, delete: true, updateOf: ['name', 'email', 'disabled_at'] },
  },
];

const bump = (target: Watch['target'], id: string) =>
  `UPDATE ${target} SET portal_version = portal_version + 1 WHERE id = ${id}`;

const row = (idOf: string, which: 'NEW' | 'OLD') => idOf.replaceAll('R.', `${which}.`);

function eventsOf(watch: Watch) {
  return watch.events === 'all' ? { insert: true, delete: true, updateOf: undefined } : watch.events;
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['customers', 'organizations']) {
    await db.schema
      .alterTable(table)
      .addColumn('portal_version', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  for (const watch of WATCHED) await watchForPortal(db, watch);
}

/** Makes the triggers that move a portal version when the watched table changes (later migrations use it too). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function watchForPortal(db: Kysely<any>, watch: Watch): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  for (const statement of sqlite ? sqliteTriggers(watch) : postgresTriggers(watch)) {
    await sql.raw(statement).execute(db);
  }
}

/**
 * SQLite: one trigger per event (SQLite has no trigger functions and no TG_OP). `UPDATE OF` fires when a listed
 * column is in the statement's SET list. The trigger's own UPDATE sets only `portal_version`, which no list
 * names, so the customers and organizations triggers never fire themselves (recursive triggers are off anyway).
 */
function sqliteTriggers(watch: Watch): string[] {
  const { table, target, idOf } = watch;
  const events = eventsOf(watch);
  const out: string[] = [];
  if (events.insert) {
    out.push(
      `CREATE TRIGGER ${table}_portal_version_insert AFTER INSERT ON ${table} FOR EACH ROW BEGIN ${bump(target, row(idOf, 'NEW'))}; END`,
    );
  }
  const of = events.updateOf ? ` OF ${events.updateOf.join(', ')}` : '';
  // An update may move the row to another customer: both see it change.
  out.push(
    `CREATE TRIGGER ${table}_portal_version_update AFTER UPDATE${of} ON ${table} FOR EACH ROW BEGIN ${bump(target, row(idOf, 'OLD'))}; ${bump(target, row(idOf, 'NEW'))} AND (${row(idOf, 'NEW')}) IS NOT (${row(idOf, 'OLD')}); END`,
  );
  if (events.delete) {
    out.push(
      `CREATE TRIGGER ${table}_portal_version_delete AFTER DELETE ON ${table} FOR EACH ROW BEGIN ${bump(target, row(idOf, 'OLD'))}; END`,
    );
  }
  return out;
}

/**
 * PostgreSQL: a trigger calls a function, one per watched table here (the customer's id is an expression on the
 * row, which a shared function could only take as dynamic SQL). `UPDATE OF` has SQLite's meaning.
 * The bump's UPDATE takes the customer's (or organization's) row lock until the transaction ends, so two
 * transactions that change the same customer's portal commit their versions one after the other, and each
 * committed change has its own version. The triggers are constraint triggers deferred to the commit, so that lock
 * is taken last and held only for the commit: taken at each write, it would be held across the rest of the
 * transaction, and a transaction locking a customer's invoice after its version (a bulk job marking several of the
 * customer's invoices overdue) and another locking them in the other order would deadlock. The rows are still
 * changed in the same transaction, before it commits: no reader sees the data without the version.
 */
function postgresTriggers(watch: Watch): string[] {
  const { table, target, idOf } = watch;
  const events = eventsOf(watch);
  const name = `${table}_portal_version`;
  const on = [
    events.insert ? 'INSERT' : null,
    events.updateOf ? `UPDATE OF ${events.updateOf.join(', ')}` : 'UPDATE',
    events.delete ? 'DELETE' : null,
  ]
    .filter((e) => e !== null)
    .join(' OR ');
  return [
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN ${bump(target, row(idOf, 'OLD'))}; END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (${row(idOf, 'NEW')}) IS DISTINCT FROM (${row(idOf, 'OLD')})) THEN
    ${bump(target, row(idOf, 'NEW'))};
  END IF;
  RETURN NULL;
END $$`,
    `CREATE CONSTRAINT TRIGGER ${name} AFTER ${on} ON ${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  ];
}
