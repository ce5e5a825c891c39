import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { createInvoice, recordPayment } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import {
  activatedClient,
  CLIENT_PASSWORD,
  customerWithContacts,
  enablePortal,
  type PortalClient,
  portalClient,
} from '../support/portal.js';

/**
 * The portal versions (migration 0009): every kind of change to what a customer's portal shows moves that
 * customer's version, and only that customer's; organization-wide changes move the organization's; sign-ins,
 * session touches and audit rows move nothing. The portal's reused answers are keyed by them.
 */
describe('portal versions', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let clientA: PortalClient;
  let customerA: string;
  let personA: string;
  let customerB: string;

  before(async () => {
    harness = await startHarness({ now: '2026-03-15T10:00:00.000Z' });
    owner = await createOrgAndSignIn(harness, { name: 'Versions Ltd' });
    slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    customerA = a.id;
    personA = a.contacts['a@client.example'] ?? '';
    customerB = b.id;
    clientA = await activatedClient(harness, owner, slug, customerA, personA, 'a@client.example');
    await activatedClient(harness, owner, slug, customerB, b.contacts['b@client.example'] ?? '', 'b@client.example');
  });
  after(async () => harness.close());

  async function versions() {
    const db = harness.ctx.db.kysely;
    const customers = await db
      .selectFrom('customers')
      .select(['id', 'portalVersion'])
      .where('id', 'in', [customerA, customerB])
      .execute();
    const org = await db
      .selectFrom('organizations')
      .select('portalVersion')
      .where('id', '=', owner.organizationId)
      .executeTakeFirstOrThrow();
    const of = (id: string) => Number(customers.find((c) => c.id === id)?.portalVersion);
    return { a: of(customerA), b: of(customerB), org: Number(org.portalVersion) };
  }

  /** Runs a write and says which versions it moved. */
  async function moved(name: string, write: () => Promise<unknown>) {
    const before = await versions();
    await write();
    const now = await versions();
    return { name, a: now.a !== before.a, b: now.b !== before.b, org: now.org !== before.org };
  }

  const ok = async (response: Promise<LightMyRequestResponse>, status = [200, 201, 204]) => {
    const done = await response;
    assert.ok(status.includes(done.statusCode), `${done.statusCode} ${done.body}`);
    return done.statusCode === 204 ? undefined : done.json();
  };
  const business = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    ok(owner.request({ method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload }) }));
  const portal = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    ok(clientA.request({ method, url, ...(payload === undefined ? {} : { payload }) }));

  test("each kind of change to customer A's portal moves A's version, never B's nor the organization's", async () => {
    let invoiceId = '';
    let estimateId = '';
    let paymentId = '';
    let projectId = '';
    let taskId = '';
    const writes: Array<[string, () => Promise<unknown>]> = [
      [
        'an invoice created (a draft)',
        async () => {
          invoiceId = (await createInvoice(harness, owner, { customerId: customerA, total: 5000, status: 'draft' })).id;
        },
      ],
      ['an invoice edited (its lines)', () => business('PATCH', `/invoices/${invoiceId}`, { notes: 'Thanks' })],
      ['an invoice sent', () => business('POST', `/invoices/${invoiceId}/mark-sent`)],
      ['an invoice opened for the first time (viewed)', () => portal('GET', `/invoices/${invoiceId}`)],
      [
        'a payment with its allocation',
        async () => {
          const paid = await recordPayment(owner, {
            customerId: customerA,
            amount: 3000,
            allocations: [{ invoiceId, amount: 1000 }],
          });
          assert.equal(paid.statusCode, 201, paid.body);
          paymentId = paid.json().id;
        },
      ],
      [
        'a credit applied',
        () =>
          business('POST', `/customers/${customerA}/apply-credit`, {
            allocations: [{ paymentId, invoiceId, amount: 500 }],
          }),
      ],
      ['a payment edited', () => business('PATCH', `/payments/${paymentId}`, { reference: 'REF-1' })],
      [
        'an estimate created',
        async () => {
          estimateId = (
            await business('POST', '/estimates', {
              customerId: customerA,
              lines: [{ name: 'Plan', quantity: '1', rate: 900 }],
            })
          ).id;
        },
      ],
      ['an estimate sent', () => business('POST', `/estimates/${estimateId}/mark-sent`)],
      ['an estimate accepted in the portal', () => portal('POST', `/estimates/${estimateId}/accept`, {})],
      ['an estimate converted', () => business('POST', `/estimates/${estimateId}/convert`)],
      [
        'a retainer invoice',
        () =>
          business('POST', '/retainer-invoices', { customerId: customerA, lines: [{ description: 'A', amount: 1 }] }),
      ],
      [
        'a comment shown in the portal',
        () => business('POST', `/invoices/${invoiceId}/comments`, { text: 'Paid?', showInPortal: true }),
      ],
      ['a comment from the client', () => portal('POST', `/invoices/${invoiceId}/comments`, { text: 'Soon' })],
      [
        'a project',
        async () => {
          projectId = (
            await business('POST', '/projects', { customerId: customerA, name: 'Site', billingMethod: 'task_hours' })
          ).id;
        },
      ],
      [
        'a task',
        async () => {
          taskId = (await business('POST', `/projects/${projectId}/tasks`, { name: 'Design', rate: 5000 })).id;
        },
      ],
      [
        'a time entry',
        () => business('POST', `/projects/${projectId}/time-entries`, { taskId, date: '2026-03-10', hours: '1' }),
      ],
      [
        'a recurring profile',
        () =>
          business('POST', '/recurring-profiles', {
            customerId: customerA,
            name: 'Monthly',
            frequency: 'monthly',
            startDate: '2026-04-01',
            template: { lines: [{ name: 'Licence', quantity: '1', rate: 100 }] },
          }),
      ],
      ['the customer record', () => business('PATCH', `/customers/${customerA}`, { phone: '+1 555 0100' })],
      [
        "a contact person's details",
        () => business('PATCH', `/customers/${customerA}/contact-persons/${personA}`, { lastName: 'Smith' }),
      ],
      [
        'the client changes their details',
        () => portal('PATCH', '/account', { contactPerson: { phone: '+1 555 0199' } }),
      ],
      ['an invoice voided', () => business('POST', `/invoices/${invoiceId}/void`)],
    ];
    for (const [name, write] of writes) {
      assert.deepEqual(await moved(name, write), { name, a: true, b: false, org: false });
    }
  });

  test("the scheduler's changes (overdue, expiry, recurring invoices) move the customer's version", async () => {
    const due = await createInvoice(harness, owner, {
      customerId: customerA,
      total: 700,
      issueDate: '2026-03-01',
      dueDate: '2026-03-20',
    });
    const estimate = await business('POST', '/estimates', {
      customerId: customerA,
      expiryDate: '2026-03-25',
      lines: [{ name: 'Plan', quantity: '1', rate: 900 }],
    });
    await business('POST', `/estimates/${estimate.id}/mark-sent`);
    const start = harness.clock.now;
    harness.clock.now = new Date('2026-04-02T09:00:00.000Z');
    try {
      const run = async () => {
        const scheduler = startScheduler(harness.ctx, {
          intervalMs: 60_000,
          logger: { info: () => {}, error: () => {} },
        });
        await scheduler.runNow();
        await scheduler.stop();
      };
      assert.deepEqual(await moved('a scheduler run', run), { name: 'a scheduler run', a: true, b: false, org: false });
      const invoice = await harness.ctx.db.kysely
        .selectFrom('invoices')
        .select('status')
        .where('id', '=', due.id)
        .executeTakeFirstOrThrow();
      assert.equal(invoice.status, 'overdue', 'the run did change what the portal shows');
      assert.deepEqual(await moved('a run with nothing to do', run), {
        name: 'a run with nothing to do',
        a: false,
        b: false,
        org: false,
      });
    } finally {
      harness.clock.now = start;
    }
  });

  test("organization-wide changes move the organization's version only", async () => {
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['the portal banner', () => business('PATCH', '/portal-settings', { banner: 'Closed on Friday' })],
      ['the organization', () => business('PATCH', '/organization', { phone: '+1 555 0000' })],
      ['a tax', () => business('POST', '/taxes', { name: 'VAT', rate: '20' })],
    ];
    for (const [name, write] of writes) {
      assert.deepEqual(await moved(name, write), { name, a: false, b: false, org: true });
    }
  });

  test('sign-ins, session touches, sign-outs and failed sign-ins move nothing', async () => {
    const fresh = portalClient(harness, slug);
    const nothing = (name: string) => ({ name, a: false, b: false, org: false });
    assert.deepEqual(
      await moved('a failed sign-in', () =>
        fresh.request({ method: 'POST', url: '/session', payload: { email: 'a@client.example', password: 'nope' } }),
      ),
      nothing('a failed sign-in'),
    );
    assert.deepEqual(
      await moved('a sign-in', async () => {
        const signedIn = await fresh.request({
          method: 'POST',
          url: '/session',
          payload: { email: 'a@client.example', password: CLIENT_PASSWORD },
        });
        assert.equal(signedIn.statusCode, 200, signedIn.body);
        fresh.keepSessionFrom(signedIn);
      }),
      nothing('a sign-in'),
    );
    const start = harness.clock.now;
    harness.clock.now = new Date(start.getTime() + 5 * 60_000);
    try {
      assert.deepEqual(
        await moved('a session touch', async () => {
          const lastSeen = () =>
            harness.ctx.db.kysely
              .selectFrom('sessions')
              .select('lastSeenAt')
              .where('contactPersonId', '=', personA)
              .orderBy('lastSeenAt', 'desc')
              .executeTakeFirstOrThrow();
          const before = await lastSeen();
          await ok(fresh.request({ method: 'GET', url: '/home' }));
          assert.notDeepEqual(await lastSeen(), before, 'the session was touched');
        }),
        nothing('a session touch'),
      );
      assert.deepEqual(
        await moved('a business request (its session touched)', () =>
          owner.request({ method: 'GET', url: '/api/v1/organization' }).then(() => undefined),
        ),
        nothing('a business request (its session touched)'),
      );
      assert.deepEqual(
        await moved('a sign-out', () => ok(fresh.request({ method: 'DELETE', url: '/session' }))),
        nothing('a sign-out'),
      );
    } finally {
      harness.clock.now = start;
    }
  });
});
