/// <reference lib="dom" />
/**
 * Pay Now in a real browser (Debian's Chromium through playwright-core), on the demo data: the Pay screen, the
 * sandbox gateway's own card page, the success and failure screens, at desktop and phone width, checked by axe-core
 * with a screenshot of each; payments in full, partial and of two invoices at once, every failing test card and a
 * merchant rule (CP4001).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import { CARD_DECLINE_MESSAGES, PAYMENT_ERRORS } from '../../src/domain/payment-errors.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  businessSession,
  JOURNEY_VIEWPORTS,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';
const GOOD_CARD = '4242424242424242';
type Viewport = keyof typeof VIEWPORTS;

describe('client portal: Pay Now in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let aliceId: string;
  /** Bluebird Bakery's unpaid invoices, oldest first: the overdue campaign, the partly paid production, the new one. */
  let unpaid: Array<{ id: string; number: string; balance: number }>;

  before(async () => {
    portico = await startPorticoWithBrowser();
    const db = portico.ctx.db.kysely;
    const alice = await db
      .selectFrom('contactPersons')
      .select(['id', 'customerId'])
      .where('email', '=', ALICE)
      .executeTakeFirstOrThrow();
    aliceId = alice.id;
    unpaid = await db
      .selectFrom('invoices')
      .select(['id', 'number', 'balance'])
      .where('customerId', '=', alice.customerId)
      .where('balance', '>', 0)
      .where('status', 'not in', ['draft', 'void'])
      .orderBy('issueDate')
      .execute();
    assert.equal(unpaid.length, 3, 'the demo gives Bluebird Bakery three unpaid invoices');
  });
  after(() => portico?.close());

  const invoiceOf = (id: string) =>
    portico.ctx.db.kysely
      .selectFrom('invoices')
      .select(['status', 'balance'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  async function newPage(viewport: Viewport): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function checkScreen(page: Page, name: string, viewport: Viewport) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} (${viewport}) has accessibility violations`);
    await screenshot(page, name, viewport);
  }

  async function signIn(viewport: Viewport): Promise<Page> {
    const page = await newPage(viewport);
    await page.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    // The demo pays through the sandbox: test mode is said before sign-in too.
    await page.getByRole('note').getByText('Test mode.').waitFor();
    await page.getByLabel('E-mail').fill(ALICE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
    // Home's chart says that what it shows as paid includes test payments.
    await page.getByText('“Paid” includes test payments, where no money moved.').waitFor();
    return page;
  }

  const payScreen = (page: Page, query: string) => page.goto(`${portico.baseUrl}/portal/northwind/pay?${query}`);

  /** From the Pay screen: Pay, then the sandbox's own page (never ours) with the card; back on the return route. */
  async function payWithCard(page: Page, card: string, check?: { viewport: Viewport; name: string }) {
    await page.getByRole('button', { name: /^Pay \$[\d,.]+$/ }).click();
    await page.waitForURL(/\/sandbox-gateway\/checkout\/sbcs_/);
    assert.equal(new URL(page.url()).origin, portico.baseUrl);
    await page.getByText('Sandbox gateway: test cards only, no money moves.').waitFor();
    await page.getByRole('heading', { name: 'Pay Northwind Studio' }).waitFor();
    if (check) await checkScreen(page, check.name, check.viewport);
    await page.getByLabel('Card number').fill(card);
    await page.getByLabel('Expiry (MM/YY)').fill('12/39');
    await page.getByLabel('Security code').fill('123');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(/\/portal\/northwind\/payments\/return\?attempt=pat_/);
  }

  async function business(method: string, url: string, body?: object) {
    const owner = await businessSession(portico.baseUrl, 'owner@northwind.example', DEMO_PASSWORDS.owner);
    const response = await owner.call(method, url, body);
    assert.ok(response.ok, `${method} ${url}: ${response.status} ${await response.clone().text()}`);
    return response.json();
  }

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: Pay now from Home, the invoice and the list; the amount field and its errors`, async () => {
      const page = await signIn(viewport);
      // Home: the balance card's primary action pays every outstanding invoice.
      await page.locator('.balance-card').getByRole('link', { name: 'Pay now' }).click();
      await page.getByRole('heading', { name: 'Pay Northwind Studio' }).waitFor();
      for (const invoice of unpaid) await page.getByRole('link', { name: `Invoice ${invoice.number}` }).waitFor();
      const total = unpaid.reduce((sum, i) => sum + i.balance, 0);
      const dollars = `$${(total / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
      await page.getByRole('button', { name: `Pay ${dollars}` }).waitFor();
      assert.equal(await page.locator('.pay-total .big-amount').textContent(), dollars);
      await checkScreen(page, 'pay', viewport);

      // The invoice: Pay now, and Pay another amount (the demo's invoices allow partial payments).
      const [, production] = unpaid;
      assert.ok(production);
      await page.goto(`${portico.baseUrl}/portal/northwind/invoices/${production.id}`);
      await page.getByRole('link', { name: 'Pay now' }).waitFor();
      await page.getByRole('link', { name: 'Pay another amount' }).click();
      const amount = page.getByLabel('Amount to pay (USD)');
      await amount.fill('12.345');
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.getByText('Enter an amount as a number').waitFor();
      assert.equal(await amount.getAttribute('aria-invalid'), 'true');
      const described = (await amount.getAttribute('aria-describedby')) ?? '';
      const errorId = described.split(' ')[0] ?? '';
      assert.match((await page.locator(`[id="${errorId}"]`).textContent()) ?? '', /Enter an amount as a number/);
      await amount.fill(String(production.balance));
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.getByText('The amount cannot be more than the balance due').waitFor();
      await amount.fill('25.50');
      await page.getByRole('button', { name: 'Pay $25.50' }).waitFor();
      await checkScreen(page, 'pay-amount', viewport);

      // The list: tick unpaid invoices (labelled checkboxes), then "Pay selected (N) — total".
      await page.goto(`${portico.baseUrl}/portal/northwind/invoices`);
      const [first, second] = unpaid;
      assert.ok(first && second);
      await page.getByRole('checkbox', { name: `Select invoice ${first.number} to pay` }).check();
      await page.getByRole('checkbox', { name: `Select invoice ${second.number} to pay` }).check();
      const pair = `$${((first.balance + second.balance) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
      await page.getByRole('link', { name: `Pay selected (2) — ${pair}` }).waitFor();
      await checkScreen(page, 'invoices-select', viewport);

      // A retainer invoice is paid too, on its own.
      const retainer = await portico.ctx.db.kysely
        .selectFrom('retainerInvoices')
        .select(['id', 'number', 'balance'])
        .where(
          'customerId',
          '=',
          (
            await portico.ctx.db.kysely
              .selectFrom('contactPersons')
              .select('customerId')
              .where('id', '=', aliceId)
              .executeTakeFirstOrThrow()
          ).customerId,
        )
        .where('status', '=', 'sent')
        .where('balance', '>', 0)
        .executeTakeFirstOrThrow();
      await page.goto(`${portico.baseUrl}/portal/northwind/retainers/${retainer.id}`);
      await page.getByRole('link', { name: 'Pay now' }).click();
      await page.getByRole('link', { name: `Retainer invoice ${retainer.number}` }).waitFor();
      await page.getByRole('button', { name: `Pay $${(retainer.balance / 100).toFixed(2)}` }).waitFor();
      await page.context().close();
    });
  }

  test('desktop: each failing test card shows its plain sentence (and its CP code); nothing is paid', async () => {
    const page = await signIn('desktop');
    const maintenance = unpaid[2];
    assert.ok(maintenance);
    const cards: Array<[string, string, string | null]> = [
      ['4000000000000002', CARD_DECLINE_MESSAGES.card_declined ?? '', null],
      ['4000000000009995', CARD_DECLINE_MESSAGES.insufficient_funds ?? '', null],
      ['4100000000000019', PAYMENT_ERRORS.CP3003.clientMessage, 'CP3003'],
      ['4000000000000127', CARD_DECLINE_MESSAGES.incorrect_cvc ?? '', null],
      ['4000000000000069', CARD_DECLINE_MESSAGES.expired_card ?? '', null],
    ];
    for (const [index, [card, sentence, code]] of cards.entries()) {
      await payScreen(page, `invoices=${maintenance.id}`);
      await payWithCard(page, card, index === 0 ? { viewport: 'desktop', name: 'sandbox-card-page' } : undefined);
      await page.getByRole('heading', { name: 'Your payment did not go through' }).waitFor();
      await page.getByText(sentence, { exact: true }).waitFor();
      if (code) {
        await page.getByText(`Code ${code}`, { exact: true }).waitFor();
        await page.getByText(`Contact Northwind Studio and give them the code ${code}.`).waitFor();
        await checkScreen(page, 'pay-failed', 'desktop');
      } else assert.equal(await page.getByText(/^Code /).count(), 0, 'a card decline has no CP code');
    }
    // "Try again" starts over on the Pay screen, for the same invoice.
    await page.getByRole('link', { name: 'Try again' }).click();
    await page.getByRole('link', { name: `Invoice ${maintenance.number}` }).waitFor();
    assert.deepEqual(await invoiceOf(maintenance.id), { status: 'sent', balance: maintenance.balance });
    await page.context().close();
  });

  test('phone: the failure screen, and a merchant rule: below the minimum amount → CP4001', async () => {
    const page = await signIn('phone');
    const maintenance = unpaid[2];
    assert.ok(maintenance);
    await payScreen(page, `invoices=${maintenance.id}`);
    await payWithCard(page, '4100000000000019', { viewport: 'phone', name: 'sandbox-card-page' });
    await page.getByText('Code CP3003', { exact: true }).waitFor();
    await checkScreen(page, 'pay-failed', 'phone');

    const [sandbox] = (await business('GET', '/api/v1/payment-gateways')).data;
    const rules = (body: object) =>
      business('PUT', `/api/v1/payment-gateways/${sandbox.id}`, { kind: 'sandbox', ...body });
    await rules({ minimumAmount: 1_000_000 });
    try {
      await payScreen(page, `invoices=${maintenance.id}`);
      await page.getByRole('button', { name: /^Pay \$[\d,.]+$/ }).click();
      await page.getByRole('heading', { name: 'Your payment did not go through' }).waitFor();
      await page.getByText(PAYMENT_ERRORS.CP4001.clientMessage, { exact: true }).waitFor();
      await page.getByText('Code CP4001', { exact: true }).waitFor();
    } finally {
      await rules({ minimumAmount: 0 });
    }
    assert.equal((await invoiceOf(maintenance.id)).status, 'sent');
    await page.context().close();
  });

  test('desktop: pays an invoice in full on the sandbox page; paid, recorded as paid by Alice, with a receipt', async () => {
    const page = await signIn('desktop');
    // The demo's owner chose the sandbox: every page says test mode.
    await page.getByRole('note').getByText('Test mode.').waitFor();
    const maintenance = unpaid[2];
    assert.ok(maintenance);
    await page.goto(`${portico.baseUrl}/portal/northwind/invoices/${maintenance.id}`);
    await page.getByRole('link', { name: 'Pay now' }).click();
    await page.getByRole('heading', { name: 'Pay Northwind Studio' }).waitFor();
    await payWithCard(page, GOOD_CARD);
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    await page.getByRole('link', { name: `Invoice ${maintenance.number}` }).waitFor();
    const receipt = page.getByRole('link', { name: 'Download receipt' });
    await page.getByRole('link', { name: 'View the payment' }).waitFor();
    await checkScreen(page, 'pay-succeeded', 'desktop');

    assert.deepEqual(await invoiceOf(maintenance.id), { status: 'paid', balance: 0 });
    const payment = await portico.ctx.db.kysely
      .selectFrom('customerPayments')
      .select(['id', 'amount', 'paidByContactPersonId', 'source', 'mode'])
      .where('paidByContactPersonId', '=', aliceId)
      .executeTakeFirstOrThrow();
    assert.equal(payment.amount, maintenance.balance);
    assert.equal(payment.source, 'portal');
    assert.equal(payment.mode, 'card');
    const pdf = await page.request.get(new URL((await receipt.getAttribute('href')) ?? '', page.url()).toString());
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'] ?? '', /application\/pdf/);
    // The lists were refreshed: the invoice shows paid straight away.
    await page.getByRole('link', { name: `Invoice ${maintenance.number}` }).click();
    await page.getByRole('heading', { name: `Invoice ${maintenance.number}` }).waitFor();
    await page.locator('.document-header').getByText('Paid', { exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Pay now' }).count(), 0, 'nothing left to pay');

    // The payment, in the list and on its page, is labelled a test payment; the receipt PDF says so too.
    const testPayment = await portico.ctx.db.kysely
      .selectFrom('customerPayments')
      .select(['number', 'testMode'])
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow();
    assert.equal(testPayment.testMode, 1);
    await page.goto(`${portico.baseUrl}/portal/northwind/payments`);
    await page
      .getByRole('row', { name: new RegExp(testPayment.number) })
      .getByText('Test payment — no money moved')
      .waitFor();
    await page.getByRole('link', { name: testPayment.number }).click();
    await page.getByRole('heading', { name: `Payment ${testPayment.number}` }).waitFor();
    await page.locator('.document-header').getByText('Test payment — no money moved').waitFor();
    await page.getByRole('note').getByText('Test mode.').waitFor();
    await checkScreen(page, 'payment-test-mode', 'desktop');
    await page.context().close();
  });

  test('an organization whose owner chose no gateway: no Pay now, no test-mode banner', async () => {
    const db = portico.ctx.db.kysely;
    const kobe = await db
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', 'kobe-works')
      .executeTakeFirstOrThrow();
    await db.deleteFrom('paymentGateways').where('organizationId', '=', kobe.id).execute();
    // Kōbe Works writes in Japanese; Yuki chose English, the language this test reads the portal in.
    await db
      .updateTable('contactPersons')
      .set({ language: 'en' })
      .where('email', '=', 'yuki@sakura-tea.example')
      .execute();
    const yuki = await db
      .selectFrom('contactPersons')
      .select('customerId')
      .where('email', '=', 'yuki@sakura-tea.example')
      .executeTakeFirstOrThrow();
    const owed = await db
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('customerId', '=', yuki.customerId)
      .where('balance', '>', 0)
      .where('status', 'not in', ['draft', 'void'])
      .executeTakeFirstOrThrow();
    const page = await newPage('desktop');
    await page.goto(`${portico.baseUrl}/portal/kobe-works/sign-in`);
    await page.getByLabel('E-mail').fill('yuki@sakura-tea.example');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
    assert.equal(await page.getByRole('link', { name: /^Pay\b/ }).count(), 0, 'Home offers no Pay now');
    assert.equal(await page.getByRole('note').count(), 0, 'no test-mode banner');
    await page.goto(`${portico.baseUrl}/portal/kobe-works/invoices/${owed.id}`);
    await page.getByRole('heading', { name: `Invoice ${owed.number}` }).waitFor();
    assert.equal(await page.getByRole('link', { name: /^Pay\b/ }).count(), 0, 'the invoice offers no Pay now');
    await page.goto(`${portico.baseUrl}/portal/kobe-works/pay?invoices=${owed.id}`);
    await page.getByText('Kōbe Works does not take online payments.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Pay\b/ }).count(), 0);
    await checkScreen(page, 'pay-off', 'desktop');
    await page.context().close();
  });

  test('phone: a partial payment ("Pay another amount") lowers the balance by that amount', async () => {
    const page = await signIn('phone');
    const production = unpaid[1];
    assert.ok(production);
    await page.goto(`${portico.baseUrl}/portal/northwind/invoices/${production.id}`);
    await page.getByRole('link', { name: 'Pay another amount' }).click();
    await page.getByLabel('Amount to pay (USD)').fill('100');
    await payWithCard(page, GOOD_CARD);
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    await page.getByText('$100.00').filter({ visible: true }).first().waitFor();
    await checkScreen(page, 'pay-succeeded', 'phone');
    assert.deepEqual(await invoiceOf(production.id), {
      status: 'partially_paid',
      balance: production.balance - 10_000,
    });
    await page.context().close();
  });

  test('desktop: two invoices at once from the list, in one payment', async () => {
    const page = await signIn('desktop');
    const [campaign, production] = unpaid;
    assert.ok(campaign && production);
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.getByRole('checkbox', { name: `Select invoice ${campaign.number} to pay` }).check();
    await page.getByRole('checkbox', { name: `Select invoice ${production.number} to pay` }).check();
    await page.getByRole('link', { name: /^Pay selected \(2\)/ }).click();
    await page.getByRole('link', { name: `Invoice ${campaign.number}` }).waitFor();
    await page.getByRole('link', { name: `Invoice ${production.number}` }).waitFor();
    await payWithCard(page, GOOD_CARD);
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    await page.getByRole('link', { name: `Invoice ${campaign.number}` }).waitFor();
    await page.getByRole('link', { name: `Invoice ${production.number}` }).waitFor();
    assert.deepEqual(await invoiceOf(campaign.id), { status: 'paid', balance: 0 });
    assert.deepEqual(await invoiceOf(production.id), { status: 'paid', balance: 0 });
    const payments = await portico.ctx.db.kysely
      .selectFrom('paymentAllocations as a')
      .innerJoin('customerPayments as p', 'p.id', 'a.paymentId')
      .select(['p.id', 'a.invoiceId'])
      .where('a.invoiceId', 'in', [campaign.id, production.id])
      .where('p.paidByContactPersonId', '=', aliceId)
      .where('a.kind', '=', 'payment')
      .execute();
    const campaignPayments = payments.filter((p) => p.invoiceId === campaign.id).map((p) => p.id);
    assert.equal(campaignPayments.length, 1);
    assert.ok(
      payments.some((p) => p.invoiceId === production.id && p.id === campaignPayments[0]),
      'one payment',
    );
    // Home: nothing due any more.
    await page.getByRole('link', { name: 'Back to home' }).click();
    await page.getByText('You are all paid up. Thank you!').waitFor();
    await page.context().close();
  });
});
