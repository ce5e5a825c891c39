import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../../src/context.js';
import { type SchedulerLogger, startScheduler } from '../../src/jobs/scheduler.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

interface LogLine {
  level: 'error' | 'info';
  details: Record<string, unknown>;
  message: string;
}

function capturingLogger() {
  const lines: LogLine[] = [];
  const logger: SchedulerLogger = {
    error: (details, message) => lines.push({ level: 'error', details: details as Record<string, unknown>, message }),
    info: (details, message) => lines.push({ level: 'info', details: details as Record<string, unknown>, message }),
  };
  return { lines, logger };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('the scheduler', () => {
  let harness: Harness;
  let owner: Actor;
  let customerId: string;

  before(async () => {
    harness = await startHarness({ now: '2026-05-01T09:00:00.000Z' });
    const signedIn = await createOrgAndSignIn(harness);
    // The clock moves by days: an API key outlives any session.
    const key = (
      await signedIn.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Scheduler test' } })
    ).json().key;
    owner = {
      ...signedIn,
      request: (options) =>
        harness.app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${key}` } }),
    };
    customerId = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { displayName: 'Acme', paymentTermsDays: 0 },
      })
    ).json().id;
  });
  after(() => harness.close());

  const at = (date: string) => {
    harness.clock.now = new Date(`${date}T09:00:00.000Z`);
  };

  async function newProfile(overrides: Record<string, unknown> = {}) {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/recurring-profiles',
      payload: {
        customerId,
        name: 'Yearly plan',
        frequency: 'yearly',
        startDate: '2026-05-01',
        template: { lines: [{ name: 'Licence', quantity: '1', rate: 10000 }] },
        ...overrides,
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }

  const invoicesOf = async (profileId: string) =>
    (await owner.request({ method: 'GET', url: `/api/v1/recurring-profiles/${profileId}` })).json().invoices as Array<{
      id: string;
      status: string;
      issueDate: string;
    }>;

  test('runs at once and on every interval: recurring invoices, then overdue marking; stop ends it', async () => {
    at('2026-05-01');
    const profile = await newProfile();
    const { lines, logger } = capturingLogger();
    const scheduler = startScheduler(harness.ctx, { intervalMs: 40, logger });
    try {
      // Created, then sent (two transactions: the send may land a moment after the invoice shows up).
      await eventually(async () => (await invoicesOf(profile.id))[0]?.status === 'sent', 'the first invoice, sent');
      const [invoice] = await invoicesOf(profile.id);
      assert.equal(invoice?.status, 'sent');
      assert.equal(invoice?.issueDate, '2026-05-01');

      // Due on the issue date (payment terms 0): two days later the overdue job catches it.
      at('2026-05-03');
      await eventually(async () => (await invoicesOf(profile.id))[0]?.status === 'overdue', 'overdue marking');
      assert.equal((await invoicesOf(profile.id)).length, 1);
      assert.ok(lines.some((l) => l.details.job === 'recurring-invoices' && l.details.created === 1));
      assert.ok(lines.some((l) => l.details.job === 'overdue-invoices' && l.details.marked === 1));
      assert.deepEqual(
        lines.filter((l) => l.level === 'error'),
        [],
      );
    } finally {
      await scheduler.stop();
    }

    // Stopped: a year later, nothing runs any more.
    at('2027-05-01');
    await sleep(150);
    assert.equal((await invoicesOf(profile.id)).length, 1);
    await scheduler.stop();
  });

  test('expires estimates on its runs', async () => {
    at('2027-06-01');
    const estimate = await owner.request({
      method: 'POST',
      url: '/api/v1/estimates',
      payload: { customerId, expiryDate: '2027-06-10', lines: [{ name: 'Audit', quantity: '1', rate: 5000 }] },
    });
    assert.equal(estimate.statusCode, 201, estimate.body);
    const sent = await owner.request({ method: 'POST', url: `/api/v1/estimates/${estimate.json().id}/send` });
    assert.equal(sent.statusCode, 200, sent.body);
    at('2027-06-11');
    const { logger } = capturingLogger();
    const scheduler = startScheduler(harness.ctx, { intervalMs: 60_000, logger });
    await scheduler.runNow();
    await scheduler.stop();
    const after = (await owner.request({ method: 'GET', url: `/api/v1/estimates/${estimate.json().id}` })).json();
    assert.equal(after.status, 'expired');
  });

  test('a profile that cannot invoice is logged and retried; the others go on', async () => {
    at('2027-07-01');
    const tax = await owner.request({ method: 'POST', url: '/api/v1/taxes', payload: { name: 'VAT', rate: '20' } });
    assert.equal(tax.statusCode, 201, tax.body);
    const taxed = await newProfile({
      name: 'Taxed',
      startDate: '2027-07-02',
      template: { lines: [{ name: 'Licence', quantity: '1', rate: 10000, taxId: tax.json().id }] },
    });
    const plain = await newProfile({ name: 'Plain', startDate: '2027-07-02' });
    // The tax is deleted after the profile was made: its invoice can no longer be priced.
    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/taxes/${tax.json().id}` })).statusCode, 204);
    at('2027-07-02');
    const { lines, logger } = capturingLogger();
    const scheduler = startScheduler(harness.ctx, { intervalMs: 60_000, logger });
    await scheduler.runNow();
    await scheduler.runNow();
    await scheduler.stop();
    assert.equal((await invoicesOf(plain.id)).length, 1);
    assert.equal((await invoicesOf(taxed.id)).length, 0);
    const errors = lines.filter((l) => l.level === 'error');
    assert.ok(errors.length >= 1);
    assert.ok(errors.every((l) => l.details.profileId === taxed.id && l.details.job === 'recurring-invoices'));
    const still = (await owner.request({ method: 'GET', url: `/api/v1/recurring-profiles/${taxed.id}` })).json();
    assert.equal(still.nextDate, '2027-07-02', 'the period is not lost: it is tried again next run');
  });

  test('a job that throws is logged and never takes the process down', async () => {
    const broken: AppContext = {
      ...harness.ctx,
      db: {
        ...harness.ctx.db,
        kysely: new Proxy(harness.ctx.db.kysely, {
          get() {
            throw new Error('database unavailable');
          },
        }),
      },
    };
    const { lines, logger } = capturingLogger();
    const scheduler = startScheduler(broken, { intervalMs: 20, logger });
    await sleep(120);
    await scheduler.stop();
    const failed = new Set(lines.filter((l) => l.level === 'error').map((l) => l.details.job));
    assert.deepEqual([...failed].sort(), [
      'autopay-charges',
      'deliver-webhooks',
      'expire-estimates',
      'expire-payment-attempts',
      'overdue-invoices',
      'prune-idempotency-keys',
      'prune-second-factor-steps',
      'prune-throttles',
      'reconcile-payments',
      'recurring-invoices',
    ]);
    assert.ok(lines.every((l) => l.details.err === undefined || l.details.err instanceof Error));
  });
});
