/// <reference lib="dom" />
/**
 * The client portal's document tools in a real browser (Debian's Chromium through playwright-core), on the demo
 * data: comments, Save PDF, Forward, retainer invoices and payments made — each new screen at desktop and phone
 * width, checked by axe-core, with a screenshot of each under test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Download, Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
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

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';

describe('client portal documents in a browser', { skip: unavailable ?? false }, () => {
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

  async function signIn(page: Page) {
    await page.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    await page.getByLabel('E-mail').fill(ALICE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
  }

  async function downloaded(download: Download): Promise<Buffer> {
    const file = await download.path();
    assert.ok(file, 'the download was saved');
    return readFile(file);
  }

  /** Opens, from the invoices list, the invoice that has Alice's comment in the demo (INV with "Sorry…"). */
  async function openCommentedInvoice(page: Page) {
    const comment = await portico.ctx.db.kysely
      .selectFrom('comments')
      .innerJoin('invoices', 'invoices.id', 'comments.subjectId')
      .select(['invoices.id', 'invoices.number'])
      .where('comments.subjectType', '=', 'invoice')
      .where('comments.text', 'like', 'Sorry for the delay%')
      .executeTakeFirstOrThrow();
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.getByRole('heading', { name: 'Invoices', exact: true }).waitFor();
    await page.getByRole('link', { name: comment.number, exact: true }).click();
    await page.getByRole('heading', { name: `Invoice ${comment.number}` }).waitFor();
    return comment;
  }

  for (const viewport of JOURNEY_VIEWPORTS) {
    test(`${viewport}: an invoice's comments and PDF, an estimate's actions, retainers, payments, a receipt`, async () => {
      const page = await newPage(viewport);
      await signIn(page);

      // An invoice: the thread (the demo's comment by Alice, marked as hers), Save PDF, Print, Forward.
      const invoice = await openCommentedInvoice(page);
      const thread = page.getByRole('region', { name: 'Comments' });
      await thread.getByText('Sorry for the delay, payment goes out next week.').waitFor();
      await thread.getByText('you', { exact: true }).first().waitFor();
      await page.getByRole('link', { name: 'Save PDF' }).waitFor();
      await page.getByRole('button', { name: 'Print' }).waitFor();
      await page.getByRole('button', { name: 'Forward' }).waitFor();
      await checkScreen(page, 'invoice-with-comments', viewport);

      // Comment: an empty one is refused in words, tied to the field; then one with a line break and markup
      // characters, shown as text.
      await thread.getByRole('button', { name: 'Send' }).click();
      await thread.getByRole('alert').getByText('Write your comment first.').waitFor();
      const text = `Could you add the PO number? (${viewport})\nIt is <b>PO-7781</b>.`;
      await thread.getByLabel('Your comment').fill(text);
      await thread.getByRole('button', { name: 'Send' }).click();
      const mine = thread.locator('.comment-text').filter({ hasText: `Could you add the PO number? (${viewport})` });
      await mine.waitFor();
      assert.equal(await mine.textContent(), text, 'the comment is plain text with its line break');
      assert.equal(await thread.locator('b').count(), 0, 'never rendered as HTML');
      assert.equal(await thread.getByLabel('Your comment').inputValue(), '', 'the box is emptied');
      const stored = await portico.ctx.db.kysely
        .selectFrom('comments')
        .select(['subjectType', 'subjectId', 'authorType', 'shownInPortal'])
        .where('text', '=', text)
        .executeTakeFirstOrThrow();
      assert.deepEqual(stored, {
        subjectType: 'invoice',
        subjectId: invoice.id,
        authorType: 'contact_person',
        shownInPortal: 1,
      });
      // After a reload the comment is still there (it came from the server, not only from the screen).
      await page.reload();
      await thread
        .locator('.comment-text')
        .filter({ hasText: `(${viewport})` })
        .waitFor();

      // Save PDF: the server's PDF, as a download.
      const [pdf] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Save PDF' }).click(),
      ]);
      assert.match(pdf.suggestedFilename(), /\.pdf$/);
      assert.equal((await downloaded(pdf)).subarray(0, 4).toString('latin1'), '%PDF');

      // An estimate has the same actions and a thread.
      await page.getByRole('link', { name: 'Estimates', exact: true }).click();
      await page.getByRole('table').getByRole('link').first().click();
      await page.getByRole('heading', { name: /^Estimate / }).waitFor();
      await page.getByRole('link', { name: 'Save PDF' }).waitFor();
      await page.getByRole('button', { name: 'Forward' }).waitFor();
      await page.getByRole('region', { name: 'Comments' }).getByLabel('Your comment').waitFor();
      await checkScreen(page, 'estimate-with-comments', viewport);

      // Retainers: the list (filters), a retainer invoice with its payment, which links to the payment.
      await navigate(page, 'Retainers');
      await page.getByRole('heading', { name: 'Retainer invoices' }).waitFor();
      await page.getByRole('table').getByRole('link').first().waitFor();
      assert.equal(await page.getByRole('table').getByRole('row').count(), 3, 'a header and two retainers');
      await checkScreen(page, 'retainers', viewport);
      await page.getByRole('link', { name: 'Paid', exact: true }).click();
      await page.getByRole('table').getByText('Paid').first().waitFor();
      await page.getByRole('table').getByText('Awaiting payment').waitFor({ state: 'detached' });
      await page.getByRole('table').getByRole('link').first().click();
      await page.getByRole('heading', { name: /^Retainer invoice / }).waitFor();
      await page.getByText('Advance for the spring campaign').waitFor();
      const balance = await page.locator('.amount-due .big-amount').textContent();
      assert.equal(balance, '$0.00', 'the paid retainer has nothing due');
      await page.getByRole('region', { name: 'Comments' }).getByText('No comments yet.', { exact: false }).waitFor();
      await checkScreen(page, 'retainer', viewport);
      const [retainerPdf] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Save PDF' }).click(),
      ]);
      assert.equal((await downloaded(retainerPdf)).subarray(0, 4).toString('latin1'), '%PDF');
      await page.getByRole('region', { name: 'Payments received' }).getByRole('link').first().click();
      await page.getByRole('heading', { name: /^Payment / }).waitFor();
      await page.getByText('Paid against retainer invoice').waitFor();
      await page.getByText('ACH 89977').waitFor();
      await checkScreen(page, 'payment-retainer', viewport);

      // Payments: the list, a payment applied to invoices (each linking to it), its receipt.
      await navigate(page, 'Payments');
      await page.getByRole('heading', { name: 'Payments' }).waitFor();
      await page.getByRole('table').getByText('ACH 88120').waitFor();
      await checkScreen(page, 'payments', viewport);
      await page.getByRole('row').filter({ hasText: 'ACH 88120' }).getByRole('link').click();
      await page.getByRole('heading', { name: /^Payment / }).waitFor();
      const applied = page.getByRole('region', { name: 'Applied to invoices' });
      await applied.getByRole('link').first().waitFor();
      await checkScreen(page, 'payment', viewport);
      const [receipt] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download receipt' }).click(),
      ]);
      assert.equal((await downloaded(receipt)).subarray(0, 4).toString('latin1'), '%PDF');
      await applied.getByRole('link').first().click();
      await page.getByText('Amount due').waitFor();
      await page.context().close();
    });
  }

  test('documents say who they are from and to; printing gives the document alone, with the business’s name', async () => {
    const db = portico.ctx.db.kysely;
    const alice = await db
      .selectFrom('contactPersons')
      .select(['organizationId', 'customerId'])
      .where('email', '=', ALICE)
      .executeTakeFirstOrThrow();
    const shipping = JSON.stringify({ street1: '400 Dock Road', city: 'Salem', country: 'US' });
    const before = await db
      .selectFrom('customers')
      .select('shippingAddress')
      .where('id', '=', alice.customerId)
      .executeTakeFirstOrThrow();
    const organizationBefore = await db
      .selectFrom('organizations')
      .select('address')
      .where('id', '=', alice.organizationId)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('organizations')
      .set({ address: JSON.stringify({ street1: '1 Harbor Way', city: 'Boston', state: 'MA' }) })
      .where('id', '=', alice.organizationId)
      .execute();
    await db.updateTable('customers').set({ shippingAddress: shipping }).where('id', '=', alice.customerId).execute();
    try {
      const page = await newPage('desktop');
      await signIn(page);
      const parties = async (withShipTo: boolean) => {
        const from = page.getByRole('region', { name: 'From' });
        await from.getByText('Northwind Studio', { exact: true }).waitFor();
        await from.getByText('1 Harbor Way').waitFor();
        const billTo = page.getByRole('region', { name: 'Bill to' });
        await billTo.getByText('Bluebird Bakery', { exact: true }).waitFor();
        await billTo.getByText('12 Orchard Street').waitFor();
        const shipTo = page.getByRole('region', { name: 'Ship to' });
        if (withShipTo) await shipTo.getByText('400 Dock Road').waitFor();
        else assert.equal(await shipTo.count(), 0, 'no Ship to without a shipping address');
      };

      await openCommentedInvoice(page);
      await parties(true);
      const invoice = await db
        .selectFrom('invoices')
        .select(['notes', 'terms'])
        .where(
          'number',
          '=',
          (await page.getByRole('heading', { level: 1 }).textContent())?.replace('Invoice ', '') ?? '',
        )
        .executeTakeFirstOrThrow();
      if (invoice.notes) await page.getByRole('heading', { name: 'Notes' }).waitFor();
      if (invoice.terms) await page.getByRole('heading', { name: 'Terms' }).waitFor();
      await checkScreen(page, 'invoice-parties', 'desktop');

      // Print: no frame, navigation or buttons; the business's name leads the document, as on its PDF.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false, 'no navigation');
      assert.equal(await page.locator('.topbar').isVisible(), false, 'no top bar');
      assert.equal(await page.getByRole('link', { name: 'Save PDF' }).isVisible(), false, 'no buttons');
      assert.equal(await page.getByRole('region', { name: 'Comments' }).isVisible(), false, 'no comments');
      assert.equal(await page.locator('.from-name').textContent(), 'Northwind Studio');
      assert.ok(await page.locator('.from-name').isVisible(), 'the business’s name is printed');
      await page.emulateMedia({ media: 'screen' });

      await navigate(page, 'Estimates');
      await page.getByRole('table').getByRole('link').first().click();
      await page.getByRole('heading', { name: /^Estimate / }).waitFor();
      await parties(true);

      await db.updateTable('customers').set({ shippingAddress: '{}' }).where('id', '=', alice.customerId).execute();
      await navigate(page, 'Retainers');
      await page.getByRole('table').getByRole('link').first().click();
      await page.getByRole('heading', { name: /^Retainer invoice / }).waitFor();
      await parties(false);
      await page.context().close();
    } finally {
      await db
        .updateTable('customers')
        .set({ shippingAddress: before.shippingAddress })
        .where('id', '=', alice.customerId)
        .execute();
      await db
        .updateTable('organizations')
        .set({ address: organizationBefore.address })
        .where('id', '=', alice.organizationId)
        .execute();
    }
  });

  test('an estimate revised after the client declined it says so, and can be decided again', async () => {
    const db = portico.ctx.db.kysely;
    const declined = await db
      .selectFrom('estimates')
      .select(['id', 'number'])
      .where('status', '=', 'declined')
      .where('declineReason', 'like', 'We will revisit the app%')
      .executeTakeFirstOrThrow();
    const business = await businessSession(portico.baseUrl, 'owner@northwind.example', DEMO_PASSWORDS.owner);
    const edited = await business.call('PATCH', `/api/v1/estimates/${declined.id}`, {
      notes: 'A smaller first phase.',
    });
    assert.equal(edited.status, 200, await edited.text());
    const sent = await business.call('POST', `/api/v1/estimates/${declined.id}/send`, {});
    assert.equal(sent.status, 200, await sent.text());

    const page = await newPage('desktop');
    await signIn(page);
    await page.goto(`${portico.baseUrl}/portal/northwind/estimates/${declined.id}`);
    await page.getByRole('heading', { name: `Estimate ${declined.number}` }).waitFor();
    const today = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date());
    await page.getByText(`Revised on ${today}`).waitFor();
    await page.getByText('A smaller first phase.').waitFor();
    await page.getByRole('button', { name: 'Accept' }).waitFor();
    assert.equal(await page.getByText('You declined this estimate').count(), 0, 'the old decision is gone');
    await checkScreen(page, 'estimate-revised', 'desktop');
    const viewed = await db.selectFrom('estimates').select('viewedAt').where('id', '=', declined.id).executeTakeFirst();
    assert.ok(viewed?.viewedAt, 'the revision’s first view is recorded');
    await page.context().close();
  });

  test('forward an invoice: invalid address, sent with its PDF, then rate-limited', async () => {
    const page = await newPage('desktop');
    await signIn(page);
    const invoice = await openCommentedInvoice(page);

    await page.getByRole('button', { name: 'Forward' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Recipient’s e-mail').fill('accounts@bluebird');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByRole('alert').getByText('Enter one e-mail address').waitFor();
    assert.equal(await dialog.getByLabel('Recipient’s e-mail').getAttribute('aria-invalid'), 'true');

    await dialog.getByLabel('Recipient’s e-mail').fill('accounts@bluebird-bakery.example');
    await dialog.getByLabel('Message (optional)').fill('For the books — thanks!');
    await checkScreen(page, 'invoice-forward-dialog', 'desktop');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').getByText('Sent to accounts@bluebird-bakery.example.').waitFor();
    assert.equal(await dialog.isVisible(), false, 'the dialog closed');
    await checkScreen(page, 'invoice-forwarded', 'desktop');

    const message = await portico.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select(['toAddress', 'subject', 'textBody', 'attachments'])
      .where('toAddress', '=', 'accounts@bluebird-bakery.example')
      .executeTakeFirstOrThrow();
    assert.match(message.subject, new RegExp(invoice.number));
    assert.match(message.textBody, /For the books — thanks!/);
    const attachments = JSON.parse(message.attachments) as Array<{
      filename: string;
      contentType: string;
      contentBase64: string;
    }>;
    assert.equal(attachments.length, 1);
    assert.equal(attachments[0]?.contentType, 'application/pdf');
    assert.equal(
      Buffer.from(attachments[0]?.contentBase64 ?? '', 'base64')
        .subarray(0, 4)
        .toString('latin1'),
      '%PDF',
    );

    // Ten forwards a day are a client's budget (docs/limits.md): with it spent, the next one is refused, in words.
    const me = await portico.ctx.db.kysely
      .selectFrom('contactPersons')
      .select('id')
      .where('email', '=', ALICE)
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const spent = { failures: 10, windowStartedAt: now, blockedUntil: null, updatedAt: now };
    await portico.ctx.db.kysely
      .insertInto('throttles')
      .values({ key: `action:forward:contact:${me.id}`, ...spent })
      .onConflict((oc) => oc.column('key').doUpdateSet(spent))
      .execute();
    await page.getByRole('button', { name: 'Forward' }).click();
    await dialog.getByLabel('Recipient’s e-mail').fill('someone@bluebird-bakery.example');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByRole('alert').getByText('Too many documents were forwarded recently').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.context().close();
  });

  test('no Forward when the business does not allow it', async () => {
    const org = await portico.ctx.db.kysely
      .selectFrom('contactPersons')
      .select('organizationId')
      .where('email', '=', ALICE)
      .executeTakeFirstOrThrow();
    await portico.ctx.db.kysely
      .updateTable('organizations')
      .set({ portalAllowForwarding: 0 })
      .where('id', '=', org.organizationId)
      .execute();
    try {
      const page = await newPage('phone');
      await signIn(page);
      await openCommentedInvoice(page);
      await page.getByRole('link', { name: 'Save PDF' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Forward' }).count(), 0);
      await page.context().close();
    } finally {
      await portico.ctx.db.kysely
        .updateTable('organizations')
        .set({ portalAllowForwarding: 1 })
        .where('id', '=', org.organizationId)
        .execute();
    }
  });
});
