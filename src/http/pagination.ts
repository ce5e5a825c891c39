import { type SelectQueryBuilder, sql } from 'kysely';
import { invalid } from '../domain/errors.js';

/**
 * Keyset pagination: lists are ordered by (sort key, id) and the cursor carries the last row's pair, so page 10,000
 * costs what page 1 costs. Cursors are opaque to callers (base64url JSON). Every list runs through `listPage`, but
 * for two that use the parts below: the portal's precompiled invoice list and the merged live activity feed.
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

/** Case-insensitive "contains" for list searches; the caller's %, _ and \\ match literally on both databases. */
export function textContains(column: string, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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
