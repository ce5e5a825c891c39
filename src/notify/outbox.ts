import type { Kysely, Transaction } from 'kysely';
import { newId } from '../db/ids.js';
import type { Database } from '../db/schema.js';
import { oneLine, safeSubject } from './email-layout.js';
import { renderEmail, type TemplateData, type TemplateName } from './templates.js';

/** A file sent with an e-mail (an invoice PDF, say), kept in the outbox row until it is delivered. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

export interface NewEmail {
  organizationId: string | null;
  to: string;
  /** Which template produced it (kept for the record and for logs). */
  template: string;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
}

type Db = Kysely<Database> | Transaction<Database>;

// One plain address, nothing a mail header could read as a second recipient or a new header line.
const SINGLE_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;

/**
 * Puts an e-mail in the outbox. Pass the transaction of the change the e-mail is about: the message exists
 * exactly when the change commits, and the worker (`deliverDueMessages`) sends it afterwards, with retries.
 * Returns the message's id.
 */
export async function enqueueEmail(db: Db, now: Date, message: NewEmail): Promise<string> {
  const to = message.to.trim();
  if (!SINGLE_ADDRESS.test(to)) throw new Error('An outbox e-mail needs exactly one plain recipient address.');
  const attachments = (message.attachments ?? []).map((a) => ({
    filename: oneLine(a.filename, 150).replace(/[/\\]/g, '_'),
    contentType: oneLine(a.contentType, 100),
    contentBase64: a.contentBase64,
  }));
  const id = newId('msg');
  const at = now.toISOString();
  await db
    .insertInto('outboxMessages')
    .values({
      id,
      organizationId: message.organizationId,
      kind: 'email',
      template: message.template,
      toAddress: to,
      subject: safeSubject(message.subject),
      textBody: message.text,
      htmlBody: message.html,
      attachments: JSON.stringify(attachments),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lockedUntil: null,
      lastError: null,
      messageId: null,
      sentAt: null,
      createdAt: at,
    })
    .execute();
  return id;
}

/** Renders a template (`portalInvitation`, `passwordReset`, …) and puts the e-mail in the outbox. */
export async function enqueueTemplate<N extends TemplateName>(
  db: Db,
  now: Date,
  message: {
    organizationId: string | null;
    to: string;
    template: N;
    data: TemplateData<N>;
    attachments?: EmailAttachment[];
  },
): Promise<string> {
  const rendered = renderEmail(message.template, message.data);
  return enqueueEmail(db, now, {
    organizationId: message.organizationId,
    to: message.to,
    template: message.template,
    ...rendered,
    ...(message.attachments ? { attachments: message.attachments } : {}),
  });
}
