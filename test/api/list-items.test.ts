import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TObject } from 'typebox';
import { EstimateSummary } from '../../src/modules/estimates/schemas.js';
import { InvoiceSummary } from '../../src/modules/invoices/schemas.js';
import { Payment } from '../../src/modules/payments/schemas.js';
import { RetainerInvoice } from '../../src/modules/retainer-invoices/schemas.js';
import { createInvoice, createSentRetainer, recordPayment } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, GOOD_CARD, type PayWorld, pay, payWorld } from '../support/pay.js';

/**
 * The business's lists write their items' JSON in the database (`preparedJsonList`), while a document's detail is
 * presented in JavaScript. Each item must be exactly the detail's summary: the keys of the list's schema, in its
 * order, with the same values and JSON types (numbers stay numbers, booleans booleans, null null, text escaped),
 * on both databases — joined names, computed amounts, stored JSON and a second page through the cursor included.
 */
describe('list items are the detail’s summary, written by the database', () => {
  let harness: Harness;
  let world: PayWorld;
  const awkward = 'Zoë "Quote" \\ Back\tslash — 日本 </script>';

  before(async () => {
    harness = await startHarness();
    world = await payWorld(harness);
    const { owner, client, customerId } = world;
    const request = async (method: 'POST' | 'PATCH', url: string, payload: object = {}) => {
      const response = await owner.request({ method, url, payload });
      assert.ok(response.statusCode === 200 || response.statusCode === 201, `${url}: ${response.body}`);
      return response.json() as { id: string };
    };

    // Names and text that JSON must escape, in the joined customer name and in the document's own columns.
    await request('PATCH', `/api/v1/customers/${customerId}`, { displayName: awkward });
    const viewed = await request('POST', '/api/v1/invoices', {
      customerId,
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      reference: awkward,
      lines: [{ name: 'Work', quantity: '1', rate: 5_000 }],
    });
    await request('POST', `/api/v1/invoices/${viewed.id}/send`);
    await createInvoice(harness, owner, { customerId, total: 7_000, issueDate: '2026-02-01' });
    await request('POST', '/api/v1/invoices', {
      customerId,
      issueDate: '2026-01-15',
      lines: [{ name: 'Draft work', quantity: '1', rate: 1_000 }],
    });
    // Viewed by the client in the portal (who viewed it is a joined name), then part paid there (who paid).
    assertStatus(await client.request({ method: 'GET', url: `/invoices/${viewed.id}` }), 200);
    const online = assertStatus(
      await pay(client, { allocations: [{ invoiceId: viewed.id, amount: 1_000 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(online.status, 'succeeded');

    const estimate = await request('POST', '/api/v1/estimates', {
      customerId,
      issueDate: '2026-03-01',
      reference: awkward,
      lines: [{ name: 'Proposal', quantity: '1', rate: 2_500 }],
    });
    await request('POST', `/api/v1/estimates/${estimate.id}/send`);
    assertStatus(await client.request({ method: 'GET', url: `/estimates/${estimate.id}` }), 200);
    await request('POST', '/api/v1/estimates', {
      customerId,
      issueDate: '2026-03-02',
      lines: [{ name: 'Extension', quantity: '1', rate: 900 }],
    });

    const retainer = await createSentRetainer(owner, customerId, 3_000);
    await createSentRetainer(owner, customerId, 1_000);
    assertStatus(
      await recordPayment(owner, { customerId, amount: 3_000, mode: 'bank_transfer', retainerInvoiceId: retainer.id }),
      201,
    );
    // Part applied: `applied` is computed from the amount and what is left unapplied.
    assertStatus(
      await recordPayment(owner, {
        customerId,
        amount: 6_000,
        mode: 'cash',
        reference: awkward,
        allocations: [{ invoiceId: viewed.id, amount: 2_000 }],
      }),
      201,
    );
  });
  after(() => harness?.close());

  /** Every item of the list, page by page (two a page, so the cursor is used). */
  async function everyItem(path: string): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const url: string = `/api/v1${path}${separator}limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await world.owner.request({ method: 'GET', url });
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /^application\/json; charset=utf-8/);
      const page = response.json() as { data: Array<Record<string, unknown>>; nextCursor: string | null };
      assert.deepEqual(Object.keys(page), ['data', 'nextCursor']);
      items.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items;
  }

  const lists: Array<[string, string, TObject]> = [
    ['/invoices', '/invoices', InvoiceSummary],
    ['/estimates', '/estimates', EstimateSummary],
    ['/retainer-invoices', '/retainer-invoices', RetainerInvoice],
    ['/payments', '/payments', Payment],
  ];

  for (const [list, detailPath, schema] of lists) {
    test(`${list}: each item has the schema's keys in order and equals the detail's values`, async () => {
      const items = await everyItem(`${list}?customerId=${world.customerId}`);
      assert.ok(items.length >= 2, `${list}: ${items.length} items`);
      const keys = Object.keys(schema.properties);
      for (const item of items) {
        assert.deepEqual(Object.keys(item), keys, `${list}: the item's keys`);
        const detail = assertStatus(
          await world.owner.request({ method: 'GET', url: `/api/v1${detailPath}/${item.id}` }),
          200,
        ) as Record<string, unknown>;
        assert.deepEqual(item, Object.fromEntries(keys.map((key) => [key, detail[key]])), `${list} ${item.id}`);
      }
    });
  }

  test('what the database writes: escaped text, joined names, computed amounts, booleans, stored JSON', async () => {
    const invoices = await everyItem(`/invoices?customerId=${world.customerId}`);
    const viewed = invoices.find((invoice) => invoice.viewedAt !== null);
    assert.deepEqual(viewed?.customer, { id: world.customerId, displayName: awkward });
    assert.equal(viewed?.reference, awkward);
    assert.equal(viewed?.viewedByName, 'Person 1');
    assert.equal(typeof viewed?.total, 'number');
    assert.ok(invoices.some((invoice) => invoice.status === 'draft'));

    const estimates = await everyItem(`/estimates?customerId=${world.customerId}`);
    assert.ok(estimates.some((estimate) => estimate.viewedByName === 'Person 1' && estimate.reference === awkward));

    const retainers = await everyItem(`/retainer-invoices?customerId=${world.customerId}`);
    assert.ok(retainers.every((retainer) => Array.isArray(retainer.lines) && retainer.customerName === awkward));

    const payments = await everyItem(`/payments?customerId=${world.customerId}`);
    const online = payments.find((payment) => payment.source === 'portal');
    assert.equal(online?.paidByName, 'Person 1');
    assert.equal(online?.testMode, true);
    const cash = payments.find((payment) => payment.mode === 'cash');
    assert.deepEqual([cash?.amount, cash?.applied, cash?.unapplied, cash?.testMode], [6_000, 2_000, 4_000, false]);
    assert.equal(cash?.reference, awkward);
    assert.equal(cash?.paidByName, null);
    const forRetainer = payments.find((payment) => payment.retainerInvoiceId !== null);
    assert.match(String(forRetainer?.retainerInvoiceNumber), /\S/);
  });
});
