import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { PortalRetainerInvoice, PortalRetainerListQuery, PortalRetainerSummary } from './schemas.js';
import { listPortalRetainers, openPortalRetainer } from './service.js';

const tags = ['portal: retainer invoices'];

/** The client's retainer invoices (read). Drafts are never shown. */
export const portalRetainerRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/retainer-invoices',
      {
        schema: {
          tags,
          summary: 'My retainer invoices (newest issue date first)',
          querystring: PortalRetainerListQuery,
          response: { 200: Page(PortalRetainerSummary) },
        },
      },
      async (request) => listPortalRetainers(ctx, portalScopeOf(request), request.query),
    );
    app.get(
      '/retainer-invoices/:id',
      {
        schema: {
          tags,
          summary: 'A retainer invoice with the payments received on it (the first open marks it viewed)',
          params: IdParams,
          response: { 200: PortalRetainerInvoice },
        },
      },
      async (request) => openPortalRetainer(ctx, portalScopeOf(request), request.params.id, request.ip),
    );
  };
