import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';

/**
 * The organization's outbox as a mailbox: every e-mail Portico sent (or will send) on its behalf. Owners and admins
 * only — e-mails to clients carry their details and, before redaction, their sign-in links.
 */

/**
 * A single-use link in an e-mail (accept an invitation, reset a password) is a credential of the contact person it
 * was sent to: whoever holds it can choose their password and sign in as them. The business reads its mailbox to
 * see what was sent, not to use its clients' links, so the token in `#token=…` (and `?token=…`) is replaced.
 */
export function redactTokens(body: string): string {
  return body.replace(/([#?&](?:amp;)?token=)[A-Za-z0-9._~%-]+/g, '$1redacted');
}

interface Row {
  id: string;
  toAddress: string;
  subject: string;
  template: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  attachments: string;
}

function present(row: Row) {
  let attachments: Array<{ filename: string; contentType: string }> = [];
  try {
    const parsed = JSON.parse(row.attachments) as Array<{ filename?: unknown; contentType?: unknown }>;
    attachments = parsed.map((a) => ({ filename: String(a.filename ?? ''), contentType: String(a.contentType ?? '') }));
  } catch {
    attachments = [];
  }
  return {
    id: row.id,
    to: row.toAddress,
    subject: row.subject,
    template: row.template,
    status: row.status,
    attempts: Number(row.attempts),
    lastError: row.lastError,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    attachments,
  };
}

const COLUMNS = [
  'id',
  'toAddress',
  'subject',
  'template',
  'status',
  'attempts',
  'lastError',
  'createdAt',
  'sentAt',
  'attachments',
] as const;

/** One page of the organization's e-mails, newest first, and how Portico delivers them. */
export async function listMailbox(ctx: AppContext, scope: OrgScope, query: { limit?: number; cursor?: string }) {
  requireAdmin(scope);
  const select = ctx.db.kysely
    .selectFrom('outboxMessages')
    .select(COLUMNS)
    .where('organizationId', '=', scope.organizationId);
  const page = await listPage(
    select,
    { key: 'createdAt', id: 'id', direction: 'desc', keyOf: (row) => row.createdAt },
    query,
    present,
  );
  return {
    ...page,
    transport: ctx.config.smtpUrl ? ('smtp' as const) : ('embedded' as const),
  };
}

/** One e-mail with its bodies, single-use links redacted. */
export async function getMailboxMessage(ctx: AppContext, scope: OrgScope, messageId: string) {
  requireAdmin(scope);
  const row = await ctx.db.kysely
    .selectFrom('outboxMessages')
    .select([...COLUMNS, 'textBody', 'htmlBody'])
    .where('id', '=', messageId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('message');
  return { ...present(row), text: redactTokens(row.textBody), html: redactTokens(row.htmlBody) };
}
