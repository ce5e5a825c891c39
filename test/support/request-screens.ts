import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import { businessSession, type RunningServer } from './browser.js';
import { DEMO_CLIENT } from './screens.js';

/**
 * The screens of requests from the portal (docs/requests.md) with something on them: the demo has neither a
 * request for changes nor a quote request, so this makes one of each over HTTP, as Alice and the owner would, and
 * returns the addresses that show them.
 */
export async function requestScreens(portico: RunningServer): Promise<{ portal: string[]; backoffice: string[] }> {
  const owner = await businessSession(portico.baseUrl, 'owner@northwind.example', DEMO_PASSWORDS.owner);
  const customer = await portico.ctx.db.kysely
    .selectFrom('contactPersons')
    .select('customerId')
    .where('email', '=', DEMO_CLIENT)
    .executeTakeFirstOrThrow();
  const estimate = (await (
    await owner.call('POST', '/api/v1/estimates', {
      customerId: customer.customerId,
      lines: [{ name: 'Wedding cake, three tiers with sugar flowers', quantity: '1', rate: 45000 }],
    })
  ).json()) as { id: string };
  await owner.call('POST', `/api/v1/estimates/${estimate.id}/send`);

  const portal = `${portico.baseUrl}/api/portal/northwind`;
  const signedIn = await fetch(`${portal}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_CLIENT, password: DEMO_CLIENT_PASSWORD }),
  });
  const cookie = signedIn.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  const asClient = async (path: string, body: unknown) => {
    const response = await fetch(`${portal}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  await asClient(`/estimates/${estimate.id}/request-changes`, {
    message: 'Could the flowers be lavender rather than white, and the top tier lemon sponge?',
  });
  const quote = await asClient('/quote-requests', {
    description: 'Croissants and pains au chocolat for a Saturday market stall, every week from May to September',
    details: 'About 120 pieces a week, collected at 6 am. Could you quote per week and for the season?',
  });
  return {
    portal: ['/portal/northwind/quote-requests', `/portal/northwind/estimates/${estimate.id}`],
    backoffice: [
      '/app/quote-requests',
      '/app/quote-requests?status=all',
      `/app/estimates/new?quoteRequest=${quote.id}`,
      `/app/estimates/${estimate.id}`,
      `/app/estimates/${estimate.id}/edit`,
    ],
  };
}
