/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Every screen of both apps, signed in, on the demo data (shown as following a link to it would: `showScreen`),
 * once it has its heading:
 * - fits its viewport (issue 18, points 5 and 9): at phone width (360 px) no page scrolls sideways, and at desktop
 *   width (1280 px) no number or date cell of a list wraps ("INV-/00010") and the document editor's selects are wide
 *   enough for their longest option ("Sales tax (8.25%)");
 * - speaks in words (issue 18, test/support/words.ts): no raw code, validator pattern, "(s)" plural or program value,
 *   at either width and in German and Japanese.
 * One visit per screen does both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { looksTestsUnavailable, type RunningPortico, startPorticoWithBrowser, VIEWPORTS } from '../support/browser.js';
import { requestScreens } from '../support/request-screens.js';
import { DEMO_CLIENT, demoScreens, showScreen, signedInPage } from '../support/screens.js';
import { rawWordsOn } from '../support/words.js';

// Layout and words are the browser's, the stylesheet's and the catalogues': the same demo data on either database
// draws the same screens, so this runs once, on SQLite.
const unavailable = looksTestsUnavailable('layout and words do not depend on the database; checked on SQLite');

/** What a screen shows that should not: wider than the window, or list cells of figures broken over lines. */
async function layoutProblems(page: Page, viewport: keyof typeof VIEWPORTS): Promise<string[]> {
  return page.evaluate((checkWrapping) => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      // Name the innermost elements that stick out: those are what to fix.
      // No named function in here: the test runner's transform would wrap it in a helper the page lacks.
      const widest = [...document.querySelectorAll<HTMLElement>('body *')]
        .filter(
          (element) =>
            element.getBoundingClientRect().right > width + 1 &&
            ![...element.children].some((child) => child.getBoundingClientRect().right > width + 1),
        )
        .slice(0, 3)
        .map(
          (element) => `${element.tagName.toLowerCase()}.${element.className} "${element.textContent?.slice(0, 30)}"`,
        );
      problems.push(`the page is ${document.documentElement.scrollWidth}px wide in ${width}px (${widest.join(', ')})`);
    }
    if (checkWrapping) {
      // Every select is wide enough for its longest option ("Sales tax (8.25%)", not "Sales tax ("; a user's role
      // "Admin", not "Adm"): measured with the select's own font, plus its padding and the room of its arrow.
      const measure = document.createElement('canvas').getContext('2d');
      for (const select of document.querySelectorAll<HTMLSelectElement>('main select')) {
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
          problems.push(
            `the select "${select.labels[0]?.textContent?.trim() ?? select.getAttribute('aria-label')}" cuts "${longest.text}"`,
          );
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

describe('every screen fits its viewport and speaks in words', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  let screens: Awaited<ReturnType<typeof demoScreens>>;
  before(async () => {
    portico = await startPorticoWithBrowser();
    screens = await demoScreens(portico.ctx);
    // Requests from the portal (docs/requests.md): a request for changes and a quote request, on their screens.
    const requests = await requestScreens(portico);
    screens = {
      portal: [...screens.portal, ...requests.portal],
      backoffice: [...screens.backoffice, ...requests.backoffice],
    };
  });
  after(() => portico?.close());

  async function visit(page: Page, url: string, viewport: keyof typeof VIEWPORTS, found: string[]) {
    await showScreen(page, portico.baseUrl, url);
    for (const problem of await layoutProblems(page, viewport)) found.push(`${url} (${viewport}): ${problem}`);
    found.push(...(await rawWordsOn(page, `${url} (${viewport})`)));
  }

  for (const viewport of ['phone', 'desktop'] as const) {
    test(`the back office signed out at ${VIEWPORTS[viewport].width}px`, async () => {
      const context = await portico.browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
      const page = await context.newPage();
      const found: string[] = [];
      for (const url of ['/app/sign-in', '/app/forgot-password', '/app/reset-password#token=x']) {
        await page.goto(`${portico.baseUrl}${url}`);
        await page.locator('h1').first().waitFor({ state: 'attached' });
        for (const problem of await layoutProblems(page, viewport)) found.push(`${url} (${viewport}): ${problem}`);
        found.push(...(await rawWordsOn(page, `${url} (${viewport})`)));
      }
      assert.deepEqual(found, []);
      await context.close();
    });

    for (const app of ['portal', 'backoffice'] as const) {
      const name = app === 'portal' ? 'the client portal' : 'the back office';
      test(`${name} at ${VIEWPORTS[viewport].width}px`, async () => {
        const page = await signedInPage(portico.browser, portico.baseUrl, viewport, app);
        const found: string[] = [];
        for (const url of screens[app]) await visit(page, url, viewport, found);
        assert.deepEqual(found, []);
        await page.context().close();
      });
    }
  }

  // Issue 19: the client portal in the contact's language. German has the longest words, Japanese the widest
  // characters; each must fit a phone as English does.
  for (const language of ['de', 'ja'] as const) {
    test(`the client portal in ${language === 'de' ? 'German' : 'Japanese'} at ${VIEWPORTS.phone.width}px`, async () => {
      const db = portico.ctx.db.kysely;
      const setLanguage = (value: string | null) =>
        db.updateTable('contactPersons').set({ language: value }).where('email', '=', DEMO_CLIENT).execute();
      await setLanguage(language);
      try {
        const page = await signedInPage(portico.browser, portico.baseUrl, 'phone', 'portal');
        const found: string[] = [];
        for (const url of screens.portal) await visit(page, url, 'phone', found);
        assert.equal(await page.evaluate(() => document.documentElement.lang), language);
        assert.deepEqual(found, []);
        await page.context().close();
      } finally {
        await setLanguage(null);
      }
    });
  }
});
