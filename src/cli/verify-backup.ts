import { existsSync } from 'node:fs';
import { checkBooks, countRows, schemaVersionOf, type Verification, verifySqliteBackup } from '../db/backups.js';
import { openDatabase } from '../db/database.js';
import { searchIndexesOutOfStep } from '../db/text-search.js';
import { CommandError, say } from './runtime.js';

/**
 * `portico verify-backup FILE`: SQLite's integrity check, a schema this version knows (not a newer one), the rows
 * of the main tables, and the books reconcile; exits 1 naming what is wrong. A text-search index out of step with
 * its rows is said, not failed (restore makes it again). Given a PostgreSQL URL instead (a
 * database pg_restore filled), the same checks but SQLite's integrity check.
 */
export async function verifyBackupCommand(target: string): Promise<void> {
  const postgres = /^postgres(ql)?:\/\//.test(target);
  if (!postgres && !existsSync(target)) throw new CommandError(`There is no file at ${target}.`);
  const verification = postgres ? await verifyPostgres(target) : await verifySqliteBackup(target);
  const name = postgres ? 'The database' : target;
  for (const { table, rows } of verification.counts) console.log(`${table.padEnd(22)} ${rows}`);
  if (verification.schema && verification.schema.missing.length > 0) {
    say(`Its schema is older than this version's: restoring applies ${verification.schema.missing.join(', ')}.`);
  }
  if (!verification.ok) {
    throw new CommandError(`${name} is not a usable backup. ${verification.problems.join(' ')}`);
  }
  if (verification.searchIndexesOutOfStep.length > 0) {
    say(
      `The text search's index of ${verification.searchIndexesOutOfStep.join(', ')} does not match the rows (a search would miss some): restore makes it again; on a database in use, run portico rebuild-search.`,
    );
  }
  say(`${name} is a usable backup: the integrity check passed and the books reconcile.`);
}

async function verifyPostgres(url: string): Promise<Verification> {
  const db = openDatabase(url, { poolSize: 1 });
  try {
    const schema = await schemaVersionOf(db.kysely);
    if (schema.unknown.length > 0) {
      return {
        ok: false,
        problems: [
          `It was made by a newer Portico (migrations this version does not know: ${schema.unknown.join(', ')}).`,
        ],
        counts: [],
        schema,
        searchIndexesOutOfStep: [],
      };
    }
    if (schema.missing.length > 0) {
      // The books are checked against this version's schema; `portico migrate` brings a restored database there.
      return {
        ok: false,
        problems: [
          `Its schema is older than this version's: run portico migrate on it first (${schema.missing.join(', ')}).`,
        ],
        counts: [],
        schema,
        searchIndexesOutOfStep: [],
      };
    }
    const problems = (await checkBooks(db.kysely)).map((problem) => `The books do not reconcile: ${problem}.`);
    return {
      ok: problems.length === 0,
      problems,
      counts: await countRows(db.kysely),
      schema,
      searchIndexesOutOfStep: await searchIndexesOutOfStep(db.kysely),
    };
  } finally {
    await db.close();
  }
}
