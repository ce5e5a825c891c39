import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf, requireAdmin } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../domain/errors.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/pagination.js';
import { IdParams, ListQuery } from '../../http/schemas.js';

const tags = ['mailbox'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
]);

const MailboxMessage = Type.Object({
  id: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  /** The template that wrote it: portalInvitation, passwordReset, documentSent… */
  template: Type.String(),
  status: Status,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  sentAt: Nullable(Type.String()),
  attachments: Type.Array(Type.Object({ filename: Type.String(), contentType: Type.String() })),
});

const MailboxMessageDetail = Type.Intersect([
  MailboxMessage,
  Type.Object({
    /** The bodies as sent, with single-use links (invitations, password resets) redacted. */
    text: Type.String(),
    html: Type.String(),
  }),
]);

const MailboxPage = Type.Object({
  data: Type.Array(MailboxMessage),
  nextCursor: Nullable(Type.String()),
  /** How Portico delivers: `smtp` (SMTP_URL is set) or `embedded` (kept as files under DATA_DIR/mail). */
  transport: Type.Union([Type.Literal('smtp'), Type.Literal('embedded')]),
});

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

/**
 * The organization's outbox as a mailbox: every e-mail Portico sent (or will send) on its behalf. Owners and admins
 * only — e-mails to clients carry their details and, before redaction, their sign-in links.
 */
export const mailboxRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/mailbox',
      {
        schema: {
          tags,
          summary: 'E-mails Portico sent for the organization, newest first',
          querystring: Type.Object(ListQuery, { additionalProperties: false }),
          response: { 200: MailboxPage },
        },
      },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const limit = request.query.limit ?? 25;
        const cursor = decodeCursor(request.query.cursor);
        let select = ctx.db.kysely
          .selectFrom('outboxMessages')
          .select(COLUMNS)
          .where('organizationId', '=', scope.organizationId)
          .orderBy('createdAt', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1);
        if (cursor) select = select.where(afterCursor(cursor, 'createdAt', 'id', 'desc'));
        const page = pageOf(await select.execute(), limit, (row) => row.createdAt);
        return {
          data: page.data.map(present),
          nextCursor: page.nextCursor,
          transport: ctx.config.smtpUrl ? ('smtp' as const) : ('embedded' as const),
        };
      },
    );

    app.get(
      '/mailbox/:id',
      {
        schema: {
          tags,
          summary: 'One e-mail with its text and HTML bodies (single-use links redacted)',
          params: IdParams,
          response: { 200: MailboxMessageDetail },
        },
      },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const row = await ctx.db.kysely
          .selectFrom('outboxMessages')
          .select([...COLUMNS, 'textBody', 'htmlBody'])
          .where('id', '=', request.params.id)
          .where('organizationId', '=', scope.organizationId)
          .executeTakeFirst();
        if (!row) throw notFound('message');
        return { ...present(row), text: redactTokens(row.textBody), html: redactTokens(row.htmlBody) };
      },
    );
  };
