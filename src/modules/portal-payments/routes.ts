import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { PortalPayment, PortalPaymentListQuery, PortalPaymentSummary } from './schemas.js';
import { getPortalPayment, listPortalPayments } from './service.js';

const tags = ['portal: payments'];

/** Payments made: the customer's payments and where each went. */
export const portalPaymentRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/payments',
      {
        schema: {
          tags,
          summary: 'Payments made (newest first)',
          querystring: PortalPaymentListQuery,
          response: { 200: Page(PortalPaymentSummary) },
        },
      },
      async (request) => listPortalPayments(ctx, portalScopeOf(request), request.query),
    );
    app.get(
      '/payments/:id',
      {
        schema: {
          tags,
          summary: 'A payment with the invoices it was applied to',
          params: IdParams,
          response: { 200: PortalPayment },
        },
      },
      async (request) => getPortalPayment(ctx, portalScopeOf(request), request.params.id),
    );
  };
