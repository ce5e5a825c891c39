/// <reference lib="dom" />
/**
 * Second factors in a real browser (issue 19): a contact person sets up an authenticator app (the QR code, the key,
 * a first code) and a passkey (Chromium's virtual authenticator, through the DevTools protocol), sees the recovery
 * codes once, then signs in with the password and each of them: a passkey, a code from the app, a recovery code.
 * Each screen is checked by axe-core at desktop width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  accessibilityViolations,
  browserTestsUnavailable,
  businessSession,
  type RunningPortico,
  screenshot,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';
import { DEMO_OWNER } from '../support/screens.js';

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';

describe('second factors in a browser', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  before(async () => {
    portico = await startPorticoWithBrowser({ host: 'localhost' });
  });
  after(() => portico?.close());

  async function checkScreen(page: Page, name: string) {
    assert.deepEqual(await accessibilityViolations(page), [], `${name} has accessibility violations`);
    await screenshot(page, name, 'desktop');
  }

  async function password(page: Page) {
    await page.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
    await page.getByLabel('E-mail').fill(ALICE);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(page: Page) {
    await page.evaluate(async () => {
      const { csrfToken } = await (await fetch('/api/portal/northwind/session')).json();
      await fetch('/api/portal/northwind/session', { method: 'DELETE', headers: { 'x-csrf-token': csrfToken } });
    });
  }

  test('set up an authenticator app and a passkey, then sign in with each, and with a recovery code', async () => {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    // A virtual passkey authenticator, as a phone or a laptop's fingerprint reader would be.
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await password(page);
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
    await page.goto(`${portico.baseUrl}/portal/northwind/account/security`);
    await page.getByRole('heading', { name: 'Sign-in security', level: 1 }).waitFor();
    await page.getByText('No second factor is set up yet.').waitFor();
    await checkScreen(page, 'portal-security-empty');

    // The authenticator app: the QR code and the key, then a first code confirms it.
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    const secret = (await page.locator('.totp-secret').textContent()) ?? '';
    const totp = new TOTP({ secret });
    await checkScreen(page, 'portal-security-totp');
    await page.getByLabel('The 6-digit code the app shows').fill(totp.generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    const codes = await page.locator('.recovery-codes code').allTextContents();
    assert.equal(codes.length, 10);
    await checkScreen(page, 'portal-security-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText('10 recovery codes left').waitFor();

    // The passkey, made by the virtual authenticator.
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('button', { name: 'Remove: Passkey' }).waitFor();
    assert.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length, 1);
    await checkScreen(page, 'portal-security-factors');

    // Sign in with the password, then the passkey.
    await signOut(page);
    await password(page);
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    await checkScreen(page, 'portal-second-step');
    assert.equal(
      await page.getByLabel('Code from your authenticator app').getAttribute('autocomplete'),
      'one-time-code',
    );
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();

    // With a code from the app: a code is accepted once, so the one enrolment used would be refused; the next
    // 30-second step's code is (a clock one step ahead is accepted), without waiting for it.
    await signOut(page);
    await password(page);
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    await page.getByLabel('Code from your authenticator app').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();

    // With a recovery code, once.
    await signOut(page);
    await password(page);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(codes[0] ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();
    await signOut(page);
    await password(page);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(codes[0] ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Confirm it is you' }).isVisible(), true);
    await context.close();
  });

  test('an organization requiring a second factor sends a password-only sign-in to enrolment', async () => {
    const owner = await businessSession(portico.baseUrl, DEMO_OWNER, DEMO_PASSWORDS.owner);
    const required = await owner.call('PATCH', '/api/v1/organization', { requireSecondFactor: true });
    assert.equal(required.status, 200);
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByLabel('E-mail').fill(DEMO_OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Wherever the app was headed, the only screen open is the one to set up a second factor.
    await page.waitForURL((url) => url.pathname === '/app/settings/security');
    await page.getByText('A second factor is required here. Set one up to go on.').waitFor();
    await checkScreen(page, 'backoffice-security-required');
    await page.goto(`${portico.baseUrl}/app/invoices`);
    await page.waitForURL((url) => url.pathname === '/app/settings/security');

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.locator('.totp-secret').textContent()) ?? '';
    await page.getByLabel('The 6-digit code the app shows').fill(new TOTP({ secret }).generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.goto(`${portico.baseUrl}/app/invoices`);
    await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
    await context.close();
  });
});
