import { type SelectQueryBuilder, sql } from 'kysely';
import { afterCursor, decodeCursor, pageOf, textContains } from '../../http/pagination.js';

/**
 * The keyset list recipe, stated once: newest first by (date desc, id desc), `limit + 1` rows to know whether
 * there is a next page, and the cursor carrying the last row's (date, id). Each list builds its own query (its
 * table, joins, scope and filters) and hands it here; this adds the order, the cursor and the limit.
 */

/** What every list's query string carries (`ListQuery` in `src/http/schemas.ts`). */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** The columns a list is ordered by, as named in its query (`'e.issueDate'`, `'e.id'`), and the date of a row. */
export interface ListOrder<Row> {
  key: string;
  id: string;
  keyOf: (row: Row) => string;
}

/** Documents are listed newest first by issue date; `alias` is the document table's name in the query. */
export const byIssueDate = (alias: string): ListOrder<{ issueDate: string }> => ({
  key: `${alias}.issueDate`,
  id: `${alias}.id`,
  keyOf: (row) => row.issueDate,
});

/** One page of the list, each row presented for the API. */
export async function listPage<DB, TB extends keyof DB, Row extends { id: string }, Shown>(
  query: SelectQueryBuilder<DB, TB, Row>,
  order: ListOrder<Row>,
  request: PageRequest,
  present: (row: Row) => Shown,
): Promise<{ data: Shown[]; nextCursor: string | null }> {
  const limit = request.limit ?? 25;
  const cursor = decodeCursor(request.cursor);
  let select = query
    .orderBy(sql.ref(order.key), 'desc')
    .orderBy(sql.ref(order.id), 'desc')
    .limit(limit + 1);
  if (cursor) select = select.where(afterCursor(cursor, order.key, order.id, 'desc'));
  const page = pageOf(await select.execute(), limit, order.keyOf);
  return { data: page.data.map(present), nextCursor: page.nextCursor };
}

/** The filters the business's lists of documents and payments share. */
export interface ListFilters {
  customerId?: string;
  /** Inclusive bounds on the list's date. */
  from?: string;
  to?: string;
  /** Whether a client has opened it in the portal. */
  viewed?: boolean;
  /** Text found in the number, the reference or the customer's name. */
  q?: string;
}

/** Where those filters look: the listed table's and the customers table's names in the query, and its date column. */
export interface FilterColumns {
  table: string;
  customers: string;
  date: string;
}

/** Adds the conditions of the filters that are given. */
export function withListFilters<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  columns: FilterColumns,
  filters: ListFilters,
): SelectQueryBuilder<DB, TB, Row> {
  const column = (name: string) => sql.ref(`${columns.table}.${name}`);
  const date = column(columns.date);
  let select = query;
  if (filters.customerId) select = select.where(sql<boolean>`${column('customerId')} = ${filters.customerId}`);
  if (filters.from) select = select.where(sql<boolean>`${date} >= ${filters.from}`);
  if (filters.to) select = select.where(sql<boolean>`${date} <= ${filters.to}`);
  if (filters.viewed === true) select = select.where(sql<boolean>`${column('viewedAt')} is not null`);
  if (filters.viewed === false) select = select.where(sql<boolean>`${column('viewedAt')} is null`);
  if (filters.q) {
    const text = filters.q;
    select = select.where((eb) =>
      eb.or([
        textContains(`${columns.table}.number`, text),
        textContains(`${columns.table}.reference`, text),
        textContains(`${columns.customers}.displayName`, text),
      ]),
    );
  }
  return select;
}
