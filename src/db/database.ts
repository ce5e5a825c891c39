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
  dialect: Dialect;
  /**
   * A token that differs whenever the data may have changed since it was last read: any write through this
   * process's connection, or a commit by any other connection or process. Read it before reading the data, and a
   * result computed afterwards is still current while the token is the same. Null where the database cannot tell
   * cheaply (PostgreSQL: other processes' writes are not visible to this one), so nothing may be reused there.
   */
  changeToken(): string | null;
  /**
   * Runs a precompiled query (`prepared`), its SQL unique to it, and answers its rows as arrays in the order of
   * `columns` — the drivers make a row of 20 named properties slower than SQLite reads it. PostgreSQL: as a named
   * prepared statement, which each connection parses and plans once. SQLite: through the one connection's queue
   * like any other query (never inside another request's transaction), its statement kept like the others.
   */
  runNamed(
    name: string,
    sql: string,
    parameters: readonly unknown[],
  ): Promise<{ columns: string[]; rows: unknown[][] }>;
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
 * before it runs, whatever built it (the query builder, raw SQL, a precompiled query). The statements of
 * precompiled queries (`givesArrays`, SQL texts no other query has) answer rows as arrays (`runNamed`).
 */
function withStatementCache(
  sqlite: SQLite.Database,
  onWrite: () => void,
  givesArrays: ReadonlySet<string>,
): SqliteDatabase {
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
      if (givesArrays.has(sql)) statement.raw(true);
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
    const givesArrays = new Set<string>();
    const columnsOf = new Map<string, string[]>();
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({
        database: withStatementCache(
          sqlite,
          () => {
            writes += 1;
          },
          givesArrays,
        ),
      }),
      plugins,
      log,
    });
    const withoutPlugins = kysely.withoutPlugins();
    return {
      kysely,
      dialect: 'sqlite',
      changeToken: () => `${dataVersion.get()}.${writes}`,
      runNamed: async (_name, sql, parameters) => {
        let columns = columnsOf.get(sql);
        if (!columns) {
          columns = sqlite
            .prepare(sql)
            .columns()
            .map((column) => column.name);
          columnsOf.set(sql, columns);
          givesArrays.add(sql);
        }
        const result = await withoutPlugins.executeQuery<unknown[]>(CompiledQuery.raw(sql, [...parameters]));
        return { columns, rows: result.rows };
      },
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
    dialect: 'postgres',
    changeToken: () => null,
    runNamed: async (name, sql, parameters) => {
      onQuery?.(CompiledQuery.raw(sql, [...parameters]));
      const result = await pool.query<unknown[]>({ name, text: sql, values: [...parameters], rowMode: 'array' });
      return { columns: result.fields.map((field) => field.name), rows: result.rows };
    },
    close: () => kysely.destroy(),
  };
}

/** A query's inputs as they are given to `prepared`'s builder: placeholders that stand for the values. */
export type Placeholders<A> = { readonly [K in keyof A]: A[K] };

interface CompiledTemplate {
  /** Unique per SQL text in this process: the name of its prepared statement on PostgreSQL. */
  name: string;
  /** The compiled SQL after a comment naming it, so that no other query has the same text. */
  sql: string;
  /** Makes a row from its array, keyed by the columns camel-cased as the CamelCasePlugin would; made at the first run. */
  makeRow: ((values: unknown[]) => object) | null;
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
/**
 * A read the hot paths run on every request, built and compiled by Kysely once per database and query shape
 * rather than on every call: `build` receives placeholders for its arguments (use them as plain values in
 * `where`, `limit`, `sql`…, never inside `in` lists, whose length is part of the shape) and must produce the
 * same query for the same `shape`. Only the SQL text is kept; every call runs the query anew through `runNamed`
 * (SQLite: the one connection's queue and its kept statement; PostgreSQL: a named prepared statement) and builds
 * each row from its array with the columns camel-cased as the CamelCasePlugin would. Results are never cached.
 */
export function prepared<A extends object, R, S extends string = string>(
  build: (db: Kysely<Database>, args: Placeholders<A>, shape: S, dialect: Dialect) => Compilable<R>,
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
      const compiled = build(db.kysely, placeholders, shape, db.dialect).compile();
      // A placeholder must be a whole parameter: never part of the SQL text or of a constant built from it.
      const misused = (value: unknown) => typeof value === 'string' && value.indexOf(PLACEHOLDER) > 0;
      if (compiled.sql.includes(PLACEHOLDER) || compiled.parameters.some(misused)) {
        throw new Error('prepared query: an argument was used other than as a whole parameter value');
      }
      templateCount += 1;
      const name = `portico_${templateCount}`;
      template = {
        name,
        sql: `/* ${name} */ ${compiled.sql}`,
        makeRow: null,
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
    const { columns, rows } = await db.runNamed(template.name, template.sql, parameters);
    template.makeRow ??= rowMaker(columns.map((column) => toCamel.keyOf(column)));
    return rows.map(template.makeRow) as R[];
  };
}

/**
 * A function making `{ key0: values[0], key1: values[1], … }` as one object literal. Filling an empty object key by
 * key in a loop costs ≈ 1 µs a row of 20 columns and leaves it a slow dictionary; the literal costs a few
 * nanoseconds, and every row of the query shares one fast layout for what reads them next (presenting,
 * serializing). The keys are our own column names, each written as a JSON string literal.
 */
function rowMaker(keys: string[]): (values: unknown[]) => object {
  const fields = keys.map((key, index) => `${JSON.stringify(key)}: values[${index}]`);
  return new Function('values', `return { ${fields.join(', ')} };`) as (values: unknown[]) => object;
}
