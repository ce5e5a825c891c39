import assert from 'node:assert/strict';
import type { Actor, Harness } from './harness.js';

/** Test helpers for the books: customers, invoices and retainer invoices to pay, through the API. */

export async function createCustomer(actor: Actor, fields: Record<string, unknown> = {}): Promise<string> {
  const response = await actor.request({
    method: 'POST',
    url: '/api/v1/customers',
    payload: { displayName: `Customer ${Math.random().toString(36).slice(2, 8)}`, ...fields },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}

export interface TestInvoice {
  id: string;
  number: string;
}

/** An invoice of one untaxed line of `total`, sent unless asked otherwise (a void one is sent, then voided). */
export async function createInvoice(
  _harness: Harness,
  actor: Actor,
  options: {
    customerId: string;
    total: number;
    status?: 'draft' | 'sent' | 'void';
    issueDate?: string;
    dueDate?: string;
  },
): Promise<TestInvoice> {
  const created = await actor.request({
    method: 'POST',
    url: '/api/v1/invoices',
    payload: {
      customerId: options.customerId,
      issueDate: options.issueDate ?? '2026-03-01',
      dueDate: options.dueDate ?? '2026-03-31',
      lines: [{ name: 'Work', quantity: '1', rate: options.total }],
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const invoice = created.json() as TestInvoice & { total: number };
  assert.equal(invoice.total, options.total);
  const status = options.status ?? 'sent';
  for (const action of status === 'draft' ? [] : status === 'void' ? ['send', 'void'] : ['send']) {
    const response = await actor.request({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/${action}` });
    assert.equal(response.statusCode, 200, response.body);
  }
  return { id: invoice.id, number: invoice.number };
}

/** The invoice's money columns as stored. */
export async function invoiceMoney(harness: Harness, invoiceId: string) {
  return harness.ctx.db.kysely
    .selectFrom('invoices')
    .select(['status', 'total', 'paymentsApplied', 'creditsApplied', 'balance'])
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow();
}

/** A sent retainer invoice of `amount` (one line). */
export async function createSentRetainer(actor: Actor, customerId: string, amount: number) {
  const created = await actor.request({
    method: 'POST',
    url: '/api/v1/retainer-invoices',
    payload: { customerId, lines: [{ description: 'Advance', amount }] },
  });
  assert.equal(created.statusCode, 201, created.body);
  const sent = await actor.request({ method: 'POST', url: `/api/v1/retainer-invoices/${created.json().id}/send` });
  assert.equal(sent.statusCode, 200, sent.body);
  return sent.json() as { id: string; number: string; total: number; balance: number; status: string };
}

export async function recordPayment(actor: Actor, payload: Record<string, unknown>) {
  return actor.request({
    method: 'POST',
    url: '/api/v1/payments',
    payload: { date: '2026-03-10', mode: 'bank_transfer', ...payload },
  });
}

/** Rows of a table for one organization, to prove a refused request wrote nothing. */
export async function countRows(
  harness: Harness,
  organizationId: string,
  table: 'customerPayments' | 'paymentAllocations' | 'history' | 'retainerInvoices',
): Promise<number> {
  const row = await harness.ctx.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organizationId', '=', organizationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
