import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
 * A new, empty database of the test dialect (no migrations: for commands that migrate it themselves), its URL in
 * `dataDir` for SQLite or a new database on TEST_DATABASE_URL's server, and how to drop it.
 */
export async function emptyDatabase(dataDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDialect === 'sqlite') return { url: `sqlite:${path.join(dataDir, 'test.sqlite')}`, drop: async () => {} };
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (npm test starts a server and sets it).');
  const name = `portico_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
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

/** A brand-new, migrated database for one test file. */
export async function freshDatabase(options: Pick<OpenOptions, 'onQuery'> = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'portico-test-'));
  const empty = await emptyDatabase(dataDir);
  const db = openDatabase(empty.url, options);
  await migrateToLatest(db);
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
