import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.js';
import { backupFileName, backupSqlite, backupTakenAt, sqliteFileOf } from '../db/backups.js';

export interface ScheduledBackup {
  /** The backup taken by this run, or null when the newest one is recent enough (or none is configured). */
  taken: string | null;
  /** The older backups removed to keep BACKUP_KEEP. */
  removed: string[];
}

/**
 * With BACKUP_DIR set (SQLite only): takes a backup when the newest one in the folder is BACKUP_EVERY old (or
 * there is none), then removes the oldest so that BACKUP_KEEP remain. Only files named as Portico names its
 * backups are counted or removed; the time is read from their names, so a restart does not take one early.
 */
export async function runScheduledBackup(ctx: AppContext): Promise<ScheduledBackup> {
  const settings = ctx.config.backups;
  if (settings === null || ctx.db.dialect !== 'sqlite') return { taken: null, removed: [] };
  const now = ctx.now();
  const backups = () =>
    (existsSync(settings.dir) ? readdirSync(settings.dir, { withFileTypes: true }) : [])
      .filter((entry) => entry.isFile() && backupTakenAt(entry.name) !== null)
      .map((entry) => entry.name)
      .sort();
  let taken: string | null = null;
  const newest = backupTakenAt(backups().at(-1) ?? '');
  if (newest === null || now.getTime() - newest.getTime() >= settings.everyMs) {
    taken = path.join(settings.dir, backupFileName(now));
    await backupSqlite(sqliteFileOf(ctx.config.databaseUrl), taken);
  }
  const all = backups();
  const removed = all.slice(0, Math.max(0, all.length - settings.keep));
  for (const name of removed) rmSync(path.join(settings.dir, name), { force: true });
  return { taken, removed };
}
