import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams } from '../../http/schemas.js';
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
  };
