import type { FastifyReply } from 'fastify';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { type Db, type Dialect, type Placeholders, prepared } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { invalid } from '../domain/errors.js';

/**
 * Keyset pagination: lists are ordered by (sort key, id) and the cursor carries the last row's pair, so page 10,000
 * costs what page 1 costs. Cursors are opaque to callers (base64url JSON). Every list runs through `listPage`, or
 * `preparedList` for the lists read most (the business's documents and payments, the client's invoices), but
 * for the merged live activity feed, which uses the parts below.
 */
export interface Cursor {
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (raw === undefined || raw === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // fall through to the validation error
  }
  throw invalid('query:/cursor', 'is not a cursor this server handed out');
}

/**
 * The keyset condition "rows after the cursor" for a list ordered by (key, id) in the given direction.
 * Column names are as in the query (`'i.issueDate'`); the CamelCasePlugin maps them to SQL.
 */
export function afterCursor(cursor: Cursor, keyColumn: string, idColumn: string, order: 'asc' | 'desc') {
  const op = sql.raw(order === 'asc' ? '>' : '<');
  const key = sql.ref(keyColumn);
  return sql<boolean>`(${key} ${op} ${cursor.key} or (${key} = ${cursor.key} and ${sql.ref(idColumn)} ${op} ${cursor.id}))`;
}

/** Fetch `limit + 1` rows; the extra one tells whether there is a next page. */
export function pageOf<T extends { id: string }>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string,
): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ key: keyOf(last), id: last.id }) : null;
  return { data, nextCursor };
}

/** Case-insensitive "contains" for list searches, given `containsPattern(text)` (a prepared list's placeholder). */
export function textContains(column: string, pattern: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** What every list's query string carries (`ListQuery` in `src/http/schemas.ts`). */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/**
 * How a list is ordered: its sort column and id column as named in its query (`'i.issueDate'`, `'i.id'`), which way
 * (newest first is `desc`; names and conversations run `asc`), and a row's sort key for the cursor.
 */
export interface ListOrder<Row> {
  key: string;
  id: string;
  direction: 'asc' | 'desc';
  keyOf: (row: Row) => string;
}

/**
 * The keyset list recipe, stated once: each list builds its own query (its table, joins, scope and filters) and
 * hands it here; this adds the order, the cursor and `limit + 1` rows (the extra one tells whether there is a next
 * page), and presents each row of the page.
 */
export async function listPage<DB, TB extends keyof DB, Row extends { id: string }, Shown>(
  query: SelectQueryBuilder<DB, TB, Row>,
  order: ListOrder<Row>,
  request: PageRequest,
  present: (row: Row) => Shown,
): Promise<{ data: Shown[]; nextCursor: string | null }> {
  const limit = request.limit ?? 25;
  const cursor = decodeCursor(request.cursor);
  let select = query
    .orderBy(sql.ref(order.key), order.direction)
    .orderBy(sql.ref(order.id), order.direction)
    .limit(limit + 1);
  if (cursor) select = select.where(afterCursor(cursor, order.key, order.id, order.direction));
  const page = pageOf(await select.execute(), limit, order.keyOf);
  return { data: page.data.map(present), nextCursor: page.nextCursor };
}

/** What a prepared list adds to its own arguments: the page's size and the cursor's pair. */
interface PageArgs {
  limit: number;
  cursorKey: string;
  cursorId: string;
}

/**
 * The keyset list recipe for a hot list whose rows are presented in JavaScript (the client's invoice list, whose
 * answers are reused; the business's lists use `preparedJsonList`): compiled once per shape (`prepared`) instead
 * of built, compiled and camel-cased by Kysely on every call, which cost twice what SQLite spends reading the page.
 * `build` gives the list's query with its filters, their values as placeholders, for a `shape` naming which
 * filters are given; this adds the order, the cursor condition (a shape of its own) and `limit + 1` rows, then
 * pages and presents them as `listPage` does.
 */
export function preparedList<A extends object, Row extends { id: string }, Shown>(
  // biome-ignore lint/suspicious/noExplicitAny: each list selects from its own tables; the rows are typed by Row.
  build: (db: Kysely<Database>, args: Placeholders<A>, shape: string) => SelectQueryBuilder<Database, any, Row>,
  order: ListOrder<Row>,
  present: (row: Row) => Shown,
) {
  const rowsOf = preparedPage(build, order, order.keyOf);
  return async (
    db: Db,
    args: A,
    shape: string,
    request: PageRequest,
  ): Promise<{ data: Shown[]; nextCursor: string | null }> => {
    const page = await rowsOf(db, args, shape, request);
    return { data: page.data.map(present), nextCursor: page.nextCursor };
  };
}

/** A prepared list's query for a shape of its filters, their values as placeholders, in the dialect's SQL. */
type ListQuery<A, Row> = (
  db: Kysely<Database>,
  args: Placeholders<A>,
  shape: string,
  dialect: Dialect,
  // biome-ignore lint/suspicious/noExplicitAny: each list selects from its own tables; the rows are typed by Row.
) => SelectQueryBuilder<Database, any, Row>;

/**
 * The part both prepared lists share: the list's query, compiled once per shape, with the order, the cursor
 * condition (a shape of its own) and `limit + 1` rows; run, it answers a page of rows and the next cursor.
 */
function preparedPage<A extends object, Row extends { id: string }>(
  build: ListQuery<A, Row>,
  order: Pick<ListOrder<Row>, 'key' | 'id' | 'direction'>,
  keyOf: (row: Row) => string,
) {
  const page = prepared((db, args: Placeholders<A & PageArgs>, shape: string, dialect) => {
    const position = shape.slice(shape.lastIndexOf('|') + 1);
    const select = build(db, args, shape.slice(0, shape.lastIndexOf('|')), dialect)
      .orderBy(sql.ref(order.key), order.direction)
      .orderBy(sql.ref(order.id), order.direction)
      .limit(args.limit);
    if (position !== 'after') return select;
    return select.where(afterCursor({ key: args.cursorKey, id: args.cursorId }, order.key, order.id, order.direction));
  });
  return async (db: Db, args: A, shape: string, request: PageRequest) => {
    const limit = request.limit ?? 25;
    const cursor = decodeCursor(request.cursor);
    const rows = await page(
      db,
      { ...args, limit: limit + 1, cursorKey: cursor?.key ?? '', cursorId: cursor?.id ?? '' },
      `${shape}|${cursor ? 'after' : 'first'}`,
    );
    return pageOf(rows, limit, keyOf);
  };
}

/**
 * A page whose items the database wrote as JSON (`preparedJsonList`), joined into the page's text here. It is sent
 * as it is (`sendJsonPage`): the route's response schema documents it, but nothing serializes it again.
 */
export interface JsonPage {
  json: string;
}

/** What a JSON list's query selects: each item's JSON text, and its order key and id for the cursor. */
export interface JsonListRow {
  item: string;
  sortKey: string;
  id: string;
}

/**
 * `preparedList` for the business's lists (documents and payments), which integrations page through at volume and
 * which nothing reuses: the query writes each item's JSON itself (`jsonObject` in src/db/json.ts), so a page of 25
 * costs a fraction of building 25 rows of 20 columns, presenting them and serializing the result. `build` selects
 * `item` (the JSON text of the item as the API shows it), `sortKey` and `id` (the order's key and id, for the
 * cursor); it also gets the dialect, which writes JSON in its own words. The answer's shape is the route's schema;
 * `test/api/list-items.test.ts` holds each list's items to the same document's detail on both databases.
 */
export function preparedJsonList<A extends object>(
  build: ListQuery<A, JsonListRow>,
  order: Pick<ListOrder<JsonListRow>, 'key' | 'id' | 'direction'>,
) {
  const rowsOf = preparedPage(build, order, (row) => row.sortKey);
  return async (db: Db, args: A, shape: string, request: PageRequest): Promise<JsonPage> => {
    const page = await rowsOf(db, args, shape, request);
    const items = page.data.map((row) => row.item).join(',');
    return { json: `{"data":[${items}],"nextCursor":${JSON.stringify(page.nextCursor)}}` };
  };
}

/** Sends a `JsonPage` as the JSON it already is. */
export function sendJsonPage(reply: FastifyReply, page: JsonPage): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(page.json);
}
