/// <reference lib="dom" />
/**
 * Requests from the portal in a real browser (issue 20, docs/requests.md), on the demo data, with the client (Alice
 * Martin of Bluebird Bakery) and the business side by side: "Request changes" on a sent estimate, then the
 * business's edit and re-send; "Request a quote" from the portal home, then the business's estimate made from it
 * and a dismissal. Every new screen passes axe and gets a screenshot (`requests-…`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  businessSession,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const OWNER = 'owner@northwind.example';
const ALICE = 'alice@bluebird-bakery.example';

describe('requests from the portal in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let bluebird: string;
  let business: Page;
  let client: Page;
  const contexts: BrowserContext[] = [];

  async function newPage(viewport: keyof typeof VIEWPORTS): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function checkScreen(page: Page, name: string) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} has accessibility violations`);
    await screenshot(page, `requests-${name}`, 'desktop');
  }

  before(async () => {
    portico = await startPorticoWithBrowser();
    bluebird = (
      await portico.ctx.db.kysely
        .selectFrom('customers')
        .select('id')
        .where('displayName', '=', 'Bluebird Bakery')
        .executeTakeFirstOrThrow()
    ).id;
    business = await newPage('desktop');
    await business.goto(`${portico.baseUrl}/app/sign-in`);
    await business.getByLabel('E-mail').fill(OWNER);
    await business.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await business.getByRole('button', { name: 'Sign in' }).click();
    await business.getByRole('heading', { name: 'Portal activity' }).waitFor();
    client = await newPage('desktop');
    await client.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    await client.getByLabel('E-mail').fill(ALICE);
    await client.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await client.getByRole('button', { name: 'Sign in' }).click();
    await client.getByRole('heading', { name: 'Net balance' }).waitFor();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await portico?.close();
  });

  test('request changes: the client asks, the business sees the message, edits and re-sends; the client decides again', async () => {
    const api = await businessSession(portico.baseUrl, OWNER, DEMO_PASSWORDS.owner);
    const created = await api.call('POST', '/api/v1/estimates', {
      customerId: bluebird,
      lines: [{ name: 'Birthday cake', quantity: '1', rate: 9000 }],
    });
    const { id } = (await created.json()) as { id: string };
    assert.equal((await api.call('POST', `/api/v1/estimates/${id}/send`)).status, 200);

    // The client: "Request changes" beside Accept and Decline; an empty request is refused in words.
    await client.goto(`${portico.baseUrl}/portal/northwind/estimates/${id}`);
    await client.getByRole('heading', { name: /^Estimate EST-/ }).waitFor();
    await client.getByRole('button', { name: 'Request changes' }).click();
    const dialog = client.getByRole('dialog', { name: /^Request changes to estimate/ });
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.getByRole('alert').getByText('Please say what should change.').waitFor();
    await checkScreen(client, 'portal-request-changes-dialog');
    await dialog.getByLabel('What should change?').fill('Could the cake have three tiers instead of two?');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await client.getByText(/You asked for changes on/).waitFor();
    await client.getByText('Your request: Could the cake have three tiers instead of two?').waitFor();
    await client.locator('.pill', { hasText: 'Changes requested' }).first().waitFor();
    assert.equal(await client.getByRole('button', { name: 'Accept' }).count(), 0, 'no decision until it is re-sent');
    await checkScreen(client, 'portal-changes-requested');

    // The business: the status and the message, prominently; "Edit and re-send".
    await business.goto(`${portico.baseUrl}/app/estimates/${id}`);
    await business.locator('.pill', { hasText: 'Changes requested' }).first().waitFor();
    const request = business.getByTestId('change-request');
    await request.getByText('Could the cake have three tiers instead of two?').waitFor();
    await request.getByText(/^Alice Martin asked for changes on/).waitFor();
    await checkScreen(business, 'backoffice-changes-requested');
    await business.getByRole('link', { name: 'Edit and re-send' }).click();
    await business.getByRole('heading', { name: /^Edit estimate / }).waitFor();
    await business.getByText(/The client asked for changes: “Could the cake have three tiers/).waitFor();
    await business.locator('#f-lines-0-name').fill('Three-tier birthday cake');
    await business.locator('#f-lines-0-rate').fill('120');
    await business.locator('.live-totals').getByText('$120.00').filter({ visible: true }).first().waitFor();
    await business.getByRole('button', { name: 'Save and re-send' }).click();
    await business.getByRole('heading', { name: /^Estimate EST-/ }).waitFor();
    await business.locator('.pill', { hasText: 'Sent' }).first().waitFor();
    assert.equal(await business.getByTestId('change-request').count(), 0);
    // The history shows the round: the request with its message, then "Sent again".
    const history = business.getByRole('region', { name: 'History' });
    await history.getByText('Changes requested: Could the cake have three tiers instead of two?').waitFor();
    await history.getByText(/^Sent again: revised estimate sent by e-mail to /).waitFor();

    // The client sees the revision, awaiting their decision again.
    await client.reload();
    await client.getByText('$120.00').filter({ visible: true }).first().waitFor();
    await client.getByRole('button', { name: 'Accept' }).waitFor();
    assert.equal(await client.getByText(/You asked for changes on/).count(), 0);
  });

  test('request a quote: the client asks from Home, the business makes an estimate from it or dismisses one', async () => {
    await client.goto(`${portico.baseUrl}/portal/northwind/`);
    await client.getByRole('heading', { name: 'Net balance' }).waitFor();
    await client.getByRole('link', { name: 'Request a quote' }).click();
    await client.getByRole('heading', { name: 'Request a quote' }).waitFor();
    await client.getByRole('button', { name: 'Send request' }).click();
    await client.getByRole('alert').getByText('Please describe what you need.').waitFor();
    await client.getByLabel('What do you need?').fill('Pastries for a company breakfast');
    await client.getByLabel('Details (optional)').fill('About 40 people, on 12 June, delivered by 8 am.');
    await client.getByRole('button', { name: 'Send request' }).click();
    await client.getByText('Your request was sent. The business will get back to you.').waitFor();
    const mine = client.getByRole('listitem').filter({ hasText: 'Pastries for a company breakfast' });
    await mine.getByText('Waiting for the business').waitFor();
    await checkScreen(client, 'portal-quote-requests');

    // The business: the list, from the navigation; "Create estimate" opens the form filled in.
    await business.goto(`${portico.baseUrl}/app/`);
    await business.getByRole('heading', { name: 'Portal activity' }).waitFor();
    await business.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Quote requests' }).click();
    await business.getByRole('heading', { name: 'Quote requests', level: 1 }).waitFor();
    const card = business.getByRole('listitem').filter({ hasText: 'Pastries for a company breakfast' });
    await card.getByText('About 40 people, on 12 June, delivered by 8 am.').waitFor();
    await card.getByText(/Alice Martin of Bluebird Bakery/).waitFor();
    await checkScreen(business, 'backoffice-quote-requests');
    await card.getByRole('link', { name: 'Create estimate' }).click();
    await business.getByRole('heading', { name: 'New estimate' }).waitFor();
    await business.getByText('This estimate answers a quote request: “Pastries for a company breakfast”').waitFor();
    assert.equal(await business.locator('#f-customerId').inputValue(), bluebird);
    assert.equal(await business.locator('#f-subject').inputValue(), 'Pastries for a company breakfast');
    await business.locator('#f-lines-0-name').fill('Assorted pastries');
    await business.locator('#f-lines-0-quantity').fill('40');
    await business.locator('#f-lines-0-rate').fill('3');
    await business.locator('.live-totals').getByText('$120.00').filter({ visible: true }).first().waitFor();
    await business.getByRole('button', { name: 'Save and send' }).click();
    await business.getByRole('heading', { name: /^Estimate EST-/ }).waitFor();
    await business.getByRole('link', { name: 'Made from a quote request' }).waitFor();
    const estimateId = business.url().split('/').pop() ?? '';
    const answered = await portico.ctx.db.kysely
      .selectFrom('quoteRequests')
      .select(['status', 'estimateId'])
      .where('description', '=', 'Pastries for a company breakfast')
      .executeTakeFirstOrThrow();
    assert.deepEqual(answered, { status: 'estimate_created', estimateId });

    // The client's list links to the estimate, now sent.
    await client.reload();
    await client
      .getByRole('listitem')
      .filter({ hasText: 'Pastries for a company breakfast' })
      .getByRole('link', { name: 'View the estimate' })
      .click();
    await client.getByRole('heading', { name: /^Estimate EST-/ }).waitFor();

    // Another request, dismissed by the business (after its confirmation).
    await client.goto(`${portico.baseUrl}/portal/northwind/quote-requests`);
    await client.getByLabel('What do you need?').fill('A gluten-free range');
    await client.getByRole('button', { name: 'Send request' }).click();
    await client.getByText('Your request was sent. The business will get back to you.').waitFor();
    await business.goto(`${portico.baseUrl}/app/quote-requests`);
    const other = business.getByRole('listitem').filter({ hasText: 'A gluten-free range' });
    await other.getByRole('button', { name: 'Dismiss' }).click();
    await business.getByRole('dialog').getByRole('button', { name: 'Dismiss' }).click();
    await business.getByText('The quote request was dismissed.').waitFor();
    assert.equal(await business.getByRole('listitem').filter({ hasText: 'A gluten-free range' }).count(), 0);
    await business.getByRole('link', { name: 'Dismissed', exact: true }).click();
    await business.getByRole('listitem').filter({ hasText: 'A gluten-free range' }).waitFor();
    await client.reload();
    await client.getByRole('listitem').filter({ hasText: 'A gluten-free range' }).getByText('Closed').waitFor();
  });
});
