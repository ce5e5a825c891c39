import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Indexes for the lists and reads that otherwise read a whole organization's rows to answer for one customer,
 * one retainer or one page (found with EXPLAIN on both databases; see docs/benchmarks.md, "Query plans"). Each
 * matches a keyset list's (organization_id, filter…, sort key, id) so the list reads only the rows it returns.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  // One customer's estimates and retainer invoices newest (or oldest) first, whatever their status: the portal's
  // lists and dashboard, the business lists filtered by customer. Invoices have had this index since 0001.
  // Without statistics (Portico never runs ANALYZE) SQLite rates "a customer and a date range" on this index and
  // "the organization and a date range" on the organization's date index alike, and keeps the older index of a
  // tie: the organization's date index is built again after, as invoices' was built after theirs in 0001.
  for (const table of ['estimates', 'retainer_invoices']) {
    await db.schema
      .createIndex(`${table}_org_customer_date_idx`)
      .on(table)
      .columns(['organization_id', 'customer_id', 'issue_date', 'id'])
      .execute();
    await db.schema.dropIndex(`${table}_org_date_idx`).execute();
    await db.schema
      .createIndex(`${table}_org_date_idx`)
      .on(table)
      .columns(['organization_id', 'issue_date', 'id'])
      .execute();
  }

  // A document's history, oldest first by (created_at, id): the subject index of 0001 stopped before the id, so
  // SQLite preferred walking the organization's whole history in that order (0007's index) to sorting the
  // document's few entries. Replaced by one that ends with the list's order.
  await db.schema
    .createIndex('history_org_subject_created_idx')
    .on('history')
    .columns(['organization_id', 'subject_type', 'subject_id', 'created_at', 'id'])
    .execute();
  await db.schema.dropIndex('history_subject_idx').execute();

  // The payments received on one retainer invoice (its detail, in the back office and the portal).
  await db.schema
    .createIndex('customer_payments_org_retainer_idx')
    .on('customer_payments')
    .columns(['organization_id', 'retainer_invoice_id', 'payment_date'])
    .execute();

  // The contact persons of the customers on a page (customer list and detail): the existing customer_id index
  // alone lost to the organization's e-mail index, which reads every contact person of the organization.
  await db.schema
    .createIndex('contact_persons_org_customer_idx')
    .on('contact_persons')
    .columns(['organization_id', 'customer_id'])
    .execute();

  // Projects and recurring profiles are listed by name, for the organization or one customer. The customer's
  // indexes of 0001 stopped before the id (or the name), so SQLite preferred walking the organization's rows in
  // name order over sorting the customer's: they are replaced by ones that end with the list's order.
  for (const table of ['projects', 'recurring_profiles']) {
    await db.schema.createIndex(`${table}_org_name_idx`).on(table).columns(['organization_id', 'name', 'id']).execute();
    await db.schema
      .createIndex(`${table}_org_customer_name_idx`)
      .on(table)
      .columns(['organization_id', 'customer_id', 'name', 'id'])
      .execute();
    await db.schema.dropIndex(`${table}_org_customer_idx`).execute();
  }

  // The audit log of one contact person (and so of one customer's people), or of one event, newest first: the
  // back office's filters, and the portal activity feed's rare events among the organization's sign-ins.
  await db.schema
    .createIndex('audit_log_org_contact_created_idx')
    .on('audit_log')
    .columns(['organization_id', 'contact_person_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_log_org_event_created_idx')
    .on('audit_log')
    .columns(['organization_id', 'event', 'created_at', 'id'])
    .execute();

  // "Viewed by the client" (the eye filter): only the viewed documents, in list order. Partial, so it costs
  // nothing for documents never opened; both databases use it for `viewed_at is not null`.
  for (const table of ['invoices', 'estimates']) {
    await db.schema
      .createIndex(`${table}_org_viewed_date_idx`)
      .on(table)
      .columns(['organization_id', 'issue_date', 'id'])
      .where(sql.ref('viewed_at'), 'is not', null)
      .execute();
  }

  await refreshSqliteStatistics(db, [
    'estimates',
    'retainer_invoices',
    'customer_payments',
    'contact_persons',
    'projects',
    'recurring_profiles',
    'history',
    'audit_log',
    'invoices',
  ]);
}

/**
 * SQLite only, and only on a database that has statistics (ANALYZE, which `seed --scale` runs): SQLite rates an
 * index without statistics as if the organization had 10 rows, so next to measured old indexes it would prefer the
 * new ones for everything — the payments list took the retainer index and sorted all the organization's payments.
 * Those tables are measured again (sampled, as the seed does). A database without statistics is left without, and
 * PostgreSQL keeps its own (autovacuum; a new index needs none).
 */
// biome-ignore lint/suspicious/noExplicitAny: see up()
async function refreshSqliteStatistics(db: Kysely<any>, tables: string[]): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const statistics = await sql<{ name: string }>`select name from sqlite_master where name = 'sqlite_stat1'`.execute(
    db,
  );
  if (statistics.rows.length === 0) return;
  await sql`pragma analysis_limit = 2000`.execute(db);
  for (const table of tables) {
    const measured = await sql`select 1 from sqlite_stat1 where tbl = ${table} limit 1`.execute(db);
    if (measured.rows.length > 0) await sql`analyze ${sql.table(table)}`.execute(db);
  }
  await sql`pragma analysis_limit = 0`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
