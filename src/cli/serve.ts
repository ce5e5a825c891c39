import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../app/app.js';
import { loadConfig } from '../config.js';
import type { AppContext } from '../context.js';
import { type Scheduler, startScheduler } from '../jobs/scheduler.js';
import { type MailWorker, startMailWorker } from '../notify/worker.js';
import { demoSummary } from './demo-data.js';
import { isLoopbackHost, unsafeExposure } from './exposure.js';
import { openRuntime, say } from './runtime.js';
import { describeDemo, seedDemoThroughApi } from './seed-demo.js';

export type Role = 'web' | 'worker' | 'all';

/**
 * Whether `serve` adds the demo organizations (public passwords) to an empty database: `auto` only on a loopback
 * HOST, `add` (`--demo`) wherever it listens, `none` (`--no-demo`) never; and never with NODE_ENV=production.
 */
export type DemoChoice = 'auto' | 'add' | 'none';

// JOB_INTERVAL_MS: tests and demos may run the jobs (the payment reconciler among them) more often.
const JOB_INTERVAL_MS = Number(process.env.JOB_INTERVAL_MS) > 0 ? Number(process.env.JOB_INTERVAL_MS) : 60_000;
/** E-mail goes out quickly: a password-reset link should not wait a minute. */
const MAIL_INTERVAL_MS = 5_000;
/** After a stop signal, in-flight requests get this long to finish before the process gives up on them. */
const SHUTDOWN_GRACE_MS = 25_000;

function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/**
 * `portico serve`: migrate, seed the demo into an empty database (see DemoChoice), then serve HTTP (web) and/or run the
 * scheduled jobs (worker). With PostgreSQL, any number of `web` processes can share the database, beside one or
 * more `worker` (or `all`) processes; the jobs claim their work, so they never run twice.
 * Resolves after a graceful stop on SIGINT/SIGTERM: no new connections, in-flight requests finish, the
 * running job finishes, then the database closes.
 */
export async function serve(options: { role: Role; demo: DemoChoice }): Promise<void> {
  // Listening from the start: a stop signal during the start-up is honoured once the server is up.
  const stopSignal = untilStopSignal();
  const config = loadConfig();
  const runtime = await openRuntime(config);
  const { ctx } = runtime;
  const web = options.role !== 'worker';

  if (web && options.demo !== 'none') {
    const anyOrganization = await ctx.db.kysely.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
    if (anyOrganization) {
      // Not a fresh database: leave it alone.
    } else if (config.production) {
      // Demo passwords are public: never on a production database. An owner comes from `create-admin`.
      say('The database is empty: create your organization with `npx portico create-admin --org NAME --email E`.');
    } else if (options.demo === 'auto' && !isLoopbackHost(config.host)) {
      // Reachable from other machines: public passwords only when asked for (an operator who forgot NODE_ENV
      // must not find the demo's owners signed in to their server).
      say(`The database is empty; HOST=${config.host} is not loopback, so no demo (add it with --demo).`);
    } else {
      say('The database is empty: adding the demo organizations…');
      try {
        await seedDemoThroughApi(ctx);
      } catch (error) {
        // Another instance may be seeding the same database; either way the server is still worth starting.
        say(`Could not add the demo: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  const level = process.env.LOG_LEVEL || 'info';
  let app: FastifyInstance | null = null;
  let jobs: Scheduler | null = null;
  let mail: MailWorker | null = null;
  try {
    if (web) {
      app = await buildApp(ctx, { logger: { level } });
      await app.listen({ host: config.host, port: config.port });
    }
    if (options.role !== 'web') {
      // The jobs log as JSON lines like the web server does (through its logger when there is one).
      const logger = app?.log ?? pino({ level });
      jobs = startScheduler(ctx, { intervalMs: JOB_INTERVAL_MS, webhookIntervalMs: MAIL_INTERVAL_MS, logger });
      mail = startMailWorker(ctx, { intervalMs: MAIL_INTERVAL_MS, logger });
    }
  } catch (error) {
    await app?.close();
    await runtime.close();
    throw error;
  }

  await printBanner(runtime.ctx, app, options.role);

  const signal = await stopSignal;
  say(`${signal}: stopping (a second signal stops at once)…`);
  const force = (code: number, why: string) => () => {
    say(why);
    process.exit(code);
  };
  process.once('SIGINT', force(130, 'Stopped without waiting.'));
  process.once('SIGTERM', force(143, 'Stopped without waiting.'));
  setTimeout(force(1, 'Requests still running after 25 s: stopped without them.'), SHUTDOWN_GRACE_MS).unref();

  // Answers already on their way when the signal came leave their connections idle and kept alive once sent
  // (the rest say `Connection: close`, src/app/app.ts): close those as they turn idle instead of waiting them out.
  const closeIdle = setInterval(() => app?.server.closeIdleConnections(), 250);
  // Stop listening and finish the requests in flight (live streams are ended), beside the jobs' current run and
  // the mail being sent; the database closes last, when nothing uses it any more.
  try {
    await Promise.all([app?.close(), jobs?.stop(), mail?.stop()]);
  } finally {
    clearInterval(closeIdle);
  }
  await runtime.close();
  say('Stopped.');
}

async function printBanner(ctx: AppContext, app: FastifyInstance | null, role: Role): Promise<void> {
  const lines = ['', `Portico is running (role: ${role}).`];
  if (app) {
    // With PORT=0 and no PUBLIC_URL, only the listening socket knows the port people can reach.
    const address = app.server.address() as AddressInfo;
    const base =
      process.env.PUBLIC_URL || ctx.config.port !== 0
        ? ctx.config.publicUrl
        : new URL(`http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`);
    lines.push(
      `  Back office:  ${new URL('/app/', base)}`,
      `  API docs:     ${new URL('/api/docs', base)}`,
      `  Health:       ${new URL('/healthz', base)}`,
    );
    const demo = await demoSummary(ctx, base);
    if (demo.organizations.length > 0) {
      lines.push('Demo logins (public passwords: keep real data out of these organizations):', ...describeDemo(demo));
    }
    const organization = await ctx.db.kysely.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
    if (!organization) {
      lines.push(`No organization yet: open ${new URL('/app/setup', base)} to create yours and its owner.`);
    }
    const unsafe = unsafeExposure(ctx.config, process.env, {
      demoOrganizations: demo.organizations.map((o) => o.slug),
    });
    if (unsafe.length > 0) {
      app.log.warn({ unsafe }, 'serving on a public interface without NODE_ENV=production');
      lines.push(
        'WARNING: not safe for real clients. Set NODE_ENV=production (with APP_SECRET and an https PUBLIC_URL):',
        ...unsafe.map((item) => `  - ${item}`),
      );
    }
  }
  if (role !== 'web') {
    lines.push(
      `  Scheduled jobs: every ${JOB_INTERVAL_MS / 1000} s; e-mail and webhooks every ${MAIL_INTERVAL_MS / 1000} s.`,
    );
    if (!ctx.config.smtpUrl)
      lines.push(`  E-mail: no SMTP_URL, so messages are kept as .eml files in ${ctx.config.dataDir}/mail`);
  }
  say(`${lines.join('\n')}\n`);
}
