import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  countRows,
  createCustomer,
  createInvoice,
  invoiceMoney,
  recordPayment,
  type TestInvoice,
} from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

describe('payments', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;
  let customerId: string;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    otherOrg = await createOrgAndSignIn(harness);
    customerId = await createCustomer(owner, { displayName: 'Acme Corp' });
  });
  after(() => harness.close());

  const invoice = (total: number, extra: Partial<Parameters<typeof createInvoice>[2]> = {}) =>
    createInvoice(harness, owner, { customerId, total, ...extra });

  /** The money events of a document (its own created/sent/… events are the invoices module's). */
  async function historyOf(subjectId: string) {
    return harness.ctx.db.kysely
      .selectFrom('history')
      .select(['event', 'description', 'actorType', 'actorId'])
      .where('subjectId', '=', subjectId)
      .where('event', 'in', ['payment_recorded', 'payment_deleted', 'credit_applied'])
      .orderBy('createdAt')
      .execute();
  }

  async function nothingWritten(run: () => Promise<void>) {
    const before = await Promise.all(
      (['customerPayments', 'paymentAllocations', 'history'] as const).map((t) =>
        countRows(harness, owner.organizationId, t),
      ),
    );
    await run();
    const afterCounts = await Promise.all(
      (['customerPayments', 'paymentAllocations', 'history'] as const).map((t) =>
        countRows(harness, owner.organizationId, t),
      ),
    );
    assert.deepEqual(afterCounts, before);
  }

  test('records a payment applied to several invoices: balances exact, statuses follow, the rest is credit', async () => {
    const a = await invoice(10_000);
    const b = await invoice(25_050);
    const response = await recordPayment(owner, {
      customerId,
      amount: 40_000,
      reference: 'WIRE-1',
      allocations: [
        { invoiceId: a.id, amount: 10_000 },
        { invoiceId: b.id, amount: 20_000 },
      ],
    });
    assert.equal(response.statusCode, 201, response.body);
    const payment = response.json();
    assert.match(payment.id, /^pay_[0-9a-z]{26}$/);
    assert.equal(payment.number, 'PAY-00001');
    assert.equal(payment.customerName, 'Acme Corp');
    assert.equal(payment.currency, 'USD');
    assert.equal(payment.date, '2026-03-10');
    assert.equal(payment.amount, 40_000);
    assert.equal(payment.applied, 30_000);
    assert.equal(payment.unapplied, 10_000);
    assert.equal(payment.source, 'offline');
    assert.equal(payment.retainerInvoiceId, null);
    assert.deepEqual(
      payment.allocations.map((x: Record<string, unknown>) => [
        x.invoiceId,
        x.invoiceNumber,
        x.amount,
        x.kind,
        x.appliedOn,
        x.released,
      ]),
      [
        [a.id, a.number, 10_000, 'payment', '2026-03-10', false],
        [b.id, b.number, 20_000, 'payment', '2026-03-10', false],
      ],
    );
    assert.deepEqual(await invoiceMoney(harness, a.id), {
      status: 'paid',
      total: 10_000,
      paymentsApplied: 10_000,
      creditsApplied: 0,
      balance: 0,
    });
    assert.deepEqual(await invoiceMoney(harness, b.id), {
      status: 'partially_paid',
      total: 25_050,
      paymentsApplied: 20_000,
      creditsApplied: 0,
      balance: 5_050,
    });
    const credits = (await owner.request({ method: 'GET', url: `/api/v1/customers/${customerId}/credits` })).json();
    assert.equal(credits.availableCredit, 10_000);
    assert.equal(credits.retainerCredit, 0);
    assert.deepEqual(
      credits.payments.map((p: { id: string; unapplied: number }) => [p.id, p.unapplied]),
      [[payment.id, 10_000]],
    );

    const invoiceHistory = await historyOf(a.id);
    assert.deepEqual(
      invoiceHistory.map((h) => h.event),
      ['payment_recorded'],
    );
    assert.match(invoiceHistory[0]?.description ?? '', /PAY-00001: USD 100\.00 applied/);
    assert.equal(invoiceHistory[0]?.actorId, owner.userId);
    assert.deepEqual(
      (await historyOf(payment.id)).map((h) => h.event),
      ['payment_recorded'],
    );
  });

  test('an overdue invoice can be paid and stays overdue while a balance remains', async () => {
    const late = await invoice(5_000, { issueDate: '2026-02-01', dueDate: '2026-03-01' });
    assert.equal((await invoiceMoney(harness, late.id)).status, 'overdue');
    const response = await recordPayment(owner, {
      customerId,
      amount: 1_000,
      allocations: [{ invoiceId: late.id, amount: 1_000 }],
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.deepEqual(await invoiceMoney(harness, late.id), {
      status: 'overdue',
      total: 5_000,
      paymentsApplied: 1_000,
      creditsApplied: 0,
      balance: 4_000,
    });
  });

  test('paying more than an invoice balance, or allocating more than the payment, is refused and writes nothing', async () => {
    const target = await invoice(10_000);
    const other = await invoice(10_000);
    await nothingWritten(async () => {
      const over = await recordPayment(owner, {
        customerId,
        amount: 20_000,
        allocations: [{ invoiceId: target.id, amount: 10_001 }],
      });
      assert.equal(over.statusCode, 400, over.body);
      assert.equal(over.json().code, 'validation_failed');
      assert.equal(over.json().errors[0].path, '/allocations/0/amount');

      const beyond = await recordPayment(owner, {
        customerId,
        amount: 15_000,
        allocations: [
          { invoiceId: target.id, amount: 10_000 },
          { invoiceId: other.id, amount: 6_000 },
        ],
      });
      assert.equal(beyond.statusCode, 400, beyond.body);
      assert.equal(beyond.json().errors[0].path, '/allocations/1/amount');

      const twice = await recordPayment(owner, {
        customerId,
        amount: 15_000,
        allocations: [
          { invoiceId: target.id, amount: 1_000 },
          { invoiceId: target.id, amount: 1_000 },
        ],
      });
      assert.equal(twice.statusCode, 400, twice.body);
      assert.equal(twice.json().errors[0].path, '/allocations/1/invoiceId');
    });
    assert.equal((await invoiceMoney(harness, target.id)).balance, 10_000);
  });

  test('draft, void, paid, foreign and other-customer invoices cannot receive a payment', async () => {
    const draft = await invoice(1_000, { status: 'draft' });
    const voided = await invoice(1_000, { status: 'void' });
    const paid = await invoice(1_000);
    assert.equal(
      (await recordPayment(owner, { customerId, amount: 1_000, allocations: [{ invoiceId: paid.id, amount: 1_000 }] }))
        .statusCode,
      201,
    );
    const otherCustomerId = await createCustomer(owner);
    const otherCustomers = await createInvoice(harness, owner, { customerId: otherCustomerId, total: 1_000 });
    const foreignCustomer = await createCustomer(otherOrg);
    const foreign = await createInvoice(harness, otherOrg, { customerId: foreignCustomer, total: 1_000 });

    await nothingWritten(async () => {
      for (const target of [draft, voided, paid, otherCustomers]) {
        const response = await recordPayment(owner, {
          customerId,
          amount: 500,
          allocations: [{ invoiceId: target.id, amount: 500 }],
        });
        assert.equal(response.statusCode, 400, `${target.number}: ${response.body}`);
        assert.equal(response.json().errors[0].path, '/allocations/0/invoiceId');
      }
      const missing = await recordPayment(owner, {
        customerId,
        amount: 500,
        allocations: [{ invoiceId: 'inv_00000000000000000000000000', amount: 500 }],
      });
      const foreignResponse = await recordPayment(owner, {
        customerId,
        amount: 500,
        allocations: [{ invoiceId: foreign.id, amount: 500 }],
      });
      assert.equal(foreignResponse.statusCode, 404);
      assert.deepEqual(foreignResponse.json(), missing.json());
      const foreignPayer = await recordPayment(owner, { customerId: foreignCustomer, amount: 500 });
      assert.equal(foreignPayer.statusCode, 404);
    });
    assert.equal((await invoiceMoney(harness, foreign.id)).balance, 1_000);
  });

  test('currency must be the customer’s and each invoice’s', async () => {
    const target = await invoice(1_000);
    await nothingWritten(async () => {
      const wrong = await recordPayment(owner, { customerId, amount: 500, currency: 'EUR' });
      assert.equal(wrong.statusCode, 400, wrong.body);
      assert.equal(wrong.json().errors[0].path, '/currency');
    });
    // An invoice issued in euros, then the customer moved to dollars: a dollar payment cannot pay it.
    const switching = await createCustomer(owner, { currency: 'EUR' });
    const euroInvoice = await createInvoice(harness, owner, { customerId: switching, total: 1_000 });
    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/customers/${switching}`,
      payload: { currency: 'USD' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    await nothingWritten(async () => {
      const mismatch = await recordPayment(owner, {
        customerId: switching,
        amount: 500,
        allocations: [{ invoiceId: euroInvoice.id, amount: 500 }],
      });
      assert.equal(mismatch.statusCode, 400, mismatch.body);
      assert.match(mismatch.json().errors[0].message, /EUR/);
    });
    const right = await recordPayment(owner, {
      customerId,
      amount: 500,
      currency: 'USD',
      allocations: [{ invoiceId: target.id, amount: 500 }],
    });
    assert.equal(right.statusCode, 201, right.body);
  });

  test('bad input answers 400 and writes nothing', async () => {
    const target = await invoice(1_000);
    await nothingWritten(async () => {
      for (const payload of [
        { customerId, amount: 10.5 },
        { customerId, amount: -100 },
        { customerId, amount: 0 },
        { customerId, amount: '100' },
        { customerId, amount: 100, organizationId: owner.organizationId },
        { customerId, amount: 100, mode: 'crypto' },
        { customerId, amount: 100, date: '2026-02-30' },
        { customerId, amount: 100, date: '10/03/2026' },
        { customerId, amount: 100, allocations: [{ invoiceId: target.id, amount: 0.5 }] },
        { customerId, amount: 100, allocations: [{ invoiceId: target.id, amount: -1 }] },
        { customerId, amount: 100, allocations: [{ invoiceId: target.id, amount: 50, kind: 'credit' }] },
        {
          customerId,
          amount: 100,
          retainerInvoiceId: 'ret_00000000000000000000000000',
          allocations: [{ invoiceId: target.id, amount: 50 }],
        },
        { customerId: 'not-an-id', amount: 100 },
      ]) {
        const response = await recordPayment(owner, payload);
        assert.equal(response.statusCode, 400, `${JSON.stringify(payload)} → ${response.body}`);
        assert.equal(response.json().code, 'validation_failed');
      }
    });
  });

  test('lists newest first with filters and cursor pagination; detail shows allocations', async () => {
    const listCustomer = await createCustomer(owner, { displayName: 'Listing Ltd' });
    const dates = ['2026-01-05', '2026-02-10', '2026-02-10', '2026-03-01'];
    const ids: string[] = [];
    for (const [i, date] of dates.entries()) {
      const response = await recordPayment(owner, {
        customerId: listCustomer,
        amount: 100 * (i + 1),
        date,
        mode: i === 0 ? 'cash' : 'check',
        reference: `REF-${i}`,
      });
      assert.equal(response.statusCode, 201, response.body);
      ids.push(response.json().id);
    }
    const all = (
      await owner.request({ method: 'GET', url: `/api/v1/payments?customerId=${listCustomer}&limit=3` })
    ).json();
    assert.equal(all.data.length, 3);
    assert.ok(all.nextCursor);
    const rest = (
      await owner.request({
        method: 'GET',
        url: `/api/v1/payments?customerId=${listCustomer}&limit=3&cursor=${all.nextCursor}`,
      })
    ).json();
    assert.equal(rest.nextCursor, null);
    const seen = [...all.data, ...rest.data];
    assert.deepEqual(
      seen.map((p: { date: string }) => p.date),
      ['2026-03-01', '2026-02-10', '2026-02-10', '2026-01-05'],
    );
    assert.deepEqual(new Set(seen.map((p: { id: string }) => p.id)), new Set(ids));
    const sameDay = seen.slice(1, 3).map((p: { id: string }) => p.id);
    assert.deepEqual(sameDay, [...sameDay].sort().reverse());

    const cash = (await owner.request({ method: 'GET', url: `/api/v1/payments?customerId=${listCustomer}&mode=cash` }))
      .json()
      .data.map((p: { id: string }) => p.id);
    assert.deepEqual(cash, [ids[0]]);
    const february = (
      await owner.request({
        method: 'GET',
        url: `/api/v1/payments?customerId=${listCustomer}&from=2026-02-01&to=2026-02-28`,
      })
    ).json().data;
    assert.equal(february.length, 2);
    const byReference = (await owner.request({ method: 'GET', url: '/api/v1/payments?q=ref-3' })).json().data;
    assert.deepEqual(
      byReference.map((p: { id: string }) => p.id),
      [ids[3]],
    );
    const byName = (await owner.request({ method: 'GET', url: '/api/v1/payments?q=listing' })).json().data;
    assert.equal(byName.length, 4);
    const bad = await owner.request({ method: 'GET', url: '/api/v1/payments?mode=crypto' });
    assert.equal(bad.statusCode, 400);
    const foreignList = (
      await otherOrg.request({ method: 'GET', url: `/api/v1/payments?customerId=${listCustomer}` })
    ).json();
    assert.deepEqual(foreignList.data, []);
  });

  test('edits reference, notes, mode and date only; the date moves what was applied at receipt', async () => {
    const target = await invoice(2_000);
    const created = (
      await recordPayment(owner, { customerId, amount: 2_000, allocations: [{ invoiceId: target.id, amount: 1_500 }] })
    ).json();
    const edited = await owner.request({
      method: 'PATCH',
      url: `/api/v1/payments/${created.id}`,
      payload: { date: '2026-03-12', mode: 'check', reference: 'CHK-77', notes: 'Posted late' },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    const payment = edited.json();
    assert.equal(payment.date, '2026-03-12');
    assert.equal(payment.mode, 'check');
    assert.equal(payment.reference, 'CHK-77');
    assert.equal(payment.notes, 'Posted late');
    assert.equal(payment.allocations[0].appliedOn, '2026-03-12');
    for (const payload of [{ amount: 5 }, {}, { reference: 'x', unapplied: 0 }, { date: '2026-13-01' }]) {
      const refused = await owner.request({ method: 'PATCH', url: `/api/v1/payments/${created.id}`, payload });
      assert.equal(refused.statusCode, 400, JSON.stringify(payload));
    }
    assert.equal((await owner.request({ method: 'GET', url: `/api/v1/payments/${created.id}` })).json().amount, 2_000);
  });

  test('deleting a payment restores every balance it touched and leaves history', async () => {
    const a = await invoice(3_000);
    const b = await invoice(4_000);
    const created = (
      await recordPayment(owner, {
        customerId,
        amount: 7_000,
        allocations: [
          { invoiceId: a.id, amount: 3_000 },
          { invoiceId: b.id, amount: 1_000 },
        ],
      })
    ).json();
    assert.equal((await invoiceMoney(harness, a.id)).status, 'paid');
    const removed = await owner.request({ method: 'DELETE', url: `/api/v1/payments/${created.id}` });
    assert.equal(removed.statusCode, 204, removed.body);
    for (const [target, total] of [
      [a, 3_000],
      [b, 4_000],
    ] as Array<[TestInvoice, number]>) {
      assert.deepEqual(await invoiceMoney(harness, target.id), {
        status: 'sent',
        total,
        paymentsApplied: 0,
        creditsApplied: 0,
        balance: total,
      });
      assert.deepEqual(
        (await historyOf(target.id)).map((h) => h.event),
        ['payment_recorded', 'payment_deleted'],
      );
    }
    assert.equal((await owner.request({ method: 'GET', url: `/api/v1/payments/${created.id}` })).statusCode, 404);
    const allocations = await harness.ctx.db.kysely
      .selectFrom('paymentAllocations')
      .select('id')
      .where('paymentId', '=', created.id)
      .execute();
    assert.equal(allocations.length, 0);
  });

  test('voiding an invoice gives its payment back as credit; deleting that payment leaves the void invoice alone', async () => {
    const target = await invoice(6_000);
    const kept = await invoice(1_000);
    const payment = (
      await recordPayment(owner, {
        customerId,
        amount: 7_000,
        allocations: [
          { invoiceId: target.id, amount: 6_000 },
          { invoiceId: kept.id, amount: 1_000 },
        ],
      })
    ).json();
    const voided = await owner.request({ method: 'POST', url: `/api/v1/invoices/${target.id}/void` });
    assert.equal(voided.statusCode, 200, voided.body);
    const released = (await owner.request({ method: 'GET', url: `/api/v1/payments/${payment.id}` })).json();
    assert.equal(released.unapplied, 6_000);
    assert.deepEqual(
      released.allocations.map((a: { invoiceId: string; released: boolean }) => [a.invoiceId, a.released]),
      [
        [target.id, true],
        [kept.id, false],
      ],
    );
    const voidMoney = await invoiceMoney(harness, target.id);
    assert.equal(voidMoney.status, 'void');

    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/payments/${payment.id}` })).statusCode, 204);
    assert.deepEqual(await invoiceMoney(harness, target.id), voidMoney);
    assert.equal((await invoiceMoney(harness, kept.id)).balance, 1_000);
  });

  test('a payment received online cannot be deleted here', async () => {
    const created = (await recordPayment(owner, { customerId, amount: 100 })).json();
    await harness.ctx.db.kysely
      .updateTable('customerPayments')
      .set({ source: 'portal' })
      .where('id', '=', created.id)
      .execute();
    const refused = await owner.request({ method: 'DELETE', url: `/api/v1/payments/${created.id}` });
    assert.equal(refused.statusCode, 409);
  });

  test('20 concurrent payments of 30% of one invoice never take it below zero', async () => {
    const target = await invoice(10_000);
    const share = 3_000;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordPayment(owner, {
          customerId,
          amount: share,
          reference: `RACE-${i}`,
          allocations: [{ invoiceId: target.id, amount: share }],
        }),
      ),
    );
    const ok = responses.filter((r) => r.statusCode === 201);
    const refused = responses.filter((r) => r.statusCode !== 201);
    for (const response of refused) assert.ok([400, 409].includes(response.statusCode), response.body);
    assert.equal(ok.length, 3);
    const money = await invoiceMoney(harness, target.id);
    assert.equal(money.paymentsApplied, ok.length * share);
    assert.equal(money.balance, 10_000 - ok.length * share);
    assert.ok(money.balance >= 0);
    const allocated = await harness.ctx.db.kysely
      .selectFrom('paymentAllocations')
      .select((eb) => eb.fn.sum<number>('amount').as('sum'))
      .where('invoiceId', '=', target.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(allocated.sum), ok.length * share);
    const raced = await harness.ctx.db.kysely
      .selectFrom('customerPayments')
      .select('id')
      .where('reference', 'like', 'RACE-%')
      .execute();
    assert.equal(raced.length, ok.length);
  });

  test("another organization's payment answers 404 on every route, exactly like a missing one", async () => {
    const created = (await recordPayment(owner, { customerId, amount: 100 })).json();
    const missingId = 'pay_00000000000000000000000000';
    for (const [method, suffix, payload] of [
      ['GET', '', undefined],
      ['PATCH', '', { reference: 'stolen' }],
      ['DELETE', '', undefined],
    ] as const) {
      const foreign = await otherOrg.request({ method, url: `/api/v1/payments/${created.id}${suffix}`, payload });
      const missing = await otherOrg.request({ method, url: `/api/v1/payments/${missingId}${suffix}`, payload });
      assert.equal(foreign.statusCode, 404, `${method} ${foreign.body}`);
      assert.deepEqual(foreign.json(), missing.json());
    }
    const still = (await owner.request({ method: 'GET', url: `/api/v1/payments/${created.id}` })).json();
    assert.equal(still.reference, null);
  });
});
