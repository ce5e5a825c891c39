import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { sendFile, sendPdf } from '../../http/downloads.js';
import { IdParams } from '../../http/schemas.js';
import type { PdfDocumentKind } from '../documents/index.js';
import { EInvoiceQuery, EInvoiceResponse } from '../e-invoices/index.js';
import { fileResponse } from '../statements/index.js';
import { portalDocumentPdf, portalEInvoice, portalPaymentReceipt } from './service.js';

/** Downloads of the client's own estimates, invoices, retainer invoices (never drafts) and payment receipts. */
export const portalPdfRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const documents: Array<[string, PdfDocumentKind, string]> = [
      ['estimates', 'estimate', 'portal: estimates'],
      ['invoices', 'invoice', 'portal: invoices'],
      ['retainer-invoices', 'retainer_invoice', 'portal: retainer invoices'],
    ];
    for (const [segment, kind, tag] of documents) {
      app.get(
        `/${segment}/:id/pdf`,
        {
          schema: {
            tags: [tag],
            summary: `The ${kind.replace('_', ' ')} as a PDF`,
            params: IdParams,
            response: { 200: fileResponse('application/pdf', 'The document (attachment)') },
          },
        },
        async (request, reply) =>
          sendPdf(reply, await portalDocumentPdf(ctx, portalScopeOf(request), kind, request.params.id)),
      );
    }
    app.get(
      '/invoices/:id/e-invoice',
      {
        schema: {
          tags: ['portal: invoices'],
          summary: 'One of my invoices as an e-invoice: UBL, CII or Factur-X',
          params: IdParams,
          querystring: EInvoiceQuery,
          response: { 200: EInvoiceResponse },
        },
      },
      async (request, reply) =>
        sendFile(reply, await portalEInvoice(ctx, portalScopeOf(request), request.params.id, request.query.format)),
    );
    app.get(
      '/payments/:id/receipt',
      {
        schema: {
          tags: ['portal: payments'],
          summary: 'The receipt of one of my payments as a PDF',
          params: IdParams,
          response: { 200: fileResponse('application/pdf', 'The receipt (attachment)') },
        },
      },
      async (request, reply) =>
        sendPdf(reply, await portalPaymentReceipt(ctx, portalScopeOf(request), request.params.id)),
    );
  };
