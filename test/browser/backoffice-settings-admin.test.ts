/// <reference lib="dom" />
/**
 * The back office's admin settings — Taxes, Online payments, Users and roles, API keys — in a real browser: each
 * page at desktop and phone width passes axe and leaves a screenshot (`backoffice-settings-…`); each does its real
 * action through the page and the API shows the result; staff see the pages read-only or not at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
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

interface Person {
  email: string;
  password: string;
  name: string;
}

const OWNER: Person = { email: 'owner@northwind.example', password: DEMO_PASSWORDS.owner, name: 'Nora Winters' };
const STAFF: Person = { email: 'sam@northwind.example', password: DEMO_PASSWORDS.staff, name: 'Sam Patel' };

type Viewport = keyof typeof VIEWPORTS;

async function checkScreen(page: Page, name: string, viewport: Viewport) {
  assert.deepEqual(await accessibilityViolations(page), [], `${name} (${viewport}) has accessibility violations`);
  await screenshot(page, `backoffice-${name}`, viewport);
}

describe('back office: taxes, online payments, users and API keys in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  before(async () => {
    portico = await startPorticoWithBrowser();
  });
  after(() => portico?.close());

  async function newPage(viewport: Viewport): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function signIn(page: Page, person: Person = OWNER) {
    await page.goto(`${portico.baseUrl}/app/`);
    await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
    await page.getByLabel('E-mail').fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
    await page.getByText(`Signed in as ${person.name}`).waitFor({ state: 'attached' });
  }

  /** Reads the business API with the signed-in page's session. */
  async function read<T>(page: Page, url: string): Promise<T> {
    const response = await page.request.get(`${portico.baseUrl}${url}`);
    assert.equal(response.status(), 200, await response.text());
    return (await response.json()) as T;
  }

  async function openSettings(page: Page, path: string, heading: string) {
    await page.goto(`${portico.baseUrl}/app/settings/${path}`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await page.locator('.skeleton').waitFor({ state: 'detached' });
  }

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: taxes, online payments, users and API keys pass axe`, async () => {
      const page = await newPage(viewport);
      await signIn(page);
      const nav = page.getByRole('navigation', { name: 'Settings' });

      await openSettings(page, 'taxes', 'Taxes');
      await page.getByRole('heading', { name: 'New tax' }).waitFor();
      await checkScreen(page, 'settings-taxes', viewport);

      await nav.getByRole('link', { name: 'Online payments' }).click();
      await page.getByRole('heading', { name: 'Online payments', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Add a payment gateway' }).waitFor();
      await checkScreen(page, 'settings-online-payments', viewport);

      await nav.getByRole('link', { name: 'Users and roles' }).click();
      await page.getByRole('heading', { name: 'Users and roles', level: 1 }).waitFor();
      await page.getByRole('cell', { name: OWNER.email }).waitFor();
      await checkScreen(page, 'settings-users', viewport);

      await nav.getByRole('link', { name: 'API keys' }).click();
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Create an API key' }).waitFor();
      await page.locator('.skeleton').waitFor({ state: 'detached' });
      await checkScreen(page, 'settings-api-keys', viewport);
      await page.context().close();
    });
  }

  test('taxes: a new tax made the default is offered in the invoice editor; tax rounding is saved', async () => {
    const page = await newPage('desktop');
    await signIn(page);
    await openSettings(page, 'taxes', 'Taxes');
    await page.getByLabel('Name').fill('Harbour VAT');
    await page.getByLabel('Rate (%)').fill('7.25');
    await page.getByRole('button', { name: 'Create tax' }).click();
    await page.getByRole('status').getByText('The tax Harbour VAT is created.').waitFor();
    await page.getByRole('button', { name: 'Make Harbour VAT the default tax' }).click();
    await page.getByRole('status').getByText('Harbour VAT is now the default tax.').waitFor();
    await page.getByRole('row').filter({ hasText: 'Harbour VAT' }).getByText('Default tax').waitFor();
    await checkScreen(page, 'settings-taxes-default', 'desktop');

    type Taxes = { data: Array<{ name: string; rate: string; isDefault: boolean }> };
    const taxes = await read<Taxes>(page, '/api/v1/taxes?limit=100');
    assert.deepEqual(
      taxes.data.filter((tax) => tax.isDefault).map((tax) => [tax.name, tax.rate]),
      [['Harbour VAT', '7.25']],
      'the one default tax',
    );

    // Editing: the rate changes, and a refusal of the server is shown as an alert.
    await page.getByRole('button', { name: 'Edit Harbour VAT' }).click();
    await page.getByRole('heading', { name: 'Edit Harbour VAT' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Edit Harbour VAT', 'focus moves');
    await page.getByLabel('Rate (%)').fill('7.5');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('The tax Harbour VAT is saved.').waitFor();
    await page.getByRole('button', { name: 'Edit Harbour VAT' }).click();
    await page.getByLabel('Rate (%)').fill('2000');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByLabel('Tax rounding', { exact: true }).selectOption('document');
    await page.getByRole('button', { name: 'Save rounding' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    assert.equal((await read<{ taxRounding: string }>(page, '/api/v1/organization')).taxRounding, 'document');

    await page.goto(`${portico.baseUrl}/app/invoices/new`);
    await page.locator('option', { hasText: 'Harbour VAT (7.5%)' }).first().waitFor({ state: 'attached' });

    // A deleted tax leaves the list.
    await openSettings(page, 'taxes', 'Taxes');
    // Escape, or Cancel, changes nothing; the dialog's Delete does it.
    await page.getByRole('button', { name: 'Delete Harbour VAT' }).click();
    await page.getByRole('dialog').getByText('Harbour VAT', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.ok((await read<Taxes>(page, '/api/v1/taxes?limit=100')).data.some((tax) => tax.name === 'Harbour VAT'));
    await page.getByRole('button', { name: 'Delete Harbour VAT' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').getByText('The tax Harbour VAT is deleted.').waitFor();
    const after = await read<Taxes>(page, '/api/v1/taxes?limit=100');
    assert.ok(!after.data.some((tax) => tax.name === 'Harbour VAT'));
    await page.context().close();
  });

  test("online payments: a gateway's rules are saved, a Stripe gateway is added; secrets are never shown back", async () => {
    const page = await newPage('desktop');
    await signIn(page);
    await openSettings(page, 'online-payments', 'Online payments');
    // The demo's owner chose the sandbox: it is gateway 1.
    const sandboxForm = page.getByRole('region', { name: 'Sandbox (test payments, no money moves)' });
    await sandboxForm.getByLabel('Accepted currencies').fill('usd, EUR');
    await sandboxForm.getByLabel('Minimum amount (minor units)').fill('500');
    await sandboxForm.getByLabel('Allow recurring charges').uncheck();
    await sandboxForm.getByLabel('Require address verification').check();
    await sandboxForm.getByLabel('Card verification: address fields').selectOption('full_address');
    await sandboxForm.getByRole('button', { name: 'Save payment gateway' }).click();
    await sandboxForm.getByRole('status').getByText('Saved.').waitFor();

    type Gateway = {
      id: string;
      kind: string;
      currencies: string[] | null;
      minimumAmount: number;
      recurring: boolean;
      addressFields: string;
      sandbox: { addressVerification: boolean } | null;
      stripe: { secretKey: string } | null;
    };
    const [sandbox] = (await read<{ data: Gateway[] }>(page, '/api/v1/payment-gateways')).data;
    assert.equal(sandbox?.kind, 'sandbox');
    assert.deepEqual(sandbox?.currencies, ['EUR', 'USD']);
    assert.equal(sandbox?.minimumAmount, 500);
    assert.equal(sandbox?.recurring, false);
    assert.equal(sandbox?.addressFields, 'full_address');
    assert.equal(sandbox?.sandbox?.addressVerification, true);

    // A refusal from the server (a malformed rule) is an alert with the API's words.
    await sandboxForm.getByLabel('Duplicate window (seconds)').fill('999999');
    await sandboxForm.getByRole('button', { name: 'Save payment gateway' }).click();
    await sandboxForm.getByRole('alert').filter({ hasText: 'The request is not valid.' }).waitFor();

    // Back to what the demo's portal pays with.
    await sandboxForm.getByLabel('Duplicate window (seconds)').fill('0');
    await sandboxForm.getByLabel('Accepted currencies').fill('');
    await sandboxForm.getByLabel('Minimum amount (minor units)').fill('0');
    await sandboxForm.getByLabel('Allow recurring charges').check();
    await sandboxForm.getByLabel('Require address verification').uncheck();
    await sandboxForm.getByRole('button', { name: 'Save payment gateway' }).click();
    await sandboxForm.getByRole('status').getByText('Saved.').waitFor();

    const secretKey = 'sk_test_51Hbrowsertestsecret4321';
    const webhookSecret = 'whsec_browsertestsigningWXYZ';
    const addForm = page.getByRole('region', { name: 'Add a payment gateway' });
    await addForm.getByLabel('Stripe: real card payments').check();
    assert.equal(await addForm.getByText('Not set.').count(), 2, 'no credentials yet');
    await addForm.getByLabel('Accepted currencies').fill('JPY');
    await addForm.getByLabel('Secret key (sk_… or rk_…)').fill(secretKey);
    await addForm.getByLabel('Webhook signing secret (whsec_…)').fill(webhookSecret);
    await addForm.getByRole('button', { name: 'Add payment gateway' }).click();
    // An sk_test_ key is Stripe's test mode, and the page says so.
    const stripeForm = page.getByRole('region', {
      name: 'Stripe in test mode (test keys: test payments, no money moves)',
    });
    await stripeForm.getByText('Set (sk_test_…4321).').waitFor();
    assert.equal(await addForm.getByLabel('Secret key (sk_… or rk_…)').inputValue(), '', 'the field is empty again');
    const html = await page.content();
    assert.ok(!html.includes(secretKey) && !html.includes(webhookSecret), 'no secret on the page');
    await checkScreen(page, 'settings-online-payments-stripe', 'desktop');
    const listed = (await read<{ data: Gateway[] }>(page, '/api/v1/payment-gateways')).data;
    assert.deepEqual(
      listed.map((g) => g.kind),
      ['sandbox', 'stripe'],
    );

    // Removed after a confirmation; the sandbox stays.
    await stripeForm.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await stripeForm.waitFor({ state: 'detached' });
    assert.deepEqual(
      (await read<{ data: Gateway[] }>(page, '/api/v1/payment-gateways')).data.map((g) => g.kind),
      ['sandbox'],
    );
    await page.context().close();
  });

  test('online payments: a PayPal gateway is added, edited and moved up and down; its secret is never shown back', async () => {
    const page = await newPage('desktop');
    await signIn(page);
    await openSettings(page, 'online-payments', 'Online payments');
    const clientId = 'AbrowserTestPayPalClientId0001';
    const clientSecret = 'EbrowserTestPayPalSecret9876';
    const addForm = page.getByRole('region', { name: 'Add a payment gateway' });
    await addForm.getByLabel('PayPal: clients pay on PayPal’s page').check();
    // One-off payments only: the saved-card switches are not offered.
    await addForm.getByText('PayPal takes one-off payments only', { exact: false }).waitFor();
    assert.equal(await addForm.getByLabel('Allow saved cards').isVisible(), false);
    await addForm.getByLabel('Accepted currencies').fill('EUR');
    await addForm.getByLabel('PayPal account').selectOption('sandbox');
    await addForm.getByLabel('Client ID').fill(clientId);
    await addForm.getByLabel('Secret', { exact: true }).fill(clientSecret);
    await addForm.getByLabel('Webhook ID').fill('8PT597110X687430LKGECATA');
    await addForm.getByRole('button', { name: 'Add payment gateway' }).click();
    const paypalForm = page.getByRole('region', { name: 'PayPal sandbox (test payments, no money moves)' });
    await paypalForm.getByText('Set (…9876).').waitFor();
    assert.equal(await addForm.getByLabel('Client ID').inputValue(), '', 'the field is empty again');
    assert.ok(!(await page.content()).includes(clientSecret), 'no secret on the page');
    await checkScreen(page, 'settings-online-payments-paypal', 'desktop');

    type Gateway = {
      kind: string;
      currencies: string[] | null;
      minimumAmount: number;
      referenceTransactions: boolean;
      paypal: { clientSecret: string; webhookId: string; environment: string } | null;
    };
    const paypalOf = async () =>
      (await read<{ data: Gateway[] }>(page, '/api/v1/payment-gateways')).data.find((g) => g.kind === 'paypal');
    const added = await paypalOf();
    assert.deepEqual(added?.currencies, ['EUR']);
    assert.equal(added?.referenceTransactions, false);
    assert.deepEqual(added?.paypal, {
      clientId: '…0001',
      clientSecret: '…9876',
      webhookId: '8PT597110X687430LKGECATA',
      environment: 'sandbox',
      credentialsReadable: true,
    });

    // Edited without its credentials: they are kept.
    await paypalForm.getByLabel('Minimum amount (minor units)').fill('100');
    await paypalForm.getByRole('button', { name: 'Save payment gateway' }).click();
    await paypalForm.getByRole('status').getByText('Saved.').waitFor();
    const edited = await paypalOf();
    assert.equal(edited?.minimumAmount, 100);
    assert.equal(edited?.paypal?.clientSecret, '…9876');

    // Reordered: PayPal moves up, so Pay Now tries it first.
    await paypalForm.getByText('Tried 2 of 2').waitFor();
    await paypalForm.getByRole('button', { name: 'Move up' }).click();
    await paypalForm.getByText('Tried 1 of 2').waitFor();
    assert.equal(await paypalForm.getByRole('button', { name: 'Move up' }).isDisabled(), true);
    const kinds = async () =>
      (await read<{ data: Gateway[] }>(page, '/api/v1/payment-gateways')).data.map((g) => g.kind);
    assert.deepEqual(await kinds(), ['paypal', 'sandbox']);
    await paypalForm.getByRole('button', { name: 'Move down' }).click();
    await paypalForm.getByText('Tried 2 of 2').waitFor();
    assert.deepEqual(await kinds(), ['sandbox', 'paypal']);

    await paypalForm.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await paypalForm.waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('users: add a user, change their role, see a refusal, disable them', async () => {
    const page = await newPage('desktop');
    await signIn(page);
    await openSettings(page, 'users', 'Users and roles');
    const add = async () => {
      await page.getByLabel('Name', { exact: true }).fill('Rita Quill');
      await page.getByLabel('E-mail', { exact: true }).fill('rita@northwind.example');
      await page.getByLabel('Role', { exact: true }).selectOption('staff');
      await page.getByLabel('First password').fill('amber lanterns drift past midnight');
      await page.getByRole('button', { name: 'Add user' }).click();
    };
    await add();
    await page.getByRole('status').getByText('Rita Quill is added.').waitFor();
    await page.getByLabel('Role of Rita Quill').selectOption('admin');
    await page.getByRole('status').getByText('Rita Quill is now Admin.').waitFor();
    type Users = Array<{ email: string; role: string; disabled: boolean }>;
    const rita = (await read<Users>(page, '/api/v1/users')).find((u) => u.email === 'rita@northwind.example');
    assert.equal(rita?.role, 'admin');

    // The same e-mail again: the server refuses, and its sentence is the alert.
    await add();
    await page.getByRole('alert').getByText('A user with this e-mail already exists.').waitFor();
    // The owner has no role picker and no disable button: the server keeps them owner.
    const ownerRow = page.getByRole('row').filter({ hasText: OWNER.email });
    assert.equal(await ownerRow.getByRole('combobox').count(), 0);
    assert.equal(await ownerRow.getByRole('button').count(), 0);

    await page.getByRole('button', { name: 'Disable Rita Quill' }).click();
    await page.getByRole('status').getByText('Rita Quill is disabled and signed out everywhere.').waitFor();
    const disabled = (await read<Users>(page, '/api/v1/users')).find((u) => u.email === 'rita@northwind.example');
    assert.equal(disabled?.disabled, true);
    await checkScreen(page, 'settings-users-added', 'desktop');
    await page.context().close();
  });

  test('users: an owner resets the second factors of a user who lost their device', async () => {
    // Sam sets up an authenticator app, through the API the Sign-in security page uses.
    const sam = await newPage('desktop');
    await signIn(sam, STAFF);
    const { csrfToken } = await read<{ csrfToken: string }>(sam, '/api/v1/session');
    const headers = { 'x-csrf-token': csrfToken, origin: portico.baseUrl };
    const started = await sam.request.post(`${portico.baseUrl}/api/v1/second-factors/totp`, { data: {}, headers });
    assert.equal(started.status(), 201, await started.text());
    const { id, secret } = (await started.json()) as { id: string; secret: string };
    const confirmed = await sam.request.post(`${portico.baseUrl}/api/v1/second-factors/totp/${id}/confirm`, {
      data: { code: new TOTP({ secret }).generate() },
      headers,
    });
    assert.equal(confirmed.status(), 200, await confirmed.text());
    await sam.context().close();

    const page = await newPage('desktop');
    await signIn(page);
    await openSettings(page, 'users', 'Users and roles');
    const samRow = page.getByRole('row').filter({ hasText: STAFF.email });
    await samRow.getByText('Second factor in use').waitFor();
    await page.getByRole('button', { name: `Reset second factors of ${STAFF.name}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByText(`Remove every second factor and recovery code of ${STAFF.name}?`, { exact: false })
      .waitFor();
    await checkScreen(page, 'settings-users-reset-factors', 'desktop');
    await dialog.getByRole('button', { name: 'Reset second factors' }).click();
    await page.getByRole('status').getByText(`${STAFF.name}'s second factors were removed`, { exact: false }).waitFor();
    await samRow.getByText('No second factor').waitFor();
    assert.equal(await page.getByRole('button', { name: `Reset second factors of ${STAFF.name}` }).count(), 0);
    type Users = Array<{ email: string; hasSecondFactor: boolean }>;
    const after = (await read<Users>(page, '/api/v1/users')).find((u) => u.email === STAFF.email);
    assert.equal(after?.hasSecondFactor, false);
    // Sam is told by e-mail.
    const told = await portico.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('subject')
      .where('toAddress', '=', STAFF.email)
      .where('template', '=', 'userSecondFactorsReset')
      .execute();
    assert.equal(told.length, 1);
    await page.context().close();
  });

  test('API keys: the secret is shown once, authenticates /api/v1, and stops working when revoked', async () => {
    const page = await newPage('desktop');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portico.baseUrl });
    await signIn(page);
    await openSettings(page, 'api-keys', 'API keys');
    await page.getByLabel('Name').fill('Accounting export');
    await page.getByLabel('Role', { exact: true }).selectOption('staff');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'The key Accounting export is created' }).waitFor();
    const key = await page.getByLabel('API key', { exact: true }).inputValue();
    assert.match(key, /^pk_/);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key, 'the key is on the clipboard');
    await checkScreen(page, 'settings-api-keys-created', 'desktop');

    const withKey = () =>
      fetch(`${portico.baseUrl}/api/v1/organization`, { headers: { authorization: `Bearer ${key}` } });
    const allowed = await withKey();
    assert.equal(allowed.status, 200, await allowed.text());
    const gateway = await fetch(`${portico.baseUrl}/api/v1/payment-gateways`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(gateway.status, 403, 'a staff key is refused what staff may not do');

    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.getByLabel('API key', { exact: true }).count(), 0, 'shown only once');
    const row = page.getByRole('row').filter({ hasText: 'Accounting export' });
    await row.getByText(key.slice(0, 10)).waitFor();
    await row.getByText(/^Staff · for /).waitFor();

    // The owner gives the key to another user: it then acts for them (and stops if they are disabled).
    const giveTo = row.getByLabel('Give Accounting export to');
    const receiver = await giveTo.locator('option').first().textContent();
    assert.ok(receiver, 'another enabled user to give the key to');
    await row.getByRole('button', { name: 'Give to' }).click();
    await page.getByRole('status').getByText(`The key Accounting export now acts for ${receiver}.`).waitFor();
    await row.getByText(`Staff · for ${receiver}`).waitFor();
    const given = await withKey();
    assert.equal(given.status, 200, 'the key still works for its new holder');

    await page.getByRole('button', { name: 'Revoke Accounting export' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('status').getByText('The key Accounting export is revoked.').waitFor();
    await row.getByText('Revoked').waitFor();
    const refused = await withKey();
    assert.equal(refused.status, 401, 'a revoked key no longer authenticates');
    await page.context().close();
  });

  test('staff see taxes and users read-only, and neither online payments nor API keys', async () => {
    const page = await newPage('desktop');
    await signIn(page, STAFF);
    await openSettings(page, 'taxes', 'Taxes');
    await page.getByText('Only an owner or an admin can change these settings.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create tax' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Make .* the default tax$/ }).count(), 0);
    assert.ok(await page.getByLabel('Tax rounding', { exact: true }).isDisabled());
    await checkScreen(page, 'settings-taxes-staff', 'desktop');

    const nav = page.getByRole('navigation', { name: 'Settings' });
    assert.equal(await nav.getByRole('link', { name: 'Online payments' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'API keys' }).count(), 0);
    await nav.getByRole('link', { name: 'Users and roles' }).click();
    await page.getByRole('cell', { name: OWNER.email }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add user' }).count(), 0);
    assert.equal(await page.getByRole('combobox').count(), 0);
    await checkScreen(page, 'settings-users-staff', 'desktop');

    await openSettings(page, 'online-payments', 'Online payments');
    await page.getByText('Only an owner or an admin can see and change the payment gateway.').waitFor();
    await openSettings(page, 'api-keys', 'API keys');
    await page.getByText('Only an owner or an admin can see and manage API keys.').waitFor();
    await page.context().close();
  });
});
