import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AppContext } from '../../src/context.js';
import { AppError } from '../../src/domain/errors.js';
import { addGateway, MAX_GATEWAYS } from '../../src/modules/payment-gateways/service.js';
import { gatewayConfigsOf, gatewayFrom, onlinePaymentsOf } from '../../src/payments/gateway-config.js';
import { decryptSecret, SecretDecryptionError } from '../../src/payments/secret-box.js';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';
import { firstGateway } from '../support/pay.js';

const SECRET_KEY = 'sk_test_51Hsecretkeyvaluefortests9876';
const WEBHOOK_SECRET = 'whsec_signingsecretvaluefortestsWXYZ';

describe('payment gateways (business API)', () => {
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

  const list = async (actor: Actor) => {
    const response = await actor.request({ method: 'GET', url: '/api/v1/payment-gateways' });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().data as Array<Record<string, unknown> & { id: string }>;
  };
  const add = (actor: Actor, payload: object) =>
    actor.request({ method: 'POST', url: '/api/v1/payment-gateways', payload });
  const put = (actor: Actor, id: string, payload: object) =>
    actor.request({ method: 'PUT', url: `/api/v1/payment-gateways/${id}`, payload });
  const remove = (actor: Actor, id: string) =>
    actor.request({ method: 'DELETE', url: `/api/v1/payment-gateways/${id}` });
  const rows = (organizationId: string) =>
    harness.ctx.db.kysely
      .selectFrom('paymentGateways')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .orderBy('position')
      .execute();

  test('nothing configured: no gateway and no online payments — the sandbox is never a silent default', async () => {
    assert.deepEqual(await list(owner), []);
    assert.equal(await firstGateway(harness, owner.organizationId), null);
    assert.equal(await onlinePaymentsOf(harness.ctx, owner.organizationId), 'off');
  });

  test('the sandbox, once added: permissive settings, its test cards, and test mode', async () => {
    const response = await add(other, { kind: 'sandbox' });
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.match(body.id, /^gw_/);
    assert.equal(body.kind, 'sandbox');
    assert.equal(body.position, 1);
    assert.equal(body.testMode, true);
    assert.equal(body.stripe, null);
    assert.equal(body.currencies, null);
    assert.equal(body.minimumAmount, 0);
    assert.equal(body.referenceTransactions, true);
    assert.equal(body.recurring, true);
    assert.equal(body.addressFields, 'postal_code');
    assert.equal(body.webhookUrl, `http://portico.test/api/webhooks/sandbox/${body.id}`);
    const { testCards, ...rules } = body.sandbox;
    assert.deepEqual(rules, {
      credentialsValid: true,
      fraudFilters: { blockHighRiskCards: true, maxAmount: null },
      addressVerification: false,
      duplicateWindowSeconds: 0,
    });
    assert.ok(testCards.some((c: { number: string }) => c.number === '4242424242424242'));
    assert.deepEqual((await other.request({ method: 'GET', url: `/api/v1/payment-gateways/${body.id}` })).json(), body);
    const gateway = await firstGateway(harness, other.organizationId);
    assert.equal(gateway?.kind, 'sandbox');
    assert.equal(gateway?.testMode, true);
    assert.equal(await onlinePaymentsOf(harness.ctx, other.organizationId), 'test');
  });

  test('staff may neither read nor change the gateways (403), and nothing is written', async () => {
    const [gateway] = await list(other);
    assert.ok(gateway);
    assert.equal((await staff.request({ method: 'GET', url: '/api/v1/payment-gateways' })).statusCode, 403);
    assert.equal((await add(staff, { kind: 'sandbox' })).statusCode, 403);
    assert.equal((await rows(owner.organizationId)).length, 0);
  });

  test("another organization's gateway is a 404, like a missing one, and stays unchanged", async () => {
    const [theirs] = await list(other);
    assert.ok(theirs);
    for (const response of [
      await owner.request({ method: 'GET', url: `/api/v1/payment-gateways/${theirs.id}` }),
      await put(owner, theirs.id, { kind: 'sandbox', minimumAmount: 5 }),
      await remove(owner, theirs.id),
      await remove(owner, 'gw_nosuchgateway'),
    ]) {
      assert.equal(response.statusCode, 404, response.body);
      assert.equal(response.json().code, 'not_found');
    }
    assert.deepEqual(await list(other), [theirs]);
  });

  test('settings: omitted ones take their default; bad input is refused and nothing is written', async () => {
    const response = await add(owner, {
      kind: 'sandbox',
      currencies: ['USD', 'EUR', 'USD'],
      minimumAmount: 50,
      fraudFilters: { maxAmount: 100000 },
      addressFields: 'full_address',
    });
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.deepEqual(body.currencies, ['EUR', 'USD']);
    assert.equal(body.minimumAmount, 50);
    assert.equal(body.addressFields, 'full_address');
    assert.deepEqual(body.sandbox.fraudFilters, { blockHighRiskCards: true, maxAmount: 100000 });
    assert.equal(body.referenceTransactions, true);
    const before = await rows(owner.organizationId);

    const refusals: Array<[object, string]> = [
      [{ kind: 'sandbox', minimumAmount: 10, surprise: true }, 'validation_failed'],
      [{ kind: 'sandbox', rules: {} }, 'validation_failed'],
      [{ kind: 'sandbox', minimumAmount: -1 }, 'validation_failed'],
      [{ kind: 'sandbox', currencies: ['usd'] }, 'validation_failed'],
      [{ kind: 'sandbox', currencies: [] }, 'validation_failed'],
      [{ kind: 'sandbox', currencies: ['XYZ'] }, 'validation_failed'],
      [{ kind: 'sandbox', addressFields: 'street' }, 'validation_failed'],
      [{ kind: 'paypal' }, 'validation_failed'],
      [{ kind: 'stripe', secretKey: 'not-a-key', webhookSecret: WEBHOOK_SECRET }, 'validation_failed'],
      [{ kind: 'stripe', secretKey: SECRET_KEY }, 'validation_failed'],
      [{ kind: 'stripe', secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, fraudFilters: {} }, 'validation_failed'],
    ];
    for (const [payload, code] of refusals) {
      const refused = await add(owner, payload);
      assert.equal(refused.statusCode, 400, JSON.stringify(payload));
      assert.equal(refused.json().code, code);
      const replaced = await put(owner, body.id, payload);
      assert.equal(replaced.statusCode, 400, JSON.stringify(payload));
    }
    // A gateway keeps its kind: another kind is a new gateway.
    const otherKind = await put(owner, body.id, {
      kind: 'stripe',
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
    });
    assert.equal(otherKind.statusCode, 400);
    assert.equal(otherKind.json().errors[0].path, '/kind');
    assert.deepEqual(await rows(owner.organizationId), before, 'nothing written');

    const replaced = await put(owner, body.id, { kind: 'sandbox', recurring: false, duplicateWindowSeconds: 60 });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal(replaced.json().currencies, null, 'PUT replaces the whole settings');
    assert.equal(replaced.json().recurring, false);
    assert.equal(replaced.json().sandbox.duplicateWindowSeconds, 60);
    assert.equal((await remove(owner, body.id)).statusCode, 204);
    assert.deepEqual(await list(owner), []);
    assert.equal((await remove(owner, body.id)).statusCode, 404, 'removed once');
  });

  test('Stripe: the secrets are encrypted at rest, shown back masked only, and bound to APP_SECRET', async () => {
    const response = await add(owner, { kind: 'stripe', secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.kind, 'stripe');
    assert.equal(body.sandbox, null);
    assert.deepEqual(body.stripe, {
      secretKey: 'sk_test_…9876',
      webhookSecret: 'whsec_…WXYZ',
      credentialsReadable: true,
    });
    assert.equal(body.webhookUrl, `http://portico.test/api/webhooks/stripe/${body.id}`);
    const read = await owner.request({ method: 'GET', url: '/api/v1/payment-gateways' });
    for (const text of [response.body, read.body]) {
      assert.ok(!text.includes(SECRET_KEY) && !text.includes(WEBHOOK_SECRET), 'no secret in a response');
    }

    const row = (await rows(owner.organizationId)).find((r) => r.id === body.id);
    const stored = JSON.stringify(row);
    assert.ok(!stored.includes(SECRET_KEY), 'the secret key is not stored in plain text');
    assert.ok(!stored.includes(WEBHOOK_SECRET), 'the webhook secret is not stored in plain text');
    assert.ok(!stored.includes('51Hsecretkey'), 'nor any part of it');
    const sealed = row?.credentialsEncrypted ?? '';
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

    const gateway = await firstGateway(harness, owner.organizationId);
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
      const changed = await put(owner, body.id, { kind: 'stripe', secretKey, webhookSecret: WEBHOOK_SECRET });
      assert.equal(changed.json().testMode, testMode, secretKey);
      assert.equal((await firstGateway(harness, owner.organizationId))?.testMode, testMode, secretKey);
      assert.equal(await onlinePaymentsOf(harness.ctx, owner.organizationId), testMode ? 'test' : 'live');
    }
    // Keys left out are kept: the settings change, the credentials do not.
    const kept = await put(owner, body.id, { kind: 'stripe', currencies: ['EUR'] });
    assert.equal(kept.statusCode, 200, kept.body);
    assert.deepEqual(kept.json().currencies, ['EUR']);
    assert.equal(kept.json().stripe.secretKey, 'rk_test_…1234');
    assert.equal(
      (await put(owner, body.id, { kind: 'stripe', secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET })).statusCode,
      200,
    );

    // With another APP_SECRET the credentials cannot be read: the business is told to enter them again.
    const rotated: AppContext = {
      ...harness.ctx,
      config: { ...harness.ctx.config, appSecret: 'another-app-secret-that-is-long-enough-too' },
    };
    const [config] = await gatewayConfigsOf(rotated, owner.organizationId);
    assert.ok(config);
    assert.throws(() => gatewayFrom(rotated, config), SecretDecryptionError);
  });

  test(`at most ${MAX_GATEWAYS} gateways, even when added at once`, async () => {
    const actor = await createOrgAndSignIn(harness, { gateway: 'none' });
    const answers = await Promise.all(
      Array.from({ length: MAX_GATEWAYS + 4 }, (_, i) => add(actor, { kind: 'sandbox', minimumAmount: i })),
    );
    assert.equal(answers.filter((a) => a.statusCode === 201).length, MAX_GATEWAYS);
    const refused = answers.filter((a) => a.statusCode !== 201);
    assert.equal(refused.length, 4);
    for (const answer of refused) {
      assert.equal(answer.statusCode, 409, answer.body);
      assert.equal(answer.json().code, 'conflict');
    }
    assert.equal((await rows(actor.organizationId)).length, MAX_GATEWAYS);
    // A removed gateway frees its place.
    const [first] = await list(actor);
    assert.equal((await remove(actor, first?.id ?? '')).statusCode, 204);
    assert.equal((await add(actor, { kind: 'sandbox' })).statusCode, 201);
  });

  test('reordering: a gateway moves to a position, the others keep their order; moves at once stay a 1…n order', async () => {
    const actor = await createOrgAndSignIn(harness, { gateway: 'none' });
    const ids: string[] = [];
    for (const minimumAmount of [1, 2, 3, 4]) {
      const added = await add(actor, { kind: 'sandbox', minimumAmount });
      assert.equal(added.statusCode, 201, added.body);
      ids.push(added.json().id);
    }
    const [a, b, c, d] = ids as [string, string, string, string];
    const move = (who: Actor, id: string, payload: object) =>
      who.request({ method: 'POST', url: `/api/v1/payment-gateways/${id}/position`, payload });
    const order = async () => (await list(actor)).map((g) => g.id);

    const moved = await move(actor, d, { position: 1 });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(
      moved.json().data.map((g: { id: string; position: number }) => [g.id, g.position]),
      [
        [d, 1],
        [a, 2],
        [b, 3],
        [c, 4],
      ],
    );
    assert.deepEqual(
      (await move(actor, d, { position: 3 })).json().data.map((g: { id: string }) => g.id),
      [a, b, d, c],
    );

    // Bad input: 400 and nothing moves; another organization's gateway or a removed one: 404.
    const before = await rows(actor.organizationId);
    for (const payload of [{ position: 0 }, { position: 5 }, { position: '2' }, { position: 1, extra: true }, {}]) {
      const refused = await move(actor, a, payload);
      assert.equal(refused.statusCode, 400, `${JSON.stringify(payload)}: ${refused.body}`);
    }
    assert.equal((await move(other, a, { position: 1 })).statusCode, 404);
    assert.equal((await move(staff, a, { position: 1 })).statusCode, 403, 'staff may not');
    assert.deepEqual(await rows(actor.organizationId), before);
    assert.equal((await remove(actor, b)).statusCode, 204);
    assert.equal((await move(actor, b, { position: 1 })).statusCode, 404);
    assert.deepEqual(await order(), [a, d, c]);

    // Moves fired at once each apply whole: the order is always some arrangement numbered 1…n.
    const answers = await Promise.all([
      move(actor, c, { position: 1 }),
      move(actor, a, { position: 3 }),
      move(actor, d, { position: 2 }),
      move(actor, c, { position: 2 }),
    ]);
    for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body);
    const positions = (await list(actor)).map((g) => g.position);
    assert.deepEqual(positions, [1, 2, 3]);
    assert.deepEqual([...(await order())].sort(), [a, c, d].sort());
  });

  test('production: no gateway until one is configured, and the sandbox is refused', async () => {
    const production: AppContext = { ...harness.ctx, config: { ...harness.ctx.config, production: true } };
    const third = await createOrgAndSignIn(harness, { gateway: 'none' });
    assert.deepEqual(await gatewayConfigsOf(production, third.organizationId), [], 'nothing configured: no gateway');
    const [stripe] = await gatewayConfigsOf(production, owner.organizationId);
    assert.equal(stripe?.kind, 'stripe', 'a real gateway works');
    const scope = {
      organizationId: third.organizationId,
      userId: null,
      role: 'owner' as const,
      via: 'api_key' as const,
    };
    await assert.rejects(
      () => addGateway(production, scope, { kind: 'sandbox' }),
      (error: unknown) => error instanceof AppError && error.code === 'validation_failed',
    );
    assert.equal((await rows(third.organizationId)).length, 0);
    // A sandbox configured earlier does not run in production either.
    assert.equal((await list(other))[0]?.kind, 'sandbox');
    assert.deepEqual(await gatewayConfigsOf(production, other.organizationId), []);
    assert.equal(await onlinePaymentsOf(production, other.organizationId), 'off');
  });
});
