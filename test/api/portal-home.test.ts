import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createInvoice, createSentRetainer, recordPayment } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

/**
 * The dashboard against a known history (today is 2026-03-15, organization in UTC):
 * - INV overdue 10,000 (due 2026-02-09); INV partial 8,000 − 3,000 paid (due 2026-03-31); INV credited 6,000 −
 *   1,000 of retainer credit (due 2026-04-04); INV paid 2,000 (Feb); a draft and a void one (never counted);
 *   a year-old paid invoice of 1,500 (2025-04-01) and an older one of 900 (2025-03-31, outside the chart).
 * - Payments: 5,000 on 2026-02-20 (2,000 to the paid invoice, 3,000 left as credit); a retainer payment of 5,000 on
 *   2026-03-03 (1,000 of it applied later); 3,000 on 2026-03-12 (the partial payment, the last one).
 * - Retainers: one paid (above), one sent and unpaid (3,000), one draft.
 * - Estimates: sent without expiry, sent expiring 2026-03-20, sent but past its expiry, accepted, draft.
 */
describe('portal: home', () => {
  let harness: Harness;
  let owner: Actor;
  let clientA: PortalClient;
  let clientB: PortalClient;
  let customerA: string;
  const invoices: Record<string, { id: string; number: string }> = {};
  const estimates: Record<string, string> = {};
  let unpaidRetainer: { id: string; number: string };
  let lastPayment: { id: string; number: string };

  const post = async (actor: Actor, url: string, payload: object = {}) => {
    const response = await actor.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const pay = async (payload: Record<string, unknown>) => {
    const response = await recordPayment(owner, payload);
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; number: string };
  };
  const newEstimate = async (extra: object) => {
    const { id } = await post(owner, '/api/v1/estimates', {
      customerId: customerA,
      issueDate: '2026-03-01',
      lines: [{ name: 'Proposal', quantity: '1', rate: 2500 }],
      ...extra,
    });
    return id as string;
  };
  const home = async (client: PortalClient) => {
    const response = await client.request({ method: 'GET', url: '/home' });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Acme Design' });
    const patched = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organization',
      payload: {
        email: 'hello@acme.example',
        phone: '+1 555 0100',
        website: 'https://acme.example',
        address: { street1: '1 Main St', city: 'Springfield' },
      },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const slug = await enablePortal(owner, { banner: 'Closed on Friday' });
    const a = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    customerA = a.id;
    clientA = await activatedClient(
      harness,
      owner,
      slug,
      a.id,
      a.contacts['a@client.example'] ?? '',
      'a@client.example',
    );
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    const invoice = (total: number, issueDate: string, dueDate: string, status?: 'draft' | 'void') =>
      createInvoice(harness, owner, { customerId: a.id, total, issueDate, dueDate, ...(status ? { status } : {}) });
    invoices.overdue = await invoice(10000, '2026-01-10', '2026-02-09');
    invoices.partial = await invoice(8000, '2026-03-01', '2026-03-31');
    invoices.credited = await invoice(6000, '2026-03-05', '2026-04-04');
    invoices.paid = await invoice(2000, '2026-02-01', '2026-02-15');
    invoices.draft = await invoice(9999, '2026-03-02', '2026-04-01', 'draft');
    invoices.voided = await invoice(7000, '2026-02-10', '2026-03-12', 'void');
    invoices.yearOld = await invoice(1500, '2025-04-01', '2025-05-01');
    invoices.older = await invoice(900, '2025-03-31', '2025-04-30');
    await pay({
      customerId: a.id,
      date: '2025-04-10',
      amount: 1500,
      allocations: [{ invoiceId: invoices.yearOld.id, amount: 1500 }],
    });
    await pay({
      customerId: a.id,
      date: '2025-03-31',
      amount: 900,
      allocations: [{ invoiceId: invoices.older.id, amount: 900 }],
    });
    await pay({
      customerId: a.id,
      date: '2026-02-20',
      amount: 5000,
      mode: 'cash',
      allocations: [{ invoiceId: invoices.paid.id, amount: 2000 }],
    });
    const paidRetainer = await createSentRetainer(owner, a.id, 5000);
    const retainerPayment = await pay({
      customerId: a.id,
      date: '2026-03-03',
      amount: 5000,
      retainerInvoiceId: paidRetainer.id,
    });
    await post(owner, `/api/v1/customers/${a.id}/apply-credit`, {
      allocations: [{ invoiceId: invoices.credited.id, amount: 1000, paymentId: retainerPayment.id }],
    });
    lastPayment = await pay({
      customerId: a.id,
      date: '2026-03-12',
      amount: 3000,
      reference: 'TRF-9',
      allocations: [{ invoiceId: invoices.partial.id, amount: 3000 }],
    });
    unpaidRetainer = await createSentRetainer(owner, a.id, 3000);
    await post(owner, '/api/v1/retainer-invoices', {
      customerId: a.id,
      lines: [{ description: 'Draft', amount: 800 }],
    });

    estimates.open = await newEstimate({ expiryDate: null });
    await post(owner, `/api/v1/estimates/${estimates.open}/send`);
    estimates.expiring = await newEstimate({ issueDate: '2026-03-02', expiryDate: '2026-03-20' });
    await post(owner, `/api/v1/estimates/${estimates.expiring}/send`);
    estimates.lapsed = await newEstimate({ expiryDate: '2026-03-20' });
    await post(owner, `/api/v1/estimates/${estimates.lapsed}/send`);
    // Past its expiry date, before the nightly job marks it expired.
    await harness.ctx.db.kysely
      .updateTable('estimates')
      .set({ expiryDate: '2026-03-10' })
      .where('id', '=', estimates.lapsed)
      .execute();
    estimates.accepted = await newEstimate({});
    await post(owner, `/api/v1/estimates/${estimates.accepted}/send`);
    const accepted = await clientA.request({
      method: 'POST',
      url: `/estimates/${estimates.accepted}/accept`,
      payload: {},
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    estimates.draft = await newEstimate({});

    // Another organization's history for a customer with the same contact e-mail: never counted.
    const other = await createOrgAndSignIn(harness);
    const otherCustomer = await customerWithContacts(other, 'Elsewhere', ['a@client.example']);
    await createInvoice(harness, other, { customerId: otherCustomer.id, total: 4242 });
  });
  after(() => harness.close());

  test('the figures of a known history', async () => {
    const dashboard = await home(clientA);
    assert.equal(dashboard.currency, 'USD');
    assert.deepEqual(dashboard.outstandingInvoices.totals, [{ currency: 'USD', amount: 20000 }]);
    assert.equal(dashboard.outstandingInvoices.count, 3);
    assert.deepEqual(
      dashboard.outstandingInvoices.invoices.map((i: Record<string, unknown>) => [
        i.number,
        i.status,
        i.balance,
        i.dueDate,
        i.overdue,
      ]),
      [
        [invoices.overdue?.number, 'overdue', 10000, '2026-02-09', true],
        [invoices.partial?.number, 'partially_paid', 5000, '2026-03-31', false],
        [invoices.credited?.number, 'partially_paid', 5000, '2026-04-04', false],
      ],
    );
    assert.deepEqual(dashboard.outstandingRetainers, {
      count: 1,
      totals: [{ currency: 'USD', amount: 3000 }],
      retainerInvoices: [
        {
          id: unpaidRetainer.id,
          number: unpaidRetainer.number,
          status: 'sent',
          issueDate: '2026-03-15',
          currency: 'USD',
          total: 3000,
          balance: 3000,
        },
      ],
    });
    assert.deepEqual(dashboard.credits, { currency: 'USD', availableCredit: 3000, retainerBalance: 4000 });
    // The business sees the same credit: 3,000 of plain credit plus 4,000 of retainer credit.
    const business = (await owner.request({ method: 'GET', url: `/api/v1/customers/${customerA}/credits` })).json();
    assert.equal(business.availableCredit, 7000);
    assert.equal(business.retainerCredit, 4000);
    assert.deepEqual(dashboard.lastPayment, {
      id: lastPayment.id,
      number: lastPayment.number,
      date: '2026-03-12',
      amount: 3000,
      currency: 'USD',
      mode: 'bank_transfer',
      reference: 'TRF-9',
      invoiceNumbers: [invoices.partial?.number],
    });
    assert.equal(dashboard.estimatesAwaiting.count, 2);
    assert.deepEqual(
      dashboard.estimatesAwaiting.estimates.map((e: { id: string }) => e.id),
      [estimates.expiring, estimates.open],
    );
    assert.equal(dashboard.estimatesAwaiting.estimates[0].total, 2500);
    assert.equal(dashboard.banner, 'Closed on Friday');
    assert.deepEqual(dashboard.organization, {
      name: 'Acme Design',
      email: 'hello@acme.example',
      phone: '+1 555 0100',
      website: 'https://acme.example',
      address: { street1: '1 Main St', city: 'Springfield' },
      hasLogo: false,
    });
    assert.equal(dashboard.account.contactPerson.email, 'a@client.example');
    assert.equal(dashboard.account.customer.displayName, 'Client A');
    for (const secret of [
      invoices.draft?.id,
      invoices.voided?.id,
      estimates.draft,
      estimates.accepted,
      estimates.lapsed,
    ]) {
      assert.ok(!JSON.stringify(dashboard).includes(secret ?? '-'), `${secret} is not shown`);
    }
  });

  test('the 12-month chart: invoiced and paid per calendar month', async () => {
    const { chart } = await home(clientA);
    assert.equal(chart.length, 1);
    assert.equal(chart[0].currency, 'USD');
    const months = chart[0].months as Array<{ month: string; invoiced: number; paid: number }>;
    assert.deepEqual(
      months.map((m) => m.month),
      [
        '2025-04',
        '2025-05',
        '2025-06',
        '2025-07',
        '2025-08',
        '2025-09',
        '2025-10',
        '2025-11',
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
      ],
    );
    const nonZero = months.filter((m) => m.invoiced !== 0 || m.paid !== 0);
    assert.deepEqual(nonZero, [
      { month: '2025-04', invoiced: 1500, paid: 1500 },
      { month: '2026-01', invoiced: 10000, paid: 0 },
      // The void invoice (7,000) and the draft are not invoiced; applying credit is not a payment.
      { month: '2026-02', invoiced: 2000, paid: 5000 },
      { month: '2026-03', invoiced: 14000, paid: 8000 },
    ]);
  });

  test('an empty customer: zeros, nulls and a flat chart', async () => {
    const dashboard = await home(clientB);
    assert.deepEqual(dashboard.outstandingInvoices, { count: 0, totals: [], invoices: [] });
    assert.deepEqual(dashboard.outstandingRetainers, { count: 0, totals: [], retainerInvoices: [] });
    assert.deepEqual(dashboard.credits, { currency: 'USD', availableCredit: 0, retainerBalance: 0 });
    assert.equal(dashboard.lastPayment, null);
    assert.deepEqual(dashboard.estimatesAwaiting, { count: 0, estimates: [] });
    assert.equal(dashboard.chart.length, 1);
    assert.equal(dashboard.chart[0].months.length, 12);
    assert.ok(
      dashboard.chart[0].months.every((m: { invoiced: number; paid: number }) => m.invoiced === 0 && m.paid === 0),
    );
    assert.equal(dashboard.account.customer.displayName, 'Client B');
  });

  test('outstanding totals and the chart stay per currency', async () => {
    await harness.ctx.db.kysely
      .updateTable('invoices')
      .set({ currency: 'EUR' })
      .where('id', '=', invoices.credited?.id ?? '')
      .execute();
    const dashboard = await home(clientA);
    assert.equal(dashboard.outstandingInvoices.count, 3);
    assert.deepEqual(dashboard.outstandingInvoices.totals, [
      { currency: 'EUR', amount: 5000 },
      { currency: 'USD', amount: 15000 },
    ]);
    assert.deepEqual(
      dashboard.chart.map((series: { currency: string; months: Array<{ invoiced: number }> }) => [
        series.currency,
        series.months.at(-1)?.invoiced,
      ]),
      [
        ['USD', 8000],
        ['EUR', 6000],
      ],
    );
  });

  test('more than five open items: the lists keep the five most urgent, the counts and totals cover all', async () => {
    for (const [total, due] of [
      [100, '2026-05-01'],
      [200, '2026-05-02'],
      [300, '2026-03-01'],
    ] as const) {
      await createInvoice(harness, owner, { customerId: customerA, total, issueDate: '2026-02-01', dueDate: due });
    }
    for (let i = 0; i < 4; i++) {
      const id = await newEstimate({ expiryDate: null });
      await post(owner, `/api/v1/estimates/${id}/send`);
    }
    const dashboard = await home(clientA);
    assert.equal(dashboard.outstandingInvoices.count, 6);
    assert.deepEqual(dashboard.outstandingInvoices.totals, [
      { currency: 'EUR', amount: 5000 },
      { currency: 'USD', amount: 15600 },
    ]);
    assert.deepEqual(
      dashboard.outstandingInvoices.invoices.map((i: { dueDate: string; overdue: boolean }) => [i.dueDate, i.overdue]),
      [
        ['2026-02-09', true],
        ['2026-03-01', true],
        ['2026-03-31', false],
        ['2026-04-04', false],
        ['2026-05-01', false],
      ],
    );
    assert.equal(dashboard.estimatesAwaiting.count, 6);
    assert.equal(dashboard.estimatesAwaiting.estimates.length, 5);
  });
});
