/**
 * /healthz says the process answers (liveness); /readyz says it can serve: the database is reachable and has
 * exactly the migrations this build knows. A load balancer sends traffic only to ready instances, so an old
 * instance stops getting it once a newer build migrated the database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/app/app.js';
import { openDatabase } from '../../src/db/database.js';
import { knownMigrations } from '../../src/db/migrate.js';
import { freePort } from '../support/database.js';
import { type Harness, startHarness } from '../support/harness.js';

describe('liveness and readiness', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  const get = (url: string, app = harness.app) => app.inject({ method: 'GET', url });

  const assertNotReady = async (detail: RegExp, app = harness.app) => {
    const response = await get('/readyz', app);
    assert.equal(response.statusCode, 503, response.body);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const body = response.json() as Record<string, unknown>;
    assert.equal(body.type, 'https://portico.dev/problems/not_ready');
    assert.equal(body.title, 'Service unavailable');
    assert.equal(body.status, 503);
    assert.equal(body.code, 'not_ready');
    assert.match(String(body.detail), detail);
  };

  test('a migrated database: live and ready', async () => {
    const live = await get('/healthz');
    assert.equal(live.statusCode, 200);
    assert.deepEqual(live.json(), { status: 'ok' });
    const ready = await get('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready' });
  });

  test('a database migrated by a newer build: not ready, naming the migration; ready again once it is gone', async () => {
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_a_newer_build', '2026-12-01T00:00:00.000Z')`.execute(
      harness.ctx.db.kysely,
    );
    try {
      await assertNotReady(
        /migrated by a newer Portico \(migrations this build does not know: 9999_from_a_newer_build\)/,
      );
      assert.equal((await get('/healthz')).statusCode, 200, 'still live: restarting it would not help');
    } finally {
      await sql`DELETE FROM kysely_migration WHERE name = '9999_from_a_newer_build'`.execute(harness.ctx.db.kysely);
    }
    assert.equal((await get('/readyz')).statusCode, 200);
  });

  test('a database missing one of this build’s migrations: not ready, saying to migrate', async () => {
    const newest = knownMigrations().at(-1) ?? '';
    const row = (
      await sql<{
        name: string;
        timestamp: string;
      }>`SELECT name, timestamp FROM kysely_migration WHERE name = ${newest}`.execute(harness.ctx.db.kysely)
    ).rows[0];
    assert.ok(row);
    await sql`DELETE FROM kysely_migration WHERE name = ${newest}`.execute(harness.ctx.db.kysely);
    try {
      await assertNotReady(new RegExp(`lacks migrations of this build \\(${newest}\\): run portico migrate`));
    } finally {
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${row.name}, ${row.timestamp})`.execute(
        harness.ctx.db.kysely,
      );
    }
    assert.equal((await get('/readyz')).statusCode, 200);
  });

  test('a database that cannot be reached: not ready, still live', async () => {
    // A PostgreSQL server that is down: nothing listens on the port.
    const db = openDatabase(`postgres://portico:portico@127.0.0.1:${await freePort()}/portico`);
    const app = await buildApp({ ...harness.ctx, db });
    try {
      await assertNotReady(/^The database cannot be reached\.$/, app);
      assert.equal((await get('/healthz', app)).statusCode, 200);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
