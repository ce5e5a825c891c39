import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalAnswer, portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { reusableAnswer } from '../../http/response-cache.js';
import { IdParams, Page } from '../../http/schemas.js';
import {
  AcceptEstimateInput,
  DeclineEstimateInput,
  PortalEstimate,
  PortalEstimateListQuery,
  PortalEstimateSummary,
  PortalInvoice,
  PortalInvoiceListQuery,
  PortalInvoiceSummary,
  RequestEstimateChangesInput,
} from './schemas.js';
import {
  decidePortalEstimate,
  listPortalEstimates,
  listPortalInvoices,
  openPortalEstimate,
  openPortalInvoice,
  requestEstimateChanges,
} from './service.js';

/** The client's estimates (read, accept, decline, request changes) and invoices (read). Drafts are never shown. */
export const portalDocumentRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/estimates',
      {
        schema: {
          tags: ['portal: estimates'],
          summary: 'My estimates (newest issue date first)',
          querystring: PortalEstimateListQuery,
          response: { 200: Page(PortalEstimateSummary) },
        },
      },
      async (request, reply) =>
        reusableAnswer(ctx, reply, portalAnswer(ctx, request), () =>
          listPortalEstimates(ctx, portalScopeOf(request), request.query),
        ),
    );
    app.get(
      '/estimates/:id',
      {
        schema: {
          tags: ['portal: estimates'],
          summary: 'An estimate (the first open marks it viewed)',
          params: IdParams,
          response: { 200: PortalEstimate },
        },
      },
      async (request) => openPortalEstimate(ctx, portalScopeOf(request), request.params.id, request.ip),
    );
    app.post(
      '/estimates/:id/accept',
      {
        schema: {
          tags: ['portal: estimates'],
          summary: 'Accept a sent, unexpired estimate',
          params: IdParams,
          body: AcceptEstimateInput,
          response: { 200: PortalEstimate },
        },
      },
      async (request) =>
        decidePortalEstimate(
          ctx,
          portalScopeOf(request),
          request.params.id,
          { action: 'accept', signatureName: request.body.signatureName ?? null },
          request.ip,
        ),
    );
    app.post(
      '/estimates/:id/decline',
      {
        schema: {
          tags: ['portal: estimates'],
          summary: 'Decline a sent, unexpired estimate',
          params: IdParams,
          body: DeclineEstimateInput,
          response: { 200: PortalEstimate },
        },
      },
      async (request) =>
        decidePortalEstimate(
          ctx,
          portalScopeOf(request),
          request.params.id,
          { action: 'decline', reason: request.body.reason ?? null },
          request.ip,
        ),
    );
    app.post(
      '/estimates/:id/request-changes',
      {
        schema: {
          tags: ['portal: estimates'],
          summary: 'Ask the business to change a sent, unexpired estimate; it can be decided again once re-sent',
          params: IdParams,
          body: RequestEstimateChangesInput,
          response: { 200: PortalEstimate },
        },
      },
      async (request) =>
        requestEstimateChanges(ctx, portalScopeOf(request), request.params.id, request.body, request.ip),
    );
    app.get(
      '/invoices',
      {
        schema: {
          tags: ['portal: invoices'],
          summary: 'My invoices (newest issue date first)',
          querystring: PortalInvoiceListQuery,
          response: { 200: Page(PortalInvoiceSummary) },
        },
      },
      async (request, reply) =>
        reusableAnswer(ctx, reply, portalAnswer(ctx, request), () =>
          listPortalInvoices(ctx, portalScopeOf(request), request.query),
        ),
    );
    app.get(
      '/invoices/:id',
      {
        schema: {
          tags: ['portal: invoices'],
          summary: 'An invoice with the payments applied (the first open marks it viewed)',
          params: IdParams,
          response: { 200: PortalInvoice },
        },
      },
      // Reused like the lists. The first open writes (viewed), but only while no kept answer can exist: the view
      // is recorded before the answer is kept, the write moves the customer's version (the invoice row changed),
      // and any later reset of `viewed_at` would move it again — so a reused answer never skips a first view.
      async (request, reply) =>
        reusableAnswer(ctx, reply, portalAnswer(ctx, request), () =>
          openPortalInvoice(ctx, portalScopeOf(request), request.params.id, request.ip),
        ),
    );
  };
