/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Every screen of both apps fits its viewport (issue 18, points 5 and 9): at phone width (360 px) no page scrolls
 * sideways, and at desktop width (1280 px) no number or date cell of a list wraps ("INV-/00010") and the document
 * editor's selects are wide enough for their longest option ("Sales tax (8.25%)"). Each screen is
 * opened straight from its address, signed in, on the demo data, and measured once it has its heading.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import {
  browserTestsUnavailable,
  type RunningPortico,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

// Layout is the browser's and the stylesheet's: the same demo data on either database draws the same screens, so
// this (the longest browser test) runs once, on SQLite.
const unavailable =
  browserTestsUnavailable() ??
  (process.env.TEST_DB === 'postgres' ? 'layout does not depend on the database; checked on SQLite' : null);
if (unavailable) console.log(`# browser tests skipped: ${unavailable}`);

const ALICE = 'alice@bluebird-bakery.example';
const OWNER = 'owner@northwind.example';

/** What a screen shows that should not: wider than the window, or list cells of figures broken over lines. */
async function layoutProblems(page: Page, viewport: keyof typeof VIEWPORTS): Promise<string[]> {
  return page.evaluate((checkWrapping) => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      // Name the innermost elements that stick out: those are what to fix.
      const sticksOut = (element: Element) => element.getBoundingClientRect().right > width + 1;
      const widest = [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((element) => sticksOut(element) && ![...element.children].some(sticksOut))
        .slice(0, 3)
        .map(
          (element) => `${element.tagName.toLowerCase()}.${element.className} "${element.textContent?.slice(0, 30)}"`,
        );
      problems.push(`the page is ${document.documentElement.scrollWidth}px wide in ${width}px (${widest.join(', ')})`);
    }
    if (checkWrapping) {
      // A select is wide enough for its longest option ("Sales tax (8.25%)", not "Sales tax ("): measured with the
      // select's own font, plus its padding and the room of its arrow.
      const measure = document.createElement('canvas').getContext('2d');
      for (const select of document.querySelectorAll<HTMLSelectElement>('select')) {
        if (!measure || select.offsetParent === null) continue;
        const style = getComputedStyle(select);
        measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const longest = [...select.options].reduce(
          (widest, option) =>
            measure.measureText(option.text).width > widest.width
              ? { text: option.text, width: measure.measureText(option.text).width }
              : widest,
          { text: '', width: 0 },
        );
        const room =
          select.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight) - 20;
        if (longest.width > room)
          problems.push(`the select "${select.labels[0]?.textContent?.trim()}" cuts "${longest.text}"`);
      }

      // Figures, document numbers and dates: `td.num` cells, and any cell that is only a number like INV-00010
      // or a date like Mar 5, 2026.
      const figure = /^([A-Z]{2,6}-\d+|[A-Z][a-z]{2,8} \d{1,2}, \d{4}|\d{1,2} [A-Za-zéû.]{3,9} \d{4})$/;
      const cells = [...document.querySelectorAll<HTMLElement>('table td, table th[scope="row"]')].filter(
        (cell) => cell.classList.contains('num') || figure.test(cell.textContent?.trim() ?? ''),
      );
      for (const cell of cells) {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) problems.push(`"${cell.textContent?.trim()}" wraps over ${lines.size} lines`);
      }
    }
    return problems;
  }, viewport === 'desktop');
}

describe('every screen fits its viewport', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  const ids: Record<string, string> = {};
  /** A few documents of each kind, of different statuses: their histories and lines differ in length. */
  let documents: Array<{ kind: 'invoices' | 'estimates'; id: string; customerId: string }> = [];
  before(async () => {
    portico = await startPorticoWithBrowser();
    const db = portico.ctx.db.kysely;
    const northwind = await db
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', 'northwind')
      .executeTakeFirstOrThrow();
    const alice = await db
      .selectFrom('contactPersons')
      .select('customerId')
      .where('email', '=', ALICE)
      .executeTakeFirstOrThrow();
    const first = async (
      table: 'invoices' | 'estimates' | 'retainerInvoices' | 'customerPayments' | 'projects',
      status?: string,
    ) => {
      let query = db.selectFrom(table).select('id').where('customerId', '=', alice.customerId);
      if (status) query = query.where('status', '=', status as never);
      return (await query.orderBy('id').executeTakeFirstOrThrow()).id;
    };
    ids.invoice = await first('invoices', 'sent');
    ids.estimate = await first('estimates');
    ids.declinedEstimate = await first('estimates', 'declined');
    ids.retainer = await first('retainerInvoices');
    ids.payment = await first('customerPayments');
    ids.project = await first('projects');
    ids.customer = alice.customerId;
    for (const kind of ['invoices', 'estimates'] as const) {
      const rows = await db
        .selectFrom(kind)
        .select(['id', 'customerId'])
        .where('organizationId', '=', northwind.id)
        .where('status', '!=', 'draft')
        .orderBy('number')
        .execute();
      documents = [...documents, ...rows.map((row) => ({ kind, ...row }))];
    }
    ids.organization = northwind.id;
  });
  after(() => portico?.close());

  async function signedIn(viewport: keyof typeof VIEWPORTS, app: 'portal' | 'backoffice'): Promise<Page> {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    if (app === 'portal') {
      await page.goto(`${portico.baseUrl}/portal/northwind/sign-in`);
      await page.getByLabel('E-mail').fill(ALICE);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
    } else {
      await page.goto(`${portico.baseUrl}/app/sign-in`);
      await page.getByLabel('E-mail').fill(OWNER);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
    }
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main h1').first().waitFor({ state: 'attached' });
    return page;
  }

  async function visit(page: Page, url: string, viewport: keyof typeof VIEWPORTS, found: string[]) {
    await page.goto(`${portico.baseUrl}${url}`);
    await page.locator('main h1').first().waitFor({ state: 'attached' });
    // Lists and documents arrive after the heading: wait until no skeleton is left.
    await page.waitForFunction(() => document.querySelector('.skeleton') === null);
    for (const problem of await layoutProblems(page, viewport)) found.push(`${url} (${viewport}): ${problem}`);
  }

  for (const viewport of ['phone', 'desktop'] as const) {
    test(`the client portal at ${VIEWPORTS[viewport].width}px`, async () => {
      const page = await signedIn(viewport, 'portal');
      const found: string[] = [];
      const p = (path: string) => `/portal/northwind${path}`;
      for (const url of [
        p('/'),
        p('/invoices'),
        p(`/invoices/${ids.invoice}`),
        p('/estimates'),
        p(`/estimates/${ids.estimate}`),
        p('/retainers'),
        p(`/retainers/${ids.retainer}`),
        p('/payments'),
        p(`/payments/${ids.payment}`),
        p('/statement?period=this_year'),
        p('/projects'),
        p(`/projects/${ids.project}`),
        p(`/projects/${ids.project}?tab=timesheet`),
        p('/account'),
        p('/recurring-profiles'),
        p(`/pay?invoices=${ids.invoice}`),
        ...documents.filter((d) => d.customerId === ids.customer).map(({ kind, id }) => p(`/${kind}/${id}`)),
      ]) {
        await visit(page, url, viewport, found);
      }
      assert.deepEqual(found, []);
      await page.context().close();
    });

    test(`the back office at ${VIEWPORTS[viewport].width}px`, async () => {
      const page = await signedIn(viewport, 'backoffice');
      const found: string[] = [];
      for (const url of [
        '/app/',
        '/app/customers',
        `/app/customers/${ids.customer}`,
        '/app/invoices',
        `/app/invoices/${ids.invoice}`,
        '/app/invoices/new',
        '/app/estimates',
        `/app/estimates/${ids.estimate}`,
        `/app/estimates/${ids.estimate}/edit`,
        `/app/estimates/${ids.declinedEstimate}/edit`,
        '/app/retainers',
        `/app/retainers/${ids.retainer}`,
        '/app/payments',
        `/app/payments/${ids.payment}`,
        '/app/payment-failures',
        '/app/projects',
        `/app/projects/${ids.project}`,
        '/app/reviews',
        '/app/settings/organization',
        '/app/settings/portal',
        '/app/settings/taxes',
        '/app/settings/online-payments',
        '/app/settings/users',
        '/app/settings/api-keys',
        '/app/settings/mailbox',
        ...documents.map(({ kind, id }) => `/app/${kind}/${id}`),
      ]) {
        await visit(page, url, viewport, found);
      }
      assert.deepEqual(found, []);
      await page.context().close();
    });
  }
});
