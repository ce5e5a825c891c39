import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { Account, AccountPatch, LanguageChoice } from './schemas.js';
import { changeAccount, chooseLanguage, getAccount } from './service.js';

const tags = ['portal: account'];

/** My account: the signed-in person's details and their company's, editable when the business allows it. */
export const portalAccountRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/account',
      { schema: { tags, summary: 'My details and my company', response: { 200: Account } } },
      async (request) => getAccount(ctx, portalScopeOf(request)),
    );

    app.patch(
      '/account',
      {
        schema: {
          tags,
          summary: 'Change my details, company details or addresses (when the business allows it)',
          body: AccountPatch,
          response: { 200: Account },
        },
      },
      async (request) =>
        changeAccount(ctx, portalScopeOf(request), request.body, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        }),
    );

    app.put(
      '/account/language',
      {
        schema: {
          tags,
          summary: 'Choose the language of my portal, e-mails and PDFs (null: the business’s)',
          body: LanguageChoice,
          response: { 200: LanguageChoice },
        },
      },
      async (request) => chooseLanguage(ctx, portalScopeOf(request), request.body.language),
    );
  };
