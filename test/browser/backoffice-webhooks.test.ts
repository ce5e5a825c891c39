/// <reference lib="dom" />
/**
 * Settings → Webhooks in a real browser (issue 20, point 2): the owner adds an endpoint with two events (none
 * chosen is refused next to the list), sees the signing secret once, sends an invoice and finds its delivery in the
 * endpoint's log, turns the endpoint off; axe at desktop and phone width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  businessSession,
  type RunningPortico,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const OWNER = 'owner@northwind.example';

describe('back office: webhooks in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;

  before(async () => {
    portico = await startPorticoWithBrowser();
  });
  after(() => portico?.close());

  async function ownerPage(viewport: keyof typeof VIEWPORTS): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(`${portico.baseUrl}/app/settings/webhooks`);
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    return page;
  }

  test('add an endpoint, see its secret once, find a delivery in its log, turn it off', async () => {
    const page = await ownerPage('desktop');
    await page.getByText('No webhook endpoints yet.').waitFor();
    await page.getByLabel('Address (https)').fill('https://hooks.example.com/portico');
    await page.getByLabel('Description').fill('Accounting sync');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('Choose at least one event.').waitFor();
    await page.getByLabel('Invoice sent').check();
    await page.getByLabel('Invoice paid in full').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = page.getByLabel('Signing secret', { exact: true });
    await secret.waitFor();
    assert.match(await secret.inputValue(), /^whsec_/);
    assert.deepEqual(
      await accessibilityViolations(page),
      [],
      'Webhooks with a new secret has accessibility violations',
    );
    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.getByLabel('Signing secret', { exact: true }).count(), 0, 'shown once');

    // An invoice sent through the API is an event for this endpoint.
    const owner = await businessSession(portico.baseUrl, OWNER, DEMO_PASSWORDS.owner);
    const customers = (await (await owner.call('GET', '/api/v1/customers?limit=1')).json()) as {
      data: Array<{ id: string }>;
    };
    const created = await owner.call('POST', '/api/v1/invoices', {
      customerId: customers.data[0]?.id,
      lines: [{ name: 'Work', quantity: '1', rate: 1000 }],
    });
    assert.equal(created.status, 201);
    const invoice = (await created.json()) as { id: string };
    assert.equal((await owner.call('POST', `/api/v1/invoices/${invoice.id}/send`)).status, 200);

    const card = page.getByRole('region', { name: 'https://hooks.example.com/portico' });
    await card.getByRole('button', { name: 'Show deliveries' }).click();
    await card.getByRole('cell', { name: 'Invoice sent' }).waitFor();
    await card.getByRole('button', { name: 'Turn off' }).click();
    await page.getByText('The endpoint is off: nothing more is sent to it.').waitFor();
    await card.getByText('Off', { exact: true }).waitFor();
    await page.context().close();

    const phone = await ownerPage('phone');
    await phone.getByRole('region', { name: 'https://hooks.example.com/portico' }).waitFor();
    assert.deepEqual(await accessibilityViolations(phone), [], 'Webhooks (phone) has accessibility violations');
    await phone.context().close();
  });
});
