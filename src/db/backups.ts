import {
  closeSync,
  copyFileSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { type Db, openDatabase } from './database.js';
import { knownMigrations, migrateToLatest } from './migrate.js';
import { recomputedFigures } from './migrations/0010_customer_figures.js';
import { searchIndexesOutOfStep } from './text-search.js';

/**
 * Backups of the books (`portico backup`, `restore`, `verify-backup`, and the worker's scheduled backups).
 *
 * SQLite: SQLite's online backup API copies the database page by page through a connection of its own, in one
 * step, so the copy is one consistent moment even while a server writes (WAL: writers are not blocked). It is
 * written under a temporary name and renamed when complete, so a partial file never looks like a backup.
 * PostgreSQL: pg_dump and pg_restore (docs/backups.md); `checkBooks` and `schemaVersionOf` check a restored one.
 */

/** `portico-2026-05-01T09-00-00-000Z.sqlite`: names sort in the order they were taken. */
const BACKUP_NAME = /^portico-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.sqlite$/;

export function backupFileName(at: Date): string {
  return `portico-${at.toISOString().replaceAll(':', '-').replace('.', '-')}.sqlite`;
}

/** When a backup named by `backupFileName` was taken, or null for any other name. */
export function backupTakenAt(fileName: string): Date | null {
  const match = BACKUP_NAME.exec(fileName);
  if (!match) return null;
  const [, day, hours, minutes, seconds, millis] = match;
  return new Date(`${day}T${hours}:${minutes}:${seconds}.${millis}Z`);
}

export function sqliteFileOf(databaseUrl: string): string {
  return databaseUrl.slice('sqlite:'.length);
}

/**
 * Copies the SQLite database `sourceFile` into `targetFile` (replacing it) through the online backup API, on a
 * connection of its own. The copy is left in rollback-journal mode, so it is one self-contained file.
 */
/**
 * better-sqlite3 first starts the backup, then asks how many pages the next step copies: all of them, in one step
 * under one read transaction. Smaller steps would let other connections' commits restart the copy again and again
 * (SQLite restarts a backup whose source another connection changed), so under steady writes it might never end.
 */
const allInOneStep = ({ totalPages }: { totalPages: number }) => totalPages;

export async function backupSqlite(sourceFile: string, targetFile: string): Promise<{ bytes: number }> {
  mkdirSync(path.dirname(targetFile), { recursive: true });
  const partial = `${targetFile}.partial-${process.pid}`;
  const source = new SQLite(sourceFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(partial, { progress: allInOneStep });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  try {
    const copy = new SQLite(partial, { fileMustExist: true });
    copy.pragma('journal_mode = DELETE');
    copy.close();
    const handle = openSync(partial, 'r');
    fsyncSync(handle);
    closeSync(handle);
    renameSync(partial, targetFile);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { bytes: statSync(targetFile).size };
}

/** The tables people recognize, counted in a verification's report. */
const MAIN_TABLES = [
  'organizations',
  'users',
  'customers',
  'contact_persons',
  'estimates',
  'invoices',
  'retainer_invoices',
  'customer_payments',
  'payment_allocations',
  'recurring_profiles',
  'projects',
  'time_entries',
  'comments',
] as const;

export interface SchemaVersion {
  /** Migrations of this build that the database has not applied yet (`portico migrate` applies them). */
  missing: string[];
  /** Migrations the database has applied that this build does not know: it comes from a newer Portico. */
  unknown: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: a backup is read before its schema is known to be ours
export async function schemaVersionOf(db: Kysely<any>): Promise<SchemaVersion> {
  const applied = (await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db)).rows.map((r) => r.name);
  const known = knownMigrations();
  return {
    missing: known.filter((name) => !applied.includes(name)),
    unknown: applied.filter((name) => !known.includes(name)),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: see schemaVersionOf
export async function countRows(db: Kysely<any>): Promise<Array<{ table: string; rows: number }>> {
  const counts: Array<{ table: string; rows: number }> = [];
  for (const table of MAIN_TABLES) {
    const row = (await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0];
    counts.push({ table, rows: Number(row?.n ?? 0) });
  }
  return counts;
}

/**
 * Whether the books reconcile, as sentences naming what does not (empty: they do): every invoice's balance is
 * its total less the payments, credits and write-off applied (0 once void); every retainer invoice's is its total
 * less what was paid (0 once void); and the customers' kept figures (migration 0010) equal the ones recomputed
 * from the books.
 */
// biome-ignore lint/suspicious/noExplicitAny: see schemaVersionOf
export async function checkBooks(db: Kysely<any>): Promise<string[]> {
  const problems: string[] = [];
  const invoices = await sql<{ number: string }>`
    SELECT number FROM invoices
     WHERE balance <> CASE WHEN status = 'void' THEN 0
                           ELSE total - payments_applied - credits_applied - written_off END
     ORDER BY number`.execute(db);
  if (invoices.rows.length > 0) {
    problems.push(
      `${invoices.rows.length} invoice(s) whose balance is not total − payments − credits − written off: ${invoices.rows
        .slice(0, 5)
        .map((r) => r.number)
        .join(', ')}`,
    );
  }
  const retainers = await sql<{ number: string }>`
    SELECT number FROM retainer_invoices
     WHERE balance <> CASE WHEN status = 'void' THEN 0 ELSE total - amount_paid END
     ORDER BY number`.execute(db);
  if (retainers.rows.length > 0) {
    problems.push(
      `${retainers.rows.length} retainer invoice(s) whose balance is not total − paid: ${retainers.rows
        .slice(0, 5)
        .map((r) => r.number)
        .join(', ')}`,
    );
  }
  const figures = [
    {
      table: 'customer_open_totals',
      keys: 'organization_id, customer_id, kind, currency',
      amounts: ['document_count', 'balance'],
    },
    {
      table: 'customer_monthly_totals',
      keys: 'organization_id, customer_id, month, currency',
      amounts: ['invoiced', 'paid'],
    },
  ] as const;
  for (const { table, keys, amounts } of figures) {
    const nonZero = amounts.map((a) => `${a} <> 0`).join(' OR ');
    // Each row as its key and its amounts; a key whose amounts are zero counts as absent on both sides.
    const read = async (from: string) =>
      new Map(
        (
          await sql
            .raw<{ key: string; amounts: string }>(
              `SELECT ${keys.split(', ').join(` || '|' || `)} AS key, ${amounts.map((a) => `CAST(${a} AS TEXT)`).join(` || '|' || `)} AS amounts
                 FROM ${from} WHERE ${nonZero}`,
            )
            .execute(db)
        ).rows.map((row) => [row.key, row.amounts]),
      );
    const kept = await read(table);
    const recomputed = await read(`(${recomputedFigures[table]}) recomputed`);
    let differing = 0;
    for (const key of new Set([...kept.keys(), ...recomputed.keys()])) {
      if (kept.get(key) !== recomputed.get(key)) differing += 1;
    }
    if (differing > 0) {
      problems.push(
        `${table}: ${differing} row(s) differ from the figures recomputed from the books (portico rebuild-figures repairs them)`,
      );
    }
  }
  return problems;
}

export interface Verification {
  ok: boolean;
  /** Why it is not a usable backup (empty when ok). */
  problems: string[];
  counts: Array<{ table: string; rows: number }>;
  schema: SchemaVersion | null;
  /**
   * The searched tables whose text-search index does not match their rows (`searchIndexesOutOfStep`): not a reason
   * to refuse the backup — the index is made again from the rows, which `restore` does — but worth saying.
   */
  searchIndexesOutOfStep: string[];
}

/**
 * Checks an SQLite backup without changing it: SQLite's integrity check, a schema this build knows (an older one
 * is brought up to date on a temporary copy first, as a restore would), the rows of the main tables, and that the
 * books reconcile (`checkBooks`). Never throws for a damaged file: the damage is the answer.
 */
export async function verifySqliteBackup(file: string): Promise<Verification> {
  const failed = (problem: string): Verification => ({
    ok: false,
    problems: [problem],
    counts: [],
    schema: null,
    searchIndexesOutOfStep: [],
  });
  let integrity: string[];
  try {
    const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const rows = sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
      integrity = rows.map((row) => row.integrity_check);
      const migrationTable = sqlite
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`)
        .get();
      if (!migrationTable) return failed('It is an SQLite file, but not a Portico database (no migrations table).');
    } finally {
      sqlite.close();
    }
  } catch (error) {
    return failed(`It cannot be read as an SQLite database: ${messageOf(error)}.`);
  }
  if (integrity.length !== 1 || integrity[0] !== 'ok') {
    return failed(`SQLite's integrity check failed: ${integrity.slice(0, 5).join('; ')}.`);
  }

  // Read through a copy: the checks may need to migrate an older schema, and the backup itself stays untouched.
  const workDir = mkdtempSync(path.join(tmpdir(), 'portico-verify-'));
  let db: Db | null = null;
  try {
    const copy = path.join(workDir, 'backup.sqlite');
    copyFileSync(file, copy);
    db = openDatabase(`sqlite:${copy}`);
    const schema = await schemaVersionOf(db.kysely);
    if (schema.unknown.length > 0) {
      return {
        ...failed(
          `It was made by a newer Portico (migrations this version does not know: ${schema.unknown.join(', ')}); verify and restore it with that version or a later one.`,
        ),
        schema,
      };
    }
    if (schema.missing.length > 0) await migrateToLatest(db);
    const counts = await countRows(db.kysely);
    const problems = (await checkBooks(db.kysely)).map((problem) => `The books do not reconcile: ${problem}.`);
    const searchIndexes = await searchIndexesOutOfStep(db.kysely);
    return { ok: problems.length === 0, problems, counts, schema, searchIndexesOutOfStep: searchIndexes };
  } catch (error) {
    return failed(`It could not be read as a Portico database: ${messageOf(error)}.`);
  } finally {
    await db?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Replaces the content of the SQLite database `targetFile` with the backup's, through the backup API: one
 * transaction on the target, so an interrupted restore leaves the target as it was.
 */
export async function restoreSqlite(backupFile: string, targetFile: string): Promise<void> {
  mkdirSync(path.dirname(targetFile), { recursive: true });
  const backup = new SQLite(backupFile, { readonly: true, fileMustExist: true });
  try {
    await backup.backup(targetFile, { progress: allInOneStep });
  } finally {
    backup.close();
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
