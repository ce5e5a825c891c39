import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { rebuildCustomerFigures, recomputedFigures } from '../../src/db/migrations/0010_customer_figures.js';
import { UNPAID_INVOICE_STATUSES } from '../../src/domain/invoice-states.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { UNPAID_RETAINER_STATUSES } from '../../src/modules/portal-retainers/index.js';
import { createCustomer, createInvoice } from '../support/books.js';
import { testDialect } from '../support/database.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

/**
 * The customer figures (migration 0010) are kept by triggers with every change to the books. After random
 * sequences of what the business and the scheduler do, the kept figures equal the ones recomputed from the books.
 */
describe('customer figures kept with the books', () => {
  let harness: Harness;
  let owner: Actor;
  const customers: string[] = [];

  before(async () => {
    harness = await startHarness({ now: '2026-03-15T10:00:00.000Z' });
    owner = await createOrgAndSignIn(harness, { name: 'Figures Ltd' });
    customers.push(await createCustomer(owner), await createCustomer(owner), await createCustomer(owner));
  });
  after(async () => harness.close());

  /** The rows of a figures table that are not zero, sorted, as text (bigint comes back as text on PostgreSQL). */
  async function rows(from: string): Promise<string[]> {
    const result = await sql.raw<Record<string, unknown>>(`SELECT * FROM (${from}) f`).execute(harness.ctx.db.kysely);
    return result.rows
      .map((row) =>
        Object.entries(row).map(([key, value]) => [
          key,
          key.match(/count|balance|invoiced|paid/) ? Number(value) : value,
        ]),
      )
      .filter((entries) =>
        entries.some(([key, value]) => /count|balance|invoiced|paid/.test(String(key)) && value !== 0),
      )
      .map((entries) => JSON.stringify(Object.fromEntries(entries.sort())))
      .sort();
  }
  async function assertKeptEqualsRecomputed(context: string) {
    for (const table of ['customer_open_totals', 'customer_monthly_totals'] as const) {
      assert.deepEqual(
        await rows(`SELECT * FROM ${table}`),
        await rows(recomputedFigures[table]),
        `${table}: ${context}`,
      );
    }
  }

  const request = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    owner.request({ method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload }) });

  async function documents(table: 'invoices' | 'retainerInvoices' | 'customerPayments') {
    return harness.ctx.db.kysely
      .selectFrom(table)
      .selectAll()
      .where('organizationId', '=', owner.organizationId)
      .orderBy('id')
      .execute();
  }

  /** One step of what the business does; `pick` chooses among the documents that exist when it runs. */
  type Step = { name: string; run(pick: number, amount: number, month: number): Promise<unknown> };
  const at = <T>(list: readonly T[], pick: number) => (list.length === 0 ? undefined : list[pick % list.length]);
  /** A day between October 2025 and May 2026: some invoices fall due before the test's today (2026-03-15), some after. */
  const day = (month: number) => {
    const index = 9 + (month % 8);
    return `${2025 + Math.floor(index / 12)}-${String(1 + (index % 12)).padStart(2, '0')}-1${month % 10}`;
  };

  const steps: Step[] = [
    {
      name: 'an invoice created (draft)',
      run: (pick, amount, month) =>
        request('POST', '/invoices', {
          customerId: at(customers, pick),
          issueDate: day(month),
          dueDate: day(month),
          lines: [{ name: 'Work', quantity: '1', rate: amount }],
        }),
    },
    {
      name: 'an invoice sent',
      run: async (pick) => {
        const draft = at(
          (await documents('invoices')).filter((i) => i.status === 'draft'),
          pick,
        );
        return draft && request('POST', `/invoices/${draft.id}/mark-sent`);
      },
    },
    {
      name: 'an invoice edited (its line, its date, its customer)',
      run: async (pick, amount, month) => {
        const invoice = at(await documents('invoices'), pick);
        return (
          invoice &&
          request('PATCH', `/invoices/${invoice.id}`, {
            issueDate: day(month),
            dueDate: day(month),
            lines: [{ name: 'Work', quantity: '2', rate: amount }],
            ...(invoice.status === 'draft' ? { customerId: at(customers, pick + 1) } : {}),
          })
        );
      },
    },
    {
      name: 'a payment of part of an invoice',
      run: async (pick, amount, month) => {
        const unpaid = at(
          (await documents('invoices')).filter((i) => UNPAID_INVOICE_STATUSES.includes(i.status)),
          pick,
        );
        if (!unpaid) return;
        const paid = Math.max(1, Math.min(unpaid.balance, amount));
        return request('POST', '/payments', {
          customerId: unpaid.customerId,
          amount: paid + (pick % 3 === 0 ? 500 : 0),
          date: day(month),
          mode: 'bank_transfer',
          allocations: [{ invoiceId: unpaid.id, amount: paid }],
        });
      },
    },
    {
      name: 'a payment deleted',
      run: async (pick) => {
        const payment = at(await documents('customerPayments'), pick);
        return payment && request('DELETE', `/payments/${payment.id}`);
      },
    },
    {
      name: 'a payment moved to another day',
      run: async (pick, _amount, month) => {
        const payment = at(await documents('customerPayments'), pick);
        return payment && request('PATCH', `/payments/${payment.id}`, { date: day(month) });
      },
    },
    {
      name: 'credit applied',
      run: async (pick) => {
        const payment = at(
          (await documents('customerPayments')).filter((p) => p.unapplied > 0),
          pick,
        );
        const invoice =
          payment &&
          (await documents('invoices')).find(
            (i) => i.customerId === payment.customerId && UNPAID_INVOICE_STATUSES.includes(i.status),
          );
        if (!payment || !invoice) return;
        return request('POST', `/customers/${payment.customerId}/apply-credit`, {
          allocations: [
            { paymentId: payment.id, invoiceId: invoice.id, amount: Math.min(payment.unapplied, invoice.balance) },
          ],
        });
      },
    },
    {
      name: 'an invoice voided, reopened, written off or deleted',
      run: async (pick) => {
        const invoice = at(await documents('invoices'), pick);
        if (!invoice) return;
        const action = ['void', 'reopen', 'write-off', 'cancel-write-off', 'delete'][pick % 5];
        return action === 'delete'
          ? request('DELETE', `/invoices/${invoice.id}`)
          : request('POST', `/invoices/${invoice.id}/${action}`, action === 'write-off' ? {} : undefined);
      },
    },
    {
      name: 'a retainer invoice sent and paid in part',
      run: async (pick, amount, month) => {
        const created = await request('POST', '/retainer-invoices', {
          customerId: at(customers, pick),
          lines: [{ description: 'Advance', amount }],
        });
        if (created.statusCode !== 201) return created;
        const id = created.json().id as string;
        await request('POST', `/retainer-invoices/${id}/send`);
        if (pick % 2 === 0) return;
        return request('POST', '/payments', {
          customerId: at(customers, pick),
          amount: Math.max(1, Math.floor(amount / 2)),
          date: day(month),
          mode: 'cash',
          retainerInvoiceId: id,
        });
      },
    },
    {
      name: 'a retainer invoice voided, reopened or deleted',
      run: async (pick) => {
        const retainer = at(await documents('retainerInvoices'), pick);
        if (!retainer) return;
        if (retainer.status === 'draft') return request('DELETE', `/retainer-invoices/${retainer.id}`);
        return request('POST', `/retainer-invoices/${retainer.id}/${retainer.status === 'void' ? 'reopen' : 'void'}`);
      },
    },
    {
      name: 'the scheduler marks what is due overdue',
      run: async () => {
        const scheduler = startScheduler(harness.ctx, { intervalMs: 60_000, logger: { error() {}, info() {} } });
        await scheduler.runNow();
        await scheduler.stop();
      },
    },
  ];

  test('the statuses the triggers count are the domain’s', async () => {
    assert.deepEqual([...UNPAID_INVOICE_STATUSES].sort(), ['overdue', 'partially_paid', 'sent']);
    assert.deepEqual([...UNPAID_RETAINER_STATUSES].sort(), ['partially_paid', 'sent']);
  });

  test('after random sequences of operations, the kept figures equal the ones recomputed from the books', async () => {
    const outcomes = new Map<string, Set<number>>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            step: fc.integer({ min: 0, max: steps.length - 1 }),
            pick: fc.nat({ max: 1000 }),
            amount: fc.integer({ min: 1, max: 50_000 }),
            month: fc.nat({ max: 30 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (sequence) => {
          for (const { step, pick, amount, month } of sequence) {
            const { name, run } = steps[step] as Step;
            const answer = (await run(pick, amount, month)) as { statusCode?: number } | undefined;
            if (process.env.FIGURES_DEBUG && answer?.statusCode && answer.statusCode >= 400)
              console.log(name, answer.statusCode, (answer as { body?: string }).body);
            if (answer?.statusCode) outcomes.set(name, (outcomes.get(name) ?? new Set()).add(answer.statusCode));
            // A refused step (4xx) changes nothing; a server error is a bug.
            assert.ok((answer?.statusCode ?? 200) < 500, `${name}: ${answer?.statusCode}`);
          }
          await assertKeptEqualsRecomputed(sequence.map((s) => steps[s.step]?.name).join(' → '));
        },
      ),
      { numRuns: 25, seed: Number(process.env.FIGURES_SEED ?? Date.now() % 2 ** 31) },
    );
    // The random sequences did reach the interesting changes (a property that never paid anything proves little).
    for (const name of [
      'an invoice sent',
      'a payment of part of an invoice',
      'a retainer invoice sent and paid in part',
    ]) {
      assert.ok(outcomes.get(name)?.has(201) || outcomes.get(name)?.has(200), `${name} never succeeded`);
    }
  });

  test('rebuilding from the books gives the same figures, and repairs figures that went wrong', async () => {
    const before = await rows('SELECT * FROM customer_monthly_totals');
    await sql`UPDATE customer_open_totals SET balance = balance + 1`.execute(harness.ctx.db.kysely);
    await sql`DELETE FROM customer_monthly_totals`.execute(harness.ctx.db.kysely);
    await rebuildCustomerFigures(harness.ctx.db.kysely);
    await assertKeptEqualsRecomputed('after a rebuild');
    assert.deepEqual(await rows('SELECT * FROM customer_monthly_totals'), before);
  });

  test('a payment and an edit of the same customer committing together do not deadlock', {
    skip:
      testDialect === 'sqlite'
        ? 'SQLite has one writer at a time: two transactions never hold locks the other waits for'
        : false,
  }, async () => {
    // On PostgreSQL the figures and the versions are written at the commit, in the order of the changes: a payment
    // writes its month's figures, then the customer's version; an edit of an invoice of the same month writes the
    // version (its first statement), then the figures. `SET CONSTRAINTS ALL IMMEDIATE` runs the deferred triggers
    // at the points below, the order in which two commits can meet: the edit holds the version's lock, the payment
    // comes, the edit wants the month's figures. Each trigger locking the customer first makes the payment wait.
    const customerId = await createCustomer(owner);
    const edited = await createInvoice(harness, owner, {
      customerId,
      total: 10_000,
      issueDate: '2026-03-02',
      dueDate: '2026-03-31',
    });
    const db = harness.ctx.db.kysely;
    const now = '2026-03-15T10:00:00.000Z';
    await db.connection().execute(async (edit) => {
      await sql`begin`.execute(edit);
      await sql`update invoices set updated_at = ${now} where id = ${edited.id}`.execute(edit);
      await sql`set constraints all immediate`.execute(edit);
      const payment = db.connection().execute(async (pay) => {
        await sql`begin`.execute(pay);
        await sql`set constraints all immediate`.execute(pay);
        await sql`insert into customer_payments (id, organization_id, customer_id, number, payment_date, amount,
            unapplied, currency, mode, created_at, updated_at)
          values ('pay_concurrent', ${owner.organizationId}, ${customerId}, 'PAY-CONCURRENT', '2026-03-14', 500, 500,
            'USD', 'cash', ${now}, ${now})`.execute(pay);
        await sql`commit`.execute(pay);
      });
      // Let the payment reach its first lock before the edit goes on.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sql`update invoices set total = total + 100, balance = balance + 100 where id = ${edited.id}`.execute(edit);
      await sql`commit`.execute(edit);
      await payment;
    });
    await assertKeptEqualsRecomputed('after the two commits');
  });
});
