import { type Kysely, SqliteAdapter, sql } from 'kysely';
import { SEARCHED, searchTableOf } from './migrations/0025_text_search.js';
import type { Database } from './schema.js';

/**
 * "Text found in …" through the trigram indexes of migration 0025: the ids of an organization's rows whose text
 * contains a word, read from the index — about as many rows as it finds — when they are few. A list then reads
 * those rows by id and sorts them for its page (`amongIds`); when they are many, or the text is too short for
 * trigrams, the caller walks its list newest first as before, which fills a page quickly exactly when matches
 * are dense. Either way the list keeps its own `lower(col) like` condition, so the answers are the same whichever
 * way is taken (the index only chooses the rows to look at).
 */

/** The tables whose text the trigram indexes serve, by their names in Kysely. */
export type SearchedTable = 'invoices' | 'estimates' | 'retainerInvoices' | 'customerPayments' | 'customers';

const TABLE_NAMES: Record<SearchedTable, string> = {
  invoices: 'invoices',
  estimates: 'estimates',
  retainerInvoices: 'retainer_invoices',
  customerPayments: 'customer_payments',
  customers: 'customers',
};

/**
 * `fewMatches`: at most this many rows found by the trigram indexes are read by id and sorted for a page (a few
 * ms); beyond, matches are dense enough that walking the list in its order fills a page sooner — it reads about
 * (the organization's rows × the page's size / fewMatches) rows, unless the matches are all at the far end of the
 * list. A test lowers it to take the walk with a few rows.
 */
export const textSearch = { fewMatches: 2000 };

/** Trigrams need 3 characters; a shorter text matches densely anyway, so walking finds a page quickly. */
function searchable(text: string): boolean {
  return [...text].length >= 3;
}

/**
 * The ids of the organization's rows of `table` where one of `columns` (SQL names) contains `text`, ignoring case,
 * when there are at most `limit`; null when there may be more, or the text is shorter than a trigram.
 *
 * SQLite asks the FTS5 table for at most `limit + 1` rows of any organization (it holds every organization's
 * text) and keeps the organization's: a text common in other organizations takes the walk. PostgreSQL asks for
 * the organization's matches, at most `limit + 1`, and its planner chooses between the trigram index and walking
 * the organization's rows by its statistics.
 */
export async function idsContaining(
  db: Kysely<Database>,
  table: SearchedTable,
  columns: readonly string[],
  organizationId: string,
  text: string,
  limit: number,
): Promise<string[] | null> {
  if (!searchable(text)) return null;
  const name = TABLE_NAMES[table];
  if (isSqlite(db)) {
    const search = searchTableOf(name);
    // A phrase of the text's trigrams in those columns (a `"` written twice inside it), lowered as the lists'
    // `like` pattern is: the index folds case too, so it finds at least every row the pattern matches.
    const query = `{${columns.join(' ')}} : "${text.toLowerCase().replaceAll('"', '""')}"`;
    const found = await sql<{ rowid: number }>`
      select rowid from ${sql.table(search)} where ${sql.table(search)} match ${query} limit ${limit + 1}`.execute(db);
    if (found.rows.length > limit) return null;
    if (found.rows.length === 0) return [];
    const rowids = JSON.stringify(found.rows.map((row) => row.rowid));
    // The organization is checked here, not in SQL: there SQLite would rather walk its index by the organization.
    const { rows } = await sql<{ id: string; organizationId: string }>`
      select id, organization_id from ${sql.table(name)}
      where rowid in (select value from json_each(${rowids}))`.execute(db);
    return rows.filter((row) => row.organizationId === organizationId).map((row) => row.id);
  }
  const pattern = containsPattern(text);
  const { rows } = await sql<{ id: string }>`
    select id from ${sql.table(name)} where organization_id = ${organizationId} and (${sql.join(
      columns.map((column) => sql`lower(${sql.ref(column)}) like ${pattern} escape '\\'`),
      sql` or `,
    )}) limit ${limit + 1}`.execute(db);
  return rows.length > limit ? null : rows.map((row) => row.id);
}

/**
 * The ids of the organization's rows of `table` that belong to one of the customers (a JSON array of ids), when
 * there are at most `limit`; null when there are more. Served by the (organization, customer, …) indexes.
 */
export async function idsOfCustomers(
  db: Kysely<Database>,
  table: Exclude<SearchedTable, 'customers'>,
  organizationId: string,
  customerIds: readonly string[],
  limit: number,
): Promise<string[] | null> {
  if (customerIds.length === 0) return [];
  const name = TABLE_NAMES[table];
  const { rows } = await sql<{ id: string }>`
    select id from ${sql.table(name)} where organization_id = ${organizationId}
      and ${amongIds(db, 'customer_id', JSON.stringify(customerIds))} limit ${limit + 1}`.execute(db);
  return rows.length > limit ? null : rows.map((row) => row.id);
}

/** `column in (the ids)`, the ids given as one parameter, a JSON array: one statement whatever their number. */
export function amongIds(db: Kysely<Database>, column: string, idsJson: string) {
  return isSqlite(db)
    ? sql<boolean>`${sql.ref(column)} in (select value from json_each(${idsJson}))`
    : sql<boolean>`${sql.ref(column)} in (select json_array_elements_text(cast(${idsJson} as json)))`;
}

/**
 * A list's organization condition. When the list reads rows found by id (`amongIds`), the organization's indexes
 * are kept out of its plan (`|| ''`): SQLite, which has no statistics (Portico never runs ANALYZE), takes an
 * organization for 10 rows and would rather walk one of its indexes in list order, testing each row against the
 * ids, than read the few rows by id and sort them. The found ids are the organization's already.
 */
export function organizationIs(column: string, organizationId: string, readsFoundIds: boolean) {
  return readsFoundIds
    ? sql<boolean>`${sql.ref(column)} || '' = ${organizationId}`
    : sql<boolean>`${sql.ref(column)} = ${organizationId}`;
}

function isSqlite(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** The `like` pattern of a case-insensitive "contains": the caller's %, _ and \\ match literally on both databases. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * SQLite: the searched tables (SQL names) whose FTS5 index no longer matches their rows — FTS5's own
 * 'integrity-check' against the table's text. The triggers keep them in step; a change made with the triggers set
 * aside (by hand, or a bulk load stopped halfway) leaves the text search missing rows until `rebuildTextSearch`.
 * Always empty on PostgreSQL, which keeps its trigram indexes itself.
 */
export async function searchIndexesOutOfStep(db: Kysely<Database>): Promise<string[]> {
  if (!isSqlite(db)) return [];
  const outOfStep: string[] = [];
  for (const { table } of SEARCHED) {
    const search = searchTableOf(table);
    try {
      await sql.raw(`INSERT INTO ${search}(${search}, rank) VALUES ('integrity-check', 1)`).execute(db);
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_CORRUPT_VTAB') throw error;
      outOfStep.push(table);
    }
  }
  return outOfStep;
}
