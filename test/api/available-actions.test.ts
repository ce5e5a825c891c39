import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { ESTIMATE_ACTIONS } from '../../src/domain/estimate-states.js';
import { INVOICE_ACTIONS, RETAINER_ACTIONS } from '../../src/domain/invoice-states.js';
import { createCustomer } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

/**
 * `availableActions` is what the API accepts: for every kind of document, in each situation it can be in, every
 * verb is tried on a fresh document in that situation. A verb succeeds exactly when its action is offered, and
 * answers 409 when it is not — except recording a payment, which the payments API refuses with 400 (the invoice or
 * retainer is a field of its body there).
 */

type Json = Record<string, unknown>;
interface Doc {
  id: string;
  status: string;
  availableActions: string[];
}

/** A verb of the API: the actions it performs, and how to try it on a document. */
interface Verb {
  /** `POST /send` is both the first send and the send again: it is offered when either is. */
  actions: readonly string[];
  /** The status it answers when refused. */
  refused: number;
  run: (doc: Doc) => { method: InjectOptions['method']; url: string; payload?: Json };
}

let harness: Harness;
let owner: Actor;
let customerId: string;

before(async () => {
  harness = await startHarness();
  owner = await createOrgAndSignIn(harness);
  // Someone to e-mail, so that sending is decided by the document alone.
  customerId = await createCustomer(owner, {
    contactPersons: [{ firstName: 'Ada', email: 'ada@example.com', isPrimary: true }],
  });
});
after(() => harness.close());

async function call(method: InjectOptions['method'], url: string, payload?: unknown) {
  return owner.request({
    method,
    url: `/api/v1${url}`,
    ...(payload === undefined ? {} : { payload: payload as Json }),
  });
}

async function ok(method: InjectOptions['method'], url: string, payload?: unknown): Promise<Doc & Json> {
  const response = await call(method, url, payload);
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/**
 * Tries every verb on a fresh document of each situation; `make` builds one and answers it as the API shows it.
 * Checks that the actions offered are those the verbs accept, and returns the actions seen per situation.
 */
async function checkVerbs(
  kind: string,
  situations: Record<string, () => Promise<Doc>>,
  verbs: readonly Verb[],
  allActions: readonly string[],
): Promise<Record<string, string[]>> {
  const seen: Record<string, string[]> = {};
  for (const [situation, make] of Object.entries(situations)) {
    seen[situation] = (await make()).availableActions;
    for (const verb of verbs) {
      const doc = await make();
      assert.ok(doc.availableActions.every((action) => allActions.includes(action)));
      const offered = verb.actions.some((action) => doc.availableActions.includes(action));
      const { method, url, payload } = verb.run(doc);
      const response = await call(method, url, payload);
      const what = `${kind} ${situation} (${doc.availableActions.join(', ')}): ${method} ${url}`;
      if (offered) {
        assert.ok(response.statusCode < 300, `${what} offered but answered ${response.statusCode} ${response.body}`);
      } else {
        assert.equal(response.statusCode, verb.refused, `${what} not offered but answered ${response.body}`);
      }
    }
  }
  return seen;
}

/** Sets a status the business cannot set itself (a client's decision), as the portal would have. */
async function setEstimateStatus(id: string, status: 'accepted' | 'declined' | 'expired') {
  await harness.ctx.db.kysely
    .updateTable('estimates')
    .set({ status, decidedAt: status === 'expired' ? null : harness.ctx.now().toISOString() })
    .where('id', '=', id)
    .execute();
}

describe('available actions match what the API accepts', () => {
  test('estimates', async () => {
    const draft = () =>
      ok('POST', '/estimates', { customerId, lines: [{ name: 'Work', quantity: '1', rate: 10_000 }] });
    const sent = async () => ok('POST', `/estimates/${(await draft()).id}/mark-sent`);
    const decided = (status: 'accepted' | 'declined' | 'expired') => async () => {
      const estimate = await sent();
      await setEstimateStatus(estimate.id, status);
      return ok('GET', `/estimates/${estimate.id}`);
    };
    const invoiced = async () => {
      const estimate = await sent();
      await ok('POST', `/estimates/${estimate.id}/convert`);
      return ok('GET', `/estimates/${estimate.id}`);
    };
    const verb = (actions: string[], run: Verb['run']): Verb => ({ actions, refused: 409, run });
    const seen = await checkVerbs(
      'estimate',
      {
        draft,
        sent,
        accepted: decided('accepted'),
        declined: decided('declined'),
        expired: decided('expired'),
        invoiced,
      },
      [
        verb(['send', 'send_again'], (doc) => ({ method: 'POST', url: `/estimates/${doc.id}/send` })),
        verb(['mark_sent'], (doc) => ({ method: 'POST', url: `/estimates/${doc.id}/mark-sent` })),
        verb(['edit'], (doc) => ({ method: 'PATCH', url: `/estimates/${doc.id}`, payload: { notes: 'Revised' } })),
        verb(['delete'], (doc) => ({ method: 'DELETE', url: `/estimates/${doc.id}` })),
        verb(['convert'], (doc) => ({ method: 'POST', url: `/estimates/${doc.id}/convert` })),
      ],
      ESTIMATE_ACTIONS,
    );
    assert.deepEqual(seen, {
      draft: ['send', 'mark_sent', 'edit', 'delete'],
      sent: ['send_again', 'convert'],
      accepted: ['convert'],
      declined: ['send', 'mark_sent', 'edit'],
      expired: [],
      invoiced: [],
    });
  });

  test('send issues a draft; send again keeps the status', async () => {
    const draft = await ok('POST', '/estimates', { customerId, lines: [{ name: 'Work', quantity: '1', rate: 1 }] });
    const sent = await ok('POST', `/estimates/${draft.id}/send`);
    assert.equal(sent.status, 'sent');
    assert.deepEqual(sent.availableActions, ['send_again', 'convert']);
    assert.equal((await ok('POST', `/estimates/${draft.id}/send`)).status, 'sent');
  });

  test('invoices', async () => {
    const draft = (dates: Json = {}) =>
      ok('POST', '/invoices', {
        customerId,
        issueDate: '2026-03-01',
        dueDate: '2026-03-31',
        lines: [{ name: 'Work', quantity: '1', rate: 10_000 }],
        ...dates,
      });
    const sent = async () => ok('POST', `/invoices/${(await draft()).id}/mark-sent`);
    const pay = async (doc: Doc, amount: number) => {
      await ok('POST', '/payments', {
        customerId,
        date: '2026-03-10',
        mode: 'bank_transfer',
        amount,
        allocations: [{ invoiceId: doc.id, amount }],
      });
      return ok('GET', `/invoices/${doc.id}`);
    };
    const situations: Record<string, () => Promise<Doc>> = {
      draft: () => draft(),
      'draft reopened after a payment': async () => {
        const invoice = await pay(await sent(), 1_000);
        await ok('POST', `/invoices/${invoice.id}/void`);
        return ok('POST', `/invoices/${invoice.id}/reopen`);
      },
      sent,
      overdue: async () =>
        ok('POST', `/invoices/${(await draft({ issueDate: '2026-01-01', dueDate: '2026-02-01' })).id}/mark-sent`),
      'partially paid': async () => pay(await sent(), 1_000),
      'partially written off': async () => ok('POST', `/invoices/${(await sent()).id}/write-off`, { amount: 1_000 }),
      paid: async () => pay(await sent(), 10_000),
      'written off': async () => ok('POST', `/invoices/${(await sent()).id}/write-off`, {}),
      void: async () => ok('POST', `/invoices/${(await sent()).id}/void`),
    };
    const verb = (actions: string[], run: Verb['run'], refused = 409): Verb => ({ actions, refused, run });
    const seen = await checkVerbs(
      'invoice',
      situations,
      [
        verb(['send', 'send_again'], (doc) => ({ method: 'POST', url: `/invoices/${doc.id}/send` })),
        verb(['mark_sent'], (doc) => ({ method: 'POST', url: `/invoices/${doc.id}/mark-sent` })),
        verb(['edit'], (doc) => ({ method: 'PATCH', url: `/invoices/${doc.id}`, payload: { notes: 'Revised' } })),
        verb(['delete'], (doc) => ({ method: 'DELETE', url: `/invoices/${doc.id}` })),
        verb(['void'], (doc) => ({ method: 'POST', url: `/invoices/${doc.id}/void` })),
        verb(['reopen'], (doc) => ({ method: 'POST', url: `/invoices/${doc.id}/reopen` })),
        verb(['write_off'], (doc) => ({
          method: 'POST',
          url: `/invoices/${doc.id}/write-off`,
          payload: { amount: 1 },
        })),
        verb(['cancel_write_off'], (doc) => ({ method: 'POST', url: `/invoices/${doc.id}/cancel-write-off` })),
        verb(
          ['record_payment'],
          (doc) => ({
            method: 'POST',
            url: '/payments',
            payload: {
              customerId,
              date: '2026-03-10',
              mode: 'cash',
              amount: 1,
              allocations: [{ invoiceId: doc.id, amount: 1 }],
            },
          }),
          400,
        ),
      ],
      INVOICE_ACTIONS,
    );
    assert.deepEqual(seen, {
      draft: ['send', 'mark_sent', 'edit', 'delete'],
      'draft reopened after a payment': ['send', 'mark_sent', 'edit'],
      sent: ['send_again', 'edit', 'void', 'record_payment', 'write_off'],
      overdue: ['send_again', 'edit', 'void', 'record_payment', 'write_off'],
      'partially paid': ['send_again', 'void', 'record_payment', 'write_off'],
      'partially written off': ['send_again', 'void', 'record_payment', 'cancel_write_off'],
      paid: ['void'],
      'written off': ['void', 'cancel_write_off'],
      void: ['reopen'],
    });
  });

  test('retainer invoices', async () => {
    const draft = () =>
      ok('POST', '/retainer-invoices', { customerId, lines: [{ description: 'Advance', amount: 10_000 }] });
    const sent = async () => ok('POST', `/retainer-invoices/${(await draft()).id}/send`);
    const paid = async (amount: number) => {
      const retainer = await sent();
      await ok('POST', '/payments', {
        customerId,
        date: '2026-03-10',
        mode: 'bank_transfer',
        amount,
        retainerInvoiceId: retainer.id,
      });
      return ok('GET', `/retainer-invoices/${retainer.id}`);
    };
    const creditApplied = async () => {
      const retainer = await paid(10_000);
      const invoice = await ok('POST', '/invoices', {
        customerId,
        lines: [{ name: 'Work', quantity: '1', rate: 5_000 }],
      });
      await ok('POST', `/invoices/${invoice.id}/mark-sent`);
      await ok('POST', `/customers/${customerId}/apply-credit`, {
        allocations: [{ invoiceId: invoice.id, amount: 5_000, paymentId: (retainer.payments as Json[])[0]?.id }],
      });
      return ok('GET', `/retainer-invoices/${retainer.id}`);
    };
    const verb = (actions: string[], run: Verb['run'], refused = 409): Verb => ({ actions, refused, run });
    const seen = await checkVerbs(
      'retainer invoice',
      {
        draft,
        sent,
        'partially paid': () => paid(4_000),
        paid: () => paid(10_000),
        'paid, its credit applied': creditApplied,
        void: async () => ok('POST', `/retainer-invoices/${(await sent()).id}/void`),
      },
      [
        verb(['send'], (doc) => ({ method: 'POST', url: `/retainer-invoices/${doc.id}/send` })),
        verb(['edit'], (doc) => ({
          method: 'PATCH',
          url: `/retainer-invoices/${doc.id}`,
          payload: { notes: 'Revised' },
        })),
        verb(['delete'], (doc) => ({ method: 'DELETE', url: `/retainer-invoices/${doc.id}` })),
        verb(['void'], (doc) => ({ method: 'POST', url: `/retainer-invoices/${doc.id}/void` })),
        verb(['reopen'], (doc) => ({ method: 'POST', url: `/retainer-invoices/${doc.id}/reopen` })),
        verb(
          ['record_payment'],
          (doc) => ({
            method: 'POST',
            url: '/payments',
            payload: { customerId, date: '2026-03-10', mode: 'cash', amount: 1, retainerInvoiceId: doc.id },
          }),
          400,
        ),
      ],
      RETAINER_ACTIONS,
    );
    assert.deepEqual(seen, {
      draft: ['send', 'edit', 'delete'],
      sent: ['void', 'record_payment'],
      'partially paid': ['void', 'record_payment'],
      paid: ['void'],
      'paid, its credit applied': [],
      void: ['reopen'],
    });
  });
});
