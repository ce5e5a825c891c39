import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import type { OrgScope } from '../../src/auth/scopes.js';
import { newId } from '../../src/db/ids.js';
import { markOverdueInvoices } from '../../src/modules/invoices/jobs.js';
import { recomputeInvoiceMoney } from '../../src/modules/invoices/money.js';
import { createInvoice, getInvoice, sendInvoice } from '../../src/modules/invoices/service.js';
import { nextDocumentNumber } from '../../src/modules/numbering/next-number.js';
import {
  type Actor,
  createOrgAndSignIn,
  type Harness,
  OWNER_PASSWORD,
  signIn,
  startHarness,
} from '../support/harness.js';

type Json = Record<string, unknown>;

async function call(actor: Actor, method: InjectOptions['method'], url: string, payload?: unknown) {
  return actor.request({
    method,
    url: `/api/v1${url}`,
    ...(payload === undefined ? {} : { payload: payload as Json }),
  });
}

async function created(actor: Actor, url: string, payload: unknown) {
  const response = await call(actor, 'POST', url, payload);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

async function ok(actor: Actor, method: InjectOptions['method'], url: string, payload?: unknown) {
  const response = await call(actor, method, url, payload);
  assert.equal(response.statusCode, 200, `${method} ${url}: ${response.body}`);
  return response.json();
}

async function expectProblem(
  actor: Actor,
  method: InjectOptions['method'],
  url: string,
  status: number,
  code: string,
  payload?: unknown,
) {
  const response = await call(actor, method, url, payload);
  assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`);
  assert.equal(response.json().code, code);
  return response.json();
}

const line = (fields: Json = {}) => ({ name: 'Consulting', quantity: '1', rate: 10000, ...fields });

/**
 * Money applied the way the payments module does it (written directly: that module is built in parallel):
 * a customer payment of `amount`, `allocated` of it applied to the invoice, the rest left as credit.
 */
async function applyPayment(
  harness: Harness,
  actor: Actor,
  invoiceId: string,
  options: { amount: number; allocated: number; kind?: 'payment' | 'credit' },
) {
  const db = harness.ctx.db.kysely;
  const invoice = await db
    .selectFrom('invoices')
    .select(['customerId', 'currency'])
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  const paymentId = newId('pay');
  const now = harness.ctx.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('customerPayments')
      .values({
        id: paymentId,
        organizationId: actor.organizationId,
        customerId: invoice.customerId,
        number: await nextDocumentNumber(trx, actor.organizationId, 'payment'),
        paymentDate: '2026-03-15',
        amount: options.amount,
        unapplied: options.amount - options.allocated,
        currency: invoice.currency,
        mode: 'bank_transfer',
        reference: null,
        notes: null,
        retainerInvoiceId: null,
        paidByContactPersonId: null,
        recordedByUserId: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx
      .insertInto('paymentAllocations')
      .values({
        id: newId('alc'),
        organizationId: actor.organizationId,
        paymentId,
        invoiceId,
        kind: options.kind ?? 'payment',
        amount: options.allocated,
        appliedOn: '2026-03-15',
        releasedAt: null,
        createdAt: now,
      })
      .execute();
    await recomputeInvoiceMoney(trx, actor.organizationId, invoiceId, '2026-03-15', now);
  });
  return paymentId;
}

describe('invoices', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;
  let salesTax: string;
  let vat: string;
  let acme: string;
  let otherCustomer: string;
  let otherTax: string;

  const invoice = (fields: Json = {}) => created(owner, '/invoices', { customerId: acme, lines: [line()], ...fields });
  const unapplied = async (paymentId: string) =>
    (
      await harness.ctx.db.kysely
        .selectFrom('customerPayments')
        .select('unapplied')
        .where('id', '=', paymentId)
        .executeTakeFirstOrThrow()
    ).unapplied;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    otherOrg = await createOrgAndSignIn(harness);
    salesTax = (await created(owner, '/taxes', { name: 'Sales tax', rate: '7.25' })).id;
    vat = (await created(owner, '/taxes', { name: 'VAT', rate: '20' })).id;
    acme = (await created(owner, '/customers', { displayName: 'Acme Corp', paymentTermsDays: 10 })).id;
    otherCustomer = (await created(otherOrg, '/customers', { displayName: 'Elsewhere Ltd' })).id;
    otherTax = (await created(otherOrg, '/taxes', { name: 'Foreign tax', rate: '7.25' })).id;
  });
  after(() => harness.close());

  test("creates a draft: first number, today, due by the customer's terms or the organization's", async () => {
    const fresh = await createOrgAndSignIn(harness);
    const termsTen = (await created(fresh, '/customers', { displayName: 'Ten days', paymentTermsDays: 10 })).id;
    const noTerms = (await created(fresh, '/customers', { displayName: 'Default terms' })).id;
    const first = await created(fresh, '/invoices', {
      customerId: termsTen,
      reference: 'PO-9',
      lines: [line({ description: 'March', unit: 'h' })],
    });
    assert.match(first.id, /^inv_[0-9a-z]{26}$/);
    assert.equal(first.number, 'INV-00001');
    assert.equal(first.status, 'draft');
    assert.equal(first.issueDate, '2026-03-15');
    assert.equal(first.dueDate, '2026-03-25');
    assert.equal(first.currency, 'USD');
    assert.equal(first.allowPartialPayments, true);
    assert.deepEqual(first.customer, { id: termsTen, displayName: 'Ten days' });
    assert.equal(first.total, 10000);
    assert.equal(first.balance, 10000);
    for (const field of ['paymentsApplied', 'creditsApplied', 'writtenOff']) assert.equal(first[field], 0, field);
    assert.deepEqual(first.allocations, []);
    assert.equal(first.estimateId, null);
    assert.deepEqual(await ok(fresh, 'GET', `/invoices/${first.id}`), first);

    const second = await created(fresh, '/invoices', {
      customerId: noTerms,
      allowPartialPayments: false,
      lines: [line()],
    });
    assert.equal(second.number, 'INV-00002');
    assert.equal(second.dueDate, '2026-04-14');
    assert.equal(second.allowPartialPayments, false);

    const dated = await created(fresh, '/invoices', {
      customerId: noTerms,
      issueDate: '2026-02-27',
      lines: [line()],
    });
    assert.equal(dated.dueDate, '2026-03-29');
    const explicit = await created(fresh, '/invoices', {
      customerId: noTerms,
      issueDate: '2026-03-01',
      dueDate: '2026-03-01',
      lines: [line()],
    });
    assert.equal(explicit.dueDate, '2026-03-01');
  });

  test('prices exactly: per-line taxes, discounts, shipping, negative adjustment; per-document rounding; JPY and KWD', async () => {
    const body = await invoice({
      lines: [
        line({ name: 'A', quantity: '3', rate: 1999, taxId: salesTax, discount: { type: 'percent', value: '10' } }),
        line({ name: 'B', quantity: '1.5', rate: 3333, taxId: salesTax, discount: { type: 'amount', value: 500 } }),
        line({ name: 'C', quantity: '2', rate: 1250, taxId: vat }),
        line({ name: 'D', quantity: '1', rate: 999 }),
      ],
      discount: { type: 'percent', value: '5' },
      shipping: 1000,
      adjustment: -37,
    });
    assert.deepEqual(
      body.lines.map((l: Json) => [l.net, l.tax]),
      [
        [5397, 372],
        [4500, 310],
        [2500, 475],
        [999, 0],
      ],
    );
    assert.equal(body.subtotal, 13396);
    assert.equal(body.discountTotal, 670);
    assert.deepEqual(
      body.taxes.map((t: Json) => [t.rate, t.amount]),
      [
        ['7.25', 682],
        ['20', 475],
      ],
    );
    assert.equal(body.taxTotal, 1157);
    assert.equal(body.total, 14846);
    assert.equal(body.balance, 14846);

    const fixedAfterTax = await invoice({
      lines: [line({ quantity: '2', rate: 4500, taxId: vat }), line({ rate: 1000 })],
      discount: { type: 'amount', value: 1234 },
      discountBeforeTax: false,
    });
    assert.equal(fixedAfterTax.taxTotal, 1800);
    assert.equal(fixedAfterTax.total, 10000 + 1800 - 1234);

    await ok(owner, 'PATCH', '/organization', { taxRounding: 'document' });
    try {
      const lines = [1, 2, 3].map(() => line({ rate: 105, taxId: salesTax }));
      const perDocument = await invoice({ lines });
      assert.equal(perDocument.taxTotal, 23);
      assert.equal(perDocument.total, 338);
    } finally {
      await ok(owner, 'PATCH', '/organization', { taxRounding: 'line' });
    }
    const perLine = await invoice({ lines: [1, 2, 3].map(() => line({ rate: 105, taxId: salesTax })) });
    assert.equal(perLine.taxTotal, 24);
    assert.equal(perLine.total, 339);

    const yen = (await created(owner, '/customers', { displayName: 'Tokyo KK', currency: 'JPY' })).id;
    const jpy = await created(owner, '/invoices', {
      customerId: yen,
      lines: [line({ quantity: '1.5', rate: 333 }), line({ quantity: '3', rate: 1000 })],
      shipping: 500,
    });
    assert.equal(jpy.currency, 'JPY');
    assert.equal(jpy.subtotal, 3500);
    assert.equal(jpy.total, 4000);
    const dinar = (await created(owner, '/customers', { displayName: 'Kuwait Co', currency: 'KWD' })).id;
    const kwd = await created(owner, '/invoices', {
      customerId: dinar,
      lines: [line({ quantity: '2.5', rate: 12345, taxId: salesTax })],
      adjustment: -3,
    });
    assert.equal(kwd.currency, 'KWD');
    assert.equal(kwd.subtotal, 30863);
    assert.equal(kwd.taxTotal, 2238); // round(30863 × 7.25 %) = round(2237.5675)
    assert.equal(kwd.total, 33098);
  });

  test('numbers are sequential per organization, independent between organizations, distinct under concurrency', async () => {
    const a = await createOrgAndSignIn(harness);
    const b = await createOrgAndSignIn(harness);
    const customerA = (await created(a, '/customers', { displayName: 'A' })).id;
    const customerB = (await created(b, '/customers', { displayName: 'B' })).id;
    const make = (actor: Actor, customerId: string) => created(actor, '/invoices', { customerId, lines: [line()] });
    assert.equal((await make(a, customerA)).number, 'INV-00001');
    assert.equal((await make(b, customerB)).number, 'INV-00001');
    const many = await Promise.all(Array.from({ length: 20 }, () => make(a, customerA)));
    assert.deepEqual(
      many.map((i) => i.number).sort(),
      Array.from({ length: 20 }, (_, i) => `INV-${String(i + 2).padStart(5, '0')}`),
    );
    assert.equal((await make(b, customerB)).number, 'INV-00002');
  });

  test('bad input answers 400 and writes nothing (not even a number)', async () => {
    const fresh = await createOrgAndSignIn(harness);
    const customer = (await created(fresh, '/customers', { displayName: 'C' })).id;
    const valid = { customerId: customer, lines: [line()] };
    const cases: Array<[Json, string | null]> = [
      [{ ...valid, lines: [line({ quantity: '-1' })] }, '/lines/0/quantity'],
      [{ ...valid, lines: [line({ quantity: '1e3' })] }, '/lines/0/quantity'],
      [{ ...valid, lines: [line({ quantity: '0' })] }, '/lines/0/quantity'],
      [{ ...valid, lines: [line({ rate: 1.5 })] }, '/lines/0/rate'],
      [{ ...valid, total: 5 }, '/total'],
      [{ ...valid, lines: [line({ rate: 100, discount: { type: 'amount', value: 101 } })] }, '/lines/0/discount/value'],
      [{ ...valid, lines: [line({ taxId: otherTax })] }, '/lines/0/taxId'],
      [{ ...valid, customerId: otherCustomer }, '/customerId'],
      [{ ...valid, issueDate: '2026-03-10', dueDate: '2026-03-09' }, '/dueDate'],
      [{ ...valid, dueDate: '2026-13-01' }, '/dueDate'],
      [{ ...valid, allowPartialPayments: 'yes' }, '/allowPartialPayments'],
      [{ ...valid, lines: Array.from({ length: 501 }, () => line()) }, '/lines'],
    ];
    for (const [payload, path] of cases) {
      const problem = await expectProblem(fresh, 'POST', '/invoices', 400, 'validation_failed', payload);
      if (path !== null) {
        assert.ok(
          problem.errors.some((e: { path: string }) => e.path === path),
          `${JSON.stringify(payload).slice(0, 120)} → ${JSON.stringify(problem.errors)}`,
        );
      }
      // Words a person can act on, never the schema's regex or Ajv's phrasing.
      for (const error of problem.errors as Array<{ message: string }>) {
        assert.doesNotMatch(error.message, /pattern|\^|\$|must NOT|>=|<=/, JSON.stringify(error));
      }
    }
    const words = await expectProblem(fresh, 'POST', '/invoices', 400, 'validation_failed', {
      ...valid,
      lines: [line({ quantity: 'two' })],
      dueDate: '31/03/2026',
    });
    assert.deepEqual(words.errors.map((e: { message: string }) => e.message).sort(), [
      'must be a date written YYYY-MM-DD, such as 2026-03-31',
      'must be a number with up to 4 decimals, such as 2 or 1.5',
    ]);
    const rows = await harness.ctx.db.kysely
      .selectFrom('invoices')
      .select('id')
      .where('organizationId', '=', fresh.organizationId)
      .execute();
    assert.equal(rows.length, 0);
    assert.equal((await created(fresh, '/invoices', valid)).number, 'INV-00001');
  });

  test('send: draft → sent; a past-due invoice is overdue at once; a zero invoice is paid; sending again with no one to e-mail is 409', async () => {
    const draft = await invoice();
    harness.clock.now = new Date('2026-03-15T10:05:00.000Z');
    const sent = await ok(owner, 'POST', `/invoices/${draft.id}/send`);
    assert.equal(sent.status, 'sent');
    assert.equal(sent.sentAt, '2026-03-15T10:05:00.000Z');
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/send`, 409, 'invalid_transition');
    harness.clock.now = new Date('2026-03-15T10:00:00.000Z');

    const late = await invoice({ issueDate: '2026-02-01', dueDate: '2026-03-01' });
    assert.equal((await ok(owner, 'POST', `/invoices/${late.id}/send`)).status, 'overdue');
    const dueToday = await invoice({ issueDate: '2026-03-01', dueDate: '2026-03-15' });
    assert.equal((await ok(owner, 'POST', `/invoices/${dueToday.id}/send`)).status, 'sent');
    const free = await invoice({ lines: [line({ rate: 0 })] });
    const paid = await ok(owner, 'POST', `/invoices/${free.id}/send`);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.balance, 0);
  });

  test('edits: drafts, and sent or overdue invoices with nothing applied; money applied, paid or void → 409', async () => {
    const draft = await invoice({ lines: [line({ rate: 1000 })] });
    const edited = await ok(owner, 'PATCH', `/invoices/${draft.id}`, {
      lines: [line({ quantity: '2', rate: 1500, taxId: vat })],
      notes: 'Thank you',
      allowPartialPayments: false,
    });
    assert.equal(edited.total, 3600);
    assert.equal(edited.balance, 3600);
    assert.equal(edited.notes, 'Thank you');
    assert.equal(edited.allowPartialPayments, false);
    assert.equal(edited.status, 'draft');

    await ok(owner, 'POST', `/invoices/${draft.id}/send`);
    const resized = await ok(owner, 'PATCH', `/invoices/${draft.id}`, { shipping: 400 });
    assert.equal(resized.status, 'sent');
    assert.equal(resized.total, 4000);
    assert.equal(resized.balance, 4000);

    const late = await invoice({ issueDate: '2026-02-01', dueDate: '2026-03-01' });
    await ok(owner, 'POST', `/invoices/${late.id}/send`);
    const extended = await ok(owner, 'PATCH', `/invoices/${late.id}`, { dueDate: '2026-04-01' });
    assert.equal(extended.status, 'sent');
    const shortened = await ok(owner, 'PATCH', `/invoices/${late.id}`, { dueDate: '2026-03-02' });
    assert.equal(shortened.status, 'overdue');

    await applyPayment(harness, owner, draft.id, { amount: 1000, allocated: 1000 });
    assert.equal((await ok(owner, 'GET', `/invoices/${draft.id}`)).status, 'partially_paid');
    await expectProblem(owner, 'PATCH', `/invoices/${draft.id}`, 409, 'invalid_transition', { notes: 'x' });

    const paidOff = await invoice();
    await ok(owner, 'POST', `/invoices/${paidOff.id}/send`);
    await applyPayment(harness, owner, paidOff.id, { amount: 10000, allocated: 10000 });
    await expectProblem(owner, 'PATCH', `/invoices/${paidOff.id}`, 409, 'invalid_transition', { notes: 'x' });

    for (const payload of [{}, { customerId: acme }, { dueDate: '2026-01-01' }, { lines: [line({ rate: -5 })] }]) {
      await expectProblem(owner, 'PATCH', `/invoices/${late.id}`, 400, 'validation_failed', payload);
    }
    const history = await ok(owner, 'GET', `/invoices/${draft.id}/history`);
    assert.deepEqual(history.data.map((h: Json) => h.event).sort(), ['created', 'sent', 'updated', 'updated']);
  });

  test("void releases every live allocation into the payments' credit, in one go; the invoice shows balance 0", async () => {
    const draft = await invoice({ lines: [line({ rate: 10000 })] });
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/void`, 409, 'invalid_transition');
    await ok(owner, 'POST', `/invoices/${draft.id}/send`);
    const cash = await applyPayment(harness, owner, draft.id, { amount: 5000, allocated: 3000 });
    harness.clock.now = new Date('2026-03-15T10:01:00.000Z');
    const credit = await applyPayment(harness, owner, draft.id, { amount: 800, allocated: 500, kind: 'credit' });
    const before = await ok(owner, 'GET', `/invoices/${draft.id}`);
    assert.equal(before.status, 'partially_paid');
    assert.equal(before.paymentsApplied, 3000);
    assert.equal(before.creditsApplied, 500);
    assert.equal(before.balance, 6500);
    assert.deepEqual(
      before.allocations.map((a: Json) => [a.paymentId, a.amount, a.kind, a.date, a.releasedAt]),
      [
        [cash, 3000, 'payment', '2026-03-15', null],
        [credit, 500, 'credit', '2026-03-15', null],
      ],
    );
    assert.match(before.allocations[0].paymentNumber, /^PAY-\d{5}$/);

    harness.clock.now = new Date('2026-03-15T10:05:00.000Z');
    const voided = await ok(owner, 'POST', `/invoices/${draft.id}/void`);
    harness.clock.now = new Date('2026-03-15T10:00:00.000Z');
    assert.equal(voided.status, 'void');
    assert.equal(voided.voidedAt, '2026-03-15T10:05:00.000Z');
    assert.equal(voided.balance, 0);
    assert.equal(voided.paymentsApplied, 0);
    assert.equal(voided.creditsApplied, 0);
    assert.equal(voided.total, 10000);
    assert.ok(voided.allocations.every((a: Json) => a.releasedAt === '2026-03-15T10:05:00.000Z'));
    assert.equal(await unapplied(cash), 5000);
    assert.equal(await unapplied(credit), 800);
    const history = await ok(owner, 'GET', `/invoices/${draft.id}/history`);
    const entry = history.data.find((h: Json) => h.event === 'voided');
    assert.equal(entry.description, "Invoice voided; 35.00 USD released to the customer's credit");

    await expectProblem(owner, 'POST', `/invoices/${draft.id}/void`, 409, 'invalid_transition');
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/send`, 409, 'invalid_transition');
    await expectProblem(owner, 'PATCH', `/invoices/${draft.id}`, 409, 'invalid_transition', { notes: 'x' });
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/write-off`, 409, 'invalid_transition');
    await expectProblem(owner, 'DELETE', `/invoices/${draft.id}`, 409, 'invalid_transition');

    // Reopened, it is a draft owing its whole total again; it keeps its payment history, so it cannot be deleted.
    const reopened = await ok(owner, 'POST', `/invoices/${draft.id}/reopen`);
    assert.equal(reopened.status, 'draft');
    assert.equal(reopened.balance, 10000);
    assert.equal(reopened.voidedAt, null);
    assert.equal(reopened.sentAt, null);
    await expectProblem(owner, 'DELETE', `/invoices/${draft.id}`, 409, 'invalid_transition');
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/reopen`, 409, 'invalid_transition');
    const resent = await ok(owner, 'POST', `/invoices/${draft.id}/send`);
    assert.equal(resent.status, 'sent');
    assert.equal(resent.balance, 10000);
    assert.equal(await unapplied(cash), 5000);
  });

  test('a paid invoice can be voided; a sent one cannot be reopened; a voided-then-reopened clean draft can be deleted', async () => {
    const paid = await invoice();
    await ok(owner, 'POST', `/invoices/${paid.id}/send`);
    const payment = await applyPayment(harness, owner, paid.id, { amount: 10000, allocated: 10000 });
    assert.equal((await ok(owner, 'GET', `/invoices/${paid.id}`)).status, 'paid');
    await expectProblem(owner, 'POST', `/invoices/${paid.id}/reopen`, 409, 'invalid_transition');
    assert.equal((await ok(owner, 'POST', `/invoices/${paid.id}/void`)).status, 'void');
    assert.equal(await unapplied(payment), 10000);

    const clean = await invoice();
    await expectProblem(owner, 'POST', `/invoices/${clean.id}/reopen`, 409, 'invalid_transition');
    await ok(owner, 'POST', `/invoices/${clean.id}/send`);
    await expectProblem(owner, 'POST', `/invoices/${clean.id}/reopen`, 409, 'invalid_transition');
    await ok(owner, 'POST', `/invoices/${clean.id}/void`);
    await ok(owner, 'POST', `/invoices/${clean.id}/reopen`);
    assert.equal((await call(owner, 'DELETE', `/invoices/${clean.id}`)).statusCode, 204);
  });

  test('write-off: the whole balance or part of it, dated today; one at a time; cancel restores the balance', async () => {
    const draft = await invoice({ lines: [line({ rate: 10000 })] });
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/write-off`, 409, 'invalid_transition');
    await ok(owner, 'POST', `/invoices/${draft.id}/send`);
    await applyPayment(harness, owner, draft.id, { amount: 2500, allocated: 2500 });

    await expectProblem(owner, 'POST', `/invoices/${draft.id}/write-off`, 400, 'validation_failed', { amount: 7501 });
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/write-off`, 400, 'validation_failed', { amount: 0 });
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/write-off`, 400, 'validation_failed', { amount: 1.5 });
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/write-off`, 400, 'validation_failed', { all: true });
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/cancel-write-off`, 409, 'invalid_transition');

    const partial = await ok(owner, 'POST', `/invoices/${draft.id}/write-off`, { amount: 500 });
    assert.equal(partial.writtenOff, 500);
    assert.equal(partial.writtenOffOn, '2026-03-15');
    assert.equal(partial.balance, 7000);
    assert.equal(partial.status, 'partially_paid');
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/write-off`, 409, 'invalid_transition');

    const cancelled = await ok(owner, 'POST', `/invoices/${draft.id}/cancel-write-off`);
    assert.equal(cancelled.writtenOff, 0);
    assert.equal(cancelled.writtenOffOn, null);
    assert.equal(cancelled.balance, 7500);

    const whole = await ok(owner, 'POST', `/invoices/${draft.id}/write-off`);
    assert.equal(whole.writtenOff, 7500);
    assert.equal(whole.balance, 0);
    assert.equal(whole.status, 'paid');
    await expectProblem(owner, 'POST', `/invoices/${draft.id}/write-off`, 409, 'invalid_transition');

    // Voiding cancels the write-off along with the payments.
    const voided = await ok(owner, 'POST', `/invoices/${draft.id}/void`);
    assert.equal(voided.writtenOff, 0);
    assert.equal(voided.writtenOffOn, null);
    assert.equal(voided.balance, 0);

    const overdue = await invoice({ issueDate: '2026-01-01', dueDate: '2026-02-01' });
    assert.equal((await ok(owner, 'POST', `/invoices/${overdue.id}/send`)).status, 'overdue');
    harness.clock.now = new Date('2026-03-15T10:01:00.000Z');
    const settled = await ok(owner, 'POST', `/invoices/${overdue.id}/write-off`, {});
    assert.equal(settled.status, 'paid');
    harness.clock.now = new Date('2026-03-15T10:02:00.000Z');
    const reopened = await ok(owner, 'POST', `/invoices/${overdue.id}/cancel-write-off`);
    assert.equal(reopened.status, 'overdue');
    harness.clock.now = new Date('2026-03-15T10:00:00.000Z');

    const history = await ok(owner, 'GET', `/invoices/${overdue.id}/history`);
    assert.deepEqual(
      history.data.filter((h: Json) => String(h.event).startsWith('writ')).map((h: Json) => [h.event, h.description]),
      [
        ['written_off', '100.00 USD written off'],
        ['write_off_cancelled', 'Write-off of 100.00 USD cancelled'],
      ],
    );
  });

  test('only drafts are deleted, with their lines and activity', async () => {
    const draft = await invoice();
    await created(owner, `/invoices/${draft.id}/comments`, { text: 'internal' });
    assert.equal((await call(owner, 'DELETE', `/invoices/${draft.id}`)).statusCode, 204);
    await expectProblem(owner, 'GET', `/invoices/${draft.id}`, 404, 'not_found');
    const db = harness.ctx.db.kysely;
    assert.equal(
      (await db.selectFrom('invoiceLines').select('id').where('documentId', '=', draft.id).execute()).length,
      0,
    );
    assert.equal((await db.selectFrom('comments').select('id').where('subjectId', '=', draft.id).execute()).length, 0);
    assert.equal((await db.selectFrom('history').select('id').where('subjectId', '=', draft.id).execute()).length, 0);

    const sent = await invoice();
    await ok(owner, 'POST', `/invoices/${sent.id}/send`);
    await expectProblem(owner, 'DELETE', `/invoices/${sent.id}`, 409, 'invalid_transition');
    assert.equal((await ok(owner, 'GET', `/invoices/${sent.id}`)).status, 'sent');
  });

  test('lists newest first; status (and unpaid), customer, dates, search and cursor', async () => {
    const org = await createOrgAndSignIn(harness);
    const north = (await created(org, '/customers', { displayName: 'Northwind Traders' })).id;
    const south = (await created(org, '/customers', { displayName: 'Southern Co' })).id;
    const make = async (customerId: string, issueDate: string, reference: string | null = null) =>
      created(org, '/invoices', { customerId, issueDate, dueDate: '2026-12-31', reference, lines: [line()] });
    const draft = await make(north, '2026-01-05', 'ALPHA');
    const sent = await make(south, '2026-02-05');
    const paid = await make(north, '2026-02-20');
    const partial = await make(south, '2026-03-01', 'beta');
    const voided = await make(north, '2026-03-02');
    for (const id of [sent.id, paid.id, partial.id, voided.id]) await ok(org, 'POST', `/invoices/${id}/send`);
    await applyPayment(harness, org, paid.id, { amount: 10000, allocated: 10000 });
    await applyPayment(harness, org, partial.id, { amount: 100, allocated: 100 });
    await ok(org, 'POST', `/invoices/${voided.id}/void`);
    const ids = async (query: string) => (await ok(org, 'GET', `/invoices${query}`)).data.map((i: Json) => i.id);

    assert.deepEqual(await ids(''), [voided.id, partial.id, paid.id, sent.id, draft.id]);
    assert.deepEqual(await ids('?status=unpaid'), [partial.id, sent.id]);
    assert.deepEqual(await ids('?status=paid'), [paid.id]);
    assert.deepEqual(await ids('?status=void'), [voided.id]);
    assert.deepEqual(await ids('?status=draft'), [draft.id]);
    assert.deepEqual(await ids('?status=partially_paid'), [partial.id]);
    assert.deepEqual(await ids(`?customerId=${south}`), [partial.id, sent.id]);
    assert.deepEqual(await ids(`?customerId=${south}&status=sent`), [sent.id]);
    assert.deepEqual(await ids('?from=2026-02-01&to=2026-02-28'), [paid.id, sent.id]);
    assert.deepEqual(await ids('?q=ALPHA'), [draft.id]);
    assert.deepEqual(await ids('?q=Beta'), [partial.id]);
    assert.deepEqual(await ids('?q=northwind'), [voided.id, paid.id, draft.id]);
    assert.deepEqual(await ids(`?q=${sent.number.toLowerCase()}`), [sent.id]);
    assert.deepEqual(await ids(`?customerId=${otherCustomer}`), []);

    const summary = (await ok(org, 'GET', `/invoices?status=partially_paid`)).data[0];
    assert.equal(summary.balance, 9900);
    assert.equal(summary.paymentsApplied, 100);
    assert.equal(summary.customer.displayName, 'Southern Co');
    assert.equal(summary.lines, undefined);

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { data: Json[]; nextCursor: string | null } = await ok(
        org,
        'GET',
        `/invoices?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.data.map((i) => i.id as string));
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, await ids(''));
    await expectProblem(org, 'GET', '/invoices?status=late', 400, 'validation_failed');
    await expectProblem(org, 'GET', '/invoices?limit=101', 400, 'validation_failed');
  });

  test('createInvoice, sendInvoice and getInvoice serve other modules (a recurring profile, here)', async () => {
    const scope: OrgScope = {
      organizationId: owner.organizationId,
      userId: owner.userId,
      role: 'owner',
      via: 'session',
    };
    const profileId = newId('rec');
    const now = harness.ctx.now().toISOString();
    await harness.ctx.db.kysely
      .insertInto('recurringProfiles')
      .values({
        id: profileId,
        organizationId: owner.organizationId,
        customerId: acme,
        name: 'Monthly retainer',
        status: 'active',
        frequency: 'monthly',
        startDate: '2026-03-01',
        endDate: null,
        nextDate: '2026-04-01',
        anchorDay: 1,
        currency: 'USD',
        paymentTermsDays: 15,
        template: '{}',
        lastInvoiceId: null,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      })
      .execute();
    const made = await createInvoice(
      harness.ctx,
      scope,
      { customerId: acme, dueDate: '2026-03-30', lines: [line({ rate: 2500, taxId: vat })] },
      { recurringProfileId: profileId },
    );
    assert.equal(made.recurringProfileId, profileId);
    assert.equal(made.total, 3000);
    assert.equal(made.dueDate, '2026-03-30');
    const sent = await sendInvoice(harness.ctx, scope, made.id);
    assert.equal(sent.status, 'sent');
    assert.deepEqual(await getInvoice(harness.ctx, scope, made.id), sent);
    const history = await ok(owner, 'GET', `/invoices/${made.id}/history`);
    assert.ok(history.data.some((h: Json) => h.description === 'Invoice created by a recurring profile'));
    const otherScope: OrgScope = { ...scope, organizationId: otherOrg.organizationId };
    await assert.rejects(getInvoice(harness.ctx, otherScope, made.id), { code: 'not_found' });
  });

  test("another organization's invoice answers 404 on every route, like a missing one", async () => {
    const mine = await invoice();
    const sentOne = await invoice();
    await ok(owner, 'POST', `/invoices/${sentOne.id}/send`);
    const missing = await call(otherOrg, 'GET', '/invoices/inv_00000000000000000000000000');
    assert.equal(missing.statusCode, 404);
    const attempts: Array<[InjectOptions['method'], string, unknown]> = [
      ['GET', `/invoices/${mine.id}`, undefined],
      ['PATCH', `/invoices/${mine.id}`, { notes: 'stolen' }],
      ['DELETE', `/invoices/${mine.id}`, undefined],
      ['POST', `/invoices/${mine.id}/send`, undefined],
      ['POST', `/invoices/${sentOne.id}/void`, undefined],
      ['POST', `/invoices/${sentOne.id}/reopen`, undefined],
      ['POST', `/invoices/${sentOne.id}/write-off`, { amount: 1 }],
      ['POST', `/invoices/${sentOne.id}/cancel-write-off`, undefined],
    ];
    for (const [method, url, payload] of attempts) {
      const response = await call(otherOrg, method, url, payload);
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      assert.deepEqual(response.json(), missing.json());
    }
    assert.ok(!(await ok(otherOrg, 'GET', '/invoices')).data.some((i: Json) => i.id === mine.id));
    assert.equal((await ok(owner, 'GET', `/invoices/${mine.id}`)).status, 'draft');
    assert.equal((await ok(owner, 'GET', `/invoices/${sentOne.id}`)).status, 'sent');
  });
});

describe('overdue marking job', () => {
  let harness: Harness;
  let utc: Actor;
  let auckland: Actor;

  before(async () => {
    harness = await startHarness({ now: '2026-03-10T10:00:00.000Z' });
    utc = await createOrgAndSignIn(harness, { timeZone: 'UTC', ownerEmail: 'utc-overdue@example.com' });
    auckland = await createOrgAndSignIn(harness, {
      timeZone: 'Pacific/Auckland',
      ownerEmail: 'akl-overdue@example.com',
    });
  });
  after(() => harness.close());

  async function moveClock(iso: string) {
    harness.clock.now = new Date(iso);
    utc = await signIn(harness, 'utc-overdue@example.com', OWNER_PASSWORD, utc);
    auckland = await signIn(harness, 'akl-overdue@example.com', OWNER_PASSWORD, auckland);
  }

  async function issued(actor: Actor, dueDate: string, send = true) {
    const customerId = (await created(actor, '/customers', { displayName: 'Client' })).id;
    const body = await created(actor, '/invoices', {
      customerId,
      issueDate: '2026-03-01',
      dueDate,
      lines: [line({ rate: 1000 })],
    });
    if (send) await ok(actor, 'POST', `/invoices/${body.id}/send`);
    return body.id as string;
  }
  const statusOf = async (actor: Actor, id: string) => (await ok(actor, 'GET', `/invoices/${id}`)).status;

  test("marks unpaid invoices past their due date overdue, by each organization's own today", async () => {
    const utcDue = await issued(utc, '2026-03-20');
    const utcPartial = await issued(utc, '2026-03-20');
    await applyPayment(harness, utc, utcPartial, { amount: 100, allocated: 100 });
    const utcPaid = await issued(utc, '2026-03-20');
    await applyPayment(harness, utc, utcPaid, { amount: 1000, allocated: 1000 });
    const utcDraft = await issued(utc, '2026-03-20', false);
    const utcLater = await issued(utc, '2026-03-21');
    const aklDue = await issued(auckland, '2026-03-20');

    await moveClock('2026-03-20T12:00:00.000Z'); // 21 March 01:00 in Auckland
    assert.equal(await markOverdueInvoices(harness.ctx, harness.clock.now), 1);
    assert.equal(await statusOf(auckland, aklDue), 'overdue');
    assert.equal(await statusOf(utc, utcDue), 'sent'); // due today is not late yet

    await moveClock('2026-03-21T00:30:00.000Z');
    assert.equal(await markOverdueInvoices(harness.ctx, harness.clock.now), 2);
    assert.equal(await statusOf(utc, utcDue), 'overdue');
    assert.equal(await statusOf(utc, utcPartial), 'overdue');
    assert.equal(await statusOf(utc, utcPaid), 'paid');
    assert.equal(await statusOf(utc, utcDraft), 'draft');
    assert.equal(await statusOf(utc, utcLater), 'sent');
    assert.equal(await markOverdueInvoices(harness.ctx, harness.clock.now), 0);

    const history = await ok(utc, 'GET', `/invoices/${utcDue}/history`);
    const overdue = history.data.find((h: Json) => h.event === 'overdue');
    assert.equal(overdue.actorType, 'system');
    assert.equal(overdue.description, 'Payment was due on 2026-03-20');
    assert.deepEqual(
      (await ok(utc, 'GET', '/invoices?status=overdue')).data.map((i: Json) => i.id).sort(),
      [utcDue, utcPartial].sort(),
    );
  });
});
