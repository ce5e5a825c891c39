/**
 * The `portico` command as people run it: `node bin/portico.js …` in a child process, on a database of its own
 * (an SQLite file in a temporary DATA_DIR, or with TEST_DB=postgres a new database on TEST_DATABASE_URL).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DEMO_CLIENT_PASSWORD } from '../../src/cli/demo-data.js';
import { type Db, openDatabase } from '../../src/db/database.js';
import { recomputedFigures } from '../../src/db/migrations/0010_customer_figures.js';
import { foundDocuments } from '../../src/modules/documents/index.js';
import { emptyDatabase, freePort, testDialect } from '../support/database.js';
import { PORTICO_BIN, runPortico } from '../support/portico-command.js';

describe('the portico command', () => {
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> };
  let db: Db;

  /** The environment of a child: only what the CLI reads, so the test runner's own settings do not leak in. */
  const environment = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
    };
    for (const [name, value] of Object.entries(extra)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return env;
  };

  const start = (args: string[], extra: Record<string, string | undefined> = {}) =>
    spawn(process.execPath, [PORTICO_BIN, ...args], { env: environment(extra), stdio: ['ignore', 'pipe', 'pipe'] });

  const run = (args: string[], extra: Record<string, string | undefined> = {}) => runPortico(args, environment(extra));

  const count = async (
    table: 'organizations' | 'invoices' | 'customers' | 'users' | 'contactPersons' | 'outboxMessages',
  ) =>
    Number(
      (
        await db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'portico-cli-'));
    database = await emptyDatabase(dataDir);
  });
  after(async () => {
    await db?.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('migrate applies the migrations once; running it again changes nothing', async () => {
    const first = await run(['migrate']);
    db = openDatabase(database.url);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Applied \d+ migrations?: 0001_books/);
    const second = await run(['migrate']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, 'The database is up to date.\n');
  });

  test('an unknown command or flag prints the usage and exits 2', async () => {
    const unknown = await run(['launch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command "launch"/);
    assert.match(unknown.stderr, /Usage: portico <command>/);
    const flag = await run(['migrate', '--force']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--force/);
    const seed = await run(['seed']);
    assert.equal(seed.code, 2);
    const role = await run(['serve', '--role', 'cook']);
    assert.equal(role.code, 2);
    assert.match(role.stderr, /--role must be web, worker or all/);
  });

  test('a configuration error prints only its message and exits 1', async () => {
    const outcome = await run(['migrate'], { NODE_ENV: 'production', APP_SECRET: undefined });
    assert.equal(outcome.code, 1);
    assert.equal(
      outcome.stderr.trim(),
      'portico: APP_SECRET is required when NODE_ENV=production: set it to at least 32 random characters (openssl rand -base64 48).',
    );
    assert.equal(outcome.stdout, '');
  });

  let demo: {
    organizations: Array<{
      id: string;
      name: string;
      slug: string;
      portalUrl: string;
      portalEnabled: boolean;
      backofficeUrl: string;
      users: Array<{ email: string; password: string; role: string }>;
      customers: Array<{
        id: string;
        name: string;
        contacts: Array<{
          id: string;
          name: string;
          email: string;
          password: string | null;
          portalEnabled: boolean;
          portalStatus: string;
        }>;
      }>;
    }>;
  };

  test('seed --demo --json adds the demo and prints API.md’s shape, and nothing else, on stdout', async () => {
    const outcome = await run(['seed', '--demo', '--json'], { PUBLIC_URL: 'http://127.0.0.1:3000' });
    assert.equal(outcome.code, 0, outcome.stderr);
    demo = JSON.parse(outcome.stdout);
    assert.deepEqual(
      demo.organizations.map((o) => o.slug),
      ['northwind', 'kobe-works'],
    );
    for (const org of demo.organizations) {
      assert.match(org.id, /^org_[0-9a-z]{26}$/);
      assert.ok(org.name);
      assert.equal(org.portalUrl, `http://127.0.0.1:3000/portal/${org.slug}/`);
      assert.equal(org.portalEnabled, true);
      assert.equal(org.backofficeUrl, 'http://127.0.0.1:3000/app/');
      assert.deepEqual(
        org.users.map((u) => u.role),
        ['owner', 'staff'],
      );
      for (const user of org.users) {
        assert.match(user.email, /@/);
        assert.ok(user.password.length >= 15);
      }
      assert.ok(org.customers.length >= 2);
      for (const customer of org.customers) {
        assert.match(customer.id, /^cus_/);
        assert.ok(customer.name);
        assert.ok(customer.contacts.length >= 1);
        for (const contact of customer.contacts) {
          assert.match(contact.id, /^cp_/);
          assert.ok(contact.name);
          assert.match(contact.email, /@/);
          // Who can sign in to the portal has the client password; the invited and the never invited have none.
          assert.equal(contact.portalEnabled, contact.portalStatus === 'active', contact.email);
          assert.equal(contact.password, contact.portalEnabled ? DEMO_CLIENT_PASSWORD : null, contact.email);
        }
      }
      const contacts = org.customers.flatMap((c) => c.contacts);
      assert.ok(
        contacts.some((c) => c.portalEnabled),
        `${org.slug}: someone can sign in to the portal`,
      );
    }
    assert.equal(demo.organizations[0]?.users[0]?.email, 'owner@northwind.example');
    assert.equal(demo.organizations[0]?.users[0]?.password, 'portico-demo-owner');
    assert.equal(DEMO_CLIENT_PASSWORD, 'portico-demo-client');

    // The showcase contact can sign in; so can someone of the second customer.
    const [showcase, second] = demo.organizations[0]?.customers ?? [];
    assert.deepEqual(
      { name: showcase?.contacts[0]?.name, password: showcase?.contacts[0]?.password },
      { name: 'Alice Martin', password: DEMO_CLIENT_PASSWORD },
    );
    assert.equal(showcase?.contacts[0]?.portalEnabled, true);
    assert.ok(second?.contacts.some((c) => c.portalEnabled));
    // The back office shows every portal status: active, invited (not accepted) and never invited.
    assert.deepEqual(
      new Set(demo.organizations[0]?.customers.flatMap((c) => c.contacts.map((p) => p.portalStatus))),
      new Set(['active', 'invited', 'none']),
    );

    // The portal is on with a banner; the first organization shows projects and asks for reviews.
    const portals = await db.kysely
      .selectFrom('organizations')
      .select(['slug', 'portalEnabled', 'portalBanner', 'portalShowProjects', 'portalReviews'])
      .where('slug', 'in', ['northwind', 'kobe-works'])
      .orderBy('slug', 'desc')
      .execute();
    assert.deepEqual(
      portals.map(({ portalBanner, ...flags }) => ({ ...flags, banner: (portalBanner ?? '').length > 20 })),
      [
        { slug: 'northwind', portalEnabled: 1, portalShowProjects: 1, portalReviews: 1, banner: true },
        { slug: 'kobe-works', portalEnabled: 1, portalShowProjects: 0, portalReviews: 0, banner: true },
      ],
    );

    // Every invitation went through the API and waits in the outbox, with its link built from PUBLIC_URL.
    const invited = demo.organizations.flatMap((org) =>
      org.customers.flatMap((c) =>
        c.contacts.filter((p) => p.portalStatus !== 'none').map((p) => `${org.id} ${p.email}`),
      ),
    );
    const invitations = await db.kysely
      .selectFrom('outboxMessages')
      .select(['organizationId', 'toAddress', 'status', 'textBody'])
      .where('template', '=', 'portalInvitation')
      .execute();
    assert.deepEqual(invitations.map((m) => `${m.organizationId} ${m.toAddress}`).sort(), invited.sort());
    for (const message of invitations) {
      assert.equal(message.status, 'pending');
      assert.match(message.textBody, /http:\/\/127\.0\.0\.1:3000\/portal\/[a-z-]+\/accept-invitation#token=/);
    }
  });

  test('the showcase customer has every client-visible estimate state, unpaid and paid invoices, and the rest', async () => {
    const showcase = demo.organizations[0]?.customers[0];
    assert.ok(showcase);
    assert.equal(showcase.contacts[0]?.name, 'Alice Martin');
    const statuses = async (table: 'estimates' | 'invoices' | 'retainerInvoices') =>
      new Set<string>(
        (await db.kysely.selectFrom(table).select('status').where('customerId', '=', showcase.id).execute()).map(
          (r) => r.status,
        ),
      );
    const estimates = await statuses('estimates');
    for (const status of ['sent', 'changes_requested', 'accepted', 'declined', 'expired', 'invoiced'])
      assert.ok(estimates.has(status), status);
    const quoteRequests = await db.kysely
      .selectFrom('quoteRequests')
      .select('status')
      .where('customerId', '=', showcase.id)
      .execute();
    assert.deepEqual(
      quoteRequests.map((r) => r.status),
      ['open'],
    );
    const viewed = await db.kysely
      .selectFrom('estimates')
      .select('id')
      .where('customerId', '=', showcase.id)
      .where('status', '=', 'sent')
      .where('viewedAt', 'is not', null)
      .execute();
    assert.equal(viewed.length, 1);
    const invoices = await statuses('invoices');
    for (const status of ['sent', 'overdue', 'partially_paid', 'paid', 'void']) assert.ok(invoices.has(status), status);
    assert.ok((await statuses('retainerInvoices')).has('paid'));

    const payments = await db.kysely
      .selectFrom('customerPayments')
      .select('paymentDate')
      .where('customerId', '=', showcase.id)
      .execute();
    assert.ok(payments.length >= 5);
    // Statements have history: payments fall in at least four different months.
    assert.ok(new Set(payments.map((p) => p.paymentDate.slice(0, 7))).size >= 4);

    const project = await db.kysely
      .selectFrom('projects')
      .select('id')
      .where('customerId', '=', showcase.id)
      .executeTakeFirstOrThrow();
    const entries = await db.kysely
      .selectFrom('timeEntries')
      .select('id')
      .where('projectId', '=', project.id)
      .execute();
    assert.ok(entries.length >= 5);
    const authors = await db.kysely
      .selectFrom('comments')
      .select('authorType')
      .where('organizationId', '=', demo.organizations[0]?.id ?? '')
      .execute();
    assert.deepEqual(new Set(authors.map((a) => a.authorType)), new Set(['user', 'contact_person']));

    const second = demo.organizations[0]?.customers[1];
    const abroad = demo.organizations[1]?.customers[0];
    for (const customer of [second, abroad]) {
      assert.ok(customer);
      const own = await db.kysely.selectFrom('invoices').select('id').where('customerId', '=', customer.id).execute();
      assert.ok(own.length >= 2, customer.name);
    }
  });

  test('seed --demo again adds nothing and prints the same document', async () => {
    const counts = async () => ({
      organizations: await count('organizations'),
      invoices: await count('invoices'),
      contactPersons: await count('contactPersons'),
      outboxMessages: await count('outboxMessages'),
    });
    const before = await counts();
    const outcome = await run(['seed', '--demo', '--json'], { PUBLIC_URL: 'http://127.0.0.1:3000' });
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(JSON.parse(outcome.stdout), demo);
    assert.deepEqual(await counts(), before);
  });

  let admin: { email: string; password: string };

  test('create-admin creates an organization and its owner, and prints a generated password once', async () => {
    const outcome = await run(['create-admin', '--org', 'Acme Design', '--email', 'Boss@Acme.example'], {
      PORTICO_ADMIN_PASSWORD: undefined,
    });
    assert.equal(outcome.code, 0, outcome.stderr);
    const password = /Password:\s+(\S+)/.exec(outcome.stdout)?.[1];
    assert.ok(password && password.length >= 20, outcome.stdout);
    admin = { email: 'boss@acme.example', password };
    const owner = await db.kysely
      .selectFrom('users')
      .innerJoin('organizations', 'organizations.id', 'users.organizationId')
      .select(['users.role', 'organizations.slug', 'organizations.baseCurrency', 'organizations.timeZone'])
      .where('users.email', '=', 'boss@acme.example')
      .executeTakeFirstOrThrow();
    assert.deepEqual(owner, { role: 'owner', slug: 'acme-design', baseCurrency: 'USD', timeZone: 'UTC' });

    const again = await run(['create-admin', '--org', 'Acme Design', '--email', 'other@acme.example']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /taken/);

    const chosen = await run(
      [
        'create-admin',
        '--org',
        'Ōsaka Print',
        '--email',
        'o@print.example',
        '--currency',
        'JPY',
        '--time-zone',
        'Asia/Tokyo',
      ],
      { PORTICO_ADMIN_PASSWORD: 'a long enough chosen password' },
    );
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.doesNotMatch(chosen.stdout, /a long enough chosen password/);
    const org = await db.kysely
      .selectFrom('organizations')
      .select(['baseCurrency', 'timeZone'])
      .where('slug', '=', 'osaka-print')
      .executeTakeFirstOrThrow();
    assert.deepEqual(org, { baseCurrency: 'JPY', timeZone: 'Asia/Tokyo' });

    const weak = await run(['create-admin', '--org', 'Weak', '--email', 'w@weak.example'], {
      PORTICO_ADMIN_PASSWORD: 'short',
    });
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /at least 15 characters/);
  });

  test('seed --scale 2000 writes consistent invoices, payments and numbers, and keeps every index', async () => {
    const indexes = async () =>
      testDialect === 'sqlite'
        ? (
            await sql<{ name: string }>`select name from sqlite_master where type = 'index' order by name`.execute(
              db.kysely,
            )
          ).rows.map((r) => r.name)
        : (
            await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where schemaname = current_schema() order by indexname`.execute(
              db.kysely,
            )
          ).rows.map((r) => r.name);
    const indexesBefore = await indexes();
    const invoicesBefore = await count('invoices');

    const outcome = await run(['seed', '--scale', '2000']);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /Generated 2,000 invoices/);
    assert.match(outcome.stdout, /scale@example\.com/);
    assert.match(outcome.stderr, /rows\/s/);
    assert.deepEqual(await indexes(), indexesBefore);
    assert.equal((await count('invoices')) - invoicesBefore, 2000);

    const org = await db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', 'scale-test')
      .executeTakeFirstOrThrow();
    const customers = await db.kysely
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('organizationId', '=', org.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(customers.n), 10);

    // The text search finds the generated rows (SQLite: its FTS5 indexes, set aside for the load, agree with them).
    const found = await foundDocuments(db.kysely, 'invoices', org.id, 'INV-0001234');
    assert.equal(found?.length, 1);
    assert.equal((await foundDocuments(db.kysely, 'customerPayments', org.id, 'PAY-0000017'))?.length, 1);
    if (testDialect === 'sqlite') {
      for (const table of ['invoices', 'customer_payments', 'customers']) {
        const search = sql.table(`${table}_search`);
        await sql`insert into ${search}(${search}, rank) values ('integrity-check', 1)`.execute(db.kysely);
      }
    }

    const wrong = await db.kysely
      .selectFrom('invoices as i')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('i.organizationId', '=', org.id)
      .where((eb) =>
        eb.or([
          eb('i.total', '!=', eb(eb.ref('i.subtotal'), '+', eb.ref('i.taxTotal'))),
          eb(
            'i.subtotal',
            '!=',
            eb
              .selectFrom('invoiceLines as l')
              .select((l) => l.fn.sum<number>('l.net').as('s'))
              .whereRef('l.documentId', '=', 'i.id'),
          ),
          eb(
            'i.paymentsApplied',
            '!=',
            eb
              .selectFrom('paymentAllocations as a')
              .select((a) => a.fn.coalesce(a.fn.sum<number>('a.amount'), a.lit(0)).as('s'))
              .whereRef('a.invoiceId', '=', 'i.id'),
          ),
          eb.and([
            eb('i.status', '!=', 'void'),
            eb('i.balance', '!=', eb(eb.ref('i.total'), '-', eb.ref('i.paymentsApplied'))),
          ]),
        ]),
      )
      .executeTakeFirstOrThrow();
    assert.equal(Number(wrong.n), 0);

    const byStatus = await db.kysely
      .selectFrom('invoices')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('organizationId', '=', org.id)
      .groupBy('status')
      .execute();
    const statuses = new Set<string>(byStatus.map((row) => row.status));
    for (const status of ['paid', 'overdue', 'sent', 'partially_paid', 'void']) assert.ok(statuses.has(status), status);

    const numbers = await db.kysely
      .selectFrom('invoices')
      .select(['number'])
      .where('organizationId', '=', org.id)
      .orderBy('number')
      .execute();
    assert.equal(numbers[0]?.number, 'INV-0000001');
    assert.equal(numbers.at(-1)?.number, 'INV-0002000');
    const sequence = await db.kysely
      .selectFrom('documentSequences')
      .select('nextNumber')
      .where('organizationId', '=', org.id)
      .where('kind', '=', 'invoice')
      .executeTakeFirstOrThrow();
    assert.equal(Number(sequence.nextNumber), 2001);

    // The customers' figures are what the books give (on PostgreSQL computed once after the load, for which the
    // bulk tables' triggers were set aside), and those triggers are back.
    const nonZero = async (from: string) =>
      (await sql.raw<Record<string, unknown>>(`SELECT * FROM (${from}) f`).execute(db.kysely)).rows
        .map((row) =>
          Object.entries(row).map(
            ([key, value]) => [key, /count|balance|invoiced|paid/.test(key) ? Number(value) : value] as const,
          ),
        )
        .filter((entries) => entries.some(([key, value]) => /count|balance|invoiced|paid/.test(key) && value !== 0))
        .map((entries) => JSON.stringify(Object.fromEntries([...entries].sort())))
        .sort();
    for (const table of ['customer_open_totals', 'customer_monthly_totals'] as const) {
      const kept = await nonZero(`SELECT * FROM ${table}`);
      assert.ok(kept.length > 0, table);
      assert.deepEqual(kept, await nonZero(recomputedFigures[table]), table);
    }
    if (testDialect === 'postgres') {
      const paused = await sql<{ n: string }>`
        select count(*) as n from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where not t.tgisinternal and t.tgenabled = 'D'`.execute(db.kysely);
      assert.equal(Number(paused.rows[0]?.n), 0, 'no trigger is left disabled');
    }

    const again = await run(['seed', '--scale', '10']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists already/);
  });

  test('rebuild-figures recomputes the customers’ dashboard figures from the books, and repairs wrong ones', async () => {
    const figures = () =>
      db.kysely
        .selectFrom('customerMonthlyTotals')
        .select(['customerId', 'month', 'currency', 'invoiced', 'paid'])
        .where((eb) => eb.or([eb('invoiced', '<>', 0), eb('paid', '<>', 0)]))
        .orderBy('customerId')
        .orderBy('month')
        .orderBy('currency')
        .execute();
    const kept = await figures();
    assert.ok(kept.length > 0, 'the scale seed made figures');
    await db.kysely.deleteFrom('customerMonthlyTotals').execute();
    await db.kysely.updateTable('customerOpenTotals').set({ balance: 1 }).execute();

    const rebuilt = await run(['rebuild-figures']);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stderr, /Rebuilt every customer's figures/);
    assert.deepEqual(await figures(), kept);
    const open = await db.kysely.selectFrom('customerOpenTotals').select('balance').where('balance', '=', 1).execute();
    assert.equal(open.length, 0);
  });

  test('a text-search index out of step with its rows: verify-backup says so, restore and rebuild-search make it again', async () => {
    if (testDialect !== 'sqlite') {
      const outcome = await run(['rebuild-search']);
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.match(outcome.stderr, /PostgreSQL keeps the text search's trigram indexes itself/);
      return;
    }
    const invoice = await db.kysely
      .selectFrom('invoices')
      .select(['id', 'organizationId'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const found = (kysely = db.kysely) => foundDocuments(kysely, 'invoices', invoice.organizationId, 'zephyr');
    // A change made with the index's trigger set aside: the row has the new reference, the index the old one.
    const trigger = await sql<{ sql: string }>`
      select sql from sqlite_master where type = 'trigger' and name = 'invoices_search_update'`.execute(db.kysely);
    await sql`drop trigger invoices_search_update`.execute(db.kysely);
    await db.kysely.updateTable('invoices').set({ reference: 'Zephyr-42' }).where('id', '=', invoice.id).execute();
    await sql.raw(trigger.rows[0]?.sql ?? '').execute(db.kysely);
    assert.deepEqual(await found(), [], 'the search misses the row');

    const backup = path.join(dataDir, 'out-of-step.sqlite');
    assert.equal((await run(['backup', '--to', backup])).code, 0);
    const verified = await run(['verify-backup', backup]);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stderr, /The text search's index of invoices does not match the rows/);

    const restoreDir = mkdtempSync(path.join(tmpdir(), 'portico-cli-restore-'));
    const restoredUrl = `sqlite:${path.join(restoreDir, 'portico.sqlite')}`;
    try {
      const restored = await run(['restore', backup], { DATA_DIR: restoreDir, DATABASE_URL: restoredUrl });
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stderr, /Made the text search's index of invoices again from the rows/);
      const copy = openDatabase(restoredUrl);
      try {
        assert.deepEqual(await found(copy.kysely), [invoice.id], 'the restored database finds it');
      } finally {
        await copy.close();
      }
    } finally {
      rmSync(restoreDir, { recursive: true, force: true });
    }

    const rebuilt = await run(['rebuild-search']);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stderr, /Made the text search's index of invoices again from the rows/);
    assert.deepEqual(await found(), [invoice.id], 'the search finds it again');
    const again = await run(['rebuild-search']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Every text-search index matches its rows/);
  });

  test('serve answers /healthz and the printed logins, portal ones too, delivers the invitations, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = start(['serve'], { PORT: String(port), HOST: '127.0.0.1' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      let health: Response | null = null;
      for (let attempt = 0; attempt < 120 && health === null; attempt++) {
        health = await fetch(`${base}/healthz`).catch(() => null);
        if (health === null) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(health, `serve did not answer: ${stderr}`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });

      // The banner is printed once the server listens and the demo logins are read: it may follow the first answer.
      for (let attempt = 0; attempt < 120 && !stderr.includes('Scheduled jobs:'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.match(stderr, new RegExp(`Back office:\\s+http://127\\.0\\.0\\.1:${port}/app/`));
      assert.match(stderr, /owner@northwind\.example\s+portico-demo-owner/);
      assert.match(stderr, new RegExp(`portal: http://127\\.0\\.0\\.1:${port}/portal/northwind/`));
      assert.match(stderr, new RegExp(`portal: http://127\\.0\\.0\\.1:${port}/portal/kobe-works/`));
      assert.match(stderr, /client\s+alice@bluebird-bakery\.example\s+portico-demo-client/);
      assert.doesNotMatch(stderr, /ben@bluebird-bakery\.example/);
      assert.doesNotMatch(stderr, /WARNING/, 'loopback: nothing unsafe to say');
      for (const login of [
        { email: 'owner@northwind.example', password: 'portico-demo-owner' },
        { email: 'aiko@kobe-works.example', password: 'portico-demo-staff' },
        admin,
      ]) {
        const session = await fetch(`${base}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(login),
        });
        assert.equal(session.status, 200, login.email);
      }

      // The showcase contact signs in to the first organization's portal with the printed client login.
      const showcase = demo.organizations[0]?.customers[0]?.contacts[0];
      assert.ok(showcase?.password);
      const portalLogin = (email: string, password: string) =>
        fetch(`${base}/api/portal/northwind/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
      const signedIn = await portalLogin(showcase.email, showcase.password);
      assert.equal(signedIn.status, 200);
      const identity = (await signedIn.json()) as {
        contactPerson: { name: string };
        customer: { name: string };
        settings: { banner: string | null; showProjects: boolean; reviews: boolean; onlinePayments: string };
      };
      assert.equal(identity.contactPerson.name, 'Alice Martin');
      assert.equal(identity.customer.name, 'Bluebird Bakery');
      assert.ok(identity.settings.banner);
      assert.equal(identity.settings.showProjects, true);
      assert.equal(identity.settings.reviews, true);
      assert.equal(identity.settings.onlinePayments, 'test', 'the demo pays with the sandbox, in test mode');
      // Invited but never accepted: no password yet, so no way in.
      const pending = await portalLogin('ben@bluebird-bakery.example', DEMO_CLIENT_PASSWORD);
      assert.equal(pending.status, 401);

      // The mail worker delivers the invitations: without SMTP_URL, as .eml files in DATA_DIR/mail.
      const invitations = () =>
        db.kysely
          .selectFrom('outboxMessages')
          .select(['id', 'status'])
          .where('template', '=', 'portalInvitation')
          .execute();
      for (let attempt = 0; attempt < 80; attempt++) {
        if ((await invitations()).every((m) => m.status === 'sent')) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const delivered = await invitations();
      assert.ok(delivered.length > 0);
      assert.deepEqual(new Set(delivered.map((m) => m.status)), new Set(['sent']), stderr);
      const files = readdirSync(path.join(dataDir, 'mail'));
      for (const message of delivered)
        assert.ok(
          files.some((file) => file.includes(message.id)),
          message.id,
        );
    } finally {
      child.kill('SIGTERM');
    }
    const { code, signal } = await exited;
    assert.equal(signal, null, stderr);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /Stopped\./);
  });

  /** `serve` until its banner is printed, then SIGTERM: what it printed (stderr) and logged (stdout). */
  const serveUntilBanner = async (args: string[], extra: Record<string, string | undefined>) => {
    const child = start(['serve', ...args], extra);
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      for (let attempt = 0; attempt < 240 && !stderr.includes('Scheduled jobs:'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.match(stderr, /Scheduled jobs:/, `no banner: ${stderr}`);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
    return { stderr, stdout };
  };

  test('serve on a public HOST without NODE_ENV=production: no demo unless --demo, and a banner and log of what is unsafe', async () => {
    const otherDir = mkdtempSync(path.join(tmpdir(), 'portico-cli-public-'));
    const fresh = await emptyDatabase(otherDir);
    const freshDb = () => openDatabase(fresh.url);
    try {
      const exposed = {
        DATA_DIR: otherDir,
        DATABASE_URL: fresh.url,
        HOST: '0.0.0.0',
        PORT: String(await freePort()),
        PUBLIC_URL: 'http://portal.example.com',
      };
      const first = await serveUntilBanner([], exposed);
      assert.match(first.stderr, /HOST=0\.0\.0\.0 is not loopback, so no demo \(add it with --demo\)/);
      assert.match(first.stderr, /WARNING: not safe for real clients/);
      assert.match(first.stderr, /HOST=0\.0\.0\.0 is a public interface but NODE_ENV is not production/);
      assert.match(first.stderr, /APP_SECRET is not set/);
      assert.match(first.stderr, /PUBLIC_URL is http:\/\/portal\.example\.com: .*clear text/);
      assert.match(first.stderr, /sandbox payment gateway .* move no money/);
      assert.doesNotMatch(first.stderr, /portico-demo-owner|demo organizations \(/);
      assert.match(first.stdout, /"msg":"serving on a public interface without NODE_ENV=production"/);
      assert.match(first.stdout, /"unsafe":\[/);
      let db2 = freshDb();
      const organizations = await db2.kysely.selectFrom('organizations').select('slug').execute();
      await db2.close();
      assert.deepEqual(organizations, [], 'no demo organizations on a public interface');

      // Asked for: the demo is added, and its public passwords are among what is unsafe.
      const second = await serveUntilBanner(['--demo'], { ...exposed, PORT: String(await freePort()) });
      assert.match(second.stderr, /owner@northwind\.example\s+portico-demo-owner/);
      assert.match(second.stderr, /The demo organizations \(northwind, kobe-works\) are here, with public passwords/);
      // The demo pays with the sandbox because its owners chose it, not by default.
      db2 = freshDb();
      const gateways = await db2.kysely
        .selectFrom('paymentGateways')
        .innerJoin('organizations', 'organizations.id', 'paymentGateways.organizationId')
        .select(['organizations.slug', 'paymentGateways.kind'])
        .orderBy('organizations.slug')
        .execute();
      await db2.close();
      assert.deepEqual(gateways, [
        { slug: 'kobe-works', kind: 'sandbox' },
        { slug: 'northwind', kind: 'sandbox' },
      ]);
    } finally {
      await fresh.drop();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  test('serve --demo --no-demo is a usage error', async () => {
    const both = await run(['serve', '--demo', '--no-demo']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /Give --demo or --no-demo, not both\./);
  });
});
