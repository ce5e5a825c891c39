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

describe('customer credit', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    otherOrg = await createOrgAndSignIn(harness);
  });
  after(() => harness.close());

  const credits = async (customerId: string, actor = owner) =>
    actor.request({ method: 'GET', url: `/api/v1/customers/${customerId}/credits` });
  const applyCredit = (customerId: string, allocations: unknown[], actor = owner) =>
    actor.request({ method: 'POST', url: `/api/v1/customers/${customerId}/apply-credit`, payload: { allocations } });

  async function unappliedOf(paymentId: string) {
    return (await owner.request({ method: 'GET', url: `/api/v1/payments/${paymentId}` })).json().unapplied;
  }

  async function nothingWritten(run: () => Promise<void>) {
    const tables = ['customerPayments', 'paymentAllocations', 'history'] as const;
    const before = await Promise.all(tables.map((t) => countRows(harness, owner.organizationId, t)));
    await run();
    assert.deepEqual(await Promise.all(tables.map((t) => countRows(harness, owner.organizationId, t))), before);
  }

  test('unapplied payments are credit; applying it later draws the oldest first and moves balances', async () => {
    const customerId = await createCustomer(owner);
    const newer = (await recordPayment(owner, { customerId, amount: 5_000, date: '2026-03-05' })).json();
    const older = (await recordPayment(owner, { customerId, amount: 3_000, date: '2026-02-01' })).json();
    let available = (await credits(customerId)).json();
    assert.equal(available.availableCredit, 8_000);
    assert.equal(available.retainerCredit, 0);
    assert.deepEqual(
      available.payments.map((p: { id: string }) => p.id),
      [older.id, newer.id],
    );

    const a = await createInvoice(harness, owner, { customerId, total: 4_000 });
    const b = await createInvoice(harness, owner, { customerId, total: 10_000 });
    const response = await applyCredit(customerId, [
      { invoiceId: a.id, amount: 4_000 },
      { invoiceId: b.id, amount: 2_500 },
    ]);
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json();
    assert.deepEqual(
      result.applied.map((x: { paymentId: string; invoiceId: string; amount: number }) => [
        x.paymentId,
        x.invoiceId,
        x.amount,
      ]),
      [
        [older.id, a.id, 3_000],
        [newer.id, a.id, 1_000],
        [newer.id, b.id, 2_500],
      ],
    );
    assert.equal(result.credits.availableCredit, 1_500);
    assert.deepEqual(await invoiceMoney(harness, a.id), {
      status: 'paid',
      total: 4_000,
      paymentsApplied: 0,
      creditsApplied: 4_000,
      balance: 0,
    });
    assert.deepEqual(await invoiceMoney(harness, b.id), {
      status: 'partially_paid',
      total: 10_000,
      paymentsApplied: 0,
      creditsApplied: 2_500,
      balance: 7_500,
    });
    assert.equal(await unappliedOf(older.id), 0);
    assert.equal(await unappliedOf(newer.id), 1_500);
    const detail = (await owner.request({ method: 'GET', url: `/api/v1/payments/${newer.id}` })).json();
    assert.deepEqual(
      detail.allocations.map((x: { kind: string; appliedOn: string; amount: number }) => [
        x.kind,
        x.appliedOn,
        x.amount,
      ]),
      [
        ['credit', '2026-03-15', 1_000],
        ['credit', '2026-03-15', 2_500],
      ],
    );
    const events = await harness.ctx.db.kysely
      .selectFrom('history')
      .select('event')
      .where('subjectId', '=', a.id)
      .where('event', '=', 'credit_applied')
      .execute();
    assert.deepEqual(
      events.map((e) => e.event),
      ['credit_applied', 'credit_applied'],
    );
    available = (await credits(customerId)).json();
    assert.deepEqual(
      available.payments.map((p: { id: string; unapplied: number }) => [p.id, p.unapplied]),
      [[newer.id, 1_500]],
    );
  });

  test('a named payment is served first; too much credit or more than the balance is refused whole', async () => {
    const customerId = await createCustomer(owner);
    const p1 = (await recordPayment(owner, { customerId, amount: 1_000, date: '2026-01-01' })).json();
    const p2 = (await recordPayment(owner, { customerId, amount: 1_000, date: '2026-01-02' })).json();
    const a = await createInvoice(harness, owner, { customerId, total: 1_500 });
    const b = await createInvoice(harness, owner, { customerId, total: 500 });

    await nothingWritten(async () => {
      const tooMuchCredit = await applyCredit(customerId, [
        { invoiceId: a.id, amount: 1_500 },
        { invoiceId: b.id, amount: 500, paymentId: p2.id },
        { invoiceId: b.id, amount: 1 },
      ]);
      assert.equal(tooMuchCredit.statusCode, 400, tooMuchCredit.body);
      const overBalance = await applyCredit(customerId, [{ invoiceId: b.id, amount: 501 }]);
      assert.equal(overBalance.statusCode, 400);
      assert.equal(overBalance.json().errors[0].path, '/allocations/0/amount');
      const splitOverBalance = await applyCredit(customerId, [
        { invoiceId: b.id, amount: 300, paymentId: p1.id },
        { invoiceId: b.id, amount: 300, paymentId: p2.id },
      ]);
      assert.equal(splitOverBalance.statusCode, 400);
      const overPayment = await applyCredit(customerId, [{ invoiceId: a.id, amount: 1_001, paymentId: p1.id }]);
      assert.equal(overPayment.statusCode, 400);
      for (const bad of [
        [],
        [{ invoiceId: a.id, amount: 1.5 }],
        [{ invoiceId: a.id, amount: -1 }],
        [{ invoiceId: a.id }],
      ]) {
        assert.equal((await applyCredit(customerId, bad)).statusCode, 400, JSON.stringify(bad));
      }
    });

    // The un-named allocation draws p1 (oldest) because p2 was named and served first.
    const response = await applyCredit(customerId, [
      { invoiceId: a.id, amount: 1_500 },
      { invoiceId: b.id, amount: 500, paymentId: p2.id },
    ]);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(await unappliedOf(p1.id), 0);
    assert.equal(await unappliedOf(p2.id), 0);
    assert.equal((await invoiceMoney(harness, a.id)).balance, 0);
    assert.equal((await invoiceMoney(harness, b.id)).balance, 0);
    assert.equal((await credits(customerId)).json().availableCredit, 0);
  });

  test('retainer payment → retainer credit → applied to an invoice', async () => {
    const customerId = await createCustomer(owner);
    const retainer = await createSentRetainer(owner, customerId, 20_000);
    const paid = await recordPayment(owner, { customerId, amount: 20_000, retainerInvoiceId: retainer.id });
    assert.equal(paid.statusCode, 201, paid.body);
    const retainerDetail = (
      await owner.request({ method: 'GET', url: `/api/v1/retainer-invoices/${retainer.id}` })
    ).json();
    assert.equal(retainerDetail.status, 'paid');
    assert.equal(retainerDetail.balance, 0);
    let available = (await credits(customerId)).json();
    assert.equal(available.availableCredit, 20_000);
    assert.equal(available.retainerCredit, 20_000);
    assert.equal(available.payments[0].retainerInvoiceNumber, retainer.number);

    const target = await createInvoice(harness, owner, { customerId, total: 12_345 });
    const applied = await applyCredit(customerId, [{ invoiceId: target.id, amount: 12_345 }]);
    assert.equal(applied.statusCode, 200, applied.body);
    assert.deepEqual(await invoiceMoney(harness, target.id), {
      status: 'paid',
      total: 12_345,
      paymentsApplied: 0,
      creditsApplied: 12_345,
      balance: 0,
    });
    available = (await credits(customerId)).json();
    assert.equal(available.availableCredit, 7_655);
    assert.equal(available.retainerCredit, 7_655);
    const events = await harness.ctx.db.kysely
      .selectFrom('history')
      .select('event')
      .where('subjectId', '=', retainer.id)
      .orderBy('createdAt')
      .execute();
    assert.ok(events.some((e) => e.event === 'credit_applied'));
  });

  test('deleting a payment whose credit was applied restores the invoice balance', async () => {
    const customerId = await createCustomer(owner);
    const payment = (await recordPayment(owner, { customerId, amount: 2_000 })).json();
    const target = await createInvoice(harness, owner, { customerId, total: 3_000 });
    assert.equal((await applyCredit(customerId, [{ invoiceId: target.id, amount: 2_000 }])).statusCode, 200);
    assert.equal((await invoiceMoney(harness, target.id)).status, 'partially_paid');
    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/payments/${payment.id}` })).statusCode, 204);
    assert.deepEqual(await invoiceMoney(harness, target.id), {
      status: 'sent',
      total: 3_000,
      paymentsApplied: 0,
      creditsApplied: 0,
      balance: 3_000,
    });
    assert.equal((await credits(customerId)).json().availableCredit, 0);
  });

  test('credit only goes to this customer’s open invoices; other organizations’ ids answer 404', async () => {
    const customerId = await createCustomer(owner);
    const payment = (await recordPayment(owner, { customerId, amount: 5_000 })).json();
    const otherCustomer = await createCustomer(owner);
    const otherPayment = (await recordPayment(owner, { customerId: otherCustomer, amount: 5_000 })).json();
    const theirInvoice = await createInvoice(harness, owner, { customerId: otherCustomer, total: 1_000 });
    const draft = await createInvoice(harness, owner, { customerId, total: 1_000, status: 'draft' });
    const voided = await createInvoice(harness, owner, { customerId, total: 1_000, status: 'void' });
    const mine = await createInvoice(harness, owner, { customerId, total: 1_000 });
    const foreignCustomer = await createCustomer(otherOrg);
    const foreignPayment = (await recordPayment(otherOrg, { customerId: foreignCustomer, amount: 5_000 })).json();
    const foreignInvoice = await createInvoice(harness, otherOrg, { customerId: foreignCustomer, total: 1_000 });

    await nothingWritten(async () => {
      for (const target of [theirInvoice, draft, voided]) {
        const response = await applyCredit(customerId, [{ invoiceId: target.id, amount: 100 }]);
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(response.json().errors[0].path, '/allocations/0/invoiceId');
      }
      const othersPayment = await applyCredit(customerId, [
        { invoiceId: mine.id, amount: 100, paymentId: otherPayment.id },
      ]);
      assert.equal(othersPayment.statusCode, 400);
      assert.equal(othersPayment.json().errors[0].path, '/allocations/0/paymentId');

      assert.equal((await applyCredit(customerId, [{ invoiceId: foreignInvoice.id, amount: 100 }])).statusCode, 404);
      assert.equal(
        (await applyCredit(customerId, [{ invoiceId: mine.id, amount: 100, paymentId: foreignPayment.id }])).statusCode,
        404,
      );
      // Another organization cannot see or spend this customer's credit, nor reach it through its own customer.
      const missing = 'cus_00000000000000000000000000';
      const foreignRead = await credits(customerId, otherOrg);
      assert.equal(foreignRead.statusCode, 404);
      assert.deepEqual(foreignRead.json(), (await credits(missing, otherOrg)).json());
      assert.equal((await applyCredit(customerId, [{ invoiceId: mine.id, amount: 100 }], otherOrg)).statusCode, 404);
      assert.equal(
        (await applyCredit(foreignCustomer, [{ invoiceId: mine.id, amount: 100, paymentId: payment.id }], otherOrg))
          .statusCode,
        404,
      );
    });
    assert.equal(await unappliedOf(payment.id), 5_000);
    assert.equal((await invoiceMoney(harness, mine.id)).balance, 1_000);
  });

  test('concurrent credit applications never spend the same credit twice', async () => {
    const customerId = await createCustomer(owner);
    await recordPayment(owner, { customerId, amount: 3_000 });
    const invoices = await Promise.all(
      Array.from({ length: 10 }, () => createInvoice(harness, owner, { customerId, total: 1_000 })),
    );
    const responses = await Promise.all(
      invoices.map((target) => applyCredit(customerId, [{ invoiceId: target.id, amount: 1_000 }])),
    );
    const ok = responses.filter((r) => r.statusCode === 200);
    for (const r of responses.filter((x) => x.statusCode !== 200)) assert.equal(r.statusCode, 400, r.body);
    assert.equal(ok.length, 3);
    assert.equal((await credits(customerId)).json().availableCredit, 0);
    let credited = 0;
    for (const target of invoices) credited += (await invoiceMoney(harness, target.id)).creditsApplied;
    assert.equal(credited, 3_000);
  });
});
