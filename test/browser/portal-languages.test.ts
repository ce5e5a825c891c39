/// <reference lib="dom" />
/**
 * The client portal in French and in Japanese (issue 19): one full journey in each — sign in, Home, an invoice,
 * accepting an estimate, the statement — on the demo data in a real browser, every screen checked by axe-core.
 *
 * French: Alice's browser speaks French, so the sign-in page does; her business (Northwind, en-US) writes in
 * English until she picks Français on My details, and from then on the portal is French. Japanese: Kōbe Works'
 * locale is ja-JP and Yuki chose nothing, so the portal follows the organization.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD } from '../../src/cli/demo-data.js';
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

describe('client portal: a journey in French and one in Japanese', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  before(async () => {
    portico = await startPorticoWithBrowser();
  });
  after(() => portico?.close());

  async function newPage(locale: string): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  async function checkScreen(page: Page, name: string) {
    await page.waitForFunction(() => document.querySelector('.skeleton') === null);
    assert.deepEqual(await accessibilityViolations(page), [], `${name} has accessibility violations`);
    await screenshot(page, name, 'desktop');
  }

  /** The demo client's first awaiting estimate and an invoice with money due, read from the database. */
  async function documentsOf(email: string) {
    const db = portico.ctx.db.kysely;
    const { customerId } = await db
      .selectFrom('contactPersons')
      .select('customerId')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const invoice = await db
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('customerId', '=', customerId)
      .where('balance', '>', 0)
      .where('status', 'not in', ['draft', 'void'])
      .orderBy('issueDate', 'desc')
      .executeTakeFirstOrThrow();
    const estimate = await db
      .selectFrom('estimates')
      .select(['id', 'number'])
      .where('customerId', '=', customerId)
      .where('status', '=', 'sent')
      .orderBy('issueDate', 'desc')
      .executeTakeFirstOrThrow();
    return { invoice, estimate };
  }

  test('French: the sign-in page follows the browser, then Alice picks Français and reads everything in it', async () => {
    const alice = 'alice@bluebird-bakery.example';
    const { invoice, estimate } = await documentsOf(alice);
    const page = await newPage('fr-FR');
    const portal = `${portico.baseUrl}/portal/northwind`;

    await page.goto(`${portal}/sign-in`);
    await page.getByRole('heading', { name: 'Connectez-vous à votre portail client' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    await checkScreen(page, 'fr-sign-in');
    await page.getByLabel('E-mail').fill(alice);
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // Signed in, the portal writes as Northwind does: in English, until Alice chooses.
    await page.getByRole('heading', { name: 'Net balance' }).waitFor();

    await page.goto(`${portal}/account`);
    await page.getByRole('heading', { name: 'My details' }).waitFor();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await page.getByRole('button', { name: 'Use this language' }).click();
    await page.getByText('Votre langue est enregistrée.').waitFor();
    await page.getByRole('heading', { name: 'Mes coordonnées' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    await checkScreen(page, 'fr-account');

    await page.goto(`${portal}/`);
    await page.getByRole('heading', { name: 'Solde net' }).waitFor();
    // Money in the French way: "1 234,56 $US" — a comma before the cents.
    assert.match((await page.locator('.balance-card .big-amount').first().textContent()) ?? '', /\d,\d{2}\s/);
    await checkScreen(page, 'fr-home');

    await page.getByRole('link', { name: 'Factures', exact: true }).click();
    await page.getByRole('heading', { name: 'Factures', exact: true }).waitFor();
    await page.getByRole('link', { name: invoice.number }).first().click();
    await page.getByText('Montant dû').first().waitFor();
    await checkScreen(page, 'fr-invoice');

    await page.goto(`${portal}/estimates/${estimate.id}`);
    await page.getByRole('button', { name: 'Accepter' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Votre nom').fill('Alice Martin');
    await checkScreen(page, 'fr-estimate-accept');
    await dialog.getByRole('button', { name: 'Accepter' }).click();
    await page.getByText(/Vous avez accepté ce devis le/).waitFor();
    await page.getByText('Signé au nom de Alice Martin.').waitFor();

    await page.goto(`${portal}/statement?period=this_year`);
    await page.getByRole('heading', { name: 'Relevé de compte' }).waitFor();
    // The lines' details are written in French from their facts: "Échéance le 14 avr. 2026", "Paiement (Carte)".
    const lines = page.locator('table.statement-lines');
    await lines
      .getByText(/^Échéance le \d/)
      .first()
      .waitFor();
    await lines
      .getByText(/^Paiement \(/)
      .first()
      .waitFor();
    assert.doesNotMatch((await lines.textContent()) ?? '', /Due |Payment \(/);
    await checkScreen(page, 'fr-statement');

    const accepted = await portico.ctx.db.kysely
      .selectFrom('estimates')
      .select(['status', 'signatureName'])
      .where('id', '=', estimate.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(accepted, { status: 'accepted', signatureName: 'Alice Martin' });
    // Her choice is kept: the e-mails and PDFs sent to her are in French too.
    const chosen = await portico.ctx.db.kysely
      .selectFrom('contactPersons')
      .select('language')
      .where('email', '=', alice)
      .executeTakeFirstOrThrow();
    assert.equal(chosen.language, 'fr');
    await page.context().close();
  });

  test('Japanese: Kōbe Works writes in Japanese, and Yuki’s portal follows it from sign-in to statement', async () => {
    const yuki = 'yuki@sakura-tea.example';
    const { invoice, estimate } = await documentsOf(yuki);
    const page = await newPage('ja-JP');
    const portal = `${portico.baseUrl}/portal/kobe-works`;

    await page.goto(`${portal}/sign-in`);
    await page.getByRole('heading', { name: 'クライアントポータルにログイン' }).waitFor();
    await checkScreen(page, 'ja-sign-in');
    await page.getByLabel('メールアドレス').fill(yuki);
    await page.getByLabel('パスワード', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('heading', { name: '差引残高' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
    // Yen have no decimals: "￥150,000" (Japanese yen sign), never "150,000.00".
    assert.match((await page.locator('.balance-card .big-amount').first().textContent()) ?? '', /[￥¥][\d,]+(?!\.)/);
    await checkScreen(page, 'ja-home');

    await page.getByRole('link', { name: '請求書', exact: true }).click();
    await page.getByRole('heading', { name: '請求書', exact: true }).waitFor();
    await page.getByRole('link', { name: invoice.number }).first().click();
    await page.getByText('ご請求額').first().waitFor();
    await checkScreen(page, 'ja-invoice');

    await page.goto(`${portal}/estimates/${estimate.id}`);
    await page.getByRole('button', { name: '承認する' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('お名前').fill('田中 由紀');
    await checkScreen(page, 'ja-estimate-accept');
    await dialog.getByRole('button', { name: '承認する' }).click();
    await page.getByText(/この見積書を承認しました/).waitFor();
    await page.getByText('田中 由紀として署名しました。').waitFor();

    await page.goto(`${portal}/statement?period=this_year`);
    await page.getByRole('heading', { name: '取引明細書' }).waitFor();
    await page
      .locator('table.statement-lines')
      .getByText(/^支払期日 /)
      .first()
      .waitFor();
    await checkScreen(page, 'ja-statement');

    await page.goto(`${portal}/account`);
    await page.getByRole('heading', { name: '登録情報' }).waitFor();
    const choice = page.getByRole('combobox', { name: '言語' });
    assert.equal(await choice.inputValue(), '', 'Yuki follows Kōbe Works');
    assert.equal(
      (await choice.locator('option').first().textContent())?.trim(),
      'Kōbe Worksと同じ（日本語）',
      'the first choice names the business and its language',
    );
    await checkScreen(page, 'ja-account');

    const accepted = await portico.ctx.db.kysely
      .selectFrom('estimates')
      .select(['status', 'signatureName'])
      .where('id', '=', estimate.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(accepted, { status: 'accepted', signatureName: '田中 由紀' });
    await page.context().close();
  });
});
