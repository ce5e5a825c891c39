/// <reference lib="dom" />
/**
 * The client portal's projects, statement and account screens in a real browser (Debian's Chromium through
 * playwright-core), on fresh demo data: each screen at desktop and phone width, checked by axe-core, with a
 * screenshot under test-results/screenshots/; and the invitation journey from the business's API to Home.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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
import { unzip } from '../support/zip.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';
/** Changes her password in this file, so that Alice's stays the demo one for the other tests. */
const CHLOE = 'chloe@harborpine.example';
const NEW_PASSWORD = 'a quiet harbor under seven pines';

describe('client portal: projects, statement and account in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  before(async () => {
    portico = await startPorticoWithBrowser();
  });
  after(() => portico?.close());

  async function newPage(viewport: keyof typeof VIEWPORTS): Promise<Page> {
    const context = await portico.browser.newContext({
      viewport: VIEWPORTS[viewport],
      locale: 'en-US',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function checkScreen(page: Page, name: string, viewport: keyof typeof VIEWPORTS) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} (${viewport}) has accessibility violations`);
    await screenshot(page, name, viewport);
  }

  async function signIn(page: Page, email = ALICE, password: string = DEMO_CLIENT_PASSWORD) {
    await page.goto(`${portico.baseUrl}/portal/northwind/`);
    await page.getByRole('heading', { name: 'Sign in to your client portal' }).waitFor();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
  }

  /** Opens the account menu (a disclosure in the navigation) and follows one of its links. */
  async function accountMenu(page: Page, item: string) {
    if (await page.getByRole('button', { name: 'More' }).isVisible()) return navigate(page, item);
    const button = page.getByRole('button', { name: 'Account' });
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await page.locator('#account-menu').getByRole('link', { name: item }).click();
  }

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: projects, a project's tasks, timesheet and comments`, async () => {
      const page = await newPage(viewport);
      await signIn(page);
      await navigate(page, 'Projects');
      await page.getByRole('heading', { name: 'Projects' }).waitFor();
      await page.getByRole('link', { name: 'Website redesign' }).waitFor();
      await checkScreen(page, 'projects', viewport);

      await page.getByRole('link', { name: 'Website redesign' }).click();
      await page.getByRole('heading', { name: 'Website redesign' }).waitFor();
      const tasks = page.getByRole('tabpanel', { name: 'Tasks' });
      await tasks.getByRole('rowheader', { name: 'Development' }).waitFor();
      await checkScreen(page, 'project-tasks', viewport);

      // The tabs are keyboard-operable: the right arrow moves to (and shows) the timesheet.
      await page.getByRole('tab', { name: 'Tasks' }).focus();
      await page.keyboard.press('ArrowRight');
      const timesheetTab = page.getByRole('tab', { name: 'Timesheet' });
      // React applies the key's effect on its next render: wait for it rather than racing it.
      await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Timesheet' }).waitFor();
      assert.equal(await timesheetTab.getAttribute('aria-selected'), 'true');
      assert.equal(await timesheetTab.evaluate((element) => element === document.activeElement), true);
      const timesheet = page.getByRole('tabpanel', { name: 'Timesheet' });
      await timesheet.getByText('Accessibility fixes').waitFor();
      const allEntries = await timesheet.locator('tbody tr').count();
      assert.equal(allEntries, 10, 'the demo project has ten billable entries');
      await checkScreen(page, 'project-timesheet', viewport);

      // The period filter: the last two weeks hold fewer entries than the whole project.
      const iso = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      await timesheet.getByLabel('From').fill(iso(-15));
      await timesheet.getByLabel('To').fill(iso(1));
      await timesheet.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/from=/);
      // The filtered rows replace the others once their request answers: wait for the change (up to 10 s).
      let filtered = allEntries;
      for (let tries = 0; tries < 100 && (filtered === 0 || filtered === allEntries); tries += 1) {
        await page.waitForTimeout(100);
        filtered = await timesheet.locator('tbody tr').count();
      }
      assert.ok(filtered > 0 && filtered < allEntries, `the filter keeps ${filtered} of ${allEntries}`);

      await page.getByRole('tab', { name: 'Comments' }).click();
      await page.getByRole('tabpanel', { name: 'Comments' }).getByText('We will go through them on Thursday').waitFor();
      await checkScreen(page, 'project-comments', viewport);
      await page.context().close();
    });

    test(`${viewport}: statement for this year, figures as the API gives them, PDF, CSV and print`, async () => {
      const page = await newPage(viewport);
      await signIn(page);
      await navigate(page, 'Statement');
      await page.getByRole('heading', { name: 'Statement of accounts' }).waitFor();
      await page.getByTestId('net-balance').waitFor();
      await checkScreen(page, 'statement', viewport);

      // The period lives in the URL: the radio is checked once the screen has followed it (check() would insist
      // on the new state at once and fail while the navigation is under way).
      const thisYear = page.getByRole('radio', { name: 'This year' });
      await thisYear.click();
      await page.waitForURL(/period=this_year/);
      await page.getByRole('radio', { name: 'This year', checked: true }).waitFor();
      const response = await page.request.get(`${portico.baseUrl}/api/portal/northwind/statement?period=this_year`);
      assert.equal(response.status(), 200);
      const statement = (await response.json()) as {
        summary: { currency: string; openingBalance: number; invoiced: number; received: number; balanceDue: number };
        lines: unknown[];
      };
      const money = (amount: number) => formatMoney(amount, statement.summary.currency, 'en-US');
      const summary = page.locator('.statement-summary');
      await page
        .locator('.statement-lines tbody tr')
        .nth(statement.lines.length - 1)
        .waitFor();
      assert.equal(await page.locator('.statement-lines tbody tr').count(), statement.lines.length);
      // The closing balance is the net balance: an amount due, or credit in the client's favour — never negative.
      const net = statement.summary.balanceDue;
      assert.equal(
        (await page.getByTestId('net-balance').textContent())?.trim(),
        net > 0 ? `${money(net)} due` : net < 0 ? `Credit ${money(-net)} in your favour` : money(0),
      );
      for (const [label, amount] of [
        ['Opening balance', statement.summary.openingBalance],
        ['Invoiced', statement.summary.invoiced],
        ['Received', statement.summary.received],
      ] as const) {
        const row = summary.locator('.totals-row', { hasText: label });
        assert.equal((await row.locator('dd').textContent())?.trim(), money(amount), label);
      }
      // The net balance is the largest figure on the page.
      const sizeOf = (selector: string) =>
        page
          .locator(selector)
          .first()
          .evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));
      assert.ok((await sizeOf('[data-testid="net-balance"]')) > (await sizeOf('.statement-summary dd')));
      await checkScreen(page, 'statement-this-year', viewport);

      const [pdf] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download PDF' }).click(),
      ]);
      const pdfBytes = await readFile(await pdf.path());
      assert.equal(pdfBytes.subarray(0, 4).toString('latin1'), '%PDF');
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV' }).click(),
      ]);
      assert.match(csv.suggestedFilename(), /\.csv$/);

      // Print: the statement alone, without the navigation or the buttons.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false);
      assert.equal(await page.getByRole('link', { name: 'Download PDF' }).isVisible(), false);
      assert.equal(await page.getByTestId('net-balance').isVisible(), true);
      await screenshot(page, 'statement-print', viewport);
      await page.emulateMedia({ media: 'screen' });
      await page.context().close();
    });

    test(`${viewport}: my details, change password and rate us`, async () => {
      const page = await newPage(viewport);
      await signIn(page);
      await accountMenu(page, 'My details');
      await page.getByRole('heading', { name: 'My details' }).waitFor();
      await checkScreen(page, 'my-details', viewport);
      const billing = page.getByRole('group', { name: 'Billing address' });

      if (viewport === 'desktop') {
        // The menu closes with Escape and gives the focus back to its button.
        const button = page.getByRole('button', { name: 'Account' });
        await button.click();
        await page.locator('#account-menu').getByRole('link', { name: 'My details' }).focus();
        await page.keyboard.press('Escape');
        assert.equal(await button.getAttribute('aria-expanded'), 'false');
        assert.equal(await button.evaluate((element) => element === document.activeElement), true);

        // An error the server finds is tied to its field.
        const firstName = page.getByLabel('First name');
        await firstName.fill('');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Please check the fields marked below.').waitFor();
        assert.equal(await firstName.getAttribute('aria-invalid'), 'true');
        const describedBy = (await firstName.getAttribute('aria-describedby')) ?? '';
        assert.ok((await page.locator(`[id="${describedBy}"]`).textContent())?.length);
        await checkScreen(page, 'my-details-error', viewport);
        await firstName.fill('Alice');

        await billing.getByLabel('Street', { exact: true }).fill('77 Baker Lane');
        await billing.getByLabel('City').fill('Eugene');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Your details are saved.').waitFor();
        const customer = await portico.ctx.db.kysely
          .selectFrom('customers')
          .select('billingAddress')
          .where('displayName', '=', 'Bluebird Bakery')
          .executeTakeFirstOrThrow();
        const address = JSON.parse(customer.billingAddress) as Record<string, string>;
        assert.equal(address.street1, '77 Baker Lane');
        assert.equal(address.city, 'Eugene');
        assert.equal(address.postalCode, '97204', 'the lines left alone stay');
        assert.equal(await page.getByLabel('First name').inputValue(), 'Alice');

        // "Download my data": a ZIP whose profile holds the details just saved (docs/export.md).
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Download my data' }).click(),
        ]);
        assert.match(download.suggestedFilename(), /^my-data-.+\.zip$/);
        const files = unzip(await readFile(await download.path()));
        const profile = JSON.parse(files.get('profile.json')?.toString('utf8') ?? '{}');
        assert.equal(profile.customer.billingAddress.street1, '77 Baker Lane');
        assert.ok(files.has('manifest.json') && files.has('invoices.csv'));
      }

      await accountMenu(page, 'Change password');
      await page.getByRole('heading', { name: 'Change password' }).waitFor();
      await page.getByLabel('New password').fill('a long phrase that is hard to guess');
      await page.getByText('Strength: good').or(page.getByText('Strength: strong')).waitFor();
      await checkScreen(page, 'change-password', viewport);

      await accountMenu(page, 'Rate us');
      await page.getByRole('heading', { name: 'Rate us' }).waitFor();
      await checkScreen(page, 'rate-us', viewport);
      if (viewport === 'desktop') {
        await page.getByRole('radio', { name: '4 out of 5' }).check();
        // Arrow keys move the rating, as in any radio group.
        await page.keyboard.press('ArrowRight');
        assert.equal(await page.getByRole('radio', { name: '5 out of 5' }).isChecked(), true);
        await page.getByLabel('Comment (optional)').fill('Friendly, fast and on budget.');
        await page.getByRole('button', { name: 'Send' }).click();
        await page.getByText('Thank you! Your review is sent.').waitFor();
        await page.getByText(/You rated Northwind Studio 5 out of 5 on/).waitFor();
        const reviews = await portico.ctx.db.kysely.selectFrom('reviews').select(['rating', 'comment']).execute();
        assert.deepEqual(reviews, [{ rating: 5, comment: 'Friendly, fast and on budget.' }]);
        await checkScreen(page, 'rate-us-sent', viewport);
      } else {
        // The review sent on the desktop is the one shown.
        await page.getByText(/You rated Northwind Studio 5 out of 5 on/).waitFor();
        assert.equal(await page.getByRole('radio', { name: '5 out of 5' }).isChecked(), true);
      }
      await page.context().close();
    });
  }

  test('change the password, sign out, sign in with the new one (the old one no longer works)', async () => {
    const page = await newPage('desktop');
    await signIn(page, CHLOE);
    await accountMenu(page, 'Change password');
    await page.getByLabel('Current password').fill('not my password at all, sorry');
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    const current = page.getByLabel('Current password');
    await page.getByText('This is not your current password.').first().waitFor();
    assert.equal(await current.getAttribute('aria-invalid'), 'true');

    await current.fill(DEMO_CLIENT_PASSWORD);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed.').waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your client portal' }).waitFor();

    await page.getByLabel('E-mail').fill(CHLOE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await signIn(page, CHLOE, NEW_PASSWORD);
    await page.context().close();
  });

  test('the invitation journey: the business invites a contact person, who chooses a password and lands on Home', async () => {
    // The business, through its API, as the back office would.
    const owner = await businessSession(portico.baseUrl, 'owner@northwind.example', DEMO_PASSWORDS.owner);

    const customer = await portico.ctx.db.kysely
      .selectFrom('customers')
      .select('id')
      .where('displayName', '=', 'Lumen Dental Group')
      .executeTakeFirstOrThrow();
    const email = 'priya@lumendental.example';
    const created = await owner.call('POST', `/api/v1/customers/${customer.id}/contact-persons`, {
      firstName: 'Priya',
      lastName: 'Shah',
      email,
    });
    assert.equal(created.status, 201, await created.clone().text());
    const person = (await created.json()) as { id: string };
    const invited = await owner.call(
      'POST',
      `/api/v1/customers/${customer.id}/contact-persons/${person.id}/portal-invitation`,
    );
    assert.equal(invited.status, 200, await invited.clone().text());

    const message = await portico.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('textBody')
      .where('toAddress', '=', email)
      .where('template', '=', 'portalInvitation')
      .executeTakeFirstOrThrow();
    const link = /(https?:\/\/\S+\/accept-invitation#token=[A-Za-z0-9_-]+)/.exec(message.textBody)?.[1];
    assert.ok(link, 'the invitation carries an accept-invitation link');
    assert.ok(link.startsWith(`${portico.baseUrl}/portal/northwind/`), 'the link is on the public URL');

    // The client, in the browser.
    for (const viewport of ['phone'] as const) {
      const page = await newPage(viewport);
      await page.goto(link);
      await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
      await checkScreen(page, 'accept-invitation', viewport);
      await page.getByLabel('New password').fill('lumen smiles brighter every tuesday');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByRole('heading', { name: 'Net balance' }).waitFor();
      await page.getByText('Signed in as Priya Shah').waitFor({ state: 'attached' });
      await checkScreen(page, 'home-after-invitation', viewport);
      await page.context().close();

      // The link opened again (a second click in the e-mail): it says it was used, before asking for a password,
      // and offers the way on.
      const again = await newPage(viewport);
      await again.goto(link);
      await again.getByText('This invitation has already been used or has expired.', { exact: false }).waitFor();
      assert.equal(await again.getByLabel('New password').count(), 0, 'no password form for a used link');
      await again.getByRole('link', { name: 'Forgot your password?' }).waitFor();
      await checkScreen(again, 'accept-invitation-used', viewport);
      await again.context().close();
    }
  });
});
