import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createInvoice, createSentRetainer, recordPayment } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

describe('portal: payments made', () => {
  let harness: Harness;
  let owner: Actor;
  let clientA: PortalClient;
  let clientB: PortalClient;
  const payments: Record<string, { id: string; number: string }> = {};
  const invoices: Record<string, { id: string; number: string }> = {};
  let retainer: { id: string; number: string };
  let otherOrganizationPayment: string;
  let customerA: string;

  const pay = async (payload: Record<string, unknown>) => {
    const response = await recordPayment(owner, payload);
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; number: string };
  };
  const ids = (response: { json(): { data: Array<{ id: string }> } }) => response.json().data.map((d) => d.id);

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    const slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    customerA = a.id;
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    const contactA = a.contacts['a@client.example'] ?? '';
    clientA = await activatedClient(harness, owner, slug, a.id, contactA, 'a@client.example');
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    invoices.first = await createInvoice(harness, owner, { customerId: a.id, total: 10000, issueDate: '2026-02-01' });
    invoices.second = await createInvoice(harness, owner, { customerId: a.id, total: 8000, issueDate: '2026-02-05' });
    invoices.voided = await createInvoice(harness, owner, { customerId: a.id, total: 5000, issueDate: '2026-02-10' });
    // One payment over three invoices, with 1,000 left as credit; the third invoice is voided afterwards.
    payments.split = await pay({
      customerId: a.id,
      date: '2026-02-20',
      amount: 19000,
      mode: 'check',
      reference: 'CHK-991',
      allocations: [
        { invoiceId: invoices.first.id, amount: 10000 },
        { invoiceId: invoices.second.id, amount: 3000 },
        { invoiceId: invoices.voided.id, amount: 5000 },
      ],
    });
    const voided = await owner.request({ method: 'POST', url: `/api/v1/invoices/${invoices.voided.id}/void` });
    assert.equal(voided.statusCode, 200, voided.body);
    retainer = await createSentRetainer(owner, a.id, 4000);
    payments.retainer = await pay({
      customerId: a.id,
      date: '2026-03-01',
      amount: 4000,
      retainerInvoiceId: retainer.id,
    });
    payments.early = await pay({ customerId: a.id, date: '2026-01-15', amount: 500, mode: 'cash' });
    payments.portal = await pay({
      customerId: a.id,
      date: '2026-03-12',
      amount: 2000,
      mode: 'card',
      allocations: [{ invoiceId: invoices.second.id, amount: 2000 }],
    });
    // Until the portal takes payments itself, mark one as made there by the contact person.
    await harness.ctx.db.kysely
      .updateTable('customerPayments')
      .set({ source: 'portal', paidByContactPersonId: contactA })
      .where('id', '=', payments.portal.id)
      .execute();
    await harness.ctx.db.kysely
      .updateTable('contactPersons')
      .set({ firstName: 'Ada', lastName: 'Client' })
      .where('id', '=', contactA)
      .execute();
    payments.ofB = await pay({ customerId: b.id, date: '2026-03-02', amount: 700, mode: 'cash' });

    const other = await createOrgAndSignIn(harness);
    const otherCustomer = await customerWithContacts(other, 'Elsewhere', ['a@client.example']);
    const otherPayment = await recordPayment(other, { customerId: otherCustomer.id, amount: 100 });
    assert.equal(otherPayment.statusCode, 201, otherPayment.body);
    otherOrganizationPayment = otherPayment.json().id;
  });
  after(() => harness.close());

  test('the list: my payments, newest first, with what is left of each and who paid in the portal', async () => {
    const response = await clientA.request({ method: 'GET', url: '/payments' });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      ids(response),
      [payments.portal, payments.retainer, payments.split, payments.early].map((p) => p?.id),
    );
    const [portal, retained, split] = response.json().data;
    assert.deepEqual(portal, {
      id: payments.portal?.id,
      number: payments.portal?.number,
      date: '2026-03-12',
      amount: 2000,
      currency: 'USD',
      mode: 'card',
      reference: null,
      unapplied: 0,
      retainerPayment: false,
      paidBy: { name: 'Ada Client' },
      testMode: false,
    });
    assert.equal(retained.retainerPayment, true);
    assert.equal(retained.unapplied, 4000);
    assert.equal(retained.paidBy, null);
    // 19,000 − 10,000 − 3,000 applied; the 5,000 on the voided invoice was released back to credit.
    assert.equal(split.unapplied, 6000);
    assert.equal(split.reference, 'CHK-991');
    assert.equal(split.mode, 'check');
    for (const secret of ['notes', 'recordedByUserId', 'customerId', 'cus_', 'cp_']) {
      assert.ok(!response.body.includes(secret), secret);
    }
    assert.deepEqual(ids(await clientB.request({ method: 'GET', url: '/payments' })), [payments.ofB?.id]);
  });

  test('from/to filter and pagination', async () => {
    const get = (url: string) => clientA.request({ method: 'GET', url });
    assert.deepEqual(ids(await get('/payments?from=2026-02-01&to=2026-03-01')), [
      payments.retainer?.id,
      payments.split?.id,
    ]);
    assert.deepEqual(ids(await get('/payments?from=2026-03-02')), [payments.portal?.id]);
    assert.deepEqual(ids(await get('/payments?to=2026-01-31')), [payments.early?.id]);
    assert.equal((await get('/payments?from=2026-13-01')).statusCode, 400);
    assert.equal((await get('/payments?customerId=x')).statusCode, 400);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const response = (await get(`/payments?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...response.data.map((d: { id: string }) => d.id));
      if (!response.nextCursor) break;
      cursor = response.nextCursor;
    }
    assert.deepEqual(
      seen,
      [payments.portal, payments.retainer, payments.split, payments.early].map((p) => p?.id),
    );
  });

  test('a payment in full: the invoices it pays, released applications left out', async () => {
    const response = await clientA.request({ method: 'GET', url: `/payments/${payments.split?.id}` });
    assert.equal(response.statusCode, 200, response.body);
    const payment = response.json();
    assert.equal(payment.amount, 19000);
    assert.equal(payment.applied, 13000);
    assert.equal(payment.unapplied, 6000);
    assert.equal(payment.retainerInvoice, null);
    assert.deepEqual(payment.invoices, [
      {
        invoiceId: invoices.first?.id,
        number: invoices.first?.number,
        date: '2026-02-01',
        amount: 10000,
        appliedOn: '2026-02-20',
      },
      {
        invoiceId: invoices.second?.id,
        number: invoices.second?.number,
        date: '2026-02-05',
        amount: 3000,
        appliedOn: '2026-02-20',
      },
    ]);
    assert.ok(!response.body.includes(invoices.voided?.id ?? '-'), 'the voided invoice is not listed');

    const retained = (await clientA.request({ method: 'GET', url: `/payments/${payments.retainer?.id}` })).json();
    assert.deepEqual(retained.retainerInvoice, { id: retainer.id, number: retainer.number });
    assert.equal(retained.retainerPayment, true);
    assert.deepEqual(retained.invoices, []);
  });

  test('credit applied later from a payment shows on it', async () => {
    const applied = await owner.request({
      method: 'POST',
      url: `/api/v1/customers/${customerA}/apply-credit`,
      payload: { allocations: [{ invoiceId: invoices.second?.id, amount: 500, paymentId: payments.early?.id }] },
    });
    assert.equal(applied.statusCode, 200, applied.body);
    const payment = (await clientA.request({ method: 'GET', url: `/payments/${payments.early?.id}` })).json();
    assert.equal(payment.unapplied, 0);
    assert.deepEqual(
      payment.invoices.map((i: { number: string; amount: number; appliedOn: string }) => [
        i.number,
        i.amount,
        i.appliedOn,
      ]),
      [[invoices.second?.number, 500, '2026-03-15']],
    );
  });

  test('another customer’s, another organization’s and unknown payments answer the same 404', async () => {
    const bodies = new Set<string>();
    for (const [client, id] of [
      [clientA, payments.ofB?.id],
      [clientA, otherOrganizationPayment],
      [clientA, 'pay_unknown'],
      [clientB, payments.split?.id],
    ] as const) {
      const response = await client.request({ method: 'GET', url: `/payments/${id}` });
      assert.equal(response.statusCode, 404, id);
      bodies.add(response.body);
    }
    assert.equal(bodies.size, 1);
  });
});
