import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type Placeholders, prepared } from '../../src/db/database.js';
import { freshDatabase, type TestDatabase, testDialect } from '../support/database.js';

/** `prepared` keeps the compiled SQL text of a query shape, never its results. */
describe('prepared queries', () => {
  let first: TestDatabase;
  let second: TestDatabase;
  const insert = (database: TestDatabase, id: string, slug: string, portalEnabled: 0 | 1) =>
    database.db.kysely
      .insertInto('organizations')
      .values({
        id,
        name: `Org ${slug}`,
        slug,
        portalEnabled,
        baseCurrency: 'USD',
        timeZone: 'UTC',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      } as never)
      .execute();

  before(async () => {
    first = await freshDatabase();
    second = await freshDatabase();
  });
  after(async () => {
    await first.drop();
    await second.drop();
  });

  const bySlug = prepared((db, args: Placeholders<{ slug: string }>, shape: 'any' | 'enabled') =>
    db
      .selectFrom('organizations')
      .select(['id', 'portalEnabled'])
      .where('slug', '=', args.slug)
      .$if(shape === 'enabled', (q) => q.where('portalEnabled', '=', 1)),
  );

  test('arguments are bound on every call, shapes are compiled apart, rows come back in camelCase', async () => {
    await insert(first, 'org_a', 'alpha', 1);
    await insert(first, 'org_b', 'beta', 0);
    assert.deepEqual(await bySlug(first.db, { slug: 'alpha' }, 'any'), [{ id: 'org_a', portalEnabled: 1 }]);
    assert.deepEqual(await bySlug(first.db, { slug: 'beta' }, 'any'), [{ id: 'org_b', portalEnabled: 0 }]);
    assert.deepEqual(await bySlug(first.db, { slug: 'beta' }, 'enabled'), []);
    assert.deepEqual(await bySlug(first.db, { slug: 'alpha' }, 'enabled'), [{ id: 'org_a', portalEnabled: 1 }]);
  });

  test('a change is seen by the very next call, and each database answers for itself', async () => {
    await first.db.kysely.updateTable('organizations').set({ portalEnabled: 0 }).where('id', '=', 'org_a').execute();
    assert.deepEqual(await bySlug(first.db, { slug: 'alpha' }, 'enabled'), []);
    assert.deepEqual(await bySlug(second.db, { slug: 'alpha' }, 'any'), []);
    await insert(second, 'org_c', 'alpha', 1);
    assert.deepEqual(await bySlug(second.db, { slug: 'alpha' }, 'enabled'), [{ id: 'org_c', portalEnabled: 1 }]);
  });

  test('a missing argument is an error, not a placeholder sent to the database', async () => {
    await assert.rejects(bySlug(first.db, {} as { slug: string }, 'any'), /no value for "slug"/);
    const inText = prepared((db, args: Placeholders<{ name: string }>) =>
      db.selectFrom('organizations').select('id').where('name', 'like', `%${args.name}%`),
    );
    await assert.rejects(inText(first.db, { name: 'Org' }), /other than as a whole parameter value/);
  });

  test('on PostgreSQL a connection parses and plans the query once: it is a named prepared statement', async (t) => {
    if (testDialect === 'sqlite') {
      // SQLite keeps every statement compiled already (the statement cache): there is nothing to name.
      t.skip('PostgreSQL only: SQLite has no named prepared statements');
      return;
    }
    // One connection, so that the catalogue of prepared statements read below is the one the queries used.
    const single = openDatabase(first.url, { poolSize: 1 });
    try {
      for (let i = 0; i < 3; i++) await bySlug(single, { slug: 'alpha' }, 'any');
      const named = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements where name like 'portico_%'`.execute(single.kysely);
      assert.equal(named.rows.length, 1, JSON.stringify(named.rows));
      assert.match(named.rows[0]?.statement ?? '', /from "organizations"/);
    } finally {
      await single.close();
    }
  });

  test("a prepared read never sees another request's transaction before it commits", async () => {
    const events: string[] = [];
    const writing = first.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('organizations')
        .values({
          id: 'org_t',
          name: 'Org gamma',
          slug: 'gamma',
          portalEnabled: 1,
          baseCurrency: 'USD',
          timeZone: 'UTC',
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        } as never)
        .execute();
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push('committing');
    });
    // Fired while the transaction is open: SQLite's one connection waits for it to end; PostgreSQL reads
    // committed rows only.
    const reading = bySlug(first.db, { slug: 'gamma' }, 'any').then((rows) => {
      events.push(rows.length === 0 ? 'read nothing' : 'read the row');
    });
    await Promise.all([writing, reading]);
    if (testDialect === 'sqlite') assert.deepEqual(events, ['committing', 'read the row']);
    else assert.deepEqual(events, ['read nothing', 'committing']);
  });
});
