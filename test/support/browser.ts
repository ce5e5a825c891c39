import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import axe, { type AxeResults } from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildApp } from '../../src/app/app.js';
import { WEB_BUILD_DIR } from '../../src/app/web-apps.js';
import { seedDemo } from '../../src/cli/demo-data.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { freshDatabase } from './database.js';

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH. Never a downloaded browser. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((candidate) => candidate && existsSync(candidate)) ?? null;
}

/** Why the browser tests cannot run here, or null when they can. Reported as the skip reason, never silent. */
export function browserTestsUnavailable(): string | null {
  if (!chromiumPath()) return 'Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)';
  if (!existsSync(path.join(WEB_BUILD_DIR, 'portal', 'index.html')))
    return 'the web apps are not built (npm run build)';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  ctx: AppContext;
  close(): Promise<void>;
}

/**
 * A real Portico listening on a loopback port, on a fresh database (TEST_DB) with the demo data — or, with
 * `demo: false`, on an empty one (as `portico serve --no-demo` starts: the back office offers first-run setup).
 */
export async function startPortico(options: { demo?: boolean; host?: 'localhost' } = {}): Promise<RunningServer> {
  const database = await freshDatabase();
  const port = await freePort();
  // WebAuthn takes a domain, never an IP address, as the relying party: passkey tests open "localhost".
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const config = loadConfig({
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    APP_SECRET: 'browser-test-secret-that-is-long-enough-for-the-config',
    PUBLIC_URL: baseUrl,
  });
  const ctx: AppContext = { config, db: database.db, now: () => new Date() };
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port });
  if (options.demo !== false) await seedDemo(ctx, app);
  return {
    baseUrl,
    ctx,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** The flags STACK.md gives for Debian's Chromium in a container, headless. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningPortico extends RunningServer {
  browser: Browser;
}

/** A real Portico with the demo data, and a headless Chromium to drive it. */
export async function startPorticoWithBrowser(
  options: { demo?: boolean; host?: 'localhost' } = {},
): Promise<RunningPortico> {
  const server = await startPortico(options);
  const browser = await chromium.launch({ executablePath: chromiumPath() ?? undefined, args: CHROMIUM_FLAGS });
  return {
    ...server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Screens look the same on either database: their accessibility (axe) and their screenshots are checked on the
 * SQLite pass of the browser tests; the PostgreSQL pass runs the same journeys for the database's sake. (Each axe
 * pass and full-page screenshot costs Chromium a few hundred milliseconds: a third of a journey's time.)
 */
const LOOKS_CHECKED = process.env.TEST_DB !== 'postgres';

/**
 * Why a test of how screens look or read (the crawl, the words, the accessibility check) does not run here, or null:
 * no browser, or the PostgreSQL pass, with `onPostgres` saying why the database does not matter. Logged when skipped.
 */
export function looksTestsUnavailable(onPostgres: string): string | null {
  const reason = browserTestsUnavailable() ?? (LOOKS_CHECKED ? null : onPostgres);
  if (reason) console.log(`# browser tests skipped: ${reason}`);
  return reason;
}

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 360, height: 780 },
} as const;

/**
 * The widths a journey runs at: desktop and phone on the SQLite pass; desktop alone on the PostgreSQL pass, which is
 * there for the database (a phone journey sends the same requests; how it looks is checked on the SQLite pass).
 */
export const JOURNEY_VIEWPORTS: ReadonlyArray<keyof typeof VIEWPORTS> = LOOKS_CHECKED
  ? ['desktop', 'phone']
  : ['desktop'];

/** Where the test run leaves a screenshot of every screen (README: "Screenshots"). */
export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

export async function screenshot(page: Page, name: string, viewport: keyof typeof VIEWPORTS) {
  if (!LOOKS_CHECKED) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${viewport}.png`), fullPage: true });
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * The axe-core violations of the page (WCAG 2.x A and AA rules), as readable lines; none on the PostgreSQL pass.
 * A screen without frames is checked by `axe.run` in the page itself (≈ 0.1 s, and ≈ 0.2 s more to inject axe once
 * into a new document); only a screen with a frame (the mailbox's preview) goes through AxeBuilder, which checks each
 * frame apart and joins the results in a blank page of its own (≈ 1.3 s a call, most of a journey's time when every
 * screen took that path).
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!LOOKS_CHECKED) return [];
  const results =
    page.frames().length > 1 ? await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze() : await axeRun(page);
  return results.violations.map(
    (v) =>
      `${v.id}: ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

async function axeRun(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axe.source);
  return page.evaluate(
    (tags) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG_TAGS,
  );
}

/**
 * Follows a link of the portal's navigation by its name: in the bar or sidebar when it is there, else under
 * "More" (on phones the bar holds four destinations; the rest and the account's links are in that menu).
 */
export async function navigate(page: Page, name: string) {
  const direct = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  if (await direct.isVisible()) return direct.click();
  const more = page.getByRole('button', { name: 'More' });
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  await page.locator('#more-menu').getByRole('link', { name, exact: true }).click();
}

/**
 * A business user signed in through the API, as the back office would be: `call` sends a request to the business
 * API with the session's cookie and CSRF token (JSON when given a body) and returns the response as it is.
 */
export async function businessSession(baseUrl: string, email: string, password: string) {
  const signedIn = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (signedIn.status !== 200) throw new Error(`business sign-in failed: ${signedIn.status}`);
  const cookie = signedIn.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  return {
    call: (method: string, url: string, body?: unknown) =>
      fetch(`${baseUrl}${url}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}
