/// <reference lib="dom" />
/**
 * The client portal in a real browser (Debian's Chromium through playwright-core), on the demo data: every screen
 * at desktop and phone width, checked by axe-core, with a screenshot of each under test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  JOURNEY_VIEWPORTS,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';

describe('client portal in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  before(async () => {
    portico = await startPorticoWithBrowser();
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
    await screenshot(page, name, viewport);
  }

  async function signIn(page: Page, viewport: keyof typeof VIEWPORTS, email = ALICE) {
    await page.goto(`${portico.baseUrl}/portal/northwind/`);
    await page.getByRole('heading', { name: 'Sign in to your client portal' }).waitFor();
    // The business's brand, not Portico's, in front of its clients.
    await page.getByText('Northwind Studio', { exact: true }).first().waitFor();
    await checkScreen(page, 'sign-in', viewport);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
  }

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: sign in, home, invoices, an invoice, estimates, accept and decline, sign out`, async () => {
      const page = await newPage(viewport);
      await signIn(page, viewport);
      await checkScreen(page, 'home', viewport);
      const balance = await page.locator('.balance-card .big-amount').first().textContent();
      assert.match(
        balance ?? '',
        /^(\$[\d,]+\.\d{2} due|Credit \$[\d,]+\.\d{2} in your favour|\$0\.00)$/,
        'the net balance is shown in dollars, as an amount due or a credit',
      );

      await page.getByRole('link', { name: 'Invoices', exact: true }).click();
      await page.getByRole('heading', { name: 'Invoices', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Overdue' }).click();
      await page.getByRole('table').getByText('Overdue').first().waitFor();
      await checkScreen(page, 'invoices', viewport);
      await page.getByRole('table').getByRole('link').first().click();
      await page.getByText('Amount due').waitFor();
      await checkScreen(page, 'invoice', viewport);

      await page.getByRole('link', { name: 'Estimates', exact: true }).click();
      // The desktop journey decides the awaiting estimates; the phone one (after it) looks at them all.
      await page.getByRole('link', { name: viewport === 'desktop' ? 'Awaiting response' : 'All' }).click();
      await page.getByRole('table').getByRole('link').first().waitFor();
      await checkScreen(page, 'estimates', viewport);

      if (viewport === 'desktop') {
        // Accept the first awaiting estimate with a typed signature…
        await page.getByRole('table').getByRole('link').first().click();
        await page.getByRole('button', { name: 'Accept' }).waitFor();
        await checkScreen(page, 'estimate', viewport);
        await page.getByRole('button', { name: 'Accept' }).click();
        const dialog = page.getByRole('dialog');
        // Accepting is signing: a cleared or blank name does not accept (issue 18, point 7).
        await dialog.getByLabel('Your name').fill('   ');
        await dialog.getByRole('button', { name: 'Accept' }).click();
        await dialog.getByText('Type your name to sign and accept.').waitFor();
        await dialog.getByLabel('Your name').fill('');
        await dialog.getByRole('button', { name: 'Accept' }).click();
        assert.equal(
          await dialog.getByLabel('Your name').evaluate((input) => (input as HTMLInputElement).validity.valueMissing),
          true,
          'an empty name is refused by the form',
        );
        assert.equal(await page.getByText(/You accepted this estimate on/).count(), 0, 'nothing was accepted');
        await dialog.getByLabel('Your name').fill('Alice Martin');
        await checkScreen(page, 'estimate-accept-dialog', viewport);
        await dialog.getByRole('button', { name: 'Accept' }).click();
        await page.getByText(/You accepted this estimate on/).waitFor();
        await page.getByText('Signed as Alice Martin.').waitFor();
        assert.equal(await page.getByRole('button', { name: 'Accept' }).count(), 0, 'no decision left to make');

        // …and decline the next one with a reason.
        await page.getByRole('link', { name: 'Estimates', exact: true }).click();
        await page.getByRole('link', { name: 'Awaiting response' }).click();
        await page.getByRole('table').getByRole('link').first().click();
        await page.getByRole('button', { name: 'Decline' }).click();
        await page.getByRole('dialog').getByLabel('Reason').fill('Over budget this quarter — could we split it?');
        await page.getByRole('dialog').getByRole('button', { name: 'Decline' }).click();
        await page.getByText(/You declined this estimate on/).waitFor();
        // The client sees their own reason again (issue 18, point 6).
        await page.getByText('Your reason: Over budget this quarter — could we split it?').waitFor();

        // On one of the account's pages, the Account menu shows it is where the client is.
        await page.getByRole('button', { name: 'Account' }).click();
        await page.getByRole('link', { name: 'My details' }).click();
        await page.getByRole('heading', { name: 'My details' }).waitFor();
        assert.match(String(await page.getByRole('button', { name: 'Account' }).getAttribute('class')), /\bcurrent\b/);

        const decided = await portico.ctx.db.kysely
          .selectFrom('estimates')
          .select(['status', 'signatureName', 'declineReason'])
          .where('status', 'in', ['accepted', 'declined'])
          .where('decidedAt', '>', new Date(Date.now() - 60_000).toISOString())
          .execute();
        assert.deepEqual(decided.map((row) => row.status).sort(), ['accepted', 'declined']);
      }

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to your client portal' }).waitFor();
      await page.goto(`${portico.baseUrl}/portal/northwind/invoices`);
      await page.getByRole('heading', { name: 'Sign in to your client portal' }).waitFor();
      await page.context().close();
    });
  }

  test('Home as the seed describes it: retainer invoices to pay, the last payment by number, my company details', async () => {
    const page = await newPage('phone');
    await signIn(page, 'phone');
    const retainers = page.getByRole('region', { name: 'Retainer invoices to pay' });
    const retainer = await portico.ctx.db.kysely
      .selectFrom('retainerInvoices')
      .innerJoin('contactPersons', 'contactPersons.customerId', 'retainerInvoices.customerId')
      .select(['retainerInvoices.id', 'retainerInvoices.number'])
      .where('contactPersons.email', '=', ALICE)
      .where('retainerInvoices.status', '=', 'sent')
      .executeTakeFirstOrThrow();
    await retainers.getByRole('link', { name: retainer.number, exact: true }).waitFor();
    const pay = retainers.getByRole('link', { name: `Pay retainer invoice ${retainer.number}` });
    assert.equal(new URL(String(await pay.getAttribute('href')), portico.baseUrl).search, `?retainer=${retainer.id}`);

    const lastPayment = page.getByRole('region', { name: 'Last payment' });
    await lastPayment.getByRole('link', { name: /^PAY-\d+$/ }).waitFor();
    const words = await lastPayment.textContent();
    assert.doesNotMatch(words ?? '', /sbch_|ch_|pi_|cs_/, 'no gateway reference on Home');

    const company = page.getByRole('region', { name: 'My company details' });
    await company.getByText('Bluebird Bakery', { exact: false }).first().waitFor();
    await company.getByRole('link', { name: 'Change my details' }).click();
    await page.getByRole('heading', { name: 'My details' }).waitFor();
    await checkScreen(page, 'account-from-home', 'phone');
    await page.context().close();
  });

  test('a link to an invoice survives signing in: the client lands on that invoice, not Home', async () => {
    const invoice = await portico.ctx.db.kysely
      .selectFrom('invoices')
      .innerJoin('contactPersons', 'contactPersons.customerId', 'invoices.customerId')
      .select(['invoices.id', 'invoices.number'])
      .where('contactPersons.email', '=', ALICE)
      .where('invoices.status', 'in', ['sent', 'overdue', 'partially_paid', 'paid'])
      .orderBy('invoices.id')
      .executeTakeFirstOrThrow();
    const page = await newPage('phone');
    // What an e-mailed "View invoice" link does for a client who is signed out.
    await page.goto(`${portico.baseUrl}/portal/northwind/invoices/${invoice.id}?from=email`);
    await page.getByRole('heading', { name: 'Sign in to your client portal' }).waitFor();
    await page.getByLabel('E-mail').fill(ALICE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Invoice ${invoice.number}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/portal/northwind/invoices/${invoice.id}`);
    await page.context().close();
  });

  test('a statement period that ends before it starts is refused next to its field, never "Something went wrong"', async () => {
    const page = await newPage('phone');
    await signIn(page, 'phone');
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    // Typed into the address (or a bookmark): the period is not asked for; the form says what to change.
    await page.goto(`${portico.baseUrl}/portal/northwind/statement?from=2026-05-31&to=2026-05-01`);
    await page.getByText('The end date must be on or after the start date.').waitFor();
    assert.equal(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid'), 'true');
    // Corrected in the form: the statement of that period.
    await page.getByLabel('To', { exact: true }).fill('2026-06-30');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText(/May 31, 2026 to Jun 30, 2026/).waitFor();
    assert.equal(await page.getByText('The end date must be on or after the start date.').count(), 0);
    // Reversed again in the form: refused before any request.
    await page.getByLabel('From', { exact: true }).fill('2026-07-15');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('The end date must be on or after the start date.').waitFor();
    assert.equal(await page.getByText('Something went wrong').count(), 0);
    assert.deepEqual(failed, [], 'no request was refused');
    await page.context().close();
  });

  test('an unknown invoice id shows "Page not found", and an unknown portal says so', async () => {
    const page = await newPage('desktop');
    await signIn(page, 'desktop');
    await page.goto(`${portico.baseUrl}/portal/northwind/invoices/inv_doesnotexist`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.goto(`${portico.baseUrl}/portal/no-such-portal/`);
    await page.getByText('This client portal does not exist or is not open.').waitFor();
    await page.context().close();
  });

  test('forgot password, from the sign-in screen', async () => {
    const page = await newPage('phone');
    await page.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    // The sign-in screen has an E-mail field too: fill only once the reset screen has replaced it.
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('E-mail').fill(ALICE);
    await checkScreen(page, 'forgot-password', 'phone');
    const answered = page.waitForResponse((response) => response.url().endsWith('/password/forgot'));
    await page.getByRole('button', { name: 'Send the link' }).click();
    const response = await answered;
    assert.equal(response.status(), 202, `forgot password answered ${response.status()}: ${await response.text()}`);
    await page.getByText(/a link is on its way/).waitFor();
    await page.context().close();
  });
});
