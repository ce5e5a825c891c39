import { type Config, loadConfig } from '../config.js';
import type { AppContext } from '../context.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

/** A command-line mistake: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command that could not finish, for a reason people understand: the CLI prints the message and exits 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export interface Runtime {
  ctx: AppContext;
  /** The migrations this start applied (empty when the database was already up to date). */
  applied: string[];
  close(): Promise<void>;
}

/**
 * The configuration, an open database brought to the latest schema, and the real clock: what every command
 * starts from. Applying migrations first is safe to repeat and saves a separate step on upgrade.
 */
export async function openRuntime(
  config: Config = loadConfig(),
  options: { poolSize?: number } = {},
): Promise<Runtime> {
  const db = openDatabase(config.databaseUrl, options);
  try {
    const applied = await migrateToLatest(db);
    const ctx: AppContext = { config, db, now: () => new Date() };
    return { ctx, applied, close: () => db.close() };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Writes a progress or status line for people; stdout stays for a command's result (`seed --demo --json`). */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}
