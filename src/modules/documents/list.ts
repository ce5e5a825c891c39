import { type SelectQueryBuilder, sql } from 'kysely';
import { type ListOrder, textContains } from '../../http/pagination.js';

/** Documents are listed newest first by issue date; `alias` is the document table's name in the query. */
export const byIssueDate = (alias: string): ListOrder<{ issueDate: string }> => ({
  key: `${alias}.issueDate`,
  id: `${alias}.id`,
  direction: 'desc',
  keyOf: (row) => row.issueDate,
});

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
