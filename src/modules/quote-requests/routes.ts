import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { QuoteRequest, QuoteRequestListQuery } from './schemas.js';
import { dismissQuoteRequest, getQuoteRequest, listQuoteRequests } from './service.js';

const tags = ['quote requests'];

/** Clients' quote requests (docs/requests.md); an estimate is made from one with `POST /estimates` and its id. */
export const quoteRequestRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/quote-requests',
      {
        schema: {
          tags,
          summary: "Clients' quote requests (newest first)",
          querystring: QuoteRequestListQuery,
          response: { 200: Page(QuoteRequest) },
        },
      },
      async (request) => listQuoteRequests(ctx, orgScopeOf(request), request.query),
    );
    app.get(
      '/quote-requests/:id',
      { schema: { tags, summary: 'A quote request', params: IdParams, response: { 200: QuoteRequest } } },
      async (request) => getQuoteRequest(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/quote-requests/:id/dismiss',
      {
        schema: {
          tags,
          summary: 'Dismiss an open quote request (no estimate will be made)',
          params: IdParams,
          response: { 200: QuoteRequest },
        },
      },
      async (request) => dismissQuoteRequest(ctx, orgScopeOf(request), request.params.id),
    );
  };
