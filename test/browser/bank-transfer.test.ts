/// <reference lib="dom" />
/**
 * Bank-transfer instructions in a real browser, on the demo data (issue 19, point 2): the owner sets the dollar
 * account in Settings → Bank transfer; the client sees "Pay by bank transfer" on an invoice they owe, with the
 * reference and amount, and no warning; the owner changes the account; the client now sees the "confirm by phone"
 * warning on Home and on the invoice. axe at desktop and phone width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  JOURNEY_VIEWPORTS,
  type RunningPortico,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';
const OWNER = 'owner@northwind.example';
type Viewport = keyof typeof VIEWPORTS;

describe('bank-transfer instructions in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let invoice: { id: string; number: string };

  before(async () => {
    portico = await startPorticoWithBrowser();
    invoice = await portico.ctx.db.kysely
      .selectFrom('invoices as i')
      .innerJoin('customers as c', 'c.id', 'i.customerId')
      .innerJoin('organizations as o', 'o.id', 'i.organizationId')
      .select(['i.id', 'i.number'])
      .where('o.slug', '=', 'northwind')
      .where('c.displayName', 'like', 'Bluebird%')
      .where('i.balance', '>', 0)
      .where('i.status', 'in', ['sent', 'overdue', 'partially_paid'])
      .where('i.currency', '=', 'USD')
      .orderBy('i.number')
      .executeTakeFirstOrThrow();
  });
  after(() => portico?.close());

  async function newPage(viewport: Viewport): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function ownerPage(): Promise<Page> {
    const page = await newPage('desktop');
    await page.goto(`${portico.baseUrl}/app/settings/bank-transfer`);
    await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Bank transfer', level: 1 }).waitFor();
    return page;
  }

  async function clientPage(viewport: Viewport, path: string): Promise<Page> {
    const page = await newPage(viewport);
    await page.goto(`${portico.baseUrl}/portal/northwind${path}`);
    await page.getByLabel('E-mail').fill(ALICE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  test('the owner sets the dollar account; the client sees it on the invoice, without a warning', async () => {
    const owner = await ownerPage();
    const add = owner
      .locator('form')
      .filter({ has: owner.getByRole('heading', { name: 'Add details for a currency' }) });
    await add.getByLabel('Currency').fill('usd');
    await add.getByLabel('Account holder').fill('Northwind Traders Inc');
    await add.getByLabel('IBAN or account number').fill('0001 2345 6789');
    await add.getByLabel('BIC, routing number or sort code').fill('12');
    await add.getByRole('button', { name: 'Save' }).click();
    // A wrong routing number is named next to its field, and nothing is saved.
    await add.getByText('use a BIC, or the digits of a routing number or sort code').first().waitFor();
    await add.getByLabel('BIC, routing number or sort code').fill('021000021');
    await add.getByRole('button', { name: 'Save' }).click();
    await owner.getByRole('heading', { name: 'Payments in USD' }).waitFor();
    // The add form says it is saved and starts empty for the next currency.
    await add.getByRole('status').getByText('Saved.').waitFor();
    assert.equal(await add.getByLabel('Currency').inputValue(), '');
    assert.equal(await add.getByLabel('Account holder').inputValue(), '');
    assert.deepEqual(await accessibilityViolations(owner), [], 'Settings → Bank transfer has accessibility violations');

    for (const viewport of JOURNEY_VIEWPORTS) {
      const client = await clientPage(viewport, `/invoices/${invoice.id}`);
      const card = client.getByRole('region', { name: 'Pay by bank transfer' });
      await card.waitFor();
      await card.getByText('000123456789').waitFor();
      await card.getByText(invoice.number).waitFor();
      assert.equal(await client.getByRole('alert').count(), 0, 'no warning before any change');
      assert.deepEqual(await accessibilityViolations(client), [], `invoice (${viewport}) has accessibility violations`);
      await client.context().close();
    }
    await owner.context().close();
  });

  test('after the owner changes the account, the client is told to confirm by phone, on Home and on the invoice', async () => {
    const owner = await ownerPage();
    const usd = owner.locator('form').filter({ has: owner.getByRole('heading', { name: 'Payments in USD' }) });
    await usd.getByLabel('IBAN or account number').fill('000987654321');
    await usd.getByRole('button', { name: 'Save' }).click();
    await usd.getByText(/Account details changed on/).waitFor();
    await owner.context().close();

    const client = await clientPage('phone', '/');
    await client.getByText(/The bank details for payments in USD changed on/).waitFor();
    assert.deepEqual(await accessibilityViolations(client), [], 'Home with the warning has accessibility violations');
    await client.goto(`${portico.baseUrl}/portal/northwind/invoices/${invoice.id}`);
    const card = client.getByRole('region', { name: 'Pay by bank transfer' });
    await card
      .getByRole('alert')
      .getByText(/confirm them by phone/)
      .waitFor();
    await card.getByText('000987654321').waitFor();
    await client.context().close();
  });
});
