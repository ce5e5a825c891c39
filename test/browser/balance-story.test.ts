/// <reference lib="dom" />
/**
 * One balance story in a real browser (issue 18): the portal's Home and statement and the back office's customer
 * page name the same three figures — outstanding invoices, credit available, net balance — with the same amounts,
 * and a customer whose credit exceeds what it owes sees credit in its favour, never a negative balance due. On the
 * demo data, at desktop and phone width, checked by axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import { formatMoney } from '../../web/ui/format.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  businessSession,
  JOURNEY_VIEWPORTS,
  navigate,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';
const OWNER = 'owner@northwind.example';
/** Past everything the demo holds: the statement reaches today, so its last line is the balance now. */
const WHOLE_HISTORY = 'from=2000-01-01&to=2099-12-31';

interface Balance {
  currency: string;
  outstandingInvoices: number;
  creditAvailable: number;
  netBalance: number;
}

describe('one balance story in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let customerId: string;
  let balance: Balance;

  before(async () => {
    portico = await startPorticoWithBrowser();
    const alice = await portico.ctx.db.kysely
      .selectFrom('contactPersons')
      .select('customerId')
      .where('email', '=', ALICE)
      .executeTakeFirstOrThrow();
    customerId = alice.customerId;
    // Alice's bakery pays more than it owes: the business records a payment that leaves $500.00 of credit over
    // every outstanding invoice, so the net balance is credit in its favour.
    const owner = await businessSession(portico.baseUrl, OWNER, DEMO_PASSWORDS.owner);
    const before = (await (await owner.call('GET', `/api/v1/customers/${customerId}/balance`)).json()) as Balance;
    assert.ok(before.outstandingInvoices > 0, 'the showcase customer owes on invoices');
    const paid = await owner.call('POST', '/api/v1/payments', {
      customerId,
      amount: before.netBalance + 50_000,
      date: new Date().toISOString().slice(0, 10),
      mode: 'bank_transfer',
    });
    assert.equal(paid.status, 201, await paid.text());
    balance = (await (await owner.call('GET', `/api/v1/customers/${customerId}/balance`)).json()) as Balance;
    assert.equal(balance.netBalance, -50_000);
    assert.ok(balance.outstandingInvoices > 0 && balance.creditAvailable > 0);
  });
  after(() => portico?.close());

  async function newPage(viewport: keyof typeof VIEWPORTS): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function checkScreen(page: Page, name: string, viewport: keyof typeof VIEWPORTS) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} (${viewport}) has accessibility violations`);
    const width = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    assert.ok((width[0] ?? 0) <= (width[1] ?? 0) + 1, `${name} (${viewport}) scrolls sideways: ${width.join(' > ')}`);
    await screenshot(page, name, viewport);
  }

  const money = (amount: number) => formatMoney(amount, balance.currency, 'en-US');
  const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim();

  /** The three figures, by their names, as a list of terms shows them. */
  async function figures(page: Page, within: string) {
    const row = (name: string) =>
      page.locator(`${within} .balance-figures .totals-row`).filter({ hasText: name }).locator('dd').textContent();
    return {
      outstanding: (await row('Outstanding invoices'))?.trim(),
      credit: (await row('Credit available'))?.trim(),
      net: (await row('Net balance'))?.trim(),
    };
  }

  const expectedFigures = () => ({
    outstanding: money(balance.outstandingInvoices),
    credit: money(balance.creditAvailable),
    net: `Credit ${money(50_000)} in your favour`,
  });

  /** No figure of the balance is a negative amount, and nothing is called a "balance due". */
  async function assertNoNegativeBalanceDue(page: Page, within: string) {
    const shown = (await page.locator(within).first().textContent()) ?? '';
    assert.ok(!/Balance due/i.test(shown), `${within} says "balance due": ${shown}`);
    assert.ok(!/[-−]\s?\$/.test(shown), `${within} shows a negative amount: ${shown}`);
  }

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: Home and the statement tell the same figures, credit in the client's favour`, async () => {
      const page = await newPage(viewport);
      await page.goto(`${portico.baseUrl}/portal/northwind/`);
      await page.getByLabel('E-mail').fill(ALICE);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.getByRole('heading', { name: 'Net balance' }).waitFor();
      assert.equal(await text(page, '[data-testid="net-balance"]'), `Credit ${money(50_000)} in your favour`);
      assert.deepEqual(await figures(page, '.balance-card'), expectedFigures());
      await assertNoNegativeBalanceDue(page, '.balance-card');
      await checkScreen(page, 'balance-home', viewport);

      await navigate(page, 'Statement');
      await page.getByRole('heading', { name: 'Statement of accounts' }).waitFor();
      await page.goto(`${portico.baseUrl}/portal/northwind/statement?${WHOLE_HISTORY}`);
      await page.getByRole('heading', { name: 'Your balance today' }).waitFor();
      assert.equal(await text(page, '[data-testid="net-balance"]'), `Credit ${money(50_000)} in your favour`);
      assert.deepEqual(await figures(page, 'main'), expectedFigures());
      await assertNoNegativeBalanceDue(page, '.statement-summary');
      // The statement's last line runs to the same balance.
      const lastBalance = await page.locator('.statement-lines tbody tr').last().locator('td').last().textContent();
      assert.equal(lastBalance?.trim(), money(-50_000));
      await checkScreen(page, 'balance-statement', viewport);
      await page.context().close();
    });

    test(`${viewport}: the back office's customer page names the same three figures`, async () => {
      const page = await newPage(viewport);
      await page.goto(`${portico.baseUrl}/app/customers/${customerId}`);
      await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
      await page.getByLabel('E-mail').fill(OWNER);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Balance', exact: true }).waitFor();
      await page.locator('.balance-figures').waitFor();
      assert.deepEqual(await figures(page, 'main'), {
        ...expectedFigures(),
        net: `Credit ${money(50_000)} in the customer's favour`,
      });
      await assertNoNegativeBalanceDue(page, '.balance-figures');
      // The customer's statement (this year, by default) closes on the same net balance, told the same way.
      await page.getByTestId('statement-net-balance').waitFor();
      assert.equal(
        await text(page, '[data-testid="statement-net-balance"]'),
        `Credit ${money(50_000)} in the customer's favour`,
      );
      await checkScreen(page, 'balance-customer', viewport);
      await page.context().close();
    });
  }
});
