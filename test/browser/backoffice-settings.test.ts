/// <reference lib="dom" />
/**
 * The back office's Home (live portal activity), Settings (organization and logo, client portal, mailbox) and the
 * first-run setup, in a real browser: each screen at desktop and phone width passes axe and leaves a screenshot
 * (`backoffice-…`); the feed gets a client's action live; settings take effect in the portal.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  JOURNEY_VIEWPORTS,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';
import { unzip } from '../support/zip.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const OWNER = 'owner@northwind.example';
const ALICE = 'alice@bluebird-bakery.example';
/** A 1×1 PNG. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

type Viewport = keyof typeof VIEWPORTS;

async function checkScreen(page: Page, name: string, viewport: Viewport) {
  assert.deepEqual(await accessibilityViolations(page), [], `${name} (${viewport}) has accessibility violations`);
  await screenshot(page, `backoffice-${name}`, viewport);
}

describe('back office: home, settings and mailbox in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let northwind: string;
  before(async () => {
    portico = await startPorticoWithBrowser();
    northwind = (
      await portico.ctx.db.kysely
        .selectFrom('organizations')
        .select('id')
        .where('slug', '=', 'northwind')
        .executeTakeFirstOrThrow()
    ).id;
  });
  after(() => portico?.close());

  async function newPage(viewport: Viewport): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function signIn(page: Page, path = '/app/') {
    await page.goto(`${portico.baseUrl}${path}`);
    await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
    await page.getByText('Signed in as Nora Winters').waitFor({ state: 'attached' });
  }

  /** The owner's API calls from the signed-in page (its cookie, and the CSRF token of its session). */
  async function ownerApi(page: Page) {
    const session = await page.request.get(`${portico.baseUrl}/api/v1/session`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': csrfToken, origin: portico.baseUrl };
    return {
      post: (url: string, data: unknown = {}) => page.request.post(`${portico.baseUrl}${url}`, { data, headers }),
    };
  }

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: home feed, organization, client portal, mailbox and one e-mail pass axe`, async () => {
      const page = await newPage(viewport);
      await signIn(page, '/app/');
      await page.goto(`${portico.baseUrl}/app/`);
      await page.getByRole('heading', { name: 'Portal activity' }).waitFor();
      await page.locator('.activity-item').first().waitFor();
      await page.getByText('Live: new activity appears here as it happens.').waitFor();
      await checkScreen(page, 'home', viewport);

      await page.goto(`${portico.baseUrl}/app/settings`);
      await page.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
      await checkScreen(page, 'settings-organization', viewport);

      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Client portal' }).click();
      await page.getByRole('heading', { name: 'Client portal', level: 1 }).waitFor();
      await page.getByLabel('Portal enabled').waitFor();
      await checkScreen(page, 'settings-portal', viewport);

      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Mailbox' }).click();
      await page.getByRole('heading', { name: 'Mailbox', level: 1 }).waitFor();
      await page.getByRole('table').getByRole('link').first().waitFor();
      await checkScreen(page, 'mailbox', viewport);

      await page.getByRole('table').getByRole('link').first().click();
      await page.getByRole('link', { name: 'Back to the mailbox' }).waitFor();
      await page.locator('iframe.mail-body').waitFor();
      assert.equal(await page.locator('iframe.mail-body').getAttribute('sandbox'), '', 'the HTML body is sandboxed');
      // The e-mail's inline styles apply in the frame (its own policy allows them; the app's does not): its
      // paragraphs have the layout's spacing, not the browser's default margins.
      const paragraph = page.frameLocator('iframe.mail-body').locator('p').first();
      await paragraph.waitFor();
      assert.equal(await paragraph.evaluate((p) => getComputedStyle(p).marginTop), '0px', 'inline styles apply');
      await screenshot(page, 'backoffice-mailbox-message', viewport);
      // axe cannot enter a sandboxed frame (no scripts run there): it checks the page with the text body shown.
      await page.getByRole('button', { name: 'Plain text' }).click();
      await page.locator('pre.mail-text').waitFor();
      assert.equal(await page.locator('iframe').count(), 0);
      await checkScreen(page, 'mailbox-message-text', viewport);
      await page.context().close();
    });
  }

  test('the feed gets what a client does in the portal, live, and announces it', async () => {
    const page = await newPage('desktop');
    await signIn(page, '/app/');
    await page.goto(`${portico.baseUrl}/app/`);
    await page.getByText('Live: new activity appears here as it happens.').waitFor();

    // The client, in a browser of their own, opens an invoice they have not seen yet…
    const alice = await portico.ctx.db.kysely
      .selectFrom('contactPersons')
      .select(['id', 'customerId'])
      .where('email', '=', ALICE)
      .where('organizationId', '=', northwind)
      .executeTakeFirstOrThrow();
    const unseen = await portico.ctx.db.kysely
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('customerId', '=', alice.customerId)
      .where('status', '!=', 'draft')
      .where('viewedAt', 'is', null)
      .executeTakeFirst();
    const client = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    const portal = await client.newPage();
    await portal.goto(`${portico.baseUrl}/portal/northwind/`);
    await portal.getByLabel('E-mail').fill(ALICE);
    await portal.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await portal.getByRole('button', { name: 'Sign in' }).click();
    await portal.getByRole('navigation', { name: 'Main' }).waitFor();
    const invoice =
      unseen ??
      (await portico.ctx.db.kysely
        .selectFrom('invoices')
        .select(['id', 'number'])
        .where('customerId', '=', alice.customerId)
        .where('status', '!=', 'draft')
        .executeTakeFirstOrThrow());
    await portal.goto(`${portico.baseUrl}/portal/northwind/invoices/${invoice.id}`);
    await portal
      .getByRole('heading', { name: new RegExp(invoice.number) })
      .first()
      .waitFor();
    if (unseen) {
      await page
        .locator('.activity-item')
        .first()
        .getByText(`Alice Martin viewed invoice ${invoice.number}`)
        .waitFor({ timeout: 10_000 });
    }
    // …and comments on it.
    const session = await client.request.get(`${portico.baseUrl}/api/portal/northwind/session`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const commented = await client.request.post(
      `${portico.baseUrl}/api/portal/northwind/invoices/${invoice.id}/comments`,
      { data: { text: 'We will pay on Friday.' }, headers: { 'x-csrf-token': csrfToken, origin: portico.baseUrl } },
    );
    assert.equal(commented.status(), 201, await commented.text());
    const sentence = `Alice Martin commented on invoice ${invoice.number}`;
    await page.locator('.activity-item').first().getByText(sentence).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('[aria-live="polite"]').first().textContent(), sentence, 'announced politely');
    await client.close();
    await page.context().close();
  });

  test('a client portal setting takes effect in the portal; the preview link names the portal', async () => {
    const page = await newPage('desktop');
    await signIn(page, '/app/settings/portal');
    await page.goto(`${portico.baseUrl}/app/settings/portal`);
    const banner = 'Closed on 1 May: replies on the 2nd.';
    await page.getByLabel('Banner message').fill(banner);
    const forwarding = page.getByLabel('Allow forwarding');
    const wasForwarding = await forwarding.isChecked();
    await forwarding.setChecked(!wasForwarding);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Preview portal' }).getAttribute('href'), '/portal/northwind/');
    const brand = await page.request.get(`${portico.baseUrl}/api/portal/northwind/brand`);
    assert.equal(((await brand.json()) as { banner: string }).banner, banner);
    const stored = await portico.ctx.db.kysely
      .selectFrom('organizations')
      .select('portalAllowForwarding')
      .where('id', '=', northwind)
      .executeTakeFirstOrThrow();
    assert.equal(stored.portalAllowForwarding, wasForwarding ? 0 : 1);
    await page.context().close();
  });

  test('a logo uploaded in Organization shows on the portal sign-in page', async () => {
    const page = await newPage('desktop');
    await signIn(page, '/app/settings/organization');
    await page.goto(`${portico.baseUrl}/app/settings/organization`);
    await page.getByRole('heading', { name: 'Logo' }).waitFor();
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: TINY_PNG });
    await page.getByText('The logo is saved.').waitFor();
    await page.getByRole('img', { name: /Logo of/ }).waitFor();
    await checkScreen(page, 'settings-organization-logo', 'desktop');

    const visitor = await portico.browser.newContext({ viewport: VIEWPORTS.desktop });
    const signInPage = await visitor.newPage();
    await signInPage.goto(`${portico.baseUrl}/portal/northwind/`);
    const logo = signInPage.locator('img[src*="/brand/logo"]').first();
    await logo.waitFor();
    assert.ok(await logo.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0), 'the logo loads');
    await visitor.close();
    await page.context().close();
  });

  test('"Download all data" in Organization gives the ZIP of the export; its customers are the API\'s', async () => {
    const page = await newPage('desktop');
    await signIn(page, '/app/settings/organization');
    await page.goto(`${portico.baseUrl}/app/settings/organization`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download all data' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^portico-export-northwind-.+\.zip$/);
    const files = unzip(await readFile(await download.path()));
    const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}');
    const customers = await page.request.get(`${portico.baseUrl}/api/v1/customers?limit=100`);
    const listed = ((await customers.json()) as { data: unknown[] }).data.length;
    assert.ok(listed > 0);
    assert.deepEqual(
      manifest.files.find((file: { name: string }) => file.name === 'customers.csv'),
      { name: 'customers.csv', rows: listed },
    );
    await page.context().close();
  });

  test('after inviting a contact, the Mailbox lists the invitation e-mail', async () => {
    const page = await newPage('desktop');
    await signIn(page, '/app/settings/mailbox');
    const owner = await ownerApi(page);
    const email = 'mira.invited@example.com';
    const created = await owner.post('/api/v1/customers', {
      displayName: 'Mailbox Test Co',
      contactPersons: [{ firstName: 'Mira', lastName: 'Stone', email }],
    });
    assert.equal(created.status(), 201, await created.text());
    const customer = (await created.json()) as { id: string; contactPersons: Array<{ id: string }> };
    const invited = await owner.post(
      `/api/v1/customers/${customer.id}/contact-persons/${customer.contactPersons[0]?.id}/portal-invitation`,
    );
    assert.equal(invited.status(), 200, await invited.text());
    await page.goto(`${portico.baseUrl}/app/settings/mailbox`);
    const row = page.getByRole('row').filter({ hasText: email });
    await row.waitFor();
    await row.getByRole('link').click();
    await page.getByText(email).first().waitFor();
    const text = await page.getByRole('button', { name: 'Plain text' });
    await text.click();
    const body = (await page.locator('pre.mail-text').textContent()) ?? '';
    assert.match(body, /accept-invitation#token=redacted/, 'the single-use link is redacted');
    await page.context().close();
  });
});

describe('first run in a browser: an empty database', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  before(async () => {
    portico = await startPorticoWithBrowser({ demo: false });
  });
  after(() => portico?.close());

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: the setup form instead of sign-in passes axe`, async () => {
      const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${portico.baseUrl}/app/`);
      await page.getByRole('heading', { name: 'Set up your organization' }).waitFor();
      assert.match(page.url(), /\/app\/setup$/);
      await checkScreen(page, 'setup', viewport);
      await context.close();
    });
  }

  test('set up → signed in on Home → create a first customer', async () => {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByRole('heading', { name: 'Set up your organization' }).waitFor();
    await page.getByLabel('Organization name').fill('Fresh Start Bakery');
    assert.equal(await page.getByLabel('Portal name').inputValue(), 'fresh-start-bakery');
    await page.getByLabel('Currency').fill('EUR');
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await page.getByLabel('Your name').fill('Greta Baker');
    await page.getByLabel('E-mail').fill('greta@fresh.example');
    // A common password is refused, the message tied to its field.
    await page.getByLabel('Password', { exact: true }).fill('password1234567890');
    await page.getByRole('button', { name: 'Create the organization' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
    await checkScreen(page, 'setup-error', 'desktop');
    await page.getByLabel('Password', { exact: true }).fill('seven quiet herons over the river');
    await page.getByRole('button', { name: 'Create the organization' }).click();
    await page.getByRole('heading', { name: 'Portal activity' }).waitFor();
    await page.getByText('Signed in as Greta Baker').waitFor({ state: 'attached' });
    await page.getByText('No portal activity yet.', { exact: false }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await page.goto(`${portico.baseUrl}/app/customers/new`);
    await page.getByRole('heading', { name: 'New customer' }).waitFor();
    await page.getByLabel('Display name').fill('First Customer Ltd');
    await page.getByRole('group', { name: 'Contact person 1' }).getByLabel('First name').fill('Ada');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByRole('heading', { name: 'First Customer Ltd', level: 1 }).waitFor();
    const organizations = await portico.ctx.db.kysely.selectFrom('organizations').select(['slug']).execute();
    assert.deepEqual(
      organizations.map((o) => o.slug),
      ['fresh-start-bakery'],
    );
    await context.close();
  });
});
