import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Trigram indexes for the lists' text search (`q`, "text found in …"), so that a search for a rare text reads about
 * what it finds instead of walking the organization's documents newest first until a page matches — all of them
 * (1M at scale) when nothing does. What is searched: a document's number and reference (invoices, estimates,
 * retainer invoices, payments), and a customer's display name (a document's customer), company name and e-mail (the
 * customer list). How the lists use them: `src/modules/documents/text-search.ts`.
 *
 * - SQLite: one FTS5 table per searched table, `<table>_search`, with the `trigram` tokenizer (case-insensitive), as
 *   an external-content table over the searched table's rows (its rowid is theirs, the text is read from them: no
 *   second copy), kept by triggers in the same transaction as every insert, update of those columns and delete.
 *   It relies on the rowids staying what they are, which VACUUM keeps (`VACUUM INTO` and the backup API too);
 *   `rebuildTextSearch` makes it again from the rows.
 * - PostgreSQL: `pg_trgm` (a trusted extension since PostgreSQL 13: a database owner may create it) and a GIN index
 *   on the lowered column (`lower(col) gin_trgm_ops`), which serves the lists' `lower(col) like '%…%'` as it is.
 *   PostgreSQL keeps them itself.
 */
export const SEARCHED: ReadonlyArray<{ table: string; columns: readonly string[] }> = [
  { table: 'invoices', columns: ['number', 'reference'] },
  { table: 'estimates', columns: ['number', 'reference'] },
  { table: 'retainer_invoices', columns: ['number', 'reference'] },
  { table: 'customer_payments', columns: ['number', 'reference'] },
  { table: 'customers', columns: ['display_name', 'company_name', 'email'] },
];

/** The FTS5 table searching a table's text (SQLite). */
export function searchTableOf(table: string): string {
  return `${table}_search`;
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    for (const { table, columns } of SEARCHED) {
      for (const column of columns) {
        await sql
          .raw(`CREATE INDEX ${table}_${column}_trgm_idx ON ${table} USING gin (lower(${column}) gin_trgm_ops)`)
          .execute(db);
      }
    }
    return;
  }
  for (const { table, columns } of SEARCHED) {
    const search = searchTableOf(table);
    // columnsize=0: no per-row sizes (they serve ranking, which a "contains" never asks for).
    await sql
      .raw(
        `CREATE VIRTUAL TABLE ${search} USING fts5(${columns.join(', ')}, content='${table}', content_rowid='rowid', ` +
          `tokenize='trigram case_sensitive 0', columnsize=0)`,
      )
      .execute(db);
    for (const statement of searchTriggers(table, columns)) await sql.raw(statement).execute(db);
  }
  await rebuildTextSearch(db);
}

/**
 * SQLite: the triggers keeping a table's FTS5 index. An external-content table is told the old text to take away
 * (the 'delete' command) and the new text to add; an update of other columns leaves it as it is.
 */
export function searchTriggers(table: string, columns: readonly string[]): string[] {
  const search = searchTableOf(table);
  const list = columns.join(', ');
  const values = (row: 'new' | 'old') => columns.map((column) => `${row}.${column}`).join(', ');
  const add = `INSERT INTO ${search}(rowid, ${list}) VALUES (new.rowid, ${values('new')})`;
  const remove = `INSERT INTO ${search}(${search}, rowid, ${list}) VALUES ('delete', old.rowid, ${values('old')})`;
  return [
    `CREATE TRIGGER ${search}_insert AFTER INSERT ON ${table} BEGIN ${add}; END`,
    `CREATE TRIGGER ${search}_update AFTER UPDATE OF ${list} ON ${table} BEGIN ${remove}; ${add}; END`,
    `CREATE TRIGGER ${search}_delete AFTER DELETE ON ${table} BEGIN ${remove}; END`,
  ];
}

/**
 * SQLite: makes the FTS5 indexes of the given tables (all by default) again from their rows — after this migration,
 * a bulk load with the triggers set aside (`seed --scale`), or as a repair. PostgreSQL keeps its indexes itself.
 */
// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function rebuildTextSearch(db: Kysely<any>, tables = SEARCHED.map((s) => s.table)): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const table of tables) {
    const search = searchTableOf(table);
    await sql.raw(`INSERT INTO ${search}(${search}) VALUES ('rebuild')`).execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Portico migrations are forward-only: restore a backup to go back.');
}
