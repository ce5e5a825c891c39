import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { backupFileName, backupSqlite, sqliteFileOf } from '../db/backups.js';
import { dialectOf } from '../db/database.js';
import { CommandError, say } from './runtime.js';

/**
 * `portico backup [--to FILE]`: a consistent copy of the SQLite database, taken while Portico serves, written under
 * a temporary name and renamed once complete. Prints the backup's path on stdout. PostgreSQL is backed up with
 * pg_dump (docs/backups.md).
 */
export async function backupCommand(options: { to: string | undefined }): Promise<void> {
  const config = loadConfig();
  if (dialectOf(config.databaseUrl) !== 'sqlite') {
    throw new CommandError(
      'On PostgreSQL, back up with pg_dump: pg_dump --format=custom --file=portico.dump "$DATABASE_URL" (docs/backups.md).',
    );
  }
  const source = sqliteFileOf(config.databaseUrl);
  if (!existsSync(source)) throw new CommandError(`There is no database at ${source} to back up.`);
  const target = path.resolve(options.to ?? path.join(config.dataDir, 'backups', backupFileName(new Date())));
  const started = Date.now();
  const { bytes } = await backupSqlite(source, target);
  say(
    `Backed up ${source} (${(bytes / 1024 / 1024).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  console.log(target);
}
