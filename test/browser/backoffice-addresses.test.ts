/// <reference lib="dom" />
/**
 * Addresses in the back office, in a real browser on the demo data: the organization's address set in Settings ›
 * Organization ("Saved." stays on screen after the form refreshes) is printed on its invoices and shown under
 * "From" in the portal; a customer's billing and shipping addresses ("Same as billing address" included) are
 * shown on the customer's page and printed under "Bill to" and "Ship to"; a line cleared is gone. axe on each form.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  type RunningPortico,
  startPorticoWithBrowser,
} from '../support/browser.js';
import { HAS_PDFTOTEXT, pdfText, squeeze } from '../support/pdf.js';
import { signedInPage } from '../support/screens.js';

/** A 1×1 PNG. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

describe('back office: the organization’s and a customer’s addresses', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let customerId: string;
  let invoice: { id: string; number: string };

  before(async () => {
    portico = await startPorticoWithBrowser();
    const db = portico.ctx.db.kysely;
    customerId = (
      await db
        .selectFrom('customers')
        .select('id')
        .where('displayName', '=', 'Bluebird Bakery')
        .executeTakeFirstOrThrow()
    ).id;
    invoice = await db
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('customerId', '=', customerId)
      .where('status', 'in', ['sent', 'partially_paid', 'overdue', 'paid'])
      .orderBy('number')
      .executeTakeFirstOrThrow();
  });
  after(() => portico?.close());

  /** The invoice's PDF as text, one space between words (pdftotext lays the parties out in columns). */
  async function invoicePdf(page: Page): Promise<string> {
    const response = await page.request.get(`${portico.baseUrl}/api/v1/invoices/${invoice.id}/pdf`);
    assert.equal(response.status(), 200);
    return squeeze(pdfText(await response.body()));
  }

  const stored = async () =>
    portico.ctx.db.kysely
      .selectFrom('customers')
      .select(['billingAddress', 'shippingAddress'])
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow()
      .then((row) => ({ billing: JSON.parse(row.billingAddress), shipping: JSON.parse(row.shippingAddress) }));

  test('the organization’s address: saved, printed on its invoices, shown under "From" in the portal', async () => {
    const page = await signedInPage(portico.browser, portico.baseUrl, 'desktop', 'backoffice');
    await page.goto(`${portico.baseUrl}/app/settings/organization`);
    await page.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
    const address = page.getByRole('group', { name: 'Address' });
    assert.equal(await address.getByLabel('Street', { exact: true }).getAttribute('autocomplete'), 'address-line1');
    await address.getByLabel('Street', { exact: true }).fill('1 Harbour Road');
    await address.getByLabel('Street (line 2)').fill('Unit 9');
    await address.getByLabel('City').fill('Portland');
    await address.getByLabel('Postal code').fill('97201');
    await address.getByLabel('Country').fill('United States');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // The refreshed profile does not re-create the form: its "Saved." stays.
    await page.getByRole('status').getByText('Saved.').waitFor();
    assert.equal(await address.getByLabel('City').inputValue(), 'Portland');
    assert.deepEqual(await accessibilityViolations(page), []);
    if (HAS_PDFTOTEXT) {
      const text = await invoicePdf(page);
      // The letterhead's lines, between the columns of the invoice's own facts.
      for (const line of ['1 Harbour Road', 'Unit 9', 'Portland, 97201', 'United States'])
        assert.ok(text.includes(line), line);
    }

    // A line cleared is gone from the stored address and from the invoice. Saved from the keyboard (Enter in the
    // field): the form is disabled while it saves, and the focus comes back to the field, not to the top of the page.
    const lineTwo = address.getByLabel('Street (line 2)');
    await lineTwo.fill('');
    await lineTwo.press('Enter');
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.waitForFunction((field) => document.activeElement === field, await lineTwo.elementHandle(), {
      timeout: 5000,
    });
    const organization = await portico.ctx.db.kysely
      .selectFrom('organizations')
      .select('address')
      .where('slug', '=', 'northwind')
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(organization.address), {
      street1: '1 Harbour Road',
      city: 'Portland',
      postalCode: '97201',
      country: 'United States',
    });
    if (HAS_PDFTOTEXT) {
      const text = await invoicePdf(page);
      assert.ok(text.includes('1 Harbour Road') && text.includes('Portland, 97201'));
      assert.ok(!text.includes('Unit 9'));
    }

    // A new logo refreshes the organization too: what is being typed in the profile stays.
    await address.getByLabel('City').fill('Salem');
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: TINY_PNG });
    await page.getByRole('status').getByText('The logo is saved.').waitFor();
    assert.equal(await address.getByLabel('City').inputValue(), 'Salem');
    await page.context().close();

    const client = await signedInPage(portico.browser, portico.baseUrl, 'desktop', 'portal');
    await client.goto(`${portico.baseUrl}/portal/northwind/invoices/${invoice.id}`);
    const from = client.getByRole('region', { name: 'From' });
    await from.getByText('1 Harbour Road').waitFor();
    await from.getByText('Portland, 97201').waitFor();
    await client.context().close();
  });

  test('a customer’s billing and shipping addresses, "Same as billing address", and a line cleared', async () => {
    const page = await signedInPage(portico.browser, portico.baseUrl, 'desktop', 'backoffice');
    await page.goto(`${portico.baseUrl}/app/customers/${customerId}/edit`);
    await page.getByRole('heading', { name: 'Edit Bluebird Bakery' }).waitFor();
    const billing = page.getByRole('group', { name: 'Billing address' });
    const shipping = page.getByRole('group', { name: 'Shipping address' });
    // The demo's billing address is in the form; the blank shipping address is folded away.
    assert.equal(await billing.getByLabel('Street (optional)').inputValue(), '12 Orchard Street');
    assert.equal(await billing.getByLabel('Street (optional)').getAttribute('autocomplete'), 'billing address-line1');
    assert.equal(await shipping.getByLabel('City').count(), 0);
    await billing.getByLabel('Attention').fill('Accounts payable');
    await billing.getByLabel('Street (line 2)').fill('Suite 4');
    await shipping.getByRole('button', { name: 'Add a shipping address' }).click();
    assert.equal(await shipping.getByLabel('City').getAttribute('autocomplete'), 'shipping address-level2');
    await shipping.getByLabel('Street (optional)').fill('5 Dock Road');
    await shipping.getByLabel('City').fill('Portland');
    await shipping.getByLabel('Postal code').fill('97227');
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await page.getByRole('heading', { name: 'Bluebird Bakery', level: 1 }).waitFor();
    const facts = page.getByRole('region', { name: 'Details' });
    await facts.getByText(/Accounts payable\s+12 Orchard Street\s+Suite 4\s+Portland, OR, 97204\s+US/).waitFor();
    await facts.getByText(/5 Dock Road\s+Portland, 97227/).waitFor();
    assert.deepEqual((await stored()).shipping, { street1: '5 Dock Road', city: 'Portland', postalCode: '97227' });
    if (HAS_PDFTOTEXT) {
      const text = await invoicePdf(page);
      assert.match(
        text,
        /BILL TO Bluebird Bakery Bluebird Bakery LLC Accounts payable 12 Orchard Street Suite 4 Portland, OR, 97204 US /,
      );
      assert.match(text, /SHIP TO Bluebird Bakery 5 Dock Road Portland, 97227 /);
    }

    // Clear the second street line; the shipping address becomes the billing one.
    await page.getByRole('link', { name: 'Edit customer' }).click();
    await page.getByRole('heading', { name: 'Edit Bluebird Bakery' }).waitFor();
    await billing.getByLabel('Street (line 2)').fill('');
    await shipping.getByLabel('Same as billing address').check();
    assert.equal(await shipping.getByLabel('City').count(), 0, 'the shipping lines fold away');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Bluebird Bakery', level: 1 }).waitFor();
    await facts.getByText('Same as billing address').waitFor();
    assert.equal(await facts.getByText('Suite 4').count(), 0);
    const { billing: billed, shipping: shipped } = await stored();
    assert.deepEqual(billed, {
      attention: 'Accounts payable',
      street1: '12 Orchard Street',
      city: 'Portland',
      state: 'OR',
      postalCode: '97204',
      country: 'US',
    });
    assert.deepEqual(shipped, billed);
    if (HAS_PDFTOTEXT) {
      const text = await invoicePdf(page);
      assert.doesNotMatch(text, /Suite 4|5 Dock Road/);
      assert.match(text, /SHIP TO Bluebird Bakery Accounts payable 12 Orchard Street Portland, OR, 97204 US /);
    }

    // The form opens with "Same as billing address" ticked, as saved.
    await page.getByRole('link', { name: 'Edit customer' }).click();
    await page.getByRole('heading', { name: 'Edit Bluebird Bakery' }).waitFor();
    assert.equal(await shipping.getByLabel('Same as billing address').isChecked(), true);
    await page.context().close();
  });
});
