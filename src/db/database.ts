import { createRequire } from 'node:module';
import SQLite from 'better-sqlite3';
import {
  CamelCasePlugin,
  type Compilable,
  CompiledQuery,
  Kysely,
  type LogEvent,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import type Pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  /** The same connection(s) without the CamelCasePlugin, for precompiled queries (`prepared`). */
  raw: Kysely<Database>;
  dialect: Dialect;
  /**
   * A token that differs whenever the data may have changed since it was last read: any write through this
   * process's connection, or a commit by any other connection or process. Read it before reading the data, and a
   * result computed afterwards is still current while the token is the same. Null where the database cannot tell
   * cheaply (PostgreSQL: other processes' writes are not visible to this one), so nothing may be reused there.
   */
  changeToken(): string | null;
  /**
   * PostgreSQL: runs a precompiled query (`prepared`) as a named prepared statement, which each connection parses
   * and plans once rather than on every call. Absent on SQLite, whose statements are all kept already.
   */
  runNamed?: (name: string, sql: string, parameters: readonly unknown[]) => Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The PostgreSQL client library, loaded only when a database is PostgreSQL (an SQLite process never loads it). */
let pgLibrary: typeof Pg | undefined;
function pg(): typeof Pg {
  if (!pgLibrary) {
    pgLibrary = createRequire(import.meta.url)('pg') as typeof Pg;
    // PostgreSQL returns BIGINT and NUMERIC (from SUM) as strings; our money stays far below 2^53, so numbers are exact.
    pgLibrary.types.setTypeParser(pgLibrary.types.builtins.INT8, (value) => Number(value));
    pgLibrary.types.setTypeParser(pgLibrary.types.builtins.NUMERIC, (value) => Number(value));
  }
  return pgLibrary;
}

export function dialectOf(databaseUrl: string): Dialect {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/** How many distinct SQL texts keep their prepared statement; the app has a few hundred. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * better-sqlite3 compiles every statement it is asked to prepare; for the short queries of an API request that
 * costs as much as running them. Kysely produces the same SQL text for the same query shape, so statements are
 * kept by their text (least recently used dropped first). Statements run to completion synchronously, so one
 * statement object is never used by two queries at once.
 *
 * Kysely prepares a statement right before each run, so this is also where writes are counted: every statement
 * SQLite does not call read-only (INSERT, UPDATE, DELETE — with or without RETURNING —, DDL) calls `onWrite`
 * before it runs, whatever built it (the query builder, raw SQL, a precompiled query).
 */
function withStatementCache(sqlite: SQLite.Database, onWrite: () => void): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      const statement = preparedStatement(sql);
      if (!statement.readonly) onWrite();
      return statement;
    },
  };
  function preparedStatement(sql: string): SQLite.Statement {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
    } else {
      statement = sqlite.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    cache.set(sql, statement);
    return statement;
  }
}

export interface OpenOptions {
  poolSize?: number;
  /** Called with every statement after it ran, whatever built it; the query-plan test reads the hot paths' SQL. */
  onQuery?: (query: CompiledQuery) => void;
}

export function openDatabase(databaseUrl: string, options: OpenOptions = {}): Db {
  const plugins = [new CamelCasePlugin()];
  const { onQuery } = options;
  const log = onQuery ? (event: LogEvent) => onQuery(event.query) : undefined;
  if (dialectOf(databaseUrl) === 'sqlite') {
    const file = databaseUrl.slice('sqlite:'.length);
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // The queries run on this one connection, one at a time (Kysely's SQLite driver holds it for a whole
    // transaction), so a write counted before it runs is counted before any other query can see it. Commits by
    // other connections — another Portico process on the same file, the command line — change `data_version`.
    let writes = 0;
    const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({
        database: withStatementCache(sqlite, () => {
          writes += 1;
        }),
      }),
      plugins,
      log,
    });
    return {
      kysely,
      raw: kysely.withoutPlugins(),
      dialect: 'sqlite',
      changeToken: () => `${dataVersion.get()}.${writes}`,
      close: () => kysely.destroy(),
    };
  }
  const pool = new (pg().Pool)({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  // An idle connection the server ends (a restart, a failover, an administrator) is dropped from the pool and
  // replaced on the next query; unhandled, its 'error' event would stop the whole process.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL connection lost: ${error.message}`);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins, log });
  return {
    kysely,
    raw: kysely.withoutPlugins(),
    dialect: 'postgres',
    changeToken: () => null,
    runNamed: async (name, sql, parameters) => {
      onQuery?.(CompiledQuery.raw(sql, [...parameters]));
      const result = await pool.query({ name, text: sql, values: [...parameters] });
      return result.rows;
    },
    close: () => kysely.destroy(),
  };
}

/** A query's inputs as they are given to `prepared`'s builder: placeholders that stand for the values. */
export type Placeholders<A> = { readonly [K in keyof A]: A[K] };

interface CompiledTemplate {
  /** Unique per SQL text in this process: the name of its prepared statement on PostgreSQL. */
  name: string;
  sql: string;
  /** Per parameter: the name of the argument it stands for, or a constant of the query shape. */
  parameters: ReadonlyArray<{ arg: string } | { value: unknown }>;
}

const PLACEHOLDER = '\u0000portico-arg:';
let templateCount = 0;
/** The plugin's own mapping, so prepared queries answer the same keys as the others. */
class CamelCaseMapper extends CamelCasePlugin {
  keyOf(column: string): string {
    return this.camelCase(column);
  }
}
const toCamel = new CamelCaseMapper();
const camelKeys = new Map<string, string>();

function camelRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    let camel = camelKeys.get(key);
    if (camel === undefined) {
      camel = toCamel.keyOf(key);
      camelKeys.set(key, camel);
    }
    out[camel] = row[key];
  }
  return out;
}

/**
 * A read the hot paths run on every request, built and compiled by Kysely once per database and query shape
 * rather than on every call: `build` receives placeholders for its arguments (use them as plain values in
 * `where`, `limit`, `sql`…, never inside `in` lists, whose length is part of the shape) and must produce the
 * same query for the same `shape`. Only the SQL text is kept; every call runs the query anew — on SQLite through
 * the same executor as any other query (whose statement cache keeps it compiled), on PostgreSQL as a named
 * prepared statement on a connection of the same pool, which each connection parses and plans once (`runNamed`) —
 * and maps the columns to camelCase as the CamelCasePlugin would. Results are never cached.
 */
export function prepared<A extends object, R, S extends string = string>(
  build: (db: Kysely<Database>, args: Placeholders<A>, shape: S) => Compilable<R>,
) {
  const byDb = new WeakMap<Kysely<Database>, Map<string, CompiledTemplate>>();
  const placeholders = new Proxy({} as Placeholders<A>, {
    get: (_target, name) => `${PLACEHOLDER}${String(name)}`,
  });
  const compileFor = (db: Db, shape: S): CompiledTemplate => {
    let templates = byDb.get(db.kysely);
    if (!templates) {
      templates = new Map();
      byDb.set(db.kysely, templates);
    }
    let template = templates.get(shape);
    if (!template) {
      const compiled = build(db.kysely, placeholders, shape).compile();
      // A placeholder must be a whole parameter: never part of the SQL text or of a constant built from it.
      const misused = (value: unknown) => typeof value === 'string' && value.indexOf(PLACEHOLDER) > 0;
      if (compiled.sql.includes(PLACEHOLDER) || compiled.parameters.some(misused)) {
        throw new Error('prepared query: an argument was used other than as a whole parameter value');
      }
      templateCount += 1;
      template = {
        name: `portico_${templateCount}`,
        sql: compiled.sql,
        parameters: compiled.parameters.map((value) =>
          typeof value === 'string' && value.startsWith(PLACEHOLDER)
            ? { arg: value.slice(PLACEHOLDER.length) }
            : { value },
        ),
      };
      templates.set(shape, template);
    }
    return template;
  };
  return async (db: Db, args: A, shape = '' as S): Promise<R[]> => {
    const template = compileFor(db, shape);
    const parameters = template.parameters.map((p) => {
      if (!('arg' in p)) return p.value;
      if (!(p.arg in args)) throw new Error(`prepared query: no value for "${p.arg}"`);
      return (args as Record<string, unknown>)[p.arg];
    });
    const rows = db.runNamed
      ? await db.runNamed(template.name, template.sql, parameters)
      : (await db.raw.executeQuery<Record<string, unknown>>(CompiledQuery.raw(template.sql, parameters))).rows;
    return rows.map(camelRow) as R[];
  };
}
