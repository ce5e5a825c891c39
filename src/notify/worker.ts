import type { ExpressionBuilder, Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database, OutboxMessagesTable } from '../db/schema.js';
import { createMailer, type Mailer } from './mailer.js';
import type { EmailAttachment } from './outbox.js';

/** After this many attempts a message is `failed` and left for a person to look at. */
export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 60 * 60_000;

export interface DeliveryOptions {
  /** How many messages one call claims at most. */
  batchSize?: number;
  /**
   * How long a claim on a message lasts. A worker that dies mid-send leaves its messages `sending`; once the claim
   * has run out another worker takes them again. Must stay well above one send's timeouts (about 1 minute).
   */
  lockSeconds?: number;
  logger?: MailWorkerLogger;
}

export interface DeliveryResult {
  /** Messages this call claimed. */
  claimed: number;
  sent: number;
  /** Given up: the last attempt failed, or the server refused the recipient for good. */
  failed: number;
  /** Failed this time, tried again later. */
  retried: number;
}

/** Pino's shape (Fastify's `app.log` fits). */
export interface MailWorkerLogger {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
}

type OutboxRow = Selectable<OutboxMessagesTable>;

const plusMs = (at: Date, ms: number) => new Date(at.getTime() + ms).toISOString();

/**
 * The wait before the next attempt after `attempts` failed ones: 1 min, 2, 4, 8… capped at 1 hour, plus up to
 * 10 % so that messages that failed together (a server down) do not all come back in the same second.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
  return Math.round(base * (1 + 0.1 * random()));
}

/** Due: pending and its time has come, or claimed by a worker whose claim ran out (it crashed or hung). */
function isDue(now: string) {
  return (eb: ExpressionBuilder<Database, 'outboxMessages'>) =>
    eb.or([
      eb.and([eb('status', '=', 'pending'), eb('nextAttemptAt', '<=', now)]),
      eb.and([eb('status', '=', 'sending'), eb('lockedUntil', '<=', now)]),
    ]);
}

/**
 * Claims up to `batchSize` due messages for this worker: status `sending`, `lockedUntil` set, and `attempts`
 * counted now rather than after the send, so that a message that kills its worker still runs out of attempts.
 * The new `attempts` value is the claim's token: the later writes only apply while it is unchanged.
 */
async function claim(ctx: AppContext, batchSize: number, lockSeconds: number): Promise<OutboxRow[]> {
  const now = ctx.now();
  const at = now.toISOString();
  const lockedUntil = plusMs(now, lockSeconds * 1000);
  const db = ctx.db.kysely;

  if (ctx.db.dialect === 'postgres') {
    // Several workers may run at once: each locks the rows it takes and skips the rows others hold, so no two
    // claim the same message, and none waits for another.
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('outboxMessages')
        .select('id')
        .where(isDue(at))
        .orderBy('nextAttemptAt')
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return [];
      return trx
        .updateTable('outboxMessages')
        .set((eb) => ({ status: 'sending', lockedUntil, attempts: eb('attempts', '+', 1) }))
        .where(
          'id',
          'in',
          due.map((row) => row.id),
        )
        .returningAll()
        .execute();
    });
  }

  // SQLite has one writer at a time and no row locks: each row is claimed by a compare-and-set UPDATE that only
  // matches while the row is still due, so of two workers (two processes on the same file) only one gets it.
  // When another worker won every row we looked at, look again: claiming nothing must mean nothing is due.
  for (;;) {
    const due = await db
      .selectFrom('outboxMessages')
      .select('id')
      .where(isDue(at))
      .orderBy('nextAttemptAt')
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (due.length === 0) return [];
    const claimed: OutboxRow[] = [];
    for (const { id } of due) {
      const row = await db
        .updateTable('outboxMessages')
        .set((eb) => ({ status: 'sending', lockedUntil, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where(isDue(at))
        .returningAll()
        .executeTakeFirst();
      if (row) claimed.push(row);
    }
    if (claimed.length > 0) return claimed;
  }
}

/** A refusal that retrying cannot change: the server said no to this recipient for good (5xx to RCPT TO). */
function isPermanent(error: unknown): boolean {
  const e = error as { responseCode?: unknown; command?: unknown } | null;
  return (
    typeof e?.responseCode === 'number' &&
    e.responseCode >= 500 &&
    e.responseCode < 600 &&
    typeof e.command === 'string' &&
    e.command.toUpperCase().startsWith('RCPT')
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`.slice(0, 1000);
  }
  return String(error).slice(0, 1000);
}

/**
 * Sends the messages whose time has come: claims a batch, sends each, and records the outcome — `sent` (with the
 * transport's Message-ID), or on failure `pending` again with exponential back-off, or `failed` after
 * MAX_ATTEMPTS. Several workers can run this at once on PostgreSQL (and on SQLite): each message is claimed by
 * exactly one of them. One call handles one batch; call it again while `claimed` equals the batch size.
 */
export async function deliverDueMessages(
  ctx: AppContext,
  mailer: Mailer,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const batchSize = options.batchSize ?? 20;
  const lockSeconds = options.lockSeconds ?? 300;
  if (!(batchSize >= 1 && lockSeconds >= 1)) throw new RangeError('batchSize and lockSeconds must be at least 1.');
  const result: DeliveryResult = { claimed: 0, sent: 0, failed: 0, retried: 0 };
  const db = ctx.db.kysely;

  const claimed = await claim(ctx, batchSize, lockSeconds);
  result.claimed = claimed.length;
  if (claimed.length === 0) return result;

  const organizationIds = [...new Set(claimed.map((m) => m.organizationId).filter((id) => id !== null))];
  const organizations = organizationIds.length
    ? await db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', organizationIds).execute()
    : [];
  const nameOf = new Map(organizations.map((o) => [o.id, o.name]));

  for (const message of claimed) {
    // The claim was taken for the whole batch; renew it before each send so that a slow batch never lets a
    // message's claim run out (and another worker send it too) while it waits its turn.
    const renewed = await db
      .updateTable('outboxMessages')
      .set({ lockedUntil: plusMs(ctx.now(), lockSeconds * 1000) })
      .where('id', '=', message.id)
      .where('status', '=', 'sending')
      .where('attempts', '=', message.attempts)
      .executeTakeFirst();
    if (renewed.numUpdatedRows === 0n) continue; // another worker took it over: it is theirs now

    try {
      const { messageId } = await mailer.send({
        id: message.id,
        to: message.toAddress,
        fromName: message.organizationId ? (nameOf.get(message.organizationId) ?? null) : null,
        subject: message.subject,
        text: message.textBody,
        html: message.htmlBody,
        attachments: JSON.parse(message.attachments) as EmailAttachment[],
        createdAt: message.createdAt,
      });
      // Sent is sent, whoever holds the claim now: never let a later retry send it again.
      await db
        .updateTable('outboxMessages')
        .set({ status: 'sent', sentAt: ctx.now().toISOString(), messageId, lockedUntil: null, lastError: null })
        .where('id', '=', message.id)
        .where('status', '!=', 'sent')
        .execute();
      result.sent += 1;
    } catch (error) {
      const giveUp = message.attempts >= MAX_ATTEMPTS || isPermanent(error);
      const now = ctx.now();
      const recorded = await db
        .updateTable('outboxMessages')
        .set({
          status: giveUp ? 'failed' : 'pending',
          nextAttemptAt: giveUp ? now.toISOString() : plusMs(now, retryDelayMs(message.attempts)),
          lockedUntil: null,
          lastError: describe(error),
        })
        .where('id', '=', message.id)
        .where('status', '=', 'sending')
        .where('attempts', '=', message.attempts)
        .executeTakeFirst();
      // The claim ran out during the send and another worker took the message over: its outcome stands.
      if (recorded.numUpdatedRows === 0n) continue;
      if (giveUp) result.failed += 1;
      else result.retried += 1;
      options.logger?.error(
        { outboxMessageId: message.id, template: message.template, attempts: message.attempts, err: describe(error) },
        giveUp ? 'e-mail could not be delivered: given up' : 'e-mail could not be delivered: will retry',
      );
    }
  }
  return result;
}

export interface MailWorkerOptions {
  /** Time between two runs; the first run starts at once. */
  intervalMs: number;
  logger?: MailWorkerLogger;
  /** Defaults to `createMailer(ctx.config)` (closed again by `stop()`). */
  mailer?: Mailer;
  batchSize?: number;
  lockSeconds?: number;
}

export interface MailWorker {
  /** No new run starts; resolves once the run in progress has finished (and the mailer it created is closed). */
  stop(): Promise<void>;
  /** Delivers everything due now (or waits for the run in progress) — for tests and the CLI. */
  runNow(): Promise<DeliveryResult>;
}

const consoleLogger: MailWorkerLogger = {
  error: (details, message) => console.error(message, details),
  info: (details, message) => console.info(message, details),
};

/**
 * Delivers the outbox every `intervalMs`: each run takes batch after batch until nothing is due. Runs never
 * overlap within one process; several processes may run at once. Errors are logged, never thrown into the process.
 */
export function startMailWorker(ctx: AppContext, options: MailWorkerOptions): MailWorker {
  const logger = options.logger ?? consoleLogger;
  const batchSize = options.batchSize ?? 20;
  const mailer = options.mailer ?? createMailer(ctx.config);
  if (!options.mailer && mailer.kind === 'embedded') {
    logger.info(
      { directory: mailer.directory },
      'SMTP_URL is not set: e-mails are not sent but kept in the database and written as .eml files',
    );
  }
  let running: Promise<DeliveryResult> | null = null;
  let stopped = false;

  const runAll = async (): Promise<DeliveryResult> => {
    const total: DeliveryResult = { claimed: 0, sent: 0, failed: 0, retried: 0 };
    while (!stopped) {
      const batch = await deliverDueMessages(ctx, mailer, {
        batchSize,
        ...(options.lockSeconds ? { lockSeconds: options.lockSeconds } : {}),
        logger,
      });
      total.claimed += batch.claimed;
      total.sent += batch.sent;
      total.failed += batch.failed;
      total.retried += batch.retried;
      if (batch.claimed < batchSize) break;
    }
    if (total.claimed > 0) {
      logger.info({ job: 'mail', sent: total.sent, retried: total.retried, failed: total.failed }, 'e-mails delivered');
    }
    return total;
  };

  const tick = (): Promise<DeliveryResult> => {
    if (running) return running;
    if (stopped) return Promise.resolve({ claimed: 0, sent: 0, failed: 0, retried: 0 });
    running = runAll()
      .catch((error: unknown) => {
        logger.error({ job: 'mail', err: error }, 'e-mail delivery failed; it will be tried again');
        return { claimed: 0, sent: 0, failed: 0, retried: 0 };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const timer = setInterval(tick, options.intervalMs);
  const first = setTimeout(tick, 0);

  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await running;
      if (!options.mailer) await mailer.close();
    },
    runNow: tick,
  };
}
