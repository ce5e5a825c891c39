import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  countRows,
  createCustomer,
  createInvoice,
  createSentRetainer,
  invoiceMoney,
  recordPayment,
} from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

describe('retainer invoices', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;
  let customerId: string;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    otherOrg = await createOrgAndSignIn(harness);
    customerId = await createCustomer(owner, { displayName: 'Retained Inc', currency: 'EUR' });
  });
  after(() => harness.close());

  const create = (payload: Record<string, unknown>) =>
    owner.request({ method: 'POST', url: '/api/v1/retainer-invoices', payload });
  const action = (id: string, name: string, actor = owner) =>
    actor.request({ method: 'POST', url: `/api/v1/retainer-invoices/${id}/${name}` });
  const get = async (id: string) =>
    (await owner.request({ method: 'GET', url: `/api/v1/retainer-invoices/${id}` })).json();

  test('creates a draft in the customer’s currency, numbered, with its total from the lines', async () => {
    const response = await create({
      customerId,
      reference: 'PO-9',
      notes: 'Advance for phase 1',
      lines: [
        { description: 'Design phase', amount: 150_000 },
        { description: 'Research', amount: 25_050 },
      ],
    });
    assert.equal(response.statusCode, 201, response.body);
    const retainer = response.json();
    assert.match(retainer.id, /^ret_[0-9a-z]{26}$/);
    assert.equal(retainer.number, 'RET-00001');
    assert.equal(retainer.status, 'draft');
    assert.equal(retainer.currency, 'EUR');
    assert.equal(retainer.customerName, 'Retained Inc');
    assert.equal(retainer.issueDate, '2026-03-15');
    assert.equal(retainer.total, 175_050);
    assert.equal(retainer.amountPaid, 0);
    assert.equal(retainer.balance, 175_050);
    assert.deepEqual(retainer.lines, [
      { description: 'Design phase', amount: 150_000 },
      { description: 'Research', amount: 25_050 },
    ]);
    assert.deepEqual(retainer.payments, []);
    const second = (await create({ customerId, lines: [{ description: 'More', amount: 1 }] })).json();
    assert.equal(second.number, 'RET-00002');
  });

  test('bad input answers 400 and writes nothing; a foreign customer answers 404', async () => {
    const before = await countRows(harness, owner.organizationId, 'retainerInvoices');
    const line = { description: 'X', amount: 100 };
    for (const payload of [
      { customerId, lines: [] },
      { customerId, lines: [{ description: 'X', amount: 0 }] },
      { customerId, lines: [{ description: 'X', amount: -5 }] },
      { customerId, lines: [{ description: 'X', amount: 10.5 }] },
      { customerId, lines: [{ description: '', amount: 10 }] },
      { customerId, lines: [{ ...line, quantity: '2' }] },
      { customerId, lines: Array.from({ length: 101 }, () => line) },
      { customerId, lines: [line], currency: 'USD' },
      { customerId, lines: [line], issueDate: '2026-02-30' },
      { customerId: 'cus_x', lines: [line] },
      { lines: [line] },
    ]) {
      const response = await create(payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload).slice(0, 80)} → ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
    }
    const foreignCustomer = await createCustomer(otherOrg);
    const foreign = await create({ customerId: foreignCustomer, lines: [line] });
    assert.equal(foreign.statusCode, 404);
    assert.equal(await countRows(harness, owner.organizationId, 'retainerInvoices'), before);
  });

  test('a draft can be edited and deleted; once sent it cannot', async () => {
    const draft = (await create({ customerId, lines: [{ description: 'A', amount: 1_000 }] })).json();
    const usd = await createCustomer(owner, { currency: 'USD' });
    const edited = await owner.request({
      method: 'PATCH',
      url: `/api/v1/retainer-invoices/${draft.id}`,
      payload: {
        customerId: usd,
        issueDate: '2026-03-01',
        lines: [
          { description: 'A', amount: 1_000 },
          { description: 'B', amount: 2_500 },
        ],
      },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().total, 3_500);
    assert.equal(edited.json().balance, 3_500);
    assert.equal(edited.json().currency, 'USD');
    assert.equal(edited.json().issueDate, '2026-03-01');
    const badPatch = await owner.request({
      method: 'PATCH',
      url: `/api/v1/retainer-invoices/${draft.id}`,
      payload: { total: 5 },
    });
    assert.equal(badPatch.statusCode, 400);

    const sent = await action(draft.id, 'send');
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().status, 'sent');
    assert.ok(sent.json().sentAt);
    const late = await owner.request({
      method: 'PATCH',
      url: `/api/v1/retainer-invoices/${draft.id}`,
      payload: { notes: 'too late' },
    });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().code, 'invalid_transition');
    assert.equal(
      (await owner.request({ method: 'DELETE', url: `/api/v1/retainer-invoices/${draft.id}` })).statusCode,
      409,
    );

    const other = (await create({ customerId, lines: [{ description: 'A', amount: 1_000 }] })).json();
    assert.equal(
      (await owner.request({ method: 'DELETE', url: `/api/v1/retainer-invoices/${other.id}` })).statusCode,
      204,
    );
    assert.equal(
      (await owner.request({ method: 'GET', url: `/api/v1/retainer-invoices/${other.id}` })).statusCode,
      404,
    );
  });

  test('illegal transitions answer 409', async () => {
    const draft = (await create({ customerId, lines: [{ description: 'A', amount: 1_000 }] })).json();
    assert.equal((await action(draft.id, 'void')).statusCode, 409);
    assert.equal((await action(draft.id, 'reopen')).statusCode, 409);
    assert.equal((await action(draft.id, 'send')).statusCode, 200);
    const again = await action(draft.id, 'send');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'invalid_transition');
    assert.equal((await action(draft.id, 'reopen')).statusCode, 409);
  });

  test('payments make it partially paid then paid; the detail lists them; it cannot be overpaid', async () => {
    const retainer = await createSentRetainer(owner, customerId, 10_000);
    const first = await recordPayment(owner, { customerId, amount: 4_000, retainerInvoiceId: retainer.id });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().retainerInvoiceNumber, retainer.number);
    assert.equal(first.json().unapplied, 4_000);
    let detail = await get(retainer.id);
    assert.equal(detail.status, 'partially_paid');
    assert.equal(detail.amountPaid, 4_000);
    assert.equal(detail.balance, 6_000);

    const before = await countRows(harness, owner.organizationId, 'customerPayments');
    const over = await recordPayment(owner, { customerId, amount: 6_001, retainerInvoiceId: retainer.id });
    assert.equal(over.statusCode, 400, over.body);
    assert.equal(over.json().errors[0].path, '/amount');
    assert.equal(await countRows(harness, owner.organizationId, 'customerPayments'), before);

    const second = await recordPayment(owner, {
      customerId,
      amount: 6_000,
      date: '2026-03-12',
      retainerInvoiceId: retainer.id,
    });
    assert.equal(second.statusCode, 201, second.body);
    detail = await get(retainer.id);
    assert.equal(detail.status, 'paid');
    assert.equal(detail.amountPaid, 10_000);
    assert.equal(detail.balance, 0);
    assert.deepEqual(
      detail.payments.map((p: { id: string; amount: number; unapplied: number; date: string }) => [
        p.id,
        p.amount,
        p.unapplied,
        p.date,
      ]),
      [
        [first.json().id, 4_000, 4_000, '2026-03-10'],
        [second.json().id, 6_000, 6_000, '2026-03-12'],
      ],
    );
    const paidAgain = await recordPayment(owner, { customerId, amount: 1, retainerInvoiceId: retainer.id });
    assert.equal(paidAgain.statusCode, 400);

    // Deleting a payment gives the retainer its balance back.
    assert.equal(
      (await owner.request({ method: 'DELETE', url: `/api/v1/payments/${second.json().id}` })).statusCode,
      204,
    );
    detail = await get(retainer.id);
    assert.equal(detail.status, 'partially_paid');
    assert.equal(detail.balance, 6_000);
    const events = await harness.ctx.db.kysely
      .selectFrom('history')
      .select('event')
      .where('subjectId', '=', retainer.id)
      .orderBy('createdAt')
      .execute();
    assert.deepEqual(
      events.map((e) => e.event),
      ['created', 'sent', 'payment_recorded', 'payment_recorded', 'payment_deleted'],
    );
  });

  test('concurrent payments never pay a retainer past its total', async () => {
    const retainer = await createSentRetainer(owner, customerId, 10_000);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        recordPayment(owner, { customerId, amount: 4_000, retainerInvoiceId: retainer.id }),
      ),
    );
    const ok = responses.filter((r) => r.statusCode === 201);
    for (const r of responses.filter((x) => x.statusCode !== 201)) assert.equal(r.statusCode, 400, r.body);
    assert.equal(ok.length, 2);
    const detail = await get(retainer.id);
    assert.equal(detail.amountPaid, 8_000);
    assert.equal(detail.balance, 2_000);
    assert.equal(detail.payments.length, 2);
  });

  test('only a sent or partially paid retainer of the same customer can be paid', async () => {
    const draft = (await create({ customerId, lines: [{ description: 'A', amount: 1_000 }] })).json();
    const otherCustomer = await createCustomer(owner, { currency: 'EUR' });
    const theirs = await createSentRetainer(owner, otherCustomer, 1_000);
    const foreignCustomer = await createCustomer(otherOrg, { currency: 'EUR' });
    const foreign = await createSentRetainer(otherOrg, foreignCustomer, 1_000);
    assert.equal(
      (await recordPayment(owner, { customerId, amount: 100, retainerInvoiceId: draft.id })).statusCode,
      400,
    );
    assert.equal(
      (await recordPayment(owner, { customerId, amount: 100, retainerInvoiceId: theirs.id })).statusCode,
      400,
    );
    assert.equal(
      (await recordPayment(owner, { customerId, amount: 100, retainerInvoiceId: foreign.id })).statusCode,
      404,
    );
  });

  test('voiding a paid retainer leaves its payment as plain customer credit; reopening makes a draft', async () => {
    const retainer = await createSentRetainer(owner, customerId, 5_000);
    const payment = (await recordPayment(owner, { customerId, amount: 5_000, retainerInvoiceId: retainer.id })).json();
    const creditsBefore = (
      await owner.request({ method: 'GET', url: `/api/v1/customers/${customerId}/credits` })
    ).json();

    const voided = await action(retainer.id, 'void');
    assert.equal(voided.statusCode, 200, voided.body);
    assert.equal(voided.json().status, 'void');
    assert.equal(voided.json().amountPaid, 0);
    assert.equal(voided.json().balance, 0);
    assert.deepEqual(voided.json().payments, []);
    const detached = (await owner.request({ method: 'GET', url: `/api/v1/payments/${payment.id}` })).json();
    assert.equal(detached.retainerInvoiceId, null);
    assert.equal(detached.unapplied, 5_000);
    const creditsAfter = (
      await owner.request({ method: 'GET', url: `/api/v1/customers/${customerId}/credits` })
    ).json();
    assert.equal(creditsAfter.availableCredit, creditsBefore.availableCredit);
    assert.equal(creditsAfter.retainerCredit, creditsBefore.retainerCredit - 5_000);

    const reopened = await action(retainer.id, 'reopen');
    assert.equal(reopened.statusCode, 200, reopened.body);
    assert.equal(reopened.json().status, 'draft');
    assert.equal(reopened.json().voidedAt, null);
    assert.equal(reopened.json().balance, 5_000);
  });

  test('voiding is refused while its retainer credit is applied to invoices', async () => {
    const retainer = await createSentRetainer(owner, customerId, 3_000);
    const payment = (await recordPayment(owner, { customerId, amount: 3_000, retainerInvoiceId: retainer.id })).json();
    const target = await createInvoice(harness, owner, { customerId, total: 2_000 });
    const applied = await owner.request({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/apply-credit`,
      payload: { allocations: [{ paymentId: payment.id, invoiceId: target.id, amount: 2_000 }] },
    });
    assert.equal(applied.statusCode, 200, applied.body);
    const refused = await action(retainer.id, 'void');
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().code, 'conflict');
    const still = await get(retainer.id);
    assert.equal(still.status, 'paid');
    assert.equal(still.payments.length, 1);
    assert.equal((await invoiceMoney(harness, target.id)).status, 'paid');
  });

  test('lists with status, customer, dates, search and cursor', async () => {
    const listed = await createCustomer(owner, { displayName: 'Lister GmbH', currency: 'EUR' });
    const ids: string[] = [];
    for (const [i, issueDate] of ['2026-01-10', '2026-02-10', '2026-02-10', '2026-03-05'].entries()) {
      const created = (
        await create({ customerId: listed, issueDate, reference: `R-${i}`, lines: [{ description: 'x', amount: 10 }] })
      ).json();
      ids.push(created.id);
    }
    await action(ids[3] as string, 'send');
    const url = `/api/v1/retainer-invoices?customerId=${listed}`;
    const first = (await owner.request({ method: 'GET', url: `${url}&limit=2` })).json();
    const second = (await owner.request({ method: 'GET', url: `${url}&limit=2&cursor=${first.nextCursor}` })).json();
    assert.equal(second.nextCursor, null);
    const dates = [...first.data, ...second.data].map((r: { issueDate: string }) => r.issueDate);
    assert.deepEqual(dates, ['2026-03-05', '2026-02-10', '2026-02-10', '2026-01-10']);
    const sent = (await owner.request({ method: 'GET', url: `${url}&status=sent` })).json().data;
    assert.deepEqual(
      sent.map((r: { id: string }) => r.id),
      [ids[3]],
    );
    const february = (await owner.request({ method: 'GET', url: `${url}&from=2026-02-01&to=2026-02-28` })).json();
    assert.equal(february.data.length, 2);
    const searched = (await owner.request({ method: 'GET', url: '/api/v1/retainer-invoices?q=lister' })).json();
    assert.equal(searched.data.length, 4);
    const byRef = (await owner.request({ method: 'GET', url: `${url}&q=r-0` })).json();
    assert.deepEqual(
      byRef.data.map((r: { id: string }) => r.id),
      [ids[0]],
    );
    assert.equal((await owner.request({ method: 'GET', url: `${url}&status=overdue` })).statusCode, 400);
    assert.deepEqual((await otherOrg.request({ method: 'GET', url })).json().data, []);
  });

  test("another organization's retainer invoice answers 404 on every route", async () => {
    const retainer = (await create({ customerId, lines: [{ description: 'A', amount: 1_000 }] })).json();
    const missingId = 'ret_00000000000000000000000000';
    for (const [method, suffix, payload] of [
      ['GET', '', undefined],
      ['PATCH', '', { notes: 'stolen' }],
      ['DELETE', '', undefined],
      ['POST', '/send', undefined],
      ['POST', '/void', undefined],
      ['POST', '/reopen', undefined],
    ] as const) {
      const foreign = await otherOrg.request({
        method,
        url: `/api/v1/retainer-invoices/${retainer.id}${suffix}`,
        payload,
      });
      const missing = await otherOrg.request({
        method,
        url: `/api/v1/retainer-invoices/${missingId}${suffix}`,
        payload,
      });
      assert.equal(foreign.statusCode, 404, `${method} ${suffix} ${foreign.body}`);
      assert.deepEqual(foreign.json(), missing.json());
    }
    const still = await get(retainer.id);
    assert.equal(still.status, 'draft');
    assert.equal(still.notes, null);
  });
});
