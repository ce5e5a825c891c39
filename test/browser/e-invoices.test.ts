/// <reference lib="dom" />
/**
 * The "E-invoice" menu in a real browser, on the demo data (issue 20, docs/e-invoices.md): the owner asks for an
 * invoice's UBL before the details are there and is told, in words, what to add and where; after filling the
 * organization's country and VAT number in Settings → Organization (and the customer's country), the same menu saves
 * the file; the client saves the Factur-X PDF from the portal. axe with the menu open.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
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

const ALICE = 'alice@bluebird-bakery.example';
const OWNER = 'owner@northwind.example';

describe('e-invoices in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let invoice: { id: string; number: string; customerId: string };

  before(async () => {
    portico = await startPorticoWithBrowser();
    invoice = await portico.ctx.db.kysely
      .selectFrom('invoices as i')
      .innerJoin('customers as c', 'c.id', 'i.customerId')
      .innerJoin('organizations as o', 'o.id', 'i.organizationId')
      .select(['i.id', 'i.number', 'i.customerId'])
      .where('o.slug', '=', 'northwind')
      .where('c.displayName', 'like', 'Bluebird%')
      .where('i.status', 'in', ['sent', 'overdue', 'partially_paid'])
      .where('i.currency', '=', 'USD')
      .where('i.discountBeforeTax', '=', 1)
      .orderBy('i.number')
      .executeTakeFirstOrThrow();
  });
  after(() => portico?.close());

  async function newPage(): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function saveFrom(page: Page, format: string) {
    const menu = page.getByText('E-invoice', { exact: true });
    if ((await page.locator('details.e-invoice-menu').getAttribute('open')) === null) await menu.click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: format }).click();
    const file = await download;
    return { name: file.suggestedFilename(), body: readFileSync((await file.path()) ?? '') };
  }

  test('the owner is told what is missing, fills it in, then saves the UBL', async () => {
    const page = await newPage();
    await page.goto(`${portico.baseUrl}/app/invoices/${invoice.id}`);
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: invoice.number }).waitFor();

    await page.getByText('E-invoice', { exact: true }).click();
    await page.getByRole('button', { name: 'UBL XML (Peppol)' }).click();
    const alert = page.locator('.e-invoice .notice.error');
    await alert.waitFor();
    const said = (await alert.textContent()) ?? '';
    assert.match(said, /^Before making an e-invoice:/);
    assert.match(said, /add your business's country in Settings › Organization\./);
    assert.match(said, /add the customer's country on the customer's page\./);
    assert.doesNotMatch(said, /countryCode|e_invoice/);
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.goto(`${portico.baseUrl}/app/settings/organization`);
    await page.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
    await page.getByRole('group', { name: 'E-invoices' }).getByLabel('Country').selectOption({ label: 'France' });
    await page.getByLabel('VAT number').fill('FR40303265045');
    await page
      .getByLabel('Attach to invoice e-mails')
      .selectOption({ label: 'Factur-X PDF (instead of the plain PDF)' });
    await page.getByRole('button', { name: 'Save' }).last().click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    const saved = () =>
      portico.ctx.db.kysely
        .selectFrom('organizations')
        .select(['countryCode', 'taxId', 'eInvoiceAttachment'])
        .where('slug', '=', 'northwind')
        .executeTakeFirstOrThrow();
    assert.deepEqual(await accessibilityViolations(page), []);
    assert.deepEqual(await saved(), { countryCode: 'FR', taxId: 'FR40303265045', eInvoiceAttachment: 'facturx' });

    const owner = await businessSession(portico.baseUrl, OWNER, DEMO_PASSWORDS.owner);
    const patched = await owner.call('PATCH', `/api/v1/customers/${invoice.customerId}`, {
      countryCode: 'BE',
      email: 'accounts@bluebird-bakery.example',
    });
    assert.equal(patched.status, 200, await patched.text());

    await page.goto(`${portico.baseUrl}/app/invoices/${invoice.id}`);
    await page.getByRole('heading', { name: invoice.number }).waitFor();
    const ubl = await saveFrom(page, 'UBL XML (Peppol)');
    assert.equal(ubl.name, `${invoice.number}-ubl.xml`);
    assert.match(ubl.body.toString('utf8'), new RegExp(`<cbc:ID>${invoice.number}</cbc:ID>`));
    assert.equal(await page.locator('.e-invoice .notice.error').count(), 0);
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  test('the client saves the Factur-X PDF from the portal', async () => {
    const page = await newPage();
    await page.goto(`${portico.baseUrl}/portal/northwind/invoices/${invoice.id}`);
    await page.getByLabel('E-mail').fill(ALICE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('heading', { name: new RegExp(invoice.number) })
      .first()
      .waitFor();
    const facturX = await saveFrom(page, 'Factur-X PDF');
    assert.equal(facturX.name, `${invoice.number}-factur-x.pdf`);
    assert.equal(facturX.body.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(facturX.body.includes('factur-x.xml'), 'the PDF names its attached factur-x.xml');
    assert.deepEqual(await accessibilityViolations(page), []);
  });
});
