/// <reference lib="dom" />
/**
 * The back office (`/app/…`) in a real browser (Debian's Chromium through playwright-core), on the demo data:
 * every screen at desktop and phone width, checked by axe-core, with a screenshot of each under
 * test-results/screenshots/ (named `backoffice-…`).
 */
import assert from 'node:assert/strict';
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

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const OWNER = 'owner@northwind.example';

describe('back office in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let northwind: string;
  before(async () => {
    portico = await startPorticoWithBrowser();
    const org = await portico.ctx.db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', 'northwind')
      .executeTakeFirstOrThrow();
    northwind = org.id;
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
    await screenshot(page, `backoffice-${name}`, viewport);
  }

  async function signIn(page: Page, viewport: keyof typeof VIEWPORTS, path = '/app/') {
    await page.goto(`${portico.baseUrl}${path}`);
    await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
    await checkScreen(page, 'sign-in', viewport);
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const contactPerson = (email: string) =>
    portico.ctx.db.kysely
      .selectFrom('contactPersons')
      .select(['id', 'customerId', 'portalStatus'])
      .where('email', '=', email)
      .where('organizationId', '=', northwind)
      .executeTakeFirstOrThrow();

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: sign in, customers (search, Bluebird Bakery), invoices, estimates, reviews, sign out`, async () => {
      const page = await newPage(viewport);
      await signIn(page, viewport);
      // Signing in lands on Home; Customers is one click away.
      await page.getByRole('heading', { name: 'Portal activity' }).waitFor();
      await page.goto(`${portico.baseUrl}/app/customers`);
      await page.getByRole('heading', { name: 'Customers' }).waitFor();
      await page.getByText('Signed in as Nora Winters').waitFor({ state: 'attached' });
      await page.getByRole('link', { name: 'Bluebird Bakery' }).waitFor();
      await checkScreen(page, 'customers', viewport);

      await page.getByLabel('Search customers').fill('harbor');
      await page.getByRole('button', { name: 'Search' }).click();
      // Harbor & Pine is in the unfiltered list too: the filtered answer is the one without Bluebird Bakery.
      await page.getByRole('link', { name: 'Bluebird Bakery' }).waitFor({ state: 'detached' });
      await page.getByRole('link', { name: 'Harbor & Pine Architects' }).waitFor();
      assert.match(page.url(), /\?q=harbor$/);
      await page.getByLabel('Search customers').fill('nothing like this');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByText('No customer matches “nothing like this”.').waitFor();
      await page.getByLabel('Search customers').fill('bluebird');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'Bluebird Bakery' }).click();

      await page.getByRole('heading', { name: 'Bluebird Bakery', level: 1 }).waitFor();
      const rows = page.getByRole('table').getByRole('row');
      await rows.filter({ hasText: 'Alice Martin' }).getByText('Active').waitFor();
      await rows.filter({ hasText: 'Ben Ortiz' }).getByText('Invited').first().waitFor();
      await page.getByRole('button', { name: 'Re-invite Ben Ortiz to the client portal' }).waitFor();
      await page.getByRole('button', { name: 'Disable portal access for Alice Martin' }).waitFor();
      await checkScreen(page, 'customer', viewport);

      await page.getByRole('link', { name: 'Invoices', exact: true }).click();
      await page.getByRole('heading', { name: 'Invoices', exact: true }).waitFor();
      await page.getByRole('table').getByRole('link').first().waitFor();
      await page
        .getByText(/^Viewed by Alice Martin on /)
        .first()
        .waitFor({ state: 'attached' });
      await checkScreen(page, 'invoices', viewport);
      await page.getByRole('link', { name: 'Overdue' }).click();
      // The unfiltered table stays until the filtered page arrives, and it has overdue rows too: wait for the page
      // whose rows are all overdue (a timeout here means the filter let others through).
      await page.waitForFunction(() => {
        const pills = [...document.querySelectorAll('table tbody .pill')].map((pill) => pill.textContent);
        return pills.length > 0 && pills.every((status) => status === 'Overdue');
      });
      const statuses = await page.getByRole('table').locator('tbody .pill').allTextContents();
      assert.ok(statuses.length > 0 && statuses.every((status) => status === 'Overdue'), statuses.join(', '));

      await page.getByRole('link', { name: 'Estimates', exact: true }).click();
      await page.getByRole('heading', { name: 'Estimates' }).waitFor();
      await page.getByRole('link', { name: 'Accepted' }).click();
      await page.getByRole('table').getByText('Accepted').first().waitFor();
      await checkScreen(page, 'estimates', viewport);
      await page.getByRole('table').getByRole('link').first().click();
      await page.getByRole('heading', { name: /^Estimate / }).waitFor();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      await page.locator('.timeline li').first().waitFor();
      await checkScreen(page, 'estimate', viewport);

      await page.getByRole('link', { name: 'Reviews', exact: true }).click();
      await page.getByText('Lovely to work with: clear estimates and always on time.').waitFor();
      await page.getByText('5 of 5 stars').first().waitFor({ state: 'attached' });
      // One review reads as one (Intl.PluralRules), not "1 reviews".
      await page.getByText('1 review, average 5 of 5').waitFor();
      await checkScreen(page, 'reviews', viewport);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
      await page.goto(`${portico.baseUrl}/app/customers`);
      await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
      await page.context().close();
    });
  }

  test('a wrong password is refused; after sign-in the user lands where they were going', async () => {
    const page = await newPage('desktop');
    await page.goto(`${portico.baseUrl}/app/reviews`);
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The e-mail or password is not right.').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Reviews' }).waitFor();
    assert.match(page.url(), /\/app\/reviews$/);
    await page.context().close();
  });

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: create a customer with a contact person, invite them, disable them; edit the customer`, async () => {
      const page = await newPage(viewport);
      await signIn(page, viewport, '/app/customers/new');
      await page.getByRole('heading', { name: 'New customer' }).waitFor();
      // Nothing filled in: the required fields say so, tied to their inputs.
      await page.getByRole('button', { name: 'Create customer' }).click();
      await page.getByRole('alert').getByText('Please correct the fields marked below.').waitFor();
      assert.equal(await page.getByLabel('Display name').getAttribute('aria-invalid'), 'true');
      await checkScreen(page, 'customer-new', viewport);

      const name = `Juniper Florists ${viewport}`;
      const email = `june.${viewport}@juniper.example`;
      await page.getByLabel('Display name').fill(name);
      await page.getByLabel('Company name').fill('Juniper Florists LLC');
      await page.getByLabel('E-mail').first().fill(`shop.${viewport}@juniper.example`);
      const contact = page.getByRole('group', { name: 'Contact person 1' });
      await contact.getByLabel('First name').fill('June');
      await contact.getByLabel('Last name').fill('Park');
      await contact.getByLabel('E-mail').fill(email);
      await page.getByRole('button', { name: 'Create customer' }).click();

      await page.getByRole('heading', { name, level: 1 }).waitFor();
      const row = page.getByRole('table').getByRole('row').filter({ hasText: 'June Park' });
      await row.getByText('Not invited').waitFor();
      await checkScreen(page, 'customer-created', viewport);

      // Invite: the status changes and the invitation e-mail waits in the outbox.
      await page.getByRole('button', { name: 'Invite June Park to the client portal' }).click();
      await page.getByRole('status').getByText(`Invitation sent to ${email}.`).waitFor();
      await row.getByText('Invited', { exact: true }).waitFor();
      const mail = await portico.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select(['subject', 'textBody'])
        .where('toAddress', '=', email)
        .execute();
      assert.equal(mail.length, 1, 'one invitation e-mail');
      assert.match(mail[0]?.textBody ?? '', /\/portal\/northwind\//);
      assert.equal((await contactPerson(email)).portalStatus, 'invited');
      await checkScreen(page, 'customer-invited', viewport);

      // Disable, after confirming.
      await page.getByRole('button', { name: 'Disable portal access for June Park' }).click();
      const question = page.getByRole('dialog');
      await question.getByText('June Park', { exact: false }).waitFor();
      await checkScreen(page, 'customer-disable-confirm', viewport);
      await question.getByRole('button', { name: 'Disable' }).click();
      await page.getByRole('status').getByText('Portal access disabled for June Park.', { exact: false }).waitFor();
      await row.getByText('Disabled').waitFor();
      assert.equal((await contactPerson(email)).portalStatus, 'disabled');
      await page.getByRole('button', { name: 'Invite June Park to the client portal' }).waitFor();

      // Edit: the customer's phone, and a second contact person.
      await page.getByRole('link', { name: 'Edit customer' }).click();
      await page.getByRole('heading', { name: `Edit ${name}` }).waitFor();
      await page.getByLabel('Phone').first().fill('+1 503 555 0199');
      await page.getByRole('button', { name: 'Add a contact person' }).click();
      await page.getByRole('group', { name: 'Contact person 2' }).getByLabel('First name').fill('Omar');
      await checkScreen(page, 'customer-edit', viewport);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      await page.getByText('+1 503 555 0199').waitFor();
      await page.getByRole('table').getByRole('row').filter({ hasText: 'Omar' }).getByText('Not invited').waitFor();
      await page.getByRole('link', { name: 'Customers', exact: true }).click();
      await page.getByRole('link', { name }).waitFor();
      await page.context().close();
    });
  }

  test('an invoice the client viewed: "Viewed by …", its history, and a reply shown in the portal', async () => {
    const alice = await contactPerson('alice@bluebird-bakery.example');
    const viewed = await portico.ctx.db.kysely
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('organizationId', '=', northwind)
      .where('viewedByContactPersonId', '=', alice.id)
      .executeTakeFirstOrThrow();
    for (const viewport of JOURNEY_VIEWPORTS) {
      const page = await newPage(viewport);
      await signIn(page, viewport, `/app/invoices/${viewed.id}`);
      await page.getByRole('heading', { name: `Invoice ${viewed.number}` }).waitFor();
      await page.getByText(/^Viewed by Alice Martin on .+2\d{3}/).waitFor();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      await page.locator('.timeline li').first().waitFor();
      await page.getByRole('heading', { name: 'Comments' }).waitFor();
      assert.equal(await page.getByLabel('Display in client portal').isChecked(), false, 'unticked by default');

      if (viewport === 'desktop') {
        const text = 'Thanks Alice — the receipt is attached to your portal.';
        await page.getByLabel('Your reply').fill(text);
        await page.getByLabel('Display in client portal').check();
        await page.getByRole('button', { name: 'Add comment' }).click();
        const posted = page.locator('.comment').filter({ hasText: text });
        await posted.getByText('Visible to the client').waitFor();
        assert.equal(await page.getByLabel('Display in client portal').isChecked(), false, 'unticked again');
        // An internal note is marked so. While it is being sent (its request held here) the composer is held too:
        // nothing can be typed or ticked that the sent comment would then wipe.
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        await page.route(`**/api/v1/invoices/${viewed.id}/comments`, async (route) =>
          route.request().method() === 'POST' ? held.then(() => route.continue()) : route.continue(),
        );
        await page.getByLabel('Your reply').fill('Internal: chase the PO number.');
        await page.getByRole('button', { name: 'Add comment' }).click();
        await page.locator('fieldset.comment-fields[disabled]').waitFor();
        assert.equal(await page.getByLabel('Your reply').isEditable(), false, 'the reply is held while it is sent');
        assert.equal(await page.getByLabel('Display in client portal').isEnabled(), false, 'so is its box');
        release();
        await page
          .locator('.comment')
          .filter({ hasText: 'Internal: chase' })
          .getByText('Internal', { exact: true })
          .waitFor();
        await page.unroute(`**/api/v1/invoices/${viewed.id}/comments`);
        assert.equal(await page.getByLabel('Your reply').inputValue(), '', 'cleared once sent');
        assert.equal(await page.getByLabel('Your reply').isEditable(), true, 'and free again');

        const stored = await portico.ctx.db.kysely
          .selectFrom('comments')
          .select(['text', 'shownInPortal'])
          .where('subjectId', '=', viewed.id)
          .where('text', 'in', [text, 'Internal: chase the PO number.'])
          .execute();
        assert.deepEqual(stored.map((comment) => [comment.text, Number(comment.shownInPortal)]).sort(), [
          ['Internal: chase the PO number.', 0],
          [text, 1],
        ]);
        // The client sees the reply marked for the portal, and not the internal one.
        const client = (await portico.browser.newContext()).request;
        const signedIn = await client.post(`${portico.baseUrl}/api/portal/northwind/session`, {
          data: { email: 'alice@bluebird-bakery.example', password: DEMO_CLIENT_PASSWORD },
        });
        assert.equal(signedIn.status(), 200, await signedIn.text());
        const comments = await client.get(`${portico.baseUrl}/api/portal/northwind/invoices/${viewed.id}/comments`);
        assert.equal(comments.status(), 200);
        const texts = ((await comments.json()) as { data: Array<{ text: string }> }).data.map((c) => c.text);
        assert.ok(texts.includes(text), 'the client sees the reply');
        assert.ok(!texts.includes('Internal: chase the PO number.'), 'the client does not see the internal note');
        await client.dispose();
      }
      await checkScreen(page, 'invoice', viewport);
      await page.context().close();
    }
  });

  test('an unknown invoice shows "Page not found"', async () => {
    const page = await newPage('desktop');
    await signIn(page, 'desktop', '/app/invoices/inv_doesnotexist');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.context().close();
  });
});
