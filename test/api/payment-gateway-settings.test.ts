import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AppContext } from '../../src/context.js';
import { AppError } from '../../src/domain/errors.js';
import { putGatewaySettings } from '../../src/modules/payment-gateways/service.js';
import { gatewayFor, loadGatewayConfig, onlinePaymentsOf } from '../../src/payments/gateway-config.js';
import { decryptSecret, SecretDecryptionError } from '../../src/payments/secret-box.js';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';

const SECRET_KEY = 'sk_test_51Hsecretkeyvaluefortests9876';
const WEBHOOK_SECRET = 'whsec_signingsecretvaluefortestsWXYZ';

describe('payment gateway settings (business API)', () => {
  let harness: Harness;
  let owner: Actor;
  let staff: Actor;
  let other: Actor;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { gateway: 'none' });
    other = await createOrgAndSignIn(harness, { gateway: 'none' });
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'staff-pg@example.com', name: 'Staff', role: 'staff', password: 'staff password long enough' },
    });
    assert.equal(created.statusCode, 201, created.body);
    staff = await signIn(harness, 'staff-pg@example.com', 'staff password long enough', {
      organizationId: owner.organizationId,
      userId: created.json().id,
    });
  });
  after(() => harness.close());

  const get = (actor: Actor) => actor.request({ method: 'GET', url: '/api/v1/payment-gateway' });
  const put = (actor: Actor, payload: object) =>
    actor.request({ method: 'PUT', url: '/api/v1/payment-gateway', payload });

  test('nothing configured: no gateway and no online payments — the sandbox is never a silent default', async () => {
    const response = await get(owner);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      kind: null,
      source: 'none',
      testMode: false,
      sandbox: null,
      stripe: null,
      webhookUrl: null,
      updatedAt: null,
    });
    assert.equal(await gatewayFor(harness.ctx, owner.organizationId), null);
    assert.equal(await onlinePaymentsOf(harness.ctx, owner.organizationId), 'off');
  });

  test('the sandbox, once chosen: permissive rules, its test cards, and test mode', async () => {
    const response = await put(other, { kind: 'sandbox' });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.kind, 'sandbox');
    assert.equal(body.source, 'configured');
    assert.equal(body.testMode, true);
    assert.equal(body.stripe, null);
    assert.deepEqual(body.sandbox.rules, {
      credentialsValid: true,
      currencies: null,
      minimumAmount: 0,
      fraudFilters: { blockHighRiskCards: true, maxAmount: null },
      addressVerification: false,
      referenceTransactions: true,
      recurring: true,
      duplicateWindowSeconds: 0,
    });
    assert.ok(body.sandbox.testCards.some((c: { number: string }) => c.number === '4242424242424242'));
    const gateway = await gatewayFor(harness.ctx, other.organizationId);
    assert.equal(gateway?.kind, 'sandbox');
    assert.equal(gateway?.testMode, true);
    assert.equal(await onlinePaymentsOf(harness.ctx, other.organizationId), 'test');
  });

  test('staff may neither read nor change the gateway (403)', async () => {
    assert.equal((await get(staff)).statusCode, 403);
    assert.equal((await put(staff, { kind: 'sandbox' })).statusCode, 403);
  });

  test('sandbox rules: omitted ones take their default; unknown fields are refused and nothing is written', async () => {
    const response = await put(owner, {
      kind: 'sandbox',
      rules: { currencies: ['USD', 'EUR', 'USD'], minimumAmount: 50, fraudFilters: { maxAmount: 100000 } },
    });
    assert.equal(response.statusCode, 200, response.body);
    const rules = response.json().sandbox.rules;
    assert.deepEqual(rules.currencies, ['EUR', 'USD']);
    assert.equal(rules.minimumAmount, 50);
    assert.deepEqual(rules.fraudFilters, { blockHighRiskCards: true, maxAmount: 100000 });
    assert.equal(rules.referenceTransactions, true);
    assert.equal(response.json().source, 'configured');

    for (const payload of [
      { kind: 'sandbox', rules: { minimumAmount: 10, surprise: true } },
      { kind: 'sandbox', extra: 1 },
      { kind: 'sandbox', rules: { minimumAmount: -1 } },
      { kind: 'sandbox', rules: { currencies: ['usd'] } },
      { kind: 'paypal' },
      { kind: 'stripe', secretKey: 'not-a-key', webhookSecret: WEBHOOK_SECRET },
      { kind: 'stripe', secretKey: SECRET_KEY },
    ]) {
      const refused = await put(owner, payload);
      assert.equal(refused.statusCode, 400, JSON.stringify(payload));
      assert.equal(refused.json().code, 'validation_failed');
    }
    assert.equal((await get(owner)).json().sandbox.rules.minimumAmount, 50, 'unchanged');
  });

  test('Stripe: the secrets are encrypted at rest, shown back masked only, and bound to APP_SECRET', async () => {
    const response = await put(owner, { kind: 'stripe', secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.kind, 'stripe');
    assert.equal(body.sandbox, null);
    assert.deepEqual(body.stripe, {
      secretKey: 'sk_test_…9876',
      webhookSecret: 'whsec_…WXYZ',
      credentialsReadable: true,
    });
    assert.equal(body.webhookUrl, `http://portico.test/api/webhooks/stripe/${owner.organizationId}`);
    const read = await get(owner);
    for (const text of [response.body, read.body]) {
      assert.ok(!text.includes(SECRET_KEY) && !text.includes(WEBHOOK_SECRET), 'no secret in a response');
    }

    const row = await harness.ctx.db.kysely
      .selectFrom('paymentGateways')
      .selectAll()
      .where('organizationId', '=', owner.organizationId)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    assert.ok(!stored.includes(SECRET_KEY), 'the secret key is not stored in plain text');
    assert.ok(!stored.includes(WEBHOOK_SECRET), 'the webhook secret is not stored in plain text');
    assert.ok(!stored.includes('51Hsecretkey'), 'nor any part of it');
    const sealed = row.credentialsEncrypted ?? '';
    assert.match(sealed, /^v1\./);

    const plain = JSON.parse(decryptSecret(harness.ctx.config.appSecret, owner.organizationId, sealed));
    assert.equal(plain.secretKey, SECRET_KEY);
    assert.throws(
      () => decryptSecret('another-app-secret-that-is-long-enough-too', owner.organizationId, sealed),
      SecretDecryptionError,
    );
    assert.throws(
      () => decryptSecret(harness.ctx.config.appSecret, other.organizationId, sealed),
      SecretDecryptionError,
    );
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    assert.throws(
      () => decryptSecret(harness.ctx.config.appSecret, owner.organizationId, tampered),
      SecretDecryptionError,
    );

    const gateway = await gatewayFor(harness.ctx, owner.organizationId);
    assert.equal(gateway?.kind, 'stripe');
    assert.equal(gateway?.acceptsTestCards, false);
    // sk_test_ keys are Stripe's test mode: no money moves, and Portico says so.
    assert.equal(gateway?.testMode, true);
    assert.equal(body.testMode, true);
    assert.equal(await onlinePaymentsOf(harness.ctx, owner.organizationId), 'test');
    for (const [secretKey, testMode] of [
      ['sk_live_51Hsecretkeyvalueforlive1234', false],
      ['rk_live_51Hsecretkeyvalueforlive1234', false],
      ['rk_test_51Hsecretkeyvaluefortests1234', true],
    ] as const) {
      const changed = await put(owner, { kind: 'stripe', secretKey, webhookSecret: WEBHOOK_SECRET });
      assert.equal(changed.json().testMode, testMode, secretKey);
      assert.equal((await gatewayFor(harness.ctx, owner.organizationId))?.testMode, testMode, secretKey);
      assert.equal(await onlinePaymentsOf(harness.ctx, owner.organizationId), testMode ? 'test' : 'live');
    }
    assert.equal(
      (await put(owner, { kind: 'stripe', secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET })).statusCode,
      200,
    );

    // With another APP_SECRET the credentials cannot be read: the business is told to enter them again.
    const rotated: AppContext = {
      ...harness.ctx,
      config: { ...harness.ctx.config, appSecret: 'another-app-secret-that-is-long-enough-too' },
    };
    await assert.rejects(() => loadGatewayConfig(rotated, owner.organizationId), SecretDecryptionError);
  });

  test("each organization has its own gateway: B's settings are its own", async () => {
    const response = await get(other);
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().kind, 'sandbox');
    assert.equal(response.json().source, 'configured');
    assert.ok(!response.body.includes(owner.organizationId));
  });

  test('production: no gateway until one is configured, and the sandbox is refused', async () => {
    const production: AppContext = { ...harness.ctx, config: { ...harness.ctx.config, production: true } };
    const third = await createOrgAndSignIn(harness, { gateway: 'none' });
    assert.equal(await gatewayFor(production, third.organizationId), null, 'nothing configured: no gateway');
    assert.equal((await gatewayFor(production, owner.organizationId))?.kind, 'stripe', 'a real gateway works');
    const scope = {
      organizationId: other.organizationId,
      userId: null,
      role: 'owner' as const,
      via: 'api_key' as const,
    };
    await assert.rejects(
      () => putGatewaySettings(production, scope, { kind: 'sandbox' }),
      (error: unknown) => error instanceof AppError && error.code === 'validation_failed',
    );
    // A sandbox configured earlier does not run in production either.
    await putGatewaySettings(harness.ctx, scope, { kind: 'sandbox' });
    assert.equal(await gatewayFor(production, other.organizationId), null);
  });
});
