import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Dialect, Placeholders } from '../../db/database.js';
import { jsonObject } from '../../db/json.js';
import type { Database } from '../../db/schema.js';
import {
  amongIds,
  containsPattern,
  idsContaining,
  idsOfCustomers,
  organizationIs,
  type SearchedTable,
  textSearch,
} from '../../db/text-search.js';
import { type ListOrder, textContains } from '../../http/pagination.js';

/** Documents are listed newest first by issue date; `alias` is the document table's name in the query. */
export const byIssueDate = (alias: string): ListOrder<{ issueDate: string }> => ({
  key: `${alias}.issueDate`,
  id: `${alias}.id`,
  direction: 'desc',
  keyOf: (row) => row.issueDate,
});

/**
 * A list's organization condition, given the filters' shape (`listFilters`): when the list reads the documents a
 * text was found in by id (`found`), the organization's indexes are kept out of its plan (`organizationIs`).
 */
export function organizationOf(column: string, organizationId: string, shape: string) {
  return organizationIs(column, organizationId, shape.split(',').includes('found'));
}

/**
 * The first keys of a document's summary as the business's lists write them in JSON (`preparedJsonList`): the
 * document's id, number, reference and status (`alias` its table's name in the query) and its customer (joined as
 * `c`), in the order of the summaries' schemas.
 */
export function documentHeadJson(dialect: Dialect, alias: string) {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  return {
    id: ref('id'),
    number: ref('number'),
    reference: ref('reference'),
    status: ref('status'),
    customer: jsonObject(dialect, { id: ref('customerId'), displayName: sql.ref('c.displayName') }),
  };
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

/** The filters' values as a prepared list's arguments; a filter not given is an empty string (and not in the shape). */
export interface FilterArgs {
  customerId: string;
  from: string;
  to: string;
  /** `containsPattern` of the text searched for. */
  textPattern: string;
  /** The documents the text was found in (`foundDocuments`), a JSON array of ids. */
  found: string;
}

/**
 * The organization's documents (or payments) of `table` whose number, reference or customer's display name
 * contains the text, when the trigram indexes find few (`src/db/text-search.ts`); null when there is no text, it
 * is shorter than 3 characters, or the matches are many: the list then walks newest first, as without an index.
 */
export async function foundDocuments(
  db: Kysely<Database>,
  table: Exclude<SearchedTable, 'customers'>,
  organizationId: string,
  text: string | undefined,
): Promise<string[] | null> {
  if (!text) return null;
  const few = textSearch.fewMatches;
  const own = await idsContaining(db, table, ['number', 'reference'], organizationId, text, few);
  if (own === null) return null;
  const customers = await idsContaining(db, 'customers', ['display_name'], organizationId, text, few);
  if (customers === null) return null;
  const theirs = await idsOfCustomers(db, table, organizationId, customers, few - own.length);
  if (theirs === null) return null;
  return [...new Set([...own, ...theirs])];
}

/**
 * A list request's filters as a prepared list takes them: `shape` names the filters given (the compiled query
 * differs by them), `args` carries their values. `found`: the documents the text was found in (`foundDocuments`),
 * when the trigram indexes found few; the list then reads those by id (and still checks the text).
 */
export function listFilters(
  filters: ListFilters,
  found: readonly string[] | null = null,
): { shape: string; args: FilterArgs } {
  const given = [
    filters.customerId ? 'customer' : '',
    filters.from ? 'from' : '',
    filters.to ? 'to' : '',
    filters.viewed === true ? 'viewed' : filters.viewed === false ? 'unviewed' : '',
    filters.q ? 'text' : '',
    filters.q && found ? 'found' : '',
  ];
  return {
    shape: given.filter(Boolean).join(','),
    args: {
      customerId: filters.customerId ?? '',
      from: filters.from ?? '',
      to: filters.to ?? '',
      textPattern: containsPattern(filters.q ?? ''),
      found: filters.q && found ? JSON.stringify(found) : '',
    },
  };
}

/** Adds the conditions of the filters the shape names (from `listFilters`), their values the args' placeholders. */
export function withListFilters<DB, TB extends keyof DB, Row>(
  db: Kysely<Database>,
  query: SelectQueryBuilder<DB, TB, Row>,
  columns: FilterColumns,
  shape: string,
  args: Placeholders<FilterArgs>,
): SelectQueryBuilder<DB, TB, Row> {
  const given = new Set(shape.split(','));
  const column = (name: string) => sql.ref(`${columns.table}.${name}`);
  const date = column(columns.date);
  let select = query;
  if (given.has('customer')) select = select.where(sql<boolean>`${column('customerId')} = ${args.customerId}`);
  if (given.has('from')) select = select.where(sql<boolean>`${date} >= ${args.from}`);
  if (given.has('to')) select = select.where(sql<boolean>`${date} <= ${args.to}`);
  if (given.has('viewed')) select = select.where(sql<boolean>`${column('viewedAt')} is not null`);
  if (given.has('unviewed')) select = select.where(sql<boolean>`${column('viewedAt')} is null`);
  if (given.has('found')) select = select.where(amongIds(db, `${columns.table}.id`, args.found));
  if (given.has('text')) {
    select = select.where((eb) =>
      eb.or([
        textContains(`${columns.table}.number`, args.textPattern),
        textContains(`${columns.table}.reference`, args.textPattern),
        textContains(`${columns.customers}.displayName`, args.textPattern),
      ]),
    );
  }
  return select;
}
