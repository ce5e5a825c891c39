/// <reference lib="dom" />
/**
 * Automatic payment of recurring invoices in a real browser, on the demo data: the client opens Automatic payments
 * from the account menu, turns automatic payment on by saving a card on the sandbox's own page, comes back to the
 * portal with it on, and turns it off again; a merchant rule that refuses recurring payments shows CP4002. axe and a
 * screenshot at desktop and phone width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import { PAYMENT_ERRORS } from '../../src/domain/payment-errors.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  businessSession,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';
type Viewport = keyof typeof VIEWPORTS;

describe('client portal: automatic payment of recurring invoices in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;

  before(async () => {
    portico = await startPorticoWithBrowser();
  });
  after(() => portico?.close());

  async function signIn(viewport: Viewport): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    await page.getByLabel('E-mail').fill(ALICE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
    return page;
  }

  async function checkScreen(page: Page, name: string, viewport: Viewport) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} (${viewport}) has accessibility violations`);
    await screenshot(page, name, viewport);
  }

  async function setSandboxRules(rules: object) {
    const owner = await businessSession(portico.baseUrl, 'owner@northwind.example', DEMO_PASSWORDS.owner);
    const listed = await owner.call('GET', '/api/v1/payment-gateways');
    const [sandbox] = ((await listed.json()) as { data: Array<{ id: string }> }).data;
    const response = await owner.call('PUT', `/api/v1/payment-gateways/${sandbox?.id}`, { kind: 'sandbox', ...rules });
    assert.ok(response.ok, `PUT /api/v1/payment-gateways/{id}: ${response.status}`);
  }

  const cardOfPlan = () =>
    portico.ctx.db.kysely
      .selectFrom('autopayCards')
      .innerJoin('recurringProfiles', 'recurringProfiles.id', 'autopayCards.recurringProfileId')
      .select(['autopayCards.status', 'autopayCards.last4'])
      .where('recurringProfiles.name', '=', 'Website care plan')
      .orderBy('autopayCards.createdAt', 'desc')
      .executeTakeFirst();

  test('desktop: turn automatic payment on with a card saved on the sandbox page, then off', async () => {
    const page = await signIn('desktop');
    await page.getByRole('button', { name: /Account/ }).click();
    await page.getByRole('link', { name: 'Automatic payments' }).click();
    await page.getByRole('heading', { name: 'Automatic payments', level: 1 }).waitFor();
    const plan = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Website care plan' }) });
    await plan.getByText('Every month').waitFor();
    await plan.getByText('Off', { exact: true }).waitFor();
    await checkScreen(page, 'portal-autopay', 'desktop');

    await plan.getByRole('button', { name: 'Pay automatically with a card Website care plan' }).click();
    await page.waitForURL(/\/sandbox-gateway\/checkout\//);
    await page.getByRole('heading', { name: 'Save a card for Northwind Studio' }).waitFor();
    await page.getByLabel('Card number').fill('4242424242424242');
    await page.getByLabel('Expiry (MM/YY)').fill('12/39');
    await page.getByLabel('Security code').fill('123');
    await page.getByRole('button', { name: 'Save card' }).click();

    await page.waitForURL(/\/portal\/northwind\/recurring-profiles/);
    await page.getByRole('status').getByText('Automatic payment is on for Website care plan.').waitFor();
    await plan.getByText(/^On, with Visa ending 4242 \(expires 12\/39\)$/).waitFor();
    assert.ok(!page.url().includes('autopay='), 'the return parameter is dropped once read');
    assert.deepEqual(await cardOfPlan(), { status: 'active', last4: '4242' });
    await checkScreen(page, 'portal-autopay-on', 'desktop');

    await plan.getByRole('button', { name: 'Turn off automatic payment Website care plan' }).click();
    await page
      .getByRole('status')
      .getByText(/^Automatic payment is off for Website care plan\./)
      .waitFor();
    await plan.getByText('Off', { exact: true }).waitFor();
    assert.notEqual((await cardOfPlan())?.status, 'active');
    await page.context().close();
  });

  test('phone: a gateway that refuses recurring payments says so with CP4002, and nothing is on', async () => {
    const page = await signIn('phone');
    await page.goto(`${portico.baseUrl}/portal/northwind/recurring-profiles`);
    await page.getByRole('heading', { name: 'Automatic payments', level: 1 }).waitFor();
    await checkScreen(page, 'portal-autopay', 'phone');
    await setSandboxRules({ recurring: false });
    try {
      await page.getByRole('button', { name: /^Pay automatically with a card/ }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      assert.ok(
        text.includes(PAYMENT_ERRORS.CP4002.clientMessage) || text.includes('CP4002'),
        `the refusal names CP4002: ${text}`,
      );
      await page.getByText('Off', { exact: true }).waitFor();
    } finally {
      await setSandboxRules({ recurring: true });
    }
    await page.context().close();
  });
});
