/// <reference lib="dom" />
/**
 * The business's journey (issue 7, "Done when"), on a fresh database started without demo data, in a real
 * browser: set up the organization → a customer with two contact persons → invite one (the invitation in the
 * Mailbox; the client sets a password with its link) → send an invoice and an estimate by e-mail → the client opens
 * the invoice → the eye → the client comments; two replies, one displayed in the portal → the portal shows only that
 * one → the client declines the estimate → edit and re-send, and send it again → the client pays online (sandbox) → the payment and its
 * receipt in the back office. Every screen passes axe and is photographed (`journey-…`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
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

const OWNER_EMAIL = 'hana@lantern.example';
const OWNER_PASSWORD = 'lanterns glow over the harbour';
const CLIENT_EMAIL = 'milo@orchard.example';
const CLIENT_PASSWORD = 'apples ripen slowly in october';
const OTHER_EMAIL = 'rosa@orchard.example';
const GOOD_CARD = '4242424242424242';

describe('back office journey on a fresh database', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  before(async () => {
    portico = await startPorticoWithBrowser({ demo: false });
  });
  after(() => portico?.close());

  async function newPage(): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  const checkedKinds = new Set<string>();
  /** axe on each kind of screen (the first time it is passed), and a screenshot of every step. */
  async function checkScreen(page: Page, name: string, kind = name) {
    if (!checkedKinds.has(kind)) {
      assert.deepEqual(await accessibilityViolations(page), [], `${name} has accessibility violations`);
      checkedKinds.add(kind);
    }
    await screenshot(page, `journey-${name}`, 'desktop');
  }

  /** The Mailbox lists an e-mail to `to` whose subject matches; opens it and checks its plain text. */
  async function mailboxShows(business: Page, to: string, subject: RegExp, name: string, text?: RegExp) {
    await business.goto(`${portico.baseUrl}/app/settings/mailbox`);
    await business.getByRole('heading', { name: 'Mailbox', level: 1 }).waitFor();
    const row = business.getByRole('row').filter({ hasText: to }).filter({ hasText: subject }).first();
    await row.waitFor();
    await checkScreen(business, `mailbox-${name}`, 'mailbox');
    if (!text) return;
    await row.getByRole('link').first().click();
    await business.getByRole('link', { name: 'Back to the mailbox' }).waitFor();
    await business.getByRole('button', { name: 'Plain text' }).click();
    await business.locator('pre.mail-text').getByText(text).waitFor();
    await checkScreen(business, `mailbox-message-${name}`, 'mailbox-message');
  }

  /** The e-mail as the client receives it (the Mailbox redacts single-use links, so the outbox is the inbox). */
  async function delivered(to: string, template: string) {
    return portico.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select(['textBody', 'subject', 'attachments'])
      .where('toAddress', '=', to)
      .where('template', '=', template)
      .orderBy('createdAt', 'desc')
      .execute();
  }

  test('set up, invite, send, view, comment, decline, re-send, pay', async () => {
    const business = await newPage();

    // 1. First run: the setup screen instead of sign-in.
    await business.goto(`${portico.baseUrl}/app/`);
    await business.getByRole('heading', { name: 'Set up your organization' }).waitFor();
    await checkScreen(business, 'setup');
    await business.getByLabel('Organization name').fill('Lantern Design');
    await business.getByLabel('Currency').fill('USD');
    await business.getByLabel('Time zone').fill('America/New_York');
    await business.getByLabel('Your name').fill('Hana Lee');
    await business.getByLabel('E-mail').fill(OWNER_EMAIL);
    await business.getByLabel('Password', { exact: true }).fill(OWNER_PASSWORD);
    await business.getByRole('button', { name: 'Create the organization' }).click();
    await business.getByRole('heading', { name: 'Portal activity' }).waitFor();
    await checkScreen(business, 'home-empty');

    // The portal on, with "notify me" and "e-mail my customer when I comment".
    await business.goto(`${portico.baseUrl}/app/settings/portal`);
    await business.getByRole('heading', { name: 'Client portal', level: 1 }).waitFor();
    await business.getByLabel('Portal enabled').check();
    await business.getByLabel('Notify me about portal activity').check();
    await business.getByLabel('E-mail my customer when I comment').check();
    await business.getByRole('button', { name: 'Save' }).click();
    await business.getByRole('status').getByText('Saved', { exact: false }).waitFor();
    await checkScreen(business, 'settings-portal');
    const org = await portico.ctx.db.kysely
      .selectFrom('organizations')
      .select(['id', 'slug', 'portalEnabled'])
      .executeTakeFirstOrThrow();
    assert.equal(org.portalEnabled, 1);
    // Online payments through the built-in sandbox gateway. The organization charges tax and has no default tax
    // yet, so the page warns that every portal payment would be refused (CP2001) and links to the fix.
    await business.goto(`${portico.baseUrl}/app/settings/online-payments`);
    await business.getByRole('heading', { name: 'Online payments', level: 1 }).waitFor();
    await business
      .getByRole('alert')
      .getByText(/refused with code CP2001/)
      .waitFor();
    await checkScreen(business, 'settings-online-payments-no-tax');
    const add = business.getByRole('region', { name: 'Add a payment gateway' });
    await add.getByLabel('Sandbox: test cards, for trying things out').check();
    await add.getByRole('button', { name: 'Add payment gateway' }).click();
    await business.getByRole('region', { name: 'Sandbox (test payments, no money moves)' }).waitFor();
    await business.getByRole('link', { name: 'Choose a default tax' }).click();
    await business.getByRole('heading', { name: 'Taxes', level: 1 }).waitFor();
    await business.getByLabel('Name').fill('Sales tax');
    await business.getByLabel('Rate (%)').fill('8');
    await business.getByRole('button', { name: 'Create tax' }).click();
    await business.getByRole('status').getByText('The tax Sales tax is created.').waitFor();
    await business.getByRole('button', { name: 'Make Sales tax the default tax' }).click();
    await business.getByRole('status').getByText('Sales tax is now the default tax.').waitFor();
    await business.goto(`${portico.baseUrl}/app/settings/online-payments`);
    await business.getByRole('heading', { name: 'Online payments', level: 1 }).waitFor();
    await business.getByRole('region', { name: 'Sandbox (test payments, no money moves)' }).waitFor();
    assert.equal(
      await business.getByText(/refused with code CP2001/).count(),
      0,
      'no warning once a default tax exists',
    );

    // 2. A customer with two contact persons.
    await business.goto(`${portico.baseUrl}/app/customers/new`);
    await business.getByRole('heading', { name: 'New customer' }).waitFor();
    await business.getByLabel('Display name').fill('Orchard Cafe');
    const first = business.getByRole('group', { name: 'Contact person 1' });
    await first.getByLabel('First name').fill('Milo');
    await first.getByLabel('Last name').fill('Grant');
    await first.getByLabel('E-mail').fill(CLIENT_EMAIL);
    await business.getByRole('button', { name: 'Add a contact person' }).click();
    const second = business.getByRole('group', { name: 'Contact person 2' });
    await second.getByLabel('First name').fill('Rosa');
    await second.getByLabel('E-mail').fill(OTHER_EMAIL);
    await checkScreen(business, 'customer-new');
    await business.getByRole('button', { name: 'Create customer' }).click();
    await business.getByRole('heading', { name: 'Orchard Cafe', level: 1 }).waitFor();
    await checkScreen(business, 'customer');
    const customerId = new URL(business.url()).pathname.split('/').pop() ?? '';

    // 3. Invite Milo; the invitation is in the Mailbox (its link redacted); the client uses the link.
    await business.getByRole('button', { name: 'Invite Milo Grant to the client portal' }).click();
    await business.getByRole('status').getByText(`Invitation sent to ${CLIENT_EMAIL}.`).waitFor();
    await checkScreen(business, 'customer-invited', 'customer');
    await mailboxShows(business, CLIENT_EMAIL, /client portal/i, 'invitation', /accept-invitation#token=redacted/);
    const [invitation] = await delivered(CLIENT_EMAIL, 'portalInvitation');
    const link = /(https?:\/\/\S+\/accept-invitation#token=[A-Za-z0-9_-]+)/.exec(invitation?.textBody ?? '')?.[1];
    assert.ok(link, 'the invitation carries its link');

    const client = await newPage();
    await client.goto(link);
    await client.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await checkScreen(client, 'portal-accept-invitation');
    await client.getByLabel('New password').fill(CLIENT_PASSWORD);
    await client.getByRole('button', { name: 'Set password' }).click();
    await client.getByRole('heading', { name: 'Net balance' }).waitFor();
    await checkScreen(client, 'portal-home-empty');

    // 4. An invoice and an estimate, sent by e-mail.
    await business.goto(`${portico.baseUrl}/app/invoices/new?customerId=${customerId}`);
    await business.getByRole('heading', { name: 'New invoice' }).waitFor();
    await business.locator('#f-lines-0-name').fill('Menu design');
    await business.locator('#f-lines-0-rate').fill('400');
    await business.locator('.live-totals').getByText('$400.00').filter({ visible: true }).first().waitFor();
    await checkScreen(business, 'invoice-new');
    await business.getByRole('button', { name: 'Save and send' }).click();
    await business.getByRole('heading', { name: /^Invoice INV-/ }).waitFor();
    const invoiceId = new URL(business.url()).pathname.split('/').pop() ?? '';
    const invoiceNumber = ((await business.getByRole('heading', { level: 1 }).textContent()) ?? '').replace(
      'Invoice ',
      '',
    );
    await business.getByText('Not viewed by the client yet').waitFor();
    await business.getByText(`Invoice sent by e-mail to ${CLIENT_EMAIL}`, { exact: true }).waitFor();
    await checkScreen(business, 'invoice-sent');

    await business.goto(`${portico.baseUrl}/app/estimates/new?customerId=${customerId}`);
    await business.getByRole('heading', { name: 'New estimate' }).waitFor();
    await business.locator('#f-lines-0-name').fill('Signage');
    await business.locator('#f-lines-0-rate').fill('250');
    await business.locator('.live-totals').getByText('$250.00').filter({ visible: true }).first().waitFor();
    await business.getByRole('button', { name: 'Save and send' }).click();
    await business.getByRole('heading', { name: /^Estimate EST-/ }).waitFor();
    const estimateId = new URL(business.url()).pathname.split('/').pop() ?? '';
    const estimateNumber = ((await business.getByRole('heading', { level: 1 }).textContent()) ?? '').replace(
      'Estimate ',
      '',
    );
    await checkScreen(business, 'estimate-sent');

    // The sent e-mails, to Milo (the primary contact, in the portal; Rosa has neither): PDF and portal link.
    await mailboxShows(
      business,
      CLIENT_EMAIL,
      new RegExp(`Invoice ${invoiceNumber} from Lantern Design`),
      'invoice-sent',
      new RegExp(`/portal/${org.slug}/invoices/${invoiceId}`),
    );
    await business.getByText(`${invoiceNumber}.pdf`).first().waitFor();
    await mailboxShows(
      business,
      CLIENT_EMAIL,
      new RegExp(`Estimate ${estimateNumber} from Lantern Design`),
      'estimate-sent',
    );
    const sentInvoice = await delivered(CLIENT_EMAIL, 'documentSent');
    assert.equal(sentInvoice.length, 2, 'the invoice and the estimate were e-mailed to Milo');

    // 5. The client opens the invoice from the e-mail's link; the eye appears in the back office.
    await client.goto(`${portico.baseUrl}/portal/${org.slug}/invoices/${invoiceId}`);
    await client.getByRole('heading', { name: `Invoice ${invoiceNumber}` }).waitFor();
    await checkScreen(client, 'portal-invoice');

    await business.goto(`${portico.baseUrl}/app/invoices?viewed=true`);
    await business.getByRole('heading', { name: 'Invoices', exact: true }).waitFor();
    const viewedRow = business.getByRole('row').filter({ hasText: invoiceNumber });
    await viewedRow.locator('svg.eye').waitFor();
    await viewedRow.getByText(/Viewed by Milo Grant on/).waitFor({ state: 'attached' });
    await checkScreen(business, 'invoices-viewed');
    await business.goto(`${portico.baseUrl}/app/invoices?viewed=false`);
    await business.getByRole('heading', { name: 'Invoices', exact: true }).waitFor();
    await business.getByText('No invoices', { exact: false }).first().waitFor();
    await business.goto(`${portico.baseUrl}/app/invoices/${invoiceId}`);
    await business
      .getByText(/Viewed by Milo Grant on/)
      .first()
      .waitFor();
    await mailboxShows(business, OWNER_EMAIL, /viewed invoice/i, 'viewed-notification');

    // 6. The client comments; two replies, one displayed in the portal. A sent comment is waited for in the thread
    // (`.comment`): the composer's own text matches getByText until the comment is sent.
    const clientThread = client.getByRole('region', { name: 'Comments' });
    await clientThread.getByLabel('Your comment').fill('Could you add the VAT number?');
    await clientThread.getByRole('button', { name: 'Send' }).click();
    await clientThread.locator('.comment', { hasText: 'Could you add the VAT number?' }).waitFor();

    await business.goto(`${portico.baseUrl}/app/invoices/${invoiceId}`);
    const thread = business.getByRole('region', { name: 'Comments' });
    await thread.getByText('Could you add the VAT number?').waitFor();
    await thread.getByLabel('Your reply').fill('Internal: ask Hana for the number.');
    await thread.getByRole('button', { name: 'Add comment' }).click();
    await thread.locator('.comment', { hasText: 'Internal: ask Hana for the number.' }).waitFor();
    await thread.getByLabel('Your reply').fill('Done: the VAT number is on the invoice now.');
    await thread.getByLabel('Display in client portal').check();
    await thread.getByRole('button', { name: 'Add comment' }).click();
    await thread.locator('.comment', { hasText: 'Done: the VAT number is on the invoice now.' }).waitFor();
    await checkScreen(business, 'invoice-comments', 'invoice-sent');
    await mailboxShows(business, OWNER_EMAIL, /commented on invoice/i, 'comment-notification');
    await mailboxShows(
      business,
      CLIENT_EMAIL,
      new RegExp(`Lantern Design commented on invoice ${invoiceNumber}`),
      'reply-notification',
      /the VAT number is on the invoice now/,
    );

    await client.reload();
    await clientThread.getByText('Done: the VAT number is on the invoice now.').waitFor();
    assert.equal(await clientThread.getByText('Internal: ask Hana for the number.').count(), 0, 'internal stays out');
    await checkScreen(client, 'portal-invoice-comments', 'portal-invoice');

    // 7. The client declines the estimate; the business edits and re-sends it.
    await client.goto(`${portico.baseUrl}/portal/${org.slug}/estimates/${estimateId}`);
    await client.getByRole('button', { name: 'Decline' }).click();
    await client.getByRole('dialog').getByLabel('Reason').fill('Could it be 200?');
    await checkScreen(client, 'portal-estimate-decline');
    await client.getByRole('dialog').getByRole('button', { name: 'Decline' }).click();
    await client.getByText(/You declined this estimate/).waitFor();

    await business.goto(`${portico.baseUrl}/app/estimates/${estimateId}`);
    await business.getByText('Reason: Could it be 200?').waitFor();
    await checkScreen(business, 'estimate-declined');
    await business.getByRole('link', { name: 'Edit and re-send' }).click();
    await business.getByRole('heading', { name: /^Edit estimate / }).waitFor();
    await business.locator('#f-lines-0-rate').fill('200');
    await business.locator('.live-totals').getByText('$200.00').filter({ visible: true }).first().waitFor();
    await checkScreen(business, 'estimate-edit');
    await business.getByRole('button', { name: 'Save and re-send' }).click();
    await business.getByRole('heading', { name: /^Estimate EST-/ }).waitFor();
    await business.getByText(`Revised estimate sent by e-mail to ${CLIENT_EMAIL}`, { exact: false }).waitFor();
    assert.equal((await delivered(CLIENT_EMAIL, 'documentSent')).length, 3, 'the revised estimate was e-mailed');
    // "Send again" e-mails it once more (a reminder); the estimate stays sent.
    await business.getByRole('button', { name: 'Send again by e-mail' }).click();
    await business.getByText("E-mailed again to the customer's contact persons", { exact: false }).waitFor();
    assert.equal((await delivered(CLIENT_EMAIL, 'documentSent')).length, 4, 'the estimate was e-mailed again');
    await client.goto(`${portico.baseUrl}/portal/${org.slug}/estimates/${estimateId}`);
    await client.getByText('$200.00').filter({ visible: true }).first().waitFor();
    await client.getByRole('button', { name: 'Accept' }).waitFor();

    // 8. The client pays the invoice online, on the sandbox's card page.
    await client.goto(`${portico.baseUrl}/portal/${org.slug}/invoices/${invoiceId}`);
    await client.getByRole('link', { name: 'Pay now' }).click();
    await client.getByRole('heading', { name: 'Pay Lantern Design' }).waitFor();
    await checkScreen(client, 'portal-pay');
    await client.getByRole('button', { name: /^Pay \$[\d,.]+$/ }).click();
    // The Pay screen first puts the attempt's cancel link in its place in the history (Back cancels), then goes
    // to the card page: wait for the card page itself, and say what the client saw if it never came.
    const cardPage = await client
      .waitForURL(/\/sandbox-gateway\/checkout\/sbcs_/)
      .then(() => true)
      .catch(() => false);
    if (!cardPage) {
      await screenshot(client, 'journey-portal-pay-refused', 'desktop');
      const attempts = await portico.ctx.db.kysely.selectFrom('paymentAttempts').selectAll().execute();
      assert.fail(`no card page: ${await client.locator('main').textContent()} ${JSON.stringify(attempts)}`);
    }
    await client.getByLabel('Card number').fill(GOOD_CARD);
    await client.getByLabel('Expiry (MM/YY)').fill('12/39');
    await client.getByLabel('Security code').fill('123');
    await client.getByRole('button', { name: 'Pay', exact: true }).click();
    await client.getByRole('heading', { name: 'Payment received' }).waitFor();
    await checkScreen(client, 'portal-paid');

    // 9. The payment, who paid it and its receipt in the back office; the receipt and the notification e-mails.
    await business.goto(`${portico.baseUrl}/app/payments`);
    await business.getByRole('heading', { name: 'Payments' }).waitFor();
    const paymentRow = business.getByRole('row').filter({ hasText: 'Paid online by Milo Grant' }).first();
    await paymentRow.waitFor();
    await checkScreen(business, 'payments');
    await paymentRow.getByRole('link').first().click();
    await business.getByRole('heading', { name: /^Payment / }).waitFor();
    await business.getByRole('link', { name: invoiceNumber }).waitFor();
    const receipt = await business.getByRole('link', { name: 'Download receipt (PDF)' }).getAttribute('href');
    await checkScreen(business, 'payment');
    const pdf = await business.request.get(new URL(receipt ?? '', business.url()).toString());
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'] ?? '', /application\/pdf/);
    await business.goto(`${portico.baseUrl}/app/invoices/${invoiceId}`);
    await business.locator('.document-header').getByText('Paid', { exact: true }).waitFor();
    await mailboxShows(business, CLIENT_EMAIL, /receipt/i, 'payment-receipt');
    await mailboxShows(business, OWNER_EMAIL, /made payment/i, 'payment-notification');

    await client.context().close();
    await business.context().close();
  });
});
