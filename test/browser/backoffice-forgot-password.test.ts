/// <reference lib="dom" />
/**
 * "Forgot password?" for business users in a real browser, on the demo data, with a real SMTP server: the sign-in
 * screen's link, the request (the same words whoever asks), the e-mail's link opened, a weak password refused, a
 * new one saved and signed in; the session open elsewhere has ended and the used link says so. axe and a
 * screenshot of each screen at desktop and phone width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import { createMailer } from '../../src/notify/mailer.js';
import { deliverDueMessages } from '../../src/notify/worker.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const OWNER = 'owner@northwind.example';
const NEW_PASSWORD = 'a fresh passphrase for the back office';

describe('back office: forgot password in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let smtp: TestSmtpServer;

  before(async () => {
    portico = await startPorticoWithBrowser();
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp?.close();
    await portico?.close();
  });

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

  async function signIn(page: Page, password: string) {
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Delivers the outbox to the SMTP server and returns the newest reset link sent to `to`. */
  async function resetLinkSentTo(to: string): Promise<string> {
    const mailer = createMailer({ ...portico.ctx.config, smtpUrl: smtp.url });
    try {
      await deliverDueMessages(portico.ctx, mailer);
    } finally {
      await mailer.close();
    }
    const isReset = (text: string | undefined) => (text ?? '').includes('/app/reset-password#token=');
    await smtp.waitFor((messages) => messages.some((m) => m.envelope.to.includes(to) && isReset(m.parsed.text)));
    const mail = smtp.messages.filter((m) => m.envelope.to.includes(to) && isReset(m.parsed.text)).at(-1);
    assert.equal(mail?.parsed.subject, 'Reset your Northwind Studio back office password');
    const link = /(http\S+\/app\/reset-password#token=[A-Za-z0-9_-]+)/.exec(mail?.parsed.text ?? '')?.[1];
    assert.ok(link?.startsWith(`${portico.baseUrl}/app/reset-password#token=`), 'a link to this server');
    return link ?? '';
  }

  test('ask for a link, choose a new password from the e-mail, be signed in; the old session ends', async () => {
    const elsewhere = await newPage('desktop');
    await signIn(elsewhere, DEMO_PASSWORDS.owner);
    await elsewhere.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

    const page = await newPage('desktop');
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?', level: 1 }).waitFor();
    await checkScreen(page, 'forgot-password', 'desktop');
    await page.getByLabel('E-mail').fill('nobody@northwind.example');
    await page.getByRole('button', { name: 'Send the link' }).click();
    const answer = page.getByRole('status');
    await answer.waitFor();
    const unknownWords = await answer.textContent();

    await page.goto(`${portico.baseUrl}/app/forgot-password`);
    await page.getByLabel('E-mail').fill(OWNER);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').waitFor();
    assert.equal(await page.getByRole('status').textContent(), unknownWords, 'the same words whoever asks');
    await checkScreen(page, 'forgot-password-sent', 'desktop');
    const link = await resetLinkSentTo(OWNER);

    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    await checkScreen(page, 'reset-password', 'desktop');
    await page.getByLabel('New password').fill('too short');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /characters/);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token is gone from the address bar');

    await elsewhere.reload();
    await elsewhere.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();

    const again = await newPage('desktop');
    await again.goto(link);
    await again.getByLabel('New password').fill('yet another passphrase to try');
    await again.getByRole('button', { name: 'Save and sign in' }).click();
    await again.getByRole('alert').getByText('This link has been used or has expired.').waitFor();
    await again.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await checkScreen(again, 'reset-password-spent', 'desktop');

    const fresh = await newPage('desktop');
    await signIn(fresh, DEMO_PASSWORDS.owner);
    await fresh.getByRole('alert').waitFor();
    await signIn(fresh, NEW_PASSWORD);
    await fresh.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  });

  test('phone: the forgot and reset screens fit and pass axe', async () => {
    const page = await newPage('phone');
    await page.goto(`${portico.baseUrl}/app/forgot-password`);
    await page.getByRole('heading', { name: 'Forgot your password?', level: 1 }).waitFor();
    await checkScreen(page, 'forgot-password', 'phone');
    await page.goto(`${portico.baseUrl}/app/reset-password#token=not-a-real-token`);
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    await checkScreen(page, 'reset-password', 'phone');
  });
});
