import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CompiledQuery } from 'kysely';
import { buildApp } from '../../src/app/app.js';
import type { AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { createInvoice, recordPayment } from '../support/books.js';
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
 * Portal answers are reused per customer: one customer's activity leaves every other customer's kept answers in
 * place, while the customer concerned sees the change on the next request — from this instance or another on the
 * same database. The clock stays within one day (the day is part of the key), so an answer read again is read
 * because it may have changed, never because it aged. Reuse is proven by the statements the request ran: a reused answer reads no document.
 */
describe('portal answers reused per customer', () => {
  const statements: string[] = [];
  const otherStatements: string[] = [];
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let clientA: PortalClient;
  let clientB: PortalClient;
  let customerA: string;
  let invoiceA: string;
  let invoiceB: string;
  let secondSessionB: PortalClient;

  const NOW = new Date('2026-03-15T10:00:00.000Z');

  before(async () => {
    harness = await startHarness({
      now: '2026-03-15T09:58:00.000Z',
      onQuery: (query: CompiledQuery) => {
        statements.push(query.sql);
      },
    });
    owner = await createOrgAndSignIn(harness, { name: 'Reuse per customer' });
    slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    customerA = a.id;
    const personB = b.contacts['b@client.example'] ?? '';
    clientA = await activatedClient(
      harness,
      owner,
      slug,
      a.id,
      a.contacts['a@client.example'] ?? '',
      'a@client.example',
    );
    clientB = await activatedClient(harness, owner, slug, b.id, personB, 'b@client.example');
    // A second session of B's contact person, opened two minutes before the tests: its first request touches it.
    secondSessionB = portalClient(harness, slug);
    const signedIn = await secondSessionB.request({
      method: 'POST',
      url: '/session',
      payload: { email: 'b@client.example', password: CLIENT_PASSWORD },
    });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    secondSessionB.keepSessionFrom(signedIn);
    invoiceA = (await createInvoice(harness, owner, { customerId: a.id, total: 4000 })).id;
    invoiceB = (await createInvoice(harness, owner, { customerId: b.id, total: 2500 })).id;
    harness.clock.now = NOW;
  });
  after(async () => harness.close());

  /**
   * The portal URLs whose answers are reused, for a customer's own invoice. The invoice first: its first open
   * records the view, a change to the customer's portal that the other answers would then be read again for.
   */
  const urls = (invoiceId: string) => [
    `/invoices/${invoiceId}`,
    '/home',
    '/invoices',
    '/invoices?status=unpaid',
    '/estimates',
  ];

  /** The answer, and whether the request read any of the customer's data (rather than reusing a kept answer). */
  async function get(client: PortalClient, url: string, log = statements) {
    const from = log.length;
    const response = await client.request({ method: 'GET', url });
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    const ran = log.slice(from);
    const readData = ran.some(
      (sql) => /"(invoices|estimates|customer_payments|contact_persons)"/.test(sql) && !/"sessions" as "s"/.test(sql),
    );
    return { body: response.json(), readData, ran };
  }

  test("a write to customer A leaves B's answers reused; A sees the change at once", async () => {
    const keptB = new Map<string, unknown>();
    for (const url of urls(invoiceB)) {
      const first = await get(clientB, url);
      assert.ok(first.readData, `${url}: read the first time`);
      if (url.startsWith('/invoices/')) {
        // The first open recorded the view, a change to B's invoice: the next open reads it again, once.
        assert.ok((await get(clientB, url)).readData, `${url}: read again after the first view`);
      }
      const again = await get(clientB, url);
      assert.equal(again.readData, false, `${url}: reused while nothing changed`);
      assert.deepEqual(again.body, first.body);
      keptB.set(url, first.body);
    }
    for (const url of urls(invoiceA)) await get(clientA, url);
    const homeA = await get(clientA, '/home');
    assert.equal(homeA.readData, false);
    assert.equal(homeA.body.lastPayment, null);

    const paid = await recordPayment(owner, {
      customerId: customerA,
      amount: 4000,
      allocations: [{ invoiceId: invoiceA, amount: 4000 }],
    });
    assert.equal(paid.statusCode, 201, paid.body);

    for (const url of urls(invoiceB)) {
      const after = await get(clientB, url);
      assert.equal(after.readData, false, `${url}: B's answer is still reused after A's payment`);
      assert.deepEqual(after.body, keptB.get(url));
    }
    const afterA = await get(clientA, '/home');
    assert.ok(afterA.readData, "A's dashboard is read again");
    assert.equal(afterA.body.lastPayment.amount, 4000);
    assert.equal(afterA.body.outstandingInvoices.count, 0);
    const listA = await get(clientA, '/invoices');
    assert.equal(listA.body.data.find((i: { id: string }) => i.id === invoiceA).status, 'paid');
    const detailA = await get(clientA, `/invoices/${invoiceA}`);
    assert.equal(detailA.body.balance, 0);
    assert.equal(detailA.body.payments.length, 1);
  });

  test('the invoice detail records the first view, and is reused after it', async () => {
    const viewedAt = async () =>
      (
        await harness.ctx.db.kysely
          .selectFrom('invoices')
          .select('viewedAt')
          .where('id', '=', invoiceB)
          .executeTakeFirstOrThrow()
      ).viewedAt;
    // Opened in the test above, once: the view was recorded then.
    assert.equal(await viewedAt(), NOW.toISOString());
    assert.equal((await get(clientB, `/invoices/${invoiceB}`)).readData, false);
  });

  test("an organization-wide change reaches every customer's next answer", async () => {
    const response = await owner.request({
      method: 'PATCH',
      url: '/api/v1/portal-settings',
      payload: { banner: 'Closed on Friday' },
    });
    assert.equal(response.statusCode, 200, response.body);
    for (const client of [clientA, clientB]) {
      const home = await get(client, '/home');
      assert.ok(home.readData);
      assert.equal(home.body.banner, 'Closed on Friday');
    }
  });

  test('a session touch leaves the answers reused', async () => {
    const kept = await get(clientB, '/home');
    assert.equal(kept.readData, false);
    // The second session was last seen two minutes ago: this request writes its "last seen".
    const touched = await get(secondSessionB, '/home');
    assert.ok(
      touched.ran.some((sql) => /^update "sessions"/i.test(sql)),
      'the session was touched',
    );
    assert.equal(touched.readData, false, 'and the answer was reused');
    assert.deepEqual(touched.body, kept.body);
    assert.equal((await get(clientB, '/home')).readData, false);
  });

  test('within the day, the passing of time alone leaves the answers reused', async () => {
    const kept = await get(clientB, '/home');
    assert.equal(kept.readData, false);
    // The day is part of the key (reusable-reads.test.ts: the next day's answer is read afresh).
    harness.clock.now = new Date(NOW.getTime() + 50_000);
    try {
      const later = await get(clientB, '/home');
      assert.equal(later.readData, false);
      assert.deepEqual(later.body, kept.body);
    } finally {
      harness.clock.now = NOW;
    }
  });

  test('two instances on one database: a write through one is seen through the other at once', async () => {
    const db = openDatabase(harness.database.url, {
      onQuery: (query) => {
        otherStatements.push(query.sql);
      },
    });
    const ctx: AppContext = { config: harness.ctx.config, db, now: () => harness.clock.now };
    let app: FastifyInstance | undefined;
    try {
      app = await buildApp(ctx);
      await app.ready();
      const through = (client: PortalClient) => {
        const other = portalClient({ ...harness, app } as Harness, slug);
        other.cookie = client.cookie;
        other.csrfToken = client.csrfToken;
        return other;
      };
      const otherA = through(clientA);
      const otherB = through(clientB);
      for (const url of urls(invoiceB)) await get(otherB, url, otherStatements);
      for (const url of urls(invoiceA)) await get(otherA, url, otherStatements);
      const keptB = await get(otherB, '/home', otherStatements);
      assert.equal(keptB.readData, false, keptB.ran.join('\n'));
      const before = await get(otherA, '/home', otherStatements);
      assert.equal(before.readData, false);

      // Through the first instance: a second payment for A (a credit note of sorts: unapplied).
      const paid = await recordPayment(owner, { customerId: customerA, amount: 300 });
      assert.equal(paid.statusCode, 201, paid.body);

      const afterA = await get(otherA, '/home', otherStatements);
      assert.ok(afterA.readData, "the other instance reads A's dashboard again");
      assert.equal(afterA.body.credits.availableCredit, before.body.credits.availableCredit + 300);
      const afterB = await get(otherB, '/home', otherStatements);
      assert.equal(afterB.readData, false, "B's answer stays reused on the other instance");
      assert.deepEqual(afterB.body, keptB.body);
    } finally {
      await app?.close();
      await db.close();
    }
  });
});
