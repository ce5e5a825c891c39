import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { Page } from '../../http/schemas.js';
import { PortalQuoteRequest, PortalQuoteRequestInput, PortalQuoteRequestListQuery } from './schemas.js';
import { listMyQuoteRequests, requestQuote } from './service.js';

/** The client's quote requests (when the organization allows them; else 404). */
export const portalQuoteRequestRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['portal: quote requests'];
    app.get(
      '/quote-requests',
      {
        schema: {
          tags,
          summary: 'My quote requests (newest first)',
          querystring: PortalQuoteRequestListQuery,
          response: { 200: Page(PortalQuoteRequest) },
        },
      },
      async (request) => listMyQuoteRequests(ctx, portalScopeOf(request), request.query),
    );
    app.post(
      '/quote-requests',
      {
        schema: {
          tags,
          summary: 'Ask the business for a quote (a description and optional details)',
          body: PortalQuoteRequestInput,
          response: { 201: PortalQuoteRequest },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await requestQuote(ctx, portalScopeOf(request), request.body, request.ip)),
    );
  };
