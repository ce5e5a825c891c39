/// <reference lib="dom" />
/**
 * People read words, not the program's codes (issue 18, test/support/words.ts): a few journeys' screens after bad
 * input, and every e-mail the journeys sent through real SMTP, are read for a message key or status code shown raw
 * ("status.partially_paid"), a validator's text ("must match pattern", "^…$") and "(s)" plurals. Every screen as it
 * first opens is read by the every-screen crawl. Words do not depend on the database: this runs on SQLite only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD } from '../../src/cli/demo-data.js';
import { createMailer } from '../../src/notify/mailer.js';
import { deliverDueMessages } from '../../src/notify/worker.js';
import { looksTestsUnavailable, type RunningPortico, startPorticoWithBrowser } from '../support/browser.js';
import { DEMO_CLIENT, openScreen, signedInPage } from '../support/screens.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { rawTextIn, rawWordsOn } from '../support/words.js';

const unavailable = looksTestsUnavailable('the words do not depend on the database; checked on SQLite');

describe('no raw codes, patterns or "(s)" after bad input or in any e-mail', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let smtp: TestSmtpServer;
  before(async () => {
    portico = await startPorticoWithBrowser();
    smtp = await startSmtpServer();
  });
  after(async () => {
    await portico?.close();
    await smtp?.close();
  });

  test('the rule finds what it looks for', () => {
    assert.equal(rawTextIn('Status: status.partially_paid').length, 1);
    assert.equal(rawTextIn('must match pattern "^\\S+@\\S+$"').length, 1);
    assert.equal(rawTextIn('3 invoice(s) due').length, 1);
    assert.deepEqual(rawTextIn('Invoice INV-00012 · Partially paid · $1,200.00\nhttps://x.example/a.b_c?t=d.e_f'), []);
  });

  async function read(page: Page, where: string, found: string[]) {
    found.push(...(await rawWordsOn(page, where)));
  }

  test('journeys with bad input, then every e-mail they and the demo sent', async () => {
    const found: string[] = [];
    const page = await signedInPage(portico.browser, portico.baseUrl, 'desktop', 'portal');
    const invoice = await portico.ctx.db.kysely
      .selectFrom('invoices')
      .innerJoin('contactPersons as cp', 'cp.customerId', 'invoices.customerId')
      .select(['invoices.id'])
      .where('cp.email', '=', DEMO_CLIENT)
      .where('invoices.status', '=', 'sent')
      .executeTakeFirstOrThrow();
    const estimate = await portico.ctx.db.kysely
      .selectFrom('estimates')
      .innerJoin('contactPersons as cp', 'cp.customerId', 'estimates.customerId')
      .select(['estimates.id'])
      .where('cp.email', '=', DEMO_CLIENT)
      .where('estimates.status', '=', 'sent')
      .executeTakeFirstOrThrow();

    // The client: an empty comment, then a comment; a forward to a bad address, then to a good one.
    await openScreen(page, portico.baseUrl, `/portal/northwind/invoices/${invoice.id}`);
    const thread = page.getByRole('region', { name: 'Comments' });
    await thread.getByRole('button', { name: 'Send' }).click();
    await thread.getByRole('alert').waitFor();
    await read(page, 'an empty comment', found);
    await thread.getByLabel('Your comment').fill('Could you add our PO number?');
    await thread.getByRole('button', { name: 'Send' }).click();
    await thread.locator('.comment', { hasText: 'Could you add our PO number?' }).waitFor();
    await page.getByRole('button', { name: 'Forward' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Recipient’s e-mail').fill('accounts@bluebird');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByRole('alert').waitFor();
    await read(page, 'a forward to a bad address', found);
    await dialog.getByLabel('Recipient’s e-mail').fill('accounts@bluebird-bakery.example');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').getByText('Sent to accounts@bluebird-bakery.example.').waitFor();

    // The client declines an estimate, with a reason: the business is told by e-mail.
    await openScreen(page, portico.baseUrl, `/portal/northwind/estimates/${estimate.id}`);
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('Over our budget this quarter.');
    await page.getByRole('dialog').getByRole('button', { name: 'Decline' }).click();
    await page.getByText('You declined this estimate', { exact: false }).waitFor();
    await read(page, 'a declined estimate', found);

    // The password: a new one too short is refused, in words.
    await openScreen(page, portico.baseUrl, '/portal/northwind/account/password');
    await page.getByLabel('Current password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('.field-error').first().waitFor();
    await read(page, 'a password too short', found);
    await page.context().close();

    // The business: an invoice saved with nothing in it, and with a quantity and rate that are not numbers.
    const office = await signedInPage(portico.browser, portico.baseUrl, 'desktop', 'backoffice');
    await openScreen(office, portico.baseUrl, '/app/invoices/new');
    await office.getByRole('button', { name: 'Save as draft' }).click();
    await office.locator('.field-error, .notice.error').first().waitFor();
    await read(office, 'an empty invoice', found);
    await office.getByLabel('Qty').first().fill('two');
    await office.getByLabel('Rate (USD)').first().fill('1,2,3');
    await office.getByRole('button', { name: 'Save as draft' }).click();
    await office.locator('.field-error, .notice.error').first().waitFor();
    await read(office, 'an invoice with words for figures', found);
    await office.context().close();

    // Forgotten password: the reset e-mail.
    const forgot = await fetch(`${portico.baseUrl}/api/portal/northwind/password/forgot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_CLIENT }),
    });
    assert.ok(forgot.status < 300, `forgot password: ${forgot.status}`);

    // Everything in the outbox (the demo's invitations and documents, the journeys' notifications) through SMTP.
    const mailer = createMailer({ ...portico.ctx.config, smtpUrl: smtp.url });
    for (let round = 0; round < 50; round += 1) {
      const result = await deliverDueMessages(portico.ctx, mailer, { batchSize: 50 });
      if (result.claimed === 0) break;
    }
    const pending = await portico.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '!=', 'sent')
      .executeTakeFirstOrThrow();
    assert.equal(Number(pending.n), 0, 'every e-mail was delivered');
    assert.ok(smtp.messages.length >= 5, `e-mails received: ${smtp.messages.length}`);
    const subjects = smtp.messages.map((mail) => mail.parsed.subject ?? '');
    assert.ok(
      subjects.some((subject) => /forward|shared|INV-/i.test(subject)),
      'the forward was sent',
    );
    for (const mail of smtp.messages) {
      const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
      const htmlText = html
        .replace(/<style[\s\S]*?<\/style>/gi, ' ')
        .replace(/<[^>]+>/g, '\n')
        .replace(/&[a-z#0-9]+;/gi, ' ');
      const where = `e-mail "${mail.parsed.subject}" to ${mail.envelope.to.join(', ')}`;
      for (const problem of rawTextIn([mail.parsed.subject ?? '', mail.parsed.text ?? '', htmlText].join('\n'))) {
        found.push(`${where}: ${problem}`);
      }
    }
    assert.deepEqual(found, []);
  });
});
