import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { newId } from '../../src/db/ids.js';
import { freshDatabase, type TestDatabase } from './database.js';

/** One message as the test SMTP server received it. */
export interface ReceivedMail {
  /** The SMTP envelope (MAIL FROM / RCPT TO), which may differ from the headers. */
  envelope: { from: string | null; to: string[] };
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  /** For SMTP_URL: `smtp://127.0.0.1:PORT`. */
  url: string;
  /** Every message received so far, in order of arrival. */
  messages: ReceivedMail[];
  /** Resolves once a received message matches (checking those already received first); rejects after the timeout. */
  waitFor(predicate: (messages: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  /** Refuse these recipients for good (550 to RCPT TO), as a real server does for a mailbox that does not exist. */
  rejectRecipient?: (address: string) => boolean;
}

/**
 * A real SMTP server on 127.0.0.1 and a free port: plain SMTP, no authentication needed, no STARTTLS (so
 * nodemailer does not try it). Every message is kept raw and parsed with mailparser.
 */
export async function startSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipient?.(address.address)) {
        const refusal = Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 });
        callback(refusal);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            const mailFrom = session.envelope.mailFrom;
            messages.push({
              envelope: {
                from: mailFrom ? mailFrom.address : null,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
            });
            for (const wake of waiters) wake();
            callback();
          })
          .catch(callback);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(messages)) {
          resolve();
          return;
        }
        const wake = () => {
          if (!predicate(messages)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`The test SMTP server did not receive the expected messages in ${timeoutMs} ms.`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What the mail tests need without the HTTP app: a fresh migrated database, a context whose clock the test moves,
 * and a way to add organizations (their names become the sender's display name).
 */
export interface MailTestContext {
  ctx: AppContext;
  database: TestDatabase;
  clock: { now: Date };
  addOrganization(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startMailTestContext(options: { now?: string } = {}): Promise<MailTestContext> {
  const database = await freshDatabase();
  const clock = { now: new Date(options.now ?? '2026-03-15T10:00:00.000Z') };
  const config = loadConfig({
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    APP_SECRET: 'test-secret-that-is-long-enough-for-the-config-check',
    PUBLIC_URL: 'http://portico.test',
  });
  const ctx: AppContext = { config, db: database.db, now: () => clock.now };
  return {
    ctx,
    database,
    clock,
    addOrganization: async (name) => {
      const id = newId('org');
      const at = clock.now.toISOString();
      await database.db.kysely
        .insertInto('organizations')
        .values({
          id,
          name,
          slug: `mail-${id.slice(-10)}`,
          baseCurrency: 'USD',
          timeZone: 'UTC',
          email: null,
          phone: null,
          website: null,
          portalBanner: null,
          createdAt: at,
          updatedAt: at,
        })
        .execute();
      return id;
    },
    close: () => database.drop(),
  };
}
