import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { expireEstimates } from '../../src/modules/estimates/jobs.js';
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
  assert.equal(response.statusCode, 200, response.body);
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

describe('estimates', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;
  let salesTax: string;
  let vat: string;
  let acme: string;
  let otherCustomer: string;
  let otherTax: string;

  const line = (fields: Json = {}) => ({ name: 'Consulting', quantity: '1', rate: 10000, ...fields });
  const estimate = (fields: Json = {}) =>
    created(owner, '/estimates', { customerId: acme, lines: [line()], ...fields });
  const setStatus = (id: string, fields: Json) =>
    harness.ctx.db.kysely.updateTable('estimates').set(fields).where('id', '=', id).execute();

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

  test('creates a draft: first number, today, expiry from the validity days, customer currency', async () => {
    const fresh = await createOrgAndSignIn(harness);
    const customer = (await created(fresh, '/customers', { displayName: 'First Customer' })).id;
    const body = await created(fresh, '/estimates', {
      customerId: customer,
      reference: 'PO-1',
      subject: 'Website',
      notes: 'Thanks',
      terms: 'Net 30',
      lines: [{ name: 'Design', description: 'Two rounds', quantity: '2', unit: 'h', rate: 5000 }],
    });
    assert.match(body.id, /^est_[0-9a-z]{26}$/);
    assert.equal(body.number, 'EST-00001');
    assert.equal(body.status, 'draft');
    assert.equal(body.issueDate, '2026-03-15');
    assert.equal(body.expiryDate, '2026-04-14');
    assert.equal(body.currency, 'USD');
    assert.deepEqual(body.customer, { id: customer, displayName: 'First Customer' });
    assert.equal(body.reference, 'PO-1');
    assert.equal(body.subject, 'Website');
    assert.equal(body.total, 10000);
    assert.equal(body.lines[0].description, 'Two rounds');
    assert.equal(body.lines[0].unit, 'h');
    for (const field of ['sentAt', 'viewedAt', 'viewedByContactPersonId', 'decidedAt', 'declineReason', 'invoiceId']) {
      assert.equal(body[field], null, field);
    }
    const fetched = await ok(fresh, 'GET', `/estimates/${body.id}`);
    assert.deepEqual(fetched, body);
    const explicit = await created(fresh, '/estimates', {
      customerId: customer,
      issueDate: '2026-01-31',
      expiryDate: null,
      lines: [line()],
    });
    assert.equal(explicit.number, 'EST-00002');
    assert.equal(explicit.issueDate, '2026-01-31');
    assert.equal(explicit.expiryDate, null);
  });

  test('prices exactly: line discounts, a percent document discount before tax, shipping, negative adjustment', async () => {
    const body = await estimate({
      lines: [
        line({ name: 'A', quantity: '3', rate: 1999, taxId: salesTax, discount: { type: 'percent', value: '10' } }),
        line({ name: 'B', quantity: '1.5', rate: 3333, taxId: salesTax, discount: { type: 'amount', value: 500 } }),
        line({ name: 'C', quantity: '2', rate: 1250, taxId: vat }),
        line({ name: 'D', quantity: '1', rate: 999, taxId: null }),
      ],
      discount: { type: 'percent', value: '5' },
      shipping: 1000,
      adjustment: -37,
      adjustmentLabel: 'Rounding',
    });
    assert.deepEqual(
      body.lines.map((l: Json) => [l.amount, l.discountAmount, l.net, l.tax, l.taxName, l.taxRate]),
      [
        [5997, 600, 5397, 372, 'Sales tax', '7.25'],
        [5000, 500, 4500, 310, 'Sales tax', '7.25'],
        [2500, 0, 2500, 475, 'VAT', '20'],
        [999, 0, 999, 0, null, null],
      ],
    );
    assert.equal(body.subtotal, 13396);
    assert.equal(body.discountTotal, 670);
    assert.deepEqual(body.taxes, [
      { rate: '7.25', names: ['Sales tax'], amount: 682 },
      { rate: '20', names: ['VAT'], amount: 475 },
    ]);
    assert.equal(body.taxTotal, 1157);
    assert.equal(body.shipping, 1000);
    assert.equal(body.adjustment, -37);
    assert.equal(body.adjustmentLabel, 'Rounding');
    assert.equal(body.total, 14846);
    assert.equal(body.taxRounding, 'line');
    assert.deepEqual(body.discount, { type: 'percent', value: '5' });
    assert.deepEqual(body.lines[1].discount, { type: 'amount', value: 500 });

    // The lines keep a snapshot of the tax: renaming or deleting the tax changes nothing on the estimate.
    await ok(owner, 'PATCH', `/taxes/${vat}`, { name: 'VAT renamed' });
    const again = await ok(owner, 'GET', `/estimates/${body.id}`);
    assert.equal(again.lines[2].taxName, 'VAT');
    assert.equal(again.total, 14846);
    await ok(owner, 'PATCH', `/taxes/${vat}`, { name: 'VAT' });
  });

  test('tax rounding per document (an organization setting) differs from per line, and stays with the document', async () => {
    const lines = [1, 2, 3].map((n) => line({ name: `Item ${n}`, quantity: '1', rate: 105, taxId: salesTax }));
    const perLine = await estimate({ lines });
    assert.equal(perLine.taxRounding, 'line');
    assert.deepEqual(
      perLine.lines.map((l: Json) => l.tax),
      [8, 8, 8],
    );
    assert.equal(perLine.taxTotal, 24);
    assert.equal(perLine.total, 339);

    await ok(owner, 'PATCH', '/organization', { taxRounding: 'document' });
    try {
      const perDocument = await estimate({ lines });
      assert.equal(perDocument.taxRounding, 'document');
      assert.deepEqual(
        perDocument.lines.map((l: Json) => l.tax),
        [8, 8, 7],
      );
      assert.deepEqual(perDocument.taxes, [{ rate: '7.25', names: ['Sales tax'], amount: 23 }]);
      assert.equal(perDocument.total, 338);
      // An estimate priced per line keeps its rounding when edited after the setting changed.
      const edited = await ok(owner, 'PATCH', `/estimates/${perLine.id}`, { notes: 'edited' });
      assert.equal(edited.taxRounding, 'line');
      assert.equal(edited.total, 339);
    } finally {
      await ok(owner, 'PATCH', '/organization', { taxRounding: 'line' });
    }
  });

  test('a fixed document discount, after tax and before tax', async () => {
    const lines = [line({ quantity: '2', rate: 4500, taxId: await newTax('10') }), line({ rate: 1000 })];
    const afterTax = await estimate({
      lines,
      discount: { type: 'amount', value: 1234 },
      discountBeforeTax: false,
      shipping: 500,
      adjustment: -99,
    });
    assert.equal(afterTax.subtotal, 10000);
    assert.equal(afterTax.taxTotal, 900);
    assert.equal(afterTax.discountTotal, 1234);
    assert.equal(afterTax.discountBeforeTax, false);
    assert.equal(afterTax.total, 10067);

    const beforeTax = await estimate({ lines, discount: { type: 'amount', value: 1234 } });
    assert.equal(beforeTax.discountBeforeTax, true);
    assert.equal(beforeTax.taxTotal, 789);
    assert.equal(beforeTax.lines[0].tax, 789);
    assert.equal(beforeTax.total, 9555);
  });

  async function newTax(rate: string) {
    return (await created(owner, '/taxes', { name: `Tax ${rate}`, rate })).id as string;
  }

  test('a 0-decimal JPY customer and a 3-decimal KWD customer', async () => {
    const tax10 = await newTax('10');
    const yen = (await created(owner, '/customers', { displayName: 'Tokyo KK', currency: 'JPY' })).id;
    const jpy = await created(owner, '/estimates', {
      customerId: yen,
      lines: [
        line({ quantity: '1.5', rate: 333, taxId: tax10 }),
        line({ quantity: '3', rate: 1000, taxId: tax10, discount: { type: 'percent', value: '15' } }),
      ],
      discount: { type: 'amount', value: 100 },
    });
    assert.equal(jpy.currency, 'JPY');
    assert.deepEqual(
      jpy.lines.map((l: Json) => [l.amount, l.net, l.tax]),
      [
        [500, 500, 48],
        [3000, 2550, 247],
      ],
    );
    assert.equal(jpy.subtotal, 3050);
    assert.equal(jpy.taxTotal, 295);
    assert.equal(jpy.total, 3245);

    const tax5 = await newTax('5');
    const dinar = (await created(owner, '/customers', { displayName: 'Kuwait Co', currency: 'KWD' })).id;
    const kwd = await created(owner, '/estimates', {
      customerId: dinar,
      lines: [line({ quantity: '2.5', rate: 12345, taxId: tax5 }), line({ quantity: '1', rate: 7, taxId: tax5 })],
      discount: { type: 'percent', value: '2.5' },
      adjustment: -1,
    });
    assert.equal(kwd.currency, 'KWD');
    assert.equal(kwd.lines[0].amount, 30863);
    assert.equal(kwd.subtotal, 30870);
    assert.equal(kwd.discountTotal, 772);
    assert.equal(kwd.taxTotal, 1505);
    assert.equal(kwd.total, 31602);
  });

  test('numbers are sequential per organization, independent between organizations, distinct under concurrency', async () => {
    const a = await createOrgAndSignIn(harness);
    const b = await createOrgAndSignIn(harness);
    const customerA = (await created(a, '/customers', { displayName: 'A' })).id;
    const customerB = (await created(b, '/customers', { displayName: 'B' })).id;
    const make = (actor: Actor, customerId: string) => created(actor, '/estimates', { customerId, lines: [line()] });
    assert.equal((await make(a, customerA)).number, 'EST-00001');
    assert.equal((await make(a, customerA)).number, 'EST-00002');
    assert.equal((await make(b, customerB)).number, 'EST-00001');
    const many = await Promise.all(Array.from({ length: 20 }, () => make(a, customerA)));
    const numbers = many.map((e) => e.number).sort();
    assert.deepEqual(
      numbers,
      Array.from({ length: 20 }, (_, i) => `EST-${String(i + 3).padStart(5, '0')}`),
    );
    assert.equal((await make(b, customerB)).number, 'EST-00002');
  });

  test('bad input answers 400 and writes nothing (not even a number)', async () => {
    const fresh = await createOrgAndSignIn(harness);
    const customer = (await created(fresh, '/customers', { displayName: 'C' })).id;
    const deletedCustomer = (await created(fresh, '/customers', { displayName: 'Gone' })).id;
    await call(fresh, 'DELETE', `/customers/${deletedCustomer}`);
    const tax = (await created(fresh, '/taxes', { name: 'T', rate: '5' })).id;
    const deletedTax = (await created(fresh, '/taxes', { name: 'Old', rate: '5' })).id;
    await call(fresh, 'DELETE', `/taxes/${deletedTax}`);
    const valid = { customerId: customer, lines: [line({ taxId: tax })] };
    const cases: Array<[Json, string | null]> = [
      [{ ...valid, lines: [line({ quantity: '-1' })] }, '/lines/0/quantity'],
      [{ ...valid, lines: [line({ quantity: '1e3' })] }, '/lines/0/quantity'],
      [{ ...valid, lines: [line({ quantity: '0' })] }, '/lines/0/quantity'],
      [{ ...valid, lines: [line({ quantity: 2 })] }, '/lines/0/quantity'],
      [{ ...valid, lines: [line({ quantity: '1.23456' })] }, '/lines/0/quantity'],
      [{ ...valid, lines: [line({ rate: 1.5 })] }, '/lines/0/rate'],
      [{ ...valid, lines: [line({ rate: -1 })] }, '/lines/0/rate'],
      [{ ...valid, lines: [line({ rate: '100' })] }, '/lines/0/rate'],
      [{ ...valid, organizationId: otherOrg.organizationId }, '/organizationId'],
      [{ ...valid, status: 'accepted' }, '/status'],
      [{ ...valid, lines: [line({ color: 'red' })] }, '/lines/0/color'],
      [
        { ...valid, lines: [line({ rate: 1000, discount: { type: 'amount', value: 1001 } })] },
        '/lines/0/discount/value',
      ],
      [{ ...valid, lines: [line({ discount: { type: 'percent', value: '100.5' } })] }, '/lines/0/discount/value'],
      [{ ...valid, lines: [line({ discount: { type: 'bogus', value: '1' } })] }, null],
      [{ ...valid, discount: { type: 'amount', value: 10001 } }, '/discount/value'],
      [{ ...valid, lines: [line({ taxId: otherTax })] }, '/lines/0/taxId'],
      [{ ...valid, lines: [line({ taxId: deletedTax })] }, '/lines/0/taxId'],
      [{ ...valid, lines: [line({ taxId: 'not-a-tax' })] }, '/lines/0/taxId'],
      [{ ...valid, customerId: otherCustomer }, '/customerId'],
      [{ ...valid, customerId: deletedCustomer }, '/customerId'],
      [{ lines: [line()] }, '/customerId'],
      [{ ...valid, lines: [] }, '/lines'],
      [{ ...valid, lines: Array.from({ length: 501 }, () => line()) }, '/lines'],
      [{ ...valid, issueDate: '2026-02-30' }, '/issueDate'],
      [{ ...valid, issueDate: '15/03/2026' }, '/issueDate'],
      [{ ...valid, issueDate: '2026-03-10', expiryDate: '2026-03-09' }, '/expiryDate'],
      [{ ...valid, shipping: -1 }, '/shipping'],
      [{ ...valid, adjustment: 0.5 }, '/adjustment'],
    ];
    for (const [payload, path] of cases) {
      const problem = await expectProblem(fresh, 'POST', '/estimates', 400, 'validation_failed', payload);
      if (path !== null) {
        assert.ok(
          problem.errors.some((e: { path: string }) => e.path === path),
          `${JSON.stringify(payload).slice(0, 120)} → ${JSON.stringify(problem.errors)}`,
        );
      }
    }
    const count = await harness.ctx.db.kysely
      .selectFrom('estimates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organizationId', '=', fresh.organizationId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
    const lines = await harness.ctx.db.kysely
      .selectFrom('estimateLines')
      .select('id')
      .where('organizationId', '=', fresh.organizationId)
      .execute();
    assert.equal(lines.length, 0);
    assert.equal((await created(fresh, '/estimates', valid)).number, 'EST-00001');

    // 500 lines is the bound, and it is allowed.
    const big = await created(fresh, '/estimates', { ...valid, lines: Array.from({ length: 500 }, () => line()) });
    assert.equal(big.lines.length, 500);
    assert.equal(big.subtotal, 500 * 10000);
  });

  test('edits a draft: lines replaced, totals recomputed; bad edits answer 400 and change nothing', async () => {
    const draft = await estimate({ lines: [line({ rate: 1000 }), line({ rate: 2000 })] });
    const edited = await ok(owner, 'PATCH', `/estimates/${draft.id}`, {
      reference: 'REV-2',
      lines: [line({ name: 'Only', quantity: '2', rate: 1500, taxId: vat })],
      shipping: 250,
    });
    assert.equal(edited.reference, 'REV-2');
    assert.equal(edited.lines.length, 1);
    assert.equal(edited.lines[0].name, 'Only');
    assert.equal(edited.subtotal, 3000);
    assert.equal(edited.taxTotal, 600);
    assert.equal(edited.total, 3850);
    const stored = await harness.ctx.db.kysely
      .selectFrom('estimateLines')
      .select('id')
      .where('documentId', '=', draft.id)
      .execute();
    assert.equal(stored.length, 1);

    // Document-level terms alone reprice the kept lines.
    const discounted = await ok(owner, 'PATCH', `/estimates/${draft.id}`, {
      discount: { type: 'percent', value: '10' },
    });
    assert.equal(discounted.lines[0].id, edited.lines[0].id);
    assert.equal(discounted.discountTotal, 300);
    assert.equal(discounted.taxTotal, 540);
    assert.equal(discounted.total, 3490);

    for (const payload of [
      {},
      { customerId: acme },
      { lines: [line({ quantity: '-2' })] },
      { discount: { type: 'amount', value: 999999 } },
      { expiryDate: '2026-01-01' },
      { lines: [line({ taxId: otherTax })] },
    ]) {
      await expectProblem(owner, 'PATCH', `/estimates/${draft.id}`, 400, 'validation_failed', payload);
    }
    const unchanged = await ok(owner, 'GET', `/estimates/${draft.id}`);
    assert.deepEqual(unchanged, discounted);
  });

  test('send; a sent or accepted estimate cannot be edited; a declined one can, stays declined, and is re-sent', async () => {
    const draft = await estimate();
    // Minutes apart, so history has an order (and the session stays alive).
    harness.clock.now = new Date('2026-03-15T10:05:00.000Z');
    const sent = await ok(owner, 'POST', `/estimates/${draft.id}/send`);
    assert.equal(sent.status, 'sent');
    assert.equal(sent.sentAt, '2026-03-15T10:05:00.000Z');
    // Sending again e-mails it again (document-emails.test.ts); this customer has no one to e-mail.
    await expectProblem(owner, 'POST', `/estimates/${draft.id}/send`, 409, 'invalid_transition');
    await expectProblem(owner, 'PATCH', `/estimates/${draft.id}`, 409, 'invalid_transition', { notes: 'x' });

    // The client declines in the portal (another module); here the row is set as that module would.
    await setStatus(draft.id, {
      status: 'declined',
      decidedAt: '2026-03-16T09:00:00.000Z',
      declineReason: 'Too expensive',
    });
    harness.clock.now = new Date('2026-03-15T10:10:00.000Z');
    const declined = await ok(owner, 'GET', `/estimates/${draft.id}`);
    assert.equal(declined.declineReason, 'Too expensive');
    const revised = await ok(owner, 'PATCH', `/estimates/${draft.id}`, { lines: [line({ rate: 8000 })] });
    assert.equal(revised.status, 'declined');
    assert.equal(revised.total, 8000);
    await expectProblem(owner, 'POST', `/estimates/${draft.id}/convert`, 409, 'invalid_transition');
    harness.clock.now = new Date('2026-03-15T10:15:00.000Z');
    const resent = await ok(owner, 'POST', `/estimates/${draft.id}/send`);
    assert.equal(resent.status, 'sent');
    assert.equal(resent.declineReason, null);
    assert.equal(resent.decidedAt, null);
    assert.equal(resent.sentAt, '2026-03-15T10:15:00.000Z');

    await setStatus(draft.id, { status: 'accepted', decidedAt: '2026-03-17T09:00:00.000Z', signatureName: 'Ada' });
    await expectProblem(owner, 'PATCH', `/estimates/${draft.id}`, 409, 'invalid_transition', { notes: 'x' });
    await expectProblem(owner, 'POST', `/estimates/${draft.id}/send`, 409, 'invalid_transition');
    await expectProblem(owner, 'DELETE', `/estimates/${draft.id}`, 409, 'invalid_transition');

    const history = await ok(owner, 'GET', `/estimates/${draft.id}/history`);
    assert.deepEqual(
      history.data.map((h: Json) => h.event),
      ['created', 'sent', 'updated', 'sent'],
    );
    assert.match(history.data[3].description, /^Revised estimate marked as sent/);
    harness.clock.now = new Date('2026-03-15T10:00:00.000Z');
  });

  test('converts a sent or accepted estimate into a draft invoice with the same lines and totals', async () => {
    const source = await estimate({
      reference: 'PO-77',
      subject: 'Launch',
      lines: [
        line({ name: 'A', quantity: '3', rate: 1999, taxId: salesTax, discount: { type: 'percent', value: '10' } }),
        line({ name: 'B', quantity: '1', rate: 999 }),
      ],
      discount: { type: 'percent', value: '5' },
      shipping: 1000,
      adjustment: -37,
    });
    await expectProblem(owner, 'POST', `/estimates/${source.id}/convert`, 409, 'invalid_transition');
    await ok(owner, 'POST', `/estimates/${source.id}/send`);
    const invoice = await created(owner, `/estimates/${source.id}/convert`, undefined);
    assert.match(invoice.id, /^inv_/);
    assert.match(invoice.number, /^INV-\d{5}$/);
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.estimateId, source.id);
    assert.equal(invoice.issueDate, '2026-03-15');
    assert.equal(invoice.dueDate, '2026-03-25'); // the customer's 10 days
    assert.equal(invoice.reference, 'PO-77');
    assert.equal(invoice.subject, 'Launch');
    assert.equal(invoice.currency, source.currency);
    for (const field of ['subtotal', 'discountTotal', 'taxTotal', 'shipping', 'adjustment', 'total', 'taxes']) {
      assert.deepEqual(invoice[field], source[field], field);
    }
    assert.equal(invoice.balance, source.total);
    const strip = (l: Json) => ({ ...l, id: undefined });
    assert.deepEqual(invoice.lines.map(strip), source.lines.map(strip));

    const after = await ok(owner, 'GET', `/estimates/${source.id}`);
    assert.equal(after.status, 'invoiced');
    assert.equal(after.invoiceId, invoice.id);
    await expectProblem(owner, 'POST', `/estimates/${source.id}/convert`, 409, 'invalid_transition');
    await expectProblem(owner, 'PATCH', `/estimates/${source.id}`, 409, 'invalid_transition', { notes: 'x' });

    const estimateHistory = await ok(owner, 'GET', `/estimates/${source.id}/history`);
    const converted = estimateHistory.data.find((h: Json) => h.event === 'converted');
    assert.equal(converted.description, `Converted to invoice ${invoice.number}`);
    const invoiceHistory = await ok(owner, 'GET', `/invoices/${invoice.id}/history`);
    assert.deepEqual(
      invoiceHistory.data.map((h: Json) => [h.event, h.description]),
      [['created', `Created from estimate ${source.number}`]],
    );

    // An accepted estimate converts too; deleting that draft invoice makes it accepted (and convertible) again.
    const accepted = await estimate();
    await setStatus(accepted.id, { status: 'accepted', decidedAt: '2026-03-15T09:00:00.000Z' });
    const second = await created(owner, `/estimates/${accepted.id}/convert`, undefined);
    assert.equal((await ok(owner, 'GET', `/estimates/${accepted.id}`)).status, 'invoiced');
    assert.equal((await call(owner, 'DELETE', `/invoices/${second.id}`)).statusCode, 204);
    const released = await ok(owner, 'GET', `/estimates/${accepted.id}`);
    assert.equal(released.status, 'accepted');
    assert.equal(released.invoiceId, null);
    await created(owner, `/estimates/${accepted.id}/convert`, undefined);

    // Declined, expired and draft estimates do not convert.
    for (const status of ['declined', 'expired', 'draft'] as const) {
      const other = await estimate();
      await setStatus(other.id, { status });
      await expectProblem(owner, 'POST', `/estimates/${other.id}/convert`, 409, 'invalid_transition');
    }
  });

  test('only drafts are deleted, with their lines', async () => {
    const draft = await estimate();
    await ok(owner, 'POST', `/estimates/${draft.id}/send`);
    await expectProblem(owner, 'DELETE', `/estimates/${draft.id}`, 409, 'invalid_transition');
    const other = await estimate();
    assert.equal((await call(owner, 'DELETE', `/estimates/${other.id}`)).statusCode, 204);
    await expectProblem(owner, 'GET', `/estimates/${other.id}`, 404, 'not_found');
    await expectProblem(owner, 'GET', `/estimates/${other.id}/history`, 404, 'not_found');
    const lines = await harness.ctx.db.kysely
      .selectFrom('estimateLines')
      .select('id')
      .where('documentId', '=', other.id)
      .execute();
    assert.equal(lines.length, 0);
  });

  test('lists newest first with filters, search and cursor pagination', async () => {
    const org = await createOrgAndSignIn(harness);
    const north = (await created(org, '/customers', { displayName: 'Northwind Traders' })).id;
    const south = (await created(org, '/customers', { displayName: 'Southern_Co 100%' })).id;
    const make = (customerId: string, issueDate: string, reference: string | null = null) =>
      created(org, '/estimates', { customerId, issueDate, reference, lines: [line()] });
    const e1 = await make(north, '2026-01-10', 'ALPHA');
    const e2 = await make(south, '2026-02-10');
    const e3 = await make(north, '2026-02-10');
    const e4 = await make(south, '2026-03-01', 'beta');
    await ok(org, 'POST', `/estimates/${e2.id}/send`);
    await ok(org, 'POST', `/estimates/${e4.id}/send`);
    const ids = async (query: string) => {
      const body = await ok(org, 'GET', `/estimates${query}`);
      return body.data.map((e: Json) => e.id);
    };
    const [later, earlier] = [e2, e3].sort((a, b) => (a.id < b.id ? 1 : -1));
    assert.deepEqual(await ids(''), [e4.id, later.id, earlier.id, e1.id]);
    assert.deepEqual(await ids('?status=sent'), [e4.id, e2.id]);
    assert.deepEqual(await ids('?status=draft'), [e3.id, e1.id]);
    assert.deepEqual(await ids(`?customerId=${north}`), [e3.id, e1.id]);
    assert.deepEqual(await ids('?from=2026-02-10&to=2026-02-10'), [later.id, earlier.id]);
    assert.deepEqual(await ids('?from=2026-02-11'), [e4.id]);
    assert.deepEqual(await ids('?q=alpha'), [e1.id]);
    assert.deepEqual(await ids(`?q=${e3.number}`), [e3.id]);
    assert.deepEqual(await ids('?q=northwind'), [e3.id, e1.id]);
    assert.deepEqual(await ids('?q=100%25'), [e4.id, e2.id]);
    assert.deepEqual(await ids('?q=n_c'), [e4.id, e2.id]);
    assert.deepEqual(await ids(`?customerId=${otherCustomer}`), []);

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const body: { data: Json[]; nextCursor: string | null } = await ok(
        org,
        'GET',
        `/estimates?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...body.data.map((e) => e.id as string));
      cursor = body.nextCursor;
    }
    assert.deepEqual(seen, await ids(''));
    const summary = (await ok(org, 'GET', '/estimates?limit=1')).data[0];
    assert.equal(summary.customer.displayName, 'Southern_Co 100%');
    assert.equal(summary.lines, undefined);
    await expectProblem(org, 'GET', '/estimates?status=paid', 400, 'validation_failed');
    await expectProblem(org, 'GET', '/estimates?cursor=nope', 400, 'validation_failed');
    await expectProblem(org, 'GET', '/estimates?from=yesterday', 400, 'validation_failed');
  });

  test("another organization's estimate answers 404 on every route, like a missing one", async () => {
    const mine = await estimate();
    const missing = await call(otherOrg, 'GET', '/estimates/est_00000000000000000000000000');
    assert.equal(missing.statusCode, 404);
    const attempts: Array<[InjectOptions['method'], string, unknown]> = [
      ['GET', `/estimates/${mine.id}`, undefined],
      ['PATCH', `/estimates/${mine.id}`, { notes: 'stolen' }],
      ['DELETE', `/estimates/${mine.id}`, undefined],
      ['POST', `/estimates/${mine.id}/send`, undefined],
      ['POST', `/estimates/${mine.id}/convert`, undefined],
    ];
    for (const [method, url, payload] of attempts) {
      const response = await call(otherOrg, method, url, payload);
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      assert.deepEqual(response.json(), missing.json());
    }
    const list = await ok(otherOrg, 'GET', '/estimates');
    assert.ok(!list.data.some((e: Json) => e.id === mine.id));
    const still = await ok(owner, 'GET', `/estimates/${mine.id}`);
    assert.equal(still.status, 'draft');
    assert.equal(still.notes, null);
  });
});

describe('estimate expiry job', () => {
  let harness: Harness;
  let utc: Actor;
  let auckland: Actor;

  before(async () => {
    harness = await startHarness({ now: '2026-03-10T10:00:00.000Z' });
    utc = await createOrgAndSignIn(harness, { timeZone: 'UTC', ownerEmail: 'utc-expiry@example.com' });
    auckland = await createOrgAndSignIn(harness, {
      timeZone: 'Pacific/Auckland',
      ownerEmail: 'akl-expiry@example.com',
    });
  });

  /** Moving the clock by days ends idle sessions; sign in again at the new time. */
  async function moveClock(iso: string) {
    harness.clock.now = new Date(iso);
    utc = await signIn(harness, 'utc-expiry@example.com', OWNER_PASSWORD, utc);
    auckland = await signIn(harness, 'akl-expiry@example.com', OWNER_PASSWORD, auckland);
  }
  after(() => harness.close());

  async function sentEstimate(actor: Actor, expiryDate: string | null, send = true) {
    const customerId = (await created(actor, '/customers', { displayName: 'Client' })).id;
    const body = await created(actor, '/estimates', {
      customerId,
      issueDate: '2026-03-01',
      expiryDate,
      lines: [{ name: 'Work', quantity: '1', rate: 100 }],
    });
    if (send) await ok(actor, 'POST', `/estimates/${body.id}/send`);
    return body.id as string;
  }
  const statusOf = async (actor: Actor, id: string) => (await ok(actor, 'GET', `/estimates/${id}`)).status;

  test("expires sent estimates past their expiry date, judged by each organization's own today", async () => {
    const utcDue = await sentEstimate(utc, '2026-03-20');
    const utcLater = await sentEstimate(utc, '2026-03-21');
    const utcDraft = await sentEstimate(utc, '2026-03-02', false);
    const utcNever = await sentEstimate(utc, null);
    const aklDue = await sentEstimate(auckland, '2026-03-20');

    await moveClock('2026-03-20T12:00:00.000Z'); // 21 March 01:00 in Auckland
    assert.equal(await expireEstimates(harness.ctx), 1);
    assert.equal(await statusOf(auckland, aklDue), 'expired');
    assert.equal(await statusOf(utc, utcDue), 'sent'); // due today is not yet expired

    await moveClock('2026-03-21T00:30:00.000Z');
    assert.equal(await expireEstimates(harness.ctx), 1);
    assert.equal(await statusOf(utc, utcDue), 'expired');
    assert.equal(await statusOf(utc, utcLater), 'sent');
    assert.equal(await statusOf(utc, utcDraft), 'draft');
    assert.equal(await statusOf(utc, utcNever), 'sent');
    assert.equal(await expireEstimates(harness.ctx), 0);

    const history = await ok(utc, 'GET', `/estimates/${utcDue}/history`);
    const expired = history.data.find((h: Json) => h.event === 'expired');
    assert.equal(expired.actorType, 'system');
    assert.equal(expired.description, 'Expired on 2026-03-20');
    // Expired estimates are records: no edit, no convert, no send.
    await expectProblem(utc, 'PATCH', `/estimates/${utcDue}`, 409, 'invalid_transition', { notes: 'x' });
    await expectProblem(utc, 'POST', `/estimates/${utcDue}/convert`, 409, 'invalid_transition');
    await expectProblem(utc, 'POST', `/estimates/${utcDue}/send`, 409, 'invalid_transition');
  });
});
