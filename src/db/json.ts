import { type Expression, type RawBuilder, sql } from 'kysely';
import { jsonBuildObject as postgresObject } from 'kysely/helpers/postgres';
import { jsonBuildObject as sqliteObject } from 'kysely/helpers/sqlite';
import type { Dialect } from './database.js';

/**
 * JSON written by the database itself, for the answers read most (`preparedJsonList`): a page of 25 documents
 * built as rows of 20 columns, presented and serialized in JavaScript costs several times what SQLite spends
 * writing the same JSON. Each helper gives the SQL of one dialect; the values keep their JSON types (integers stay
 * numbers, NULL is null, text is escaped by the database).
 */

/** Each key of a JSON object and the SQL that gives its value: a column, an expression, or a nested `jsonObject`. */
export type JsonFields = Record<string, Expression<unknown>>;

/** An object of the given fields, in key order (SQLite `json_object`, PostgreSQL `json_build_object`). */
export function jsonObject(dialect: Dialect, fields: JsonFields): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sqliteObject(fields) : postgresObject(fields);
}

/** A top-level JSON value as text, which the drivers hand over as it is (PostgreSQL would parse `json` into objects). */
export function jsonText(dialect: Dialect, value: Expression<unknown>): RawBuilder<string> {
  return dialect === 'sqlite' ? sql<string>`${value}` : sql<string>`(${value})::text`;
}

/** A JSON boolean from a condition (SQLite has no boolean type: its `true` is the integer 1). */
export function jsonBoolean(dialect: Dialect, condition: Expression<unknown>): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`json(case when ${condition} then 'true' else 'false' end)` : sql`(${condition})`;
}

/** A text column that holds JSON, embedded as JSON rather than as a string. */
export function storedJson(dialect: Dialect, column: Expression<unknown>): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`json(${column})` : sql`(${column})::json`;
}
