import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { putGatewaySettings } from '../../src/modules/payment-gateways/service.js';
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

/** Sets the organization's sandbox merchant rules (omitted ones: the permissive defaults). */
export async function sandboxRules(harness: Harness, owner: Actor, rules: Record<string, unknown>) {
  await putGatewaySettings(
    harness.ctx,
    { organizationId: owner.organizationId, userId: owner.userId, role: 'owner', via: 'session' },
    { kind: 'sandbox', rules } as never,
  );
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
