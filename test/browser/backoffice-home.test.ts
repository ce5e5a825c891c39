/// <reference lib="dom" />
/**
 * The back office's Home in a real browser, on the demo data: the figures (outstanding, overdue, collected this
 * month, estimates awaiting) match the books read straight from the database, the 12-month chart opens as a table,
 * the portal activity feed is still below; axe and a screenshot at desktop and phone width, and in French.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import { UNPAID_INVOICE_STATUSES } from '../../src/domain/invoice-states.js';
import { formatMoney } from '../../web/ui/format.js';
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

describe('back office home figures in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;

  before(async () => {
    portico = await startPorticoWithBrowser();
  });
  after(() => portico?.close());

  async function signedIn(viewport: keyof typeof VIEWPORTS, locale = 'en-US'): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.waitForFunction(() => document.querySelector('.skeleton') === null);
    return page;
  }

  /** The figures as shown: { 'Outstanding invoices': '$1,234.00 3 invoices See them …', … }. */
  async function figuresOf(page: Page): Promise<Record<string, string>> {
    return page
      .locator('.home-figures')
      .evaluate((list) =>
        Object.fromEntries(
          Array.from(list.querySelectorAll(':scope > div')).map((pair) => [
            pair.querySelector('dt')?.textContent ?? '',
            pair.querySelector('dd strong')?.textContent ?? '',
          ]),
        ),
      );
  }

  test('desktop: the figures are the books’, the chart has a table, the feed is below', async () => {
    const db = portico.ctx.db.kysely;
    const organization = await db
      .selectFrom('organizations')
      .select(['id', 'baseCurrency', 'timeZone', 'locale'])
      .where('slug', '=', 'northwind')
      .executeTakeFirstOrThrow();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: organization.timeZone }).format(new Date());
    const unpaid = await db
      .selectFrom('invoices')
      .select(['balance', 'dueDate'])
      .where('organizationId', '=', organization.id)
      .where('status', 'in', UNPAID_INVOICE_STATUSES)
      .execute();
    const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);
    const owed = sum(unpaid.map((invoice) => invoice.balance));
    const overdue = sum(unpaid.filter((invoice) => invoice.dueDate < today).map((invoice) => invoice.balance));
    const collected = sum(
      (
        await db
          .selectFrom('customerPayments')
          .select('amount')
          .where('organizationId', '=', organization.id)
          .where('paymentDate', '>=', `${today.slice(0, 7)}-01`)
          .where('paymentDate', '<=', today)
          .execute()
      ).map((payment) => payment.amount),
    );
    const estimates = await db
      .selectFrom('estimates')
      .select('total')
      .where('organizationId', '=', organization.id)
      .where('status', '=', 'sent')
      .where((eb) => eb.or([eb('expiryDate', 'is', null), eb('expiryDate', '>=', today)]))
      .execute();
    assert.ok(owed > 0 && overdue > 0, 'the demo has money owed, some of it overdue');
    const money = (amount: number) => formatMoney(amount, organization.baseCurrency, organization.locale);

    const page = await signedIn('desktop');
    assert.deepEqual(await figuresOf(page), {
      'Outstanding invoices': money(owed),
      Overdue: money(overdue),
      'Collected this month': money(collected),
      'Estimates awaiting an answer': money(sum(estimates.map((estimate) => estimate.total))),
    });
    await page.getByText(`${unpaid.length} invoices`, { exact: true }).first().waitFor();
    await page.getByRole('heading', { name: 'The last 12 months' }).waitFor();
    await page.getByText('Show the figures as a table').click();
    const rows = page.locator('.chart-table tbody tr');
    assert.equal(await rows.count(), 12);
    await page.getByRole('heading', { name: 'Portal activity', level: 2 }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'backoffice-home', 'desktop');

    await page.getByRole('link', { name: 'See them Overdue' }).click();
    await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
    assert.match(page.url(), /\/app\/invoices\?status=overdue$/);
    await page.context().close();
  });

  test('phone and French: the figures fit and read in the organization’s language', async () => {
    const page = await signedIn('phone');
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'backoffice-home', 'phone');

    const owner = await businessSession(portico.baseUrl, OWNER, DEMO_PASSWORDS.owner);
    const patched = await owner.call('PATCH', '/api/v1/organization', { locale: 'fr-FR' });
    assert.equal(patched.status, 200);
    await page.reload();
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    await page.getByRole('term').filter({ hasText: 'Factures à encaisser' }).waitFor();
    await page.getByRole('heading', { name: 'Les 12 derniers mois' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'backoffice-home-fr', 'phone');
    await page.context().close();
  });
});
