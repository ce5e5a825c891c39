/// <reference lib="dom" />
/**
 * Time approval in two real browsers, on the demo data (docs/time-approval.md): the business creates a project
 * that asks the client to approve time and logs three entries; the client (Alice Martin of Bluebird Bakery)
 * approves one and queries another in the portal's "Time to approve"; the business sees the states and the
 * query, answers it, and invoices: the invoice bills the approved time only. Every screen passes axe and gets a
 * screenshot (`time-approval-…`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

describe('time approval in a browser, the business and its client', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let business: Page;
  let client: Page;
  let projectId = '';
  const contexts: BrowserContext[] = [];

  before(async () => {
    portico = await startPorticoWithBrowser();
    business = await newPage();
    await business.goto(`${portico.baseUrl}/app/sign-in`);
    await business.getByLabel('E-mail').fill('owner@northwind.example');
    await business.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await business.getByRole('button', { name: 'Sign in' }).click();
    await business.getByRole('heading', { name: 'Portal activity' }).waitFor();
    client = await newPage();
    await client.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    await client.getByLabel('E-mail').fill('alice@bluebird-bakery.example');
    await client.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await client.getByRole('button', { name: 'Sign in' }).click();
    await client.getByRole('heading', { name: 'Net balance' }).waitFor();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await portico?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function check(page: Page, name: string) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} has accessibility violations`);
    await screenshot(page, `time-approval-${name}`, 'desktop');
  }

  const businessRow = (notes: string): Locator => business.getByRole('row').filter({ hasText: notes });

  test('the business turns approval on for a new project and logs time; each entry awaits approval', async () => {
    await business.goto(`${portico.baseUrl}/app/projects/new`);
    await business.getByRole('heading', { name: 'New project' }).waitFor();
    const customer = await portico.ctx.db.kysely
      .selectFrom('customers')
      .select('id')
      .where('displayName', '=', 'Bluebird Bakery')
      .executeTakeFirstOrThrow();
    await business.getByLabel('Customer').selectOption(customer.id);
    await business.getByLabel('Project name').fill('Shop window');
    await business.getByLabel('Billing method').selectOption('project_hours');
    await business.getByLabel('Hourly rate (USD)').fill('80');
    const approval = business.getByLabel('Ask the client to approve time before it is invoiced');
    assert.equal(await approval.isChecked(), false, 'off by default');
    await approval.check();
    await business.getByRole('button', { name: 'Create project' }).click();
    await business.getByRole('heading', { name: 'Shop window', level: 1 }).waitFor();
    projectId = business.url().split('/').pop() ?? '';
    await business.getByText("The client approves this project's time in the portal").waitFor();

    await business.getByRole('button', { name: 'Add a task' }).click();
    await business.locator('#f-task-name').fill('Window display');
    await business.getByRole('button', { name: 'Add task' }).click();
    await business.getByText('Task Window display added.').waitFor();
    for (const [hours, notes] of [
      ['2', 'Spring display build'],
      ['1', 'Sketches for the display'],
      ['0:30', 'Call about the lettering'],
    ]) {
      await business.getByRole('button', { name: 'Log time', exact: true }).click();
      await business.getByLabel('Task', { exact: true }).selectOption({ label: 'Window display' });
      await business.getByRole('textbox', { name: 'Hours' }).fill(hours ?? '');
      await business.getByLabel('Notes').fill(notes ?? '');
      await business.getByRole('button', { name: 'Log time', exact: true }).click();
      await businessRow(notes ?? '')
        .getByText('Awaiting approval')
        .waitFor();
    }
    // Nothing is approved yet: invoicing says why and creates nothing.
    await business.getByRole('button', { name: 'Create invoice from unbilled time' }).click();
    await business.getByText(/None of this project's unbilled time is approved by the client yet/).waitFor();
    await check(business, 'business-awaiting');
  });

  test('the client approves one entry and queries another in "Time to approve"', async () => {
    assert.ok(projectId, 'the project of the first test');
    await client.goto(`${portico.baseUrl}/portal/northwind/projects/${projectId}`);
    await client.getByRole('heading', { name: 'Time to approve' }).waitFor();
    const section = client.locator('.time-to-approve');
    await section.getByRole('row').filter({ hasText: 'Spring display build' }).waitFor();
    assert.equal(await section.locator('tbody tr').count(), 3);
    await section.getByRole('button', { name: 'Approve all 3 shown' }).waitFor();
    await check(client, 'portal-time-to-approve');

    const build = section.getByRole('row').filter({ hasText: 'Spring display build' });
    await build.getByRole('button', { name: /^Approve the time of / }).click();
    await section.getByText('One time entry approved.').waitFor();
    await build.waitFor({ state: 'detached' });

    const sketches = section.getByRole('row').filter({ hasText: 'Sketches for the display' });
    await sketches.getByRole('button', { name: /^Query the time of / }).click();
    const dialog = client.getByRole('dialog');
    await dialog.getByRole('heading', { name: /^Query the time of / }).waitFor();
    // The message is required.
    await dialog.getByRole('button', { name: 'Send query' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Write your question.' }).waitFor();
    await check(client, 'portal-query-dialog');
    await dialog.getByLabel('Your question').fill('Were the sketches not part of the quote?');
    await dialog.getByRole('button', { name: 'Send query' }).click();
    await section.getByText('Your query was sent.').waitFor();
    await sketches.waitFor({ state: 'detached' });
    assert.equal(await section.locator('tbody tr').count(), 1);

    // The timesheet shows each entry's state in words, and the query under its entry.
    await client.getByRole('tab', { name: 'Timesheet' }).click();
    const panel = client.getByRole('tabpanel');
    await panel.getByRole('row').filter({ hasText: 'Spring display build' }).getByText('Approved').waitFor();
    const queried = panel.getByRole('row').filter({ hasText: 'Sketches for the display' });
    await queried.getByText('Queried').waitFor();
    await queried.getByText('Were the sketches not part of the quote?').waitFor();
    await check(client, 'portal-timesheet');
  });

  test('the business sees the states and the query, answers it, and invoices the approved time only', async () => {
    await business.goto(`${portico.baseUrl}/app/projects/${projectId}`);
    await business.getByRole('heading', { name: 'Shop window', level: 1 }).waitFor();
    await businessRow('Spring display build').getByText('Approved by the client').waitFor();
    const sketches = businessRow('Sketches for the display');
    await sketches.getByText('Queried by the client').waitFor();
    await sketches.getByText('Were the sketches not part of the quote?').waitFor();
    await businessRow('Call about the lettering').getByText('Awaiting approval').waitFor();
    // Approved time is frozen: no Edit, but a way to withdraw the approval.
    const approved = businessRow('Spring display build');
    assert.equal(await approved.getByRole('button', { name: /^Edit the time entry/ }).count(), 0);
    await approved.getByRole('button', { name: /^Withdraw the client’s approval/ }).waitFor();
    // The query is also in the project's comments, from the client.
    await business.locator('.comment', { hasText: 'Were the sketches not part of the quote?' }).waitFor();
    await check(business, 'business-queried');

    await sketches.getByRole('button', { name: /^Answer the query about the time of / }).click();
    await business.getByRole('button', { name: 'Send the answer' }).click();
    await business
      .getByRole('alert')
      .filter({ hasText: /required/i })
      .waitFor();
    await business.getByLabel('Your answer').fill('They were extra: you asked for a second version.');
    await check(business, 'business-answer');
    await business.getByRole('button', { name: 'Send the answer' }).click();
    await business.getByText('Answer sent: the entry awaits the client’s approval again.').waitFor();
    await sketches.getByText('Awaiting approval').waitFor();
    await sketches.getByText('They were extra: you asked for a second version.').waitFor();

    // The invoice bills the approved 2 hours at $80, not the 1.5 hours still awaiting approval.
    await business.getByText('Approved by the client, to invoice: $160.00').waitFor();
    await business.getByRole('button', { name: 'Create invoice from unbilled time' }).click();
    await business.getByRole('heading', { name: /^Invoice INV-/ }).waitFor();
    await business.locator('.document .totals-row.strong dd', { hasText: '$160.00' }).first().waitFor();
    await business.goto(`${portico.baseUrl}/app/projects/${projectId}`);
    await businessRow('Spring display build').getByText('Invoiced').waitFor();
    await businessRow('Sketches for the display').getByText('Awaiting approval').waitFor();
    await businessRow('Call about the lettering').getByText('Awaiting approval').waitFor();

    // The client sees the answer and is asked again.
    await client.goto(`${portico.baseUrl}/portal/northwind/projects/${projectId}`);
    const again = client.locator('.time-to-approve').getByRole('row').filter({ hasText: 'Sketches for the display' });
    await again.getByText('They were extra: you asked for a second version.').waitFor();
  });
});
