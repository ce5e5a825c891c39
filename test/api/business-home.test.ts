import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCustomer, createInvoice, recordPayment } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';
import { GOOD_CARD, pay as payOnline, payWorld } from '../support/pay.js';

/**
 * The business's Home figures (GET /api/v1/home) against a known history; today is 2026-03-15, organization in UTC,
 * base currency USD.
 * - USD customer: INV 10,000 due 2026-02-09 (overdue); INV 8,000 due 2026-03-31 with 3,000 paid on 2026-03-12;
 *   INV 4,000 due 2026-03-14 (past due, not yet marked by the nightly job); INV 1,000 due today (not overdue);
 *   INV 2,000 paid on 2026-02-20; a draft (9,999) and a void one (7,000) never counted; INV 1,500 of 2025-04-01
 *   paid 2025-04-10 (the chart's first month) and INV 900 of 2025-03-31 paid then (outside the chart).
 * - EUR customer: INV 50,000 due 2026-04-01 with 20,000 paid on 2026-03-10.
 * - Estimates: USD 2,500 sent without expiry, USD 2,500 sent expiring 2026-03-20, USD 2,500 sent but past its
 *   expiry, a draft, one converted to an invoice; EUR 7,000 sent.
 * - Another organization's invoice and payment: never counted.
 */
describe('business home figures', () => {
  let harness: Harness;
  let owner: Actor;
  let other: Actor;

  const post = async (actor: Actor, url: string, payload: object = {}) => {
    const response = await actor.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const pay = async (actor: Actor, payload: Record<string, unknown>) => {
    const response = await recordPayment(actor, payload);
    assert.equal(response.statusCode, 201, response.body);
  };
  const estimate = async (customerId: string, rate: number, extra: object = {}) => {
    const { id } = await post(owner, '/api/v1/estimates', {
      customerId,
      issueDate: '2026-03-01',
      lines: [{ name: 'Proposal', quantity: '1', rate }],
      ...extra,
    });
    return id as string;
  };
  const home = async (actor: Actor) => {
    const response = await actor.request({ method: 'GET', url: '/api/v1/home' });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Acme Design' });
    const usd = await createCustomer(owner, { displayName: 'Dollar client', currency: 'USD' });
    const eur = await createCustomer(owner, { displayName: 'Euro client', currency: 'EUR' });
    const invoice = (
      customerId: string,
      total: number,
      issueDate: string,
      dueDate: string,
      status?: 'draft' | 'void',
    ) => createInvoice(harness, owner, { customerId, total, issueDate, dueDate, ...(status ? { status } : {}) });

    await invoice(usd, 10000, '2026-01-10', '2026-02-09');
    const partial = await invoice(usd, 8000, '2026-03-01', '2026-03-31');
    await pay(owner, {
      customerId: usd,
      date: '2026-03-12',
      amount: 3000,
      allocations: [{ invoiceId: partial.id, amount: 3000 }],
    });
    await invoice(usd, 4000, '2026-02-01', '2026-03-14');
    await invoice(usd, 1000, '2026-03-15', '2026-03-15');
    const paid = await invoice(usd, 2000, '2026-02-01', '2026-02-15');
    await pay(owner, {
      customerId: usd,
      date: '2026-02-20',
      amount: 2000,
      allocations: [{ invoiceId: paid.id, amount: 2000 }],
    });
    await invoice(usd, 9999, '2026-03-02', '2026-04-01', 'draft');
    await invoice(usd, 7000, '2026-02-10', '2026-03-12', 'void');
    const yearOld = await invoice(usd, 1500, '2025-04-01', '2025-05-01');
    await pay(owner, {
      customerId: usd,
      date: '2025-04-10',
      amount: 1500,
      allocations: [{ invoiceId: yearOld.id, amount: 1500 }],
    });
    const older = await invoice(usd, 900, '2025-03-31', '2025-04-30');
    await pay(owner, {
      customerId: usd,
      date: '2025-03-31',
      amount: 900,
      allocations: [{ invoiceId: older.id, amount: 900 }],
    });
    const euros = await invoice(eur, 50000, '2026-03-02', '2026-04-01');
    await pay(owner, {
      customerId: eur,
      date: '2026-03-10',
      amount: 20000,
      allocations: [{ invoiceId: euros.id, amount: 20000 }],
    });

    await post(owner, `/api/v1/estimates/${await estimate(usd, 2500, { expiryDate: null })}/send`);
    await post(owner, `/api/v1/estimates/${await estimate(usd, 2500, { expiryDate: '2026-03-20' })}/send`);
    const lapsed = await estimate(usd, 2500, { expiryDate: '2026-03-20' });
    await post(owner, `/api/v1/estimates/${lapsed}/send`);
    // Past its expiry date, before the nightly job marks it expired.
    await harness.ctx.db.kysely
      .updateTable('estimates')
      .set({ expiryDate: '2026-03-10' })
      .where('id', '=', lapsed)
      .execute();
    await estimate(usd, 2500);
    const converted = await estimate(usd, 2500, { expiryDate: null });
    await post(owner, `/api/v1/estimates/${converted}/send`);
    await post(owner, `/api/v1/estimates/${converted}/convert`);
    await post(owner, `/api/v1/estimates/${await estimate(eur, 7000, { expiryDate: null })}/send`);

    other = await createOrgAndSignIn(harness, { baseCurrency: 'GBP' });
    const elsewhere = await createCustomer(other, { displayName: 'Elsewhere', currency: 'USD' });
    const theirs = await createInvoice(harness, other, {
      customerId: elsewhere,
      total: 4242,
      issueDate: '2026-03-01',
      dueDate: '2026-03-02',
    });
    await pay(other, {
      customerId: elsewhere,
      date: '2026-03-05',
      amount: 42,
      allocations: [{ invoiceId: theirs.id, amount: 42 }],
    });
  });
  after(() => harness.close());

  test('the figures of a known history, per currency', async () => {
    const figures = await home(owner);
    assert.equal(figures.currency, 'USD');
    assert.equal(figures.today, '2026-03-15');
    // 10,000 + 5,000 + 4,000 + 1,000, and the converted estimate's invoice (2,500, a draft) is not sent.
    assert.deepEqual(figures.outstandingInvoices, {
      count: 5,
      totals: [
        { currency: 'EUR', amount: 30000 },
        { currency: 'USD', amount: 20000 },
      ],
    });
    assert.deepEqual(figures.overdueInvoices, { count: 2, totals: [{ currency: 'USD', amount: 14000 }] });
    assert.deepEqual(figures.collectedThisMonth, [
      { currency: 'EUR', amount: 20000 },
      { currency: 'USD', amount: 3000 },
    ]);
    assert.deepEqual(figures.estimatesAwaiting, {
      count: 3,
      totals: [
        { currency: 'EUR', amount: 7000 },
        { currency: 'USD', amount: 5000 },
      ],
    });
  });

  test('the 12-month chart: invoiced by issue date, collected by payment date, drafts and void invoices aside', async () => {
    const { chart } = await home(owner);
    assert.deepEqual(
      chart.map((c: { currency: string }) => c.currency),
      ['USD', 'EUR'],
      'the base currency first',
    );
    const [usd, eur] = chart;
    assert.equal(usd.months.length, 12);
    assert.equal(usd.months[0].month, '2025-04');
    assert.equal(usd.months[11].month, '2026-03');
    const nonZero = (months: Array<{ month: string; invoiced: number; collected: number }>) =>
      months.filter((m) => m.invoiced !== 0 || m.collected !== 0);
    assert.deepEqual(nonZero(usd.months), [
      { month: '2025-04', invoiced: 1500, collected: 1500 },
      { month: '2026-01', invoiced: 10000, collected: 0 },
      { month: '2026-02', invoiced: 6000, collected: 2000 },
      { month: '2026-03', invoiced: 9000, collected: 3000 },
    ]);
    assert.deepEqual(nonZero(eur.months), [{ month: '2026-03', invoiced: 50000, collected: 20000 }]);
  });

  test('the figures follow the books: a payment today moves owed, overdue and collected', async () => {
    const before = await home(owner);
    const overdue = await harness.ctx.db.kysely
      .selectFrom('invoices')
      .select(['id', 'customerId'])
      .where('organizationId', '=', owner.organizationId)
      .where('total', '=', 4000)
      .executeTakeFirstOrThrow();
    await pay(owner, {
      customerId: overdue.customerId,
      date: '2026-03-15',
      amount: 4000,
      allocations: [{ invoiceId: overdue.id, amount: 4000 }],
    });
    const after = await home(owner);
    assert.deepEqual(after.outstandingInvoices.totals, [
      { currency: 'EUR', amount: 30000 },
      { currency: 'USD', amount: 16000 },
    ]);
    assert.equal(after.outstandingInvoices.count, before.outstandingInvoices.count - 1);
    assert.deepEqual(after.overdueInvoices, { count: 1, totals: [{ currency: 'USD', amount: 10000 }] });
    assert.deepEqual(after.collectedThisMonth, [
      { currency: 'EUR', amount: 20000 },
      { currency: 'USD', amount: 7000 },
    ]);
  });

  test('test payments are counted in what was collected, and said apart; recorded payments are real money', async () => {
    assert.deepEqual((await home(owner)).testPaymentsThisMonth, [], 'payments the business recorded');
    const world = await payWorld(harness);
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 2500 });
    const paid = await payOnline(world.client, {
      allocations: [{ invoiceId: invoice.id, amount: 2500 }],
      testCard: GOOD_CARD,
    });
    assert.equal(paid.statusCode, 201, paid.body);
    const figures = await home(world.owner);
    assert.deepEqual(figures.collectedThisMonth, [{ currency: 'USD', amount: 2500 }]);
    assert.deepEqual(figures.testPaymentsThisMonth, [{ currency: 'USD', amount: 2500 }]);
  });

  test('another organization sees only its own figures; a new one has an empty chart in its currency', async () => {
    const theirs = await home(other);
    assert.equal(theirs.currency, 'GBP');
    assert.deepEqual(theirs.outstandingInvoices, { count: 1, totals: [{ currency: 'USD', amount: 4200 }] });
    assert.deepEqual(theirs.overdueInvoices, { count: 1, totals: [{ currency: 'USD', amount: 4200 }] });
    assert.deepEqual(theirs.collectedThisMonth, [{ currency: 'USD', amount: 42 }]);
    assert.deepEqual(theirs.estimatesAwaiting, { count: 0, totals: [] });
    assert.deepEqual(
      theirs.chart.map((c: { currency: string }) => c.currency),
      ['GBP', 'USD'],
    );
    const fresh = await home(await createOrgAndSignIn(harness, { baseCurrency: 'JPY' }));
    assert.deepEqual(fresh.outstandingInvoices, { count: 0, totals: [] });
    assert.deepEqual(fresh.collectedThisMonth, []);
    assert.equal(fresh.chart.length, 1);
    assert.equal(fresh.chart[0].currency, 'JPY');
    assert.ok(
      fresh.chart[0].months.every(
        (m: { invoiced: number; collected: number }) => m.invoiced === 0 && m.collected === 0,
      ),
    );
  });

  test('a staff user sees the same figures; without a session it is 401', async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'staff@acme.example', name: 'Staff', role: 'staff', password: 'violet harbour lantern ninety' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const staff = await signIn(harness, 'staff@acme.example', 'violet harbour lantern ninety', {
      organizationId: owner.organizationId,
      userId: created.json().id,
    });
    assert.deepEqual(await home(staff), await home(owner));
    const anonymous = await harness.app.inject({ method: 'GET', url: '/api/v1/home' });
    assert.equal(anonymous.statusCode, 401);
  });
});
