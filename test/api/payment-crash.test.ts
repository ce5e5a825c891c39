/**
 * Crash safety: a real `portico serve` process takes card payments (sandbox test cards) and is killed with
 * SIGKILL at random moments. After the last restart and the reconciler's run, every charge the sandbox made is
 * recorded exactly once as a portal payment, and there is no portal payment without a charge.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { createOrganization } from '../../src/modules/organization/service.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { chooseSandbox } from '../support/harness.js';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'crash-test-secret-that-is-long-enough-for-the-check';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('payments survive SIGKILL', () => {
  let database: TestDatabase;
  let ctx: AppContext;
  let port: number;
  let base: string;
  let child: ChildProcess | null = null;

  const start = async () => {
    child = spawn(process.execPath, ['bin/portico.js', 'serve', '--role', 'all', '--no-demo'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATA_DIR: database.dataDir,
        DATABASE_URL: database.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: base,
        APP_SECRET: SECRET,
        LOG_LEVEL: 'error',
        PAYMENT_RECONCILE_AFTER_SECONDS: '1',
        JOB_INTERVAL_MS: '1000',
        // Five rounds of eight clients paying as fast as they can pass the payment budget of one contact person;
        // without this, the later rounds would be refused (429) and killed with nothing in flight.
        CLIENT_ACTION_LIMITS_FACTOR: '1000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; i < 200; i += 1) {
      try {
        const health = await fetch(`${base}/healthz`);
        if (health.ok) return;
      } catch {
        // not up yet
      }
      await sleep(100);
    }
    throw new Error('the server did not start');
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };

  before(async () => {
    database = await freshDatabase();
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      DATA_DIR: database.dataDir,
      DATABASE_URL: database.url,
      APP_SECRET: SECRET,
      PUBLIC_URL: base,
    });
    ctx = { config, db: database.db, now: () => new Date() };
  });
  after(async () => {
    await kill();
    await database.drop();
  });

  test('every sandbox charge is recorded exactly once, and nothing else is', { timeout: 240_000 }, async () => {
    await start();
    const { organizationId } = await createOrganization(ctx, {
      name: 'Crash Co',
      slug: 'crash-co',
      baseCurrency: 'USD',
      timeZone: 'UTC',
      owner: { email: 'owner@crash.example', name: 'Owner', password: PASSWORD },
    });
    await chooseSandbox(ctx, organizationId);

    // The business, through the HTTP API.
    const signedIn = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@crash.example', password: PASSWORD }),
    });
    assert.equal(signedIn.status, 200);
    const ownerCookie = (signedIn.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
    const ownerCsrf = ((await signedIn.json()) as { csrfToken: string }).csrfToken;
    const business = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          cookie: ownerCookie,
          'x-csrf-token': ownerCsrf,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const tax = await business('POST', '/api/v1/taxes', { name: 'Tax', rate: '5' });
    await business('POST', `/api/v1/taxes/${tax.id}/default`);
    const settings = await business('PATCH', '/api/v1/portal-settings', {
      enabled: true,
      preventDuplicatePayments: false,
    });
    const slug = settings.portalName as string;
    const customer = await business('POST', '/api/v1/customers', {
      displayName: 'Crash Client',
      contactPersons: [{ firstName: 'Cora', email: 'cora@client.example' }],
    });
    const contactId = customer.contactPersons[0].id as string;
    await business('POST', `/api/v1/customers/${customer.id}/contact-persons/${contactId}/portal-invitation`);
    const invitation = await database.db.kysely
      .selectFrom('outboxMessages')
      .select('textBody')
      .where('toAddress', '=', 'cora@client.example')
      .executeTakeFirstOrThrow();
    const token = /accept-invitation#token=([A-Za-z0-9_-]+)/.exec(invitation.textBody)?.[1];
    const accepted = await fetch(`${base}/api/portal/${slug}/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: 'a calm blue invoice portal' }),
    });
    assert.equal(accepted.status, 200);
    const clientCookie = (accepted.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
    const clientCsrf = ((await accepted.json()) as { csrfToken: string }).csrfToken;
    const invoices: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const invoice = await business('POST', '/api/v1/invoices', {
        customerId: customer.id,
        issueDate: '2026-03-01',
        dueDate: '2030-12-31',
        lines: [{ name: 'Work', quantity: '1', rate: 10_000_000 }],
      });
      await business('POST', `/api/v1/invoices/${invoice.id}/send`);
      invoices.push(invoice.id);
    }
    await database.db.kysely
      .updateTable('invoices')
      .set({ allowPartialPayments: 1 })
      .where('id', 'in', invoices)
      .execute();

    let keyNumber = 0;
    const payOnce = () => {
      keyNumber += 1;
      const amount = 100 + Math.floor(Math.random() * 900);
      return fetch(`${base}/api/portal/${slug}/payments`, {
        method: 'POST',
        headers: {
          cookie: clientCookie,
          'x-csrf-token': clientCsrf,
          'content-type': 'application/json',
          'idempotency-key': `crash-${keyNumber}`,
        },
        body: JSON.stringify({
          allocations: [{ invoiceId: invoices[keyNumber % invoices.length], amount }],
          testCard: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' },
        }),
      })
        .then((r) => r.status)
        .catch(() => 0);
    };

    // Five rounds: a stream of payments, killed at a random moment, then restarted.
    let answered = 0;
    for (let round = 0; round < 5; round += 1) {
      // Eight clients paying one payment after another, until the server dies under them.
      let firing = true;
      const statuses: number[] = [];
      // The kill comes at a random moment once the stream is flowing (a first payment answered), so a slow,
      // loaded machine still kills mid-stream rather than before anything was paid.
      let flowing: () => void = () => {};
      const firstPaid = new Promise<void>((resolve) => {
        flowing = resolve;
      });
      const workers = Array.from({ length: 8 }, async () => {
        while (firing) {
          const status = await payOnce();
          statuses.push(status);
          if (status === 201) flowing();
          if (status === 0) return;
        }
      });
      await Promise.race([firstPaid, sleep(30_000)]);
      assert.ok(statuses.includes(201), `round ${round}: payments flow before the kill (${statuses.join(',')})`);
      await sleep(Math.floor(Math.random() * 1200));
      await kill();
      firing = false;
      await Promise.all(workers);
      if (process.env.CRASH_DEBUG) console.error(round, statuses.join(','));
      answered += statuses.filter((s) => s === 201).length;
      await start();
    }
    assert.ok(answered > 0, 'some payments went through between the kills');

    // The restarted server reconciles (its jobs run at start and every second here).
    let live = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 100 && live > 0; i += 1) {
      await sleep(200);
      const row = await database.db.kysely
        .selectFrom('paymentAttempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['pending', 'requires_action'])
        .executeTakeFirstOrThrow();
      live = Number(row.n);
    }
    assert.equal(live, 0, 'no attempt is left dangling');

    const charges = await database.db.kysely
      .selectFrom('sandboxCharges')
      .select(['id', 'amount', 'reference'])
      .where('organizationId', '=', organizationId)
      .where('kind', '=', 'payment')
      .where('status', '=', 'succeeded')
      .execute();
    const payments = await database.db.kysely
      .selectFrom('customerPayments')
      .select(['id', 'amount', 'reference'])
      .where('organizationId', '=', organizationId)
      .where('source', '=', 'portal')
      .execute();
    assert.ok(charges.length > 0);
    const sum = (rows: Array<{ amount: number }>) => rows.reduce((s, r) => s + Number(r.amount), 0);
    assert.equal(sum(payments), sum(charges), 'collected = charged');
    const byReference = new Map<string, number>();
    for (const p of payments) byReference.set(p.reference ?? '', (byReference.get(p.reference ?? '') ?? 0) + 1);
    for (const c of charges) assert.equal(byReference.get(c.id), 1, `charge ${c.id} is recorded once`);
    const chargeIds = new Set(charges.map((c) => c.id));
    for (const p of payments) assert.ok(chargeIds.has(p.reference ?? ''), `payment ${p.id} has its charge`);
    // The invoices agree with the payments.
    const applied = await database.db.kysely
      .selectFrom('invoices')
      .select((eb) => eb.fn.sum<number>('paymentsApplied').as('n'))
      .where('id', 'in', invoices)
      .executeTakeFirstOrThrow();
    assert.equal(Number(applied.n), sum(payments));
    await kill();
  });
});
