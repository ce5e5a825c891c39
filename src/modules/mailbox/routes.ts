import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams } from '../../http/schemas.js';
import { fileResponse } from '../statements/index.js';
import { MailboxMessageDetail, MailboxPage, MailboxQuery } from './schemas.js';
import { getMailboxMessage, listMailbox } from './service.js';

const tags = ['mailbox'];

/** The organization's outbox as a mailbox (owners and admins): what Portico sent on its behalf. */
export const mailboxRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/mailbox',
      {
        schema: {
          tags,
          summary: 'E-mails Portico sent for the organization, newest first',
          querystring: MailboxQuery,
          response: { 200: MailboxPage },
        },
      },
      async (request) => listMailbox(ctx, orgScopeOf(request), request.query),
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
      async (request) => getMailboxMessage(ctx, orgScopeOf(request), request.params.id),
    );

    app.get(
      '/mailbox/:id/html',
      {
        schema: {
          tags,
          summary: "One e-mail's HTML body as a page, for the back office's sandboxed frame (links redacted)",
          params: IdParams,
          response: { 200: fileResponse('text/html', 'The e-mail as it was sent, single-use links redacted') },
        },
      },
      async (request, reply) => {
        const message = await getMailboxMessage(ctx, orgScopeOf(request), request.params.id);
        return sendEmailPage(reply, message.html);
      },
    );
  };

/**
 * An e-mail's HTML under a policy of its own: its inline styles apply (e-mails are styled inline, which the app's
 * policy forbids), and nothing else runs or loads — no script, no form, no remote image, and `sandbox` makes the
 * page an opaque origin that cannot reach this one. Only this app may frame it.
 */
function sendEmailPage(reply: FastifyReply, html: string): FastifyReply {
  reply.raw.removeHeader('content-security-policy');
  return reply
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox",
    )
    .header('cache-control', 'private, no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}
