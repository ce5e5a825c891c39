import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { ReusableReads } from '../../src/db/reusable-reads.js';
import { createInvoice, recordPayment } from '../support/books.js';
import { testDialect } from '../support/database.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import {
  activatedClient,
  CLIENT_PASSWORD,
  customerWithContacts,
  enablePortal,
  type PortalClient,
  portalClient,
} from '../support/portal.js';

/**
 * Reads reused while the data cannot have changed: the portal guard's row by the change token, which moves with
 * every write, from this process or another connection; the dashboard's and lists' answers by the customer's and
 * organization's portal versions (per customer: `portal-reuse.test.ts`, `portal-versions.test.ts`). A reused
 * answer is never one a request made now would not get.
 */
describe('reusable reads', () => {
  let harness: Harness;
  let owner: Actor;
  let client: PortalClient;
  let customerId: string;
  let contactPersonId: string;

  before(async () => {
    // Half a minute before midnight (the organization is in UTC): the day can change without the session's
    // once-a-minute "last seen" write.
    harness = await startHarness({ now: '2026-03-15T23:59:30.000Z' });
    owner = await createOrgAndSignIn(harness, { name: 'Reuse & Co' });
    const slug = await enablePortal(owner);
    const customer = await customerWithContacts(owner, 'Client R', ['r@client.example']);
    customerId = customer.id;
    contactPersonId = customer.contacts['r@client.example'] ?? '';
    client = await activatedClient(harness, owner, slug, customerId, contactPersonId, 'r@client.example');
  });
  after(async () => harness.close());

  const home = async () => {
    const response = await client.request({ method: 'GET', url: '/home' });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  test('the change token: null on PostgreSQL; on SQLite it moves with every write and only with writes', async (t) => {
    const db = harness.ctx.db;
    if (testDialect === 'postgres') {
      assert.equal(db.changeToken(), null);
      return;
    }
    const token = () => db.changeToken();
    const first = token();
    assert.ok(first);
    await db.kysely.selectFrom('organizations').selectAll().execute();
    await sql`select count(*) from invoices`.execute(db.kysely);
    assert.equal(token(), first, 'reads leave the token alone');

    const writes: Array<[string, () => Promise<unknown>]> = [
      ['an update', () => db.kysely.updateTable('organizations').set({ portalBanner: 'x' }).execute()],
      [
        'an update … returning',
        () => db.kysely.updateTable('organizations').set({ portalBanner: 'y' }).returning('id').execute(),
      ],
      ['raw SQL', () => sql`update organizations set portal_banner = 'z'`.execute(db.kysely)],
      [
        'a compiled query',
        () => db.kysely.executeQuery(CompiledQuery.raw("update organizations set portal_banner = 'w'")),
      ],
      [
        'a write inside a transaction',
        () => db.kysely.transaction().execute((trx) => trx.deleteFrom('sessions').where('id', '=', 'none').execute()),
      ],
    ];
    for (const [name, write] of writes) {
      const before = token();
      await write();
      assert.notEqual(token(), before, name);
    }

    await t.test('a commit by another connection to the same file moves it too', async () => {
      const other = openDatabase(harness.database.url);
      try {
        const before = token();
        await other.kysely.updateTable('organizations').set({ portalBanner: null }).execute();
        assert.notEqual(token(), before);
      } finally {
        await other.close();
      }
    });
  });

  test('a read is reused until a write, until it is too old, and concurrent misses share one read', async () => {
    const db = harness.ctx.db;
    const reads = new ReusableReads<number>({ maxEntries: 10, maxAgeMs: 1000 });
    let computed = 0;
    const read = (now: number) => reads.read(db, 'k', now, async () => ++computed);
    const reusable = testDialect === 'sqlite';

    assert.equal(await read(0), 1);
    assert.equal(await read(500), reusable ? 1 : 2, 'reused while nothing changed (SQLite only)');
    await db.kysely.updateTable('organizations').set({ portalBanner: 'changed' }).execute();
    const afterWrite = await read(600);
    assert.equal(afterWrite, computed, 'read afresh after a write');
    const kept = await read(700);
    assert.equal(await read(1700), kept + 1, 'read afresh once a second old');

    const before = computed;
    const together = await Promise.all([read(5000), read(5000), read(5000)]);
    assert.deepEqual(together, reusable ? [before + 1, before + 1, before + 1] : [before + 1, before + 2, before + 3]);

    const bounded = new ReusableReads<number>({ maxEntries: 2 });
    let n = 0;
    for (const key of ['a', 'b', 'c']) await bounded.read(db, key, 0, async () => ++n);
    assert.equal(await bounded.read(db, 'a', 0, async () => ++n), 4, 'the oldest was dropped');
    if (reusable) assert.equal(await bounded.read(db, 'c', 0, async () => ++n), 3, 'the newest was kept');

    // By size: a result over maxEntrySize is never kept; past maxTotalSize the oldest go first.
    const sized = new ReusableReads<string>({
      maxEntries: 100,
      sizeOf: (v) => v.length,
      maxTotalSize: 10,
      maxEntrySize: 6,
    });
    let sizedReads = 0;
    const text = (key: string, value: string) => sized.read(db, key, 0, async () => `${value}${++sizedReads}`);
    await text('big', 'xxxxxxxx');
    assert.equal(await text('big', 'xxxxxxxx'), 'xxxxxxxx2', 'too big to keep: read again');
    const first = await text('p', 'aaaa');
    await text('q', 'bbbb');
    await text('r', 'cccc');
    if (reusable) {
      assert.equal(await text('r', 'cccc'), 'cccc5', 'the newest is kept');
      assert.notEqual(await text('p', 'aaaa'), first, 'the oldest was dropped for room');
    }
  });

  test('the dashboard shows a payment the business records at once, under a clock that does not move', async () => {
    const invoice = await createInvoice(harness, owner, {
      customerId,
      total: 4000,
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
    });
    const before = await home();
    assert.equal(before.outstandingInvoices.count, 1);
    assert.equal(before.lastPayment, null);
    assert.deepEqual(await home(), before, 'the same answer again');

    const paid = await recordPayment(owner, {
      customerId,
      date: '2026-03-15',
      amount: 4000,
      allocations: [{ invoiceId: invoice.id, amount: 4000 }],
    });
    assert.equal(paid.statusCode, 201, paid.body);
    const after = await home();
    assert.equal(after.outstandingInvoices.count, 0);
    assert.equal(after.lastPayment.amount, 4000);

    const list = await client.request({ method: 'GET', url: '/invoices?status=paid' });
    assert.equal(list.json().data.length, 1);
  });

  test('the passing of time alone changes the answer: an estimate past its expiry leaves the dashboard', async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/estimates',
      payload: {
        customerId,
        issueDate: '2026-03-15',
        expiryDate: '2026-03-15',
        lines: [{ name: 'Plan', quantity: '1', rate: 900 }],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const sent = await owner.request({ method: 'POST', url: `/api/v1/estimates/${created.json().id}/mark-sent` });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal((await home()).estimatesAwaiting.count, 1);
    const start = harness.clock.now;
    harness.clock.now = new Date('2026-03-16T00:00:10.000Z');
    try {
      const token = harness.ctx.db.changeToken();
      assert.equal((await home()).estimatesAwaiting.count, 0, 'the day changed');
      assert.equal(harness.ctx.db.changeToken(), token, 'and nothing was written meanwhile');
    } finally {
      harness.clock.now = start;
    }
  });

  test('access is decided on every request: disabling the contact person ends the session at once', async (t) => {
    await home();
    await t.test('from another connection (another Portico process on the same SQLite file)', async () => {
      if (testDialect !== 'sqlite') return;
      const other = openDatabase(harness.database.url);
      try {
        await other.kysely
          .updateTable('contactPersons')
          .set({ portalStatus: 'disabled' })
          .where('id', '=', contactPersonId)
          .execute();
        const refused = await client.request({ method: 'GET', url: '/home' });
        assert.equal(refused.statusCode, 401, refused.body);
        await other.kysely
          .updateTable('contactPersons')
          .set({ portalStatus: 'active' })
          .where('id', '=', contactPersonId)
          .execute();
      } finally {
        await other.close();
      }
    });
    await t.test('through the business API', async () => {
      const fresh = portalClient(harness, client.slug);
      const signedIn = await fresh.request({
        method: 'POST',
        url: '/session',
        payload: { email: 'r@client.example', password: CLIENT_PASSWORD },
      });
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      fresh.keepSessionFrom(signedIn);
      assert.equal((await fresh.request({ method: 'GET', url: '/home' })).statusCode, 200);
      const disabled = await owner.request({
        method: 'POST',
        url: `/api/v1/customers/${customerId}/contact-persons/${contactPersonId}/portal-disable`,
      });
      assert.equal(disabled.statusCode, 200, disabled.body);
      const refused = await fresh.request({ method: 'GET', url: '/home' });
      assert.equal(refused.statusCode, 401, refused.body);
    });
  });
});
