/**
 * Clients signed in to the portal the way people are: the business invites a customer's contact person
 * (`POST /api/v1/customers/{id}/contact-persons/{id}/portal-invitation`), the person opens the e-mailed link and
 * chooses a password (`POST /api/portal/{slug}/invitations/accept`), which signs them in. Each client then opens
 * the invoice list and one invoice, so that the measured detail is an invoice already viewed once.
 */
import type { AppContext } from '../src/context.js';
import { type BusinessApi, inParallel } from './business-api.js';

export const CLIENT_PASSWORD = 'bench portal password, long enough';

/** Sign-ins at once: each accepted invitation hashes a password (argon2) in the server. */
const SIGN_IN_CONCURRENCY = 4;

export interface PortalClient {
  customerId: string;
  email: string;
  /** `portico_portal…=…`, to send as the Cookie header. */
  cookie: string;
  /** An invoice of this customer, opened once already. */
  invoiceId: string;
}

interface ContactPerson {
  id: string;
  email: string | null;
  isPrimary: boolean;
  portalStatus: string;
}

/**
 * The token of the newest invitation e-mailed to `email`, read from the outbox (the bench owns its database;
 * the tests read it the same way, test/support/portal.ts).
 */
async function invitationToken(db: AppContext['db']['kysely'], email: string): Promise<string> {
  const message = await db
    .selectFrom('outboxMessages')
    .select('textBody')
    .where('toAddress', '=', email)
    .where('textBody', 'like', '%accept-invitation#token=%')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const token = /accept-invitation#token=([A-Za-z0-9_-]+)/.exec(message.textBody)?.[1];
  if (!token) throw new Error(`no invitation link in the e-mail to ${email}`);
  return token;
}

function sessionCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.includes('portico_portal'));
  if (!cookie) throw new Error('the portal set no session cookie');
  return cookie.split(';')[0] as string;
}

async function portalCall(porticoUrl: string, slug: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${porticoUrl}/api/portal/${slug}${path}`, init);
  if (response.status !== 200) throw new Error(`portal ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/**
 * Signs in the primary contact person of each customer; a person signed in by an earlier run on the same
 * database (already active) signs in with the password instead. Customers with no invoice in the portal are
 * skipped. Answers at most `count` clients.
 */
export async function signInClients(options: {
  api: BusinessApi;
  db: AppContext['db']['kysely'];
  porticoUrl: string;
  slug: string;
  customerIds: string[];
  count: number;
}): Promise<PortalClient[]> {
  const { api, db, porticoUrl, slug } = options;
  const json = { 'content-type': 'application/json' };
  const clients = await inParallel(options.customerIds, SIGN_IN_CONCURRENCY, async (customerId) => {
    const customer = await api.call<{ contactPersons: ContactPerson[] }>('GET', `/customers/${customerId}`);
    const person = customer.contactPersons.find((p) => p.isPrimary && p.email) ?? customer.contactPersons[0];
    if (!person?.email) throw new Error(`customer ${customerId} has no contact person with an e-mail address`);
    const email = person.email;
    let signedIn: Response;
    if (person.portalStatus === 'active') {
      signedIn = await portalCall(porticoUrl, slug, '/session', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password: CLIENT_PASSWORD }),
      });
    } else {
      await api.call('POST', `/customers/${customerId}/contact-persons/${person.id}/portal-invitation`);
      const token = await invitationToken(db, email);
      signedIn = await portalCall(porticoUrl, slug, '/invitations/accept', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ token, password: CLIENT_PASSWORD }),
      });
    }
    const cookie = sessionCookieOf(signedIn);
    await signedIn.arrayBuffer();
    const list = await portalCall(porticoUrl, slug, '/invoices?limit=25', { headers: { cookie } });
    const invoices = ((await list.json()) as { data: Array<{ id: string }> }).data;
    const invoiceId = invoices[0]?.id;
    if (!invoiceId) return null;
    // The first view marks the invoice viewed for the business (a write): the measured views are the later ones.
    await (await portalCall(porticoUrl, slug, `/invoices/${invoiceId}`, { headers: { cookie } })).arrayBuffer();
    return { customerId, email, cookie, invoiceId };
  });
  return clients.filter((client): client is PortalClient => client !== null).slice(0, options.count);
}
