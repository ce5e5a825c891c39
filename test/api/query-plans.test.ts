import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { createCustomer, createInvoice, createSentRetainer, recordPayment } from '../support/books.js';
import { testDialect } from '../support/database.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

/**
 * Every list (with each of its filters, its order and a cursor) and every read on a hot path must read what it
 * returns, not a table. Each request below runs through the real routes and services; every statement it sends is
 * captured (`onQuery`) and the database is asked for that statement's plan. It fails, naming the request and the
 * statement, when the plan reads a growing table whole: on SQLite a `SCAN <table>`, or a search by the organization
 * alone where the statement names one customer, document… of it or sorts for one page (`sqliteWholeReads`); on
 * PostgreSQL a `Seq Scan` — with sequential scans turned off, so that these small tables cannot make one look
 * cheaper than an index the plan could use. (PostgreSQL picks between indexes by its statistics, which tiny tables
 * do not have, so only SQLite's choice between indexes is checked: Portico never gives SQLite statistics.)
 * The tables are those that grow with the books; the few that hold a handful of rows per organization (taxes,
 * users, settings) are not checked.
 */
const GROWING_TABLES = new Set([
  'invoices',
  'invoice_lines',
  'estimates',
  'estimate_lines',
  'retainer_invoices',
  'customer_payments',
  'payment_allocations',
  'customers',
  'contact_persons',
  'recurring_profiles',
  'projects',
  'project_tasks',
  'time_entries',
  'comments',
  'history',
  'audit_log',
  'sessions',
  'outbox_messages',
  'payment_attempts',
  'payment_attempt_allocations',
  'reviews',
  'organizations',
  'customer_open_totals',
  'customer_monthly_totals',
]);

/**
 * Statements whose plan is checked: reads, and the updates and deletes a read may make (a first view) — the
 * statements of `prepared` (the business's lists, the guards, the dashboard) included, which begin with a comment
 * naming them.
 */
const CHECKED = /^\s*(?:\/\*[^*]*\*\/\s*)?(select|with|update|delete)\b/i;

type Who = 'business' | 'portal';

describe('query plans of the hot reads', () => {
  let harness: Harness;
  let owner: Actor;
  let client: PortalClient;
  let recording: CompiledQuery[] | null = null;
  const ids: Record<string, string> = {};

  before(async () => {
    harness = await startHarness({ onQuery: (query) => recording?.push(query) });
    owner = await createOrgAndSignIn(harness, { name: 'Plans Ltd' });
    const slug = await enablePortal(owner, { showProjects: true });
    const customer = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    ids.customer = customer.id;
    ids.contact = customer.contacts['a@client.example'] ?? '';
    await createCustomer(owner, { displayName: 'Client B' });
    client = await activatedClient(harness, owner, slug, customer.id, ids.contact, 'a@client.example');

    const post = async (url: string, payload: object = {}) => {
      const response = await owner.request({ method: 'POST', url, payload });
      assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
      return response.json() as { id: string };
    };
    const paid = await createInvoice(harness, owner, { customerId: customer.id, total: 10_000 });
    const open = await createInvoice(harness, owner, {
      customerId: customer.id,
      total: 5_000,
      issueDate: '2026-03-02',
    });
    ids.invoice = open.id;
    const payment = await recordPayment(owner, {
      customerId: customer.id,
      amount: 12_000,
      allocations: [{ invoiceId: paid.id, amount: 10_000 }],
    });
    assert.equal(payment.statusCode, 201, payment.body);
    ids.payment = payment.json().id;
    const estimate = await post('/api/v1/estimates', {
      customerId: customer.id,
      issueDate: '2026-03-01',
      lines: [{ name: 'Proposal', quantity: '1', rate: 2500 }],
    });
    await post(`/api/v1/estimates/${estimate.id}/send`);
    ids.estimate = estimate.id;
    const another = await post('/api/v1/estimates', {
      customerId: customer.id,
      issueDate: '2026-03-02',
      lines: [{ name: 'Extension', quantity: '1', rate: 900 }],
    });
    await post(`/api/v1/estimates/${another.id}/send`);
    ids.retainer = (await createSentRetainer(owner, customer.id, 3_000)).id;
    await createSentRetainer(owner, customer.id, 1_000);
    const credit = await recordPayment(owner, { customerId: customer.id, amount: 500 });
    assert.equal(credit.statusCode, 201, credit.body);
    const project = await post('/api/v1/projects', {
      customerId: customer.id,
      name: 'Website',
      billingMethod: 'task_hours',
    });
    ids.project = project.id;
    await post('/api/v1/projects', { customerId: customer.id, name: 'Web shop', billingMethod: 'fixed' });
    const task = await post(`/api/v1/projects/${project.id}/tasks`, { name: 'Design', rate: 5000 });
    for (const date of ['2026-03-02', '2026-03-03']) {
      await post(`/api/v1/projects/${project.id}/time-entries`, { taskId: task.id, date, hours: '1' });
    }
    for (const text of ['Shown', 'Shown again']) {
      await post(`/api/v1/invoices/${open.id}/comments`, { text, showInPortal: true });
    }
  });
  after(() => harness?.close());

  /** The hot reads: each list with each filter it accepts, a second page, each detail, the portal's pages. */
  const hot = (): Array<[Who, string]> => {
    const c = ids.customer;
    const lists = ['/invoices', '/estimates', '/retainer-invoices', '/payments'];
    const business: string[] = [];
    for (const list of lists) {
      business.push(
        list,
        `${list}?customerId=${c}`,
        `${list}?from=2026-01-01&to=2026-03-31`,
        `${list}?customerId=${c}&from=2026-01-01&to=2026-03-31`,
        `${list}?q=inv`,
        `${list}?customerId=${c}&q=inv`,
      );
      if (list !== '/payments') business.push(`${list}?status=sent`, `${list}?customerId=${c}&status=sent`);
      if (list === '/invoices' || list === '/estimates') business.push(`${list}?viewed=true`, `${list}?viewed=false`);
    }
    business.push(
      '/invoices?status=unpaid',
      `/invoices?customerId=${c}&status=unpaid`,
      '/invoices?status=overdue&from=2026-01-01',
      '/payments?mode=bank_transfer',
      '/customers',
      '/customers?q=client',
      `/customers/${c}`,
      `/customers/${c}/credits`,
      `/customers/${c}/balance`,
      `/customers/${c}/statement`,
      '/projects',
      `/projects?customerId=${c}`,
      '/projects?status=active',
      '/projects?q=web',
      `/projects/${ids.project}`,
      `/projects/${ids.project}/time-entries`,
      `/projects/${ids.project}/time-entries?from=2026-01-01&to=2026-03-31`,
      `/projects/${ids.project}/time-entries?status=unbilled`,
      '/recurring-profiles',
      `/recurring-profiles?customerId=${c}`,
      '/recurring-profiles?status=active',
      '/recurring-profiles?q=monthly',
      '/audit-log',
      `/audit-log?customerId=${c}`,
      `/audit-log?contactPersonId=${ids.contact}`,
      '/audit-log?event=portal.login_succeeded',
      '/audit-log?from=2026-01-01&to=2026-03-31',
      '/portal-activity',
      '/home',
      `/invoices/${ids.invoice}`,
      `/invoices/${ids.invoice}/comments`,
      `/invoices/${ids.invoice}/history`,
      `/estimates/${ids.estimate}`,
      `/retainer-invoices/${ids.retainer}`,
      `/payments/${ids.payment}`,
    );
    const portal = [
      '/home',
      '/account',
      '/invoices',
      '/invoices?status=unpaid',
      '/invoices?status=overdue',
      '/invoices?status=paid',
      `/invoices/${ids.invoice}`,
      `/invoices/${ids.invoice}/comments`,
      '/estimates',
      '/estimates?status=awaiting',
      `/estimates/${ids.estimate}`,
      '/retainer-invoices',
      '/retainer-invoices?status=unpaid',
      `/retainer-invoices/${ids.retainer}`,
      '/payments',
      '/payments?from=2026-01-01&to=2026-03-31',
      `/payments/${ids.payment}`,
      '/projects',
      `/projects/${ids.project}`,
      `/projects/${ids.project}/time-entries?from=2026-01-01&to=2026-03-31`,
      '/statement',
      '/recurring-profiles',
    ];
    return [
      ...business.map((url): [Who, string] => ['business', `/api/v1${url}`]),
      ...portal.map((url): [Who, string] => ['portal', url]),
    ];
  };

  test('no hot read reads a growing table whole', async () => {
    const failures: string[] = [];
    for (const [who, url] of hot()) {
      // A second page too: the cursor's condition must still be served by the same index.
      for (const page of [1, 2]) {
        const captured: CompiledQuery[] = [];
        recording = captured;
        const pageUrl = page === 1 ? url : await secondPageUrl(who, url);
        if (pageUrl === null) break;
        const response = await (who === 'business' ? owner : client).request({ method: 'GET', url: pageUrl });
        recording = null;
        assert.equal(response.statusCode, 200, `${who} ${pageUrl}: ${response.body}`);
        for (const query of captured) {
          if (!CHECKED.test(query.sql)) continue;
          for (const scan of await tableScans(query)) {
            failures.push(`${who} GET ${pageUrl} reads ${scan}\n    ${query.sql}`);
          }
        }
      }
    }
    const distinct = [...new Set(failures)];
    assert.deepEqual(distinct, [], `reads of a whole table:\n${distinct.join('\n')}`);
  });

  /**
   * `q` with a word found in few documents (or in none) reads those: never the organization's documents in list
   * order until a page matches, which for a word found nowhere is all of them. Stricter than the check above, which
   * lets a list walk the organization's rows in its order (a page of an unfiltered list is its first rows): here a
   * search by the organization alone fails too (`organizationWalks`; on PostgreSQL a sequential scan only). Each
   * list, with its filters, and their second page.
   */
  test('a search for a rare word reads the documents it finds, not the organization’s', async () => {
    const number = (await owner.request({ method: 'GET', url: `/api/v1/invoices/${ids.invoice}` })).json().number;
    const failures: string[] = [];
    const c = ids.customer;
    for (const list of ['/invoices', '/estimates', '/retainer-invoices', '/payments', '/customers']) {
      for (const text of ['zqxwv', 'client a', number]) {
        const q = `q=${encodeURIComponent(text)}`;
        const urls = [`${list}?${q}`];
        if (list !== '/customers') {
          urls.push(`${list}?customerId=${c}&${q}`, `${list}?from=2026-01-01&to=2026-03-31&${q}`);
        }
        if (list !== '/payments' && list !== '/customers') urls.push(`${list}?status=sent&${q}`);
        for (const url of urls) {
          for (const page of [1, 2]) {
            const pageUrl = page === 1 ? `/api/v1${url}` : await secondPageUrl('business', `/api/v1${url}`);
            if (pageUrl === null) break;
            const captured: CompiledQuery[] = [];
            recording = captured;
            const response = await owner.request({ method: 'GET', url: pageUrl });
            recording = null;
            assert.equal(response.statusCode, 200, `${pageUrl}: ${response.body}`);
            for (const query of captured) {
              if (!CHECKED.test(query.sql)) continue;
              for (const read of [...(await tableScans(query)), ...(await organizationWalks(query))]) {
                failures.push(`GET ${pageUrl} reads ${read}\n    ${query.sql}`);
              }
            }
          }
        }
      }
    }
    const distinct = [...new Set(failures)];
    assert.deepEqual(distinct, [], `searches that read the organization's documents:\n${distinct.join('\n')}`);
  });

  /**
   * The customer's credit (available and retainer credit on the balance, Home and the statements; the credits to
   * apply) is read from the payments that still hold some, by their partial index (migration 0026): a customer's
   * hundreds of spent payments are not read. The statements say `unapplied > 0` with a literal 0, or neither
   * database may use it.
   */
  test('the customer’s credit is read from the payments that hold some', async () => {
    const c = ids.customer;
    const reads: Array<[Who, string]> = [
      ['business', `/api/v1/customers/${c}/balance`],
      ['business', `/api/v1/customers/${c}/credits`],
      ['business', `/api/v1/customers/${c}/statement`],
      ['portal', '/home'],
      ['portal', '/statement'],
    ];
    for (const [who, url] of reads) {
      const captured: CompiledQuery[] = [];
      recording = captured;
      const response = await (who === 'business' ? owner : client).request({ method: 'GET', url });
      recording = null;
      assert.equal(response.statusCode, 200, `${who} ${url}: ${response.body}`);
      const creditReads = captured.filter((query) => /"unapplied" > 0\b/.test(query.sql));
      assert.ok(creditReads.length > 0, `${who} ${url} reads the customer's credit`);
      for (const query of creditReads) {
        const plan = (await planLines(query)).join('\n');
        assert.match(plan, /customer_payments_credit_idx/, `${who} ${url}:\n    ${query.sql}\n${plan}`);
      }
    }
  });

  /** The statement's plan, line by line: SQLite's `explain query plan`, PostgreSQL's `explain` (sequential scans off). */
  async function planLines(query: CompiledQuery): Promise<string[]> {
    const db = harness.ctx.db;
    if (testDialect === 'sqlite') {
      const plan = await db.kysely.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      return plan.rows.map((row) => row.detail);
    }
    return db.kysely.connection().execute(async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
      try {
        const plan = await connection.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
        );
        return plan.rows.map((row) => row['QUERY PLAN']);
      } finally {
        await connection.executeQuery(CompiledQuery.raw('reset enable_seqscan'));
      }
    });
  }

  /**
   * SQLite: the growing tables the statement reads by the organization alone (date ranges aside), in any order —
   * or, for a statement testing the text (`like`), by the organization and any other column of an index (its
   * customer's, its status' rows walked until a page matches) rather than by id. PostgreSQL chooses between its indexes by statistics, which these few rows do not give (it rightly walks them):
   * its choice is measured on a big seed instead (docs/text-search.md).
   */
  async function organizationWalks(query: CompiledQuery): Promise<string[]> {
    if (testDialect !== 'sqlite') return [];
    const plan = await planLines(query);
    const tableOf = new Map<string, string>();
    for (const [, table, alias] of query.sql.matchAll(/"(\w+)" as "(\w+)"/g)) {
      if (table && alias) tableOf.set(alias, table);
    }
    const walk = / like /.test(query.sql)
      ? /^SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(organization_id=\?/
      : /^SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(organization_id=\?(?: AND \w+[<>]\?)*\)/;
    return plan
      .map((line) => walk.exec(line))
      .map((search) => (search?.[1] ? (tableOf.get(search[1]) ?? search[1]) : undefined))
      .filter((table): table is string => table !== undefined && GROWING_TABLES.has(table))
      .map((table) => `the organization's ${table}`);
  }

  /** The list again with a cursor (one row per page), or null when the answer is not a list. */
  async function secondPageUrl(who: Who, url: string): Promise<string | null> {
    const limited = `${url}${url.includes('?') ? '&' : '?'}limit=1`;
    const response = await (who === 'business' ? owner : client).request({ method: 'GET', url: limited });
    const body = response.statusCode === 200 ? (response.json() as { nextCursor?: unknown }) : {};
    if (typeof body.nextCursor !== 'string') return null;
    return `${limited}&cursor=${body.nextCursor}`;
  }

  /** How the statement's plan reads a growing table whole (none: it reads what it returns). */
  async function tableScans(query: CompiledQuery): Promise<string[]> {
    const plan = await planLines(query);
    if (testDialect === 'sqlite') return sqliteWholeReads(query.sql, plan);
    return plan
      .map((line) => /Seq Scan on (\w+)/.exec(line)?.[1])
      .filter((table): table is string => table !== undefined && GROWING_TABLES.has(table))
      .map((table) => `${table} (Seq Scan)`);
  }
});

/**
 * SQLite's plan reads a growing table whole when it scans it, and reads the organization's whole table when it
 * searches it by the organization alone although the statement names one customer, retainer, project… of it (an
 * index with that column would read only theirs), or sorts the organization's rows for one page of a list.
 * Without statistics — Portico never runs ANALYZE — SQLite assumes `organization_id = ?` leaves 10 rows, so only
 * an index that serves the statement's equalities and its order is chosen reliably.
 */
function sqliteWholeReads(statement: string, plan: string[]): string[] {
  // The plan names a table by its alias (`SCAN i`); the SQL says which table an alias stands for.
  const tableOf = new Map<string, string>();
  for (const [, table, alias] of statement.matchAll(/"(\w+)" as "(\w+)"/g)) {
    if (table && alias) tableOf.set(alias, table);
  }
  const found: string[] = [];
  const organizationWide: string[] = [];
  for (const line of plan) {
    // A scan of the table, or of one of its indexes from end to end.
    const scan = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX \w+)?(?: LEFT-JOIN)?$/.exec(line);
    const table = scan?.[1] ? (tableOf.get(scan[1]) ?? scan[1]) : undefined;
    if (table && GROWING_TABLES.has(table)) found.push(`${table} (SCAN)`);
    // A search whose only equality is the organization's (date ranges aside).
    const search = /^SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(organization_id=\?((?: AND \w+[<>]\?)*)\)/.exec(line);
    const name = search?.[1];
    if (!name) continue;
    const searched = tableOf.get(name) ?? name;
    if (!GROWING_TABLES.has(searched)) continue;
    organizationWide.push(searched);
    // The column qualified by this table's name, or not qualified at all.
    const qualifier = `(?:"${name}"\\.|(?<!\\.))`;
    const narrower = new RegExp(`${qualifier}"(\\w+_id)" (?:= \\?|in \\()`, 'g');
    for (const [, column] of statement.matchAll(narrower)) {
      if (column !== 'organization_id') found.push(`the organization's ${searched} for one ${column}`);
    }
  }
  if (plan.includes('USE TEMP B-TREE FOR ORDER BY') && / limit /.test(statement)) {
    for (const table of organizationWide) found.push(`the organization's ${table}, sorted for one page`);
  }
  return [...new Set(found)];
}
