import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { HAS_PDFTOTEXT, pdfText, squeeze } from '../support/pdf.js';
import {
  activatedClient,
  CLIENT_PASSWORD,
  customerWithContacts,
  enablePortal,
  type PortalClient,
  portalClient,
} from '../support/portal.js';

describe('portal: my estimates and invoices', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let clientA: PortalClient;
  let clientB: PortalClient;
  let contactA: string;
  let customerA: string;
  const estimates: Record<string, string> = {};
  const invoices: Record<string, string> = {};
  let otherOrganizationEstimate: string;
  let otherOrganizationInvoice: string;
  const line = { name: 'Design work', quantity: '1', rate: 1000 };

  const post = async (actor: Actor, url: string, payload: object = {}) => {
    const response = await actor.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const newEstimate = async (actor: Actor, customerId: string, send: boolean, extra: object = {}) => {
    const { id } = await post(actor, '/api/v1/estimates', { customerId, lines: [line], ...extra });
    if (send) await post(actor, `/api/v1/estimates/${id}/send`);
    return id as string;
  };
  const newInvoice = async (actor: Actor, customerId: string, send: boolean) => {
    const { id } = await post(actor, '/api/v1/invoices', { customerId, lines: [line] });
    if (send) await post(actor, `/api/v1/invoices/${id}/send`);
    return id as string;
  };
  const pay = (customerId: string, invoiceId: string, amount: number) =>
    post(owner, '/api/v1/payments', {
      customerId,
      date: '2026-03-15',
      amount,
      mode: 'cash',
      allocations: [{ invoiceId, amount }],
    });
  const business = async (url: string) => (await owner.request({ method: 'GET', url })).json();
  const ids = (response: { json(): { data: Array<{ id: string }> } }) =>
    response
      .json()
      .data.map((d) => d.id)
      .sort();

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    contactA = a.contacts['a@client.example'] ?? '';
    customerA = a.id;
    clientA = await activatedClient(harness, owner, slug, a.id, contactA, 'a@client.example');
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    estimates.draft = await newEstimate(owner, a.id, false);
    estimates.sent = await newEstimate(owner, a.id, true);
    estimates.toAccept = await newEstimate(owner, a.id, true);
    estimates.toDecline = await newEstimate(owner, a.id, true);
    estimates.race = await newEstimate(owner, a.id, true);
    estimates.expiring = await newEstimate(owner, a.id, true, { expiryDate: '2026-03-15' });
    estimates.ofB = await newEstimate(owner, b.id, true);

    invoices.draft = await newInvoice(owner, a.id, false);
    invoices.sent = await newInvoice(owner, a.id, true);
    invoices.partial = await newInvoice(owner, a.id, true);
    await pay(a.id, invoices.partial, 400);
    invoices.paid = await newInvoice(owner, a.id, true);
    await pay(a.id, invoices.paid, 1000);
    invoices.voided = await newInvoice(owner, a.id, true);
    await post(owner, `/api/v1/invoices/${invoices.voided}/void`);
    invoices.ofB = await newInvoice(owner, b.id, true);

    const other = await createOrgAndSignIn(harness);
    const otherCustomer = await customerWithContacts(other, 'Elsewhere', ['a@client.example']);
    otherOrganizationEstimate = await newEstimate(other, otherCustomer.id, true);
    otherOrganizationInvoice = await newInvoice(other, otherCustomer.id, true);
  });
  after(() => harness.close());

  test('lists show my sent documents only: no drafts, nothing of another customer', async () => {
    const all = await clientA.request({ method: 'GET', url: '/estimates' });
    assert.equal(all.statusCode, 200, all.body);
    assert.deepEqual(
      ids(all),
      [estimates.sent, estimates.toAccept, estimates.toDecline, estimates.race, estimates.expiring].sort(),
    );
    const invoiceList = await clientA.request({ method: 'GET', url: '/invoices?status=all' });
    assert.deepEqual(ids(invoiceList), [invoices.sent, invoices.partial, invoices.paid, invoices.voided].sort());
    const ofB = await clientB.request({ method: 'GET', url: '/invoices' });
    assert.deepEqual(ids(ofB), [invoices.ofB]);
    for (const secret of ['internal', 'decidedIp', 'viewedByContactPersonId', 'customerId']) {
      assert.ok(!all.body.includes(secret), secret);
    }
  });

  test('filters and pagination', async () => {
    const get = (url: string) => clientA.request({ method: 'GET', url });
    assert.equal(ids(await get('/estimates?status=awaiting')).length, 5);
    assert.deepEqual(ids(await get('/estimates?status=accepted')), []);
    assert.deepEqual(ids(await get('/invoices?status=unpaid')), [invoices.sent, invoices.partial].sort());
    assert.deepEqual(ids(await get('/invoices?status=partially_paid')), [invoices.partial]);
    assert.deepEqual(ids(await get('/invoices?status=paid')), [invoices.paid]);
    assert.deepEqual(ids(await get('/invoices?status=void')), [invoices.voided]);
    assert.deepEqual(ids(await get('/invoices?status=overdue')), []);
    assert.equal((await get('/invoices?status=draft')).statusCode, 400);
    assert.equal((await get('/estimates?status=sent')).statusCode, 400);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const response = (await get(`/estimates?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...response.data.map((d: { id: string }) => d.id));
      if (!response.nextCursor) break;
      cursor = response.nextCursor;
    }
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
  });

  test('drafts, other customers’ and other organizations’ documents answer the same 404', async () => {
    const bodies = new Set<string>();
    for (const [client, url] of [
      [clientA, `/estimates/${estimates.draft}`],
      [clientA, `/estimates/${estimates.ofB}`],
      [clientA, `/estimates/${otherOrganizationEstimate}`],
      [clientA, '/estimates/est_unknown'],
      [clientB, `/estimates/${estimates.sent}`],
    ] as const) {
      const response = await client.request({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      bodies.add(response.body);
    }
    assert.equal(bodies.size, 1);
    for (const url of [
      `/invoices/${invoices.draft}`,
      `/invoices/${invoices.ofB}`,
      `/invoices/${otherOrganizationInvoice}`,
    ]) {
      assert.equal((await clientA.request({ method: 'GET', url })).statusCode, 404, url);
    }
    for (const id of [estimates.draft, estimates.ofB, otherOrganizationEstimate]) {
      const response = await clientA.request({ method: 'POST', url: `/estimates/${id}/accept`, payload: {} });
      assert.equal(response.statusCode, 404, id);
    }
    assert.equal((await business(`/api/v1/estimates/${estimates.ofB}`)).status, 'sent');
    assert.equal((await business(`/api/v1/estimates/${estimates.draft}`)).viewedAt, null);
  });

  test('an estimate in full; the first open marks it viewed once and keeps its status', async () => {
    const opened = await clientA.request({ method: 'GET', url: `/estimates/${estimates.sent}` });
    assert.equal(opened.statusCode, 200, opened.body);
    const estimate = opened.json();
    assert.equal(estimate.status, 'sent');
    assert.equal(estimate.total, 1000);
    assert.equal(estimate.lines.length, 1);
    assert.equal(estimate.lines[0].name, 'Design work');
    assert.deepEqual(estimate.taxes, []);
    for (const secret of ['decidedIp', 'viewedByContactPersonId', 'decidedByContactPersonId', 'taxId', 'ln_']) {
      assert.ok(!opened.body.includes(secret), secret);
    }
    const first = await business(`/api/v1/estimates/${estimates.sent}`);
    assert.equal(first.status, 'sent');
    assert.ok(first.viewedAt);
    assert.equal(first.viewedByContactPersonId, contactA);

    harness.clock.now = new Date(harness.clock.now.getTime() + 60_000);
    await clientA.request({ method: 'GET', url: `/estimates/${estimates.sent}` });
    const second = await business(`/api/v1/estimates/${estimates.sent}`);
    assert.equal(second.viewedAt, first.viewedAt);
    const history = await business(`/api/v1/estimates/${estimates.sent}/history`);
    const views = history.data.filter((h: { event: string }) => h.event === 'viewed');
    assert.equal(views.length, 1);
    assert.equal(views[0].actorType, 'contact_person');
    assert.equal(views[0].shownInPortal, false);
  });

  test('an invoice in full, with the payments applied; viewed on first open', async () => {
    const response = await clientA.request({ method: 'GET', url: `/invoices/${invoices.partial}` });
    assert.equal(response.statusCode, 200, response.body);
    const invoice = response.json();
    assert.equal(invoice.status, 'partially_paid');
    assert.equal(invoice.balance, 600);
    assert.equal(invoice.paymentsApplied, 400);
    assert.equal(invoice.allowPartialPayments, true, 'invoices allow partial payments by default');
    const setPartial = (allow: boolean) =>
      harness.ctx.db.kysely
        .updateTable('invoices')
        .set({ allowPartialPayments: allow ? 1 : 0 })
        .where('id', '=', invoices.partial ?? '')
        .execute();
    await setPartial(false);
    const inFull = await clientA.request({ method: 'GET', url: `/invoices/${invoices.partial}` });
    assert.equal(inFull.json().allowPartialPayments, false, 'the client sees it must be paid in full');
    await setPartial(true);
    assert.equal(invoice.payments.length, 1);
    assert.equal(invoice.payments[0].amount, 400);
    assert.equal(invoice.payments[0].date, '2026-03-15');
    assert.match(invoice.payments[0].paymentNumber, /\S/);
    assert.ok(!response.body.includes('pay_'), 'no internal payment ids');
    const seen = await business(`/api/v1/invoices/${invoices.partial}`);
    assert.equal(seen.status, 'partially_paid');
    assert.equal(seen.viewedByContactPersonId, contactA);
  });

  test('who a document is from and to, as on its PDF; Ship to only with a shipping address', async () => {
    const patch = async (url: string, payload: object) => {
      const response = await owner.request({ method: 'PATCH', url, payload });
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };
    const organization = await patch('/api/v1/organization', {
      address: { street1: '1 Harbor Way', city: 'Boston', state: 'MA', postalCode: '02110', country: 'US' },
      email: 'billing@business.example',
    });
    await patch(`/api/v1/customers/${customerA}`, {
      companyName: 'Client A Ltd',
      billingAddress: { street1: '12 Orchard Street', city: 'Portland' },
      shippingAddress: {},
    });
    const from = {
      name: organization.name,
      lines: ['1 Harbor Way', 'Boston, MA, 02110', 'US', 'billing@business.example'],
    };
    const billTo = { name: 'Client A', lines: ['Client A Ltd', '12 Orchard Street', 'Portland'] };
    for (const url of [`/estimates/${estimates.sent}`, `/invoices/${invoices.sent}`]) {
      const document = (await clientA.request({ method: 'GET', url })).json();
      assert.deepEqual(document.from, from, url);
      assert.deepEqual(document.billTo, billTo, url);
      assert.equal(document.shipTo, null, `${url}: no shipping address, no Ship to`);
    }
    await patch(`/api/v1/customers/${customerA}`, { shippingAddress: { street1: '400 Dock Road', city: 'Salem' } });
    const shipped = (await clientA.request({ method: 'GET', url: `/invoices/${invoices.sent}` })).json();
    assert.deepEqual(shipped.shipTo, { name: 'Client A', lines: ['400 Dock Road', 'Salem'] });
    // Client B sees its own name, never client A's.
    const ofB = (await clientB.request({ method: 'GET', url: `/invoices/${invoices.ofB}` })).json();
    assert.deepEqual(ofB.billTo, { name: 'Client B', lines: [] });
    assert.equal(ofB.shipTo, null);
  });

  test('accept and decline a sent estimate, recorded; no second decision', async () => {
    const accepted = await clientA.request({
      method: 'POST',
      url: `/estimates/${estimates.toAccept}/accept`,
      payload: { signatureName: 'Ada Client' },
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().status, 'accepted');
    assert.equal(accepted.json().signatureName, 'Ada Client');
    const stored = await business(`/api/v1/estimates/${estimates.toAccept}`);
    assert.equal(stored.status, 'accepted');
    assert.equal(stored.decidedByContactPersonId, contactA);
    assert.ok(stored.decidedAt);
    assert.ok(stored.decidedIp);
    const history = await business(`/api/v1/estimates/${estimates.toAccept}/history`);
    const entry = history.data.find((h: { event: string }) => h.event === 'accepted');
    assert.equal(entry.shownInPortal, true);
    assert.equal(entry.actorType, 'contact_person');

    for (const action of ['accept', 'decline']) {
      const again = await clientA.request({
        method: 'POST',
        url: `/estimates/${estimates.toAccept}/${action}`,
        payload: {},
      });
      assert.equal(again.statusCode, 409, action);
      assert.equal(again.json().code, 'invalid_transition');
    }

    const declined = await clientA.request({
      method: 'POST',
      url: `/estimates/${estimates.toDecline}/decline`,
      payload: { reason: 'Over budget' },
    });
    assert.equal(declined.statusCode, 200, declined.body);
    assert.equal(declined.json().status, 'declined');
    assert.equal(declined.json().declineReason, 'Over budget');
    assert.equal((await business(`/api/v1/estimates/${estimates.toDecline}`)).declineReason, 'Over budget');
  });

  test('a declined estimate revised and sent again: "revised" for the client, and its first view recorded anew', async () => {
    const id = await newEstimate(owner, customerA, true);
    const open = async () => {
      const response = await clientA.request({ method: 'GET', url: `/estimates/${id}` });
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };
    assert.equal((await open()).revisedAt, null, 'a first sending is no revision');
    const firstView = (await business(`/api/v1/estimates/${id}`)).viewedAt;
    assert.ok(firstView);
    const declined = await clientA.request({
      method: 'POST',
      url: `/estimates/${id}/decline`,
      payload: { reason: 'Too many hours' },
    });
    assert.equal(declined.statusCode, 200, declined.body);

    harness.clock.now = new Date(harness.clock.now.getTime() + 60_000);
    const edited = await owner.request({
      method: 'PATCH',
      url: `/api/v1/estimates/${id}`,
      payload: { lines: [{ ...line, rate: 800 }] },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    await post(owner, `/api/v1/estimates/${id}/send`);
    const resent = await business(`/api/v1/estimates/${id}`);
    assert.equal(resent.status, 'sent');
    assert.equal(resent.viewedAt, null, 'the client has not seen this revision yet');
    assert.equal(resent.viewedByContactPersonId, null);

    const revised = await open();
    assert.equal(revised.status, 'sent');
    assert.equal(revised.total, 800);
    assert.equal(revised.revisedAt, harness.clock.now.toISOString());
    assert.equal(revised.declineReason, null, 'the earlier decision is cleared');
    if (HAS_PDFTOTEXT) {
      const pdf = await clientA.request({ method: 'GET', url: `/estimates/${id}/pdf` });
      assert.match(squeeze(pdfText(pdf.rawPayload)), new RegExp(`Revised ${revised.revisedAt.slice(0, 10)}`));
    }
    const seen = await business(`/api/v1/estimates/${id}`);
    assert.ok(seen.viewedAt && seen.viewedAt > firstView, 'viewed again, after the revision');
    assert.equal(seen.viewedByContactPersonId, contactA);
    await open();
    const history = await business(`/api/v1/estimates/${id}/history`);
    const views = history.data.filter((h: { event: string }) => h.event === 'viewed');
    assert.equal(views.length, 2, 'one view of each version; the first stays in the history');

    // Sent again while awaiting an answer (no edit): not a revision, and the view stands.
    await post(owner, `/api/v1/estimates/${id}/send`);
    assert.equal((await business(`/api/v1/estimates/${id}`)).viewedAt, seen.viewedAt);
    assert.equal((await open()).revisedAt, revised.revisedAt);
  });

  test('bad decision bodies answer 400 and change nothing', async () => {
    for (const [action, payload] of [
      ['accept', { signatureName: 'x'.repeat(201) }],
      ['accept', { signatureName: '   ' }],
      ['accept', { signatureName: '' }],
      ['accept', { signatureName: 'Ada', status: 'accepted' }],
      ['decline', { reason: 'x'.repeat(2001) }],
      ['decline', { reason: 'No', decidedIp: '1.2.3.4' }],
    ] as const) {
      const response = await clientA.request({
        method: 'POST',
        url: `/estimates/${estimates.race}/${action}`,
        payload,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    const stored = await business(`/api/v1/estimates/${estimates.race}`);
    assert.equal(stored.status, 'sent');
    assert.equal(stored.decidedAt, null);
  });

  test('two concurrent accepts: exactly one wins', async () => {
    const responses = await Promise.all(
      [1, 2].map(() =>
        clientA.request({
          method: 'POST',
          url: `/estimates/${estimates.race}/accept`,
          payload: { signatureName: 'A' },
        }),
      ),
    );
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [200, 409]);
    const history = await business(`/api/v1/estimates/${estimates.race}/history`);
    assert.equal(history.data.filter((h: { event: string }) => h.event === 'accepted').length, 1);
  });

  test('an estimate past its expiry date can no longer be decided', async () => {
    harness.clock.now = new Date('2026-03-17T10:00:00.000Z');
    const client = portalClient(harness, slug);
    const signedIn = await client.request({
      method: 'POST',
      url: '/session',
      payload: { email: 'a@client.example', password: CLIENT_PASSWORD },
    });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    client.keepSessionFrom(signedIn);
    for (const action of ['accept', 'decline']) {
      const response = await client.request({
        method: 'POST',
        url: `/estimates/${estimates.expiring}/${action}`,
        payload: {},
      });
      assert.equal(response.statusCode, 409, `${action}: ${response.body}`);
      assert.equal(response.json().code, 'invalid_transition');
    }
    // The business session idled out with the clock move; the client's own view shows nothing changed.
    const stored = (await client.request({ method: 'GET', url: `/estimates/${estimates.expiring}` })).json();
    assert.equal(stored.status, 'sent');
    assert.equal(stored.decidedAt, null);
  });
});
