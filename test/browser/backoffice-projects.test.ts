/// <reference lib="dom" />
/**
 * The back office's projects in a real browser, on the demo data, with the client (Alice Martin of Bluebird
 * Bakery) in a second browser context: a project created through the form, a task added, time logged, corrected
 * and deleted, the hours totals, the unbilled time invoiced; then the comment threads of a project and of a
 * retainer invoice, where only the reply marked "Display in client portal" reaches the client. Every screen passes axe at
 * desktop and phone width and gets a screenshot (`backoffice-…`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  looksTestsUnavailable,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const OWNER = 'owner@northwind.example';
const ALICE = 'alice@bluebird-bakery.example';

describe('back office projects and comment threads in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let bluebird: string;
  let business: Page;
  let client: Page;
  let projectId = '';
  const contexts: BrowserContext[] = [];
  /** Pages visited, checked again at phone width. */
  const screens: Array<[string, string]> = [];

  before(async () => {
    portico = await startPorticoWithBrowser();
    const customer = await portico.ctx.db.kysely
      .selectFrom('customers')
      .select('id')
      .where('displayName', '=', 'Bluebird Bakery')
      .executeTakeFirstOrThrow();
    bluebird = customer.id;
    business = await newPage('desktop');
    await signInToBackOffice(business);
    client = await newPage('desktop');
    await client.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    await client.getByLabel('E-mail').fill(ALICE);
    await client.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await client.getByRole('button', { name: 'Sign in' }).click();
    await client.getByRole('heading', { name: 'Net balance' }).waitFor();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await portico?.close();
  });

  async function newPage(viewport: keyof typeof VIEWPORTS): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function signInToBackOffice(page: Page) {
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portal activity' }).waitFor();
  }

  async function checkScreen(page: Page, name: string, viewport: keyof typeof VIEWPORTS, revisit = page.url()) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} (${viewport}) has accessibility violations`);
    await screenshot(page, `backoffice-${name}`, viewport);
    if (viewport === 'desktop') screens.push([name, revisit]);
  }

  /** The client's portal API, called from the client's signed-in browser context (cookie and CSRF token). */
  async function portal(method: string, path: string, body?: unknown) {
    return client.evaluate(
      async ({ method, path, body }) => {
        const session = await (await fetch('/api/portal/northwind/session')).json();
        const response = await fetch(`/api/portal/northwind${path}`, {
          method,
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, body: await response.json() };
      },
      { method, path, body },
    );
  }

  /** The hours summary of a project as { Logged: '4', Unbilled: '4', … }. */
  async function hoursOf(page: Page): Promise<Record<string, string>> {
    return page
      .locator('.hours-summary')
      .evaluate((list) =>
        Object.fromEntries(
          Array.from(list.querySelectorAll('div')).map((pair) => [
            pair.querySelector('dt')?.textContent ?? '',
            pair.querySelector('dd')?.textContent ?? '',
          ]),
        ),
      );
  }

  /** A reply through the comment composer, with or without "Display in client portal". */
  async function reply(page: Page, text: string, showInPortal: boolean) {
    await page.getByLabel('Your reply').fill(text);
    const box = page.getByLabel('Display in client portal');
    assert.equal(await box.isChecked(), false, 'the portal box starts unticked');
    if (showInPortal) await box.check();
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.locator('.comment', { hasText: text }).waitFor();
    const pill = showInPortal ? 'Visible to the client' : 'Internal';
    await page.locator('.comment', { hasText: text }).locator('.pill', { hasText: pill }).waitFor();
  }

  test('a project: created through the form, a task added, time logged and corrected, hours totalled, invoiced', async () => {
    await business.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await business.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    const demoRow = business.getByRole('row').filter({ hasText: 'Website redesign' });
    await demoRow.waitFor();
    assert.match((await demoRow.textContent()) ?? '', /Bluebird Bakery/);
    assert.match((await demoRow.textContent()) ?? '', /Each task at its own hourly rate/);
    assert.match((await demoRow.textContent()) ?? '', /32\.25/, 'the demo timesheet: 32.25 hours logged');
    await checkScreen(business, 'projects', 'desktop');

    await business.getByRole('link', { name: 'New project' }).click();
    await business.getByRole('heading', { name: 'New project' }).waitFor();
    await checkScreen(business, 'project-form', 'desktop');
    // Saving with nothing filled names the missing fields.
    await business.getByRole('button', { name: 'Create project' }).click();
    await business.getByRole('alert').filter({ hasText: 'Please correct the fields marked below.' }).waitFor();
    await business.getByLabel('Customer').selectOption(bluebird);
    await business.getByLabel('Project name').fill('Spring menu photos');
    await business.getByLabel('Description').fill('Photos of the new pastries for the menu and the website.');
    await business.getByLabel('Billing method').selectOption('project_hours');
    await business.getByLabel('Hourly rate (USD)').fill('80');
    await business.getByRole('button', { name: 'Create project' }).click();
    await business.getByRole('heading', { name: 'Spring menu photos', level: 1 }).waitFor();
    projectId = business.url().split('/').pop() ?? '';
    await business.getByText('No tasks yet.', { exact: false }).waitFor();
    await business.getByText('Add a task first', { exact: false }).waitFor();

    await business.getByRole('button', { name: 'Add a task' }).click();
    await business.locator('#f-task-name').fill('Photo shoot');
    await business.getByRole('button', { name: 'Add task' }).click();
    await business.getByText('Task Photo shoot added.').waitFor();
    await business.getByRole('row').filter({ hasText: 'Photo shoot' }).waitFor();

    const timesheet: Array<[string, string]> = [
      ['1:30', 'Shoot at the bakery'],
      ['2.5', 'Retouching'],
    ];
    for (const [hours, notes] of timesheet) {
      await business.getByRole('button', { name: 'Log time', exact: true }).click();
      await business.getByLabel('Task', { exact: true }).selectOption({ label: 'Photo shoot' });
      await business.getByRole('textbox', { name: 'Hours' }).fill(hours);
      await business.getByLabel('Notes').fill(notes);
      await business.getByRole('button', { name: 'Log time', exact: true }).click();
      await business.getByRole('row').filter({ hasText: notes }).waitFor();
    }
    await business.locator('.hours-summary dd', { hasText: /^4$/ }).first().waitFor();
    assert.deepEqual(await hoursOf(business), { Logged: '4', Billable: '4', Billed: '0', Unbilled: '4' });
    await business.locator('.amount-due', { hasText: '$320.00' }).waitFor();

    // An unbilled entry can be corrected: 1:30 becomes 2 hours.
    const shoot = business.getByRole('row').filter({ hasText: 'Shoot at the bakery' });
    await shoot.getByRole('button', { name: /^Edit the time entry of .* on Photo shoot$/ }).click();
    assert.equal(await business.getByRole('textbox', { name: 'Hours' }).inputValue(), '1:30');
    await business.getByRole('textbox', { name: 'Hours' }).fill('2');
    await business.getByRole('button', { name: 'Save', exact: true }).click();
    await business.getByText('Time entry saved.').waitFor();
    await business.locator('.amount-due', { hasText: '$360.00' }).waitFor();
    assert.deepEqual(await hoursOf(business), { Logged: '4.5', Billable: '4.5', Billed: '0', Unbilled: '4.5' });

    // An entry logged by mistake is deleted, once confirmed in the dialog.
    await business.getByRole('button', { name: 'Log time', exact: true }).click();
    await business.getByLabel('Task', { exact: true }).selectOption({ label: 'Photo shoot' });
    await business.getByRole('textbox', { name: 'Hours' }).fill('1');
    await business.getByLabel('Notes').fill('Logged by mistake');
    await business.getByRole('button', { name: 'Log time', exact: true }).click();
    const mistake = business.getByRole('row').filter({ hasText: 'Logged by mistake' });
    await mistake.waitFor();
    await business.locator('.amount-due', { hasText: '$440.00' }).waitFor();
    await mistake.getByRole('button', { name: /^Delete the time entry of .* on Photo shoot$/ }).click();
    await business.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await business.getByText('Time entry deleted.').waitFor();
    await mistake.waitFor({ state: 'detached' });
    await business.locator('.amount-due', { hasText: '$360.00' }).waitFor();
    await checkScreen(business, 'project', 'desktop');

    // The unbilled time becomes a draft invoice; the entries are billed and can no longer change.
    await business.getByRole('button', { name: 'Create invoice from unbilled time' }).click();
    await business.getByRole('heading', { name: /^Invoice INV-/ }).waitFor();
    await business.locator('.document .totals-row.strong dd', { hasText: '$360.00' }).first().waitFor();
    await business.goto(`${portico.baseUrl}/app/projects/${projectId}`);
    await business.getByRole('heading', { name: 'Spring menu photos', level: 1 }).waitFor();
    await business
      .locator('.hours-summary dd', { hasText: /^4\.5$/ })
      .first()
      .waitFor();
    assert.deepEqual(await hoursOf(business), { Logged: '4.5', Billable: '4.5', Billed: '4.5', Unbilled: '0' });
    await business.getByRole('row').filter({ hasText: 'Retouching' }).getByText('Invoiced').waitFor();
    assert.equal(await business.getByRole('button', { name: /^Edit the time entry/ }).count(), 0);
    assert.equal(await business.getByRole('button', { name: 'Create invoice from unbilled time' }).count(), 0);

    await business.getByRole('link', { name: 'Edit', exact: true }).click();
    await business.getByRole('heading', { name: 'Edit Spring menu photos' }).waitFor();
    assert.equal(await business.getByLabel('Hourly rate (USD)').inputValue(), '80.00');
    await checkScreen(business, 'project-edit', 'desktop');
  });

  test('project comments: only the reply marked "Display in client portal" reaches the client', async () => {
    assert.ok(projectId, 'the project of the first test');
    const asked = await portal('POST', `/projects/${projectId}/comments`, { text: 'Can we see the shots first?' });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));

    await business.goto(`${portico.baseUrl}/app/projects/${projectId}`);
    const question = business.locator('.comment', { hasText: 'Can we see the shots first?' });
    await question.locator('.pill', { hasText: 'Client' }).waitFor();
    await reply(business, 'Check the light meter before Friday.', false);
    await reply(business, 'Yes: the proofs will be ready on Friday.', true);
    await business.getByRole('heading', { name: 'History' }).waitFor();
    await checkScreen(business, 'project-comments', 'desktop');

    const thread = await portal('GET', `/projects/${projectId}/comments`);
    assert.equal(thread.status, 200, JSON.stringify(thread.body));
    assert.deepEqual(
      thread.body.data.map((comment: { text: string }) => comment.text),
      ['Can we see the shots first?', 'Yes: the proofs will be ready on Friday.'],
    );
    await client.goto(`${portico.baseUrl}/portal/northwind/projects/${projectId}`);
    await client.getByRole('heading', { name: /Spring menu photos/ }).waitFor();
  });

  test('retainer invoice comments and history: only the reply marked for the portal reaches the client', async () => {
    const retainer = await portico.ctx.db.kysely
      .selectFrom('retainerInvoices')
      .select('id')
      .where('customerId', '=', bluebird)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    const asked = await portal('POST', `/retainer-invoices/${retainer.id}/comments`, {
      text: 'Is this due this month?',
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    await business.goto(`${portico.baseUrl}/app/retainers/${retainer.id}`);
    await business.getByRole('heading', { name: /^Retainer invoice / }).waitFor();
    const question = business.locator('.comment', { hasText: 'Is this due this month?' });
    await question.locator('.pill', { hasText: 'Client' }).waitFor();
    await business.getByRole('heading', { name: 'History' }).waitFor();
    await business.locator('.history .timeline li').first().waitFor();
    await reply(business, 'Remind them at the end of the month.', false);
    await reply(business, 'Thank you! This covers the next quarter.', true);
    await checkScreen(business, 'retainer-comments', 'desktop');

    const thread = await portal('GET', `/retainer-invoices/${retainer.id}/comments`);
    assert.equal(thread.status, 200, JSON.stringify(thread.body));
    const texts = thread.body.data.map((comment: { text: string }) => comment.text);
    assert.ok(texts.includes('Is this due this month?'), JSON.stringify(texts));
    assert.ok(texts.includes('Thank you! This covers the next quarter.'), JSON.stringify(texts));
    assert.ok(!texts.includes('Remind them at the end of the month.'), 'an internal reply stays internal');
  });

  // Screens revisited only for their looks: on the PostgreSQL pass there is nothing to check (no axe, no screenshot).
  test('phone: every screen passes axe', {
    skip: looksTestsUnavailable('phone-width looks are checked on the SQLite pass') ?? false,
  }, async () => {
    const page = await newPage('phone');
    await signInToBackOffice(page);
    for (const [name, url] of screens) {
      await page.goto(url);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('.skeleton').first().waitFor({ state: 'detached' });
      await checkScreen(page, name, 'phone');
    }
  });
});
