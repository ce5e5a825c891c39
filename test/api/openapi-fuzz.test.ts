/**
 * A fuzz test generated from the OpenAPI document: every operation, as each kind of actor (anonymous, the owner's
 * session, an API key, a portal client's session), gets requests with wrong path parameters, query strings,
 * bodies and encodings (test/support/openapi-fuzz.ts), and bodies that fit the schema with edge values. No answer
 * may be a 5xx, and a batch of requests that were all refused must not have written a row.
 *
 * The seed is fixed and the count bounded, so a run is the same every time; FUZZ_SEED and FUZZ_COUNT (requests per
 * operation and actor) explore further.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { TOTP } from 'otpauth';
import { createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { badRequests, type FuzzRequest, type Operation, operationsOf } from '../support/openapi-fuzz.js';
import { activatedClient, enablePortal } from '../support/portal.js';

const SEED = Number(process.env.FUZZ_SEED ?? 17);
/** Requests per operation and actor, fired at once. */
const PER_OPERATION = Number(process.env.FUZZ_COUNT ?? 3);
/** The mixed batch: requests of every operation and actor, all fired at once. */
const MIXED_BATCH = 200;

/**
 * Tables a refused request may write to, by design: a refused sign-in or password reset counts against its
 * throttle (SECURITY.md), which is the point of counting.
 */
const WRITTEN_BY_REFUSALS = new Set(['throttles']);

type Send = (options: InjectOptions) => Promise<LightMyRequestResponse>;

describe('OpenAPI fuzz: no 5xx, and refused requests write nothing', () => {
  let harness: Harness;
  let operations: Operation[] = [];
  const actors: Array<{ name: string; send: Send }> = [];
  const ids: Record<string, string> = {};
  let portalSlug = '';
  let organizationId = '';
  let tables: string[] = [];
  /** Batches all refused, whose row counts were compared: most of them, or the test would prove little. */
  let checkedBatches = 0;

  before(async () => {
    harness = await startHarness();
    const owner = await createOrgAndSignIn(harness);
    organizationId = owner.organizationId;
    const post = async (url: string, payload: unknown = {}) => {
      const response = await owner.request({ method: 'POST', url, payload: payload as object });
      assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const line = { name: 'Work', quantity: '1', rate: 10000 };
    const customer = await post('/api/v1/customers', {
      displayName: 'Customer',
      contactPersons: [{ firstName: 'Ann', email: 'ann@example.com' }],
    });
    ids.customers = customer.id;
    ids['contact-persons'] = customer.contactPersons[0].id;
    // A webhook endpoint that hears of the estimate sent below: an endpoint and a delivery to aim at.
    ids['webhook-endpoints'] = (
      await post('/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/fuzz', events: ['estimate.sent'] })
    ).id;
    ids.taxes = (await post('/api/v1/taxes', { name: 'VAT', rate: '20' })).id;
    ids.estimates = (await post('/api/v1/estimates', { customerId: ids.customers, lines: [line] })).id;
    await post(`/api/v1/estimates/${ids.estimates}/send`);
    ids.invoices = (await post('/api/v1/invoices', { customerId: ids.customers, lines: [line] })).id;
    await post(`/api/v1/invoices/${ids.invoices}/send`);
    ids['retainer-invoices'] = (
      await post('/api/v1/retainer-invoices', {
        customerId: ids.customers,
        lines: [{ description: 'Advance', amount: 5000 }],
      })
    ).id;
    ids.payments = (
      await post('/api/v1/payments', {
        customerId: ids.customers,
        date: '2026-03-14',
        amount: 1000,
        mode: 'cash',
        allocations: [{ invoiceId: ids.invoices, amount: 1000 }],
      })
    ).id;
    ids.projects = (
      await post('/api/v1/projects', { customerId: ids.customers, name: 'Site', billingMethod: 'task_hours' })
    ).id;
    ids.tasks = (await post(`/api/v1/projects/${ids.projects}/tasks`, { name: 'Design', rate: 9000 })).id;
    ids['time-entries'] = (
      await post(`/api/v1/projects/${ids.projects}/time-entries`, { taskId: ids.tasks, date: '2026-03-12', hours: '2' })
    ).id;
    ids['recurring-profiles'] = (
      await post('/api/v1/recurring-profiles', {
        customerId: ids.customers,
        name: 'Monthly',
        frequency: 'monthly',
        startDate: '2026-04-01',
        template: { lines: [line] },
      })
    ).id;
    ids.comments = (await post(`/api/v1/invoices/${ids.invoices}/comments`, { text: 'Note' })).id;
    ids.users = (
      await post('/api/v1/users', {
        email: 'staff@example.com',
        name: 'Staff',
        role: 'staff',
        password: 'a calm brown ledger',
      })
    ).id;
    // A key to be the `{id}` of key routes, and another to act with (allowed to manage access: it reaches furthest).
    ids['api-keys'] = (await post('/api/v1/api-keys', { name: 'Fixture' })).id;
    const key = (await post('/api/v1/api-keys', { name: 'Fuzzer', canManageAccess: true })).key as string;
    // The owner's authenticator app (confirmed: the `{id}` of factor routes) and one still being set up.
    const totp = await post('/api/v1/second-factors/totp');
    await post(`/api/v1/second-factors/totp/${totp.id}/confirm`, {
      code: new TOTP({ secret: totp.secret }).generate({ timestamp: harness.clock.now.getTime() }),
    });
    ids['second-factors'] = totp.id;
    ids.totp = (await post('/api/v1/second-factors/totp')).id;

    portalSlug = await enablePortal(owner, { showProjects: true, reviews: true, allowForwarding: true });
    const client = await activatedClient(
      harness,
      owner,
      portalSlug,
      customer.id,
      customer.contactPersons[0].id,
      'ann@example.com',
    );
    ids.mailbox = (await harness.ctx.db.kysely.selectFrom('outboxMessages').select('id').executeTakeFirstOrThrow()).id;
    const attempt = await client.request({
      method: 'POST',
      url: '/payments',
      headers: { 'idempotency-key': 'fuzz-attempt' },
      payload: { allocations: [{ invoiceId: ids.invoices, amount: 2000 }] },
    });
    assert.equal(attempt.statusCode, 201, attempt.body);
    ids['payment-attempts'] = attempt.json().id;
    const asked = await client.request({ method: 'POST', url: '/quote-requests', payload: { description: 'A pond' } });
    assert.equal(asked.statusCode, 201, asked.body);
    ids['quote-requests'] = asked.json().id;
    const gateway = await harness.ctx.db.kysely
      .selectFrom('paymentGateways')
      .select('id')
      .where('organizationId', '=', organizationId)
      .executeTakeFirstOrThrow();
    ids['payment-gateways'] = gateway.id;
    const delivery = await harness.ctx.db.kysely
      .selectFrom('webhookDeliveries')
      .select('id')
      .where('endpointId', '=', ids['webhook-endpoints'] as string)
      .executeTakeFirstOrThrow();
    ids.deliveries = delivery.id;

    // Anonymous and the portal client first: the owner and the key may change settings the portal depends on.
    actors.push(
      { name: 'anonymous', send: (options) => harness.app.inject(options) },
      {
        name: 'portal client',
        send: (options) =>
          harness.app.inject({
            ...options,
            headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, ...options.headers },
          }),
      },
      {
        name: 'API key',
        send: (options) =>
          harness.app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...options.headers } }),
      },
      { name: 'owner session', send: (options) => owner.request(options) },
    );

    const document = (await harness.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    operations = operationsOf(document);
    // Signing out ends the actor's session, so it goes last.
    const signOut = (o: Operation) => o.method === 'DELETE' && o.path.endsWith('/session');
    operations = [...operations.filter((o) => !signOut(o)), ...operations.filter(signOut)];
    tables = (await harness.ctx.db.kysely.introspection.getTables())
      .filter((t) => !t.isView && !WRITTEN_BY_REFUSALS.has(t.name))
      .map((t) => t.name);
  });
  after(() => harness.close());

  /** The real value of a path parameter: the fixture its path's segment names. */
  function pathParam(path: string, name: string): string {
    if (name === 'slug') return portalSlug;
    if (name === 'kind') return 'sandbox';
    if (name === 'organizationId') return organizationId;
    if (name === 'gatewayId') return ids['payment-gateways'] ?? '';
    if (name === 'currency') return 'USD';
    const segments = path.split('/');
    const before = segments[segments.indexOf(`{${name}}`) - 1] ?? '';
    const id = ids[before];
    if (!id) throw new Error(`no fixture for {${name}} in ${path}`);
    return id;
  }

  /** Rows in every table: one statement, cheap enough to run around every batch. */
  async function rowCounts(): Promise<Record<string, number>> {
    const counts = sql.join(
      tables.map((name) => sql`select ${name} as name, count(*) as n from ${sql.table(name)}`),
      sql` union all `,
    );
    const { rows } = await sql<{ name: string; n: number | string }>`${counts}`.execute(harness.ctx.db.kysely);
    return Object.fromEntries(rows.map((row) => [row.name, Number(row.n)]));
  }

  /** Fires the requests at once; returns what went wrong: 5xx answers, and rows written by refused requests. */
  async function fire(batch: Array<{ actor: string; send: Send; request: FuzzRequest }>): Promise<string[]> {
    const before = await rowCounts();
    const answers = await Promise.all(
      batch.map(({ send, request }) =>
        send({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          ...(request.payload !== undefined ? { payload: request.payload } : {}),
          // The live activity stream never ends by itself: every answer is taken as a stream, then closed.
          payloadAsStream: true,
        }),
      ),
    );
    for (const answer of answers) (answer.stream() as unknown as { destroy(): void }).destroy();
    const failures: string[] = [];
    answers.forEach((answer, i) => {
      const { actor, request } = batch[i] as (typeof batch)[number];
      if (answer.statusCode >= 500) {
        failures.push(
          `${answer.statusCode} ${request.method} ${request.url.slice(0, 160)} as ${actor}: ${request.what}`,
        );
      }
    });
    if (answers.every((answer) => answer.statusCode >= 400)) {
      checkedBatches += 1;
      const after = await rowCounts();
      const changed = tables.filter((t) => before[t] !== after[t]);
      if (changed.length > 0) {
        const what = batch.map(({ actor, request }) => `${request.method} ${request.url.slice(0, 100)} as ${actor}`);
        failures.push(`refused requests wrote rows in ${changed.join(', ')}: ${what.join('; ')}`);
      }
    }
    return failures;
  }

  test('every operation, as every actor: no 5xx, and a refused batch writes no row', async () => {
    assert.ok(operations.length > 100, 'the document lists the operations');
    assert.ok(tables.includes('invoices') && tables.length > 30, 'every table is counted');
    const addresses = { pathParam, ids: Object.values(ids) };
    const failures: string[] = [];
    let seed = SEED;
    for (const actor of actors) {
      for (const operation of operations) {
        seed += 1;
        const requests = badRequests(operation, addresses, PER_OPERATION, seed);
        failures.push(...(await fire(requests.map((request) => ({ actor: actor.name, send: actor.send, request })))));
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(checkedBatches > (actors.length * operations.length) / 2, `${checkedBatches} refused batches checked`);
  });

  test('a mixed batch of every kind of bad request, fired at once', async () => {
    const addresses = { pathParam, ids: Object.values(ids) };
    const batch = Array.from({ length: MIXED_BATCH }, (_, i) => {
      const actor = actors[i % actors.length] as (typeof actors)[number];
      const operation = operations[(i * 7) % operations.length] as Operation;
      const [request] = badRequests(operation, addresses, 1, SEED * 1000 + i);
      return { actor: actor.name, send: actor.send, request: request as FuzzRequest };
    });
    assert.deepEqual(await fire(batch), []);
  });
});
