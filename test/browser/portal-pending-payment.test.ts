/// <reference lib="dom" />
/**
 * Issue 18, in a real browser: Back on the payment page frees the invoice at once (Pay → card page → Back → Pay
 * again), a payment left open shows on the invoice with when it lapses and Cancel, and the business sees it on its
 * invoice page. Checked by axe-core at desktop and phone width (fitting the window), with screenshots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  businessSession,
  JOURNEY_VIEWPORTS,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';
type Viewport = keyof typeof VIEWPORTS;

describe('client portal: a payment left open on the payment page', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  /** Bluebird Bakery's unpaid invoices, oldest first. */
  let unpaid: Array<{ id: string; number: string; balance: number }>;

  before(async () => {
    portico = await startPorticoWithBrowser();
    const db = portico.ctx.db.kysely;
    const alice = await db
      .selectFrom('contactPersons')
      .select(['customerId'])
      .where('email', '=', ALICE)
      .executeTakeFirstOrThrow();
    unpaid = await db
      .selectFrom('invoices')
      .select(['id', 'number', 'balance'])
      .where('customerId', '=', alice.customerId)
      .where('balance', '>', 0)
      .where('status', 'not in', ['draft', 'void'])
      .orderBy('issueDate')
      .execute();
    assert.ok(unpaid.length >= 2, 'the demo gives Bluebird Bakery unpaid invoices');
  });
  after(() => portico?.close());

  const attemptsOf = (invoiceId: string) =>
    portico.ctx.db.kysely
      .selectFrom('paymentAttempts as p')
      .innerJoin('paymentAttemptAllocations as a', 'a.attemptId', 'p.id')
      .select(['p.id', 'p.status', 'p.failureCode'])
      .where('a.invoiceId', '=', invoiceId)
      .orderBy('p.createdAt')
      .execute();

  async function signIn(viewport: Viewport): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    await page.getByLabel('E-mail').fill(ALICE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
    return page;
  }

  async function checkScreen(page: Page, name: string, viewport: Viewport) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} (${viewport}) has accessibility violations`);
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok((widths[0] ?? 0) <= (widths[1] ?? 0), `${name} (${viewport}) scrolls sideways: ${widths.join(' > ')}`);
    await screenshot(page, name, viewport);
  }

  /** From the invoice's page: Pay now, then Pay, to the sandbox's card page. */
  async function toCardPage(page: Page, invoice: { id: string; number: string }) {
    await page.goto(`${portico.baseUrl}/portal/northwind/invoices/${invoice.id}`);
    await page.getByRole('link', { name: 'Pay now' }).click();
    await page.getByRole('button', { name: /^Pay \$[\d,.]+$/ }).click();
    await page.waitForURL(/\/sandbox-gateway\/checkout\/sbcs_/);
    await page.getByRole('heading', { name: 'Pay Northwind Studio' }).waitFor();
  }

  test('Back on the card page frees the invoice at once: Pay again opens a new card page and pays', async () => {
    const page = await signIn('desktop');
    const invoice = unpaid[0] as (typeof unpaid)[number];
    await toCardPage(page, invoice);
    await page.goBack();
    await page.waitForURL(/\/portal\/northwind\/payments\/return\?attempt=pat_\w+&cancelled=1/);
    await page.getByRole('heading', { name: 'Payment cancelled' }).waitFor();
    await page.getByText('nothing was charged').waitFor();
    await checkScreen(page, 'portal-payment-cancelled', 'desktop');
    const [first] = await attemptsOf(invoice.id);
    assert.deepEqual([first?.status, first?.failureCode], ['failed', 'checkout_cancelled']);

    // Pay again at once: no "still being processed".
    await page.getByRole('link', { name: 'Try again' }).click();
    await page.getByRole('button', { name: /^Pay \$[\d,.]+$/ }).click();
    await page.waitForURL(/\/sandbox-gateway\/checkout\/sbcs_/);
    await page.getByLabel('Card number').fill('4242424242424242');
    await page.getByLabel('Expiry (MM/YY)').fill('12/39');
    await page.getByLabel('Security code').fill('123');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    const paid = await portico.ctx.db.kysely
      .selectFrom('invoices')
      .select('status')
      .where('id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    assert.equal(paid.status, 'paid');
    await page.context().close();
  });

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: a payment left open shows on the invoice (with its lapse time) and for the business; Cancel frees it`, async () => {
      const page = await signIn(viewport);
      const invoice = unpaid[1] as (typeof unpaid)[number];
      await toCardPage(page, invoice);
      // The client leaves the card page some other way than Back: the invoice says a payment is open.
      await page.goto(`${portico.baseUrl}/portal/northwind/invoices/${invoice.id}`);
      await page.getByText('Payment in progress.').waitFor();
      await page.getByText(/You started paying \$[\d,.]+ on the payment page on .+ it lapses on /).waitFor();
      await checkScreen(page, 'portal-invoice-pending-payment', viewport);
      // The Pay screen shows it too.
      await page.getByRole('link', { name: 'Pay now' }).click();
      await page.getByRole('heading', { name: 'Pay Northwind Studio' }).waitFor();
      await page.getByText('Payment in progress.').waitFor();
      await checkScreen(page, 'portal-pay-pending-payment', viewport);
      // Paying it with another invoice: the open payment says which invoice it is on.
      const other = unpaid[2] as (typeof unpaid)[number];
      await page.goto(`${portico.baseUrl}/portal/northwind/pay?invoices=${invoice.id},${other.id}`);
      await page.locator('.pending-payment').getByText(`Invoice ${invoice.number}`, { exact: true }).waitFor();
      assert.equal(await page.locator('.pending-payment').count(), 1);
      // With "prevent duplicate payments" on, Pay is refused, in words for several invoices.
      const owner = await businessSession(portico.baseUrl, 'owner@northwind.example', DEMO_PASSWORDS.owner);
      const setting = (on: boolean) =>
        owner.call('PATCH', '/api/v1/portal-settings', { preventDuplicatePayments: on }).then((r) => r.status);
      assert.equal(await setting(true), 200);
      try {
        await page.getByRole('button', { name: /^Pay \$[\d,.]+$/ }).click();
        await page.getByText('A payment of these invoices is still being processed.', { exact: false }).waitFor();
      } finally {
        assert.equal(await setting(false), 200);
      }
      await page.goto(`${portico.baseUrl}/portal/northwind/pay?invoices=${invoice.id}`);
      await page.getByText('Payment in progress.').waitFor();

      // The business sees it on its invoice page, with who started it and when it lapses.
      const office = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
      const back = await office.newPage();
      await back.goto(`${portico.baseUrl}/app/sign-in`);
      await back.getByLabel('E-mail').fill('owner@northwind.example');
      await back.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
      await back.getByRole('button', { name: 'Sign in' }).click();
      await back.waitForURL(/\/app\/?$/);
      await back.goto(`${portico.baseUrl}/app/invoices/${invoice.id}`);
      await back.getByRole('heading', { name: 'Online payment in progress' }).waitFor();
      await back.getByText(/started paying \$[\d,.]+ online on .+ waits for the card until /).waitFor();
      await checkScreen(back, 'backoffice-invoice-pending-payment', viewport);
      await office.close();

      // Cancel: freed at once, and Pay opens a card page again.
      await page.getByRole('button', { name: 'Cancel this payment' }).click();
      await page.getByText('The payment was cancelled and nothing was charged.').waitFor();
      // The open payment leaves the screen once the invoice is read again (not necessarily with the message).
      await page.getByText('Payment in progress.').waitFor({ state: 'detached' });
      const attempts = await attemptsOf(invoice.id);
      assert.deepEqual(
        attempts.map((a) => a.status),
        attempts.map(() => 'failed'),
      );
      await page.getByRole('button', { name: /^Pay \$[\d,.]+$/ }).click();
      await page.waitForURL(/\/sandbox-gateway\/checkout\/sbcs_/);
      // Leave it open for the next round: Back frees it again.
      await page.goBack();
      await page.getByRole('heading', { name: 'Payment cancelled' }).waitFor();
      await page.context().close();
    });
  }
});
