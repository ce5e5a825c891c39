/// <reference lib="dom" />
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { DEMO_CLIENT_PASSWORD, DEMO_PASSWORDS } from '../../src/cli/demo-data.js';
import type { AppContext } from '../../src/context.js';
import { VIEWPORTS } from './browser.js';

/**
 * Every screen of both apps on the demo data, as addresses to open straight away once signed in: the client
 * portal as Alice (Bluebird Bakery, Northwind Studio) and the back office as Northwind's owner. The every-screen
 * crawl measures and reads them.
 */

export const DEMO_CLIENT = 'alice@bluebird-bakery.example';
export const DEMO_OWNER = 'owner@northwind.example';

export async function demoScreens(ctx: AppContext): Promise<{ portal: string[]; backoffice: string[] }> {
  const db = ctx.db.kysely;
  const northwind = await db
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', 'northwind')
    .executeTakeFirstOrThrow();
  const alice = await db
    .selectFrom('contactPersons')
    .select('customerId')
    .where('email', '=', DEMO_CLIENT)
    .executeTakeFirstOrThrow();
  const first = async (
    table: 'invoices' | 'estimates' | 'retainerInvoices' | 'customerPayments' | 'projects' | 'recurringProfiles',
    status?: string,
  ) => {
    let query = db.selectFrom(table).select('id').where('customerId', '=', alice.customerId);
    if (status) query = query.where('status', '=', status as never);
    return (await query.orderBy('id').executeTakeFirstOrThrow()).id;
  };
  const invoice = await first('invoices', 'sent');
  const estimate = await first('estimates');
  const declinedEstimate = await first('estimates', 'declined');
  const retainer = await first('retainerInvoices');
  const payment = await first('customerPayments');
  // The demo's two projects of the showcase customer: one billed freely, one whose time the client approves.
  const projectOf = async (requireTimeApproval: 0 | 1) =>
    (
      await db
        .selectFrom('projects')
        .select('id')
        .where('customerId', '=', alice.customerId)
        .where('requireTimeApproval', '=', requireTimeApproval)
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
  const project = await projectOf(0);
  const approvalProject = await projectOf(1);
  const recurringProfile = await first('recurringProfiles');
  const customer = alice.customerId;
  /** A few documents of each kind, of different statuses: their histories and lines differ in length. */
  let documents: Array<{ kind: 'invoices' | 'estimates'; id: string; customerId: string }> = [];
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
  const p = (path: string) => `/portal/northwind${path}`;
  return {
    portal: [
      p('/'),
      p('/invoices'),
      p(`/invoices/${invoice}`),
      p('/estimates'),
      p(`/estimates/${estimate}`),
      p('/retainers'),
      p(`/retainers/${retainer}`),
      p('/payments'),
      p(`/payments/${payment}`),
      p('/statement?period=this_year'),
      p('/projects'),
      p(`/projects/${project}`),
      p(`/projects/${project}?tab=timesheet`),
      p(`/projects/${approvalProject}`),
      p(`/projects/${approvalProject}?tab=timesheet`),
      p('/account'),
      p('/account/security'),
      p('/recurring-profiles'),
      p(`/pay?invoices=${invoice}`),
      ...documents.filter((d) => d.customerId === customer).map(({ kind, id }) => p(`/${kind}/${id}`)),
    ],
    backoffice: [
      '/app/',
      '/app/customers',
      `/app/customers/${customer}`,
      `/app/customers/${customer}/edit`,
      '/app/customers/new',
      '/app/invoices',
      `/app/invoices/${invoice}`,
      '/app/invoices/new',
      '/app/estimates',
      `/app/estimates/${estimate}`,
      `/app/estimates/${estimate}/edit`,
      `/app/estimates/${declinedEstimate}/edit`,
      '/app/retainers',
      `/app/retainers/${retainer}`,
      '/app/payments',
      `/app/payments/${payment}`,
      '/app/payment-failures',
      '/app/projects',
      `/app/projects/${project}`,
      `/app/projects/${approvalProject}`,
      `/app/projects/${approvalProject}/edit`,
      '/app/recurring-profiles',
      '/app/recurring-profiles/new',
      `/app/recurring-profiles/${recurringProfile}`,
      `/app/recurring-profiles/${recurringProfile}/edit`,
      '/app/reviews',
      '/app/settings/organization',
      '/app/settings/portal',
      '/app/settings/taxes',
      '/app/settings/online-payments',
      '/app/settings/bank-transfer',
      '/app/settings/webhooks',
      '/app/settings/users',
      '/app/settings/api-keys',
      '/app/settings/security',
      '/app/settings/mailbox',
      ...documents.map(({ kind, id }) => `/app/${kind}/${id}`),
    ],
  };
}

/** A new page signed in to the portal (as the demo client) or the back office (as the demo owner). */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  viewport: keyof typeof VIEWPORTS,
  app: 'portal' | 'backoffice',
): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  if (app === 'portal') {
    await page.goto(`${baseUrl}/portal/northwind/sign-in`);
    await page.getByLabel('E-mail').fill(DEMO_CLIENT);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_CLIENT_PASSWORD);
  } else {
    await page.goto(`${baseUrl}/app/sign-in`);
    await page.getByLabel('E-mail').fill(DEMO_OWNER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORDS.owner);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in once the app has left its sign-in page (the sign-in page has a heading too).
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
  await page.locator('main h1').first().waitFor({ state: 'attached' });
  return page;
}

/** Opens a screen by its address and waits until it has its heading and no skeleton is left. */
export async function openScreen(page: Page, baseUrl: string, url: string): Promise<void> {
  await page.goto(`${baseUrl}${url}`);
  await page.locator('main h1').first().waitFor({ state: 'attached' });
  assert.ok(!new URL(page.url()).pathname.endsWith('/sign-in'), `${url} sent the signed-in person to sign in`);
  // Lists and documents arrive after the heading: wait until no skeleton is left.
  await page.waitForFunction(() => document.querySelector('.skeleton') === null);
}

/** The part of an address that names its app: `/app`, or `/portal/<slug>`. */
const appOf = (pathname: string) =>
  pathname
    .split('/')
    .slice(0, pathname.startsWith('/portal/') ? 3 : 2)
    .join('/');

/** Moves the app loaded in the page to `href` as its own links do (the router follows the history). */
function follow(page: Page, href: string) {
  return page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, href);
}

const NOT_FOUND = '/__screen-not-found';

/**
 * Shows a screen of the app already loaded in the page, as following a link to it would, instead of loading the
 * page anew (`openScreen`): the crawl opens a hundred screens, and a new document costs Chromium the whole bundle
 * again (the crawl took 6 minutes of a CI run that way, under 1 this way). To be sure the heading waited for is the
 * new screen's, never the one before it, the app is first sent to an address it does not know and its "not found"
 * heading awaited. A screen of another app, or one that does not come within 5 s (its heading would be the "not
 * found" one), is opened by its address as before.
 */
export async function showScreen(page: Page, baseUrl: string, url: string): Promise<void> {
  const here = new URL(page.url());
  const target = new URL(url, baseUrl);
  const app = appOf(here.pathname);
  if (here.origin !== target.origin || app !== appOf(target.pathname)) return openScreen(page, baseUrl, url);
  const headingChanged = (from: string | null) =>
    page
      .waitForFunction(
        (before) => {
          const heading = document.querySelector('main h1');
          return heading !== null && heading.textContent !== before && document.querySelector('.skeleton') === null;
        },
        from,
        { timeout: 5_000 },
      )
      .then(
        () => true,
        () => false,
      );
  const before = await page.locator('main h1').first().textContent();
  await follow(page, `${app}${NOT_FOUND}`);
  const notFound = (await headingChanged(before)) ? await page.locator('main h1').first().textContent() : null;
  if (notFound !== null) await follow(page, `${target.pathname}${target.search}${target.hash}`);
  if (notFound === null || !(await headingChanged(notFound))) return openScreen(page, baseUrl, url);
  assert.ok(!new URL(page.url()).pathname.endsWith('/sign-in'), `${url} sent the signed-in person to sign in`);
}
