/**
 * `npm run bench`: how fast Portico answers a realistic list query on a big database, next to a bare Fastify
 * route on the same machine (the ceiling for this hardware and Node.js).
 *
 * On a fresh SQLite database in a temporary DATA_DIR (or BENCH_DATABASE_URL): migrate, generate
 * BENCH_INVOICES invoices (default 1,000,000) with `seed --scale`, then with autocannon — 50 connections,
 * a 2 s warm-up, 10 s measured, the same for both — load (a) `GET /` of a bare Fastify app answering
 * {hello: 'world'}, (b) `GET /api/v1/invoices?customerId=…&status=paid&limit=25` with an API key, and for one
 * customer's contact person signed in to the portal (c) `GET /api/portal/{slug}/home`, the dashboard, and
 * (d) `GET /api/portal/{slug}/invoices?limit=25`. The portal's target is ≥ 0.35× the bare route (measured before the
 * Portico routes and again after the portal ones; the ratios use the mean of both). Last, Pay Now:
 * `POST /api/portal/{slug}/payments` with a sandbox test card (a new Idempotency-Key per request), 5 s.
 * Loopback only. Prints a table and writes bench/results/latest.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../src/app/app.js';
import { hashPassword } from '../src/auth/passwords.js';
import { hashToken, newSecretToken } from '../src/auth/tokens.js';
import { openRuntime } from '../src/cli/runtime.js';
import { SCALE_SLUG, seedScale } from '../src/cli/seed-scale.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { newId } from '../src/db/ids.js';
import { benchStatementPdf } from './statement-pdf.js';

const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
const DURATION_SECONDS = 10;

const invoiceCount = Number(process.env.BENCH_INVOICES ?? 1_000_000);
if (!Number.isInteger(invoiceCount) || invoiceCount < 1) throw new Error('BENCH_INVOICES must be a whole number ≥ 1.');

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * BENCH_ONLY=portal,pdf (any of: list, portal, paynow, pdf) runs only those parts, next to the bare route; the
 * default is all of them.
 */
const PARTS = ['list', 'portal', 'paynow', 'pdf'] as const;
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
for (const part of only) {
  if (!(PARTS as readonly string[]).includes(part))
    throw new Error(`BENCH_ONLY: "${part}" is not one of ${PARTS.join(', ')}.`);
}
const runs = (part: (typeof PARTS)[number]) => only.length === 0 || only.includes(part);

interface Measurement {
  name: string;
  url: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function load(url: string, headers: Record<string, string>, duration: number) {
  // One worker thread fires the requests, so the load generator does not share the servers' event loop.
  return autocannon({ url, headers, connections: CONNECTIONS, duration, workers: 1 });
}

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Measurement> {
  log(`${name}: warming up ${WARMUP_SECONDS} s…`);
  await load(url, headers, WARMUP_SECONDS);
  log(`${name}: measuring ${DURATION_SECONDS} s with ${CONNECTIONS} connections…`);
  const result = await load(url, headers, DURATION_SECONDS);
  return {
    name,
    url: url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''),
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** An API key of the organization, written as `POST /api/v1/api-keys` would (only its hash is stored). */
async function apiKeyFor(ctx: AppContext, organizationId: string): Promise<string> {
  const key = `pk_${newSecretToken()}`;
  await ctx.db.kysely
    .insertInto('apiKeys')
    .values({
      id: newId('key'),
      organizationId,
      name: 'bench',
      prefix: key.slice(0, 10),
      keyHash: hashToken(key),
      createdByUserId: null,
      createdAt: ctx.now().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    })
    .execute();
  return key;
}

const PORTAL_PASSWORD = 'bench portal password, long enough';

/**
 * Turns the scale organization's portal on and gives the customer's primary contact person portal access with
 * a known password, as accepting an invitation would; then signs in through the API and returns the cookie.
 */
async function portalSessionFor(ctx: AppContext, porticoUrl: string, organizationId: string, customerId: string) {
  const now = ctx.now().toISOString();
  await ctx.db.kysely.updateTable('organizations').set({ portalEnabled: 1 }).where('id', '=', organizationId).execute();
  const person = await ctx.db.kysely
    .selectFrom('contactPersons')
    .select(['id', 'email'])
    .where('organizationId', '=', organizationId)
    .where('customerId', '=', customerId)
    .orderBy('isPrimary', 'desc')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  await ctx.db.kysely
    .updateTable('contactPersons')
    .set({
      portalStatus: 'active',
      passwordHash: await hashPassword(PORTAL_PASSWORD),
      portalActivatedAt: now,
      portalDisabledAt: null,
      updatedAt: now,
    })
    .where('id', '=', person.id)
    .execute();
  const response = await fetch(`${porticoUrl}/api/portal/${SCALE_SLUG}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: PORTAL_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`portal sign-in answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.includes('portico_portal'));
  if (!cookie) throw new Error('portal sign-in set no session cookie');
  return { cookie: cookie.split(';')[0] as string };
}

const PAY_NOW_SECONDS = 5;
const PAY_NOW_CONNECTIONS = 10;

/**
 * Pay Now throughput on the sandbox: each request pays 1.00 of one big invoice with the success test card, so
 * every request reserves, charges, settles and writes the receipt e-mail. The load generator runs in this
 * process (each request needs its own Idempotency-Key, which a worker thread cannot be given).
 */
async function benchPayNow(
  ctx: AppContext,
  porticoUrl: string,
  organizationId: string,
  customerId: string,
  apiKey: string,
  cookie: string,
): Promise<Measurement> {
  const api = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${porticoUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ id: string }>;
  };
  const invoice = await api('POST', '/api/v1/invoices', {
    customerId,
    lines: [{ name: 'Pay Now bench', quantity: '1', rate: 9_000_000_000 }],
  });
  await api('POST', `/api/v1/invoices/${invoice.id}/send`);
  await ctx.db.kysely.updateTable('invoices').set({ allowPartialPayments: 1 }).where('id', '=', invoice.id).execute();
  // Many payments of one invoice at once: measure the reservations, not the duplicate-payment guard; no tax setup.
  await ctx.db.kysely
    .updateTable('organizations')
    .set({ portalPreventDuplicatePayments: 0, chargesTax: 0 })
    .where('id', '=', organizationId)
    .execute();
  const session = await fetch(`${porticoUrl}/api/portal/${SCALE_SLUG}/session`, { headers: { cookie } });
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const url = `${porticoUrl}/api/portal/${SCALE_SLUG}/payments`;
  const body = JSON.stringify({
    allocations: [{ invoiceId: invoice.id, amount: 100 }],
    testCard: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' },
  });
  const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
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
  return {
    name: 'Pay Now (sandbox test card)',
    url: url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''),
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function probe(name: string, url: string, headers: Record<string, string>) {
  const response = await fetch(url, { headers });
  const body = (await response.json()) as { data?: unknown[] };
  if (response.status !== 200)
    throw new Error(`${name} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** With BENCH_DATABASE_URL pointing at a database seeded before, its scale data is reused. */
async function scaleData(
  ctx: AppContext,
): Promise<{ organizationId: string; customerId: string; seconds: number | null }> {
  const existing = await ctx.db.kysely
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', SCALE_SLUG)
    .executeTakeFirst();
  if (existing) {
    const customer = await ctx.db.kysely
      .selectFrom('customers')
      .select('id')
      .where('organizationId', '=', existing.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    log(`reusing the existing "${SCALE_SLUG}" organization`);
    return { organizationId: existing.id, customerId: customer.id, seconds: null };
  }
  log(`generating ${invoiceCount.toLocaleString('en-US')} invoices…`);
  const result = await seedScale(ctx, { invoices: invoiceCount, progress: log });
  return { organizationId: result.organizationId, customerId: result.sampleCustomerId, seconds: result.seconds };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'portico-bench-'));
const databaseUrl = process.env.BENCH_DATABASE_URL || `sqlite:${path.join(dataDir, 'bench.sqlite')}`;
const config = loadConfig({
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  APP_SECRET: newSecretToken(),
  PUBLIC_URL: 'http://127.0.0.1',
});
const runtime = await openRuntime(config, { poolSize: 20 });
const portico = await buildApp(runtime.ctx);
const bare = Fastify();
bare.get('/', async () => ({ hello: 'world' }));

try {
  const { organizationId, customerId, seconds } = await scaleData(runtime.ctx);
  const key = await apiKeyFor(runtime.ctx, organizationId);
  const bareUrl = await listen(bare);
  const porticoUrl = await listen(portico);
  const listUrl = `${porticoUrl}/api/v1/invoices?customerId=${customerId}&status=paid&limit=25`;
  const headers = { authorization: `Bearer ${key}` };

  const page = await probe('The invoices list', listUrl, headers);
  log(`the list answers ${page.data?.length} invoices per page`);
  const portal = await portalSessionFor(runtime.ctx, porticoUrl, organizationId, customerId);
  const portalHeaders = { cookie: portal.cookie };
  const homeUrl = `${porticoUrl}/api/portal/${SCALE_SLUG}/home`;
  const portalListUrl = `${porticoUrl}/api/portal/${SCALE_SLUG}/invoices?limit=25`;
  await probe('The portal dashboard', homeUrl, portalHeaders);
  const portalPage = await probe('The portal invoice list', portalListUrl, portalHeaders);
  log(`the portal list answers ${portalPage.data?.length} invoices per page`);

  const baseline = await measure('bare Fastify {hello: "world"}', `${bareUrl}/`);
  const list = runs('list') ? await measure('Portico invoices list (API key)', listUrl, headers) : null;
  const portalResults = runs('portal')
    ? [
        await measure('Portal dashboard (GET /home)', homeUrl, portalHeaders),
        await measure('Portal invoice list (25 rows)', portalListUrl, portalHeaders),
      ]
    : [];
  // The neighbours' load moves the bare route by tens of percent between runs: measured again after the portal
  // routes, the ratios are taken against the mean of both measurements.
  const baselineAgain = portalResults.length
    ? await measure('bare Fastify, again after the portal', `${bareUrl}/`)
    : null;
  const payNow = runs('paynow')
    ? await benchPayNow(runtime.ctx, porticoUrl, organizationId, customerId, key, portal.cookie)
    : null;
  const bareRequestsPerSecond = baselineAgain
    ? (baseline.requestsPerSecond + baselineAgain.requestsPerSecond) / 2
    : baseline.requestsPerSecond;
  const results = [baseline, list, ...portalResults, baselineAgain, payNow].filter((m): m is Measurement => m !== null);
  const ratioOf = (m: Measurement | undefined) => (m ? m.requestsPerSecond / bareRequestsPerSecond : 0);
  const ratio = list ? ratioOf(list) : null;

  const rows = results.map((r) => [
    r.name,
    r.requestsPerSecond.toLocaleString('en-US'),
    `${r.latencyP50Ms} ms`,
    `${r.latencyP99Ms} ms`,
    String(r.non2xx + r.errors),
    `${(ratioOf(r) * 100).toFixed(1)} %`,
  ]);
  const header = ['target', 'req/s', 'p50', 'p99', 'failed', '÷ bare'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log('');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(format(row));
  if (ratio !== null) console.log(`\nPortico list / bare route: ${(ratio * 100).toFixed(1)} %`);
  for (const m of portalResults) {
    const met = ratioOf(m) >= 0.35 && m.latencyP99Ms <= 25;
    console.log(
      `${m.name}: ${(ratioOf(m) * 100).toFixed(1)} % of bare, p99 ${m.latencyP99Ms} ms — target (≥ 35 %, p99 ≤ 25 ms) ${met ? 'met' : 'not met'}`,
    );
  }
  console.log(`(${invoiceCount.toLocaleString('en-US')} invoices, ${runtime.ctx.db.dialect}, ${cpus().length} CPUs)`);

  let statementPdf: Awaited<ReturnType<typeof benchStatementPdf>> | null = null;
  if (runs('pdf')) {
    log('rendering a 1,000-line statement PDF (Portico, then Chromium printing the same HTML)…');
    statementPdf = await benchStatementPdf();
    console.log(
      `\nStatement PDF (${statementPdf.lines} lines): Portico ${statementPdf.porticoMedianMs} ms median — target ≤ 150 ms ` +
        `${statementPdf.porticoMedianMs <= 150 ? 'met' : 'not met'}; Chromium printing the HTML: ` +
        `${statementPdf.chromiumMedianMs === null ? 'not measured (no Chromium)' : `${statementPdf.chromiumMedianMs} ms`}`,
    );
  }

  const resultsDir = path.join(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    database: runtime.ctx.db.dialect,
    invoices: invoiceCount,
    seedSeconds: seconds === null ? null : Math.round(seconds * 10) / 10,
    settings: { connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, durationSeconds: DURATION_SECONDS },
    results,
    bareRequestsPerSecond: Math.round(bareRequestsPerSecond),
    ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000,
    statementPdf,
    portalRatios: Object.fromEntries(portalResults.map((m) => [m.name, Math.round(ratioOf(m) * 1000) / 1000])),
  };
  writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`written to ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
} finally {
  await portico.close();
  await bare.close();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}
