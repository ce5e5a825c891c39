import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createCustomer } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

interface Vector {
  name: string;
  input: {
    lines: Array<{ quantity: string; rate: number; taxRate: string | null; discount?: unknown }>;
    taxRounding: 'line' | 'document';
    [key: string]: unknown;
  };
  expected: {
    lineAmounts: number[];
    subtotal: number;
    discountTotal: number;
    taxes: { rate: string; amount: number }[];
    taxTotal: number;
    total: number;
  };
}

const vectors: Vector[] = JSON.parse(
  readFileSync(new URL('../../test/fixtures/document-math.json', import.meta.url), 'utf8'),
);

describe('POST /api/v1/documents/preview (live totals, nothing saved)', () => {
  let harness: Harness;
  let owner: Actor;
  let other: Actor;
  let customerId: string;
  let vat: string;
  let reduced: string;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    other = await createOrgAndSignIn(harness);
    customerId = await createCustomer(owner, { displayName: 'Preview customer', currency: 'EUR' });
    const tax = async (actor: Actor, name: string, rate: string) => {
      const response = await actor.request({ method: 'POST', url: '/api/v1/taxes', payload: { name, rate } });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().id as string;
    };
    vat = await tax(owner, 'VAT', '20');
    reduced = await tax(owner, 'Reduced', '5.5');
  });
  after(() => harness.close());

  const preview = (actor: Actor, payload: Record<string, unknown>) =>
    actor.request({ method: 'POST', url: '/api/v1/documents/preview', payload });

  const body = () => ({
    lines: [
      { name: 'Design', quantity: '3.5', rate: 12_345, taxId: vat, discount: { type: 'percent', value: '10' } },
      { name: 'Hosting', quantity: '1', rate: 9_999, taxId: reduced },
      { name: 'Travel', quantity: '2', rate: 1_500, discount: { type: 'amount', value: 500 } },
    ],
    discount: { type: 'percent', value: '7.5' },
    shipping: 1_000,
    adjustment: -3,
    adjustmentLabel: 'Rounding',
  });

  test('answers exactly what saving the invoice and the estimate then report, and writes nothing', async () => {
    const countOf = async (table: 'invoices') =>
      Number(
        (
          await harness.ctx.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await Promise.all(['invoices', 'estimates', 'invoiceLines'].map((t) => countOf(t as 'invoices')));
    const response = await preview(owner, { customerId, ...body() });
    assert.equal(response.statusCode, 200, response.body);
    const totals = response.json();
    assert.deepEqual(
      await Promise.all(['invoices', 'estimates', 'invoiceLines'].map((t) => countOf(t as 'invoices'))),
      before,
      'a preview saves nothing',
    );
    assert.equal(totals.currency, 'EUR');
    assert.equal(totals.taxRounding, 'line');

    for (const kind of ['invoices', 'estimates'] as const) {
      const saved = await owner.request({ method: 'POST', url: `/api/v1/${kind}`, payload: { customerId, ...body() } });
      assert.equal(saved.statusCode, 201, saved.body);
      const doc = saved.json();
      for (const field of ['subtotal', 'discountTotal', 'taxTotal', 'shipping', 'adjustment', 'total', 'currency']) {
        assert.equal(totals[field], doc[field], `${kind}: ${field}`);
      }
      assert.deepEqual(totals.taxes, doc.taxes, `${kind}: taxes per rate`);
      assert.deepEqual(
        totals.lines.map((l: Record<string, unknown>) => [l.amount, l.discountAmount, l.net, l.tax, l.taxName]),
        doc.lines.map((l: Record<string, unknown>) => [l.amount, l.discountAmount, l.net, l.tax, l.taxName]),
        `${kind}: lines`,
      );
    }
    // 3.5 × 123.45 = 432.075 → 432.08, less 10 % (43.21) = 388.87; + 99.99; + 30.00 − 5.00 = 513.86.
    assert.equal(totals.subtotal, 51_386);
    assert.deepEqual(
      totals.taxes.map((t: { rate: string; names: string[] }) => [t.rate, t.names]),
      [
        ['5.5', ['Reduced']],
        ['20', ['VAT']],
      ],
    );
  });

  test("prices with the organization's tax rounding, or the edited document's own", async () => {
    const lines = [1, 2, 3].map(() => ({ name: 'Tiny', quantity: '1', rate: 1, taxId: vat }));
    // Three lines of 0.01 at 20 %: per line 0 + 0 + 0, per document round(0.006) = 0.01.
    const perLine = (await preview(owner, { customerId, lines })).json();
    assert.equal(perLine.taxTotal, 0);
    const draft = await owner.request({ method: 'POST', url: '/api/v1/invoices', payload: { customerId, lines } });
    assert.equal(draft.statusCode, 201, draft.body);
    const changed = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organization',
      payload: { taxRounding: 'document' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    const perDocument = (await preview(owner, { customerId, lines })).json();
    assert.equal(perDocument.taxRounding, 'document');
    assert.equal(perDocument.taxTotal, 1);
    // The draft keeps the rounding it was created with, and so does its preview.
    const editing = (await preview(owner, { invoiceId: draft.json().id, lines })).json();
    assert.equal(editing.taxRounding, 'line');
    assert.equal(editing.taxTotal, 0);
    const saved = await owner.request({
      method: 'PATCH',
      url: `/api/v1/invoices/${draft.json().id}`,
      payload: { lines },
    });
    assert.equal(saved.json().taxTotal, editing.taxTotal);
    await owner.request({ method: 'PATCH', url: '/api/v1/organization', payload: { taxRounding: 'line' } });
  });

  test('without a customer: the currency given, else the base currency', async () => {
    const lines = [{ name: 'Work', quantity: '1', rate: 100 }];
    assert.equal((await preview(owner, { lines, currency: 'JPY' })).json().currency, 'JPY');
    const org = (await owner.request({ method: 'GET', url: '/api/v1/organization' })).json();
    const base = await preview(owner, { lines });
    assert.equal(base.statusCode, 200, base.body);
    assert.equal(base.json().currency, org.baseCurrency);
  });

  test('refuses what saving would refuse, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { lines: [{ name: 'A', quantity: '1', rate: 100 }], discount: { type: 'amount', value: 101 } },
        '/discount/value',
      ],
      [{ lines: [{ name: 'A', quantity: '0', rate: 100 }] }, '/lines/0/quantity'],
      [
        { lines: [{ name: 'A', quantity: '1', rate: 100, discount: { type: 'amount', value: 200 } }] },
        '/lines/0/discount/value',
      ],
      [{ lines: [{ name: 'A', quantity: '1', rate: 100, taxId: 'tax_00000000000000000000000000' }] }, '/lines/0/taxId'],
    ];
    for (const [payload, path] of cases) {
      const response = await preview(owner, { customerId, ...payload });
      assert.equal(response.statusCode, 400, `${path}: ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
      assert.equal(response.json().errors[0].path, path);
    }
    const noLines = await preview(owner, { customerId, lines: [] });
    assert.equal(noLines.statusCode, 400);
  });

  test("another organization's customer, tax or document is not found", async () => {
    const lines = [{ name: 'A', quantity: '1', rate: 100 }];
    const foreignCustomer = await preview(other, { customerId, lines });
    assert.equal(foreignCustomer.statusCode, 400);
    assert.equal(foreignCustomer.json().errors[0].path, '/customerId');
    const foreignTax = await preview(other, { lines: [{ ...lines[0], taxId: vat }] });
    assert.equal(foreignTax.statusCode, 400);
    assert.equal(foreignTax.json().errors[0].path, '/lines/0/taxId');
    const invoice = await owner.request({ method: 'POST', url: '/api/v1/invoices', payload: { customerId, lines } });
    const foreignInvoice = await preview(other, { invoiceId: invoice.json().id, lines });
    assert.equal(foreignInvoice.statusCode, 404);
    const anonymous = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/documents/preview',
      payload: { lines },
    });
    assert.equal(anonymous.statusCode, 401);
  });

  test('passes every shared test vector (taxes created per rate, rounding set per vector)', async () => {
    const vectorsOrg = await createOrgAndSignIn(harness);
    const taxIds = new Map<string, string>();
    const taxFor = async (rate: string) => {
      let id = taxIds.get(rate);
      if (!id) {
        const response = await vectorsOrg.request({
          method: 'POST',
          url: '/api/v1/taxes',
          payload: { name: `Tax ${rate}`, rate },
        });
        assert.equal(response.statusCode, 201, response.body);
        id = response.json().id as string;
        taxIds.set(rate, id);
      }
      return id;
    };
    let rounding: string | null = null;
    for (const vector of vectors) {
      if (vector.input.taxRounding !== rounding) {
        rounding = vector.input.taxRounding;
        await vectorsOrg.request({ method: 'PATCH', url: '/api/v1/organization', payload: { taxRounding: rounding } });
      }
      const { lines, taxRounding: _rounding, ...terms } = vector.input;
      const payload = {
        ...terms,
        currency: 'USD',
        lines: await Promise.all(
          lines.map(async ({ taxRate, ...line }) => ({
            name: 'Line',
            ...line,
            ...(taxRate === null || taxRate === undefined ? {} : { taxId: await taxFor(taxRate) }),
          })),
        ),
      };
      const response = await preview(vectorsOrg, payload);
      assert.equal(response.statusCode, 200, `${vector.name}: ${response.body}`);
      const totals = response.json();
      const { lineAmounts, taxes, ...sums } = vector.expected;
      assert.deepEqual(
        totals.lines.map((l: { net: number }) => l.net),
        lineAmounts,
        vector.name,
      );
      assert.deepEqual(
        totals.taxes.map((t: { rate: string; amount: number }) => ({ rate: t.rate, amount: t.amount })),
        taxes,
        vector.name,
      );
      for (const [field, value] of Object.entries(sums)) assert.equal(totals[field], value, `${vector.name}: ${field}`);
    }
  });
});
