/**
 * Outgoing webhooks (issue 20, point 2): an owner registers an endpoint; events written with the changes (invoice
 * sent and paid, payment recorded, portal access) reach a real HTTP receiver signed with the endpoint's secret;
 * a failing receiver gets the delivery again with back-off; the log keeps each answer; a delivery can be re-sent;
 * workers running at once send each delivery once; private addresses are refused unless the operator allows them.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../../src/db/ids.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { publicOnlyLookup } from '../../src/modules/webhooks/address-check.js';
import { deliverDueWebhooks } from '../../src/modules/webhooks/index.js';
import { encryptSecret } from '../../src/payments/secret-box.js';
import { createCustomer, createInvoice, recordPayment } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { customerWithContacts, enablePortal } from '../support/portal.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 that answers `status` (changeable) and keeps what it got. */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  status: { code: number };
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const status = { code: 200 };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(status.code, { 'content-type': 'text/plain' }).end(`answer ${status.code}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    status,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function verified(secret: string, received: Received) {
  const header = String(received.headers['portico-signature']);
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  assert.ok(match, header);
  const expected = createHmac('sha256', secret).update(`${match[1]}.${received.body}`).digest('hex');
  assert.equal(match[2], expected, 'the signature is the HMAC of "<t>.<body>"');
  return JSON.parse(received.body) as { id: string; type: string; data: { object: string; id: string } };
}

describe('outgoing webhooks', () => {
  let harness: Harness;
  let owner: Actor;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let endpoint: { id: string; secret: string };

  before(async () => {
    harness = await startHarness({ env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' } });
    owner = await createOrgAndSignIn(harness);
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await harness.close();
  });

  const deliveries = async () =>
    (await owner.request({ method: 'GET', url: `/api/v1/webhook-endpoints/${endpoint.id}/deliveries` })).json()
      .data as Array<{
      id: string;
      event: string;
      status: string;
      attempts: number;
      responseStatus: number | null;
      eventId: string;
    }>;

  test('an endpoint is registered with its events; the secret is shown once', async () => {
    const refused = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: receiver.url, events: ['invoice.sent', 'invoice.exploded'] },
    });
    assert.equal(refused.statusCode, 400);
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: {
        url: receiver.url,
        description: 'Accounting sync',
        events: ['invoice.sent', 'invoice.paid', 'payment.recorded', 'portal_access.invited'],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    endpoint = created.json();
    assert.match(endpoint.secret, /^whsec_/);
    const read = await owner.request({ method: 'GET', url: `/api/v1/webhook-endpoints/${endpoint.id}` });
    assert.equal(read.json().secret, undefined, 'never shown again');
  });

  test('a sent invoice reaches the receiver, signed; an event nobody asked for is not sent', async () => {
    const customerId = await createCustomer(owner);
    const invoice = await createInvoice(harness, owner, { customerId, total: 10_000, status: 'draft' });
    assert.deepEqual(await deliveries(), [], 'a draft is no event');
    const sent = await owner.request({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/send` });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.deepEqual((await deliverDueWebhooks(harness.ctx)).delivered, 1);
    assert.equal(receiver.received.length, 1);
    const event = verified(endpoint.secret, receiver.received[0] as Received);
    assert.equal(event.type, 'invoice.sent');
    assert.deepEqual(event.data.object, 'invoice');
    assert.equal(event.data.id, invoice.id);
    assert.equal(receiver.received[0]?.headers['portico-event'], 'invoice.sent');

    // Paid in full: the payment and the paid invoice, once each.
    const paid = await recordPayment(owner, {
      customerId,
      amount: 10_000,
      allocations: [{ invoiceId: invoice.id, amount: 10_000 }],
    });
    assert.equal(paid.statusCode, 201, paid.body);
    await deliverDueWebhooks(harness.ctx);
    const types = receiver.received
      .slice(1)
      .map((r) => verified(endpoint.secret, r).type)
      .sort();
    assert.deepEqual(types, ['invoice.paid', 'payment.recorded']);
  });

  test('a failing receiver: the answer is logged, the delivery comes back after its back-off, then succeeds', async () => {
    receiver.status.code = 500;
    const slug = await enablePortal(owner);
    assert.ok(slug);
    const customer = await customerWithContacts(owner, 'Bluebird', ['alice@bluebird.test']);
    const invited = await owner.request({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/contact-persons/${customer.contacts['alice@bluebird.test']}/portal-invitation`,
    });
    assert.equal(invited.statusCode, 200, invited.body);
    const before = receiver.received.length;
    const first = await deliverDueWebhooks(harness.ctx);
    assert.deepEqual(first, { delivered: 0, retried: 1, failed: 0 });
    const failing = (await deliveries()).find((d) => d.event === 'portal_access.invited');
    assert.equal(failing?.event, 'portal_access.invited');
    assert.equal(failing?.status, 'pending');
    assert.equal(failing?.responseStatus, 500);
    // Not due yet: nothing is sent again.
    assert.deepEqual(await deliverDueWebhooks(harness.ctx), { delivered: 0, retried: 0, failed: 0 });
    receiver.status.code = 204;
    harness.clock.now = new Date(harness.clock.now.getTime() + 3 * 60_000);
    assert.deepEqual(await deliverDueWebhooks(harness.ctx), { delivered: 1, retried: 0, failed: 0 });
    assert.equal(receiver.received.length, before + 2);
    const done = (await deliveries()).find((d) => d.event === 'portal_access.invited');
    assert.equal(done?.status, 'delivered');
    assert.equal(done?.attempts, 2);
  });

  test('a delivery re-sent carries the same event id; workers at once send each delivery once', async () => {
    const last = (await deliveries()).find((d) => d.event === 'portal_access.invited');
    const resent = await owner.request({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${endpoint.id}/deliveries/${last?.id}/resend`,
    });
    assert.equal(resent.statusCode, 200, resent.body);
    const customerId = await createCustomer(owner);
    for (let i = 0; i < 5; i++) {
      const invoice = await createInvoice(harness, owner, { customerId, total: 1_000 + i });
      assert.ok(invoice.id);
    }
    const before = receiver.received.length;
    const results = await Promise.all([
      deliverDueWebhooks(harness.ctx, 2),
      deliverDueWebhooks(harness.ctx, 2),
      deliverDueWebhooks(harness.ctx, 2),
    ]);
    assert.equal(
      results.reduce((sum, r) => sum + r.delivered, 0),
      6,
    );
    const got = receiver.received.slice(before).map((r) => verified(endpoint.secret, r));
    assert.equal(got.length, 6);
    assert.equal(new Set(got.map((e) => e.id)).size, 6, 'no event twice');
    assert.ok(
      got.some((e) => e.id === last?.eventId),
      'the re-sent one has its first id',
    );
  });

  test("between the scheduler's runs a webhook goes out within seconds, not at the next run", async () => {
    const errors: object[] = [];
    const logger = { info: () => {}, error: (details: object) => errors.push(details) };
    // Runs every hour, webhooks every 50 ms (5 s when served): the run at start is over before the invoice is sent.
    const scheduler = startScheduler(harness.ctx, { intervalMs: 3_600_000, webhookIntervalMs: 50, logger });
    try {
      await scheduler.runNow();
      const before = receiver.received.length;
      const customerId = await createCustomer(owner);
      await createInvoice(harness, owner, { customerId, total: 1_200 });
      for (let tries = 0; tries < 250 && receiver.received.length === before; tries++) await sleep(20);
      assert.equal(receiver.received.length, before + 1, 'the invoice.sent event arrived within 5 s');
      assert.equal(verified(endpoint.secret, receiver.received[before] as Received).type, 'invoice.sent');
    } finally {
      await scheduler.stop();
    }
    assert.deepEqual(errors, []);
  });

  test('other organizations and staff see nothing; a turned-off endpoint gets nothing', async () => {
    const other = await createOrgAndSignIn(harness);
    assert.equal(
      (await other.request({ method: 'GET', url: `/api/v1/webhook-endpoints/${endpoint.id}` })).statusCode,
      404,
    );
    assert.equal(
      (await other.request({ method: 'GET', url: `/api/v1/webhook-endpoints/${endpoint.id}/deliveries` })).statusCode,
      404,
    );
    const off = await owner.request({
      method: 'PATCH',
      url: `/api/v1/webhook-endpoints/${endpoint.id}`,
      payload: { enabled: false },
    });
    assert.equal(off.statusCode, 200);
    const customerId = await createCustomer(owner);
    await createInvoice(harness, owner, { customerId, total: 500 });
    const before = receiver.received.length;
    await deliverDueWebhooks(harness.ctx);
    assert.equal(receiver.received.length, before);
  });
});

describe('outgoing webhooks: private addresses', () => {
  let harness: Harness;
  let owner: Actor;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
  });
  after(() => harness.close());

  test('loopback, private, link-local and plain-http addresses are refused at registration', async () => {
    for (const url of [
      'http://example.com/hooks',
      'https://127.0.0.1/hooks',
      'https://10.1.2.3/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hooks',
      'https://[::ffff:192.168.0.1]/hooks',
      'https://localhost:8443/hooks',
      'https://user:pass@example.com/hooks',
      'not a url',
    ]) {
      const response = await owner.request({
        method: 'POST',
        url: '/api/v1/webhook-endpoints',
        payload: { url, events: ['invoice.sent'] },
      });
      assert.equal(response.statusCode, 400, url);
      assert.equal(response.json().errors[0].path, '/url', url);
    }
    assert.equal(
      (
        await owner.request({
          method: 'POST',
          url: '/api/v1/webhook-endpoints',
          payload: { url: 'https://hooks.example.com/x', events: ['invoice.sent'] },
        })
      ).statusCode,
      201,
    );
  });

  test('a name that resolves to a private address is refused when connecting (DNS rebinding)', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      publicOnlyLookup('localhost', {}, (problem) => resolve(problem)),
    );
    assert.equal(error?.code, 'EADDRNOTPUBLIC');

    // An endpoint stored before the operator turned private networks off is not called either.
    const id = newId('whe');
    const now = harness.clock.now.toISOString();
    await harness.ctx.db.kysely
      .insertInto('webhookEndpoints')
      .values({
        id,
        organizationId: owner.organizationId,
        url: 'http://127.0.0.1:9/hooks',
        description: null,
        events: JSON.stringify(['invoice.sent']),
        secretEncrypted: encryptSecret(harness.ctx.config.appSecret, owner.organizationId, 'whsec_test'),
        enabled: 1,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const customerId = await createCustomer(owner);
    await createInvoice(harness, owner, { customerId, total: 700 });
    const result = await deliverDueWebhooks(harness.ctx);
    assert.equal(result.delivered, 0);
    const rows = await harness.ctx.db.kysely
      .selectFrom('webhookDeliveries')
      .select(['lastError', 'endpointId'])
      .where('endpointId', '=', id)
      .execute();
    assert.equal(rows.length, 1);
    assert.match(rows[0]?.lastError ?? '', /https|public internet/);
  });
});
