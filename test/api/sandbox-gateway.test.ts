import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/app.js';
import {
  type CreatePaymentInput,
  type GatewayEvent,
  GatewayIdempotencyError,
  type TestCard,
  WebhookVerificationError,
} from '../../src/payments/gateway.js';
import type { SandboxGateway } from '../../src/payments/sandbox/sandbox-gateway.js';
import {
  deliverSandboxWebhooks,
  type SandboxWebhookDelivery,
  sandboxWebhookSecret,
  setSandboxWebhookSink,
} from '../../src/payments/sandbox/webhooks.js';
import { signWebhook } from '../../src/payments/webhook-signature.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { firstGateway, sandboxRules } from '../support/pay.js';

const RETURN_URL = 'http://portico.test/portal/acme/payments/return?attempt=1';
const SANDBOX_TABLES = [
  'sandboxCards',
  'sandboxCharges',
  'sandboxCheckoutSessions',
  'sandboxRefunds',
  'sandboxWebhookDeliveries',
  'paymentGateways',
] as const;
/** Every card number typed in this file, to look for afterwards in the tables and the logs. */
const typedNumbers = new Set<string>();

describe('sandbox gateway', () => {
  let harness: Harness;
  let owner: Actor;
  let other: Actor;
  let counter = 0;
  const deliveries: SandboxWebhookDelivery[] = [];
  const events: GatewayEvent[] = [];
  let logs = '';
  let loggedApp: FastifyInstance;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: '<script>alert(1)</script> & Co' });
    other = await createOrgAndSignIn(harness);
    // The payment flow's sink would verify each delivery like this, exactly as the HTTP endpoint will.
    setSandboxWebhookSink(harness.ctx, async (delivery) => {
      deliveries.push(delivery);
      const gateway = await firstGateway(harness, delivery.organizationId);
      if (gateway) events.push(await gateway.verifyWebhook(delivery.rawBody, delivery.headers));
    });
    // A second app on the same context, logging everything at trace level, to look for card numbers in logs.
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs += chunk.toString();
        done();
      },
    });
    loggedApp = await buildApp(harness.ctx, { logger: { level: 'trace', stream } });
    await loggedApp.ready();
  });
  after(async () => {
    setSandboxWebhookSink(harness.ctx, null);
    await loggedApp.close();
    await harness.close();
  });
  beforeEach(async () => {
    await configure(owner, {});
  });

  /** Sets the organization's sandbox rules (the HTTP route is tested in payment-gateway-settings.test.ts). */
  const configure = (actor: Actor, rules: Record<string, unknown>) => sandboxRules(harness, actor, rules);
  const gateway = async (actor: Actor = owner) => (await firstGateway(harness, actor.organizationId)) as SandboxGateway;

  function payment(overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
    counter += 1;
    return {
      reference: `pat_test${String(counter).padStart(22, '0')}`,
      amount: 5000 + counter,
      currency: 'USD',
      description: 'Invoice INV-00001',
      customer: { name: 'Ann Client', email: 'ann@example.com' },
      returnUrl: RETURN_URL,
      idempotencyKey: `key-${counter}-${Math.random()}`,
      organizationId: owner.organizationId,
      ...overrides,
    };
  }
  function card(number: string, extra: Partial<TestCard> = {}): TestCard {
    typedNumbers.add(number);
    return { number, expMonth: 12, expYear: 2030, cvc: '123', postalCode: '94107', ...extra };
  }

  test('each test card has its documented outcome', async () => {
    const sandbox = await gateway();
    const cases: Array<[string, string, string | undefined, Partial<TestCard>?]> = [
      ['4242424242424242', 'succeeded', undefined],
      ['5555555555554444', 'succeeded', undefined],
      ['378282246310005', 'succeeded', undefined, { cvc: '1234' }],
      ['4000000000000002', 'failed', 'card_declined'],
      ['4000000000009995', 'failed', 'insufficient_funds'],
      ['4100000000000019', 'failed', 'CP3003'],
      // Address verification is not required by default: the address-mismatch card goes through.
      ['4000000000000010', 'succeeded', undefined],
      ['4000000000000127', 'failed', 'incorrect_cvc'],
      ['4000000000000069', 'failed', 'expired_card'],
      ['4000000000003220', 'requires_action', undefined],
      ['4000000000000077', 'processing', undefined],
      // Not a test card (valid Luhn): refused as a test-mode processor refuses real cards.
      ['4111111111111111', 'failed', 'card_declined'],
      // Shape checks.
      ['4242424242424241', 'failed', 'invalid_number'],
      ['4242424242424242', 'failed', 'expired_card', { expMonth: 1, expYear: 2026 }],
      ['4242424242424242', 'failed', 'invalid_expiry', { expMonth: 13 }],
      ['4242424242424242', 'failed', 'invalid_cvc', { cvc: '12' }],
      ['378282246310005', 'failed', 'invalid_cvc', { cvc: '123' }],
    ];
    for (const [number, status, code, extra] of cases) {
      const result = await sandbox.createPayment(payment({ testCard: card(number, extra) }));
      assert.equal(result.status, status, `${number} ${JSON.stringify(extra ?? {})}`);
      assert.equal(result.failure?.code, code, `${number} failure`);
      assert.ok(result.gatewayPaymentId?.startsWith('sbch_'));
    }
    const ok = await sandbox.createPayment(payment({ testCard: card('4242424242424242') }));
    assert.deepEqual(ok.card, { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 });

    const challenged = await sandbox.createPayment(payment({ testCard: card('4000000000003220') }));
    assert.match(
      challenged.redirectUrl ?? '',
      /^http:\/\/portico\.test\/sandbox-gateway\/challenge\/sbcs_[0-9a-z]{26}$/,
    );

    // A processing charge settles a minute later, when asked (the reconciler's view), and says so by webhook.
    const processing = await sandbox.createPayment(payment({ testCard: card('4000000000000077') }));
    assert.equal((await sandbox.getPayment(processing.gatewayPaymentId ?? ''))?.status, 'processing');
    harness.clock.now = new Date(harness.clock.now.getTime() + 61_000);
    assert.equal((await sandbox.getPayment(processing.gatewayPaymentId ?? ''))?.status, 'succeeded');
    assert.ok(events.some((e) => e.gatewayPaymentId === processing.gatewayPaymentId && e.type === 'payment.succeeded'));
  });

  test('idempotency: a retried call returns the first charge; the key with other parameters is refused', async () => {
    const sandbox = await gateway();
    const input = payment({ testCard: card('4242424242424242') });
    const first = await sandbox.createPayment(input);
    const again = await sandbox.createPayment(input);
    const concurrent = await Promise.all([sandbox.createPayment(input), sandbox.createPayment(input)]);
    assert.equal(again.gatewayPaymentId, first.gatewayPaymentId);
    for (const result of concurrent) assert.equal(result.gatewayPaymentId, first.gatewayPaymentId);
    const rows = await harness.ctx.db.kysely
      .selectFrom('sandboxCharges')
      .select('id')
      .where('reference', '=', input.reference)
      .execute();
    assert.equal(rows.length, 1, 'charged once');
    await assert.rejects(() => sandbox.createPayment({ ...input, amount: input.amount + 1 }), GatewayIdempotencyError);

    // The reconciler finds a charge by our attempt id alone.
    const found = await sandbox.findPaymentByReference(input.reference);
    assert.equal(found?.gatewayPaymentId, first.gatewayPaymentId);
    assert.equal(found?.status, 'succeeded');
    assert.equal(await sandbox.findPaymentByReference('pat_nothing'), null);
    // Another organization's gateway sees nothing of it.
    const theirs = await gateway(other);
    assert.equal(await theirs.getPayment(first.gatewayPaymentId ?? ''), null);
    assert.equal(await theirs.findPaymentByReference(input.reference), null);
  });

  test('merchant rules: each refusal has its CP code', async () => {
    const pay = async (
      rules: Parameters<typeof configure>[1],
      overrides: Partial<CreatePaymentInput>,
      number = '4242424242424242',
    ) => {
      await configure(owner, rules);
      const result = await (await gateway()).createPayment(payment({ testCard: card(number), ...overrides }));
      return result.failure?.code ?? result.status;
    };
    assert.equal(await pay({ credentialsValid: false }, {}), 'CP3002');
    assert.equal(await pay({ currencies: ['EUR', 'GBP'] }, { currency: 'USD' }), 'CP4003');
    assert.equal(await pay({ currencies: ['EUR', 'GBP'] }, { currency: 'EUR' }), 'succeeded');
    assert.equal(await pay({ minimumAmount: 100 }, { amount: 99 }), 'CP4001');
    assert.equal(await pay({ minimumAmount: 100 }, { amount: 100 }), 'succeeded');
    assert.equal(await pay({ fraudFilters: { maxAmount: 10_000 } }, { amount: 10_001 }), 'CP3003');
    assert.equal(await pay({ fraudFilters: { blockHighRiskCards: false } }, {}, '4100000000000019'), 'succeeded');
    assert.equal(await pay({ addressVerification: true }, {}, '4000000000000010'), 'CP3004');
    await configure(owner, { addressVerification: true });
    const noPostalCode = await (await gateway()).createPayment(
      payment({ testCard: card('4242424242424242', { postalCode: undefined }) }),
    );
    assert.equal(noPostalCode.failure?.code, 'CP3004');
    const postalFromAddress = await (await gateway()).createPayment(
      payment({
        testCard: card('4242424242424242', { postalCode: undefined }),
        customer: { name: 'Ann', email: null, address: { postalCode: '10001' } },
      }),
    );
    assert.equal(postalFromAddress.status, 'succeeded');
  });

  test('CP3005: the same amount and card within the duplicate window, and not after it', async () => {
    await configure(owner, { duplicateWindowSeconds: 300 });
    const sandbox = await gateway();
    const first = await sandbox.createPayment(payment({ amount: 7777, testCard: card('4242424242424242') }));
    assert.equal(first.status, 'succeeded');
    const twice = await sandbox.createPayment(payment({ amount: 7777, testCard: card('4242424242424242') }));
    assert.equal(twice.failure?.code, 'CP3005');
    const otherAmount = await sandbox.createPayment(payment({ amount: 7778, testCard: card('4242424242424242') }));
    assert.equal(otherAmount.status, 'succeeded');
    const otherCard = await sandbox.createPayment(payment({ amount: 7777, testCard: card('5555555555554444') }));
    assert.equal(otherCard.status, 'succeeded');
    harness.clock.now = new Date(harness.clock.now.getTime() + 301_000);
    const later = await sandbox.createPayment(payment({ amount: 7777, testCard: card('4242424242424242') }));
    assert.equal(later.status, 'succeeded');
  });

  test('saved cards: reference transactions (CP3001), recurring (CP4002), off-session outcomes', async () => {
    const setUp = async (number: string, usage: 'reference' | 'recurring' = 'reference') =>
      (await gateway()).setUpSavedCard({
        reference: `pat_setup${counter++}`,
        customer: { name: 'Ann', email: 'ann@example.com' },
        returnUrl: RETURN_URL,
        idempotencyKey: `setup-${counter}-${Math.random()}`,
        usage,
        testCard: card(number),
        organizationId: owner.organizationId,
      });
    const charge = async (savedCard: string, recurring = false) =>
      (await gateway()).chargeSavedCard({
        ...payment(),
        savedCard,
        recurring,
      });

    const saved = await setUp('4242424242424242', 'recurring');
    assert.equal(saved.status, 'succeeded', JSON.stringify(saved));
    assert.match(saved.savedCard ?? '', /^sbcard_/);
    assert.equal(saved.card?.last4, '4242');
    assert.deepEqual(await (await gateway()).getSavedCardSetup(saved.setupId), saved);
    const paid = await charge(saved.savedCard ?? '', true);
    assert.equal(paid.status, 'succeeded');
    assert.equal(paid.card?.last4, '4242');

    const attachesThenDeclines = await setUp('4000000000000341');
    assert.equal(attachesThenDeclines.status, 'succeeded');
    assert.equal((await charge(attachesThenDeclines.savedCard ?? '')).failure?.code, 'card_declined');
    assert.equal((await setUp('4000000000000002')).failure?.code, 'card_declined');

    // A card that needs the extra step is saved after the challenge, and cannot be charged off session.
    const challenged = await setUp('4000000000003220');
    assert.equal(challenged.status, 'requires_action');
    const path = new URL(challenged.redirectUrl ?? '').pathname;
    const page = await harness.app.inject({ method: 'GET', url: path });
    const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const done = await harness.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrfToken: csrf, outcome: 'complete' }).toString(),
    });
    assert.equal(done.statusCode, 303);
    const completed = await (await gateway()).getSavedCardSetup(challenged.setupId);
    assert.equal(completed?.status, 'succeeded');
    assert.equal((await charge(completed?.savedCard ?? '')).failure?.code, 'authentication_required');

    // Another organization cannot charge this organization's saved card.
    const theirs = await (await gateway(other)).chargeSavedCard({
      ...payment({ organizationId: other.organizationId }),
      savedCard: saved.savedCard ?? '',
      recurring: false,
    });
    assert.equal(theirs.failure?.code, 'card_declined');

    await configure(owner, { referenceTransactions: false });
    assert.equal((await charge(saved.savedCard ?? '')).failure?.code, 'CP3001');
    assert.equal((await setUp('4242424242424242')).failure?.code, 'CP3001');
    await configure(owner, { recurring: false });
    assert.equal((await setUp('4242424242424242', 'recurring')).failure?.code, 'CP4002');
    assert.equal((await charge(saved.savedCard ?? '', true)).failure?.code, 'CP4002');
    assert.equal((await charge(saved.savedCard ?? '', false)).status, 'succeeded', 'one-off charges still work');
  });

  test('refunds: partial, never more than was paid, idempotent', async () => {
    const sandbox = await gateway();
    const paid = await sandbox.createPayment(payment({ amount: 10_000, testCard: card('4242424242424242') }));
    const id = paid.gatewayPaymentId ?? '';
    const first = await sandbox.refund({
      gatewayPaymentId: id,
      amount: 4000,
      reference: 'rf_1',
      idempotencyKey: 'rf-1',
    });
    assert.equal(first.status, 'succeeded');
    assert.deepEqual(
      await sandbox.refund({ gatewayPaymentId: id, amount: 4000, reference: 'rf_1', idempotencyKey: 'rf-1' }),
      first,
    );
    const tooMuch = await sandbox.refund({
      gatewayPaymentId: id,
      amount: 6001,
      reference: 'rf_2',
      idempotencyKey: 'rf-2',
    });
    assert.equal(tooMuch.status, 'failed');
    const rest = await sandbox.refund({
      gatewayPaymentId: id,
      amount: 6000,
      reference: 'rf_3',
      idempotencyKey: 'rf-3',
    });
    assert.equal(rest.status, 'succeeded');
    assert.equal((await sandbox.getPayment(id))?.amountRefunded, 10_000);
    assert.ok(events.some((e) => e.type === 'payment.refunded' && e.gatewayPaymentId === id));
    const declined = await sandbox.createPayment(payment({ testCard: card('4000000000000002') }));
    const refused = await sandbox.refund({
      gatewayPaymentId: declined.gatewayPaymentId ?? '',
      amount: 1,
      reference: 'rf_4',
      idempotencyKey: 'rf-4',
    });
    assert.equal(refused.status, 'failed');
  });

  const post = (app: FastifyInstance, path: string, fields: Record<string, string>, headers: object = {}) =>
    app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(fields).toString(),
    });

  test('hosted card entry: an escaped, script-free form; CSRF; one use; back to PUBLIC_URL only', async () => {
    const sandbox = await gateway();
    const input = payment({ description: '<img src=x onerror=alert(2)> "quoted"' });
    const created = await sandbox.createPayment(input);
    assert.equal(created.status, 'requires_action');
    const url = new URL(created.redirectUrl ?? '');
    assert.equal(url.origin, 'http://portico.test');
    assert.match(url.pathname, /^\/sandbox-gateway\/checkout\/sbcs_[0-9a-z]{26}$/);

    const page = await harness.app.inject({ method: 'GET', url: url.pathname });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(page.headers['cache-control'], 'no-store');
    // The session URL stays on this origin, yet browsers still send their Origin with the form (not "null").
    assert.ok(page.body.includes('<meta name="referrer" content="same-origin">'), 'same-origin referrer policy');
    assert.ok(!page.body.includes('no-referrer'), 'no-referrer would make browsers post with Origin: null');
    assert.ok(!/<script/i.test(page.body), 'no script element at all');
    assert.ok(!/\sstyle=|<style/i.test(page.body), 'no inline style');
    assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co'), 'organization name escaped');
    assert.ok(page.body.includes('&lt;img src=x onerror=alert(2)&gt; &quot;quoted&quot;'), 'description escaped');
    assert.ok(!page.body.includes('<img'));
    for (const label of ['Card number', 'Expiry (MM/YY)', 'Security code', 'Postal code']) {
      assert.ok(page.body.includes(`>${label}</label>`), label);
    }
    const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    assert.ok(csrf.length >= 40);
    const css = await harness.app.inject({ method: 'GET', url: '/sandbox-gateway/assets/checkout.css' });
    assert.equal(css.statusCode, 200);

    const fields = { cardNumber: '4242 4242 4242 4242', expiry: '12/30', cvc: '123', postalCode: '94107' };
    typedNumbers.add('4242424242424242');
    const badToken = await post(harness.app, url.pathname, { ...fields, csrfToken: 'x'.repeat(csrf.length) });
    assert.equal(badToken.statusCode, 403);
    const noToken = await post(harness.app, url.pathname, fields);
    assert.equal(noToken.statusCode, 403);
    const crossSite = await post(
      harness.app,
      url.pathname,
      { ...fields, csrfToken: csrf },
      { origin: 'https://evil.example' },
    );
    assert.equal(crossSite.statusCode, 403);
    assert.equal((await sandbox.getPayment(created.gatewayPaymentId ?? ''))?.status, 'requires_action');

    // A mistyped number: the form again, with the error, never the number.
    const typo = await post(harness.app, url.pathname, { ...fields, cardNumber: '4242424242424241', csrfToken: csrf });
    typedNumbers.add('4242424242424241');
    assert.equal(typo.statusCode, 422);
    assert.ok(typo.body.includes('The card number is not valid.'));
    assert.ok(typo.body.includes('aria-invalid="true"'));
    assert.ok(!typo.body.includes('4242424242424241') && !typo.body.includes('4242 4242'));

    const before = deliveries.length;
    const paid = await post(harness.app, url.pathname, { ...fields, csrfToken: csrf });
    assert.equal(paid.statusCode, 303);
    assert.equal(paid.headers.location, RETURN_URL);
    const after = await sandbox.getPayment(created.gatewayPaymentId ?? '');
    assert.equal(after?.status, 'succeeded');
    assert.equal(after?.card?.last4, '4242');
    assert.equal(deliveries.length, before + 1, 'one signed webhook');
    const event = events.at(-1);
    assert.equal(event?.type, 'payment.succeeded');
    assert.equal(event?.reference, input.reference);
    assert.equal(event?.organizationId, owner.organizationId);

    // The page works once.
    assert.equal((await post(harness.app, url.pathname, { ...fields, csrfToken: csrf })).statusCode, 404);
    assert.equal((await harness.app.inject({ method: 'GET', url: url.pathname })).statusCode, 404);
    assert.equal((await harness.app.inject({ method: 'GET', url: '/sandbox-gateway/checkout/nope' })).statusCode, 404);

    // Return URLs off PUBLIC_URL's origin are refused before anything is created.
    for (const returnUrl of [
      'https://evil.example/portal',
      '//evil.example/x',
      'javascript:alert(1)',
      'http://portico.test.evil.example/',
    ]) {
      await assert.rejects(() => sandbox.createPayment(payment({ returnUrl })), RangeError, returnUrl);
    }
  });

  test('hosted pages: a declined card goes back too; the challenge completes or fails; pages expire', async () => {
    const sandbox = await gateway();
    const enter = async (number: string) => {
      const created = await sandbox.createPayment(payment());
      const path = new URL(created.redirectUrl ?? '').pathname;
      const page = await harness.app.inject({ method: 'GET', url: path });
      const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      typedNumbers.add(number);
      const response = await post(harness.app, path, {
        cardNumber: number,
        expiry: '12 / 2030',
        cvc: '123',
        csrfToken: csrf,
      });
      return { id: created.gatewayPaymentId ?? '', response };
    };
    const declined = await enter('4000000000000002');
    assert.equal(declined.response.statusCode, 303);
    assert.equal((await sandbox.getPayment(declined.id))?.failure?.code, 'card_declined');

    for (const [outcome, status] of [
      ['complete', 'succeeded'],
      ['fail', 'failed'],
    ] as const) {
      const challenged = await enter('4000000000003220');
      assert.equal(challenged.response.statusCode, 303);
      const challengePath = new URL(String(challenged.response.headers.location)).pathname;
      assert.match(challengePath, /^\/sandbox-gateway\/challenge\/sbcs_/);
      assert.equal((await sandbox.getPayment(challenged.id))?.status, 'requires_action');
      const page = await harness.app.inject({ method: 'GET', url: challengePath });
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('Complete authentication') && page.body.includes('Fail authentication'));
      const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      assert.equal((await post(harness.app, challengePath, { csrfToken: 'wrong', outcome })).statusCode, 403);
      const done = await post(harness.app, challengePath, { csrfToken: csrf, outcome });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, RETURN_URL);
      const result = await sandbox.getPayment(challenged.id);
      assert.equal(result?.status, status);
      if (status === 'failed') assert.equal(result?.failure?.code, 'authentication_failed');
    }

    const abandoned = await sandbox.createPayment(payment());
    harness.clock.now = new Date(harness.clock.now.getTime() + 61 * 60_000);
    const path = new URL(abandoned.redirectUrl ?? '').pathname;
    assert.equal((await harness.app.inject({ method: 'GET', url: path })).statusCode, 404);
    const expired = await sandbox.getPayment(abandoned.gatewayPaymentId ?? '');
    assert.equal(expired?.status, 'failed');
    assert.equal(expired?.failure?.code, 'checkout_expired');
  });

  test('webhooks: signed with the organization secret; bad signature, old timestamp and other tenants refused', async () => {
    const sandbox = await gateway();
    await sandbox.createPayment(payment({ testCard: card('4242424242424242') }));
    const delivery = deliveries.at(-1);
    assert.ok(delivery);
    const event = sandbox.verifyWebhook(delivery.rawBody, delivery.headers);
    assert.match(event.id, /^sbevt_/);
    assert.equal(event.type, 'payment.succeeded');
    assert.equal(event.organizationId, owner.organizationId);
    assert.match(delivery.headers['sandbox-signature'] ?? '', /^t=\d+,v1=[0-9a-f]{64}$/);

    const tampered = Buffer.from(delivery.rawBody.toString().replace('"succeeded"', '"failed"'));
    assert.throws(() => sandbox.verifyWebhook(tampered, delivery.headers), WebhookVerificationError);
    assert.throws(() => sandbox.verifyWebhook(delivery.rawBody, {}), WebhookVerificationError);
    assert.throws(
      () => sandbox.verifyWebhook(delivery.rawBody, { 'sandbox-signature': 't=1,v1=zz' }),
      WebhookVerificationError,
    );
    const secret = sandboxWebhookSecret(harness.ctx, owner.organizationId);
    const now = Math.floor(harness.clock.now.getTime() / 1000);
    const old = signWebhook(secret, now - 301, delivery.rawBody);
    assert.throws(
      () => sandbox.verifyWebhook(delivery.rawBody, { 'sandbox-signature': old }),
      WebhookVerificationError,
    );
    const recent = signWebhook(secret, now - 299, delivery.rawBody);
    assert.equal(sandbox.verifyWebhook(delivery.rawBody, { 'sandbox-signature': recent }).id, event.id);
    // Another organization's endpoint does not accept it (its secret differs).
    const theirs = await gateway(other);
    assert.throws(() => theirs.verifyWebhook(delivery.rawBody, delivery.headers), WebhookVerificationError);

    // A sink that fails leaves the event undelivered; the next delivery run sends it again, same id.
    let failing = true;
    const received: string[] = [];
    setSandboxWebhookSink(harness.ctx, async (d) => {
      if (failing) throw new Error('flow down');
      received.push(d.eventId);
    });
    const paid = await sandbox.createPayment(payment({ testCard: card('4242424242424242') }));
    failing = false;
    assert.equal(await deliverSandboxWebhooks(harness.ctx), 1);
    const row = await harness.ctx.db.kysely
      .selectFrom('sandboxWebhookDeliveries')
      .selectAll()
      .where('chargeId', '=', paid.gatewayPaymentId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(received, [row.id]);
    assert.equal(row.attempts, 2);
    assert.notEqual(row.deliveredAt, null);
    assert.equal(await deliverSandboxWebhooks(harness.ctx), 0, 'nothing left');
    setSandboxWebhookSink(harness.ctx, async (d) => {
      deliveries.push(d);
    });
  });

  test('card numbers are never stored (any sandbox table) nor logged', async () => {
    // Through the logging app: the hosted form and a same-call payment.
    const sandbox = await gateway();
    const created = await sandbox.createPayment(payment());
    const path = new URL(created.redirectUrl ?? '').pathname;
    const page = await loggedApp.inject({ method: 'GET', url: path });
    const csrf = /name="csrfToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    typedNumbers.add('4000000000009995');
    const response = await post(loggedApp, path, {
      cardNumber: '4000000000009995',
      expiry: '12/30',
      cvc: '123',
      csrfToken: csrf,
    });
    assert.equal(response.statusCode, 303);
    assert.ok(logs.length > 0, 'the logger ran');

    assert.ok(typedNumbers.size >= 10);
    const everything: string[] = [];
    for (const table of SANDBOX_TABLES) {
      const rows = await harness.ctx.db.kysely.selectFrom(table).selectAll().execute();
      everything.push(JSON.stringify(rows));
    }
    const stored = everything.join('\n');
    assert.ok(stored.includes('4242'), 'the last four are kept');
    for (const number of typedNumbers) {
      assert.ok(!stored.includes(number), `${number} is not stored`);
      assert.ok(!stored.includes(number.slice(0, 12)), `no long prefix of ${number} is stored`);
      assert.ok(!logs.includes(number) && !logs.includes(number.slice(0, 12)), `${number} is not logged`);
    }
    assert.ok(!stored.includes('"cvc"') && !stored.includes('"123"'), 'no security code');
  });
});
