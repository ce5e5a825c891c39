import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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

/** A brand-new, migrated database for one test file. */
export async function freshDatabase(options: Pick<OpenOptions, 'onQuery'> = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'portico-test-'));
  if (testDialect === 'sqlite') {
    const url = `sqlite:${path.join(dataDir, 'test.sqlite')}`;
    const db = openDatabase(url, options);
    await migrateToLatest(db);
    return {
      db,
      url,
      dataDir,
      drop: async () => {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (npm test starts a server and sets it).');
  const name = `portico_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openDatabase(url.toString(), options);
  await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    dataDir,
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
