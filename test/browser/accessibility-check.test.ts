/// <reference lib="dom" />
/**
 * The accessibility check the journeys run on every screen (`accessibilityViolations`, test/support/browser.ts) finds
 * what it is there to find, on both of its paths: a screen without frames (axe-core run in the page) and a screen
 * with a frame (AxeBuilder, frame by frame). Checks of how screens look run on the SQLite pass only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  accessibilityViolations,
  looksTestsUnavailable,
  type RunningPortico,
  startPorticoWithBrowser,
  VIEWPORTS,
} from '../support/browser.js';

const unavailable = looksTestsUnavailable('accessibility is checked on the SQLite pass');

/** Whether every rule of `expected` is among the violations found (a tiny nameless button is also too small a target). */
const finds = (violations: string[], expected: string[]) =>
  expected.every((rule) => violations.some((line) => line.startsWith(`${rule}:`)));
const FAULTS = ['image-alt', 'button-name', 'label'];

describe('the accessibility check', { skip: unavailable ?? false }, () => {
  let portico: RunningPortico;
  before(async () => {
    portico = await startPorticoWithBrowser();
  });
  after(() => portico?.close());

  test('finds an image without text, a nameless button and a field without a label, in the page and in a frame', async () => {
    const context = await portico.browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${portico.baseUrl}/app/sign-in`);
    await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], 'the sign-in page as it is');

    const faults = '<img src="/nothing.png"><button></button><input type="text">';
    await page.evaluate((html) => document.body.insertAdjacentHTML('afterbegin', html), faults);
    assert.ok(finds(await accessibilityViolations(page), FAULTS));

    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to the back office' }).waitFor();
    await page.evaluate((html) => {
      const frame = document.createElement('iframe');
      frame.title = 'A preview';
      frame.srcdoc = `<!doctype html><html lang="en"><title>Preview</title><body>${html}</body></html>`;
      document.body.prepend(frame);
      return new Promise((resolve) => frame.addEventListener('load', resolve));
    }, faults);
    assert.equal(page.frames().length, 2);
    assert.ok(finds(await accessibilityViolations(page), FAULTS), 'in the frame');
    await context.close();
  });
});
