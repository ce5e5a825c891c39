import { pruneActionCounters } from '../auth/action-limits.js';
import { pruneThrottles } from '../auth/throttle.js';
import type { AppContext } from '../context.js';
import { expireEstimates } from '../modules/estimates/index.js';
import { markOverdueInvoices } from '../modules/invoices/index.js';
import {
  expirePaymentAttempts,
  pruneIdempotencyKeys,
  reconcilePaymentAttempts,
} from '../modules/online-payments/index.js';
import { installSandboxWebhookSink } from '../modules/payment-webhooks/index.js';
import { chargeAutopayInvoices } from '../modules/portal-autopay/index.js';
import { pruneExpiredSecondFactorSteps } from '../modules/second-factors/index.js';
import { deliverDueWebhooks } from '../modules/webhooks/index.js';
import { deliverSandboxWebhooks } from '../payments/sandbox/webhooks.js';
import { runScheduledBackup } from './backups.js';
import { generateRecurringInvoices } from './recurring.js';

/** Pino's shape (Fastify's `app.log` fits), so `serve` can hand its logger over. */
export interface SchedulerLogger {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface SchedulerOptions {
  /** Time between two runs of every job; the first run starts at once. */
  intervalMs: number;
  /** Time between two deliveries of the outgoing webhooks in between (default 5 s, as e-mail). */
  webhookIntervalMs?: number;
  logger?: SchedulerLogger;
}

/** A receiver of webhooks reacts to a payment or an invoice sent: they go out within seconds, as e-mail does. */
const WEBHOOK_INTERVAL_MS = 5_000;

export interface Scheduler {
  /** No new run starts; resolves once a run in progress has finished. */
  stop(): Promise<void>;
  /** Runs every job now (or waits for the run in progress) — for tests and the CLI. */
  runNow(): Promise<void>;
}

interface Job {
  name: string;
  run(ctx: AppContext, logger: SchedulerLogger): Promise<void>;
}

const consoleLogger: SchedulerLogger = {
  error: (details, message) => console.error(message, details),
  info: (details, message) => console.info(message, details),
};

/**
 * Outgoing webhooks written by the jobs (and by the web instances) go out; failures back off. Also run on its own
 * every few seconds (`webhookIntervalMs`).
 */
const DELIVER_WEBHOOKS: Job = {
  name: 'deliver-webhooks',
  run: async (ctx, logger) => {
    const result = await deliverDueWebhooks(ctx);
    if (result.delivered + result.retried + result.failed > 0) {
      logger.info({ job: 'deliver-webhooks', ...result }, 'webhooks delivered');
    }
  },
};

/**
 * In this order: estimates expire, recurring invoices are created (and sent), abandoned payment pages expire,
 * invoices are charged when autopay is on, then what is late turns overdue, dangling payments are reconciled;
 * old sign-in throttle counters and expired second-factor steps are removed; last, a backup is taken when one is due (BACKUP_DIR).
 */
const JOBS: Job[] = [
  {
    name: 'expire-estimates',
    run: async (ctx, logger) => {
      const expired = await expireEstimates(ctx);
      if (expired > 0) logger.info({ job: 'expire-estimates', expired }, 'estimates expired');
    },
  },
  {
    name: 'recurring-invoices',
    run: async (ctx, logger) => {
      const result = await generateRecurringInvoices(ctx);
      const { invoiceIds, expiredProfileIds, stoppedProfileIds } = result;
      if (invoiceIds.length + expiredProfileIds.length + stoppedProfileIds.length > 0) {
        logger.info(
          {
            job: 'recurring-invoices',
            created: invoiceIds.length,
            expired: expiredProfileIds.length,
            stoppedForDeletedCustomer: stoppedProfileIds,
          },
          'recurring invoices created',
        );
      }
      for (const failure of result.failures) {
        logger.error(
          { job: 'recurring-invoices', profileId: failure.profileId, err: failure.error },
          'a recurring profile could not create its invoice; it will be tried again',
        );
      }
    },
  },
  {
    // Portal payments whose time is up with the gateway's page unpaid: the page is closed, the documents freed
    // (before autopay, which leaves an invoice alone while a payment holds it).
    name: 'expire-payment-attempts',
    run: async (ctx, logger) => {
      installSandboxWebhookSink(ctx);
      const { expired, failures } = await expirePaymentAttempts(ctx);
      if (expired > 0) logger.info({ job: 'expire-payment-attempts', expired }, 'payment attempts expired');
      for (const failure of failures) {
        logger.error(
          { job: 'expire-payment-attempts', attemptId: failure.attemptId, err: failure.error },
          'an expired payment attempt could not be ended; it will be tried again',
        );
      }
    },
  },
  {
    // Invoices of profiles whose client turned autopay on are charged to the card on file, each once; a separate
    // job, so that a crash between an invoice and its charge is caught up on the next run.
    name: 'autopay-charges',
    run: async (ctx, logger) => {
      installSandboxWebhookSink(ctx);
      const result = await chargeAutopayInvoices(ctx);
      if (result.charged.length + result.resumed.length > 0) {
        logger.info(
          { job: 'autopay-charges', charged: result.charged.length, resumed: result.resumed.length },
          'automatic payments charged',
        );
      }
      for (const failure of result.failures) {
        logger.error(
          { job: 'autopay-charges', invoiceId: failure.invoiceId, err: failure.error },
          'an automatic payment could not be charged; it will be tried again',
        );
      }
    },
  },
  {
    name: 'overdue-invoices',
    run: async (ctx, logger) => {
      const marked = await markOverdueInvoices(ctx, ctx.now());
      if (marked > 0) logger.info({ job: 'overdue-invoices', marked }, 'invoices marked overdue');
    },
  },
  {
    // Portal payments left dangling (a crash, a lost webhook, an abandoned hosted page), settled or failed from
    // the gateway's record; then the sandbox's undelivered webhooks go out again (processed once each).
    name: 'reconcile-payments',
    run: async (ctx, logger) => {
      installSandboxWebhookSink(ctx);
      const result = await reconcilePaymentAttempts(ctx);
      if (result.settled + result.failed + result.receipts > 0) {
        logger.info({ job: 'reconcile-payments', ...result }, 'payment attempts reconciled');
      }
      if (!ctx.config.production) await deliverSandboxWebhooks(ctx);
    },
  },
  DELIVER_WEBHOOKS,
  {
    // Idempotency keys are kept 24 h.
    name: 'prune-idempotency-keys',
    run: async (ctx) => {
      await pruneIdempotencyKeys(ctx);
    },
  },
  {
    // Sign-in failures for unknown e-mails leave counters behind; a day-old one counts for nothing. So do the
    // client actions' counters (`auth/action-limits.ts`).
    name: 'prune-throttles',
    run: async (ctx) => {
      await pruneThrottles(ctx);
      await pruneActionCounters(ctx);
    },
  },
  {
    // Pending sign-ins (5 minutes), passkey enrolment challenges and unconfirmed app set-ups (15) once expired.
    name: 'prune-second-factor-steps',
    run: async (ctx) => {
      await pruneExpiredSecondFactorSteps(ctx);
    },
  },
  {
    // With BACKUP_DIR (SQLite): a backup every BACKUP_EVERY, the newest BACKUP_KEEP kept.
    name: 'backup',
    run: async (ctx, logger) => {
      const { taken, removed } = await runScheduledBackup(ctx);
      if (taken !== null || removed.length > 0) {
        logger.info({ job: 'backup', file: taken, removed: removed.length }, 'backup taken');
      }
    },
  },
];

/**
 * Runs the scheduled jobs every `intervalMs`. Runs never overlap within one process (a tick that finds the
 * previous run still going is skipped), and several processes may run them at once: each job claims its work.
 * A failing job is logged and the others still run; nothing here ever throws into the process.
 */
export function startScheduler(ctx: AppContext, options: SchedulerOptions): Scheduler {
  const logger = options.logger ?? consoleLogger;
  let running: Promise<void> | null = null;
  let stopped = false;

  const runAll = async () => {
    for (const job of JOBS) {
      if (stopped) return;
      try {
        await job.run(ctx, logger);
      } catch (error) {
        logger.error({ job: job.name, err: error }, 'scheduled job failed');
      }
    }
  };

  const tick = (): Promise<void> => {
    if (running) return running;
    if (stopped) return Promise.resolve();
    running = runAll()
      .catch((error: unknown) => logger.error({ err: error }, 'scheduled jobs failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };

  // Between the runs, the webhooks alone; never two deliveries at once in this process (each claims its rows).
  let delivering: Promise<void> | null = null;
  const deliverWebhooks = () => {
    if (delivering || stopped) return;
    delivering = DELIVER_WEBHOOKS.run(ctx, logger)
      .catch((error: unknown) => logger.error({ job: DELIVER_WEBHOOKS.name, err: error }, 'scheduled job failed'))
      .finally(() => {
        delivering = null;
      });
  };

  const timer = setInterval(tick, options.intervalMs);
  const webhookTimer = setInterval(deliverWebhooks, options.webhookIntervalMs ?? WEBHOOK_INTERVAL_MS);
  const first = setTimeout(tick, 0);

  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearInterval(webhookTimer);
      clearTimeout(first);
      await Promise.all([running, delivering]);
    },
    runNow: tick,
  };
}
