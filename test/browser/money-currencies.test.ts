/// <reference lib="dom" />
/**
 * Amounts typed in the back office of organizations whose currency has 0, 2 or 3 decimals: the server stores
 * exactly what was typed, and the pages show it back. The web apps and the server count a currency's decimals from
 * one table (src/domain/currencies.ts); before, the web asked Intl, which gives HUF none, so "12500.50" HUF was
 * refused and "12500" was sent as 12500 fillér — 125 forints on the invoice and its PDF.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createOrganization } from '../../src/modules/organization/service.js';
import {
  browserTestsUnavailable,
  businessSession,
  type RunningPortico,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const PASSWORD = 'ledger-lantern-harbour-71';

/** What the business user types for a line's rate and a payment, and the minor units the server must store. */
const CASES = [
  // Forints keep their two decimals (fillér) in ISO 4217, as in the server's table; Intl drops them.
  { currency: 'HUF', rate: '12500.50', rateMinor: 1_250_050, paid: '7500.25', paidMinor: 750_025 },
  { currency: 'JPY', rate: '12500', rateMinor: 12_500, paid: '7500', paidMinor: 7_500 },
  { currency: 'KWD', rate: '1.234', rateMinor: 1_234, paid: '0.505', paidMinor: 505 },
] as const;

/** The amount as an en-US page shows it ("HUF 12,500.50", "¥12,500"), whatever space Intl puts after the code. */
function shownAs(text: string, currency: string): RegExp {
  const [whole = '', fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const number = fraction === undefined ? grouped : `${grouped}\\.${fraction}`;
  const symbol = currency === 'JPY' ? '¥' : `${currency}\\s`;
  return new RegExp(`^${symbol}${number}$`);
}

describe('amounts in 0-, 2- and 3-decimal currencies, typed in the back office', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;

  before(async () => {
    portico = await startPorticoWithBrowser({ demo: false });
  });
  after(() => portico?.close());

  async function signedInPage(email: string): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portal activity' }).waitFor();
    return page;
  }

  for (const c of CASES) {
    test(`${c.currency}: an invoice line's rate and a payment are stored and shown as typed`, async () => {
      const slug = c.currency.toLowerCase();
      const email = `owner@${slug}.example`;
      await createOrganization(portico.ctx, {
        name: `${c.currency} Trading`,
        slug: `${slug}-trading`,
        baseCurrency: c.currency,
        timeZone: 'UTC',
        owner: { email, name: 'Owner', password: PASSWORD },
      });
      const api = await businessSession(portico.baseUrl, email, PASSWORD);
      const created = await api.call('POST', '/api/v1/customers', {
        displayName: `${c.currency} Client`,
        email: `client@${slug}.example`,
      });
      assert.equal(created.status, 201, await created.clone().text());
      const customer = (await created.json()) as { id: string; currency: string };
      assert.equal(customer.currency, c.currency);

      const page = await signedInPage(email);
      await page.goto(`${portico.baseUrl}/app/invoices/new?customerId=${customer.id}`);
      await page.getByRole('heading', { name: 'New invoice' }).waitFor();
      await page.getByLabel(`Rate (${c.currency})`).first().waitFor();
      await page.locator('#f-lines-0-name').fill('Consulting');
      await page.locator('#f-lines-0-rate').fill(c.rate);
      // The live totals are the server's answer to what the page sent: the amount typed, not 100× off.
      await page
        .locator('.live-totals .totals-row.strong dd')
        .filter({ hasText: shownAs(c.rate, c.currency) })
        .first()
        .waitFor();

      await page.getByRole('button', { name: 'Save and send' }).click();
      await page.getByRole('heading', { name: /^Invoice INV-/ }).waitFor();
      const invoiceId = page.url().split('/').pop() ?? '';
      const invoice = (await (await api.call('GET', `/api/v1/invoices/${invoiceId}`)).json()) as {
        currency: string;
        total: number;
        lines: Array<{ rate: number }>;
      };
      assert.equal(invoice.currency, c.currency);
      assert.equal(invoice.lines[0]?.rate, c.rateMinor, 'the rate stored is the one typed');
      assert.equal(invoice.total, c.rateMinor);
      assert.match(
        (await page.locator('.document .totals-row.strong dd').first().textContent())?.trim() ?? '',
        shownAs(c.rate, c.currency),
      );

      // Editing shows the rate as it was typed.
      await page.goto(`${portico.baseUrl}/app/invoices/${invoiceId}/edit`);
      await page.getByRole('heading', { name: /^Edit invoice / }).waitFor();
      assert.equal(await page.locator('#f-lines-0-rate').inputValue(), c.rate);

      // A part payment, typed in the same currency.
      await page.goto(`${portico.baseUrl}/app/payments/new?customerId=${customer.id}&invoiceId=${invoiceId}`);
      await page.getByRole('heading', { name: 'Record a payment' }).waitFor();
      const number = (await (await api.call('GET', `/api/v1/invoices/${invoiceId}`)).json()).number as string;
      await page.getByLabel(`Amount applied to ${number}`).waitFor();
      await page.getByLabel(`Amount received (${c.currency})`).fill(c.paid);
      await page.getByLabel(`Amount applied to ${number}`).fill(c.paid);
      await page.getByRole('button', { name: 'Record payment' }).click();
      await page.getByRole('heading', { name: /^Payment / }).waitFor();
      const paymentId = page.url().split('/').pop() ?? '';
      const payment = (await (await api.call('GET', `/api/v1/payments/${paymentId}`)).json()) as {
        amount: number;
        currency: string;
      };
      assert.equal(payment.currency, c.currency);
      assert.equal(payment.amount, c.paidMinor, 'the payment stored is the one typed');
      await page
        .locator('.money')
        .filter({ hasText: shownAs(c.paid, c.currency) })
        .first()
        .waitFor();

      const balance = (await (await api.call('GET', `/api/v1/invoices/${invoiceId}`)).json()).balance as number;
      assert.equal(balance, c.rateMinor - c.paidMinor);
      await page.context().close();
    });
  }
});
