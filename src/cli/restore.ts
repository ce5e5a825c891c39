import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../config.js';
import { restoreSqlite, sqliteFileOf, verifySqliteBackup } from '../db/backups.js';
import { dialectOf } from '../db/database.js';
import { rebuildTextSearch } from '../db/migrations/0025_text_search.js';
import { CommandError, openRuntime, say } from './runtime.js';

/**
 * `portico restore FILE [--force]`: verifies the backup, then copies it into the configured SQLite database in one
 * transaction, brings its schema up to date (a backup of an older version is migrated) and makes a text-search
 * index that no longer matches its rows again (`searchIndexesOutOfStep`). Refuses a database that holds any
 * organization unless --force. Stop every Portico process using the database first (docs/backups.md).
 * PostgreSQL is restored with pg_restore.
 */
export async function restoreCommand(options: { file: string; force: boolean }): Promise<void> {
  const config = loadConfig();
  if (dialectOf(config.databaseUrl) !== 'sqlite') {
    throw new CommandError(
      'On PostgreSQL, restore with pg_restore into an empty database, then run portico verify-backup "$DATABASE_URL" (docs/backups.md).',
    );
  }
  if (!existsSync(options.file)) throw new CommandError(`There is no file at ${options.file}.`);
  const verification = await verifySqliteBackup(options.file);
  if (!verification.ok) {
    throw new CommandError(
      `Nothing was restored: ${options.file} is not a usable backup. ${verification.problems.join(' ')}`,
    );
  }
  const target = sqliteFileOf(config.databaseUrl);
  const organizations = organizationsIn(target);
  if (organizations > 0 && !options.force) {
    throw new CommandError(
      `Nothing was restored: the database at ${target} holds ${organizations} organization(s), which the backup would replace. Stop Portico, back it up if it matters, and run restore again with --force.`,
    );
  }
  await restoreSqlite(options.file, target);
  const runtime = await openRuntime(config);
  const outOfStep = verification.searchIndexesOutOfStep;
  try {
    if (outOfStep.length > 0) await rebuildTextSearch(runtime.ctx.db.kysely, outOfStep);
  } finally {
    await runtime.close();
  }
  const counted = verification.counts.map(({ table, rows }) => `${rows} ${table.replaceAll('_', ' ')}`).join(', ');
  say(`Restored ${options.file} into ${target}: ${counted}.`);
  if (runtime.applied.length > 0) say(`Brought its schema up to date: ${runtime.applied.join(', ')}.`);
  if (outOfStep.length > 0) say(`Made the text search's index of ${outOfStep.join(', ')} again from the rows.`);
}

/** How many organizations the database at `file` holds (0 when there is no file or no schema yet). */
function organizationsIn(file: string): number {
  if (!existsSync(file)) return 0;
  const sqlite = new SQLite(file, { fileMustExist: true });
  try {
    const table = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'organizations'`).get();
    if (!table) return 0;
    return Number(sqlite.prepare('SELECT count(*) FROM organizations').pluck().get());
  } finally {
    sqlite.close();
  }
}
