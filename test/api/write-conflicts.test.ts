/**
 * A write conflict the database itself reports — a real PostgreSQL deadlock (40P01), a real SQLite lock held past
 * the busy timeout (SQLITE_BUSY) — reaches the client as 503 `busy` with Retry-After: the transaction was rolled
 * back, nothing changed, and the same request a moment later goes through. Never a 500.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { errorHandler } from '../../src/http/problem.js';
import { freshDatabase, type TestDatabase, testDialect } from '../support/database.js';

/** PostgreSQL: two transactions lock two rows in opposite orders; the server picks one and fails it with 40P01. */
async function postgresDeadlock(url: string): Promise<unknown> {
  const [a, b] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
  await Promise.all([a.connect(), b.connect()]);
  try {
    await a.query('create table if not exists conflict_rows (id int primary key, n int)');
    await a.query('insert into conflict_rows values (1, 0), (2, 0) on conflict do nothing');
    await a.query('begin');
    await b.query('begin');
    await a.query('update conflict_rows set n = n + 1 where id = 1');
    await b.query('update conflict_rows set n = n + 1 where id = 2');
    const outcomes = await Promise.allSettled([
      a.query('update conflict_rows set n = n + 1 where id = 2'),
      b.query('update conflict_rows set n = n + 1 where id = 1'),
    ]);
    await Promise.all([a.query('rollback'), b.query('rollback')]);
    const failed = outcomes.find((o) => o.status === 'rejected');
    assert.ok(failed, 'one of the two transactions was chosen as the deadlock victim');
    return failed.reason;
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
}

/** SQLite: one connection holds the write lock; another that waits longer than its busy timeout gets SQLITE_BUSY. */
function sqliteBusy(file: string): unknown {
  const holder = new SQLite(file);
  const waiter = new SQLite(file, { timeout: 50 });
  try {
    holder.exec('begin immediate');
    try {
      waiter.exec('begin immediate');
    } catch (error) {
      return error;
    } finally {
      holder.exec('rollback');
    }
    assert.fail('the second writer was let in while the first held the lock');
  } finally {
    holder.close();
    waiter.close();
  }
}

describe('write conflicts answer 503 busy', () => {
  let database: TestDatabase;
  before(async () => {
    database = await freshDatabase();
  });
  after(() => database.drop());

  test(`a real ${testDialect === 'postgres' ? 'deadlock' : 'busy lock'} is 503 with Retry-After, not 500`, async () => {
    const conflict =
      testDialect === 'postgres'
        ? await postgresDeadlock(database.url)
        : sqliteBusy(path.join(database.dataDir, 'test.sqlite'));
    assert.equal((conflict as { code?: string }).code, testDialect === 'postgres' ? '40P01' : 'SQLITE_BUSY');

    const app = Fastify({ logger: false });
    app.setErrorHandler(errorHandler);
    app.post('/write', async () => {
      throw conflict;
    });
    const answer = await app.inject({ method: 'POST', url: '/write' });
    await app.close();
    assert.equal(answer.statusCode, 503);
    assert.equal(answer.headers['retry-after'], '1');
    assert.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8');
    const body = answer.json() as { code: string; detail: string };
    assert.equal(body.code, 'busy');
    assert.match(body.detail, /Nothing was changed; try again/);
  });
});
