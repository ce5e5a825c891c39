import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { type Config, ConfigError } from '../config.js';
import { oneLine, safeSubject } from './email-layout.js';
import type { EmailAttachment } from './outbox.js';

/** One e-mail as the worker hands it to a transport. */
export interface OutgoingEmail {
  /** The outbox id: it becomes the Message-ID, so a retry of the same message carries the same id. */
  id: string;
  to: string;
  /** The display name of the sender: the organization's name when the message belongs to one. */
  fromName?: string | null;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
  /** When the message was put in the outbox (names the embedded transport's file). */
  createdAt?: string;
}

export interface Mailer {
  /** `smtp` with SMTP_URL; `embedded` keeps each message as an .eml file under DATA_DIR/mail. */
  readonly kind: 'smtp' | 'embedded';
  /** Where the embedded transport writes (null for SMTP). */
  readonly directory: string | null;
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export type MailerConfig = Pick<Config, 'smtpUrl' | 'dataDir' | 'publicUrl'> & {
  /** `billing@example.com` or `Billing <billing@example.com>`; defaults to the MAIL_FROM environment variable. */
  mailFrom?: string | null;
};

// Short enough that one send always ends well within the worker's claim on the message (lockSeconds).
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000, dnsTimeout: 15_000 };

const PLAIN_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s<>,;:"()\\]+$/;

/** The sender address and its default display name, from MAIL_FROM or from PUBLIC_URL's host name. */
export function senderOf(
  config: MailerConfig,
  env: NodeJS.ProcessEnv = process.env,
): { name: string; address: string } {
  const given = (config.mailFrom ?? env.MAIL_FROM ?? '').trim();
  if (given === '') return { name: 'Portico', address: `no-reply@${config.publicUrl.hostname}` };
  const named = /^(?:"?([^"<]*?)"?\s*)<([^<>]+)>$/.exec(given);
  const address = (named ? named[2] : given)?.trim() ?? '';
  if (!PLAIN_ADDRESS.test(address)) {
    throw new ConfigError(
      `MAIL_FROM must look like billing@example.com or "Billing <billing@example.com>", got "${given}".`,
    );
  }
  return { name: oneLine(named?.[1] ?? '') || 'Portico', address };
}

/** nodemailer, loaded when a mailer is made (by the role that delivers e-mail), not by every process. */
const createTransport: typeof Nodemailer.createTransport = (...args: Parameters<typeof Nodemailer.createTransport>) =>
  (createRequire(import.meta.url)('nodemailer') as typeof Nodemailer).createTransport(...args);

/**
 * The transport the worker sends with. With SMTP_URL: a pooled SMTP connection (STARTTLS when the server offers
 * it; `smtps://` for implicit TLS). Without: the embedded transport, which builds the same RFC 822 message and
 * writes it to DATA_DIR/mail/<created>-<id>.eml, so that a newcomer can open every e-mail Portico "sent".
 */
export function createMailer(config: MailerConfig): Mailer {
  const sender = senderOf(config);
  const domain = sender.address.slice(sender.address.lastIndexOf('@') + 1);

  const optionsFor = (message: OutgoingEmail): SendMailOptions => ({
    from: { name: oneLine(message.fromName ?? '') || sender.name, address: sender.address },
    to: message.to,
    subject: safeSubject(message.subject),
    text: message.text,
    html: message.html,
    messageId: `<${message.id}@${domain}>`,
    // RFC 3834: no vacation auto-replies to messages nobody reads.
    headers: { 'Auto-Submitted': 'auto-generated' },
    attachments: (message.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.contentBase64,
      encoding: 'base64',
    })),
  });

  if (config.smtpUrl) {
    const transport = createTransport({
      url: config.smtpUrl,
      pool: true,
      maxConnections: 3,
      ...SMTP_TIMEOUTS,
      // Message content comes from the database: never let it make nodemailer read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    return {
      kind: 'smtp',
      directory: null,
      send: async (message) => {
        const info = await transport.sendMail(optionsFor(message));
        return { messageId: info.messageId };
      },
      close: async () => transport.close(),
    };
  }

  const directory = path.join(config.dataDir, 'mail');
  const transport = createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    kind: 'embedded',
    directory,
    send: async (message) => {
      const info = await transport.sendMail(optionsFor(message));
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const file = path.join(directory, emlFileName(message));
      // Write then rename: whoever opens the folder never sees half a message. A retry overwrites the same file.
      const partial = `${file}.partial`;
      await writeFile(partial, info.message as Buffer, { mode: 0o600 });
      await rename(partial, file);
      return { messageId: info.messageId };
    },
    close: async () => transport.close(),
  };
}

/** `2026-03-15T10-00-00-000Z-msg_….eml`: sorts by time, and safe on every file system. */
export function emlFileName(message: Pick<OutgoingEmail, 'id' | 'createdAt'>): string {
  const stamp = (message.createdAt ?? new Date().toISOString()).replace(/[^0-9A-Za-z]/g, '-');
  const id = message.id.replace(/[^0-9A-Za-z_-]/g, '_');
  return `${stamp}-${id}.eml`.slice(0, 200);
}
