import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { sendFile } from '../../http/downloads.js';
import { IdParams } from '../../http/schemas.js';
import { EInvoiceQuery, EInvoiceResponse } from './schemas.js';
import { eInvoiceFile } from './service.js';

/** The business's e-invoices: any invoice of its own but a void one, drafts included (as its PDFs). */
export const eInvoiceRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/invoices/:id/e-invoice',
      {
        schema: {
          tags: ['invoices'],
          summary: 'The invoice as an e-invoice: UBL, CII or Factur-X',
          description:
            '422 `e_invoice_incomplete` names the details still missing (countries, VAT number); 422 ' +
            '`e_invoice_unsupported` says what EN 16931 cannot carry. See docs/e-invoices.md.',
          params: IdParams,
          querystring: EInvoiceQuery,
          response: { 200: EInvoiceResponse },
        },
      },
      async (request, reply) =>
        sendFile(
          reply,
          await eInvoiceFile(ctx, orgScopeOf(request).organizationId, request.params.id, request.query.format),
        ),
    );
  };
