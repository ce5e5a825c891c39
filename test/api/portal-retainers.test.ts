import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSentRetainer, recordPayment } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

describe('portal: my retainer invoices', () => {
  let harness: Harness;
  let owner: Actor;
  let clientA: PortalClient;
  let clientB: PortalClient;
  let contactA: string;
  const retainers: Record<string, string> = {};
  let otherOrganizationRetainer: string;
  let partialPayment: { id: string; number: string };

  const post = async (actor: Actor, url: string, payload: object = {}) => {
    const response = await actor.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const business = async (url: string) => (await owner.request({ method: 'GET', url })).json();
  const ids = (response: { json(): { data: Array<{ id: string }> } }) =>
    response
      .json()
      .data.map((d) => d.id)
      .sort();

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    const slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    contactA = a.contacts['a@client.example'] ?? '';
    clientA = await activatedClient(harness, owner, slug, a.id, contactA, 'a@client.example');
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    retainers.draft = (
      await post(owner, '/api/v1/retainer-invoices', {
        customerId: a.id,
        lines: [{ description: 'Draft advance', amount: 1000 }],
      })
    ).id;
    const full = await post(owner, '/api/v1/retainer-invoices', {
      customerId: a.id,
      issueDate: '2026-03-02',
      reference: 'PO-7',
      notes: 'Thank you',
      terms: 'Due on receipt',
      lines: [
        { description: 'Design advance', amount: 30000 },
        { description: 'Hosting advance', amount: 20000 },
      ],
    });
    await post(owner, `/api/v1/retainer-invoices/${full.id}/send`);
    retainers.partial = full.id;
    const paid = await recordPayment(owner, {
      customerId: a.id,
      amount: 20000,
      reference: 'TRF-1',
      retainerInvoiceId: full.id,
    });
    assert.equal(paid.statusCode, 201, paid.body);
    partialPayment = paid.json();
    retainers.sent = (await createSentRetainer(owner, a.id, 7000)).id;
    retainers.paid = (await createSentRetainer(owner, a.id, 5000)).id;
    assert.equal(
      (await recordPayment(owner, { customerId: a.id, amount: 5000, retainerInvoiceId: retainers.paid })).statusCode,
      201,
    );
    retainers.voided = (await createSentRetainer(owner, a.id, 3000)).id;
    await post(owner, `/api/v1/retainer-invoices/${retainers.voided}/void`);
    retainers.ofB = (await createSentRetainer(owner, b.id, 4000)).id;

    const other = await createOrgAndSignIn(harness);
    const otherCustomer = await customerWithContacts(other, 'Elsewhere', ['a@client.example']);
    otherOrganizationRetainer = (await createSentRetainer(other, otherCustomer.id, 1000)).id;
  });
  after(() => harness.close());

  test('the list shows my sent retainers only, with their money', async () => {
    const all = await clientA.request({ method: 'GET', url: '/retainer-invoices' });
    assert.equal(all.statusCode, 200, all.body);
    assert.deepEqual(ids(all), [retainers.partial, retainers.sent, retainers.paid, retainers.voided].sort());
    const partial = all.json().data.find((r: { id: string }) => r.id === retainers.partial);
    assert.deepEqual(partial, {
      id: retainers.partial,
      number: partial.number,
      reference: 'PO-7',
      status: 'partially_paid',
      issueDate: '2026-03-02',
      currency: 'USD',
      total: 50000,
      amountPaid: 20000,
      balance: 30000,
    });
    for (const secret of ['customerId', 'viewedAt', 'createdAt', 'cus_']) assert.ok(!all.body.includes(secret), secret);
    assert.deepEqual(ids(await clientB.request({ method: 'GET', url: '/retainer-invoices' })), [retainers.ofB]);
  });

  test('filters and pagination', async () => {
    const get = (url: string) => clientA.request({ method: 'GET', url });
    assert.deepEqual(ids(await get('/retainer-invoices?status=all')).length, 4);
    assert.deepEqual(ids(await get('/retainer-invoices?status=unpaid')), [retainers.partial, retainers.sent].sort());
    assert.deepEqual(ids(await get('/retainer-invoices?status=paid')), [retainers.paid]);
    assert.deepEqual(ids(await get('/retainer-invoices?status=void')), [retainers.voided]);
    assert.equal((await get('/retainer-invoices?status=draft')).statusCode, 400);
    assert.equal((await get('/retainer-invoices?status=partially_paid')).statusCode, 400);
    assert.equal((await get('/retainer-invoices?cursor=nonsense')).statusCode, 400);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const response = (await get(`/retainer-invoices?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      assert.ok(response.data.length <= 3);
      seen.push(...response.data.map((d: { id: string }) => d.id));
      if (!response.nextCursor) break;
      cursor = response.nextCursor;
    }
    assert.equal(seen.length, 4);
    assert.equal(new Set(seen).size, 4);
  });

  test('drafts, other customers’ and other organizations’ retainers answer the same 404', async () => {
    const bodies = new Set<string>();
    for (const [client, id] of [
      [clientA, retainers.draft],
      [clientA, retainers.ofB],
      [clientA, otherOrganizationRetainer],
      [clientA, 'ret_unknown'],
      [clientB, retainers.partial],
    ] as const) {
      const response = await client.request({ method: 'GET', url: `/retainer-invoices/${id}` });
      assert.equal(response.statusCode, 404, id);
      bodies.add(response.body);
    }
    assert.equal(bodies.size, 1);
    assert.equal((await business(`/api/v1/retainer-invoices/${retainers.partial}`)).viewedAt, null);
    assert.equal((await business(`/api/v1/retainer-invoices/${retainers.draft}`)).viewedAt, null);
  });

  test('a retainer in full with its payments; the first open marks it viewed once and notifies', async () => {
    const opened = await clientA.request({ method: 'GET', url: `/retainer-invoices/${retainers.partial}` });
    assert.equal(opened.statusCode, 200, opened.body);
    const retainer = opened.json();
    assert.equal(retainer.status, 'partially_paid');
    assert.equal(retainer.total, 50000);
    assert.equal(retainer.amountPaid, 20000);
    assert.equal(retainer.balance, 30000);
    assert.equal(retainer.notes, 'Thank you');
    assert.equal(retainer.terms, 'Due on receipt');
    assert.deepEqual(retainer.lines, [
      { description: 'Design advance', amount: 30000 },
      { description: 'Hosting advance', amount: 20000 },
    ]);
    assert.deepEqual(retainer.payments, [
      {
        id: partialPayment.id,
        number: partialPayment.number,
        date: '2026-03-10',
        amount: 20000,
        mode: 'bank_transfer',
        reference: 'TRF-1',
      },
    ]);
    for (const secret of ['viewedByContactPersonId', 'customerName', 'unapplied']) {
      assert.ok(!opened.body.includes(secret), secret);
    }
    const first = await business(`/api/v1/retainer-invoices/${retainers.partial}`);
    assert.ok(first.viewedAt);
    assert.equal(first.status, 'partially_paid');
    const viewer = await harness.ctx.db.kysely
      .selectFrom('retainerInvoices')
      .select('viewedByContactPersonId')
      .where('id', '=', retainers.partial ?? '')
      .executeTakeFirstOrThrow();
    assert.equal(viewer.viewedByContactPersonId, contactA);

    harness.clock.now = new Date(harness.clock.now.getTime() + 60_000);
    await clientA.request({ method: 'GET', url: `/retainer-invoices/${retainers.partial}` });
    assert.equal((await business(`/api/v1/retainer-invoices/${retainers.partial}`)).viewedAt, first.viewedAt);
    const history = await business(`/api/v1/retainer-invoices/${retainers.partial}/history`);
    const views = history.data.filter((h: { event: string }) => h.event === 'viewed');
    assert.equal(views.length, 1);
    assert.equal(views[0].actorType, 'contact_person');
    assert.equal(views[0].shownInPortal, false);
    const mails = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select(['subject', 'textBody'])
      .where('organizationId', '=', owner.organizationId)
      .where('textBody', 'like', `%${retainer.number}%`)
      .execute();
    assert.equal(mails.filter((m) => /viewed/i.test(`${m.subject} ${m.textBody}`)).length, 1);
  });
});
