import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { listGateways, updateGateway } from '../../src/modules/payment-gateways/service.js';
import { gatewayConfigsOf, gatewayFrom } from '../../src/payments/gateway-config.js';
import { type Actor, createOrgAndSignIn, type Harness } from './harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from './portal.js';

/** Test helpers for Pay Now: an organization with its portal on, a signed-in client, and payments. */

export const GOOD_CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
export const card = (number: string, extra: Record<string, unknown> = {}) => ({ ...GOOD_CARD, number, ...extra });

export interface PayWorld {
  owner: Actor;
  slug: string;
  customerId: string;
  contactPersonId: string;
  email: string;
  client: PortalClient;
}

let worldCounter = 0;

export async function payWorld(
  harness: Harness,
  settings: Record<string, unknown> = {},
  options: { gateway?: 'sandbox' | 'none' } = {},
): Promise<PayWorld> {
  worldCounter += 1;
  const owner = await createOrgAndSignIn(harness, { gateway: options.gateway ?? 'sandbox' });
  const slug = await enablePortal(owner, settings);
  // An organization that charges tax needs a default tax to be paid online (CP2001).
  const tax = await owner.request({ method: 'POST', url: '/api/v1/taxes', payload: { name: 'Sales tax', rate: '8' } });
  assert.equal(tax.statusCode, 201, tax.body);
  const made = await owner.request({ method: 'POST', url: `/api/v1/taxes/${tax.json().id}/default` });
  assert.equal(made.statusCode, 200, made.body);
  const email = `payer${worldCounter}@client.example`;
  const customer = await customerWithContacts(owner, `Payer ${worldCounter}`, [email]);
  const contactPersonId = customer.contacts[email] ?? '';
  const client = await activatedClient(harness, owner, slug, customer.id, contactPersonId, email);
  return { owner, slug, customerId: customer.id, contactPersonId, email, client };
}

let keyCounter = 0;
export const newKey = () => {
  keyCounter += 1;
  return `key-${Date.now()}-${keyCounter}-${Math.random().toString(36).slice(2)}`;
};

export function pay(
  client: PortalClient,
  body: Record<string, unknown>,
  key: string | null = newKey(),
): Promise<LightMyRequestResponse> {
  return client.request({
    method: 'POST',
    url: '/payments',
    payload: body,
    headers: key === null ? {} : { 'idempotency-key': key },
  });
}

/**
 * Sets the rules of the organization's (first) sandbox gateway, in place (omitted ones: the permissive defaults):
 * its capabilities and its merchant account's own rules, through the service PUT /payment-gateways/{id} calls (the
 * route itself is tested in payment-gateway-settings.test.ts; a test's clock may have outlived the session).
 */
export async function sandboxRules(harness: Harness, owner: Actor, rules: Record<string, unknown>) {
  const scope = { organizationId: owner.organizationId, userId: null, role: 'owner' as const, via: 'api_key' as const };
  const sandbox = (await listGateways(harness.ctx, scope)).data.find((g) => g.kind === 'sandbox');
  assert.ok(sandbox, 'the organization has a sandbox gateway');
  await updateGateway(harness.ctx, scope, sandbox.id, { kind: 'sandbox', ...rules });
}

/** The outbox messages of a template to one address, newest first. */
export async function mailTo(harness: Harness, to: string, template: string) {
  return harness.ctx.db.kysely
    .selectFrom('outboxMessages')
    .selectAll()
    .where('toAddress', '=', to)
    .where('template', '=', template)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function sandboxCharges(harness: Harness, organizationId: string) {
  return harness.ctx.db.kysely
    .selectFrom('sandboxCharges')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('kind', '=', 'payment')
    .execute();
}

export function assertStatus(response: LightMyRequestResponse, status: number) {
  assert.equal(response.statusCode, status, response.body);
  return response.json();
}

/**
 * Makes `body` the organization's only gateway, as an owner would: POST /payment-gateways, then DELETE the others.
 * Returns the new gateway as the API presents it.
 */
export async function onlyGateway(owner: Actor, body: Record<string, unknown>) {
  const before = await owner.request({ method: 'GET', url: '/api/v1/payment-gateways' });
  const added = await owner.request({ method: 'POST', url: '/api/v1/payment-gateways', payload: body });
  assert.equal(added.statusCode, 201, added.body);
  for (const old of before.json().data as Array<{ id: string }>) {
    const removed = await owner.request({ method: 'DELETE', url: `/api/v1/payment-gateways/${old.id}` });
    assert.equal(removed.statusCode, 204, removed.body);
  }
  return added.json() as { id: string; kind: string; webhookUrl: string; testMode: boolean };
}

/** The organization's first gateway, built as the payment flow builds it; null when it has none. */
export async function firstGateway(harness: Harness, organizationId: string) {
  const [config] = await gatewayConfigsOf(harness.ctx, organizationId);
  return config ? gatewayFrom(harness.ctx, config) : null;
}
