/// <reference lib="dom" />
/**
 * The back office's customer statement in a real browser, on the demo data: each line names its transaction with
 * the document's number (as the portal's statement does), and the numbers are the books' — every invoice and
 * payment of the period, read from the database. axe at desktop and phone width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

describe('back office: the customer statement names each line’s document', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;

  before(async () => {
    portico = await startPorticoWithBrowser();
  });
  after(() => portico?.close());

  async function statementOf(viewport: keyof typeof VIEWPORTS): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByLabel('E-mail').fill('owner@northwind.example');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    const customer = await portico.ctx.db.kysely
      .selectFrom('customers')
      .select('id')
      .where('displayName', '=', 'Bluebird Bakery')
      .executeTakeFirstOrThrow();
    await page.goto(`${portico.baseUrl}/app/customers/${customer.id}`);
    await page.getByRole('heading', { name: 'Statement of accounts' }).waitFor();
    await page.locator('.statement-lines').waitFor();
    return page;
  }

  test('every invoice and payment of the year is a line headed by its number', async () => {
    const page = await statementOf('desktop');
    const db = portico.ctx.db.kysely;
    const customer = await db
      .selectFrom('customers')
      .select('id')
      .where('displayName', '=', 'Bluebird Bakery')
      .executeTakeFirstOrThrow();
    const yearStart = `${new Date().getUTCFullYear()}-01-01`;
    const invoices = await db
      .selectFrom('invoices')
      .select('number')
      .where('customerId', '=', customer.id)
      .where('status', 'not in', ['draft', 'void'])
      .where('issueDate', '>=', yearStart)
      .execute();
    const payments = await db
      .selectFrom('customerPayments')
      .select('number')
      .where('customerId', '=', customer.id)
      .where('paymentDate', '>=', yearStart)
      .execute();
    assert.ok(invoices.length > 0 && payments.length > 0, 'the demo customer has invoices and payments this year');

    const headers = await page.locator('.statement-lines thead th').allTextContents();
    assert.deepEqual(headers.slice(0, 3), ['Date', 'Transaction', 'Details']);
    const named = await page.locator('.statement-lines tbody th[scope="row"]').allTextContents();
    for (const { number } of invoices) assert.ok(named.includes(`Invoice ${number}`), `Invoice ${number}: ${named}`);
    for (const { number } of payments) assert.ok(named.includes(`Payment ${number}`), `Payment ${number}: ${named}`);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'backoffice-customer-statement-numbers', 'desktop');
    await page.context().close();
  });

  test('phone: the statement with its numbers passes axe', async () => {
    const page = await statementOf('phone');
    assert.ok((await page.locator('.statement-lines tbody th[scope="row"]').count()) > 0);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'backoffice-customer-statement-numbers', 'phone');
    await page.context().close();
  });
});
