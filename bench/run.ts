/**
 * `npm run bench`: how fast the client portal answers under real traffic, on a big database, next to a bare
 * Fastify route on the same machine (the ceiling for this hardware and Node.js). docs/benchmarks.md explains it.
 *
 * On a fresh database — SQLite in a temporary DATA_DIR, PostgreSQL with BENCH_DATABASE_URL=postgres://… or
 * BENCH_POSTGRES=1 (a throwaway server) — generate BENCH_INVOICES invoices (default 1,000,000) with the scale
 * seed, start Portico (`portico serve --role web`) and a bare Fastify app in their own processes, then:
 *
 * - **Real traffic (the headline).** BENCH_CLIENTS (default 200) contact persons of as many customers, each
 *   invited and accepted through the real routes, read their portal: every request comes from a random one of
 *   them, on the dashboard, the invoice list and an invoice they viewed before — while a writer records payments
 *   and edits invoices of other customers through the business API, BENCH_WRITES_PER_SECOND (default 20) a second.
 * - **One client, nothing written (the old figures).** The same three routes for one signed-in client, no writer.
 * - The business API's invoice list (API key), Pay Now on the sandbox, and a 1,000-line statement PDF.
 *
 * Each route: req/s, p50, p99, ÷ the bare route (measured before and after, the mean of both), non-2xx and
 * errors; the Portico process's peak resident memory per phase. Loopback only; prints a table and writes
 * bench/results/latest.json. BENCH_ONLY=traffic,single,list,paynow,pdf runs only those parts.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startThrowawayPostgres } from '../scripts/postgres-server.js';
import { hashToken, newSecretToken } from '../src/auth/tokens.js';
import { openRuntime } from '../src/cli/runtime.js';
import { SCALE_SLUG, seedScale } from '../src/cli/seed-scale.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { newId } from '../src/db/ids.js';
import { type BusinessApi, businessApi, customerIds } from './business-api.js';
import {
  CONNECTIONS,
  DURATION_SECONDS,
  type Measurement,
  measure,
  measurementOf,
  measureOne,
  WARMUP_SECONDS,
} from './measure.js';
import { type PortalClient, signInClients } from './portal-clients.js';
import { type ServerProcess, startBareFastify, startPortico, watchMemory } from './servers.js';
import { benchStatementPdf } from './statement-pdf.js';
import { prepareBookkeeping, startWriter, type WriterReport } from './writer.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function wholeNumber(name: string, fallback: number, least = 1): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < least) throw new Error(`${name} must be a whole number ≥ ${least}.`);
  return value;
}

const invoiceCount = wholeNumber('BENCH_INVOICES', 1_000_000);
const clientCount = wholeNumber('BENCH_CLIENTS', 200);
/** 0: the many clients read with nothing written (to tell the cost of many clients from that of the writes). */
const writesPerSecond = wholeNumber('BENCH_WRITES_PER_SECOND', 20, 0);
/** The customers whose books the writer changes: none of them is among the clients reading. */
const BOOKKEEPING_CUSTOMERS = 20;
/** A few more customers than clients are signed in, in case some have nothing in their portal yet. */
const SPARE_CUSTOMERS = 10;

const PARTS = ['traffic', 'single', 'list', 'paynow', 'pdf'] as const;
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
for (const part of only) {
  if (!(PARTS as readonly string[]).includes(part))
    throw new Error(`BENCH_ONLY: "${part}" is not one of ${PARTS.join(', ')}.`);
}
const runs = (part: (typeof PARTS)[number]) => only.length === 0 || only.includes(part);

/**
 * An admin API key of the organization acting for its owner, written as the owner's `POST /api/v1/api-keys` would
 * (only its hash is stored).
 */
async function apiKeyFor(ctx: AppContext, organizationId: string): Promise<string> {
  const key = `pk_${newSecretToken()}`;
  const owner = await ctx.db.kysely
    .selectFrom('users')
    .select('id')
    .where('organizationId', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  await ctx.db.kysely
    .insertInto('apiKeys')
    .values({
      id: newId('key'),
      organizationId,
      name: 'bench',
      prefix: key.slice(0, 10),
      keyHash: hashToken(key),
      createdByUserId: owner.id,
      role: 'admin',
      createdAt: ctx.now().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    })
    .execute();
  return key;
}

/** With BENCH_DATABASE_URL pointing at a database seeded before, its scale data is reused. */
async function scaleData(ctx: AppContext): Promise<{ organizationId: string; seconds: number | null }> {
  const existing = await ctx.db.kysely
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', SCALE_SLUG)
    .executeTakeFirst();
  if (existing) {
    log(`reusing the existing "${SCALE_SLUG}" organization`);
    return { organizationId: existing.id, seconds: null };
  }
  // One customer per 200 invoices, as `seed --scale` makes them — but at least enough for every client and the
  // writer's customers to be distinct (10,000 invoices would otherwise give 50 customers).
  const customers = Math.max(Math.ceil(invoiceCount / 200), clientCount + SPARE_CUSTOMERS + BOOKKEEPING_CUSTOMERS + 20);
  log(
    `generating ${invoiceCount.toLocaleString('en-US')} invoices for ${customers.toLocaleString('en-US')} customers…`,
  );
  const result = await seedScale(ctx, { invoices: invoiceCount, customers, progress: log });
  return { organizationId: result.organizationId, seconds: result.seconds };
}

const PAY_NOW_SECONDS = 5;
const PAY_NOW_CONNECTIONS = 10;

/**
 * Pay Now throughput on the sandbox: each request pays 1.00 of one big invoice with the success test card, so
 * every request reserves, charges, settles and writes the receipt e-mail. Each request needs its own
 * Idempotency-Key.
 */
async function benchPayNow(
  ctx: AppContext,
  api: BusinessApi,
  porticoUrl: string,
  organizationId: string,
  client: PortalClient,
): Promise<Measurement> {
  const invoice = await api.call<{ id: string }>('POST', '/invoices', {
    customerId: client.customerId,
    allowPartialPayments: true,
    lines: [{ name: 'Pay Now bench', quantity: '1', rate: 9_000_000_000 }],
  });
  await api.call('POST', `/invoices/${invoice.id}/mark-sent`);
  // Many payments of one invoice at once: measure the reservations, not the duplicate-payment guard; no tax setup.
  await api.call('PATCH', '/portal-settings', { preventDuplicatePayments: false });
  // The owner chooses the sandbox: no organization takes online payments without a gateway it chose.
  await api.call('PUT', '/payment-gateway', { kind: 'sandbox' });
  await ctx.db.kysely.updateTable('organizations').set({ chargesTax: 0 }).where('id', '=', organizationId).execute();
  const session = await fetch(`${porticoUrl}/api/portal/${SCALE_SLUG}/session`, { headers: { cookie: client.cookie } });
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const url = `${porticoUrl}/api/portal/${SCALE_SLUG}/payments`;
  const body = JSON.stringify({
    allocations: [{ invoiceId: invoice.id, amount: 100 }],
    testCard: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' },
  });
  const headers = { cookie: client.cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  const probe = await fetch(url, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body });
  if (probe.status !== 201) throw new Error(`Pay Now answered ${probe.status}: ${await probe.text()}`);
  log(`Pay Now: measuring ${PAY_NOW_SECONDS} s with ${PAY_NOW_CONNECTIONS} connections…`);
  const result = await autocannon({
    url,
    connections: PAY_NOW_CONNECTIONS,
    duration: PAY_NOW_SECONDS,
    requests: [
      {
        method: 'POST',
        headers,
        body,
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }),
      },
    ],
  });
  return measurementOf('Pay Now (sandbox test card)', `/api/portal/${SCALE_SLUG}/payments`, result);
}

/** The three portal routes a signed-in client uses, each request from a random client of `clients`. */
async function measurePortal(label: string, porticoUrl: string, clients: PortalClient[]): Promise<Measurement[]> {
  const portal = `/api/portal/${SCALE_SLUG}`;
  const anyClient = () => clients[Math.floor(Math.random() * clients.length)] as PortalClient;
  return [
    await measure(`${label}: dashboard (GET /home)`, porticoUrl, `${portal}/home`, () => ({
      path: `${portal}/home`,
      headers: { cookie: anyClient().cookie },
    })),
    await measure(`${label}: invoice list (25 rows)`, porticoUrl, `${portal}/invoices?limit=25`, () => ({
      path: `${portal}/invoices?limit=25`,
      headers: { cookie: anyClient().cookie },
    })),
    await measure(`${label}: one invoice (viewed before)`, porticoUrl, `${portal}/invoices/{id}`, () => {
      const client = anyClient();
      return { path: `${portal}/invoices/${client.invoiceId}`, headers: { cookie: client.cookie } };
    }),
  ];
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'portico-bench-'));
const throwawayPostgres =
  !process.env.BENCH_DATABASE_URL && process.env.BENCH_POSTGRES === '1' ? await startThrowawayPostgres() : null;
const databaseUrl =
  process.env.BENCH_DATABASE_URL || throwawayPostgres?.url || `sqlite:${path.join(dataDir, 'bench.sqlite')}`;
const appSecret = newSecretToken();
const config = loadConfig({
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  APP_SECRET: appSecret,
  PUBLIC_URL: 'http://127.0.0.1',
});
// The bench's own connection: it seeds, writes the API key and reads invitation e-mails from the outbox.
const runtime = await openRuntime(config, { poolSize: 4 });
const servers: ServerProcess[] = [];
const loadAtStart = loadavg();

try {
  const { organizationId, seconds } = await scaleData(runtime.ctx);
  const key = await apiKeyFor(runtime.ctx, organizationId);
  const portico = await startPortico(databaseUrl, dataDir, appSecret);
  servers.push(portico);
  const bare = await startBareFastify();
  servers.push(bare);
  const memory = watchMemory(portico.pid);
  const api = businessApi(portico.url, key);
  await api.call('PATCH', '/portal-settings', { enabled: true });

  const ids = await customerIds(api, clientCount + SPARE_CUSTOMERS + BOOKKEEPING_CUSTOMERS);
  if (ids.length < clientCount + SPARE_CUSTOMERS + BOOKKEEPING_CUSTOMERS) {
    throw new Error(
      `The "${SCALE_SLUG}" organization has ${ids.length} customers; the bench needs ${clientCount + SPARE_CUSTOMERS + BOOKKEEPING_CUSTOMERS} ` +
        `(${clientCount} clients, ${SPARE_CUSTOMERS} spare, ${BOOKKEEPING_CUSTOMERS} for the writer): seed a fresh database.`,
    );
  }
  const readerIds = ids.slice(0, clientCount + SPARE_CUSTOMERS);
  const bookkeepingIds = ids.slice(clientCount + SPARE_CUSTOMERS);
  log(`signing in ${clientCount} clients through invitations…`);
  const clients = await signInClients({
    api,
    db: runtime.ctx.db.kysely,
    porticoUrl: portico.url,
    slug: SCALE_SLUG,
    customerIds: readerIds,
    count: clientCount,
  });
  if (clients.length < clientCount) log(`only ${clients.length} customers have invoices in their portal`);
  const bookkeeping = await prepareBookkeeping(api, bookkeepingIds);
  const setupPeakMiB = memory.peakMiB();

  const bareBefore = await measureOne('bare Fastify {hello: "world"}', bare.url, '/');

  let traffic: { routes: Measurement[]; writer: WriterReport | null; peakRssMiB: number } | null = null;
  if (runs('traffic')) {
    memory.reset();
    log(`real traffic: ${clients.length} clients reading, ${writesPerSecond} writes/s for other customers`);
    const writer = writesPerSecond > 0 ? startWriter(api, bookkeeping, writesPerSecond) : null;
    let routes: Measurement[];
    let writerReport: WriterReport | null = null;
    try {
      routes = await measurePortal('Real traffic', portico.url, clients);
    } finally {
      writerReport = (await writer?.stop()) ?? null;
    }
    traffic = { routes, writer: writerReport, peakRssMiB: memory.peakMiB() };
  }

  let single: { routes: Measurement[]; peakRssMiB: number } | null = null;
  if (runs('single')) {
    memory.reset();
    const routes = await measurePortal('One client, no writes', portico.url, clients.slice(0, 1));
    single = { routes, peakRssMiB: memory.peakMiB() };
  }

  const sample = clients[0] as PortalClient;
  const list = runs('list')
    ? await measureOne(
        'Business API invoice list (API key, no writes)',
        portico.url,
        `/api/v1/invoices?customerId=${sample.customerId}&status=paid&limit=25`,
        { authorization: `Bearer ${key}` },
      )
    : null;

  // The neighbours' load moves the bare route by tens of percent from one minute to the next: measured again
  // after the portal, the ratios are taken against the mean of both.
  const bareAfter = await measureOne('bare Fastify, again', bare.url, '/');
  const bareRequestsPerSecond = (bareBefore.requestsPerSecond + bareAfter.requestsPerSecond) / 2;

  const payNow = runs('paynow') ? await benchPayNow(runtime.ctx, api, portico.url, organizationId, sample) : null;
  const loadAtEnd = loadavg();
  const peakRssMiB = memory.overallPeakMiB();
  memory.stop();

  const ratioOf = (m: Measurement) => Math.round((m.requestsPerSecond / bareRequestsPerSecond) * 1000) / 1000;
  const withRatio = (m: Measurement) => ({ ...m, ratioToBare: ratioOf(m) });

  const table = (title: string, measurements: Measurement[]) => {
    const rows = measurements.map((m) => [
      m.name,
      m.requestsPerSecond.toLocaleString('en-US'),
      `${m.latencyP50Ms} ms`,
      `${m.latencyP99Ms} ms`,
      `${(ratioOf(m) * 100).toFixed(1)} %`,
      String(m.non2xx),
      String(m.errors),
    ]);
    const header = ['route', 'req/s', 'p50', 'p99', '÷ bare', 'non-2xx', 'errors'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
    const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
    console.log(`\n${title}`);
    console.log(format(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(format(row));
  };

  const database = runtime.ctx.db.dialect;
  console.log(
    `\n${invoiceCount.toLocaleString('en-US')} invoices, ${database}, ${cpus().length} CPUs, load average ` +
      `${loadAtStart.map((l) => l.toFixed(1)).join(' ')} at the start, ${loadAtEnd.map((l) => l.toFixed(1)).join(' ')} at the end`,
  );
  table('Bare route', [bareBefore, bareAfter]);
  if (traffic) {
    table(
      `REAL TRAFFIC — ${clients.length} clients, random one per request, ${writesPerSecond} writes/s meanwhile`,
      traffic.routes,
    );
    const w = traffic.writer;
    const failures = Object.entries(w?.failures ?? {})
      .map(([what, count]) => `${count} × ${what}`)
      .join(', ');
    console.log(
      w === null
        ? 'writer: none (BENCH_WRITES_PER_SECOND=0), nothing written'
        : `writer: ${w.succeeded} writes in ${w.seconds} s = ${w.achievedPerSecond}/s (asked ${w.targetPerSecond}/s; ` +
            `${w.payments} payments, ${w.invoiceEdits} invoice edits), ${w.failed} failed${failures ? ` (${failures})` : ''}, ` +
            `${w.skipped} skipped for want of answers; write p50 ${w.latencyP50Ms} ms, p99 ${w.latencyP99Ms} ms`,
    );
    console.log(`Portico peak RSS during real traffic: ${traffic.peakRssMiB} MiB`);
  }
  if (single) {
    table('Secondary — ONE client reloading its own pages, nothing written', single.routes);
    console.log(`Portico peak RSS during the single-client run: ${single.peakRssMiB} MiB`);
  }
  const others = [list, payNow].filter((m): m is Measurement => m !== null);
  if (others.length) table('Other routes (one client or key, no writer)', others);
  console.log(`Portico peak RSS over the whole run (after setup: ${setupPeakMiB} MiB): ${peakRssMiB} MiB`);
  const serverWarnings = portico.warnings();
  console.log(`Portico logged ${serverWarnings.count} warnings or errors during the run`);
  for (const line of serverWarnings.first) console.log(`  ${line}`);

  let statementPdf: Awaited<ReturnType<typeof benchStatementPdf>> | null = null;
  if (runs('pdf')) {
    log('rendering a 1,000-line statement PDF (Portico, then Chromium printing the same HTML)…');
    statementPdf = await benchStatementPdf();
    console.log(
      `\nStatement PDF (${statementPdf.lines} lines): Portico ${statementPdf.porticoMedianMs} ms median; Chromium ` +
        `printing the HTML: ${statementPdf.chromiumMedianMs === null ? 'not measured (no Chromium)' : `${statementPdf.chromiumMedianMs} ms`}`,
    );
  }

  const resultsDir = path.join(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
    database,
    invoices: invoiceCount,
    seedSeconds: seconds === null ? null : Math.round(seconds * 10) / 10,
    settings: {
      connections: CONNECTIONS,
      warmupSeconds: WARMUP_SECONDS,
      durationSeconds: DURATION_SECONDS,
      clients: clients.length,
      writesPerSecond,
      bookkeepingCustomers: bookkeeping.length,
    },
    bare: { before: bareBefore, after: bareAfter, meanRequestsPerSecond: Math.round(bareRequestsPerSecond) },
    traffic: traffic && { ...traffic, routes: traffic.routes.map(withRatio) },
    singleClient: single && { ...single, routes: single.routes.map(withRatio) },
    list: list && withRatio(list),
    payNow,
    statementPdf,
    setupPeakRssMiB: setupPeakMiB,
    peakRssMiB,
    serverWarnings,
  };
  writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`written to ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
} finally {
  for (const server of servers) await server.stop();
  await runtime.close();
  await throwawayPostgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
