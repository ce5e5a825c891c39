import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Db, type OpenOptions, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/**
 * Which database the API tests run on: `TEST_DB=sqlite` (default) or `TEST_DB=postgres` with
 * `TEST_DATABASE_URL` naming a server the tests may create databases on (scripts/test.ts provides one).
 */
export const testDialect = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  db: Db;
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database of the test dialect (no migrations: for commands that migrate it themselves; `migrated`:
 * a copy of the migrated template), its URL in `dataDir` for SQLite or a new database on TEST_DATABASE_URL's
 * server, and how to drop it.
 */
export async function emptyDatabase(
  dataDir: string,
  migrated = false,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDialect === 'sqlite') {
    const file = path.join(dataDir, 'test.sqlite');
    if (migrated) copyFileSync(await sqliteTemplate(), file);
    return { url: `sqlite:${file}`, drop: async () => {} };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (npm test starts a server and sets it).');
  const name = `portico_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const template = migrated ? ` template ${await postgresTemplate(admin, adminUrl)}` : '';
    await admin.query(`create database ${name}${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * Migrating a database takes ≈ 0.3 s on SQLite and ≈ 0.7 s on PostgreSQL, and a run makes a few hundred: a fresh
 * database is instead a copy of a template migrated once, named by a hash of the migration files' text (so a
 * changed or added migration makes a new template, never a stale copy).
 */
const MIGRATIONS_DIR = path.join(import.meta.dirname, '..', '..', 'src', 'db', 'migrations');
const migrationsHash = createHash('sha256')
  .update(
    readdirSync(MIGRATIONS_DIR)
      .sort()
      .map((file) => `${file}\n${readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8')}`)
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 16);

/** The migrated SQLite template file, made once per set of migrations (atomically: made aside, then renamed). */
async function sqliteTemplate(): Promise<string> {
  const template = path.join(tmpdir(), `portico-template-${migrationsHash}.sqlite`);
  if (existsSync(template)) return template;
  const making = `${template}.${randomBytes(6).toString('hex')}`;
  const db = openDatabase(`sqlite:${making}`);
  await migrateToLatest(db);
  await db.close();
  renameSync(making, template);
  return template;
}

/** The migrated PostgreSQL template database on the test server, made once under an advisory lock. */
async function postgresTemplate(admin: pg.Client, adminUrl: string): Promise<string> {
  const template = `portico_template_${migrationsHash}`;
  await admin.query('select pg_advisory_lock(7001)');
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [template]);
    if (found.rowCount === 0) {
      // Made under another name and renamed once migrated, so a run stopped halfway leaves no half template.
      const making = `portico_making_${randomBytes(6).toString('hex')}`;
      await admin.query(`create database ${making}`);
      const url = new URL(adminUrl);
      url.pathname = `/${making}`;
      const db = openDatabase(url.toString());
      await migrateToLatest(db);
      await db.close();
      await admin.query(`alter database ${making} rename to ${template}`);
    }
  } finally {
    await admin.query('select pg_advisory_unlock(7001)');
  }
  return template;
}

/** A brand-new, migrated database for one test file (a copy of the migrated template). */
export async function freshDatabase(options: Pick<OpenOptions, 'onQuery'> = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'portico-test-'));
  const empty = await emptyDatabase(dataDir, true);
  const db = openDatabase(empty.url, options);
  return {
    db,
    url: empty.url,
    dataDir,
    drop: async () => {
      await db.close();
      await empty.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A TCP port free on the loopback interface now, for a server a test starts in a child process. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
