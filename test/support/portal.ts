import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Actor, Harness } from './harness.js';

/** A browser-like client of one organization's portal: keeps the session cookie and the CSRF token. */
export interface PortalClient {
  slug: string;
  cookie: string;
  csrfToken: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Signs in (or accepts, or resets) and keeps the new session. */
  keepSessionFrom(response: LightMyRequestResponse): void;
}

export function portalClient(harness: Harness, slug: string): PortalClient {
  const client: PortalClient = {
    slug,
    cookie: '',
    csrfToken: '',
    request: (options) =>
      harness.app.inject({
        ...options,
        url: `/api/portal/${slug}${options.url ?? ''}`,
        headers: {
          ...(client.cookie ? { cookie: client.cookie } : {}),
          ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}),
          ...(options.headers ?? {}),
        },
      }),
    keepSessionFrom: (response) => {
      const cookie = response.cookies.find((c) => c.name.includes('portico_portal'));
      if (cookie) client.cookie = `${cookie.name}=${cookie.value}`;
      const body = response.json() as { csrfToken?: string };
      if (body.csrfToken) client.csrfToken = body.csrfToken;
    },
  };
  return client;
}

/** The newest token an e-mail in the outbox carries for `purpose` (the part after `#token=`). */
export async function tokenFromOutbox(
  harness: Harness,
  to: string,
  path: 'accept-invitation' | 'reset-password',
  organizationId?: string,
) {
  let query = harness.ctx.db.kysely
    .selectFrom('outboxMessages')
    .select(['textBody'])
    .where('toAddress', '=', to)
    .where('textBody', 'like', `%${path}#token=%`)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc');
  if (organizationId) query = query.where('organizationId', '=', organizationId);
  const message = await query.executeTakeFirstOrThrow();
  const match = new RegExp(`${path}#token=([A-Za-z0-9_-]+)`).exec(message.textBody);
  if (!match?.[1]) throw new Error('no token in the e-mail');
  return match[1];
}

/** Turns the portal on for the actor's organization and returns its portal name (slug). */
export async function enablePortal(owner: Actor, settings: Record<string, unknown> = {}): Promise<string> {
  const response = await owner.request({
    method: 'PATCH',
    url: '/api/v1/portal-settings',
    payload: { enabled: true, ...settings },
  });
  if (response.statusCode !== 200) throw new Error(`portal settings: ${response.body}`);
  return (response.json() as { portalName: string }).portalName;
}

/** Creates a customer with contact persons; returns the customer and its contact persons' ids by e-mail. */
export async function customerWithContacts(owner: Actor, name: string, emails: string[]) {
  const response = await owner.request({
    method: 'POST',
    url: '/api/v1/customers',
    payload: {
      displayName: name,
      contactPersons: emails.map((email, index) => ({ firstName: `Person ${index + 1}`, email })),
    },
  });
  if (response.statusCode !== 201) throw new Error(`customer: ${response.body}`);
  const customer = response.json() as { id: string; contactPersons: Array<{ id: string; email: string }> };
  return { id: customer.id, contacts: Object.fromEntries(customer.contactPersons.map((p) => [p.email, p.id])) };
}

export const CLIENT_PASSWORD = 'a calm blue invoice portal';

/** Invites the contact person, accepts the invitation with CLIENT_PASSWORD and returns a signed-in client. */
export async function activatedClient(
  harness: Harness,
  owner: Actor,
  slug: string,
  customerId: string,
  contactPersonId: string,
  email: string,
): Promise<PortalClient> {
  const invited = await owner.request({
    method: 'POST',
    url: `/api/v1/customers/${customerId}/contact-persons/${contactPersonId}/portal-invitation`,
  });
  if (invited.statusCode !== 200) throw new Error(`invite: ${invited.body}`);
  const token = await tokenFromOutbox(harness, email, 'accept-invitation', owner.organizationId);
  const client = portalClient(harness, slug);
  const accepted = await client.request({
    method: 'POST',
    url: '/invitations/accept',
    payload: { token, password: CLIENT_PASSWORD },
  });
  if (accepted.statusCode !== 200) throw new Error(`accept: ${accepted.body}`);
  client.keepSessionFrom(accepted);
  return client;
}
